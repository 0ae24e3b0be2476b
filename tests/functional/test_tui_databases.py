"""The Databases screen on the demo through Pilot at 80x24: list, Single-AZ -> Multi-AZ (probe writing),
back, delete with a final snapshot, deletion protection refused then turned off on confirmation."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from demo_support import follow_statuses
from tui_support import until as _until

pytestmark = [pytest.mark.slow, pytest.mark.timeout(280)]

DEMO_SPEED = 300.0
BASE = dict(DBInstanceClass="db.t4g.medium", Engine="postgres", AllocatedStorage=20,
            MasterUsername="app_admin",
            ManageMasterUserPassword=True, DBSubnetGroupName="demo-multi-az", BackupRetentionPeriod=0)


async def until(pilot: Any, condition: Any, what: str, timeout_s: float = 60.0) -> None:
    """tui_support.until, failing with the screen and the action log in the message."""
    try:
        await _until(pilot, condition, what, timeout_s)
    except AssertionError as error:
        states = [s.state for s in pilot.app.screen_stack if hasattr(s, "state")]
        log = "\n".join(states[0].log if states else [])
        raise AssertionError(f"{error}\nscreen {pilot.app.screen!r}, focus {pilot.app.focused!r}\n"
                             f"{log}") from None


def _create(rds: Any, identifier: str, **extra: Any) -> None:
    rds.create_db_instance(DBInstanceIdentifier=identifier, **{**BASE, **extra})
    follow_statuses(rds, identifier)


def _log(screen: Any) -> str:
    return "\n".join(screen.state.log)


async def _select(pilot: Any, screen: Any, identifier: str) -> None:
    from textual.widgets import DataTable

    await until(pilot, lambda: any(r.identifier == identifier for r in screen.state.rows),
                f"{identifier} listed")
    table = screen.query_one("#db-table", DataTable)
    index = next(i for i, r in enumerate(screen.state.rows) if r.identifier == identifier)
    table.move_cursor(row=index)
    await pilot.pause()
    assert screen.state.selected == identifier


async def _confirm(pilot: Any, identifier: str) -> None:
    from screens.dialogs import TypedConfirmScreen

    # Keys pressed before the field has the focus would reach the list's own bindings.
    await until(pilot, lambda: isinstance(pilot.app.screen, TypedConfirmScreen)
                and getattr(pilot.app.focused, "id", None) == "confirm-input", "the confirmation")
    await pilot.pause(0.2)
    await pilot.press(*identifier, "enter")
    await until(pilot, lambda: not isinstance(pilot.app.screen, TypedConfirmScreen),
                "the confirmation to close")


async def test_databases_screen_day2_journey(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from screens.app import make_app
    from screens.databases import DatabasesScreen, DeleteDialog
    from wizard.aws.gateway import ConnectionOptions

    monkeypatch.setenv("RDS_WIZARD_HOME", str(tmp_path))
    app = make_app(connection=ConnectionOptions(demo=True, demo_speed=DEMO_SPEED), resume=False,
                   start_databases=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.gateway is not None, "the demo to start")
        screen = app.screen
        assert isinstance(screen, DatabasesScreen)
        assert "Databases" in app.export_screenshot()
        rds = app.gateway.client("rds")  # type: ignore[union-attr]
        await asyncio.to_thread(_create, rds, "tui-db", MultiAZ=False)
        [record] = rds.describe_db_instances(DBInstanceIdentifier="tui-db")["DBInstances"]
        endpoint = record["Endpoint"]["Address"]
        assert app.gateway.resolve(endpoint)  # type: ignore[union-attr]
        await pilot.press("r")
        await _select(pilot, screen, "tui-db")
        assert "tui-db" in app.export_screenshot()

        # Single-AZ -> Multi-AZ, the probe writing all along.
        await pilot.press("m")
        await _confirm(pilot, "tui-db")
        await until(pilot, lambda: "Finished applying modification to convert to a Multi-AZ" in _log(screen)
                    and not screen.state.running, "the conversion", timeout_s=120)
        log = _log(screen)
        if app.gateway.notices() == []:  # type: ignore[union-attr]  # real PostgreSQL behind the demo
            assert "Writes were never interrupted" in log and "no committed row was lost" in log
        await until(pilot, lambda: screen.state.row is not None and screen.state.row.multi_az
                    and screen.state.row.secondary_availability_zone is not None, "the standby listed")
        assert "press t to run the failover test" in log

        # Reboot: with failover, since it is Multi-AZ now.
        before = screen.state.row
        await pilot.press("b")
        await _confirm(pilot, "tui-db")
        await until(pilot, lambda: "Multi-AZ instance failover completed." in _log(screen)
                    and not screen.state.running, "the reboot with failover", timeout_s=120)
        await until(pilot, lambda: screen.state.row is not None
                    and screen.state.row.availability_zone == before.secondary_availability_zone,
                    "the primary listed in the old standby's AZ")

        # ... and back.
        await pilot.press("m")
        await _confirm(pilot, "tui-db")
        await until(pilot, lambda: "convert to a Single-AZ DB instance" in _log(screen)
                    and not screen.state.running, "back to Single-AZ", timeout_s=120)

        # Delete with the proposed final snapshot.
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, DeleteDialog), "the delete dialog")
        await pilot.press("enter")
        await _confirm(pilot, "tui-db")
        await until(pilot, lambda: "tui-db is deleted." in _log(screen), "the delete", timeout_s=120)
        snapshots = rds.describe_db_snapshots(DBInstanceIdentifier="tui-db")["DBSnapshots"]
        assert [s["Status"] for s in snapshots] == ["available"]
        assert app.gateway.resolve(endpoint) == []  # type: ignore[union-attr]  # nothing left running

        # Deletion protection: refused, turned off as its own confirmed change, then deleted.
        await asyncio.to_thread(_create, rds, "kept-db", MultiAZ=False, DeletionProtection=True)
        await pilot.press("r")
        await _select(pilot, screen, "kept-db")
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, DeleteDialog), "the delete dialog")
        await pilot.press("enter")
        await until(pilot, lambda: "deletion protection turned on" in _log(screen), "the refusal")
        await _confirm(pilot, "kept-db")  # turn deletion protection off
        await until(pilot, lambda: "press d to delete it" in _log(screen) and not screen.state.running,
                    "deletion protection off")
        assert screen.state.rows and "kept-db" in [r.identifier for r in screen.state.rows]
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, DeleteDialog), "the delete dialog")
        await pilot.press("enter")
        await _confirm(pilot, "kept-db")
        await until(pilot, lambda: "kept-db is deleted." in _log(screen), "the delete", timeout_s=120)
