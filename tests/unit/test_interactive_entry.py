"""`rds-wizard` with no subcommand: when it uses plain prompts, and how it refuses an unreadable preset."""

from __future__ import annotations

import argparse
import sys

import pytest

from wizard.commands import interactive


def _args(**kwargs: object) -> argparse.Namespace:
    base = {"plain": False, "preset": None, "demo": True, "demo_speed": None, "profile": None, "region": None,
            "endpoint_url": None}
    base.update(kwargs)
    return argparse.Namespace(**base)


@pytest.fixture
def tty(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.setenv("TERM", "xterm-256color")


def test_full_screen_on_a_terminal(tty: None) -> None:
    assert not interactive.wants_plain(_args())


def test_plain_when_asked_or_on_a_dumb_terminal(tty: None, monkeypatch: pytest.MonkeyPatch) -> None:
    assert interactive.wants_plain(_args(plain=True))
    monkeypatch.setenv("TERM", "dumb")
    assert interactive.wants_plain(_args())


def test_plain_without_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)
    assert interactive.wants_plain(_args())


def test_an_unreadable_preset_is_a_usage_error(tmp_path: object, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("RDS_WIZARD_HOME", str(tmp_path))
    monkeypatch.setattr(interactive, "wants_plain", lambda _args: False)
    assert interactive.run(_args(preset="no-such-preset")) == 2
    assert "no-such-preset" in capsys.readouterr().err
