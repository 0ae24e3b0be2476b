"""Render a `wizard.steps.StepField` by its kind: a label, the control, one help line and its messages.

The widgets only collect what the user types or picks; parsing and rules stay in `wizard.spec`. Each
edit is posted as `FieldWidget.Edited(path, raw)` with the raw text (or value) for `set_value`. Here are
the base and the drop-down field (all the first screen shows); every other kind has its own module,
imported when a step first needs one: each widget class (and Textual widget module) imported is time
before the first frame.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Select, Static

from screens import messages
from screens.widgets.compact_button import CompactButton
from screens.widgets.drop_down import DropDown
from wizard.spec.values import format_value
from wizard.steps import SINGLE_CHOICE_KINDS

if TYPE_CHECKING:
    from wizard.choices import Choice
    from wizard.spec.problems import Problem
    from wizard.steps import StepField


def field_id(path: str) -> str:
    """The widget id of the field for a spec path."""
    return "field-" + path.replace(".", "-")


class FieldWidget(Vertical):
    """Base of every field: label, control (from `compose_control`), help line and message line.

    Parts most fields never show are mounted the first time they are needed (the message line, the
    Retry button): every widget on a step is styled, laid out and drawn before the step's first frame.
    """

    class Edited(Message):
        """The user changed a field: `raw` goes to `wizard.spec.fields.set_value`."""

        def __init__(self, field_widget: FieldWidget, raw: Any) -> None:
            super().__init__()
            self.field_widget = field_widget
            self.raw = raw

        @property
        def path(self) -> str:
            """The spec path of the field."""
            return self.field_widget.step_field.path

    class RetryRequested(Message):
        """The user asked to load a field's choices again."""

    show_label = True

    def __init__(self, step_field: StepField, value: Any) -> None:
        super().__init__(classes="field", id=field_id(step_field.path))
        self.step_field = step_field
        self._start_value = value
        self._last_raw = format_value(value)
        self.choices: list[Choice] | None = None
        # What arrived before the children were composed (a field inside a collapsed section).
        self._pending_problems: list[Problem] = []
        self._pending_choices: tuple[list[Choice], Any] | None = None
        self._pending_status: tuple[str, bool] | None = None
        self._pending_value: list[Any] = []  # a value from the spec, once the controls are composed
        # The help line, which also says that the choices are loading (see `show_notes`).
        self._notes: Static | None = None
        # Why the choices could not be loaded, beside a Retry button: mounted when first needed.
        self._retry_row: Widget | None = None
        self._retry_text: Static | None = None
        self._retry_button: Button | None = None
        self._shown_problems: list[Problem] | None = None
        self._shown_status: tuple[str, bool] | None = None

    def on_mount(self) -> None:
        """Apply what arrived before the field was composed."""
        self.call_after_refresh(self._apply_pending)

    def _apply_pending(self) -> None:
        if self._pending_value:
            self.load_value(self._pending_value.pop())
        if self._pending_choices is not None:
            choices, value = self._pending_choices
            self._pending_choices = None
            self.apply_choices(choices, value)
        if self._pending_status is not None:
            self._status(*self._pending_status)
        self.show_problems(self._pending_problems)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Mark the field as the one with the focus (its label shows it, see wizard.tcss): a compact
        control's own focus colour is faint. A class, as `:focus-within` leaves the label unrestyled."""
        self.add_class("-focused")

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        """The focus left this field's control."""
        self.remove_class("-focused")

    def _controls_composed(self) -> bool:
        # Mounted, not merely with children: a field's children are attached before their own parts
        # (the status text inside its row), which are there once the field has mounted.
        return self.is_mounted

    def compose(self) -> ComposeResult:
        """Label, control and help; a failed load's Retry and the messages come when needed."""
        if self.show_label:
            label = Text(self.step_field.label, style="bold")
            if self.step_field.optional:
                label.append(f"  ({messages.OPTIONAL})", style="dim")
            # A Static, not a Label: the same text, without Label's style sheet to parse and match.
            yield Static(label, classes="field-label")
        yield from self.compose_control()
        if self._pending_status is not None and not self._pending_status[1]:
            # Already known to be loading (see `WizardScreen._build_step`): made so, not restyled at once.
            self._shown_status = self._pending_status
        self._notes = Static(self._notes_text(), classes="field-help -loading" if self._loading_note
                             else "field-help")
        yield self._notes

    @property
    def _loading_note(self) -> str:
        """What the help line says of the choices: that they are loading, or nothing."""
        status = self._shown_status
        return status[0] if status is not None and not status[1] else ""

    def _notes_text(self) -> str:
        help_shown = not (self.is_attached and self.screen.has_class("-no-help"))
        lines = [self._loading_note] if self._loading_note else []
        if help_shown or not lines:
            lines.append(self.step_field.help)
        return "\n".join(lines)

    def show_notes(self) -> None:
        """The help line, under a line saying the choices are loading while they are; with help hidden
        (F1) only that line. One widget for both: every widget on a step is styled, laid out and drawn
        before its first frame, and every field of the first screen waits for its choices then."""
        if self._notes is not None:
            self._notes.update(self._notes_text())
            self._notes.set_class(bool(self._loading_note), "-loading")

    def compose_control(self) -> ComposeResult:
        """The control(s) for this kind of field."""
        yield from ()

    def show_value(self, value: Any) -> None:
        """Show `value` (from the spec) without posting `Edited`; kept for its controls if the field is not
        composed yet (a field in a folded section that was never opened)."""
        if self._controls_composed():
            self._pending_value.clear()
            self.load_value(value)
            return
        self._start_value = value  # composed from it, if not composed yet
        self._last_raw = format_value(value)
        self._pending_value[:] = [value]
        if self._pending_choices is not None:
            self._pending_choices = (self._pending_choices[0], value)

    def load_value(self, value: Any) -> None:
        """Show `value` (from the spec) in the composed control without posting `Edited`."""
        self._last_raw = format_value(value)

    def focus_target(self) -> Widget | None:
        """The control the keyboard focus goes to, if one can take it."""
        for widget in self.query("Input, Select, RadioSet, Checkbox, SelectionList, OptionList"):
            if widget.focusable:
                return widget
        return None

    def focus_control(self, scroll: bool = True) -> None:
        """Put the keyboard focus on the control (without scrolling to it when `scroll` is False)."""
        target = self.focus_target()
        if target is not None:
            target.focus(scroll_visible=scroll)

    def local_problems(self) -> list[Problem]:
        """Problems only the widget can see (the password confirmation)."""
        return []

    def show_problems(self, problems: Sequence[Problem]) -> None:
        """Show this field's problems under it (errors first) and mark the field."""
        if list(problems) == self._shown_problems:
            return
        self._pending_problems = list(problems)
        if not self._controls_composed():
            return
        self._shown_problems = list(problems)
        ordered = sorted(problems, key=lambda p: not p.is_error)
        found = self.query(".field-message")
        if not ordered:
            if found:
                found.first(Static).update("")
            self.remove_class("-error", "-warning")
            return
        if found:
            message = found.first(Static)
        else:
            message = Static("", classes="field-message")
            self.mount(message)  # last, under the help line
        text = Text()
        for index, problem in enumerate(ordered):
            if index:
                text.append("\n")
            glyph = messages.PROBLEM_ERROR if problem.is_error else messages.PROBLEM_WARNING
            text.append(f"{glyph} {problem.message}", style="bold red" if problem.is_error else "yellow")
        message.update(text)
        self.set_class(ordered[0].is_error, "-error")
        self.set_class(not ordered[0].is_error, "-warning")

    def show_loading(self, text: str = messages.LOADING) -> None:
        """Say the choices are being loaded."""
        self._status(text, retry=False)

    def set_failed(self, text: str) -> None:
        """Say why the choices could not be loaded, with a Retry button."""
        self._status(text, retry=True)

    def set_choices(self, choices: Sequence[Choice], value: Any) -> None:
        """Offer these choices, with `value` selected."""
        same = self.choices is not None and _signature(self.choices) == _signature(choices)
        self.choices = list(choices)
        self._last_raw = format_value(value)
        self._status("", retry=False)
        if same and self._pending_choices is None:
            self.load_value(value)
            return
        if not self._controls_composed():
            self._pending_choices = (self.choices, value)
            return
        self._pending_choices = None
        self.apply_choices(self.choices, value)

    def apply_choices(self, choices: list[Choice], value: Any) -> None:
        """Put the choices into the control (kinds with choices override this)."""

    def _status(self, text: str, retry: bool) -> None:
        if not self.step_field.source:
            return
        self._pending_status = (text, retry)
        if (text, retry) == self._shown_status or not self._controls_composed():
            return
        note = self._loading_note
        self._shown_status = (text, retry)
        if retry and self._retry_row is None:
            self._retry_text = Static("", classes="field-status-text")
            self._retry_button = CompactButton(messages.BUTTON_RETRY, classes="field-retry")
            self._retry_row = Horizontal(self._retry_text, self._retry_button, classes="field-status")
            self.mount(self._retry_row, before=self._notes)
        if self._retry_row is not None and self._retry_text is not None:
            self._retry_text.update(text if retry else "")
            self._retry_row.display = retry and bool(text)
        if self._loading_note != note:
            self.show_notes()

    @on(Button.Pressed, ".field-retry")
    def _retry(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.RetryRequested())

    def edited(self, raw: Any) -> None:
        """Post an edit of this field, unless it only echoes the value already shown (a control
        announces its initial value when it mounts, which may be older than the spec by then)."""
        text = raw if isinstance(raw, str) else format_value(raw)
        if text == self._last_raw:
            return
        self._last_raw = text
        self.post_message(self.Edited(self, raw))


class ChoiceField(FieldWidget):
    """One value from a list (a compact drop-down); optional fields offer "no preference"."""

    def compose_control(self) -> ComposeResult:
        """A drop-down holding only the current value until the choices arrive."""
        value = format_value(self._start_value)
        options = [(value, value)] if value else []
        # A required field with a value offers no blank entry to fall back to.
        yield DropDown(options, value=value if value else Select.NULL, allow_blank=self._blank_allowed(),
                       compact=True,
                       prompt=messages.NO_PREFERENCE if self.step_field.optional else messages.LOADING,
                       classes="field-select")

    def _blank_allowed(self) -> bool:
        return self.step_field.optional or self._start_value is None

    def apply_choices(self, choices: list[Choice], value: Any) -> None:
        """Fill the drop-down; a refused choice stays pickable, marked, so its rule can explain why."""
        select: Select[str] = self.query_one(".field-select", Select)
        options = [(choice_prompt(c), str(c.value)) for c in choices]
        text = format_value(value)
        with select.prevent(Select.Changed):
            select.set_options(options)
            select.prompt = messages.NO_PREFERENCE if self.step_field.optional else "Choose…"
            if text and any(v == text for _, v in options):
                # set_options may already hold this value, leaving the old label on screen: go through
                # "nothing" so the watcher redraws the label.
                select.set_reactive(Select.value, Select.NULL)  # type: ignore[misc]
                select.value = text

    def load_value(self, value: Any) -> None:
        """Select `value` if it is offered."""
        self._last_raw = format_value(value)
        select: Select[str] = self.query_one(".field-select", Select)
        text = format_value(value)
        # A value not offered (yet) raises; the choices load will settle it.
        with select.prevent(Select.Changed), contextlib.suppress(Exception):
            select.value = text if text else Select.NULL

    @on(Select.Changed, ".field-select")
    def _changed(self, event: Select.Changed) -> None:
        event.stop()
        self.edited("" if event.value is Select.NULL else str(event.value))


def _signature(choices: Sequence[Choice]) -> list[tuple[Any, ...]]:
    return [(c.value, c.label, c.description, c.disabled_reason) for c in choices]


def choice_prompt(choice: Choice) -> str:
    """How a choice reads in a list: label, description, and whether it is unavailable."""
    prompt = choice.label
    if choice.description and choice.description != choice.label:
        prompt += f" - {choice.description}"
    if choice.disabled_reason:
        prompt += f" ({messages.UNAVAILABLE})"
    return prompt


def make_field(step_field: StepField, value: Any) -> FieldWidget:
    """The widget for a step field, by its declared kind."""
    if step_field.kind == "password":
        from screens.widgets.text_fields import PasswordField

        return PasswordField(step_field, value)
    if step_field.kind == "toggle":
        from screens.widgets.toggle_field import ToggleField

        return ToggleField(step_field, value)
    if step_field.kind == "multi-choice":
        from screens.widgets.multi_field import MultiField

        return MultiField(step_field, value)
    if step_field.kind == "class":
        from screens.widgets.class_field import ClassField

        return ClassField(step_field, value)
    if step_field.kind == "radio":
        from screens.widgets.radio_field import RadioField

        return RadioField(step_field, value)
    if step_field.kind in SINGLE_CHOICE_KINDS:
        return ChoiceField(step_field, value)
    from screens.widgets.text_fields import TextField

    return TextField(step_field, value)
