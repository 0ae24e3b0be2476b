"""What the app shows while the terminal is smaller than the 80x24 its screens are laid out for.

Below that size the boxes, the step list and the keys line overlap and are cut off, and a control can
take the focus where it cannot be seen. One screen saying so, pushed over whatever is up and taken away
once the terminal is large enough again, keeps everything under it as it was.
"""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult
from textual.containers import Center, Middle
from textual.geometry import Size
from textual.screen import Screen
from textual.widgets import Static

from screens import messages

MIN_SIZE = Size(80, 24)


def fits(size: Size) -> bool:
    """Whether a terminal of `size` holds the app's screens."""
    return size.width >= MIN_SIZE.width and size.height >= MIN_SIZE.height


class TooSmallScreen(Screen[None]):
    """Says the terminal is too small, and how large it is now. The app's own keys work (Ctrl+Q quits);
    nothing under it is reached meanwhile."""

    DEFAULT_CSS = """
    TooSmallScreen {
        align: center middle;
    }
    TooSmallScreen #too-small {
        width: auto;
        max-width: 100%;
        padding: 0 1;
        text-align: center;
    }
    """
    def __init__(self, size: Size) -> None:
        super().__init__()
        self._terminal_size = size

    def compose(self) -> ComposeResult:
        """The one message, centred."""
        with Middle(), Center():
            yield Static(self._message_text(), id="too-small")

    def on_screen_resume(self) -> None:
        """Back on top (a dialog opened over it has closed): go if the terminal grew meanwhile."""
        if fits(self.app.size):
            self.app.call_later(self.app.pop_screen)

    def show_size(self, size: Size) -> None:
        """Say the terminal's new size."""
        self._terminal_size = size
        self.query_one("#too-small", Static).update(self._message_text())

    def _message_text(self) -> str:
        return messages.TOO_SMALL.format(min_width=MIN_SIZE.width, min_height=MIN_SIZE.height,
                                         width=self._terminal_size.width, height=self._terminal_size.height)


def guard_size(app: App[Any], size: Size) -> None:
    """Show the too-small screen over `app` while `size` is below the minimum, and take it away once it
    is not (from the app's Resize handler)."""
    top = app.screen_stack[-1] if app.screen_stack else None
    if fits(size):
        if isinstance(top, TooSmallScreen):
            app.pop_screen()
    elif isinstance(top, TooSmallScreen):
        top.show_size(size)
    else:
        app.push_screen(TooSmallScreen(size))
