"""The Textual wizard shows hostile values as typed: Rich markup in a value stays text, an escape sequence
is spelled out, in the Review table, the CLI command under it, and the toasts that quote a preset."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from tui_support import MemoryCatalog, record_notifications, settle

from screens.app import WizardApp, make_app

SIZE = (80, 24)
SECRET = "Canary-Secret-7f3a"


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("RDS_WIZARD_HOME", str(tmp_path))
    return tmp_path


def _app() -> WizardApp:
    return make_app(catalog=MemoryCatalog(), demo=True, resume=False)


def _plain(renderable: Any) -> str:
    """What a Rich renderable reads as once drawn (markup applied, if it were taken as markup)."""
    console = Console(width=300, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


def _raw_free(text: str) -> bool:
    return not any(raw in text for raw in ("\x1b", "\x07", "\x9b", "\u202e"))


async def test_review_shows_markup_and_escapes_in_values_literally(tmp_path: Path) -> None:
    preset = tmp_path / "hostile.toml"
    builtin = Path(__file__).resolve().parents[2] / "presets" / "production-postgres.toml"
    preset.write_text(builtin.read_text()
                      .replace('identifier = "', 'identifier = "[bold]x[/bold]\\u001b]0;owned\\u0007', 1))
    app = _app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.load_preset(str(preset))
        await settle(pilot)
        assert app.spec.settings.identifier.startswith("[bold]x[/bold]\x1b]0;owned\x07")  # kept as given
        await app.wizard_screen.jump("review")
        await settle(pilot)
        settings = " ".join(_plain(s.content) for s in app.screen.query("#step-review .review-settings"))
        cli = " ".join(str(s.render()) for s in app.screen.query("#step-review .review-cli"))
        assert "[bold]x[/bold]\\x1b]0;owned\\x07" in settings
        assert "\\x1b]0;owned\\x07" in cli
        assert _raw_free(settings) and _raw_free(cli)


@pytest.mark.parametrize(("content", "expected"), [
    (f'[extra_parameters]\nProcessorFeatures = [{{Name = "coreCount", MasterUserPassword = "{SECRET}"}}]\n',
     "extra_parameters.ProcessorFeatures[0].MasterUserPassword"),
    ('"[red]unknown\\u001b[2J[/red]" = 1\n', "[red]unknown\\x1b[2J[/red]"),
    ("a = " + "[" * 5000 + "]" * 5000 + "\n", "nested more than 64 levels deep"),
], ids=["password-in-a-list", "markup-and-escape-in-a-key", "nested-too-deep"])
async def test_a_failed_preset_load_is_told_as_plain_text(tmp_path: Path, content: str,
                                                          expected: str) -> None:
    preset = tmp_path / "[b]bad.toml"
    preset.write_text(content)
    app = _app()
    notified = record_notifications(app)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        app.load_preset(str(preset))
        await settle(pilot)
        toasts = [n for n in notified if n.severity == "error"]
        assert toasts, "the failed load was not told"
        text = toasts[-1].message
        assert expected in text and "[b]bad.toml" in text
        assert not toasts[-1].markup
        assert SECRET not in text and _raw_free(text)
