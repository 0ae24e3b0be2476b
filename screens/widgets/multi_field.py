"""A field of several values from a list (security groups, log exports)."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.widgets import SelectionList

from screens.widgets.field_factory import FieldWidget, choice_prompt
from screens.widgets.marked_toggles import MarkedSelectionList
from wizard.spec.values import format_value

if TYPE_CHECKING:
    from wizard.choices import Choice


class MultiField(FieldWidget):
    """Several values from a list (security groups, log exports)."""

    def compose_control(self) -> ComposeResult:
        """A compact selection list that marks ticked options by shape."""
        yield MarkedSelectionList(compact=True, classes="field-multi")

    def apply_choices(self, choices: list[Choice], value: Any) -> None:
        """Fill the list, ticking what the spec holds."""
        chosen = set(value or [])
        selection: SelectionList[str] = self.query_one(".field-multi", SelectionList)
        with selection.prevent(SelectionList.SelectedChanged):
            selection.clear_options()
            selection.add_options([(choice_prompt(c), str(c.value), str(c.value) in chosen)
                                   for c in choices if not c.disabled_reason])

    def load_value(self, value: Any) -> None:
        """Tick exactly the values in `value`."""
        self._last_raw = format_value(value)
        chosen = set(value or [])
        selection: SelectionList[str] = self.query_one(".field-multi", SelectionList)
        if set(selection.selected) == chosen:
            return  # unticking and ticking the same again would only repaint the list
        with selection.prevent(SelectionList.SelectedChanged):
            selection.deselect_all()
            for item in chosen:
                with contextlib.suppress(Exception):  # not offered (yet)
                    selection.select(item)

    @on(SelectionList.SelectedChanged, ".field-multi")
    def _changed(self, event: SelectionList.SelectedChanged[str]) -> None:
        event.stop()
        self.edited(",".join(event.selection_list.selected))
