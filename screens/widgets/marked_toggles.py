"""A checkbox and a radio button whose mark shows the state by shape, not only colour (NO_COLOR)."""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content, ContentText
from textual.geometry import Size
from textual.widgets import Checkbox, RadioButton


class MarkedCheckbox(Checkbox):
    """A checkbox drawn as [X] when on and [ ] when off."""

    @property
    def _button(self) -> Content:
        self.BUTTON_INNER = "X" if self.value else " "
        return super()._button


class MarkedRadioButton(RadioButton):
    """A radio button drawn with a dot only when chosen, with description lines under its label."""

    def __init__(self, label: ContentText, value: bool = False, *, notes: Sequence[tuple[str, str]] = (),
                 name: str | None = None, disabled: bool = False) -> None:
        super().__init__(label, value, name=name, disabled=disabled)
        self._notes = list(notes)

    @property
    def _button(self) -> Content:
        self.BUTTON_INNER = "●" if self.value else " "
        return super()._button

    def render(self) -> Content:
        """The button and label, then each note line (text, style) indented under the label."""
        lines = [super().render()]
        lines.extend(Content.styled("    " + text, style) for text, style in self._notes)
        return Content("\n").join(lines)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """The label line plus one per note."""
        return 1 + len(self._notes)
