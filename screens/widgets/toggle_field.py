"""An on/off field: a checkbox that carries the label."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Checkbox

from screens.widgets.field_factory import FieldWidget
from screens.widgets.marked_toggles import MarkedCheckbox
from wizard.spec.values import format_value


class ToggleField(FieldWidget):
    """On or off: a checkbox that carries the label."""

    show_label = False

    def compose_control(self) -> ComposeResult:
        """One compact checkbox."""
        # Ticked if the value, as text until the controls exist, is "yes".
        ticked = self._last_raw == format_value(True)
        yield MarkedCheckbox(Text(self.step_field.label, style="bold"), ticked, compact=True,
                             classes="field-toggle")

    def load_value(self, value: Any) -> None:
        """Tick or untick without posting an edit."""
        self._last_raw = format_value(value)
        checkbox = self.query_one(".field-toggle", Checkbox)
        with checkbox.prevent(Checkbox.Changed):
            checkbox.value = bool(value)

    @on(Checkbox.Changed, ".field-toggle")
    def _changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        self.edited("true" if event.value else "false")
