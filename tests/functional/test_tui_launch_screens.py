"""The launch screens against scripted (deterministic) core objects: Pilot checks and snapshots at 80x24.

A scripted follower plays a fixed sequence of `Progress` snapshots, a fixed preflight and report stand in
for the failover core, and the clock is frozen, so the snapshots never depend on timing.
"""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input, RichLog, Static
from tui_support import typing_ready, until

from screens.dialogs import TypedConfirmScreen
from screens.failover import FailoverScreen
from screens.launch_confirm import LaunchConfirmScreen
from screens.provisioning import ProvisioningScreen
from wizard.aws.failover import Check, FailoverReport, Preflight, Target, TimelineEntry
from wizard.aws.probes import Outage
from wizard.aws.provisioning import MULTI_AZ_STAGES, Notice, Progress, RdsEvent, Update
from wizard.aws.waits import Silence
from wizard.spec.model import DatabaseSpec

T0 = datetime(2026, 1, 1, 9, 0, 0, tzinfo=UTC)
ENDPOINT = "orders-db.c1a2b3c4d5e6.us-east-1.rds.amazonaws.com"
SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-0000-AbCdEf"
CSS = Path(__file__).resolve().parents[2] / "screens" / "wizard.tcss"


@pytest.fixture(autouse=True)
def _utc_and_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Timestamps are printed in local time: pin the zone so screens and snapshots are stable."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    monkeypatch.setenv("RDS_WIZARD_HOME", str(tmp_path))


class FakeGateway:
    """Just what the screens ask of a gateway outside the (scripted) core: demo flag and resolver."""

    is_demo = True
    time_scale = 60.0

    def client(self, name: str) -> Any:
        raise AssertionError(f"the scripted tests must not reach AWS ({name})")

    def resolve(self, host: str) -> list[str]:
        return ["127.10.1.1"]


def _event(seconds: int, message: str) -> RdsEvent:
    return RdsEvent(T0 + timedelta(seconds=seconds), message)


def _progress(status: str, stage: int, *, updates: tuple[Update, ...] = (),
              events: tuple[RdsEvent, ...] = (), outcome: str = "progressing", standby: tuple[str, ...] = (),
              endpoint: str | None = None, notices: tuple[Notice, ...] = (), elapsed: float = 12.0,
              multi_az: bool | None = True) -> Progress:
    return Progress(
        identifier="orders-db", kind="instance", status=status, stages=MULTI_AZ_STAGES, stage_index=stage,
        outcome=outcome, elapsed=elapsed, time_scale=60.0, estimate=(15.0, 20.0), engine="postgres",  # type: ignore[arg-type]
        multi_az=multi_az, expect_multi_az=True, primary_az="us-east-1a", standby_azs=standby,
        endpoint=endpoint, port=5432 if endpoint else None, secret_arn=SECRET_ARN, master_username="postgres",
        database_name="orders", events=events, new_events=events, updates=updates, notices=notices,
        next_poll_in=0.0)


def _event_updates(events: tuple[RdsEvent, ...]) -> tuple[Update, ...]:
    return tuple(Update("event", e.message, e.date) for e in events)


CREATED = (_event(30, "DB instance created"),)
CONVERTING = (_event(31, "Applying modification to convert to a Multi-AZ DB instance"),)
FINISHED = (_event(60, "Finished applying modification to convert to a Multi-AZ DB instance"),
            _event(61, "Backing up DB instance"), _event(90, "Finished DB instance backup"))

MID_SCRIPT = [
    _progress("creating", 0, updates=(Update("status", "status: creating", T0),
                                      Update("placement", "primary AZ: us-east-1a", T0)), elapsed=1.0),
    # The same event arrives again in the next poll's answer: it must be shown once.
    _progress("creating", 0, updates=_event_updates(CREATED), events=CREATED, elapsed=5.0),
    _progress("modifying", 1, updates=(*_event_updates(CREATED + CONVERTING),
                                       Update("status", "status: modifying", T0 + timedelta(seconds=31))),
              events=CREATED + CONVERTING, elapsed=9.0),
]
AT_90 = T0 + timedelta(seconds=90)
READY_SCRIPT = [
    *MID_SCRIPT,
    _progress("available", 3, outcome="available", standby=("us-east-1b",), endpoint=ENDPOINT, elapsed=18.0,
              updates=(*_event_updates(FINISHED), Update("status", "status: available", AT_90),
                       Update("placement", "standby AZ: us-east-1b", AT_90),
                       Update("endpoint", f"endpoint: {ENDPOINT}:5432", AT_90),
                       Update("done", "orders-db is available.", AT_90)),
              events=FINISHED),
]


class ScriptedFollower:
    """Plays a fixed list of snapshots, then keeps answering the last one with nothing new."""

    def __init__(self, script: list[Progress]) -> None:
        self.identifier = script[0].identifier
        self._script = list(script)
        self._last = script[0]
        self.polls = 0
        self.silence = Silence()  # never asks AWS, so never waits on it

    def current(self) -> Progress:
        return replace(self._last, updates=(), new_events=())

    def poll(self) -> Progress:
        self.polls += 1
        if self._script:
            self._last = self._script.pop(0)
            return self._last
        return replace(self._last, updates=(), new_events=(), next_poll_in=3600.0)


class Host(App[None]):
    """A bare app with the wizard's styles that opens one screen."""

    CSS_PATH = str(CSS)
    TITLE = "RDS wizard"

    def __init__(self, screen_factory: Any) -> None:
        super().__init__()
        self._factory = screen_factory

    def on_mount(self) -> None:
        self.push_screen(self._factory())


def _provisioning(script: list[Progress]) -> ProvisioningScreen:
    return ProvisioningScreen(FakeGateway(), follower=ScriptedFollower(script),  # type: ignore[arg-type]
                              demo=True, clock=lambda: 0.0)


# ---- provisioning ------------------------------------------------------------------------------------

async def test_events_are_shown_once_and_stages_advance() -> None:
    app = Host(lambda: _provisioning(READY_SCRIPT))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, ProvisioningScreen)
        await until(pilot, lambda: screen.progress is not None and screen.progress.finished, "available")
        assert screen.event_lines == [e.message for e in CREATED + CONVERTING + FINISHED]
        log_text = "\n".join(strip.text for strip in screen.query_one("#prov-events", RichLog).lines)
        assert log_text.count("DB instance created") == 1
        assert "✓ available" in str(screen.query_one("#prov-stages", Static).render())
        ready = str(screen.query_one("#prov-ready", Static).render())
        assert ENDPOINT in ready and SECRET_ARN in ready and "127.10.1.1" in ready
        assert screen.query_one("#prov-failover").display


async def test_capacity_warning_says_what_to_do() -> None:
    notice = Notice("Multi-AZ was requested but the database ended up single-AZ.", "Convert it with modify.")
    script = [_progress("available", 2, outcome="available", multi_az=False, endpoint=ENDPOINT,
                        notices=(notice,))]
    app = Host(lambda: _provisioning(script))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, ProvisioningScreen)
        await until(pilot, lambda: screen.progress is not None, "the snapshot")
        warning = screen.query_one("#prov-warning", Static)
        assert warning.display
        shown = str(warning.render())
        assert "ended up single-AZ" in shown and "What to do: Convert" in shown
        # Single-AZ: no failover test offered.
        assert not screen.query_one("#prov-failover").display
        await pilot.press("f")
        assert isinstance(app.screen, ProvisioningScreen)


async def test_problem_status_is_shown_as_an_error() -> None:
    notice = Notice("The database ran out of storage (status: storage-full).", "Raise the allocated storage.",
                    "error")
    script = [_progress("storage-full", 0, outcome="problem", notices=(notice,))]
    app = Host(lambda: _provisioning(script))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, ProvisioningScreen)
        await until(pilot, lambda: screen.progress is not None, "the snapshot")
        warning = screen.query_one("#prov-warning", Static)
        assert warning.has_class("-error")
        assert str(warning.render()).startswith("PROBLEM:")
        assert "✗ storage-full" in str(screen.query_one("#prov-stages", Static).render())


async def test_a_spec_with_errors_is_refused_before_aws() -> None:
    spec = DatabaseSpec()
    spec.settings.identifier = "1-not-valid-"
    app = Host(lambda: ProvisioningScreen(FakeGateway(), spec=spec, demo=True))  # type: ignore[arg-type]
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, ProvisioningScreen)
        await until(pilot, lambda: screen.query_one("#prov-warning").display, "the refusal")
        text = str(screen.query_one("#prov-warning", Static).render())
        assert "nothing was sent to AWS" in text
        assert "Nothing was created." in str(screen.query_one("#prov-time", Static).render())


async def test_an_existing_database_is_offered_to_follow(monkeypatch: pytest.MonkeyPatch) -> None:
    import wizard.aws.provisioning as provisioning
    import wizard.launch as launch_module

    def refuse(spec: DatabaseSpec, gateway: Any, **_: Any) -> None:
        raise launch_module.LaunchError("A DB instance named orders-db already exists.",
                                        next_step="rds-wizard watch orders-db", existing="orders-db")

    followed: list[str] = []

    def follower(gateway: Any, identifier: str, kind: str) -> ScriptedFollower:
        followed.append(identifier)
        return ScriptedFollower(READY_SCRIPT)

    monkeypatch.setattr(launch_module, "launch", refuse)
    monkeypatch.setattr(provisioning, "Follower", follower)
    spec = DatabaseSpec()
    spec.settings.identifier = "orders-db"
    app = Host(lambda: ProvisioningScreen(FakeGateway(), spec=spec, demo=True))  # type: ignore[arg-type]
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, ProvisioningScreen)
        await until(pilot, lambda: screen.query_one("#prov-warning").display, "the refusal")
        assert "already exists" in str(screen.query_one("#prov-warning", Static).render())
        await pilot.press("w")
        await until(pilot, lambda: screen.progress is not None and screen.progress.finished, "available")
        assert followed == ["orders-db"]
        assert str(screen.query_one("#prov-title", Static).render()) == "Following DB instance orders-db"


async def test_generated_password_is_masked_until_p(monkeypatch: pytest.MonkeyPatch) -> None:
    from wizard.launch import LaunchResult

    secret = "Gen3rated-Pw-xyz"
    result = LaunchResult(identifier="orders-db", kind="instance", operation="CreateDBInstance",
                          launch_token="t", started_at=T0, credentials="auto-generated", expect_multi_az=True,
                          engine="postgres", master_username="postgres", database_name="orders",
                          password=SecretStr(secret), password_generated=True)
    script = [replace(READY_SCRIPT[-1], secret_arn=None)]
    app = Host(lambda: _provisioning(script))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, ProvisioningScreen)
        screen.result = result
        await until(pilot, lambda: screen.query_one("#prov-ready").display, "the ready panel")
        assert secret not in app.export_screenshot()
        await pilot.press("p")
        assert secret in str(screen.query_one("#prov-ready", Static).render())
        await pilot.press("p")
        assert secret not in app.export_screenshot()


def test_snapshot_provisioning_modifying(snap_compare: Any) -> None:
    async def settle(pilot: Pilot[Any]) -> None:
        screen = pilot.app.screen
        await until(pilot, lambda: screen.progress is not None and screen.progress.status == "modifying",
                     "modifying")
        await pilot.pause()

    assert snap_compare(Host(lambda: _provisioning(MID_SCRIPT)), terminal_size=(80, 24), run_before=settle)


def test_snapshot_provisioning_available(snap_compare: Any) -> None:
    async def settle(pilot: Pilot[Any]) -> None:
        screen = pilot.app.screen
        await until(pilot, lambda: screen.progress is not None and screen.progress.finished, "available")
        await pilot.pause()

    assert snap_compare(Host(lambda: _provisioning(READY_SCRIPT)), terminal_size=(80, 24), run_before=settle)


# ---- launch confirmation ------------------------------------------------------------------------------

async def test_launch_confirmation_needs_the_exact_identifier() -> None:
    spec = DatabaseSpec()
    spec.settings.identifier = "orders-db"
    answers: list[bool | None] = []

    class ConfirmHost(App[None]):
        CSS_PATH = str(CSS)

        def on_mount(self) -> None:
            self.push_screen(LaunchConfirmScreen(spec, target="AWS · account 123456789012 · us-east-1",
                                                 is_demo=False), answers.append)

    app = ConfirmHost()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: typing_ready(app), "the confirmation")
        screen = app.screen
        assert isinstance(screen, TypedConfirmScreen)
        body = str(screen.query_one("#confirm-body", Static).render())
        assert "REAL database on AWS" in body and "billed" in body and "twice" in body
        error = screen.query_one("#confirm-error", Static)
        await pilot.press("enter")
        assert answers == [] and "Type orders-db" in str(error.render())
        await pilot.press(*"orders-dv", "enter")
        assert answers == [] and "is not orders-db" in str(error.render())
        screen.query_one("#confirm-input", Input).value = ""
        await pilot.press(*"orders-db", "enter")
        await pilot.pause()
        assert answers == [True]


async def test_launch_confirmation_escape_cancels() -> None:
    spec = DatabaseSpec()
    spec.settings.identifier = "orders-db"
    answers: list[bool | None] = []

    class ConfirmHost(App[None]):
        def on_mount(self) -> None:
            self.push_screen(LaunchConfirmScreen(spec, target="DEMO", is_demo=True), answers.append)

    async with ConfirmHost().run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
    assert answers == [False]


# ---- failover -----------------------------------------------------------------------------------------

TARGET = Target(identifier="orders-db", kind="instance", engine="postgres", status="available", multi_az=True,
                primary_az="us-east-1a", standby_azs=("us-east-1b",), endpoint=ENDPOINT, port=5432,
                secret_arn=SECRET_ARN, master_username="postgres", database_name="orders")
CHECKS = [
    Check("multi-az", "Multi-AZ", "ok", "DB instance orders-db is Multi-AZ."),
    Check("available", "Status available", "ok", "The status is available."),
    Check("standby", "Standby AZ known", "ok", "Primary in us-east-1a, standby in us-east-1b."),
    Check("recent", "No recent failover", "ok", "No failover in the last 10 s."),
    Check("resolves", "Endpoint resolves", "ok", f"{ENDPOINT} -> 127.10.1.1"),
    Check("reachable", "Reachable from here", "ok", "TCP connect to 127.10.1.1:5432 in 1 ms."),
    Check("app-probe", "Application probe", "info", "No application-level probe: no credentials."),
]
PREFLIGHT = Preflight(target=TARGET, checks=CHECKS, reachable=True, connect_seconds=0.001, time_scale=60.0,
                      demo=True, what_will_happen=["RDS reboots the primary with failover.",
                                                   "Every open connection is dropped."])
REQUESTED = T0.timestamp()


def _entry(t: float, kind: str, message: str) -> TimelineEntry:
    return TimelineEntry(t, T0 + timedelta(seconds=t), kind, message)  # type: ignore[arg-type]


TIMELINE = [
    _entry(0.0, "action", "RebootDBInstance orders-db ForceFailover=True"),
    _entry(0.1, "tcp", "connect to 127.10.1.1:5432 fails (Connection refused)"),
    _entry(0.4, "status", "status: rebooting"),
    _entry(1.6, "dns", f"{ENDPOINT} -> 127.10.2.1"),
    _entry(1.7, "tcp", "connect to 127.10.2.1:5432 succeeds"),
    _entry(1.8, "event", "Multi-AZ instance failover completed."),
    _entry(2.0, "status", "status: available"),
    _entry(2.0, "az", "primary AZ: us-east-1a -> us-east-1b"),
]
REPORT = FailoverReport(
    identifier="orders-db", kind="instance", engine="postgres", demo=True, time_scale=60.0,
    requested_at=REQUESTED, finished_at=REQUESTED + 3, primary_az_before="us-east-1a",
    primary_az_after="us-east-1b", standby_azs_before=("us-east-1b",), standby_azs_after=("us-east-1a",),
    status_after="available", completed=True, abandoned=False, stopped_early=False,
    failover_event="Multi-AZ instance failover completed.", failover_event_offset=1.8,
    failover_event_seen_offset=2.0, tcp_measured=True,
    outage=Outage(start=REQUESTED + 0.1, end=REQUESTED + 1.7, failed_attempts=14, windows=1),
    dns_before=("127.10.1.1",), dns_after=("127.10.2.1",), dns_switch_offset=1.6, app=None,
    measurement_notes=["No application-level probe: no credentials."], verdict="pass",
    verdict_reasons=["The primary moved to the standby's AZ and the database is available again."],
    advice=["Reconnect on a dropped connection and retry the transaction that failed."],
    replication_line="Synchronous replication means no acknowledged write should be lost.",
    timeline=TIMELINE, writes_around=[])
PATHS = (Path("/reports/failover-orders-db-20260101-090000.md"),
         Path("/reports/failover-orders-db-20260101-090000.json"))


@pytest.fixture
def scripted_failover(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The failover core replaced by the fixed preflight and a test that replays the fixed timeline."""
    import wizard.aws.failover as core
    import wizard.reports as reports

    confirmations: list[str] = []

    class ScriptedTest:
        def __init__(self, gateway: Any, pre: Preflight, *, on_entry: Any, should_stop: Any,
                     drill: str = "forced") -> None:
            self.on_entry = on_entry

        def run(self, confirmation: str) -> FailoverReport:
            confirmations.append(confirmation)
            for entry in TIMELINE:
                self.on_entry(entry)
            return REPORT

    monkeypatch.setattr(core, "preflight", lambda *a, **k: PREFLIGHT)
    monkeypatch.setattr(core, "FailoverTest", ScriptedTest)
    monkeypatch.setattr(reports, "save_report", lambda report, **k: PATHS)
    return confirmations


def _failover() -> FailoverScreen:
    return FailoverScreen(FakeGateway(), "orders-db", kind="instance")  # type: ignore[arg-type]


async def _run_failover(pilot: Pilot[Any]) -> None:
    screen = pilot.app.screen
    await until(pilot, lambda: screen.phase == "ready", "the preflight")
    await pilot.press("s")
    await until(pilot, lambda: typing_ready(pilot.app), "the confirmation")
    await pilot.press(*"orders-db", "enter")
    await until(pilot, lambda: screen.phase == "done", "the report")
    await pilot.pause()


async def test_failover_flow_with_typed_confirmation(scripted_failover: list[str]) -> None:
    app = Host(_failover)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, FailoverScreen)
        await until(pilot, lambda: screen.phase == "ready", "the preflight")
        assert "✓ Multi-AZ" in str(screen.query_one("#fo-checks", Static).render())
        await pilot.press("s")
        await until(pilot, lambda: typing_ready(app), "the confirmation")
        await pilot.press(*"orders", "enter")
        assert isinstance(app.screen, TypedConfirmScreen) and scripted_failover == []
        await pilot.press("escape")
        await pilot.pause()
        assert screen.phase == "ready" and scripted_failover == []
        await _run_failover(pilot)
        assert scripted_failover == ["orders-db"]
        topology = screen.query_one("#fo-topology")
        assert topology.primary_az == "us-east-1b" and topology.standby_azs == ("us-east-1a",)  # type: ignore[attr-defined]
        report = str(screen.query_one("#fo-report", Static).render())
        assert "VERDICT: PASS" in report and str(PATHS[0]) in report
        assert [e.message for e in screen.timeline] == [e.message for e in TIMELINE]
        # Check again: a second test (failing back) starts from a fresh checklist.
        await pilot.press("r")
        await until(pilot, lambda: screen.phase == "ready", "the second preflight")
        assert not screen.query_one("#fo-report").display and screen.query_one("#fo-checks").display


async def test_failover_refused_for_a_single_az_instance(monkeypatch: pytest.MonkeyPatch) -> None:
    import wizard.aws.failover as core

    single = replace(PREFLIGHT, checks=[Check("multi-az", "Multi-AZ", "fail", "orders-db is single-AZ.")])
    monkeypatch.setattr(core, "preflight", lambda *a, **k: single)
    app = Host(_failover)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, FailoverScreen)
        await until(pilot, lambda: screen.phase == "refused", "the refusal")
        assert "single-AZ" in str(screen.query_one("#fo-phase", Static).render())
        await pilot.press("s")
        await pilot.pause()
        assert app.screen is screen and screen.phase == "refused"


def test_snapshot_failover_running(snap_compare: Any, scripted_failover: list[str],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Mid-test: the checklist made way, the timeline so far, the diagram already flipped."""
    import wizard.aws.failover as core

    class HeldTest:
        def __init__(self, gateway: Any, pre: Preflight, *, on_entry: Any, should_stop: Any,
                     drill: str = "forced") -> None:
            self.on_entry, self.should_stop = on_entry, should_stop

        def run(self, confirmation: str) -> FailoverReport:
            for entry in TIMELINE:
                self.on_entry(entry)
            while not self.should_stop():  # held "running" until the app closes
                time.sleep(0.02)
            return REPORT

    monkeypatch.setattr(core, "FailoverTest", HeldTest)

    async def settle(pilot: Pilot[Any]) -> None:
        screen = pilot.app.screen
        await until(pilot, lambda: screen.phase == "ready", "the preflight")
        await pilot.press("s")
        await until(pilot, lambda: typing_ready(pilot.app), "the confirmation")
        await pilot.press(*"orders-db", "enter")
        await until(pilot, lambda: len(screen.timeline) == len(TIMELINE), "the timeline")
        await pilot.pause()

    assert snap_compare(Host(_failover), terminal_size=(80, 24), run_before=settle)


def test_snapshot_failover_report(snap_compare: Any, scripted_failover: list[str]) -> None:
    assert snap_compare(Host(_failover), terminal_size=(80, 24), run_before=_run_failover)


def test_snapshot_failover_preflight(snap_compare: Any, scripted_failover: list[str]) -> None:
    async def settle(pilot: Pilot[Any]) -> None:
        screen = pilot.app.screen
        await until(pilot, lambda: screen.phase == "ready", "the preflight")
        await pilot.pause()

    assert snap_compare(Host(_failover), terminal_size=(80, 24), run_before=settle)
