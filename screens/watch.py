"""`rds-wizard watch ID --tui`: follow an existing instance or Multi-AZ DB cluster in the provisioning screen.

The same screen as after a launch (stage line, events, AZ diagram, endpoint, then the failover test),
opened on a database created elsewhere: by an earlier run, the console or Terraform.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer, Static

from screens import messages as m
from wizard.gateway_holder import GatewayHolder

if TYPE_CHECKING:
    from screens.provisioning import ProvisioningScreen
    from wizard.aws.timing import GatewayLike


class WatchApp(App[int]):
    """Opens the gateway off the UI thread, then follows one identifier; exit code 0 once available."""

    CSS_PATH = "wizard.tcss"
    TITLE = m.APP_TITLE
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+q", "quit", "Quit", priority=True)]

    def __init__(self, gateway_factory: Callable[[], Any], identifier: str, *, demo: bool = False) -> None:
        super().__init__()
        self.gateway_factory = gateway_factory
        self.identifier = identifier.lower()
        self.demo = demo
        self.gateway: GatewayLike | None = None
        self.gateways = GatewayHolder()
        self._screen: ProvisioningScreen | None = None

    def compose(self) -> ComposeResult:
        """What shows while the gateway (or the demo) starts."""
        yield Static(m.WATCH_CONNECTING_DEMO if self.demo else m.WATCH_CONNECTING, id="watch-status",
                     markup=False)
        yield Footer()

    def on_mount(self) -> None:
        """Start connecting."""
        self._open()

    @work(thread=True, exclusive=True, group="gateway", exit_on_error=False)
    def _open(self) -> None:
        try:
            gateway = self.gateways.open(self.gateway_factory)
        except Exception as exc:  # explained on screen, never a traceback
            from wizard.aws.errors import explain

            self.call_from_thread(self._failed, explain(exc).render())
            return
        if gateway is None or not self.is_running:  # quit meanwhile: the holder closes it
            return
        try:
            gateway.identity()  # the first contact: a silent endpoint is reported within seconds
        except Exception as exc:
            from wizard.aws.errors import explain
            from wizard.aws.waits import is_no_answer

            if is_no_answer(exc):
                self.call_from_thread(self._failed, explain(exc, region=gateway.region).render())
                return
        self.call_from_thread(self._opened, gateway)

    def _failed(self, text: str) -> None:
        if not self.is_running:  # quit meanwhile: the status line may be gone
            return
        self.query_one("#watch-status", Static).update(m.WATCH_FAILED.format(text=text))

    def _opened(self, gateway: GatewayLike) -> None:
        from screens.provisioning import ProvisioningScreen

        if not self.is_running:  # quit while it opened: the holder closes it
            return
        self.gateway = gateway
        self._screen = ProvisioningScreen(gateway, identifier=self.identifier, kind=None, demo=self.demo)
        self.push_screen(self._screen, lambda _: self._leave())

    def outcome_code(self) -> int:
        """0 when the database was seen available, 1 otherwise (a problem, not found, or still creating)."""
        progress = self._screen.progress if self._screen is not None else None
        return 0 if progress is not None and progress.outcome == "available" else 1

    def _leave(self) -> None:
        code = self.outcome_code()
        self.exit(code, return_code=code)

    async def action_quit(self) -> None:
        """Quit with the outcome as exit code; nothing changes in AWS."""
        self._leave()

    def on_unmount(self) -> None:
        """Stop what the gateway started (the demo), also one still starting once it is up."""
        self.gateways.stop()


def run_watch_tui(args: argparse.Namespace) -> int:
    """Run the full-screen watch for `rds-wizard watch ID --tui`; 0 when the database is available."""
    from screens.running import run_until_quit
    from wizard.aws.gateway import ConnectionOptions, open_gateway

    options = ConnectionOptions.from_args(args)
    app = WatchApp(lambda: open_gateway(options), args.identifier, demo=options.demo)
    run_until_quit(app, app.gateways, demo=app.demo)
    return int(app.return_code if app.return_code is not None else 1)
