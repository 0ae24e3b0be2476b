"""A checkbox, a radio button and a selection list whose marks show the state by shape, not only colour
(NO_COLOR)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.segment import Segment
from textual.content import Content, ContentText
from textual.geometry import Size
from textual.strip import Strip
from textual.widgets import Checkbox, RadioButton, SelectionList

from screens.widgets.quiet_lists import LinesKeptThroughResize


class MarkedCheckbox(Checkbox):
    """A checkbox drawn as [X] when on and [ ] when off."""

    def render(self) -> Content:
        """The box with its mark for the current value, then the label."""
        self.BUTTON_INNER = "X" if self.value else " "
        return super().render()


class MarkedRadioButton(RadioButton):
    """A radio button drawn with a dot only when chosen, with description lines under its label."""

    def __init__(self, label: ContentText, value: bool = False, *, notes: Sequence[tuple[str, str]] = (),
                 name: str | None = None, disabled: bool = False) -> None:
        super().__init__(label, value, name=name, disabled=disabled)
        self._notes = list(notes)

    def render(self) -> Content:
        """The button (a dot only when chosen) and label, then each note line (text, style) indented under
        the label."""
        self.BUTTON_INNER = "●" if self.value else " "
        lines = [super().render()]
        lines.extend(Content.styled("    " + text, style) for text, style in self._notes)
        return Content("\n").join(lines)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """The label line plus one per note."""
        return 1 + len(self._notes)


# The three cells SelectionList draws as each option's box; the middle one is its mark.
_BOX_CELLS = 3
_TICKED = "X"
_UNTICKED = " "


class MarkedSelectionList(LinesKeptThroughResize, SelectionList[str]):
    """A selection list whose boxes show ticked and unticked by shape (a box with an X against an empty
    one), not only by colour, and that highlights a row as soon as it has the focus, so Space has
    something to toggle.

    SelectionList draws every box with the same "X" and tells the states apart by colour alone; under
    NO_COLOR, or to a colour-blind reader, every option looked ticked.
    """

    def render_line(self, y: int) -> Strip:
        """SelectionList's line, with its box's mark blanked for an unticked option."""
        line = super().render_line(y)
        index = self.scroll_offset.y + y
        if not 0 <= index < self.option_count:
            return line
        ticked = self.get_option_at_index(index).value in self.selected
        segments = list(line)
        if len(segments) <= _BOX_CELLS or len(segments[1].text) != 1:
            return line  # not a line with a box (SelectionList drew it some other way)
        mark = segments[1]
        segments[1] = Segment(_TICKED if ticked else _UNTICKED, mark.style, mark.control)
        return Strip(segments, line.cell_length)

    def on_focus(self) -> None:
        """Highlight the first option if none is, so the focus shows and Space ticks something."""
        if self.highlighted is None and self.option_count:
            self.highlighted = 0
