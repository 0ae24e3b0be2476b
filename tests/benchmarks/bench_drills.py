"""Benchmark of the failover drills on the demo (real PostgreSQL pair behind the endpoint, probe writing).

Per drill (forced, host-failure, az-outage), RUNS runs interleaved so machine noise spreads evenly: the
detection time (the failure to RDS's "failover started" event; unplanned drills only), the client-visible
outage (TCP connect) and the application's RTO, as medians in demo seconds and scaled to real RDS time,
and each drill's outage as a ratio to the forced drill's, measured in the same run (the baseline).

Run: ``.venv/bin/python tests/benchmarks/bench_drills.py [SPEED]`` (default 30; or with pytest -s).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import SecretStr

RUNS = 5
PASSWORD = "Bench-drill-pw-5120"
DRILLS = ("forced", "host-failure", "az-outage")
RECOVERED = "Multi-AZ instance recovery completed. Pending failover or activation."


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def _cell(value: float | None, speed: float) -> str:
    return "n/a" if value is None else f"{value:6.3f} s (~{value * speed:5.1f} s RDS)"


def run(speed: float = 30.0) -> dict[str, dict[str, float | None]]:
    """Launch and follow one Multi-AZ instance, then RUNS rounds of the three drills; print the table."""
    os.environ.setdefault("RDS_WIZARD_HOME", tempfile.mkdtemp(prefix="rds-wizard-bench-"))
    import wizard.demo
    from presets import load_preset
    from wizard.aws.failover import FailoverTest, preflight
    from wizard.aws.gateway import ConnectionOptions, open_gateway
    from wizard.aws.probes import DbCredentials
    from wizard.aws.provisioning import fetch_events, follow
    from wizard.demo.realdb import realdb_available
    from wizard.demo.realdb.network import realdb_factory
    from wizard.launch import launch

    ok, reason = realdb_available()
    if not ok:
        print(f"skipped: {reason}")
        return {}
    original = wizard.demo.start_demo

    def with_real_servers(speed: float | None = None, **_: Any) -> Any:
        return original(speed, network_factory=realdb_factory(lambda _i: PASSWORD, lambda _i: "appdb"))

    wizard.demo.start_demo = with_real_servers  # type: ignore[assignment]
    found: dict[str, dict[str, list[float]]] = {d: {"detection": [], "outage": [], "rto": []} for d in DRILLS}
    try:
        with open_gateway(ConnectionOptions(demo=True, demo_speed=speed)) as gateway:
            spec = load_preset("teaching-demo")
            spec.settings.credentials = "self-managed"
            spec.settings.master_password = SecretStr(PASSWORD)
            spec.database.name = "appdb"
            assert follow(launch(spec, gateway).follower(gateway), lambda _p: None).outcome == "available"
            creds = DbCredentials("postgres", SecretStr(PASSWORD), "appdb")
            rds = gateway.client("rds")
            recoveries = 0
            for _ in range(RUNS):
                for drill in DRILLS:
                    pre = preflight(gateway, "demo-db", credentials=creds, drill=drill)
                    report = FailoverTest(gateway, pre, drill=drill).run(confirmation="demo-db")
                    assert report.verdict == "pass" and report.app is not None and report.app.rpo_zero, \
                        report.verdict_reasons
                    if report.detection_seconds is not None:
                        found[drill]["detection"].append(report.detection_seconds)
                    if report.outage_seconds is not None:
                        found[drill]["outage"].append(report.outage_seconds)
                    if report.app.rto_seconds is not None:
                        found[drill]["rto"].append(report.app.rto_seconds)
                    if drill == "az-outage":  # the next drill needs the old primary back as the standby
                        recoveries += 1
                        deadline = time.monotonic() + 120
                        while time.monotonic() < deadline:
                            since = datetime.now(UTC) - timedelta(hours=1)
                            events = fetch_events(rds, "demo-db", "instance", since)
                            if sum(e.message == RECOVERED for e in events) >= recoveries:
                                break
                            time.sleep(0.1)
    finally:
        wizard.demo.start_demo = original  # type: ignore[assignment]
    medians = {d: {k: _median(v) for k, v in found[d].items()} for d in DRILLS}
    baseline = medians["forced"]["outage"]
    print(f"demo speed {speed:g}x; {RUNS} runs per drill, interleaved; medians")
    print(f"{'drill':14} {'detection':24} {'TCP outage':24} {'app RTO':24} outage / forced")
    for drill in DRILLS:
        row = medians[drill]
        ratio = (f"{row['outage'] / baseline:5.2f}" if row["outage"] is not None and baseline else "n/a")
        print(f"{drill:14} {_cell(row['detection'], speed):24} {_cell(row['outage'], speed):24} "
              f"{_cell(row['rto'], speed):24} {ratio}")
    return medians


def test_bench_drills() -> None:
    """pytest entry point (benchmarks are not in the default run)."""
    medians = run()
    if medians:
        assert all(medians[d]["outage"] is not None for d in DRILLS)


if __name__ == "__main__":
    run(float(sys.argv[1]) if len(sys.argv) > 1 else 30.0)
