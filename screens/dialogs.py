"""Small modal questions: quit (keep a draft?), resume a draft, the name to save a preset under, and the
typed confirmation.

A yes/no button is too easy to press by reflex before an action that bills money, drops connections or
deletes data, so every such action (launch, failover test, delete, promote...) asks for the identifier
typed, the way the console asks for "delete me"; the rule itself is `wizard.confirmation`.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from screens import messages
from screens.widgets.button_row import ButtonRow
from screens.widgets.compact_button import CompactButton
from screens.widgets.ordered_input import OrderedInput
from wizard.confirmation import identifier_confirmed


class QuitDialog(ModalScreen[str | None]):
    """Quit: returns "keep" (keep the draft), "discard", or None to stay. After a launch, `launched` (the
    provisioning screen's note) says what quitting means for the database instead; the answer is then
    "quit" or None."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "stay", "Stay")]

    def __init__(self, launched: str | None = None) -> None:
        super().__init__()
        self._launched = launched

    def compose(self) -> ComposeResult:
        """Question and its buttons."""
        with Vertical(classes="dialog"):
            yield Label(messages.QUIT_TITLE, classes="dialog-title")
            yield Static(self._launched or messages.QUIT_BODY, markup=False)
            with ButtonRow(classes="dialog-buttons"):
                if self._launched:
                    yield CompactButton(messages.QUIT_NOW, variant="primary", id="quit")
                else:
                    yield CompactButton(messages.QUIT_KEEP, variant="primary", id="keep")
                    yield CompactButton(messages.QUIT_DISCARD, variant="error", id="discard")
                yield CompactButton(messages.QUIT_CANCEL, id="stay")

    def on_mount(self) -> None:
        """Keeping the draft is the safe default; after a launch there is no draft to ask about."""
        self.query_one("#quit" if self._launched else "#keep", CompactButton).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None if event.button.id == "stay" else event.button.id)

    def action_stay(self) -> None:
        """Escape: back to the wizard."""
        self.dismiss(None)


class ResumeDialog(ModalScreen[bool]):
    """Resume a draft? True resumes, False starts over."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "start_over", "Start over")]

    def __init__(self, saved_at: str, step_title: str, summary: str) -> None:
        super().__init__()
        self._body = messages.RESUME_BODY.format(saved_at=saved_at, step=step_title, summary=summary)

    def compose(self) -> ComposeResult:
        """Question and two buttons."""
        with Vertical(classes="dialog"):
            yield Label(messages.RESUME_TITLE, classes="dialog-title")
            yield Static(self._body)
            with ButtonRow(classes="dialog-buttons"):
                yield CompactButton(messages.RESUME_YES, variant="primary", id="resume")
                yield CompactButton(messages.RESUME_NO, id="start-over")

    def on_mount(self) -> None:
        """Resuming is the likely wish."""
        self.query_one("#resume", CompactButton).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "resume")

    def action_start_over(self) -> None:
        """Escape: start over."""
        self.dismiss(False)


class SavePresetDialog(ModalScreen[str | None]):
    """Asks for a preset name or path; returns it, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, suggestion: str = "") -> None:
        super().__init__()
        self._suggested_name = suggestion

    def compose(self) -> ComposeResult:
        """Explanation, a name box, and Save / Cancel."""
        with Vertical(classes="dialog"):
            yield Label(messages.SAVE_PRESET_TITLE, classes="dialog-title")
            yield Static(messages.SAVE_PRESET_BODY)
            yield OrderedInput(self._suggested_name, placeholder=messages.SAVE_PRESET_PLACEHOLDER,
                               compact=True, id="preset-name")
            yield Static("", id="preset-error", classes="field-message")
            with ButtonRow(classes="dialog-buttons"):
                yield CompactButton(messages.BUTTON_SAVE, variant="primary", id="save")
                yield CompactButton(messages.BUTTON_CANCEL, id="cancel")

    def on_mount(self) -> None:
        """Start in the name box."""
        self.query_one("#preset-name", Input).focus()

    def _submit(self) -> None:
        name = self.query_one("#preset-name", Input).value.strip()
        if not name:
            self.query_one("#preset-error", Static).update(messages.SAVE_PRESET_EMPTY)
            return
        self.dismiss(name)

    @on(Input.Submitted)
    def _entered(self) -> None:
        self._submit()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self._submit()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        """Escape: do not save."""
        self.dismiss(None)


class TypedConfirmScreen(ModalScreen[bool]):
    """Asks the user to type an identifier before a consequential action; dismisses True only on a match."""

    CSS_PATH = "launch.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]
    # Start in the field, so typing the identifier and Enter is all it takes.
    AUTO_FOCUS = "#confirm-input"

    def __init__(self, *, title: str, body: str, identifier: str, action_label: str,
                 danger: bool = True) -> None:
        super().__init__(classes="typed-confirm")
        self._title_text = title
        self._body = body
        self._identifier = identifier
        self._action_label = action_label
        self._danger = danger

    def compose(self) -> ComposeResult:
        """A dialog: what happens, the field to type into, and the two buttons."""
        with Vertical(id="confirm-dialog", classes="dialog"):
            yield Static(self._title_text, id="confirm-title", classes="dialog-title", markup=False)
            with VerticalScroll(id="confirm-body-scroll"):
                yield Static(self._body, id="confirm-body", markup=False)
            yield Static(messages.CONFIRM_PROMPT.format(identifier=self._identifier), id="confirm-prompt",
                         markup=False)
            yield OrderedInput(placeholder=messages.CONFIRM_PLACEHOLDER, id="confirm-input", compact=True)
            yield Static("", id="confirm-error", markup=False)
            with ButtonRow(id="confirm-buttons", classes="dialog-buttons"):
                yield CompactButton(self._action_label, id="confirm-go",
                                    variant="error" if self._danger else "primary")
                yield CompactButton(messages.CONFIRM_CANCEL, id="confirm-cancel")

    @on(Input.Submitted, "#confirm-input")
    @on(Button.Pressed, "#confirm-go")
    def _try_confirm(self) -> None:
        typed = self.query_one("#confirm-input", Input).value.strip()
        if identifier_confirmed(typed, self._identifier):
            self.dismiss(True)
            return
        error = self.query_one("#confirm-error", Static)
        if typed:
            error.update(messages.CONFIRM_MISMATCH.format(typed=typed, identifier=self._identifier))
        else:
            error.update(messages.CONFIRM_EMPTY.format(identifier=self._identifier))
        self.query_one("#confirm-input", Input).focus()

    @on(Button.Pressed, "#confirm-cancel")
    def action_cancel(self) -> None:
        """Go back without doing anything."""
        self.dismiss(False)
