"""The wizard's drop-down: Textual's Select, compact, as it comes.

A drop-down of its own that drew its value line and mounted its list on first opening made a step's first
frame cheaper, but only by overriding Select's private methods; Textual's Select is used as it is, through
its public API, and its look set in the stylesheet.
"""

from __future__ import annotations

from textual.widgets import Select

from screens.widgets.quiet import StyledWhenAttached


class DropDown(StyledWhenAttached, Select[str]):
    """A Select of string values, styled once as it mounts (it is made compact, with classes)."""
