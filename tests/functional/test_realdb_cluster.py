"""The demo's real PostgreSQL Multi-AZ DB cluster, without the demo API: quorum commit, failover choice,
a lagging target that catches up first, the old writer rejoining, member reboots, and cleanup."""

from __future__ import annotations

import random
import socket
from pathlib import Path
from typing import Any

import pytest
from demo_support import wait_for

from wizard.demo.realdb import realdb_available
from wizard.demo.realdb.cluster import PostgresCluster

psycopg = pytest.importorskip("psycopg")
pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]

PASSWORD = "Cluster-pass-4410"
ZONES = ("us-east-1a", "us-east-1b", "us-east-1c")


@pytest.fixture(autouse=True)
def _servers_can_run() -> None:
    ok, reason = realdb_available()
    if not ok:
        pytest.skip(reason)


def _free_loopback() -> tuple[str, int]:
    while True:
        host = f"127.{random.randint(100, 250)}.{random.randint(0, 255)}.{random.randint(2, 254)}"
        with socket.socket() as probe:
            try:
                probe.bind((host, 5432))
            except OSError:
                continue
        return host, 5432


def _connect(addr: tuple[str, int]) -> Any:
    return psycopg.connect(host=addr[0], port=addr[1], user="app", password=PASSWORD, dbname="appdb",
                           autocommit=True, connect_timeout=5)


def _count(addr: tuple[str, int]) -> int:
    with _connect(addr) as conn:
        return int(conn.execute("SELECT count(*) FROM ledger").fetchone()[0])


def _build() -> PostgresCluster:
    addrs = (_free_loopback(), _free_loopback(), _free_loopback())
    while len(set(addrs)) != 3:
        addrs = (_free_loopback(), _free_loopback(), _free_loopback())
    return PostgresCluster.build(None, addrs, ZONES, "app", PASSWORD, "appdb")


def _behind_reader(cluster: PostgresCluster) -> tuple[tuple[str, int], tuple[str, int]]:
    """Make one reader miss the last commits (down while the other acknowledged them), then kill the
    writer and start the lagging reader again: (lagging reader, up-to-date reader)."""
    lagging, current = cluster.reader_addrs()
    with _connect(cluster.writer_addr()) as conn:
        conn.execute("CREATE TABLE ledger (id int PRIMARY KEY)")
        conn.execute("INSERT INTO ledger SELECT generate_series(1, 10)")
    wait_for("both readers to show the first rows", lambda: _count(lagging) == _count(current) == 10)
    cluster.kill_member(lagging)
    with _connect(cluster.writer_addr()) as conn:
        # Acknowledged: the remaining reader alone makes the quorum of ANY 1.
        conn.execute("INSERT INTO ledger SELECT generate_series(11, 50)")
    cluster.kill_primary()
    cluster.restart_member(lagging)  # it cannot reach the dead writer: it stays behind
    assert _count(lagging) == 10 and _count(current) == 50
    return lagging, current


def test_without_a_target_the_most_advanced_reader_becomes_the_writer() -> None:
    with _build() as cluster:
        old_writer = cluster.writer_addr()
        lagging, current = _behind_reader(cluster)
        assert cluster.choose_reader(None) == current
        times = cluster.fail_over(current)
        assert times.old_primary == old_writer and times.new_primary == current
        assert cluster.writer_addr() == current
        with _connect(current) as conn:
            conn.execute("INSERT INTO ledger VALUES (51)")  # the lagging reader follows and confirms it
        assert _count(current) == 51
        cluster.rejoin_old_writer()
        assert sorted(cluster.reader_addrs()) == sorted([lagging, old_writer])
        assert cluster.in_sync()
        for reader in cluster.reader_addrs():
            with _connect(reader) as conn:
                assert conn.execute("SELECT pg_is_in_recovery()").fetchone() == (True,)
                with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
                    conn.execute("INSERT INTO ledger VALUES (99)")
        with _connect(current) as conn:
            assert conn.execute(
                "SELECT count(*) FROM pg_stat_replication WHERE sync_state = 'quorum'").fetchone() == (2,)


def test_a_lagging_target_catches_up_before_its_promotion_so_no_commit_is_lost() -> None:
    with _build() as cluster:
        lagging, _current = _behind_reader(cluster)
        assert cluster.choose_reader(lagging) == lagging
        cluster.fail_over(lagging)
        assert cluster.writer_addr() == lagging
        assert _count(lagging) == 50  # every acknowledged commit, taken from the other reader first
        cluster.rejoin_old_writer()
        assert cluster.in_sync()


def test_a_member_reboot_restarts_it_in_its_role_and_stop_leaves_nothing() -> None:
    cluster = _build()
    try:
        writer, reader = cluster.writer_addr(), cluster.reader_addrs()[0]
        with _connect(writer) as conn:
            conn.execute("CREATE TABLE ledger (id int PRIMARY KEY)")
        for member in (reader, writer):
            cluster.kill_member(member)
            with pytest.raises(psycopg.OperationalError):
                _connect(member).close()
            cluster.restart_member(member)
            assert cluster.writer_addr() == writer
        with _connect(writer) as conn:
            conn.execute("INSERT INTO ledger VALUES (1)")
        cluster.wait_in_sync()
        assert [m.writer for m in cluster.members()] == [True, False, False]
        home = cluster.home
    finally:
        cluster.stop()
    assert not Path(home).exists()
    assert not [m for m in cluster.members() if m.running]
