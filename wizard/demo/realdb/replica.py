"""A real PostgreSQL read replica of a demo instance: asynchronous streaming, hot standby, read-only.

It is cloned from the source pair's current primary (pg_basebackup through a physical replication slot,
so the source keeps the WAL it needs) into a folder of its own, so deleting the source leaves it running,
as RDS leaves a replica when its source goes. Unlike the Multi-AZ standby it is never named in
synchronous_standby_names: commits on the source do not wait for it, so it lags. Clients reach it on its
own loopback address (its own endpoint), and any write there fails because it is in recovery.

It borrows the pair's own building steps (same package) instead of copying them, so a replica is built
exactly like a standby but for the synchronous step.
"""

from __future__ import annotations

import contextlib
import secrets
import shutil
import threading

from wizard.demo.network import InstanceInfo, NodeAddress
from wizard.demo.realdb import _leftovers, _runtime
from wizard.demo.realdb.pair import (
    HBA_PRIMARY,
    REPLICATION_USER,
    PostgresPair,
    RealDBError,
    _Node,
    _server_name,
)

# Lag as RDS for PostgreSQL reports it: nothing waiting to be replayed is no lag, however long ago the last
# commit was (an idle source must not look like a lagging replica); otherwise the age of the last replayed
# commit.
_LAG_SQL = (
    "SELECT CASE WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0 "
    "ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END;"
)


class PostgresReplica:
    """One asynchronous read replica of a `PostgresPair`'s primary."""

    def __init__(self, source: PostgresPair, address: NodeAddress, name: str) -> None:
        """Reserve the replica's folder; nothing starts before `build`."""
        # The source pair lends its building steps (which also serve after the source is deleted); the
        # replication slot lives on its primary while `attached`.
        self._steps = source
        self.attached = True
        self.name = _server_name(f"replica_{name}")
        parent = _runtime.REGISTRY.data_parent()
        parent.mkdir(parents=True, exist_ok=True)
        self.home = parent / f"pg-replica-{secrets.token_hex(3)}"
        _runtime.REGISTRY.record("dir", self.home)  # the leftovers reaper removes it if we die
        self.home.mkdir(mode=0o711)
        _runtime.REGISTRY.track(self)  # stopped at interpreter exit if nobody stopped it before
        self._node = _Node(self.name, self.home / "a", (address.host, address.port))
        self._lock = threading.RLock()
        self._promoted = False
        self._stopped = False
        self.apply_delay = 0.0
        self._upstream: tuple[str, int] | None = None  # the source server it streams from
        _runtime.hold_subreaper()  # released by stop()

    def build(self) -> None:
        """Clone the source's primary, start streaming from it, and wait until it streams."""
        source = self._steps
        with self._lock, source._lock:
            primary = source._primary
            node = self._node
            source._make_home(node)
            source._create_slot(primary, node.name)
            source._clone(node, primary)
            source._configure_standby(node, primary)
            # Unlike a Multi-AZ standby, a read replica takes clients (reads only: it is in recovery).
            source._write(node.hba, HBA_PRIMARY)
            source._start(node)
            source._wait_streaming(primary, node)
            self._upstream = primary.addr

    def follow_source(self) -> bool:
        """After a failover of the source, stream from its new primary (as RDS keeps a replica of a
        Multi-AZ source replicating across the source's failover); True if it had to move.

        Its slot is created on the new primary, and the replica follows the new timeline (PostgreSQL's
        default recovery_target_timeline is `latest`).
        """
        with self._lock:
            steps = self._steps
            if self._promoted or self._stopped or not self.attached:
                return False
            with steps._lock:
                primary = steps._primary
                if primary.addr == self._upstream or steps._killed_at is not None or not primary.running():
                    return False
                steps._create_slot(primary, self.name)
                conninfo = (f"host={primary.addr[0]} port={primary.addr[1]} user={REPLICATION_USER} "
                            f"password={steps._repl_password} application_name={self.name}")
                steps._sql(self._node, f"ALTER SYSTEM SET primary_conninfo = '{conninfo}';\n"
                                       "SELECT pg_reload_conf();")
                self._upstream = primary.addr
            return True

    def lag_seconds(self) -> float:
        """How far behind the source the replica is, in seconds (0 once promoted)."""
        with self._lock:
            if self._promoted or self._stopped:
                return 0.0
            return float(self._steps._sql(self._node, _LAG_SQL).strip() or 0.0)

    def set_apply_delay(self, seconds: float) -> None:
        """Apply the source's commits this late (the `replica-lag` fault); 0 applies them at once."""
        with self._lock:
            if self._promoted or self._stopped or seconds == self.apply_delay:
                return
            delay = int(seconds * 1000)
            self._steps._sql(self._node, f"ALTER SYSTEM SET recovery_min_apply_delay = '{delay}ms';\n"
                                         "SELECT pg_reload_conf();")
            self.apply_delay = seconds

    def promote(self) -> None:
        """Stop replicating for good and accept writes (PromoteReadReplica, or the source was deleted).

        What the replica had not replayed yet is not applied: a promotion can lose recent commits.
        """
        with self._lock:
            if self._promoted or self._stopped:
                return
            source = self._steps
            if self.apply_delay:
                # A delayed replica would otherwise keep waiting for the delay before it promotes.
                source._sql(self._node, "ALTER SYSTEM RESET recovery_min_apply_delay;\n"
                                        "SELECT pg_reload_conf();")
                self.apply_delay = 0.0
            source._promote(self._node)
            self._promoted = True
            self.detach()

    def detach(self) -> None:
        """Drop the source's replication slot for this replica, so the source stops keeping WAL for it."""
        if not self.attached:
            return
        self.attached = False
        with contextlib.suppress(RealDBError, OSError):
            self._steps.sql(f"SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots "
                            f"WHERE slot_name = '{self.name}';")

    @property
    def promoted(self) -> bool:
        """Whether the replica is a standalone, writable server now."""
        return self._promoted

    def sql(self, statements: str) -> str:
        """Run SQL as the admin on the replica's private socket (tests and the demo's own checks)."""
        with self._lock:
            return self._steps._sql(self._node, statements)

    def stop(self) -> None:
        """Stop the server, reap it, and remove its folder and shared memory."""
        with self._lock:
            if self._stopped:
                return
            self._stopped = True
            self._steps._stop_node(self._node, immediate=True)
            _leftovers.kill_processes_in(self._node.data)
            shm = _leftovers.shared_memory_id(self._node.data)
            if shm is not None:
                _leftovers.remove_shared_memory(*shm)
            self.detach()
            shutil.rmtree(self.home, ignore_errors=True)
            _runtime.REGISTRY.forget(self.home)
            _runtime.release_subreaper()


class RealReplicaNetwork:
    """The network presence of a demo read replica: its own real server at its own address."""

    def __init__(self, info: InstanceInfo, source: PostgresPair) -> None:
        """Remember the source; nothing starts before `start`."""
        self.info = info
        self._source = source
        self.replica: PostgresReplica | None = None
        self.problems: list[str] = []

    def start(self, primary: NodeAddress, standby: NodeAddress | None) -> None:
        """Clone and start the replica (a Multi-AZ replica's own standby is not modelled: see `standby`)."""
        replica = PostgresReplica(self._source, primary, self.info.identifier)
        try:
            replica.build()
        except BaseException:
            replica.stop()
            raise
        self.replica = replica

    def begin_outage(self) -> None:
        """A reboot of the replica: its server stops accepting connections (not modelled further)."""

    def end_outage(self, primary: NodeAddress, standby: NodeAddress | None) -> None:
        """The replica answers again."""

    def stop(self) -> None:
        """Stop and remove the replica's server."""
        if self.replica is not None:
            self.replica.stop()


def source_pair(network: object) -> PostgresPair | None:
    """The real pair behind a demo instance's network, None for simulated listeners or another replica."""
    pair = getattr(network, "pair", None)
    return pair if isinstance(pair, PostgresPair) else None

