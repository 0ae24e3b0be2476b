"""The one-line banner: DEMO, or which AWS account, region and profile the wizard talks to."""

from __future__ import annotations

from textual.widgets import Static

from screens import messages


class Banner(Static):
    """Says where the database would be created; updated once the connection is known."""

    def __init__(self, *, demo: bool, id: str | None = None) -> None:
        # Made saying the connection is being opened, with its classes: styled once, as it mounts.
        super().__init__(messages.BANNER_DEMO if demo else messages.BANNER_CONNECTING, id=id,
                         classes="banner -demo" if demo else "banner")

    def show_identity(self, label: str, summary: str) -> None:
        """Connected: DEMO in demo mode, else the account, region, profile (and any custom endpoint)."""
        if label == "DEMO":
            self.set_classes("banner -demo")
            self.update(messages.BANNER_DEMO)
        else:
            self.set_classes("banner -real")
            self.update(f" {summary} ")

    def show_failed(self, title: str) -> None:
        """The connection failed: say why and how to retry."""
        self.set_classes("banner -failed")
        self.update(messages.BANNER_FAILED.format(title=title))
