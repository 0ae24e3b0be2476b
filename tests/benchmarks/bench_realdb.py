"""Benchmark of the demo's real PostgreSQL pair: build time, failover RTO seen by a client, memory.

Run: ``.venv/bin/python tests/benchmarks/bench_realdb.py`` (or with pytest -s). Prints a table.
"""

from __future__ import annotations

import random
import socket
import statistics
import threading
import time

import psycopg

from wizard.demo.realdb import PostgresPair, realdb_available

BUILDS = 5
FAILOVERS = 10


def free_loopback() -> tuple[str, int]:
    """Return a loopback address nobody listens on."""
    while True:
        host = f"127.{random.randint(100, 250)}.{random.randint(0, 255)}.{random.randint(2, 254)}"
        with socket.socket() as probe:
            try:
                probe.bind((host, 5432))
            except OSError:
                continue
        return host, 5432


class Writer(threading.Thread):
    """Commits a row every millisecond or so and reconnects on failure, as an application would."""

    def __init__(self, pair: PostgresPair) -> None:
        super().__init__(daemon=True)
        self.pair = pair
        self.acks: list[tuple[int, float]] = []
        self.failures = 0
        self.halt = threading.Event()

    def run(self) -> None:
        conn = None
        seq = 0
        while not self.halt.is_set():
            seq += 1
            try:
                if conn is None:
                    conn = psycopg.connect(**self.pair.connect_kwargs(), autocommit=True)
                conn.execute("INSERT INTO beats (id) VALUES (%s)", (seq,))
                self.acks.append((seq, time.time()))
            except psycopg.OperationalError:
                self.failures += 1
                if conn is not None:
                    conn.close()
                conn = None
                time.sleep(0.005)
            time.sleep(0.001)


def summary(values: list[float]) -> str:
    """Median and worst, in milliseconds."""
    return f"{statistics.median(values) * 1000:8.0f} ms {max(values) * 1000:8.0f} ms"


def main() -> None:
    """Measure and print the table."""
    ok, reason = realdb_available()
    if not ok:
        print(f"skipped: {reason}")
        return
    builds = []
    for _ in range(BUILDS):
        started = time.monotonic()
        pair = PostgresPair.create(None, free_loopback(), free_loopback(), "bench", "bench-pass-1", "app")
        builds.append(time.monotonic() - started)
        pair.stop()

    pair = PostgresPair.create(None, free_loopback(), free_loopback(), "bench", "bench-pass-1", "app")
    with pair:
        memory = pair.memory_usage()
        storage = pair.storage_bytes()
        with psycopg.connect(**pair.connect_kwargs(), autocommit=True) as conn:
            conn.execute("CREATE TABLE beats (id integer PRIMARY KEY, at timestamptz DEFAULT now())")
        writer = Writer(pair)
        writer.start()
        promotes, rtos, rejoins = [], [], []
        for _ in range(FAILOVERS):
            time.sleep(0.3)
            times = pair.fail_over()
            promotes.append(times.promote_seconds)
            time.sleep(0.3)
            before = [t for _, t in writer.acks if t <= times.killed_at]
            after = [t for _, t in writer.acks if t > times.killed_at]
            rtos.append(min(after) - max(before))
            rejoins.append(pair.rejoin_old_primary().seconds)
        writer.halt.set()
        writer.join(5)
        with psycopg.connect(**pair.connect_kwargs()) as conn:
            stored = {row[0] for row in conn.execute("SELECT id FROM beats")}
        lost = [seq for seq, _ in writer.acks if seq not in stored]
        fallbacks = pair.rewind_fallbacks

    print()
    print(f"{'measure':44} {'median':>11} {'worst':>11}")
    print(f"{'first create to available (runs initdb)':44} {summary(builds[:1])}")
    print(f"{'later creates to available (copy a template)':44} {summary(builds[1:])}")
    print(f"{'fail_over: SIGKILL to promoted':44} {summary(promotes)}")
    print(f"{'RTO seen by a reconnecting writer':44} {summary(rtos)}")
    print(f"{'rejoin (pg_rewind to in sync)':44} {summary(rejoins)}")
    print(
        f"failovers: {FAILOVERS}, commits acknowledged: {len(writer.acks)}, failed attempts: "
        f"{writer.failures}, acknowledged but lost (RPO): {len(lost)}, rewind fallbacks: {fallbacks}"
    )
    print(
        f"pair memory: {memory.processes} processes, PSS {memory.pss_bytes / 2**20:.1f} MiB, "
        f"RSS sum {memory.rss_bytes / 2**20:.1f} MiB; data folders {storage / 2**20:.1f} MiB"
    )


def test_bench_realdb() -> None:
    """Run the benchmark under pytest (-s to see the table)."""
    main()


if __name__ == "__main__":
    main()
