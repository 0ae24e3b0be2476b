"""A dialog's row of buttons, which the arrow keys move along as well as Tab."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.containers import Horizontal

from screens.widgets.compact_button import CompactButton


class ButtonRow(Horizontal):
    """Buttons side by side; Left and Right move between them (wrapping), as in most dialogs."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "move(-1)", "Previous button", show=False),
        Binding("right", "move(1)", "Next button", show=False),
    ]

    def action_move(self, offset: int) -> None:
        """Focus the button `offset` places along from the focused one."""
        buttons = [button for button in self.query(CompactButton) if button.display and not button.disabled]
        focused = self.screen.focused
        if focused in buttons:
            # At once, not as Widget.focus does (later, through the app's queue): an Enter typed right
            # after the arrow must press the button the arrow moved to.
            self.screen.set_focus(buttons[(buttons.index(focused) + offset) % len(buttons)])
