"""The DEFAULT demo (no network factory injected) puts real PostgreSQL behind postgres DB instances.

End to end through the gateway: a Multi-AZ postgres instance with an RDS-managed secret; psycopg logs in
with the secret's value through the demo resolver, writes, fails over, reads everything back, and fails
over again to the first AZ; the guided failover test's application probe reports RPO = 0 and an RTO
inside the demo's own outage window. After the demo stops, none of its server processes is alive and
its data folders are gone. Also: a Single-AZ instance is one server with its DBName; other engines keep
simulated listeners; where servers cannot run the demo says so.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from demo_support import wait_for

from presets import load_preset
from wizard.aws.failover import FailoverTest, preflight
from wizard.aws.gateway import ConnectionOptions, open_gateway
from wizard.aws.provisioning import connection_summary, follow
from wizard.launch import launch

psycopg = pytest.importorskip("psycopg")
pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from wizard.demo.realdb import realdb_available

    ok, reason = realdb_available()
    if not ok:
        pytest.skip(reason)
    monkeypatch.setenv("RDS_WIZARD_HOME", str(tmp_path))
    monkeypatch.delenv("RDS_WIZARD_DEMO_FAULTS", raising=False)
    monkeypatch.delenv("RDS_WIZARD_DEMO_SIMULATED_DB", raising=False)
    return tmp_path


@pytest.fixture
def demos(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every demo started meanwhile, started exactly as by default (the arguments pass through)."""
    import wizard.demo

    started: list[Any] = []
    original = wizard.demo.start_demo

    def recording(*args: Any, **kwargs: Any) -> Any:
        assert kwargs.get("network_factory") is None
        started.append(original(*args, **kwargs))
        return started[-1]

    monkeypatch.setattr(wizard.demo, "start_demo", recording)
    return started


@pytest.fixture
def gateway(home: Path, demos: list[Any]) -> Iterator[Any]:
    with open_gateway(ConnectionOptions(demo=True, demo_speed=200)) as gateway:
        yield gateway


def _pids_mentioning(fragment: str) -> list[int]:
    """Live processes whose command line mentions `fragment` (a data folder)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            state = next(line for line in (entry / "status").read_text().splitlines()
                         if line.startswith("State:"))
        except (OSError, StopIteration):
            continue
        if fragment in cmdline and "zombie" not in state:
            pids.append(int(entry.name))
    return pids


def _secret(gateway: Any, arn: str) -> dict[str, str]:
    value: dict[str, str] = json.loads(
        gateway.client("secretsmanager").get_secret_value(SecretId=arn)["SecretString"])
    return value


def test_default_demo_multi_az_postgres_is_a_real_pair_there_and_back(gateway: Any, demos: list[Any]) -> None:
    assert gateway.notices() == []  # real servers: nothing to warn about
    spec = load_preset("teaching-demo")
    spec.settings.identifier = "class-db"
    spec.database.name = "appdb"
    assert spec.settings.credentials == "secrets-manager"
    result = launch(spec, gateway)
    progress = follow(result.follower(gateway), lambda _p: None)
    assert progress.outcome == "available"
    rds = gateway.client("rds")
    db = rds.describe_db_instances(DBInstanceIdentifier="class-db")["DBInstances"][0]
    first_az, second_az = db["AvailabilityZone"], db["SecondaryAvailabilityZone"]
    endpoint, port = db["Endpoint"]["Address"], db["Endpoint"]["Port"]
    secret = _secret(gateway, db["MasterUserSecret"]["SecretArn"])
    assert secret["username"] == "postgres"

    # The printed example is exactly what works: the address the endpoint resolves to now.
    summary = connection_summary(progress, gateway)
    [address] = gateway.resolve(endpoint)
    assert summary.resolved_address == address
    assert f"'host={address} port={port} user=postgres dbname=appdb'" in summary.examples[0]

    def connect() -> Any:
        return psycopg.connect(host=gateway.resolve(endpoint)[0], port=port, user=secret["username"],
                               password=secret["password"], dbname="appdb", autocommit=True,
                               connect_timeout=5)

    with connect() as conn:
        data_dirs = {conn.execute("SHOW data_directory").fetchone()[0]}
        conn.execute("CREATE TABLE notes (id int PRIMARY KEY, body text)")
        conn.execute("INSERT INTO notes SELECT g, 'row ' || g FROM generate_series(1, 100) g")

    for round_trip, expected_primary in enumerate((second_az, first_az)):
        pre = preflight(gateway, "class-db")  # credentials: the managed secret, read by the preflight
        assert pre.can_run and pre.app_probe_ready, [(c.label, c.detail) for c in pre.checks]
        assert pre.credentials is not None and pre.credentials.source == "secret"
        report = FailoverTest(gateway, pre).run(confirmation="class-db")
        assert report.primary_az_after == expected_primary
        window = [w for w in demos[0].outage_windows("class-db") if w.kind == "failover"][round_trip]
        assert window.ended_at is not None
        app = report.app
        assert app is not None and app.verified, report.measurement_notes
        assert app.rpo_zero and app.committed > 5 and app.failed_attempts >= 1
        assert app.rto_seconds is not None and app.last_commit_before is not None
        assert app.first_commit_after is not None
        # The application's outage brackets the demo's own: its last commit came before the outage began,
        # its first commit after the endpoint came back.
        assert app.last_commit_before <= window.started_at.timestamp() + 0.25
        assert app.first_commit_after >= window.ended_at.timestamp() - 0.05
        assert app.rto_seconds <= (window.ended_at - window.started_at).total_seconds() + 1.0
        assert "RPO = 0" in report.replication_line
        assert report.verdict in ("pass", "warning"), report.verdict_reasons

        new_address = wait_for("the endpoint on the new primary", lambda: gateway.resolve(endpoint))[0]
        assert new_address != address
        address = new_address
        with connect() as conn:
            data_dirs.add(conn.execute("SHOW data_directory").fetchone()[0])
            rows = conn.execute("SELECT count(*), sum(id) FROM notes").fetchone()
            assert rows == (100 + round_trip, sum(range(1, 101)) + 1000 * round_trip)
            conn.execute("INSERT INTO notes VALUES (%s, 'after failover')", (1000 * (round_trip + 1),))
    assert len(data_dirs) == 2  # two servers, one per AZ

    demo_problems = gateway.notices()
    assert demo_problems == []
    homes = {str(Path(d).parent.parent) for d in data_dirs}
    assert all(_pids_mentioning(h) for h in homes)
    gateway.close()
    for home_dir in homes:
        assert _pids_mentioning(home_dir) == []
        assert not Path(home_dir).exists()


def test_default_demo_single_az_postgres_is_one_server_and_mysql_stays_simulated(gateway: Any) -> None:
    rds = gateway.client("rds")
    password = "Single-AZ-pw-5530"
    rds.create_db_instance(DBInstanceIdentifier="solo-db", Engine="postgres", DBInstanceClass="db.t3.micro",
                           AllocatedStorage=20, MasterUsername="teacher", MasterUserPassword=password,
                           DBName="lessons", DBSubnetGroupName="demo-multi-az")
    rds.create_db_instance(DBInstanceIdentifier="shop-db", Engine="mysql", DBInstanceClass="db.t3.micro",
                           AllocatedStorage=20, MasterUsername="admin", MasterUserPassword=password,
                           DBSubnetGroupName="demo-multi-az")

    def available(identifier: str) -> dict[str, Any] | None:
        db: dict[str, Any] = rds.describe_db_instances(DBInstanceIdentifier=identifier)["DBInstances"][0]
        return db if db["DBInstanceStatus"] == "available" else None

    solo = wait_for("solo-db available", lambda: available("solo-db"), timeout=120)
    wait_for("shop-db available", lambda: available("shop-db"), timeout=120)
    host = gateway.resolve(solo["Endpoint"]["Address"])[0]
    with psycopg.connect(host=host, port=solo["Endpoint"]["Port"], user="teacher", password=password,
                         dbname="lessons", autocommit=True, connect_timeout=5) as conn:
        assert conn.execute("SELECT current_database(), current_user").fetchone() == ("lessons", "teacher")
        assert conn.execute("SELECT count(*) FROM pg_stat_replication").fetchone() == (0,)
    # A wrong password is refused by the real server.
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(host=host, port=solo["Endpoint"]["Port"], user="teacher", password="wrong-pw-000",
                        dbname="lessons", connect_timeout=5).close()
    assert gateway.notices() == []  # mysql declined quietly: simulated, not a problem


def test_where_servers_cannot_run_the_demo_simulates_and_says_so(
        home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import wizard.demo.realdb
    from wizard.cli import main

    monkeypatch.setattr(wizard.demo.realdb, "realdb_available", lambda: (False, "no servers on this test"))
    code = main(["launch", "--demo", "--preset", "dev-test-postgres", "--yes", "--demo-speed", "1000",
                 "--identifier", "sim-db"])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    notes = [line for line in out.splitlines() if line.startswith("Note: ")]
    assert len(notes) == 1 and "simulated listeners" in notes[0] and "no servers on this test" in notes[0]


def test_the_users_missing_aws_profile_does_not_break_the_demo(
        home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_PROFILE", "no-such-profile-rds-wizard")
    monkeypatch.setenv("AWS_DEFAULT_PROFILE", "no-such-profile-rds-wizard")
    monkeypatch.setenv("RDS_WIZARD_DEMO_SIMULATED_DB", "1")
    with open_gateway(ConnectionOptions(demo=True, demo_speed=1000)) as gateway:
        assert gateway.identity().label == "DEMO"
        assert gateway.client("secretsmanager").list_secrets()["SecretList"] == []
        assert any("simulated listeners" in n for n in gateway.notices())
    assert os.environ["AWS_PROFILE"] == "no-such-profile-rds-wizard"


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGKILL], ids=["ctrl-c", "killed"])
def test_launch_demo_interrupted_or_killed_leaves_no_server_behind(home: Path, stop: signal.Signals) -> None:
    import tempfile

    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "wizard", "launch", "--demo", "--preset", "teaching-demo", "--yes",
         "--failover-test", "--demo-speed", "200"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
        # A shell may start it with SIGINT ignored; a terminal's Ctrl+C is not ignored.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert process.stdout is not None
    marker = f"rds-wizard-realdb-{os.getuid()}/{process.pid}-"
    output: list[str] = []
    try:
        for line in process.stdout:
            output.append(line)
            if "status: modifying" in line:  # the pair is built by now
                break
        assert _pids_mentioning(marker), "".join(output)
        folders = [p for base in (Path("/dev/shm"), Path(tempfile.gettempdir()))
                   for p in base.glob(f"rds-wizard-realdb-{os.getuid()}/{process.pid}-*")]
        assert folders
        process.send_signal(stop)
        output.append(process.communicate(timeout=60)[0])
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    if stop == signal.SIGINT:
        assert process.returncode == 130, "".join(output)
    wait_for("the servers to be gone", lambda: not _pids_mentioning(marker), timeout=30)
    wait_for("their folders to be gone", lambda: not [p for p in folders if p.exists()], timeout=30)
