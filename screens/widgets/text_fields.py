"""The fields typed as text: one input line (names, numbers, windows, tags), and the password typed twice."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Input, Static
from textual.widgets.input import Selection

from screens import messages
from screens.widgets.field_factory import FieldWidget
from screens.widgets.quiet_input import QuietInput
from wizard.spec.values import format_value

if TYPE_CHECKING:
    from wizard.spec.problems import Problem


class FieldInput(QuietInput):
    """A field's text box: Enter moves on to the next control, as a form would."""

    _keep_text_on_focus = False

    def keep_text_on_next_focus(self) -> None:
        """Leave the text unselected, the cursor at its end, when the box next takes the focus.

        Textual selects all of an Input's text as it takes the focus, so the next key replaces it: right
        for a Tab into a box, wrong when the wizard moves the focus there itself (a blocked Next, a jump
        to a problem), where the user meant to type on, or did not expect the move (a password).
        """
        self._keep_text_on_focus = True

    def on_focus(self) -> None:
        """Undo the select-all of this focus, if asked to, once the Input has done it."""
        if self._keep_text_on_focus:
            self._keep_text_on_focus = False
            self.call_next(self._cursor_to_end)

    def _cursor_to_end(self) -> None:
        self.selection = Selection.cursor(len(self.value))

    async def action_submit(self) -> None:
        """Submit, and move the focus on at once (see OrderedInput: letters typed after Enter belong to
        the next control)."""
        await super().action_submit()
        self.screen.focus_next()


class TextField(FieldWidget):
    """Free text, integers, windows and tags: one input line."""

    def compose_control(self) -> ComposeResult:
        """A compact input."""
        placeholder = self.step_field.placeholder
        if self.step_field.kind == "window":
            placeholder = messages.WINDOW_PLACEHOLDER.format(example=placeholder)
        elif placeholder:
            placeholder = messages.PLACEHOLDER.format(example=placeholder)
        yield FieldInput(self._last_raw,  # the value as text until the controls exist
                         placeholder=placeholder, compact=True, classes="field-input")

    def load_value(self, value: Any) -> None:
        """Replace the text without posting an edit."""
        self._last_raw = format_value(value)
        field_input = self.query_one(".field-input", Input)
        text = format_value(value)
        if field_input.value != text:
            with field_input.prevent(Input.Changed):
                field_input.value = text

    @on(Input.Changed, ".field-input")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.edited(event.value)

    @on(Input.Submitted, ".field-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()  # FieldInput has moved on already


class PasswordField(FieldWidget):
    """A password typed twice, masked; the confirmation never leaves the widget."""

    def compose_control(self) -> ComposeResult:
        """Two masked inputs."""
        yield FieldInput(password=True, compact=True, classes="field-input password-first")
        yield Static(messages.PASSWORD_CONFIRM, classes="field-label")
        yield FieldInput(password=True, compact=True, classes="field-input password-confirm")

    def focus_target(self) -> Widget | None:
        """The box to type in: the confirmation once the password is typed and it is still empty (a
        blocked Next sends the focus there), else the password."""
        first = self.query_one(".password-first", Input)
        confirm = self.query_one(".password-confirm", Input)
        if first.value and not confirm.value and confirm.focusable:
            return confirm
        return super().focus_target()

    def local_problems(self) -> list[Problem]:
        """A mismatch between the two entries, once the second is typed."""
        from wizard.spec.problems import Problem

        first = self.query_one(".password-first", Input).value
        confirm = self.query_one(".password-confirm", Input).value
        if (confirm and first != confirm) or (first and not confirm):
            return [Problem(self.step_field.path, "MasterUserPassword", messages.PASSWORD_MISMATCH)]
        return []

    @on(Input.Changed, ".password-first")
    def _first_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.edited(event.value)

    @on(Input.Changed, ".password-confirm")
    def _confirm_changed(self, event: Input.Changed) -> None:
        # The password itself is unchanged, but whether the two match must be checked again.
        event.stop()
        self.post_message(self.Edited(self, self.query_one(".password-first", Input).value))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()  # FieldInput has moved on already
