"""A Multi-AZ DB cluster (PostgreSQL) in the default demo runs on three real servers, end to end.

From the `multi-az-cluster-postgres` preset with a self-managed password, through the wizard's launch path:
a row written on the writer (cluster endpoint) is served by both readers through the reader endpoint,
which spreads connections over them and refuses writes; each member's instance endpoint leads to its own
server; commits wait for one reader (quorum). The guided failover test (FailoverDBCluster, the
application probe writing) passes with RPO = 0, a reader became the writer and the old writer is a reader.
Deleting the cluster, stopping the demo or killing the wizard leaves no server process and no folder.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from demo_support import wait_for
from pydantic import SecretStr

from presets import load_preset
from wizard.aws.failover import FailoverTest, preflight
from wizard.aws.gateway import ConnectionOptions, open_gateway
from wizard.aws.probes import DbCredentials
from wizard.aws.provisioning import follow
from wizard.launch import launch

psycopg = pytest.importorskip("psycopg")
pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

PASSWORD = "Cluster-pw-7731"
IDENTIFIER = "ledger-pg"
PRESET = "multi-az-cluster-postgres"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from wizard.demo.realdb import realdb_available

    ok, reason = realdb_available()
    if not ok:
        pytest.skip(reason)
    monkeypatch.setenv("RDS_WIZARD_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("RDS_WIZARD_REPORTS", raising=False)
    monkeypatch.delenv("RDS_WIZARD_DEMO_FAULTS", raising=False)
    monkeypatch.delenv("RDS_WIZARD_DEMO_SIMULATED_DB", raising=False)
    monkeypatch.delenv("RDS_WIZARD_MASTER_PASSWORD", raising=False)
    return tmp_path / "home"


@pytest.fixture
def gateway(home: Path) -> Iterator[Any]:
    with open_gateway(ConnectionOptions(demo=True, demo_speed=200)) as gateway:
        yield gateway


def _self_managed_preset(tmp_path: Path) -> Path:
    """The cluster preset with a self-managed password and no deletion protection (so it can be deleted)."""
    import presets

    source = Path(presets.__file__).with_name(f"{PRESET}.toml").read_text()
    assert 'credentials = "secrets-manager"' in source and "deletion_protection = true" in source
    path = tmp_path / "cluster-self-managed.toml"
    path.write_text(source.replace('credentials = "secrets-manager"', 'credentials = "self-managed"')
                    .replace("deletion_protection = true", "deletion_protection = false"))
    return path


def _pids_mentioning(fragment: str, servers_only: bool = False) -> list[int]:
    """Live processes whose command line mentions `fragment` (a data folder); `servers_only`: postmasters
    only, not the registry's watchdog (whose command line names the registry folder)."""
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
        if servers_only and "/bin/postgres " not in cmdline:
            continue
        if fragment in cmdline and "zombie" not in state:
            pids.append(int(entry.name))
    return pids


def _connect(host: str, port: int, dbname: str = "appdb") -> Any:
    return psycopg.connect(host=host, port=port, user="postgres", password=PASSWORD, dbname=dbname,
                           autocommit=True, connect_timeout=5)


def _roles(rds: Any) -> dict[str, bool]:
    cluster = rds.describe_db_clusters(DBClusterIdentifier=IDENTIFIER)["DBClusters"][0]
    return {m["DBInstanceIdentifier"]: m["IsClusterWriter"] for m in cluster["DBClusterMembers"]}


def _in_recovery(gateway: Any, endpoint: str, port: int) -> bool:
    with _connect(gateway.resolve(endpoint)[0], port) as conn:
        return bool(conn.execute("SELECT pg_is_in_recovery()").fetchone()[0])


def test_a_cluster_from_the_preset_reads_on_its_readers_and_fails_over_with_rpo_zero(gateway: Any) -> None:
    spec = load_preset(PRESET)
    spec.settings.identifier = IDENTIFIER
    spec.settings.credentials = "self-managed"
    spec.settings.master_password = SecretStr(PASSWORD)
    spec.database.name = "appdb"
    spec.protection.deletion_protection = False
    result = launch(spec, gateway)
    assert result.kind == "cluster"
    progress = follow(result.follower(gateway), lambda _p: None)
    assert progress.outcome == "available"
    assert gateway.notices() == []  # real servers: nothing stood in for them
    rds = gateway.client("rds")
    cluster = rds.describe_db_clusters(DBClusterIdentifier=IDENTIFIER)["DBClusters"][0]
    port, writer_endpoint, reader_endpoint = cluster["Port"], cluster["Endpoint"], cluster["ReaderEndpoint"]
    instances = {i["DBInstanceIdentifier"]: i for i in rds.describe_db_instances(
        Filters=[{"Name": "db-cluster-id", "Values": [IDENTIFIER]}])["DBInstances"]}
    assert len({i["AvailabilityZone"] for i in instances.values()}) == 3
    roles = _roles(rds)
    [writer] = [name for name, is_writer in roles.items() if is_writer]
    readers = sorted(name for name, is_writer in roles.items() if not is_writer)
    member_address = {name: gateway.resolve(i["Endpoint"]["Address"])[0] for name, i in instances.items()}
    assert len(set(member_address.values())) == 3  # each member's instance endpoint: its own server
    assert gateway.resolve(writer_endpoint) == [member_address[writer]]

    data_dirs = set()
    with _connect(gateway.resolve(writer_endpoint)[0], port) as conn:
        assert conn.execute("SELECT pg_is_in_recovery()").fetchone() == (False,)
        # A commit waits for one of the two readers (RDS's semisynchronous promise).
        assert conn.execute("SHOW synchronous_standby_names").fetchone()[0].startswith("ANY 1 (")
        assert conn.execute("SHOW synchronous_commit").fetchone() == ("on",)
        replication = conn.execute("SELECT sync_state FROM pg_stat_replication").fetchall()
        assert sorted(replication) == [("quorum",), ("quorum",)]
        conn.execute("CREATE TABLE ledger (id int PRIMARY KEY, body text)")
        conn.execute("INSERT INTO ledger VALUES (1, 'written on the writer')")
        data_dirs.add(conn.execute("SHOW data_directory").fetchone()[0])

    # The reader endpoint spreads connections over both readers; each serves the row and refuses writes.
    served_by = set()
    for _ in range(4):
        host = gateway.resolve(reader_endpoint)[0]
        served_by.add(host)

        def row_there(address: str = host) -> Any:
            with _connect(address, port) as conn:
                return conn.execute("SELECT body FROM ledger WHERE id = 1").fetchone()

        assert wait_for(f"the row on the reader at {host}", row_there) == ("written on the writer",)
        with _connect(host, port) as conn:
            assert conn.execute("SELECT pg_is_in_recovery()").fetchone() == (True,)
            data_dirs.add(conn.execute("SHOW data_directory").fetchone()[0])
            with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
                conn.execute("INSERT INTO ledger VALUES (2, 'not on a reader')")
    assert served_by == {member_address[r] for r in readers}
    assert len(data_dirs) == 3

    # The guided failover test, the application probe writing through FailoverDBCluster.
    creds = DbCredentials("postgres", SecretStr(PASSWORD), "appdb", source="test")
    pre = preflight(gateway, IDENTIFIER, credentials=creds)
    assert pre.target.kind == "cluster"
    assert pre.can_run and pre.app_probe_ready, [(c.label, c.detail) for c in pre.checks]
    report = FailoverTest(gateway, pre).run(confirmation=IDENTIFIER)
    app = report.app
    assert app is not None and app.verified, report.measurement_notes
    assert app.rpo_zero and app.committed > 5 and app.failed_attempts >= 1
    assert "RPO = 0" in report.replication_line
    assert report.verdict in ("pass", "warning"), report.verdict_reasons
    assert report.az_swapped

    # Roles swapped: a reader is the writer, the old writer is a reader (rejoined before `available`).
    roles = _roles(rds)
    [new_writer] = [name for name, is_writer in roles.items() if is_writer]
    assert new_writer in readers
    assert gateway.resolve(writer_endpoint) == [member_address[new_writer]]
    assert not _in_recovery(gateway, instances[new_writer]["Endpoint"]["Address"], port)
    assert _in_recovery(gateway, instances[writer]["Endpoint"]["Address"], port)
    assert writer in {name for name, address in member_address.items()
                      if address in gateway.resolve(reader_endpoint)}
    assert instances[new_writer]["AvailabilityZone"] == report.primary_az_after
    with _connect(gateway.resolve(writer_endpoint)[0], port) as conn:
        assert conn.execute("SELECT body FROM ledger WHERE id = 1").fetchone() == ("written on the writer",)
        assert sorted(conn.execute("SELECT sync_state FROM pg_stat_replication").fetchall()) == [
            ("quorum",), ("quorum",)]
    messages = [e["Message"] for e in rds.describe_events(SourceIdentifier=IDENTIFIER,
                                                           SourceType="db-cluster")["Events"]]
    assert f"Started cross AZ failover to DB instance: {new_writer}" in messages
    assert f"Completed failover to DB instance: {new_writer}" in messages
    assert gateway.notices() == []

    # Deleting the cluster removes its three servers and their folders.
    homes = {str(Path(d).parent.parent) for d in data_dirs}
    assert all(_pids_mentioning(h) for h in homes)
    rds.delete_db_cluster(DBClusterIdentifier=IDENTIFIER, SkipFinalSnapshot=True)
    for home_dir in homes:
        assert _pids_mentioning(home_dir) == []
        assert not Path(home_dir).exists()


def test_launch_failover_test_on_a_cluster_verifies_rpo_zero_in_line_mode(
        home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from wizard.cli import main

    monkeypatch.setenv("RDS_WIZARD_MASTER_PASSWORD", PASSWORD)
    code = main(["launch", "--demo", "--preset", str(_self_managed_preset(tmp_path)), "--yes",
                 "--failover-test", "--demo-speed", "150", "--identifier", "line-cluster"])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    assert "FailoverDBCluster line-cluster" in out and PASSWORD not in out + err
    [report_path] = sorted((home / "data" / "reports").glob("failover-*.json"))
    report = json.loads(report_path.read_text())
    assert report["kind"] == "cluster" and report["verdict"] == "pass" and report["az_swapped"] is True
    assert report["app"] is not None and report["app"]["rpo_zero"] is True, report["measurement_notes"]
    assert report["app"]["committed"] > 5
    # The command's demo stopped with it, and its servers with it.
    assert _pids_mentioning(f"rds-wizard-realdb-{os.getuid()}/{os.getpid()}-", servers_only=True) == []


def test_a_killed_wizard_leaves_no_cluster_server_behind(home: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "RDS_WIZARD_MASTER_PASSWORD": PASSWORD}
    process = subprocess.Popen(
        [sys.executable, "-m", "wizard", "launch", "--demo", "--preset", str(_self_managed_preset(tmp_path)),
         "--yes", "--demo-speed", "200", "--identifier", "killed-cluster"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    marker = f"rds-wizard-realdb-{os.getuid()}/{process.pid}-"
    try:
        # Three postmasters (and their children) once the cluster is built.
        wait_for("the cluster's servers", lambda: len(_pids_mentioning(marker, servers_only=True)) == 3,
                 timeout=120)
        folders = [p for base in (Path("/dev/shm"), Path(tempfile.gettempdir()))
                   for p in base.glob(f"rds-wizard-realdb-{os.getuid()}/{process.pid}-*")]
        assert folders
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    wait_for("the servers to be gone", lambda: not _pids_mentioning(marker), timeout=30)
    wait_for("their folders to be gone", lambda: not [p for p in folders if p.exists()], timeout=30)
