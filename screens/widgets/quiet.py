"""An Input and an OptionList whose changing content does not lay out the whole screen again.

Textual declares every widget's virtual (scrollable) size as a layout property, and a layout is always of
the whole screen. An Input's virtual size changes with every character typed and an OptionList's with
every new set of options, so on a screen of some sixty widgets each keystroke cost a full layout. The
virtual size only scrolls the widget's own content, which both update themselves (`_scroll_update`); a
scrollbar that appears or goes still asks for a layout, and so does an OptionList whose height changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Self

from textual import events
from textual.css.scalar import Unit
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widget import Widget
from textual.widgets import ContentSwitcher, OptionList, SelectionList, Static
from textual.widgets._option_list import OptionListContent

from screens.widgets.compact_button import CompactButton
from screens.widgets.ordered_input import OrderedInput


# For a container whose virtual size is only ever what a layout computed for it (its content's height):
# Textual asks for another whole-screen layout whenever a layout changes a widget's virtual size, which
# for such a container changes nothing but costs a second layout and frame as the class list grows or
# shrinks. A scrolling container's own scrollbars follow the new size without it (`_scroll_update`).
def laid_out_virtual_size() -> Reactive[Size]:
    """A `virtual_size` for such a container that asks for no layout or repaint when a layout sets it."""
    return Reactive(Size(0, 0), layout=False, repaint=False)


# A mixin, not a Widget: Textual takes a widget's CSS type names (OptionList, VerticalScroll...) from its
# first DOMNode base only.
if TYPE_CHECKING:
    _WidgetMixin = Widget
    _OptionListMixin = OptionList
else:
    _WidgetMixin = _OptionListMixin = object


class StyledWhenAttached(_WidgetMixin):
    """For a widget that sets CSS classes as it is made (compact, variant, flat): styled once, as it mounts.

    Textual restyles a node whenever its classes change, whether it is in the DOM yet or not, and styles
    it again as it mounts; a compact primary Button was styled four times before its first frame.
    """

    def update_node_styles(self, animate: bool = True) -> None:
        """Restyle, unless not attached yet (mounting styles it with the classes it has by then)."""
        if self.is_attached:
            super().update_node_styles(animate)


class ScrollbarsDrawnWithLayout(_WidgetMixin):
    """For a scrolling widget: scrollbars changed by a layout are drawn in that layout's frame only.

    A layout that changes the widget's size or virtual size redraws its whole region, scrollbars
    included, in the frame it ends with; the repaint the scrollbars ask for as the layout updates them
    would only send the same cells again one frame later (17-33 ms, e.g. as the class list below a
    filter grows or shrinks).
    """

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size,
                      layout: bool = True) -> bool:
        changed = super()._size_updated(size, virtual_size, container_size, layout)
        if changed and layout:
            for scrollbar in (self._vertical_scrollbar, self._horizontal_scrollbar):
                if scrollbar is not None:
                    scrollbar._repaint_required = False
        return bool(changed)


class QuietInput(OrderedInput):
    """An Input that repaints itself, without a screen layout, as its text grows or shrinks."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)


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


class QuietStatic(Static):
    """A Static whose new size, once a layout has settled it, asks for neither a layout nor a repaint.

    The layout that sized it has drawn it at that size already; Textual would still lay out the whole
    screen again (a second frame, ~10 ms later) whenever the text above or below the step body changes
    height from one step to the next. Changing its content (`update`) still lays the screen out.
    """

    virtual_size: Reactive[Size] = laid_out_virtual_size()


class QuietButton(StyledWhenAttached, CompactButton):
    """A Button whose size, settled by the layout that showed it, asks for no second layout (Save and
    Launch, hidden until Review, are sized the first time Review shows; see `QuietStatic`)."""

    virtual_size: Reactive[Size] = laid_out_virtual_size()


class QuietSwitcher(ContentSwitcher):
    """A ContentSwitcher whose new size, once a layout has settled it, asks for no second layout.

    Its size changes with the help text above it from step to step; its children were arranged at that
    size in the same layout (see `QuietStatic`).
    """

    virtual_size: Reactive[Size] = laid_out_virtual_size()
