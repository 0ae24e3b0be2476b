"""A drop-down (Textual's Select) that is one widget until it is first opened.

Textual's Select is eight widgets: the line showing the value (a container holding a label and two arrows,
one always hidden) and the list of options (an OptionList, hidden until opened, whose every restyle also
styles its six parts). A step shows a few of them, and every one is styled, laid out and drawn before the
step's first frame; most are never opened. Here the drop-down draws its value line (label and arrow)
itself, and the list is mounted the first time it is opened. Keys, mouse, messages and looks are Select's
(compact).

Textual 8.2.8's Select reaches its value line and its list through private methods (`_setup_options_
renderables`, `_watch_value`, `_watch_expanded`, `_watch_prompt`, `action_show_overlay`): they are
overridden here to do without either (re-check on a Textual upgrade).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import RenderableType
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.content import Content
from textual.css.query import NoMatches
from textual.geometry import Size
from textual.style import Style
from textual.visual import visualize
from textual.widgets import Select
from textual.widgets._select import NoSelection, SelectOverlay

from screens.widgets.quiet import StyledWhenAttached

if TYPE_CHECKING:
    from textual.visual import Visual

# After the label: a space, the arrow, and one cell of padding (Select's compact value line).
ARROW_CELLS = 3
DOWN_ARROW = "▼"
UP_ARROW = "▲"
# Select draws the label and the arrow in its foreground at half strength when nothing is chosen.
DIM_ALPHA = 0.5


class DropDown(StyledWhenAttached, Select[str]):
    """A Select that draws its own value line and mounts its list the first time it opens."""

    # The rules of Select's compact value line (SelectCurrent), for the drop-down that draws it.
    DEFAULT_CSS = """
    DropDown {
        background: $surface;
        pointer: pointer;
        &:focus {
            background-tint: $foreground 5%;
        }
        &:ansi {
            color: ansi_default;
            background: ansi_default;
        }
    }
    """

    ALLOW_SELECT = False  # as Select's value line: a click opens the list, it selects no text
    _highlight_first = False
    _label: RenderableType | NoSelection = Select.NULL
    # Whether the label is drawn at full strength: a value is chosen, or the list is open on one.
    _has_value = False

    def compose(self) -> ComposeResult:
        """Nothing: the value line is drawn by `render`, the list mounted when first opened."""
        yield from ()

    # ----- the value line -----

    def _show_label(self, label: RenderableType | NoSelection) -> None:
        self._label = label
        self._has_value = label is not Select.NULL
        self.refresh(layout=True)  # its height may change with the label's

    def _set_has_value(self, has_value: bool) -> None:
        if has_value != self._has_value:
            self._has_value = has_value
            self.refresh()

    def _label_content(self) -> Content:
        label = self.prompt if isinstance(self._label, NoSelection) else self._label
        visual: Visual | None = visualize(self, label)
        return visual if isinstance(visual, Content) else Content(str(label))

    def _lines(self, width: int) -> list[Content]:
        """The label's lines at a content width of `width` (the arrow takes the last cells of the first)."""
        return self._label_content().wrap(max(1, width - ARROW_CELLS)) or [Content("")]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """As many lines as the label wraps to (the list, when open, lies over what is below)."""
        return len(self._lines(width)) if width else 0

    def render(self) -> Content:
        """The label, dimmed when it is the placeholder, and the arrow (up while the list is open)."""
        width = self.content_size.width
        label_width = max(1, width - ARROW_CELLS)
        dim = Style(foreground=self.styles.color.with_alpha(DIM_ALPHA))
        lines = []
        for index, line in enumerate(self._lines(width)):
            if not self._has_value:
                line = line.stylize_before(dim)
            line = line.pad_right(max(0, label_width - line.cell_length))
            if index == 0:
                arrow = UP_ARROW if self.expanded else DOWN_ARROW
                line = line + Content(" ") + Content.styled(arrow, dim) + Content(" ")
            lines.append(line)
        return Content("\n").join(lines)

    async def _on_click(self, event: events.Click) -> None:
        # A click on the value line opens or closes the list; a click in the open list is the list's.
        if event.widget is self:
            event.stop()
            self.expanded = not self.expanded

    # ----- the list -----

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
        if value == self.NULL:
            self._show_label(self.NULL)
        else:
            for index, (prompt, option_value) in enumerate(self._options):
                if option_value == value:
                    overlay = self._overlay()
                    if overlay is not None:
                        overlay.highlighted = index
                    self._show_label(prompt)
                    break
        self.post_message(self.Changed(self, value))

    def _watch_expanded(self, expanded: bool) -> None:
        self.refresh()  # the arrow points up while the list is open
        overlay = self._overlay()
        if overlay is None:
            if expanded:
                self.call_next(self._mount_overlay)
            return
        # Select's, for a value line that is this widget. The list opens under the whole label: moved
        # down by its height (a layout places a widget of the screen's overlay at its parent's top).
        self.set_class(expanded, "-expanded")
        if not expanded:
            return
        overlay.styles.offset = (0, len(self._lines(self.content_size.width)))
        overlay.focus(scroll_visible=False)
        if self.value is self.NULL:
            overlay.select(None)
            self._set_has_value(False)
            return
        for index, (_prompt, option_value) in enumerate(self._options):
            if option_value == self.value:
                overlay.select(index)
                break
        self._set_has_value(True)

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
        self._watch_expanded(True)
        opened = self._overlay()
        if self._highlight_first and opened is not None and opened.highlighted is None:
            opened.action_first()
        self._highlight_first = False

    def action_show_overlay(self) -> None:
        """Show the list (mounted first if it never was)."""
        self._set_has_value(True)
        overlay = self._overlay()
        if overlay is None:
            self._highlight_first = True  # as Select does on its first opening
            self.expanded = True  # opened once the list is mounted (see `_watch_expanded`)
            return
        self.expanded = True
        if overlay.highlighted is None:
            overlay.action_first()

    def _watch_prompt(self, prompt: str) -> None:
        if not self.is_mounted:
            return
        if self._allow_blank and self.value == self.NULL:
            self._show_label(self.NULL)
        overlay = self._overlay()
        if self._allow_blank and overlay is not None:
            overlay.replace_option_prompt_at_index(0, Text(prompt, style="dim"))
