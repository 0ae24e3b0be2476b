"""Benchmark of the Databases screen (not in the default run): `python tests/benchmarks/bench_databases.py`.

On the demo with 500 DB instances: the time from opening the screen until all 500 rows are drawn, against
the same screen showing one instance in the same run (the ratio is the figure that travels between
machines), and the number of AWS calls one refresh makes (botocore's paginators: 100 records a page).

The instances are created at demo speed 1, so none leaves `creating` (nor starts a database server)
during the run: what is measured is the list, not the demo's servers.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from typing import Any

RUNS = 5
INSTANCES = 500


def _seed(demo: Any, count: int) -> None:
    rds = demo.client("rds")
    for number in range(count):
        rds.create_db_instance(DBInstanceIdentifier=f"bench-{number:04d}", DBInstanceClass="db.t4g.micro",
                               Engine="postgres", AllocatedStorage=20, MasterUsername="app_admin",
                               MasterUserPassword="not-a-real-pw-1", MultiAZ=number % 3 == 0,
                               DBSubnetGroupName="demo-multi-az", BackupRetentionPeriod=0)


async def _time_to_show(gateway: Any, expected: int) -> float:
    from textual.app import App
    from textual.widgets import DataTable

    from screens.databases import DatabasesScreen

    class Host(App[None]):
        pass

    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        started = time.perf_counter()
        screen = DatabasesScreen(lambda: gateway)
        await app.push_screen(screen)
        while screen.query_one("#db-table", DataTable).row_count < expected:
            await pilot.pause(0.005)
        return time.perf_counter() - started


def _median_time(gateway: Any, expected: int) -> float:
    return statistics.median(asyncio.run(_time_to_show(gateway, expected)) for _ in range(RUNS))


def main() -> None:
    from wizard.aws.gateway import _demo_gateway
    from wizard.day2.inventory import list_databases
    from wizard.demo import start_demo

    small, large = start_demo(speed=1), start_demo(speed=1)
    try:
        _seed(small, 1)
        _seed(large, INSTANCES)
        one, many = _demo_gateway(small), _demo_gateway(large)
        baseline = _median_time(one, 1)
        measured = _median_time(many, INSTANCES)
        started = time.perf_counter()
        for _ in range(RUNS):
            list_databases(many)
        api = (time.perf_counter() - started) / RUNS
        before = dict(large.calls)
        list_databases(many)
        calls = {k: v - before.get(k, 0) for k, v in large.calls.items() if v - before.get(k, 0)}
        print(f"Databases screen, time to show {INSTANCES} instances: {measured * 1000:.0f} ms "
              f"(one instance: {baseline * 1000:.0f} ms; ratio {measured / baseline:.1f}x), "
              f"median of {RUNS}; "
              f"of which the describes alone (the demo serializing 500 records): {api * 1000:.0f} ms")
        print(f"AWS calls per refresh with {INSTANCES} instances: {sum(calls.values())} ({calls})")
    finally:
        small.stop()
        large.stop()


if __name__ == "__main__":
    main()
