"""The wizard's button: one line, no border, with only the style rules such a button uses.

Textual's Button brings 7 kB of style rules (every variant in three looks, with their borders), all parsed
before the first frame that shows one: ~4 ms of a start. The rules below are the ones of its default look
when compact, and of its ANSI-colour look (the textual-ansi theme), as Textual 8.2.8 defines them.

Not inheriting Button's rules also means not having its CSS type name: select these as `CompactButton`
(`query(CompactButton)`, `#nav CompactButton`); `query(Button)` finds none of them.
"""

from __future__ import annotations

from textual.content import ContentText
from textual.widgets import Button
from textual.widgets.button import ButtonVariant


class CompactButton(Button, inherit_css=False):
    """A compact Button (default, primary, success, warning or error) styled by its own few rules."""

    DEFAULT_CSS = """
    CompactButton {
        width: auto;
        min-width: 16;
        height: auto;
        line-pad: 1;
        text-align: center;
        content-align: center middle;
        pointer: pointer;
        text-style: bold;
        color: $button-foreground;
        background: $surface;

        &:disabled {
            text-opacity: 0.6;
            pointer: not-allowed;
        }
        &:focus {
            text-style: $button-focus-text-style;
            background-tint: $foreground 5%;
        }
        &:hover {
            background: $surface-darken-1;
        }
        &.-active {
            background: $surface;
            tint: $background 30%;
        }
        &.-primary {
            color: $button-color-foreground;
            background: $primary;
            &:hover { background: $primary-darken-2; }
            &.-active { background: $primary; }
        }
        &.-success {
            color: $button-color-foreground;
            background: $success;
            &:hover { background: $success-darken-2; }
            &.-active { background: $success; }
        }
        &.-warning {
            color: $button-color-foreground;
            background: $warning;
            &:hover { background: $warning-darken-2; }
            &.-active { background: $warning; }
        }
        &.-error {
            color: $button-color-foreground;
            background: $error;
            &:hover { background: $error-darken-1; }
            &.-active { background: $error; }
        }

        &:ansi {
            background: ansi_default;
            &:disabled {
                text-opacity: 1;
                text-style: bold dim;
                background: ansi_default !important;
            }
            &:hover { background: $ansi-background; }
            &.-active {
                background: $ansi-background !important;
                tint: transparent;
            }
            &.-primary { color: $primary; }
            &.-success { color: $success; }
            &.-warning { color: $warning; }
            &.-error { color: $error; }
        }
    }
    """

    def __init__(self, label: ContentText, variant: ButtonVariant = "default", *,
                 name: str | None = None, id: str | None = None, classes: str | None = None,
                 disabled: bool = False) -> None:
        super().__init__(label, variant, compact=True, name=name, id=id, classes=classes, disabled=disabled)
