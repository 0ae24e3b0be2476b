"""Widgets whose changing size or content does not lay out (or restyle) the whole screen again.

Textual declares every widget's virtual (scrollable) size as a layout property, and a layout is always of
the whole screen. An Input's virtual size changes with every character typed and an OptionList's with
every new set of options, so on a screen of some sixty widgets each keystroke cost a full layout. The
virtual size only scrolls the widget's own content, which both update themselves; a
scrollbar that appears or goes still asks for a layout, and so does an OptionList whose height changes.
Here are those of the wizard's screen; the Input (`quiet_input`) and the lists (`quiet_lists`) are in
modules of their own, imported by the steps that show them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.geometry import Size
from textual.reactive import Reactive
from textual.widget import Widget
from textual.widgets import ContentSwitcher, Static

from screens.widgets.compact_button import CompactButton


# For a container whose virtual size is only ever what a layout computed for it (its content's height):
# Textual asks for another whole-screen layout whenever a layout changes a widget's virtual size, which
# for such a container changes nothing but costs a second layout and frame as the class list grows or
# shrinks.
def laid_out_virtual_size() -> Reactive[Size]:
    """A `virtual_size` for such a container that asks for no layout or repaint when a layout sets it."""
    return Reactive(Size(0, 0), layout=False, repaint=False)


# A mixin, not a Widget: Textual takes a widget's CSS type names (OptionList, VerticalScroll...) from its
# first DOMNode base only.
if TYPE_CHECKING:
    _WidgetMixin = Widget
else:
    _WidgetMixin = object


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
    """Nothing any more: it kept a scrolling widget's scrollbars from asking for a repaint after a layout,
    through Textual's private members, and Textual's own behaviour (one more frame) is accepted instead.
    Kept only while `screens/step_view.py` still names it; remove both together."""


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
