"""Benchmark of the demo's real read replica: lag under a steady write load, and the promote time.

Run: ``.venv/bin/python tests/benchmarks/bench_replica.py [SECONDS]`` (default 20 s of load per phase).

Through the demo's AWS API and endpoints only (boto3 + psycopg), as a user's drill would: a Multi-AZ
PostgreSQL source (self-managed password) and one replica. A writer commits a numbered heartbeat row
about every 10 ms on the source; a reader polls the replica for the highest number it sees. Lag as a
client sees it = when a row is first seen on the replica - when its commit was acknowledged on the
source. Baseline in the same run: the source's own commit round trip (what a synchronous Multi-AZ
standby adds to a commit is inside it; the replica's lag is not). A second phase arms the
`replica-lag:2s` fault. Also the CloudWatch ReplicaLag the demo published meanwhile, and the promote
time: PromoteReadReplica until the replica's endpoint takes a write, and until `available`.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg

PASSWORD = "Bench-pass-4410"
SPEED = 2000.0


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def wait_status(rds: Any, identifier: str, status: str = "available", timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        db = rds.describe_db_instances(DBInstanceIdentifier=identifier)["DBInstances"][0]
        if db["DBInstanceStatus"] == status:
            return
        time.sleep(0.02)
    raise RuntimeError(f"{identifier} never became {status}")


def connect(demo: Any, rds: Any, identifier: str) -> Any:
    endpoint = rds.describe_db_instances(DBInstanceIdentifier=identifier)["DBInstances"][0]["Endpoint"]
    return psycopg.connect(host=demo.resolve(endpoint["Address"])[0], port=endpoint["Port"], user="postgres",
                           password=PASSWORD, dbname="appdb", autocommit=True, connect_timeout=5)


def load_phase(demo: Any, rds: Any, seconds: float) -> tuple[list[float], list[float]]:
    """Heartbeats for `seconds`; returns (client-seen lags, source commit round trips), in seconds."""
    acked: dict[int, float] = {}
    seen: dict[int, float] = {}
    commits: list[float] = []
    halt = threading.Event()
    start_seq = int(time.time() * 1000) * 1000

    def write() -> None:
        with connect(demo, rds, "source") as conn:
            seq = start_seq
            while not halt.is_set():
                seq += 1
                began = time.monotonic()
                conn.execute("INSERT INTO beats (seq) VALUES (%s)", (seq,))
                done = time.monotonic()
                acked[seq] = done
                commits.append(done - began)
                time.sleep(0.01)

    def read() -> None:
        with connect(demo, rds, "reader") as conn:
            last = start_seq
            while not halt.is_set() or last < max(acked, default=start_seq):
                row = conn.execute("SELECT max(seq) FROM beats").fetchone()
                now = time.monotonic()
                top = int(row[0]) if row and row[0] is not None else start_seq
                for seq in range(last + 1, top + 1):
                    seen.setdefault(seq, now)
                last = max(last, top)
                time.sleep(0.002)
                if halt.is_set() and now - acked.get(max(acked, default=start_seq), now) > 30:
                    break

    threads = [threading.Thread(target=write), threading.Thread(target=read)]
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    halt.set()
    for thread in threads:
        thread.join(timeout=60)
    lags = [seen[seq] - acked[seq] for seq in acked if seq in seen]
    return lags, commits


def published_lag(demo: Any, identifier: str) -> list[float]:
    cloudwatch = demo.client("cloudwatch")
    now = datetime.now(UTC)
    answer = cloudwatch.get_metric_data(
        MetricDataQueries=[{"Id": "lag", "MetricStat": {
            "Metric": {"Namespace": "AWS/RDS", "MetricName": "ReplicaLag",
                       "Dimensions": [{"Name": "DBInstanceIdentifier", "Value": identifier}]},
            "Period": 1, "Stat": "Maximum"}}],
        StartTime=now - timedelta(minutes=10), EndTime=now + timedelta(minutes=1))
    return [float(v) for v in answer["MetricDataResults"][0]["Values"]]


def row(label: str, values: list[float], baseline: float) -> str:
    median, p95 = statistics.median(values), percentile(values, 0.95)
    return (f"| {label} | {len(values)} | {median * 1000:.1f} ms | {p95 * 1000:.1f} ms | "
            f"{max(values) * 1000:.1f} ms | {median / baseline:.1f}x / {p95 / baseline:.1f}x |")


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 20.0
    os.environ["RDS_WIZARD_HOME"] = tempfile.mkdtemp(prefix="bench-replica-")
    os.environ.pop("RDS_WIZARD_DEMO_FAULTS", None)
    from wizard.demo import start_demo
    from wizard.demo.realdb import realdb_available

    ok, reason = realdb_available()
    if not ok:
        print(f"skipped: {reason}")
        return
    demo = start_demo(speed=SPEED)
    try:
        rds = demo.client("rds")
        rds.create_db_instance(
            DBInstanceIdentifier="source", Engine="postgres", DBInstanceClass="db.t3.micro",
            AllocatedStorage=20, MasterUsername="postgres", MasterUserPassword=PASSWORD, MultiAZ=True,
            BackupRetentionPeriod=1, DBName="appdb", DBSubnetGroupName="demo-multi-az")  # fmt: skip
        wait_status(rds, "source")
        with connect(demo, rds, "source") as conn:
            conn.execute("CREATE TABLE beats (seq bigint PRIMARY KEY)")
        rds.create_db_instance_read_replica(DBInstanceIdentifier="reader",
                                            SourceDBInstanceIdentifier="source")
        wait_status(rds, "reader")

        lags, commits = load_phase(demo, rds, seconds)
        commit_median = statistics.median(commits)
        demo.faults.add("replica-lag:2s")
        time.sleep(3)  # the publisher applies the fault on its next round
        delayed, delayed_commits = load_phase(demo, rds, seconds)
        demo.faults.clear()
        time.sleep(3)
        published = published_lag(demo, "reader")

        began = time.monotonic()
        rds.promote_read_replica(DBInstanceIdentifier="reader")
        writable = None
        while writable is None and time.monotonic() - began < 120:
            try:
                with connect(demo, rds, "reader") as conn:
                    conn.execute("INSERT INTO beats (seq) VALUES (-1)")
                    writable = time.monotonic() - began
            except psycopg.Error:
                time.sleep(0.01)
        wait_status(rds, "reader")
        available = time.monotonic() - began

        print(f"load: {seconds:.0f} s per phase, a commit every ~10 ms; demo speed {SPEED:.0f}")
        print("| what | samples | median | p95 | max | ratio to the source's commit round trip "
              f"(median {commit_median * 1000:.2f} ms) |")
        print("|---|---|---|---|---|---|")
        print(row("source commit round trip (baseline)", commits, commit_median))
        print(row("replica lag seen by a client", lags, commit_median))
        print(row("same, with replica-lag:2s armed", delayed, statistics.median(delayed_commits)))
        print(f"CloudWatch ReplicaLag datapoints published: {len(published)}, "
              f"max {max(published or [0]):.2f} s")
        shown = "never" if writable is None else f"{writable:.2f} s"
        print(f"promote: writable through its endpoint after {shown}, available after {available:.2f} s "
              "(the demo's scheduled promotion delay: "
              f"{(120 + 60) / SPEED:.2f} s)")
    finally:
        demo.stop()


def test_bench_replica() -> None:
    main()


if __name__ == "__main__":
    main()
