"""Three real PostgreSQL servers as a Multi-AZ DB cluster: a writer and two readable standbys.

What RDS promises for a Multi-AZ DB cluster ("Multi-AZ DB cluster deployments", RDS User Guide,
https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/multi-az-db-clusters-concepts.html): one writer and
two readers in three AZs; a commit is acknowledged once at least one reader has it (semisynchronous
replication); the readers serve reads; a failover promotes a reader and the old writer comes back as a
reader. PostgreSQL's quorum commit gives exactly that: ``synchronous_standby_names = 'ANY 1 (r1, r2)'``
with ``synchronous_commit = on`` acknowledges a commit once one reader has flushed it (readers may still
lag in what they *show*, as RDS's ReplicaLag says of them).

A failover kills the writer (as RDS terminates it), promotes the reader that received the most WAL (the
other one holds no acknowledged commit it lacks, so RPO = 0 whichever reader had acknowledged it), makes
the new writer wait for one of its two future readers, re-points the other reader at it (it follows the
new timeline by streaming), and `rejoin_old_writer` turns the old writer into a reader with pg_rewind
(a fresh copy when pg_rewind cannot work), as the instance pair does.

The server steps (copying a fresh initdb, cloning, promoting, killing, cleaning up, the registry that
stops everything when the wizard exits or is killed) are `PostgresPair`'s; this class adds the third
server and the cluster's roles.
"""

from __future__ import annotations

import shutil
import signal
import time
from dataclasses import dataclass
from pathlib import Path

from wizard.demo.realdb import _leftovers
from wizard.demo.realdb.pair import (
    AUTO_CONF_HEADER,
    HBA_PRIMARY,
    REPLICATION_USER,
    Address,
    FailoverTimes,
    PostgresPair,
    RealDBError,
    RejoinTimes,
    _Node,
    _server_name,
)

# A reader takes client logins like the writer (hot standby makes every session read-only) and serves
# replication to a reader that catches up from it.
HBA_READER = HBA_PRIMARY.replace("demo primary", "demo reader (read-only: a hot standby)")
STREAM_TIMEOUT = 60.0


@dataclass(frozen=True)
class ClusterMember:
    """One server of the cluster: its name (from its AZ), address and role now."""

    name: str
    addr: Address
    writer: bool
    running: bool


class PostgresCluster(PostgresPair):
    """A writer and two readers with quorum synchronous replication; see the module docs.

    Only the cluster's own methods below (and the pair's access and stopping methods: `connect_kwargs`,
    `sql`, `set_master_password`, `memory_usage`, `storage_bytes`, `stop`) apply; the pair's
    single-standby steps are refused.
    """

    def __init__(
        self,
        root_dir: Path | None,
        addrs: tuple[Address, Address, Address],
        names: tuple[str, str, str],
        master_username: str,
        master_password: str,
        initial_database: str | None,
    ) -> None:
        """Check the settings and reserve folders for three servers; the first address is the writer's."""
        if len(set(addrs)) != 3:
            raise ValueError("The three members of a cluster need three different addresses (one per AZ).")
        server_names = [_server_name(n) for n in names]
        if len(set(server_names)) != 3:
            raise ValueError(f"The three members need different names, not {', '.join(names)}.")
        super().__init__(root_dir, addrs[0], addrs[1], master_username, master_password, initial_database,
                         names=(names[0], names[1]))
        self._nodes.append(_Node(server_names[2], self.home / "c", addrs[2]))
        self.failovers = 0

    @classmethod
    def build(
        cls,
        root_dir: Path | None,
        addrs: tuple[Address, Address, Address],
        names: tuple[str, str, str],
        master_username: str,
        master_password: str,
        initial_database: str | None = None,
    ) -> PostgresCluster:
        """Build the writer and both readers and wait until the writer has its quorum."""
        cluster = cls(root_dir, addrs, names, master_username, master_password, initial_database)
        try:
            cluster.build_primary()
            cluster.build_readers()
            cluster.wait_in_sync()
        except BaseException:
            cluster.stop()
            raise
        return cluster

    def __repr__(self) -> str:
        """Describe the cluster without its passwords."""
        return f"PostgresCluster(writer={self._primary.addr}, user={self.master_username!r})"

    # ----------------------------------------------------------------- building

    def build_readers(self) -> None:
        """Clone the writer into both readers, then make commits wait for one of them."""
        with self._lock:
            writer = self._primary
            for node in self._readers():
                self._make_home(node)
                self._create_slot(writer, node.name)
                self._clone(node, writer)
                self._follow(node, writer)
                self._start(node)
            for node in self._readers():
                self._wait_streaming(writer, node)
            # Only after the copies: a reader cloned from a writer that waits for a quorum would inherit
            # that setting and, once promoted, wait for readers before it has any.
            self._set_quorum(writer)

    def wait_in_sync(self, timeout: float = 60.0) -> float:
        """Wait until both readers stream as quorum candidates; return when (time.time())."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                if self._quorum_members() == len(self._readers()):
                    return time.time()
            if time.monotonic() > deadline:
                raise RealDBError(f"The readers did not reach quorum replication in {timeout:.0f} s.")
            time.sleep(0.02)

    def in_sync(self) -> bool:
        """Tell whether both readers confirm commits as quorum candidates now."""
        with self._lock:
            return self._killed_at is None and self._quorum_members() == len(self._readers())

    # ----------------------------------------------------------------- access

    def members(self) -> list[ClusterMember]:
        """Every server, writer first."""
        with self._lock:
            ordered = [self._primary, *self._readers()]
            return [ClusterMember(n.name, n.addr, n is self._primary, n.running()) for n in ordered]

    def writer_addr(self) -> Address:
        """Where the cluster endpoint should lead now."""
        return self.current_primary_addr()

    def reader_addrs(self) -> list[Address]:
        """Where the reader endpoint should lead now: the readers that run."""
        with self._lock:
            return [n.addr for n in self._readers() if n.running() and n is not self._down]

    # ----------------------------------------------------------------- failover

    def choose_reader(self, target: Address | None = None) -> Address:
        """Kill the writer (as RDS terminates it) and return the reader `fail_over` will promote: `target`
        if given, else the one that received the most WAL."""
        with self._lock:
            readers = [n for n in self._readers() if n.running()]
            if not readers:
                raise RealDBError("A failover needs a running reader; none runs.")
            self.kill_primary()
            if target is not None:
                return self._node_at(target).addr
            return max(readers, key=self._received_lsn).addr

    def fail_over(self, target: Address | None = None) -> FailoverTimes:
        """Kill the writer (unless `kill_primary` already did) and promote a reader.

        Without `target`, the reader that received the most WAL: it holds every acknowledged commit. A
        `target` behind the other reader first catches up from it (cascading replication), so a chosen
        target loses nothing either. The other reader follows the new writer.
        """
        with self._lock:
            old = self._primary
            readers = [n for n in self._readers() if n.running()]
            if not readers:
                raise RealDBError("A failover needs a running reader; none runs.")
            killed_at = self.kill_primary()
            positions = {n.name: self._received_lsn(n) for n in readers}
            best = max(readers, key=lambda n: positions[n.name])
            chosen = best if target is None else self._node_at(target)
            if chosen not in readers:
                raise RealDBError(f"The failover target {chosen.name} is not a running reader.")
            if positions[chosen.name] < positions[best.name]:
                self._catch_up(chosen, best, positions[best.name])
            others = [n for n in self._readers() if n is not chosen]
            self._promote(chosen)
            promoted_at = time.time()
            self._primary, self._down = chosen, old
            self._killed_at = None
            self.failovers += 1
            # The new writer keeps the promise at once: its commits wait for one of its future readers.
            for node in [*others, old]:
                self._create_slot(chosen, node.name)
            self._set_quorum(chosen)
            for node in others:
                if node.running():
                    self._follow(node, chosen)
                    self._reload(node)
            return FailoverTimes(old.addr, chosen.addr, killed_at, promoted_at)

    def rejoin_old_writer(self, timeout: float = 60.0) -> RejoinTimes:
        """Rewind the killed writer onto the new timeline and start it as a reader."""
        with self._lock:
            node, writer = self._down, self._primary
            if node is None or self._stopped:
                raise RealDBError("There is no failed writer to rejoin.")
            started_at = time.time()
            _leftovers.kill_processes_in(node.data)
            source = f"host={writer.sock} port={writer.addr[1]} user=rdsadmin dbname=postgres"
            try:
                self._tool(
                    "pg_rewind", "-D", str(node.data), f"--source-server={source}", "--no-sync",
                    what="pg_rewind (rewinding the failed writer)", timeout=timeout,
                )  # fmt: skip
            except RealDBError:
                self.rewind_fallbacks += 1
                shutil.rmtree(node.data, ignore_errors=True)
                self._clone(node, writer)
            # A commit flushes the new writer's WAL past the point pg_rewind made the node consistent at.
            self._sql(writer, "SELECT pg_current_xact_id();")
            self._follow(node, writer)
            self._clear_slots(node)
            self._start(node)
            self._down = None
            self._wait_streaming(writer, node, timeout)
            in_sync_at = self.wait_in_sync(timeout)
            return RejoinTimes(node.addr, started_at, in_sync_at)

    def kill_member(self, addr: Address) -> None:
        """SIGKILL one server (a reboot of that member begins); the writer's goes through `kill_primary`."""
        with self._lock:
            node = self._node_at(addr)
            if node is self._primary:
                self.kill_primary()
            else:
                self._kill(node)

    def restart_member(self, addr: Address) -> None:
        """Start a killed server again in place, in its role (crash recovery; readers reconnect)."""
        with self._lock:
            node = self._node_at(addr)
            if node is self._primary:
                if self._killed_at is not None:
                    self.restart_primary()
            elif not node.running() and node is not self._down:
                self._start(node)

    def build_standby(self, standby_addr: Address | None = None) -> None:
        """Not for a cluster: its readers come from `build_readers`."""
        raise RealDBError("A Multi-AZ DB cluster has two readers, built by build_readers().")

    def remove_standby(self) -> None:
        """Not for a cluster: it always has two readers."""
        raise RealDBError("A Multi-AZ DB cluster keeps its two readers.")

    def rejoin_old_primary(self, timeout: float = 60.0) -> RejoinTimes:
        """The cluster's name for it is `rejoin_old_writer`."""
        return self.rejoin_old_writer(timeout)

    # ----------------------------------------------------------------- internals

    def _readers(self) -> list[_Node]:
        return [n for n in self._nodes if n is not self._primary]

    def _node_at(self, addr: Address) -> _Node:
        node = next((n for n in self._nodes if n.addr == tuple(addr)), None)
        if node is None:
            raise RealDBError(f"No member of this cluster listens on {addr[0]}:{addr[1]}.")
        return node

    def _follow(self, node: _Node, writer: _Node) -> None:
        """Point a reader at the writer (a standby, streaming through its own slot), open to reads."""
        conninfo = (
            f"host={writer.addr[0]} port={writer.addr[1]} user={REPLICATION_USER} "
            f"password={self._repl_password} application_name={node.name}"
        )
        self._write(
            node.data / "postgresql.auto.conf",
            f"{AUTO_CONF_HEADER}primary_conninfo = '{conninfo}'\nprimary_slot_name = '{node.name}'\n",
        )
        self._write(node.data / "standby.signal", "")
        self._write(node.hba, HBA_READER)
        (node.data / "promote").unlink(missing_ok=True)

    def _clear_slots(self, node: _Node) -> None:
        # pg_rewind copied the writer's slots; a reader holds none of its own (only while stopped).
        slots = node.data / "pg_replslot"
        for slot in slots.iterdir() if slots.exists() else ():
            shutil.rmtree(slot, ignore_errors=True)

    def _reload(self, node: _Node) -> None:
        """Make a running reader read its configuration again (a new primary_conninfo restarts its
        WAL receiver, which then follows the new writer's timeline)."""
        if node.proc is not None and node.proc.poll() is None:
            node.proc.send_signal(signal.SIGHUP)

    def _set_quorum(self, writer: _Node) -> None:
        names = ", ".join(n.name for n in self._nodes if n is not writer)
        self._sql(
            writer,
            f"ALTER SYSTEM SET synchronous_standby_names = 'ANY 1 ({names})';\nSELECT pg_reload_conf();",
        )

    def _quorum_members(self) -> int:
        if self._killed_at is not None:
            return 0
        rows = self._sql(
            self._primary,
            "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming' AND sync_state = 'quorum';",
        ).split()
        return int(rows[0]) if rows else 0

    def _received_lsn(self, node: _Node) -> int:
        """The WAL position a reader has received and flushed, as a number (0 if it cannot say)."""
        text = self._sql(
            node, "SELECT coalesce(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn(), '0/0');"
        ).strip()
        high, _, low = text.partition("/")
        try:
            return (int(high, 16) << 32) + int(low, 16)
        except ValueError:
            return 0

    def _catch_up(self, node: _Node, source: _Node, position: int, timeout: float = 30.0) -> None:
        """Let a reader stream what it lacks from a more advanced reader before it is promoted."""
        self._follow(node, source)
        self._write(node.data / "postgresql.auto.conf",
                    (node.data / "postgresql.auto.conf").read_text().replace(
                        f"primary_slot_name = '{node.name}'\n", ""))
        self._reload(node)
        deadline = time.monotonic() + timeout
        while self._received_lsn(node) < position:
            if time.monotonic() > deadline:
                raise RealDBError(f"The reader {node.name} did not catch up from {source.name} in time.")
            time.sleep(0.01)
