"""End to end in the TUI on the demo: Review -> Launch -> typed confirmation -> provisioning -> failover.

A known self-managed password runs through the whole flow and must never appear on screen or in any
file written under RDS_WIZARD_HOME.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from pydantic import SecretStr
from textual.widgets import Input, Static
from tui_support import typing_ready, until

if TYPE_CHECKING:
    from wizard.aws.failover import FailoverReport

CANARY = "Canary-Pw-7f3Q9zX1"
DEMO_SPEED = 600.0

pytestmark = [pytest.mark.slow, pytest.mark.timeout(280)]


def _screen_text(app: object) -> str:
    return app.export_screenshot()  # type: ignore[attr-defined, no-any-return]


def _files_under(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


async def _journey(tmp_path: Path, database: str | None = None) -> FailoverReport:
    """Review -> Launch -> provisioning -> failover -> report in the TUI; returns the report."""
    from screens.app import make_app
    from screens.failover import FailoverScreen
    from screens.launch_confirm import LaunchConfirmScreen
    from screens.provisioning import ProvisioningScreen
    from wizard.aws.gateway import ConnectionOptions

    app = make_app(connection=ConnectionOptions(demo=True, demo_speed=DEMO_SPEED), preset="teaching-demo",
                   resume=False)
    captures: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        app.spec.settings.credentials = "self-managed"
        app.spec.settings.master_password = SecretStr(CANARY)
        if database is not None:
            app.spec.database.name = database
        identifier = app.spec.settings.identifier
        await until(pilot, lambda: app.gateway is not None and app.identity is not None, "the demo to start")
        await app.wizard_screen.jump("review")
        await pilot.pause()
        app.action_launch()
        await until(pilot, lambda: typing_ready(app), "the launch confirmation")
        assert isinstance(app.screen, LaunchConfirmScreen)
        captures.append(_screen_text(app))

        # A wrong identifier is refused and nothing is launched.
        await pilot.press(*"not-it", "enter")
        await pilot.pause()
        assert isinstance(app.screen, LaunchConfirmScreen)
        assert "is not" in str(app.screen.query_one("#confirm-error", Static).render())
        app.screen.query_one("#confirm-input", Input).value = ""
        await pilot.press(*identifier, "enter")
        await until(pilot, lambda: isinstance(app.screen, ProvisioningScreen), "the provisioning screen")
        prov = app.screen
        assert isinstance(prov, ProvisioningScreen)
        await until(pilot, lambda: prov.progress is not None and prov.progress.finished, "available")
        assert prov.progress is not None and prov.progress.outcome == "available"
        captures.append(_screen_text(app))
        # Every event once, in the order RDS reported them.
        assert prov.event_lines, "no event was shown"
        assert len(prov.event_lines) == len(set(prov.event_lines))
        assert any("created" in line for line in prov.event_lines)
        ready = str(prov.query_one("#prov-ready", Static).render())
        assert "Endpoint:" in ready and "psql" in ready

        await pilot.press("f")
        await until(pilot, lambda: isinstance(app.screen, FailoverScreen), "the failover screen")
        failover = app.screen
        assert isinstance(failover, FailoverScreen)
        await until(pilot, lambda: failover.phase != "checking", "the preflight")
        assert failover.phase == "ready", failover.query_one("#fo-phase", Static).render()
        captures.append(_screen_text(app))
        await pilot.press("s")
        await until(pilot, lambda: typing_ready(app), "the failover confirmation")
        await pilot.press(*identifier, "enter")
        await until(pilot, lambda: failover.phase == "running", "the failover to start")
        captures.append(_screen_text(app))
        await until(pilot, lambda: failover.phase == "done", "the failover report", timeout_s=300)
        captures.append(_screen_text(app))
        report = failover.report
        assert report is not None
        assert report.verdict in ("pass", "warning"), report.verdict_reasons
        assert report.az_swapped
        assert len(failover.paths) == 2 and all(p.exists() for p in failover.paths)
        shown = str(failover.query_one("#fo-report", Static).render())
        assert "VERDICT" in shown and str(failover.paths[0]) in shown
        if report.app is not None:
            assert "Application RTO" in shown and "RPO" in shown
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is prov, "back on the provisioning screen")
        assert prov.query_one("#prov-topology").primary_az == report.primary_az_after  # type: ignore[attr-defined]

    for text in captures:
        assert CANARY not in text
    written = _files_under(tmp_path)
    assert any(p.suffix == ".md" for p in written)
    for path in written:
        assert CANARY.encode() not in path.read_bytes(), f"the password leaked into {path}"
    return report


async def test_launch_provision_failover_report_on_the_demo(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RDS_WIZARD_HOME", str(tmp_path))
    monkeypatch.delenv("RDS_WIZARD_REPORTS", raising=False)
    await _journey(tmp_path)


async def test_the_same_journey_writes_through_the_failover_on_a_real_postgres_pair(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With real PostgreSQL servers behind the demo, the launch's password lets the probe write: RPO = 0."""
    pytest.importorskip("psycopg")
    from wizard.demo.realdb import realdb_available

    ok, reason = realdb_available()
    if not ok:
        pytest.skip(reason)
    monkeypatch.setenv("RDS_WIZARD_HOME", str(tmp_path))
    monkeypatch.delenv("RDS_WIZARD_REPORTS", raising=False)
    import wizard.demo
    from wizard.demo.realdb.network import realdb_factory

    original = wizard.demo.start_demo

    def with_real_servers(speed: float | None = None, **kwargs: Any) -> Any:
        return original(speed, network_factory=realdb_factory(lambda _i: CANARY, lambda _i: "appdb"))

    monkeypatch.setattr(wizard.demo, "start_demo", with_real_servers)
    report = await _journey(tmp_path, database="appdb")
    assert report.app is not None, report.measurement_notes
    assert report.app.rpo_zero and report.app.committed > 0, report.app
    assert report.writes_around, "the teaching timeline of writes around the failover is empty"


async def test_faults_during_provisioning_end_in_a_clear_single_az_warning(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Throttling and dropped connections while following, and no capacity for the standby: the screen
    keeps following, creates once, and ends with the single-AZ warning instead of a failover offer."""
    monkeypatch.setenv("RDS_WIZARD_HOME", str(tmp_path))
    monkeypatch.setenv("RDS_WIZARD_DEMO_FAULTS",
                       "throttle:DescribeDBInstances:3,drop:DescribeEvents:2,nostandby:1")
    from screens.app import make_app
    from screens.provisioning import ProvisioningScreen
    from wizard.aws.gateway import ConnectionOptions

    app = make_app(connection=ConnectionOptions(demo=True, demo_speed=DEMO_SPEED), preset="teaching-demo",
                   resume=False)
    async with app.run_test(size=(80, 24)) as pilot:
        identifier = app.spec.settings.identifier
        await until(pilot, lambda: app.gateway is not None and app.identity is not None, "the demo to start")
        await app.wizard_screen.jump("review")
        await pilot.pause()
        app.action_launch()
        await until(pilot, lambda: typing_ready(app), "the launch confirmation")
        await pilot.press(*identifier, "enter")
        await until(pilot, lambda: isinstance(app.screen, ProvisioningScreen), "the provisioning screen")
        prov = app.screen
        assert isinstance(prov, ProvisioningScreen)
        await until(pilot, lambda: prov.progress is not None and prov.progress.finished, "the end")
        assert prov.progress is not None and prov.progress.outcome == "available"
        warning = prov.query_one("#prov-warning", Static)
        assert warning.display and "single-AZ" in str(warning.render())
        assert not prov.query_one("#prov-failover").display
        assert len(prov.event_lines) == len(set(prov.event_lines))
        assert app.gateway is not None
        listed = app.gateway.client("rds").describe_db_instances()["DBInstances"]  # type: ignore[attr-defined]
        assert [db["DBInstanceIdentifier"] for db in listed] == [identifier]
