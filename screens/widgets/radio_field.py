"""A field of a few options, each a radio button with its one-line description (credentials, deployment)."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import RadioButton, RadioSet

from screens.widgets.field_factory import FieldWidget
from screens.widgets.marked_toggles import MarkedRadioButton
from wizard.spec.values import format_value

if TYPE_CHECKING:
    from wizard.choices import Choice

# Radio descriptions are wrapped to fit the step body at 80 columns (the label sits after the button).
RADIO_TEXT_WIDTH = 52


class RadioField(FieldWidget):
    """A few options, each with its one-line description (credentials, deployment)."""

    def compose_control(self) -> ComposeResult:
        """An empty radio set filled when the choices arrive."""
        yield RadioSet(compact=True, classes="field-radio")

    def apply_choices(self, choices: list[Choice], value: Any) -> None:
        """Replace the radio set (a new set learns which button is on as it mounts)."""
        text = format_value(value)
        buttons = []
        for choice in choices:
            notes = [(line, "dim") for line in textwrap.wrap(choice.description, RADIO_TEXT_WIDTH)]
            reason = choice.disabled_reason or ""
            notes += [(line, "italic") for line in textwrap.wrap(reason, RADIO_TEXT_WIDTH)]
            buttons.append(MarkedRadioButton(Text(choice.label, style="bold"), str(choice.value) == text,
                                             notes=notes, disabled=bool(choice.disabled_reason),
                                             name=str(choice.value)))
        old = self.query_one(".field-radio", RadioSet)
        had_focus = old.has_focus
        new = RadioSet(*buttons, compact=True, classes="field-radio")
        self.mount(new, before=old)
        old.remove()
        if had_focus:
            new.focus()
        new.call_after_refresh(_highlight_pressed, new)

    def load_value(self, value: Any) -> None:
        """Press the button for `value`."""
        self._last_raw = format_value(value)
        text = format_value(value)
        radio_set = self.query_one(".field-radio", RadioSet)
        with radio_set.prevent(RadioSet.Changed):
            for button in radio_set.query(RadioButton):
                if button.name == text and not button.value:
                    button.value = True

    @on(RadioSet.Changed, ".field-radio")
    def _changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        if event.pressed.name:
            self.edited(event.pressed.name)


def _highlight_pressed(radio_set: RadioSet) -> None:
    # A radio set highlights its first button when mounted; arrows should start from the chosen one.
    # RadioSet offers no public setter for its highlight: step it on until it is on the pressed button.
    pressed = radio_set.pressed_button
    if pressed is None:
        return
    for _ in range(len(radio_set.children)):
        if pressed.has_class("-selected"):
            return
        radio_set.action_next_button()
