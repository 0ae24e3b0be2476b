"""The instance class field: the type-to-filter class picker."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widget import Widget
from textual.widgets import Input

from screens.widgets.class_picker import ClassPicker
from screens.widgets.field_factory import FieldWidget
from screens.widgets.quiet import laid_out_virtual_size
from wizard.spec.values import format_value

if TYPE_CHECKING:
    from wizard.choices import Choice


class ClassField(FieldWidget):
    """The instance class picker."""

    virtual_size: Reactive[Size] = laid_out_virtual_size()

    def compose_control(self) -> ComposeResult:
        """The type-to-filter picker."""
        # `_last_raw` is the value as text until the controls exist (FieldWidget's `_initial` is Textual's
        # TabbedContent's private name).
        yield ClassPicker(self._last_raw or None)

    def apply_choices(self, choices: list[Choice], value: Any) -> None:
        """Offer the classes."""
        picker = self.query_one(ClassPicker)
        picker.set_choices(choices)
        picker.select(format_value(value) or None)

    def load_value(self, value: Any) -> None:
        """Show `value` as chosen."""
        self._last_raw = format_value(value)
        self.query_one(ClassPicker).select(format_value(value) or None)

    def focus_target(self) -> Widget | None:
        """The filter box."""
        return self.query_one(".class-filter", Input)

    def on_class_picker_picked(self, event: ClassPicker.Picked) -> None:
        """A class was picked: an edit."""
        event.stop()
        self.edited(event.value)
