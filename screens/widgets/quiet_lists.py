"""An OptionList whose new options do not lay out the whole screen again (see `quiet`), and lists that keep
their lines through a resize of the same width.

An OptionList's virtual size changes with every new set of options; it only scrolls the list's own
content, which the list updates itself. A list whose height changes still asks for a layout.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Self

from textual import events
from textual.css.scalar import Unit
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import OptionList
from textual.widgets.option_list import Option

# A mixin, not a Widget: Textual takes a widget's CSS type names from its first DOMNode base only.
if TYPE_CHECKING:
    _OptionListMixin = OptionList
else:
    _OptionListMixin = object


class LinesKeptThroughResize(_OptionListMixin):
    """For an OptionList (or SelectionList): its measured and drawn lines are kept through a resize of the
    same width. OptionList throws them away on every resize, and Textual sends Resize to every widget
    that comes into view, so a step shown again measured and drew its lists afresh: a second frame after
    the layout that had already drawn them. They depend only on the width."""

    _lines_width = -1

    def on_resize(self, event: events.Resize) -> None:
        """Keep the lines (no default handling, which drops them) unless the width changed."""
        width = self.scrollable_content_region.width
        if width == self._lines_width:
            event.prevent_default()
        self._lines_width = width


class QuietOptionList(LinesKeptThroughResize, OptionList):
    """An OptionList (of auto height) that asks for a screen layout only when its height changes."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)
    _quiet = False

    def refresh(self, *regions: object, repaint: bool = True, layout: bool = False,
                recompose: bool = False) -> Self:
        """Refresh, leaving out the layout `set_options` asks for when the height stays the same."""
        return super().refresh(*regions, repaint=repaint,  # type: ignore[arg-type]
                               layout=layout and not self._quiet, recompose=recompose)

    def set_options(self, options: Iterable[Option]) -> Self:  # type: ignore[override]
        """Replace the options; lay the screen out again only if the list's height changes."""
        options = list(options)
        current = self.options
        if current and len(options) == len(current) and all(
                new is old for new, old in zip(options, current, strict=True)):
            # The same Option objects in the same order: its lines and the option indices in them stay
            # right. Only what set_options would also reset: no highlight, back to the top.
            self.highlighted = None
            self.scroll_y = 0
            return self
        before = self._height_for(self.virtual_size.height)
        sized = bool(self.scrollable_content_region)
        self._quiet = sized
        try:
            super().set_options(options)
        finally:
            self._quiet = False
        self._lines_width = -1  # new lines: measured again at the next resize
        if not sized or self._height_for(self.virtual_size.height) != before:
            self.refresh(layout=True)
        return self

    def _height_for(self, lines: int) -> int:
        cap = self.styles.max_height
        if cap is not None and cap.unit == Unit.CELLS:
            return min(lines, int(cap.value))
        return lines
