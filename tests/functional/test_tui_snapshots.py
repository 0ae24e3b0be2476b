"""Snapshots of every wizard step at 80x24 (Review at 120x40 too, and the message below 80x24)
(pytest-textual-snapshot), on the in-memory catalog.

Regenerate with `pytest tests/functional/test_tui_snapshots.py --snapshot-update` only after looking at
the report of what changed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input
from tui_support import MemoryCatalog, settle

from screens.app import WizardApp, make_app

SIZE = (80, 24)


@pytest.fixture(autouse=True)
def _steady(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RDS_WIZARD_HOME", str(tmp_path))
    # A blinking cursor would make every other screenshot differ: every Input is made with its public
    # `cursor_blink` off.
    made = Input.__init__

    def made_still(self: Input, *args: Any, **kwargs: Any) -> None:
        made(self, *args, **kwargs)
        self.cursor_blink = False

    monkeypatch.setattr(Input, "__init__", made_still)


def _app() -> WizardApp:
    return make_app(catalog=MemoryCatalog(), demo=True, resume=False)


def _to(step: str, edits: Callable[[Pilot[Any]], Awaitable[None]] | None = None) -> Callable[[Pilot[Any]],
                                                                                              Awaitable[None]]:
    async def run_before(pilot: Pilot[Any]) -> None:
        app: WizardApp = pilot.app  # type: ignore[assignment]
        await settle(pilot)
        while app.wizard_screen.step.key != step:
            if app.wizard_screen.step.key == "instance" and not app.spec.settings.identifier:
                box = app.screen.query_one("#field-settings-identifier Input", Input)
                box.focus()
                await pilot.press(*"orders-db")
            await pilot.press("ctrl+n")
            await settle(pilot)
        if edits is not None:
            await edits(pilot)
            await settle(pilot)

    return run_before


async def _bad_identifier(pilot: Pilot[Any]) -> None:
    box = pilot.app.screen.query_one("#field-settings-identifier Input", Input)
    box.focus()
    box.value = ""
    await pilot.press(*"1bad--name", "ctrl+n")


async def _overlapping_windows(pilot: Pilot[Any]) -> None:
    for path, text in (("backup-window", "05:00-05:30"), ("maintenance-window", "sun:05:00-sun:05:30")):
        box = pilot.app.screen.query_one(f"#field-{path} Input", Input)
        box.focus()
        await pilot.press(*text)
    pilot.app.screen.query_one("#step-backup").scroll_to_widget(pilot.app.screen.query_one(".window-chart"),
                                                                animate=False, top=True)


async def _quit(pilot: Pilot[Any]) -> None:
    await pilot.press("ctrl+q")


def test_engine_step(snap_compare: Any) -> None:
    assert snap_compare(_app(), terminal_size=SIZE, run_before=_to("engine"))


def test_instance_step(snap_compare: Any) -> None:
    assert snap_compare(_app(), terminal_size=SIZE, run_before=_to("instance"))


def test_instance_step_blocked_by_an_error(snap_compare: Any) -> None:
    assert snap_compare(_app(), terminal_size=SIZE, run_before=_to("instance", _bad_identifier))


def test_availability_step_with_diagram(snap_compare: Any) -> None:
    assert snap_compare(_app(), terminal_size=SIZE, run_before=_to("availability"))


def test_network_step(snap_compare: Any) -> None:
    assert snap_compare(_app(), terminal_size=SIZE, run_before=_to("network"))


def test_backup_step_with_overlapping_windows(snap_compare: Any) -> None:
    assert snap_compare(_app(), terminal_size=SIZE, run_before=_to("backup", _overlapping_windows))


def test_review_step(snap_compare: Any) -> None:
    assert snap_compare(_app(), terminal_size=SIZE, run_before=_to("review"))


def test_quit_asks_about_the_draft(snap_compare: Any) -> None:
    assert snap_compare(_app(), terminal_size=SIZE, run_before=_to("network", _quit))


def test_review_step_at_120x40(snap_compare: Any) -> None:
    assert snap_compare(_app(), terminal_size=(120, 40), run_before=_to("review"))


async def _security_group_ticked(pilot: Pilot[Any]) -> None:
    selection = pilot.app.screen.query_one("#field-connectivity-security_group_ids SelectionList")
    pilot.app.screen.query_one("#step-network").scroll_to_widget(selection, animate=False, top=True)
    selection.focus()
    await pilot.press("down", "space")


def test_network_step_security_groups_ticked_and_unticked(snap_compare: Any) -> None:
    assert snap_compare(_app(), terminal_size=SIZE, run_before=_to("network", _security_group_ticked))


def test_too_small_terminal_says_it_needs_80x24(snap_compare: Any) -> None:
    assert snap_compare(_app(), terminal_size=(70, 20), run_before=settle)
