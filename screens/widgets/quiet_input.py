"""An Input whose growing or shrinking text does not lay out the whole screen again (see `quiet`)."""

from __future__ import annotations

from textual.geometry import Size
from textual.reactive import Reactive

from screens.widgets.ordered_input import OrderedInput


class QuietInput(OrderedInput):
    """An Input that repaints itself, without a screen layout, as its text grows or shrinks."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)
