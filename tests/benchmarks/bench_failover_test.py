"""Benchmark of the guided failover test itself on the demo (real PostgreSQL pair behind the endpoint).

Ten failovers back and forth through `wizard.aws.failover.FailoverTest` with the application probe:
how far the measured TCP outage is from the demo's own outage window, the application's RTO, and the
time one guided test takes end to end.

Run: ``.venv/bin/python tests/benchmarks/bench_failover_test.py [SPEED]`` (or with pytest -s). Prints a table.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from typing import Any

from pydantic import SecretStr

FAILOVERS = 10
PASSWORD = "Bench-pw-3318"


def summary(values: list[float]) -> str:
    """Median and worst (largest absolute value), in seconds."""
    if not values:
        return "n/a"
    worst = max(values, key=abs)
    return f"median {statistics.median(values):7.3f} s   worst {worst:7.3f} s   (n={len(values)})"


def run(speed: float = 30.0) -> None:
    """Launch, follow, then fail over FAILOVERS times; print the table."""
    os.environ.setdefault("RDS_WIZARD_HOME", tempfile.mkdtemp(prefix="rds-wizard-bench-"))
    import wizard.demo
    from presets import load_preset
    from wizard.aws.failover import FailoverTest, preflight
    from wizard.aws.gateway import ConnectionOptions, open_gateway
    from wizard.aws.probes import DbCredentials
    from wizard.aws.provisioning import follow
    from wizard.demo.realdb import realdb_available
    from wizard.demo.realdb.network import realdb_factory
    from wizard.launch import launch

    ok, reason = realdb_available()
    if not ok:
        print(f"skipped: {reason}")
        return
    original = wizard.demo.start_demo
    demos: list[Any] = []

    def with_real_servers(speed: float | None = None, **_: Any) -> Any:
        factory = realdb_factory(lambda _i: PASSWORD, lambda _i: "appdb")
        demos.append(original(speed, network_factory=factory))
        return demos[-1]

    wizard.demo.start_demo = with_real_servers  # type: ignore[assignment]
    start_diffs, end_diffs, rtos, durations, aws_outages = [], [], [], [], []
    try:
        with open_gateway(ConnectionOptions(demo=True, demo_speed=speed)) as gateway:
            spec = load_preset("teaching-demo")
            spec.settings.credentials = "self-managed"
            spec.settings.master_password = SecretStr(PASSWORD)
            spec.database.name = "appdb"
            began = time.monotonic()
            result = launch(spec, gateway)
            assert follow(result.follower(gateway), lambda _p: None).outcome == "available"
            create_seconds = time.monotonic() - began
            creds = DbCredentials("postgres", SecretStr(PASSWORD), "appdb")
            for n in range(FAILOVERS):
                pre = preflight(gateway, "demo-db", credentials=creds)
                began = time.monotonic()
                report = FailoverTest(gateway, pre).run(confirmation="demo-db")
                durations.append(time.monotonic() - began)
                window = [w for w in demos[0].outage_windows("demo-db") if w.kind == "failover"][n]
                if report.outage is not None and report.outage.end is not None and window.ended_at:
                    start_diffs.append(report.outage.start - window.started_at.timestamp())
                    end_diffs.append(report.outage.end - window.ended_at.timestamp())
                    aws_outages.append(report.outage_aws_seconds or 0.0)
                if report.app is not None and report.app.rto_seconds is not None:
                    rtos.append(report.app.rto_seconds - (window.seconds or 0.0))
                assert report.app is None or report.app.rpo_zero, report.app
    finally:
        wizard.demo.start_demo = original  # type: ignore[assignment]
    print(f"demo speed {speed:g}x; create-to-available {create_seconds:.1f} s; {FAILOVERS} failovers")
    print(f"{'TCP outage start minus demo window start':46} {summary(start_diffs)}")
    print(f"{'TCP outage end minus demo window end':46} {summary(end_diffs)}")
    print(f"{'App RTO minus demo outage length':46} {summary(rtos)}")
    print(f"{'Outage at real RDS speed (scaled)':46} {summary(aws_outages)}")
    print(f"{'One guided test, request to report':46} {summary(durations)}")


def test_bench_failover_test() -> None:
    """pytest entry point (benchmarks are not in the default run)."""
    run()


if __name__ == "__main__":
    run(float(sys.argv[1]) if len(sys.argv) > 1 else 30.0)
