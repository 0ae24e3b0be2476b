"""The guided failover test's application probe on the demo with a real PostgreSQL pair behind the endpoint:
heartbeats through the failover, RTO inside the demo's own outage window, RPO = 0 verified, twice."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from presets import load_preset
from wizard.aws.failover import FailoverTest, preflight
from wizard.aws.probes import DbCredentials
from wizard.aws.provisioning import follow
from wizard.launch import launch
from wizard.reports import save_report

pytest.importorskip("psycopg")
pytestmark = [pytest.mark.slow, pytest.mark.timeout(240)]

PASSWORD = "Probe-Demo-pw-6612"


@pytest.fixture
def demo_gateway(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Any, Any]]:
    from wizard.demo.realdb import realdb_available

    ok, reason = realdb_available()
    if not ok:
        pytest.skip(reason)
    monkeypatch.setenv("RDS_WIZARD_HOME", str(tmp_path))
    monkeypatch.delenv("RDS_WIZARD_DEMO_FAULTS", raising=False)
    import wizard.demo
    from wizard.aws.gateway import ConnectionOptions, open_gateway
    from wizard.demo.realdb.network import realdb_factory

    original = wizard.demo.start_demo
    started: list[Any] = []

    def with_real_servers(speed: float | None = None, **_: Any) -> Any:
        factory = realdb_factory(lambda _i: PASSWORD, lambda _i: "appdb")
        started.append(original(speed, network_factory=factory))
        return started[-1]

    monkeypatch.setattr(wizard.demo, "start_demo", with_real_servers)
    with open_gateway(ConnectionOptions(demo=True, demo_speed=200)) as gateway:
        yield gateway, started[0]


def test_the_app_probe_measures_rto_and_verifies_rpo_zero_there_and_back(
        demo_gateway: tuple[Any, Any], tmp_path: Path) -> None:
    gateway, demo = demo_gateway
    spec = load_preset("teaching-demo")
    spec.settings.identifier = "probe-db"
    spec.settings.credentials = "self-managed"
    spec.settings.master_password = SecretStr(PASSWORD)
    spec.database.name = "appdb"
    result = launch(spec, gateway)
    assert follow(result.follower(gateway), lambda _p: None).outcome == "available"
    creds = DbCredentials("postgres", SecretStr(PASSWORD), "appdb")
    for round_trip in range(2):
        pre = preflight(gateway, "probe-db", credentials=creds)
        assert pre.can_run and pre.app_probe_ready, pre.checks
        report = FailoverTest(gateway, pre).run(confirmation="probe-db")
        window = [w for w in demo.outage_windows("probe-db") if w.kind == "failover"][round_trip]
        app = report.app
        assert app is not None and app.verified, report.measurement_notes
        assert app.rpo_zero and app.committed > 10
        assert app.failed_attempts >= 1 and app.rto_seconds is not None
        # The application's view brackets the demo's own outage: last commit before it began, first after.
        assert app.last_commit_before is not None and app.first_commit_after is not None
        assert app.last_commit_before <= window.started_at.timestamp() + 0.25
        assert app.first_commit_after >= window.ended_at.timestamp() - 0.05
        assert app.rto_seconds <= (window.ended_at - window.started_at).total_seconds() + 1.0
        assert report.writes_around and "RPO = 0" in report.replication_line
        assert report.verdict in ("pass", "warning"), report.verdict_reasons
        md, js = save_report(report, folder=tmp_path)
        assert PASSWORD not in md.read_text() and PASSWORD not in js.read_text()
