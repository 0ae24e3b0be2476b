"""Benchmark: a Multi-AZ DB cluster's failover outage beside a Multi-AZ DB instance's, on real PostgreSQL.

One default demo (real servers behind both): a Multi-AZ instance (`teaching-demo`) and a Multi-AZ DB
cluster (`multi-az-cluster-postgres`), both with a self-managed password; RUNS guided failover tests of
each (RebootDBInstance ForceFailover / FailoverDBCluster) with the application probe writing. Per kind,
the median of: the TCP outage clients saw (real seconds, and scaled to RDS time), the application's RTO,
how much longer than the demo's own outage window the application waited (the real servers' share:
promotion, reconnect, waiting for a synchronous standby or reader), and request to report. The instance
is the baseline measured in the same run; RPO = 0 is checked on every run.

Run: ``.venv/bin/python tests/benchmarks/bench_cluster_failover.py [SPEED]`` (or with pytest -s).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from typing import Any

from pydantic import SecretStr

RUNS = 5
PASSWORD = "Bench-cluster-pw-6120"
FIGURES = ("tcp", "tcp_rds", "rto", "beyond", "test")


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def _fmt(value: float | None, unit: str = "s") -> str:
    return "n/a" if value is None else f"{value:.3f} {unit}"


def run(speed: float = 100.0) -> dict[str, dict[str, float | None]]:
    """Launch both, fail each over RUNS times; print the table and return the medians by kind."""
    os.environ.setdefault("RDS_WIZARD_HOME", tempfile.mkdtemp(prefix="rds-wizard-bench-"))
    import wizard.demo
    from presets import load_preset
    from wizard.aws.failover import FailoverTest, preflight
    from wizard.aws.gateway import ConnectionOptions, open_gateway
    from wizard.aws.probes import DbCredentials
    from wizard.aws.provisioning import follow
    from wizard.demo.realdb import realdb_available
    from wizard.launch import launch

    ok, reason = realdb_available()
    if not ok:
        print(f"skipped: {reason}")
        return {}
    original = wizard.demo.start_demo
    demos: list[Any] = []

    def recording(*args: Any, **kwargs: Any) -> Any:
        demos.append(original(*args, **kwargs))
        return demos[-1]

    wizard.demo.start_demo = recording  # type: ignore[assignment]
    figures: dict[str, dict[str, list[float]]] = {}
    medians: dict[str, dict[str, float | None]] = {}
    try:
        with open_gateway(ConnectionOptions(demo=True, demo_speed=speed)) as gateway:
            targets = {"instance": ("teaching-demo", "bench-db"), "cluster": ("multi-az-cluster-postgres",
                                                                               "bench-cluster")}
            for kind, (preset, identifier) in targets.items():
                spec = load_preset(preset)
                spec.settings.identifier = identifier
                spec.settings.credentials = "self-managed"
                spec.settings.master_password = SecretStr(PASSWORD)
                spec.database.name = "appdb"
                result = launch(spec, gateway)
                assert follow(result.follower(gateway), lambda _p: None).outcome == "available", kind
            creds = DbCredentials("postgres", SecretStr(PASSWORD), "appdb")
            for kind, (_, identifier) in targets.items():
                got = figures.setdefault(kind, {key: [] for key in FIGURES})
                for n in range(RUNS):
                    pre = preflight(gateway, identifier, credentials=creds)
                    assert pre.app_probe_ready, pre.app_probe_note
                    began = time.monotonic()
                    report = FailoverTest(gateway, pre).run(confirmation=identifier)
                    got["test"].append(time.monotonic() - began)
                    assert report.az_swapped and report.app is not None and report.app.rpo_zero, report.app
                    window = [w for w in demos[0].outage_windows(identifier) if w.kind != "reboot"][n]
                    if report.outage_seconds is not None:
                        got["tcp"].append(report.outage_seconds)
                        got["tcp_rds"].append(report.outage_aws_seconds or 0.0)
                    if report.app.rto_seconds is not None:
                        got["rto"].append(report.app.rto_seconds)
                        got["beyond"].append(report.app.rto_seconds - (window.seconds or 0.0))
                medians[kind] = {name: _median(values) for name, values in got.items()}
    finally:
        wizard.demo.start_demo = original  # type: ignore[assignment]
    rows = [("tcp", "TCP outage clients saw (real)"), ("tcp_rds", "same, scaled to RDS time"),
            ("rto", "application RTO (real)"), ("beyond", "RTO beyond the demo's outage window"),
            ("test", "one guided test, request to report")]
    print(f"demo speed {speed:g}x; median of {RUNS} failovers each; RPO = 0 on every run")
    print(f"{'':42} {'instance':>12} {'cluster':>12} {'cluster/instance':>17}")
    for key, label in rows:
        base, value = medians["instance"][key], medians["cluster"][key]
        ratio = f"{value / base:.2f}x" if base and value is not None else "n/a"
        print(f"{label:42} {_fmt(base):>12} {_fmt(value):>12} {ratio:>17}")
    return medians


def test_bench_cluster_failover() -> None:
    """pytest entry point (benchmarks are not in the default run)."""
    run()


if __name__ == "__main__":
    run(float(sys.argv[1]) if len(sys.argv) > 1 else 100.0)
