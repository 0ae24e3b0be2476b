"""The demo's read replica of a Multi-AZ PostgreSQL instance is a real asynchronous streaming replica:
rows committed on the source are read on the replica through its own endpoint, a write there fails as
read-only, its lag is published to CloudWatch as ReplicaLag (read with GetMetricData as on AWS), the
replica-lag fault makes the lag grow, promotion makes it writable and standalone, and nothing of its
server is left once the demo stops."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from demo_support import follow_statuses, wait_for

psycopg = pytest.importorskip("psycopg")
pytest.importorskip("boto3")
pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

PASSWORD = "Demo-pass-4410"


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    from wizard.demo.realdb import realdb_available

    ok, reason = realdb_available()
    if not ok:
        pytest.skip(reason)
    monkeypatch.setenv("RDS_WIZARD_HOME", str(tmp_path))
    monkeypatch.delenv("RDS_WIZARD_DEMO_FAULTS", raising=False)
    monkeypatch.delenv("RDS_WIZARD_DEMO_SIMULATED_DB", raising=False)
    from wizard.demo import start_demo

    running = start_demo(speed=2000)
    try:
        yield running
    finally:
        running.stop()


def connect(demo: Any, db: dict[str, Any]) -> Any:
    endpoint = db["Endpoint"]
    host = demo.resolve(endpoint["Address"])[0]
    return psycopg.connect(host=host, port=endpoint["Port"], user="postgres", password=PASSWORD,
                           dbname="appdb", autocommit=True, connect_timeout=5)


def replica_lag_points(demo: Any, identifier: str) -> list[float]:
    """ReplicaLag as the wizard reads it on AWS: GetMetricData, AWS/RDS, DBInstanceIdentifier."""
    cloudwatch = demo.client("cloudwatch")
    now = datetime.now(UTC)
    answer = cloudwatch.get_metric_data(
        MetricDataQueries=[{"Id": "lag", "MetricStat": {
            "Metric": {"Namespace": "AWS/RDS", "MetricName": "ReplicaLag",
                       "Dimensions": [{"Name": "DBInstanceIdentifier", "Value": identifier}]},
            "Period": 1, "Stat": "Maximum"}}],
        StartTime=now - timedelta(minutes=5), EndTime=now + timedelta(minutes=1))
    return [float(v) for v in answer["MetricDataResults"][0]["Values"]]


def test_a_real_replica_reads_the_source_refuses_writes_lags_on_demand_and_promotes(demo: Any) -> None:
    rds = demo.client("rds")
    rds.create_db_instance(
        DBInstanceIdentifier="source", Engine="postgres", DBInstanceClass="db.t3.micro", AllocatedStorage=20,
        MasterUsername="postgres", MasterUserPassword=PASSWORD, MultiAZ=True, BackupRetentionPeriod=1,
        DBName="appdb", DBSubnetGroupName="demo-multi-az")  # fmt: skip
    source = follow_statuses(rds, "source")[-1]
    with connect(demo, source) as conn:
        conn.execute("CREATE TABLE notes (id serial PRIMARY KEY, body text)")
        conn.execute("INSERT INTO notes (body) VALUES ('before the replica')")
    rds.create_db_instance_read_replica(DBInstanceIdentifier="reader", SourceDBInstanceIdentifier="source")
    replica = follow_statuses(rds, "reader")[-1]
    assert replica["ReadReplicaSourceDBInstanceIdentifier"] == "source"
    assert demo.resolve(replica["Endpoint"]["Address"]) != demo.resolve(source["Endpoint"]["Address"])

    with connect(demo, source) as writer, connect(demo, replica) as reader:
        writer.execute("INSERT INTO notes (body) VALUES ('after the replica')")
        assert wait_for("the row on the replica", lambda: reader.execute(
            "SELECT count(*) FROM notes WHERE body = 'after the replica'").fetchone()[0] == 1)
        assert reader.execute("SELECT pg_is_in_recovery()").fetchone()[0] is True
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            reader.execute("INSERT INTO notes (body) VALUES ('on the replica')")

        assert wait_for("ReplicaLag in CloudWatch", lambda: replica_lag_points(demo, "reader"), timeout=30)

        demo.faults.add("replica-lag:20s")
        deadline = time.monotonic() + 40
        lag = 0.0
        while time.monotonic() < deadline and lag < 3:
            writer.execute("INSERT INTO notes (body) VALUES ('heartbeat')")
            time.sleep(0.5)
            lag = max(replica_lag_points(demo, "reader") or [0.0])
        assert lag >= 3, f"the replica-lag fault did not make the lag grow (max {lag:.1f} s)"
        demo.faults.clear()

    answer = rds.promote_read_replica(DBInstanceIdentifier="reader")["DBInstance"]
    assert answer["DBInstanceStatus"] == "modifying"
    assert follow_statuses(rds, "reader")[-1]["DBInstanceStatus"] == "available"
    promoted = rds.describe_db_instances(DBInstanceIdentifier="reader")["DBInstances"][0]
    assert "ReadReplicaSourceDBInstanceIdentifier" not in promoted
    with connect(demo, promoted) as standalone:
        assert standalone.execute("SELECT pg_is_in_recovery()").fetchone()[0] is False
        standalone.execute("INSERT INTO notes (body) VALUES ('written on the promoted replica')")
    with connect(demo, source) as writer:
        assert writer.execute("SELECT count(*) FROM notes WHERE body LIKE 'written on%'").fetchone()[0] == 0

    home = demo.simulator.replicas.server_folder("reader")
    assert home is not None and home.exists()
    demo.stop()
    assert not home.exists()
    wait_for("the replica's server processes to be gone", lambda: not _servers_in(home), timeout=20)


def _servers_in(folder: Path) -> list[int]:
    """PIDs of processes whose command line names the folder (a postgres server started there)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if str(folder).encode() in cmdline:
            found.append(int(entry.name))
    return found


def test_the_replica_keeps_replicating_across_a_failover_of_its_multi_az_source(demo: Any) -> None:
    rds = demo.client("rds")
    rds.create_db_instance(
        DBInstanceIdentifier="source", Engine="postgres", DBInstanceClass="db.t3.micro", AllocatedStorage=20,
        MasterUsername="postgres", MasterUserPassword=PASSWORD, MultiAZ=True, BackupRetentionPeriod=1,
        DBName="appdb", DBSubnetGroupName="demo-multi-az")  # fmt: skip
    follow_statuses(rds, "source")
    rds.create_db_instance_read_replica(DBInstanceIdentifier="reader", SourceDBInstanceIdentifier="source")
    replica = follow_statuses(rds, "reader")[-1]
    rds.reboot_db_instance(DBInstanceIdentifier="source", ForceFailover=True)
    source = follow_statuses(rds, "source")[-1]
    with connect(demo, source) as writer, connect(demo, replica) as reader:
        writer.execute("CREATE TABLE after_failover (id int)")
        writer.execute("INSERT INTO after_failover VALUES (1)")

        def replicated() -> bool:
            try:
                return bool(reader.execute("SELECT count(*) FROM after_failover").fetchone()[0] == 1)
            except psycopg.errors.UndefinedTable:
                return False

        wait_for("a row written after the source's failover on the replica", replicated, timeout=45)


def test_deleting_the_source_leaves_the_replica_running_and_promotes_it(demo: Any) -> None:
    rds = demo.client("rds")
    rds.create_db_instance(
        DBInstanceIdentifier="source", Engine="postgres", DBInstanceClass="db.t3.micro", AllocatedStorage=20,
        MasterUsername="postgres", MasterUserPassword=PASSWORD, BackupRetentionPeriod=1, DBName="appdb",
        DBSubnetGroupName="demo-multi-az")  # fmt: skip
    source = follow_statuses(rds, "source")[-1]
    with connect(demo, source) as writer:
        writer.execute("CREATE TABLE kept (id int)")
        writer.execute("INSERT INTO kept VALUES (1)")
    rds.create_db_instance_read_replica(DBInstanceIdentifier="reader", SourceDBInstanceIdentifier="source")
    follow_statuses(rds, "reader")
    rds.delete_db_instance(DBInstanceIdentifier="source", SkipFinalSnapshot=True)
    promoted = follow_statuses(rds, "reader")[-1]
    assert "ReadReplicaSourceDBInstanceIdentifier" not in promoted
    with connect(demo, promoted) as standalone:
        assert standalone.execute("SELECT count(*) FROM kept").fetchone()[0] == 1
        standalone.execute("INSERT INTO kept VALUES (2)")


_KILLED_DEMO = """
import sys, time
from wizard.demo import start_demo
demo = start_demo(speed=2000)
rds = demo.client("rds")
password = sys.stdin.readline().strip()
rds.create_db_instance(DBInstanceIdentifier="source", Engine="postgres", DBInstanceClass="db.t3.micro",
                       AllocatedStorage=20, MasterUsername="postgres", MasterUserPassword=password,
                       BackupRetentionPeriod=1)
def status():
    return rds.describe_db_instances(DBInstanceIdentifier="source")["DBInstances"][0]["DBInstanceStatus"]
while status() != "available":
    time.sleep(0.05)
rds.create_db_instance_read_replica(DBInstanceIdentifier="reader", SourceDBInstanceIdentifier="source")
while demo.simulator.replicas.server_folder("reader") is None:
    time.sleep(0.05)
print(demo.simulator.replicas.server_folder("reader"), flush=True)
time.sleep(600)
"""


def test_a_killed_demo_leaves_no_replica_server_or_folder_behind(demo: Any, tmp_path: Path) -> None:
    import os
    import signal
    import subprocess
    import sys

    # The password goes by stdin, never on a command line.
    child = subprocess.Popen([sys.executable, "-c", _KILLED_DEMO], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        assert child.stdin is not None and child.stdout is not None
        child.stdin.write(PASSWORD + "\n")
        child.stdin.flush()
        home = Path(child.stdout.readline().strip())
        assert home.name.startswith("pg-replica-") and _servers_in(home)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    wait_for("the killed demo's replica server to be gone", lambda: not _servers_in(home), timeout=30)
    wait_for("the killed demo's replica folder to be gone", lambda: not home.exists(), timeout=30)
