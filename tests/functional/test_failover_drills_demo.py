"""The failover drills end to end on the demo (issue 16, items 1 and 3): forced, host-failure and az-outage on
a Multi-AZ PostgreSQL instance with the application probe writing; an az-outage refused on a Single-AZ
instance before anything happens; the demo server's signed drill action; a wizard killed mid-drill."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from demo_support import connects, wait_for
from pydantic import SecretStr

from presets import load_preset
from wizard.aws.failover import FailoverRefused, FailoverTest, preflight
from wizard.aws.probes import DbCredentials
from wizard.aws.provisioning import fetch_events, follow
from wizard.launch import launch
from wizard.reports import save_report

pytest.importorskip("psycopg")
pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

PASSWORD = "Drill-Demo-pw-4471"


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
    # 100x: a tenth of a second the machine adds to the outage counts as 10 s of RDS time, not 20.
    with open_gateway(ConnectionOptions(demo=True, demo_speed=100)) as gateway:
        yield gateway, started[0]


def _launch(gateway: Any, identifier: str, deployment: str = "multi-az-instance") -> None:
    spec = load_preset("teaching-demo")
    spec.settings.identifier = identifier
    spec.settings.credentials = "self-managed"
    spec.settings.master_password = SecretStr(PASSWORD)
    spec.database.name = "appdb"
    spec.availability.deployment = deployment  # type: ignore[assignment]
    result = launch(spec, gateway)
    assert follow(result.follower(gateway), lambda _p: None).outcome == "available"


def _messages(gateway: Any, identifier: str) -> list[str]:
    from datetime import UTC, datetime, timedelta

    since = datetime.now(UTC) - timedelta(hours=1)
    events = fetch_events(gateway.client("rds"), identifier, "instance", since)
    return [e.message for e in events]


def test_each_drill_fails_over_a_multi_az_postgres_with_rpo_zero(
        demo_gateway: tuple[Any, Any], tmp_path: Path) -> None:
    gateway, demo = demo_gateway
    _launch(gateway, "drill-db")
    creds = DbCredentials("postgres", SecretStr(PASSWORD), "appdb")
    for number, drill in enumerate(("forced", "host-failure", "az-outage")):
        pre = preflight(gateway, "drill-db", credentials=creds, drill=drill)
        assert pre.can_run and pre.app_probe_ready, pre.checks
        report = FailoverTest(gateway, pre, drill=drill).run(confirmation="drill-db")
        assert report.drill == drill
        assert report.verdict == "pass", report.verdict_reasons
        assert report.az_swapped and report.primary_az_after == pre.target.standby_azs[0]
        app = report.app
        assert app is not None and app.verified, report.measurement_notes
        assert app.rpo_zero and app.committed > 5
        assert app.failed_attempts >= 1  # the client saw the failure, and the probe wrote through it
        window = demo.outage_windows("drill-db")[number]
        assert window.kind == ("failover" if drill == "forced" else drill)
        if drill == "forced":
            assert report.detection_seconds is None
        else:
            # RDS noticed the failure after a delay, before the failover completed.
            assert report.detection_seconds is not None and report.detection_seconds > 0
            assert report.failover_event_offset is not None
            assert report.detection_seconds < report.failover_event_offset
            assert not any("RebootDBInstance" in e.message for e in report.timeline if e.kind == "action")
        markdown, js = save_report(report, folder=tmp_path)
        data = json.loads(js.read_text())
        assert data["drill"] == drill and data["verdict"] == "pass" and data["app"]["rpo_zero"] is True
        assert data["az_swapped"] is True
        text = markdown.read_text()
        assert "### What the client saw (DNS, TCP, committed writes)" in text
        assert "### What RDS said (events, statuses, AZs)" in text
        assert PASSWORD not in text and PASSWORD not in js.read_text()
        if drill == "host-failure":
            assert "Detection" in text and any("detect dead connections" in a for a in report.advice)
        if drill == "az-outage":
            assert any("Single-AZ" in a for a in report.advice)
    # The AZ comes back after the drill and the old primary rejoins as the standby.
    wait_for("the standby to rejoin after the AZ returned",
             lambda: "Multi-AZ instance recovery completed. Pending failover or activation."
             in _messages(gateway, "drill-db"))
    messages = _messages(gateway, "drill-db")
    assert messages.count("Multi-AZ instance failover started.") == 3
    assert "Multi-AZ instance recovery started." in messages
    network = next(s.network for s in demo.simulator._instances.values() if s.identifier == "drill-db")
    assert network.pair.in_sync()
    # And it can fail over again, back into the AZ that was dark.
    pre = preflight(gateway, "drill-db", credentials=creds)
    again = FailoverTest(gateway, pre).run(confirmation="drill-db")
    assert again.verdict == "pass" and again.app is not None and again.app.rpo_zero


def test_az_outage_on_a_single_az_instance_is_refused_before_anything_happens(
        demo_gateway: tuple[Any, Any]) -> None:
    gateway, demo = demo_gateway
    _launch(gateway, "lonely-db", deployment="single-az")
    before = _messages(gateway, "lonely-db")
    pre = preflight(gateway, "lonely-db", drill="az-outage")
    assert not pre.can_run
    assert pre.refusal is not None and "down until the AZ returns" in pre.refusal
    with pytest.raises(FailoverRefused):
        FailoverTest(gateway, pre, drill="az-outage").run(confirmation="lonely-db")
    # The demo itself refuses it too, whoever asks.
    from wizard.demo.simulator import DemoApiError

    with pytest.raises(DemoApiError, match="until the Availability Zone returns"):
        demo.drills.start("lonely-db", "az-outage")
    assert demo.outage_windows("lonely-db") == []
    assert _messages(gateway, "lonely-db") == before
    node = demo.node(pre.target.endpoint)
    assert node is not None and connects(node.host, node.port)


def test_the_demo_server_takes_the_drill_only_as_a_signed_call(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A separate demo server: the wizard reaches its drill control through the demo-only signed action;
    an unsigned request for it (what a web page could send) is refused by the front door."""
    monkeypatch.setenv("RDS_WIZARD_HOME", str(tmp_path))
    monkeypatch.setenv("RDS_WIZARD_DEMO_SIMULATED_DB", "1")
    from wizard.aws.drills import offered
    from wizard.aws.gateway import ConnectionOptions, open_gateway
    from wizard.demo import start_demo

    with start_demo(200) as demo:
        gateway = open_gateway(ConnectionOptions(endpoint_url=demo.endpoint_url))
        assert gateway.target == "demo-server" and offered(gateway) == ("forced", "host-failure", "az-outage")
        spec = load_preset("teaching-demo")
        spec.settings.identifier = "served-db"
        assert follow(launch(spec, gateway).follower(gateway), lambda _p: None).outcome == "available"
        unsigned = urllib.request.Request(demo.endpoint_url + "/", method="POST", data=(
            b"Action=RdsWizardDemoStartDrill&DBInstanceIdentifier=served-db&Drill=host-failure"))
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(unsigned, timeout=10)
        assert refused.value.code == 404
        assert demo.outage_windows("served-db") == []
        pre = preflight(gateway, "served-db", drill="host-failure")
        report = FailoverTest(gateway, pre, drill="host-failure").run(confirmation="served-db")
        assert report.verdict == "pass" and report.drill == "host-failure" and report.az_swapped
        assert demo.calls["rds.RdsWizardDemoStartDrill"] == 1
        assert [w.kind for w in demo.outage_windows("served-db")] == ["host-failure"]


def _pids_mentioning(fragment: str) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if fragment in (entry / "cmdline").read_bytes().decode(errors="replace"):
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


@pytest.mark.parametrize("drill", ["host-failure", "az-outage"])
def test_a_wizard_killed_mid_drill_leaves_no_server_or_folder(tmp_path: Path, drill: str) -> None:
    from wizard.demo.realdb import realdb_available

    ok, reason = realdb_available()
    if not ok:
        pytest.skip(reason)
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "RDS_WIZARD_HOME": str(tmp_path)}
    env.pop("RDS_WIZARD_DEMO_FAULTS", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "wizard", "launch", "--demo", "--preset", "teaching-demo", "--yes",
         "--failover-test", "--drill", drill, "--demo-speed", "100"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    assert process.stdout is not None
    marker = f"rds-wizard-realdb-{os.getuid()}/{process.pid}-"
    output: list[str] = []
    try:
        for line in process.stdout:
            output.append(line)
            if f"Demo drill {drill}" in line:
                break
        assert _pids_mentioning(marker), "".join(output)
        folders = [p for base in (Path("/dev/shm"), Path(tempfile.gettempdir()))
                   for p in base.glob(f"rds-wizard-realdb-{os.getuid()}/{process.pid}-*")]
        assert folders
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert not any("failover completed" in line for line in output), "".join(output)
    wait_for("the servers to be gone", lambda: not _pids_mentioning(marker), timeout=30)
    wait_for("their folders to be gone", lambda: not [p for p in folders if p.exists()], timeout=30)


def test_an_az_outage_takes_down_the_single_az_neighbours_there_until_the_az_returns(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RDS_WIZARD_HOME", str(tmp_path))
    monkeypatch.setenv("RDS_WIZARD_DEMO_SIMULATED_DB", "1")
    from wizard.demo import start_demo

    with start_demo(300) as demo:
        rds = demo.client("rds")
        common = {"DBInstanceClass": "db.m6g.large", "Engine": "postgres", "MasterUsername": "postgres",
                  "MasterUserPassword": PASSWORD, "AllocatedStorage": 20, "BackupRetentionPeriod": 0,
                  "DBSubnetGroupName": "demo-multi-az"}
        rds.create_db_instance(DBInstanceIdentifier="target-db", MultiAZ=True, **common)
        def described(identifier: str) -> dict[str, Any]:
            return dict(rds.describe_db_instances(DBInstanceIdentifier=identifier)["DBInstances"][0])

        wait_for("the target", lambda: described("target-db")["DBInstanceStatus"] == "available")
        zone = described("target-db")["AvailabilityZone"]
        rds.create_db_instance(DBInstanceIdentifier="neighbour-db", AvailabilityZone=zone, **common)
        wait_for("the neighbour", lambda: described("neighbour-db")["DBInstanceStatus"] == "available")
        node = demo.node(described("neighbour-db")["Endpoint"]["Address"])
        assert node is not None and node.az == zone and connects(node.host, node.port)
        demo.drills.start("target-db", "az-outage")
        assert zone in demo.drills.dark_zones and not connects(node.host, node.port)
        wait_for("the AZ to return", lambda: zone not in demo.drills.dark_zones)
        assert connects(node.host, node.port)
        [window] = demo.outage_windows("neighbour-db")
        assert window.kind == "az-outage" and window.seconds is not None
        messages = [e["Message"] for e in rds.describe_events(SourceIdentifier="neighbour-db",
                                                               SourceType="db-instance")["Events"]]
        assert "DB instance restarted" in messages
        target = described("target-db")
        assert target["AvailabilityZone"] != zone and target["SecondaryAvailabilityZone"] == zone
