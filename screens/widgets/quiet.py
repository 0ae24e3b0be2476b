"""An Input and an OptionList whose changing content does not lay out the whole screen again.

Textual declares every widget's virtual (scrollable) size as a layout property, and a layout is always of
the whole screen. An Input's virtual size changes with every character typed and an OptionList's with
every new set of options, so on a screen of some sixty widgets each keystroke cost a full layout. The
virtual size only scrolls the widget's own content, which both update themselves (`_scroll_update`); a
scrollbar that appears or goes still asks for a layout, and so does an OptionList whose height changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Self

from textual import events
from textual.css.scalar import Unit
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Button, ContentSwitcher, Input, OptionList, SelectionList, Static
from textual.widgets._option_list import OptionListContent


class QuietInput(Input):
    """An Input that repaints itself, without a screen layout, as its text grows or shrinks."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)


class ReshownOptionList(OptionList):
    """An OptionList that keeps its rendered lines when it is shown again at the size it had."""

    _lines_for: Size | None = None

    def _on_resize(self, event: events.Resize) -> None:
        # Textual sends Resize to every widget that comes into view (a step shown again), and an
        # OptionList then throws away its rendered lines and repaints: a second frame for nothing.
        if event.size == self._lines_for:
            event.prevent_default()
        self._lines_for = event.size


class QuietOptionList(ReshownOptionList):
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
        before = self._height_for(self.virtual_size.height)
        sized = bool(self.scrollable_content_region)
        self._quiet = sized
        try:
            super().set_options(options)
        finally:
            self._quiet = False
        if not sized or self._height_for(self.virtual_size.height) != before:
            self.refresh(layout=True)
        return self

    def _height_for(self, lines: int) -> int:
        cap = self.styles.max_height
        if cap is not None and cap.unit == Unit.CELLS:
            return min(lines, int(cap.value))
        return lines


class QuietStatic(Static):
    """A Static whose new size, once a layout has settled it, asks for neither a layout nor a repaint.

    The layout that sized it has drawn it at that size already; Textual would still lay out the whole
    screen again (a second frame, ~10 ms later) whenever the text above or below the step body changes
    height from one step to the next. Changing its content (`update`) still lays the screen out.
    """

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False, repaint=False)


class QuietButton(Button):
    """A Button whose size, settled by the layout that showed it, asks for no second layout (Save and
    Launch, hidden until Review, are sized the first time Review shows; see `QuietStatic`)."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False, repaint=False)


class QuietSwitcher(ContentSwitcher):
    """A ContentSwitcher whose new size, once a layout has settled it, asks for no second layout.

    Its size changes with the help text above it from step to step; its children were arranged at that
    size in the same layout (see `QuietStatic`).
    """

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False, repaint=False)


class QuietSelectionList(ReshownOptionList, SelectionList[str]):
    """A SelectionList that keeps its rendered lines when its step is shown again."""
