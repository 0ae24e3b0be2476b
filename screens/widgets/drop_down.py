"""A drop-down (Textual's Select) that costs three widgets fewer per field, and its list only once opened.

Textual's Select is eight widgets: the line showing the value (a container holding a label and two arrows,
one always hidden) and the list of options (an OptionList, hidden until opened, whose every restyle also
styles its six parts). A step shows a few of them, and every one is styled, laid out and drawn before the
step's first frame; most are never opened. Here the value line draws its label and arrow itself, and the
list is mounted the first time it is opened. Keys, mouse, messages and looks are Select's.

Textual 8.2.8's Select reaches its list through private methods (`_setup_options_renderables`,
`_watch_value`, `_watch_expanded`, `_watch_prompt`, `action_show_overlay`): they are overridden here to do
without a list that is not there yet (re-check on a Textual upgrade).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import RenderableType
from textual.app import ComposeResult
from textual.content import Content
from textual.css.query import NoMatches
from textual.geometry import Size
from textual.style import Style
from textual.visual import visualize
from textual.widgets import Select
from textual.widgets._select import NoSelection, SelectCurrent, SelectOverlay

from screens.widgets.quiet import StyledWhenAttached

if TYPE_CHECKING:
    from textual.visual import Visual

# The arrow after the label: one cell, with one cell of padding before it (Select's `.arrow` style).
ARROW_CELLS = 2
DOWN_ARROW = "▼"
UP_ARROW = "▲"
# Select draws the label and the arrow in its foreground at half strength when nothing is chosen.
DIM_ALPHA = 0.5


class DrawnSelectCurrent(SelectCurrent):
    """Select's value line as one widget: the label (wrapped as Select's) with the arrow on its first line."""

    def compose(self) -> ComposeResult:
        """Nothing: the label and the arrow are drawn by `render`."""
        yield from ()

    def _watch_has_value(self, has_value: bool) -> None:
        super()._watch_has_value(has_value)
        self.refresh()  # the label's strength follows it (for Select, a style of the label widget)

    def update(self, label: RenderableType | NoSelection) -> None:
        """Show `label` (or the placeholder for no selection)."""
        self.label = label
        self.has_value = label is not Select.NULL
        self.refresh(layout=True)  # as Select's label (a Static) does: its height may change

    def _label(self) -> Content:
        label = self.placeholder if isinstance(self.label, NoSelection) else self.label
        visual: Visual | None = visualize(self, label)
        return visual if isinstance(visual, Content) else Content(str(label))

    def _lines(self, width: int) -> list[Content]:
        """The label's lines at a content width of `width` (the arrow takes the last cells of the first)."""
        label_width = max(1, width - ARROW_CELLS)
        return self._label().wrap(label_width) or [Content("")]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """As many lines as the label wraps to."""
        return len(self._lines(width)) if width else 0

    def render(self) -> Content:
        """The label, dimmed when it is the placeholder, and the arrow (up while the list is open)."""
        width = self.content_size.width
        label_width = max(1, width - ARROW_CELLS)
        dim = Style(foreground=self.styles.color.with_alpha(DIM_ALPHA))
        lines = []
        for index, line in enumerate(self._lines(width)):
            if not self.has_value:
                line = line.stylize_before(dim)
            line = line.pad_right(max(0, label_width - line.cell_length))
            if index == 0:
                expanded = isinstance(self.parent, Select) and self.parent.expanded
                line = line + Content(" ") + Content.styled(UP_ARROW if expanded else DOWN_ARROW, dim)
            lines.append(line)
        return Content("\n").join(lines)


class DropDown(StyledWhenAttached, Select[str]):
    """A Select whose value line is one widget and whose list is mounted the first time it opens."""

    _highlight_first = False

    def compose(self) -> ComposeResult:
        """The value line only."""
        yield DrawnSelectCurrent(self.prompt)

    def _overlay(self) -> SelectOverlay | None:
        try:
            return self.query_one(SelectOverlay)
        except NoMatches:
            return None

    def _setup_options_renderables(self) -> None:
        # Without a list there is nothing to fill: it is filled from `_options` as it is mounted.
        if self._overlay() is not None:
            super()._setup_options_renderables()

    def _watch_value(self, value: str | NoSelection) -> None:
        # Select's, with the list's highlight kept only once there is a list.
        self._value = value
        try:
            select_current = self.query_one(SelectCurrent)
        except NoMatches:
            return
        if value == self.NULL:
            select_current.update(self.NULL)
        else:
            for index, (prompt, option_value) in enumerate(self._options):
                if option_value == value:
                    overlay = self._overlay()
                    if overlay is not None:
                        overlay.highlighted = index
                    select_current.update(prompt)
                    break
        self.post_message(self.Changed(self, value))

    def _watch_expanded(self, expanded: bool) -> None:
        self.query_one(SelectCurrent).refresh()  # its arrow points up while the list is open
        if self._overlay() is None:
            if expanded:
                self.call_next(self._mount_overlay)
            return
        super()._watch_expanded(expanded)

    async def _mount_overlay(self) -> None:
        """Mount the list (once), fill it, and open it if it is still wanted open."""
        if self._overlay() is None:
            overlay = SelectOverlay(type_to_search=self._type_to_search).data_bind(compact=Select.compact)
            await self.mount(overlay)
            super()._setup_options_renderables()
            for index, (_prompt, option_value) in enumerate(self._options):
                if option_value == self.value:
                    overlay.highlighted = index
                    break
        if not self.expanded:
            return
        super()._watch_expanded(True)
        opened = self._overlay()
        if self._highlight_first and opened is not None and opened.highlighted is None:
            opened.action_first()
        self._highlight_first = False

    def action_show_overlay(self) -> None:
        """Show the list (mounted first if it never was)."""
        if self._overlay() is not None:
            super().action_show_overlay()
            return
        self.query_one(SelectCurrent).has_value = True
        self._highlight_first = True  # as Select does on its first opening
        self.expanded = True  # opened once the list is mounted (see `_watch_expanded`)

    def _watch_prompt(self, prompt: str) -> None:
        if self._overlay() is not None:
            super()._watch_prompt(prompt)
            return
        if not self.is_mounted:
            return
        select_current = self.query_one(SelectCurrent)
        select_current.placeholder = prompt
        if self._allow_blank and self.value == self.NULL:
            select_current.update(self.NULL)
