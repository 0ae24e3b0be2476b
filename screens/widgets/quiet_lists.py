"""An OptionList and a SelectionList whose new options do not lay out the whole screen again (see `quiet`).

An OptionList's virtual size changes with every new set of options; it only scrolls the list's own
content, which the list updates itself. A scrollbar that appears or goes still asks for a layout, and so
does a list whose height changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Self

from textual import events
from textual.css.scalar import Unit
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import OptionList, SelectionList
from textual.widgets._option_list import OptionListContent

from screens.widgets.quiet import ScrollbarsDrawnWithLayout

# A mixin, not a Widget: Textual takes a widget's CSS type names from its first DOMNode base only.
if TYPE_CHECKING:
    _OptionListMixin = OptionList
else:
    _OptionListMixin = object


class LinesKeptThroughResize(_OptionListMixin):
    """For an OptionList (or SelectionList): its measured and drawn lines are kept through a resize of the
    same width. It measures and draws them afresh on every resize (a repaint, so a second frame after the
    layout that already drew it at its new size), though they depend only on the width."""

    _lines_width = -1

    def _on_resize(self, event: events.Resize | None = None) -> None:
        if event is not None:  # always given by Textual; optional only to match the list's signature
            event.prevent_default()
        width = self.scrollable_content_region.width
        if width != self._lines_width:
            self._lines_width = width
            self._clear_caches()


class QuietOptionList(LinesKeptThroughResize, ScrollbarsDrawnWithLayout, OptionList):
    """An OptionList (of auto height) that asks for a screen layout only when its height changes."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)
    _quiet = False

    def refresh(self, *regions: object, repaint: bool = True, layout: bool = False,
                recompose: bool = False) -> Self:
        """Refresh, leaving out the layout `set_options` asks for when the height stays the same."""
        return super().refresh(*regions, repaint=repaint,  # type: ignore[arg-type]
                               layout=layout and not self._quiet, recompose=recompose)

    def set_options(self, options: Iterable[OptionListContent]) -> Self:
        """Replace the options; lay the screen out again only if the list's height changes."""
        options = list(options)
        if self._options and len(options) == len(self._options) and all(
                new is old for new, old in zip(options, self._options, strict=True)):
            # The same Option objects in the same order: its lines, drawn lines and the option indices
            # in them stay right. Only what set_options would also reset: no highlight, back to the top.
            self.highlighted = None
            self.scroll_y = 0
            return self
        before = self._height_for(self.virtual_size.height)
        sized = bool(self.scrollable_content_region)
        width = self.scrollable_content_region.width
        self._quiet = sized
        try:
            super().set_options(options)
        finally:
            self._quiet = False
        if sized and self.scrollable_content_region.width != width:
            # The scrollbar came or went as the lines were measured: measure them at the width they will
            # be drawn at, as OptionList would only after the resize (and a frame) that follows.
            self._line_cache.clear()
            self._update_lines()
        self._lines_width = self.scrollable_content_region.width
        if not sized or self._height_for(self.virtual_size.height) != before:
            self.refresh(layout=True)
        return self

    def _refresh_scrollbars(self) -> None:
        if not self._quiet:
            super()._refresh_scrollbars()
            return
        # Replacing the options: judge the scrollbar against the height the list is about to be given,
        # not the one it had. Against the old height a list growing from 2 lines to 6 showed a scrollbar
        # that the layout then took away again: a second layout and frame.
        container = self._container_size
        self._container_size = container.with_height(self._height_for(self.virtual_size.height))
        try:
            super()._refresh_scrollbars()
        finally:
            self._container_size = container

    def _height_for(self, lines: int) -> int:
        cap = self.styles.max_height
        if cap is not None and cap.unit == Unit.CELLS:
            return min(lines, int(cap.value))
        return lines


class QuietSelectionList(LinesKeptThroughResize, SelectionList[str]):
    """A SelectionList that keeps its measured and drawn lines through a resize of the same width.

    Textual sends Resize to every widget that comes into view, so a step shown again threw its list's
    lines away and repainted it: a second frame ~20 ms after the one that showed the step.
    """
