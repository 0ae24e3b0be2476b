"""Small modal questions: quit (keep a draft?), resume a draft, and the name to save a preset under."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from screens import messages
from screens.widgets.button_row import ButtonRow
from screens.widgets.compact_button import CompactButton
from screens.widgets.ordered_input import OrderedInput


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
