"""Benchmark of the demo itself at its default speed: cold start, a Multi-AZ create, a forced failover.

Reports how long `start_demo` takes in a fresh process (imports included), the wall time of a Multi-AZ
create (the brief: 30-60 s at the default speed), and a failover's outage as a 10 ms TCP probe saw it
next to the demo's own outage window.

Run: ``.venv/bin/python tests/benchmarks/bench_demo_lifecycle.py [SPEED]``.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time

COLD_START = (
    "import time; t = time.perf_counter(); from wizard.demo import start_demo; d = start_demo(); "
    "print(f'{time.perf_counter() - t:.3f} {d.ready_seconds:.3f}'); d.stop()"
)


def _connects(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def run(speed: float | None = None) -> None:
    """Print the three measurements."""
    cold = subprocess.run([sys.executable, "-c", COLD_START], capture_output=True, text=True, check=True)
    total, ready = (float(x) for x in cold.stdout.split())
    print(f"cold start_demo: {total:.2f} s in a fresh process ({ready:.2f} s after imports)")

    from wizard.demo import start_demo

    demo = start_demo(speed)
    try:
        rds = demo.client("rds")
        started = time.monotonic()
        rds.create_db_instance(DBInstanceIdentifier="bench-db", DBInstanceClass="db.m6g.large",
                               Engine="postgres", MultiAZ=True, MasterUsername="bench",
                               ManageMasterUserPassword=True, AllocatedStorage=100,
                               DBSubnetGroupName="demo-multi-az", BackupRetentionPeriod=7)
        while True:
            db = rds.describe_db_instances(DBInstanceIdentifier="bench-db")["DBInstances"][0]
            if db["DBInstanceStatus"] == "available":
                break
            time.sleep(0.1)
        print(f"Multi-AZ create at {demo.speed:g}x: {time.monotonic() - started:.1f} s wall")

        host, port = db["Endpoint"]["Address"], db["Endpoint"]["Port"]
        rds.reboot_db_instance(DBInstanceIdentifier="bench-db", ForceFailover=True)
        down_at = up_at = None
        while up_at is None:
            addresses = demo.resolve(host)
            ok = bool(addresses) and _connects(addresses[0], port)
            now = time.monotonic()
            if not ok and down_at is None:
                down_at = now
            if ok and down_at is not None:
                up_at = now
            time.sleep(0.01)
        [window] = demo.outage_windows("bench-db")
        assert window.seconds is not None and down_at is not None
        early, late = down_at - window.started_monotonic, up_at - window.ended_monotonic
        print(f"failover outage: probe {up_at - down_at:.2f} s, demo window {window.seconds:.2f} s, "
              f"probe saw it {early:+.3f} s / {late:+.3f} s from its start / end")
    finally:
        demo.stop()


def test_demo_lifecycle_benchmark() -> None:
    """pytest entry (not in the default run): the default speed."""
    run()


if __name__ == "__main__":
    run(float(sys.argv[1]) if len(sys.argv) > 1 else None)
