"""The demo's real PostgreSQL pair: synchronous replication, failover with RPO = 0, rejoin, cleanup."""

from __future__ import annotations

import contextlib
import os
import random
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from wizard.demo.realdb import PostgresPair, RealDBError, _leftovers, realdb_available

psycopg = pytest.importorskip("psycopg")

PASSWORD = "Demo-pass-7731"


@pytest.fixture(autouse=True)
def _servers_can_run() -> None:
    ok, reason = realdb_available()
    if not ok:
        pytest.skip(reason)


def free_loopback() -> tuple[str, int]:
    """Return a loopback address nobody listens on, away from the 127.0.0.x the demo uses."""
    while True:
        host = f"127.{random.randint(100, 250)}.{random.randint(0, 255)}.{random.randint(2, 254)}"
        with socket.socket() as probe:
            try:
                probe.bind((host, 5432))
            except OSError:
                continue
        return host, 5432


def shm_segments() -> set[int]:
    return {int(row.split()[1]) for row in Path("/proc/sysvipc/shm").read_text().splitlines()[1:]}


def postgres_zombies() -> list[int]:
    """Exited server processes handed to this process (a subreaper) and never reaped."""
    zombies = []
    for pid in _leftovers.children_of(os.getpid()):
        with contextlib.suppress(OSError):
            stat = Path(f"/proc/{pid}/stat").read_text()
            if "(postgres)" in stat and stat.rsplit(")", 1)[1].split()[0] == "Z":
                zombies.append(pid)
    return zombies


def posix_shm() -> set[str]:
    return {name for name in os.listdir("/dev/shm") if name.startswith("PostgreSQL.")}


class Writer(threading.Thread):
    """Commits numbered rows as fast as it can, reconnecting like an application, until stopped."""

    def __init__(self, pair: PostgresPair) -> None:
        super().__init__(daemon=True)
        self.pair = pair
        self.acked: list[int] = []
        self.failures = 0
        self.next_id = 0
        self.halt = threading.Event()

    def run(self) -> None:
        conn = None
        while not self.halt.is_set():
            try:
                if conn is None:
                    conn = psycopg.connect(**self.pair.connect_kwargs(), autocommit=True)
                conn.execute("INSERT INTO beats (id) VALUES (%s)", (self.next_id,))
                self.acked.append(self.next_id)
            except psycopg.OperationalError:
                self.failures += 1
                if conn is not None:
                    conn.close()
                conn = None
                time.sleep(0.01)
            # Never reused, acknowledged or not: a failed commit may still have reached the standby.
            self.next_id += 1
        if conn is not None:
            conn.close()

    def write_for(self, rows: int) -> None:
        """Let at least `rows` more commits succeed."""
        target = len(self.acked) + rows
        deadline = time.monotonic() + 30
        while len(self.acked) < target and time.monotonic() < deadline:
            time.sleep(0.005)


def rows_on_primary(pair: PostgresPair) -> set[int]:
    with psycopg.connect(**pair.connect_kwargs()) as conn:
        return {row[0] for row in conn.execute("SELECT id FROM beats")}


@pytest.fixture
def pair() -> Iterator[PostgresPair]:
    built = PostgresPair.create(None, free_loopback(), free_loopback(), "demo_admin", PASSWORD, "appdb")
    with built:
        yield built


@pytest.mark.slow
def test_failover_there_and_back_loses_no_acknowledged_commit(pair: PostgresPair) -> None:
    first, second = pair.current_primary_addr(), pair.current_standby_addr()
    assert pair.in_sync() and second is not None
    with pytest.raises(psycopg.OperationalError, match="rejects connection"):
        psycopg.connect(**{**pair.connect_kwargs(), "host": second[0]})  # as on RDS: no standby access
    with psycopg.connect(**pair.connect_kwargs()) as conn:
        conn.execute("CREATE TABLE beats (id integer PRIMARY KEY, at timestamptz DEFAULT now())")
        assert conn.execute("SELECT current_database(), current_user").fetchone() == ("appdb", "demo_admin")
        assert conn.execute("SHOW synchronous_commit").fetchone() == ("on",)

    writer = Writer(pair)
    writer.start()
    try:
        writer.write_for(50)
        there = pair.fail_over()
        assert (there.old_primary, there.new_primary) == (first, second)
        assert pair.current_primary_addr() == second
        writer.write_for(50)
        assert set(writer.acked) <= rows_on_primary(pair)

        rejoin = pair.rejoin_old_primary()
        assert rejoin.standby == first and pair.in_sync()
        writer.write_for(50)

        back = pair.fail_over()
        assert (back.old_primary, back.new_primary) == (second, first)
        writer.write_for(50)
    finally:
        writer.halt.set()
        writer.join(10)
    assert pair.current_primary_addr() == first
    assert set(writer.acked) <= rows_on_primary(pair)
    assert writer.failures >= 1  # the writer did live through both outages
    assert there.killed_at <= there.promoted_at and back.killed_at <= back.promoted_at

    pair.rejoin_old_primary()
    assert pair.in_sync() and pair.current_standby_addr() == second
    assert postgres_zombies() == []  # the killed servers' processes were all reaped


@pytest.mark.slow
def test_password_is_never_written_to_disk(pair: PostgresPair) -> None:
    with psycopg.connect(**pair.connect_kwargs()) as conn:
        conn.execute("SELECT 1")
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(**{**pair.connect_kwargs(), "password": "wrong-password"})
    for path in pair.home.rglob("*"):
        if path.is_file():
            assert PASSWORD.encode() not in path.read_bytes(), path
    assert PASSWORD not in repr(pair)


@pytest.mark.slow
def test_single_server_then_multi_az_conversion() -> None:
    addr = free_loopback()
    with PostgresPair.create(None, addr, None, "solo", PASSWORD, None) as single:
        with psycopg.connect(**single.connect_kwargs(), autocommit=True) as conn:
            assert conn.execute("SELECT current_database()").fetchone() == ("postgres",)
            conn.execute("CREATE TABLE beats (id integer PRIMARY KEY)")
            conn.execute("INSERT INTO beats VALUES (1)")
        assert single.current_standby_addr() is None and not single.in_sync()
        with pytest.raises(RealDBError, match="needs a standby"):
            single.fail_over()

        single.build_standby(free_loopback())
        single.wait_in_sync()
        single.fail_over()
        assert rows_on_primary(single) == {1}
        assert single.current_primary_addr() != addr

        single.remove_standby()  # back to Single-AZ: commits must not wait for a standby any more
        assert single.current_standby_addr() is None
        with psycopg.connect(**single.connect_kwargs(), autocommit=True) as conn:
            conn.execute("INSERT INTO beats VALUES (2)")
        single.kill_primary()  # a Single-AZ reboot
        single.restart_primary()
        assert rows_on_primary(single) == {1, 2}


@pytest.mark.slow
def test_stop_leaves_no_process_folder_or_shared_memory() -> None:
    segments_before, posix_before = shm_segments(), posix_shm()
    pair = PostgresPair.create(None, free_loopback(), free_loopback(), "demo_admin", PASSWORD, None)
    pair.fail_over()  # a killed server is the one that leaks shared memory
    data_dirs = [folder / "data" for folder in (pair.home / "a", pair.home / "b")]  # the two servers' folders
    assert any(_leftovers.processes_in(d) for d in data_dirs)
    pair.stop()
    assert not any(_leftovers.processes_in(d) for d in data_dirs)
    assert not pair.home.exists()
    assert shm_segments() <= segments_before
    assert posix_shm() <= posix_before
    assert postgres_zombies() == []


@pytest.mark.slow
def test_a_killed_wizard_leaves_nothing_behind() -> None:
    """SIGKILL gives no chance to clean up: the watchdog must do it."""
    script = textwrap.dedent(
        f"""
        from wizard.demo.realdb import PostgresPair
        pair = PostgresPair.create(None, {free_loopback()!r}, None, "demo_admin", "x-{PASSWORD}", None)
        print(pair.home, pair._nodes[0].data, flush=True)
        import time; time.sleep(60)
        """
    )
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        home, data = (Path(p) for p in child.stdout.readline().split())
        assert _leftovers.processes_in(data)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    deadline = time.monotonic() + 20
    while (home.exists() or _leftovers.processes_in(data)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _leftovers.processes_in(data)
    assert not home.exists()


def test_names_and_addresses_are_checked_before_anything_starts() -> None:
    with pytest.raises(ValueError, match="reserved"):
        PostgresPair(None, ("127.0.0.2", 5432), None, "rdsadmin", PASSWORD, None)
    with pytest.raises(ValueError, match="must start with a letter"):
        PostgresPair(None, ("127.0.0.2", 5432), None, "1admin", PASSWORD, None)
    with pytest.raises(ValueError, match="its own loopback address"):
        PostgresPair(None, ("127.0.0.2", 5432), ("127.0.0.2", 5432), "admin", PASSWORD, None)


def test_dead_owners_leftovers_are_cleaned(tmp_path: Path) -> None:
    base = tmp_path / "registry"
    dead = base / "1-dead"
    dead.mkdir(parents=True)
    (dead / "owner").write_text("999999999 1\n")
    stray = tmp_path / "stray-data"
    stray.mkdir()
    (dead / "paths").write_text(f"dir {stray}\n")
    alive = base / "2-alive"
    alive.mkdir()
    (alive / "owner").write_text(f"{os.getpid()} {_leftovers.process_start_time(os.getpid())}\n")
    assert _leftovers.clean_dead_owners(base) == [dead]
    assert not dead.exists() and not stray.exists() and alive.exists()


@pytest.mark.slow
def test_demo_network_seam_failover_reboot_and_back() -> None:
    from wizard.demo.network import InstanceInfo, NodeAddress
    from wizard.demo.realdb.network import realdb_factory

    info = InstanceInfo("teaching-db", "postgres", 5432, "demo_admin", None)
    a, b = (NodeAddress(az, *free_loopback()) for az in ("us-east-1a", "us-east-1b"))
    network = realdb_factory(lambda _: PASSWORD, lambda _: "appdb")(info, {a.az: a, b.az: b})
    network.start(a, b)
    try:
        pair = network.pair
        assert pair is not None and pair.in_sync()
        assert pair.sql("SELECT application_name, sync_state FROM pg_stat_replication").split() == [
            "us_east_1b|sync"
        ]
        with psycopg.connect(**pair.connect_kwargs(), autocommit=True) as conn:
            conn.execute("CREATE TABLE beats (id integer PRIMARY KEY)")
            conn.execute("INSERT INTO beats VALUES (1)")
        network.begin_outage()  # a reboot without failover: the same primary comes back
        with pytest.raises(psycopg.OperationalError):
            psycopg.connect(**pair.connect_kwargs())
        network.end_outage(a, b)
        assert pair.current_primary_addr() == (a.host, a.port)
        pair.wait_in_sync()
        for primary, standby, row in ((b, a, 2), (a, b, 3)):  # failover there, then back
            network.begin_outage()
            network.end_outage(primary, standby)
            assert pair.current_primary_addr() == (primary.host, primary.port)
            with psycopg.connect(**pair.connect_kwargs(), autocommit=True) as conn:
                conn.execute("INSERT INTO beats VALUES (%s)", (row,))
        assert rows_on_primary(pair) == {1, 2, 3}
        assert not network.problems
    finally:
        network.stop()
    assert not pair.home.exists()
