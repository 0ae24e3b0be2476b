"""Read replicas in the demo: RDS's checks, statuses and events, a real replica behind the endpoint, and
its lag published to CloudWatch as `ReplicaLag`, so the wizard reads it the way it does on AWS.

Part of the simulator (it runs under the demo's lock on the simulator's clock, and registers each replica
as one of the simulator's instances so its endpoint name resolves like any other); kept in its own
module because the simulator's other lifecycles have nothing to do with it.

AWS pages this follows:
- Working with DB instance read replicas, and Promoting a read replica to be a standalone DB instance:
  https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReadRepl.html
  https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReadRepl.Promote.html
  ("RDS creates read replicas with backups disabled"; deleting a source promotes its replicas; up to 15
  read replicas per source for MySQL, MariaDB and PostgreSQL, 5 for Oracle, 15 for SQL Server.)
- Limitations for Secrets Manager integration with Amazon RDS:
  https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html
- Amazon RDS event categories and event messages:
  https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_Events.Messages.html
- Amazon CloudWatch metrics for Amazon RDS (ReplicaLag, seconds, dimension DBInstanceIdentifier):
  https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-metrics.html
"""

from __future__ import annotations

import contextlib
import logging
import random
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wizard.demo.network import InstanceInfo, InstanceNetwork, TcpNetwork

if TYPE_CHECKING:
    from wizard.demo.simulator import Simulator, _Instance

_log = logging.getLogger(__name__)

# Real RDS durations (seconds, scaled by the demo's speed): a replica is a snapshot of the source restored
# elsewhere, about as long as a create; a promotion is a few minutes of `modifying`, then a reboot.
CREATE_REPLICA = 420.0
CREATE_MULTI_AZ_REPLICA = 540.0
PROMOTE_MODIFYING = 120.0
PROMOTE_REBOOT = 60.0
# How often the demo measures each real replica's lag and publishes it (real seconds, not scaled): RDS
# publishes ReplicaLag every minute; the demo is faster so a drill sees a change within seconds.
PUBLISH_EVERY = 2.0
NAMESPACE = "AWS/RDS"
METRIC = "ReplicaLag"

# Read replicas per source instance, by engine (USER_ReadRepl pages above).
MAX_REPLICAS = {"postgres": 15, "mysql": 15, "mariadb": 15, "oracle-ee": 5, "oracle-se2": 5,
                "sqlserver-ee": 15, "sqlserver-se": 15}
DEFAULT_MAX_REPLICAS = 5

# Events (USER_Events.Messages). RDS-EVENT-0005 is documented for every new instance, replicas included;
# the read replica category's wordings below are the page's where known, and marked where approximate.
MSG_CREATED = "DB instance created"  # RDS-EVENT-0005
MSG_REPLICATING = "Replication for the Read Replica resumed."  # RDS-EVENT-0046 (read replica)
# Approximate wordings (unverified against a live account):
MSG_PROMOTING = "Promoting read replica to a standalone DB instance"
MSG_PROMOTED = "Read replica promoted to a standalone DB instance; replication has stopped"
MSG_SOURCE_DELETED = ("The source DB instance {source} was deleted: the read replica is being promoted to a "
                      "standalone DB instance")
MSG_RESTARTED = "DB instance restarted"  # RDS-EVENT-0006
# DescribeDBInstances StatusInfos of a healthy replica ("Monitoring read replication",
# https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReadRepl.Monitoring.html).
REPLICATING = {"StatusType": "read replication", "Normal": True, "Status": "replicating"}


class ReplicaRefused(Exception):
    """A CreateDBInstanceReadReplica or PromoteReadReplica that RDS refuses: its error code and message."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def check_create(source: Any, existing_replicas: int) -> None:
    """The refusals RDS gives before it creates a read replica of `source` (a moto DBInstance)."""
    identifier = source.db_instance_identifier
    if source.status != "available":
        # Code as RDS gives for a source in another state; the exact message is unverified.
        raise ReplicaRefused("InvalidDBInstanceState", f"Instance {identifier} is not in available state.")
    if not (source.backup_retention_period or 0):
        # The wording users report from RDS (MySQL and PostgreSQL sources alike).
        raise ReplicaRefused("InvalidDBInstanceState",
                             "Automated backups are not enabled for this database instance. To enable "
                             "automated backups, use ModifyDBInstance to set the backup retention period "
                             "to a non-zero value.")
    engine = str(source.engine)
    if getattr(source, "manage_master_user_password", False) and not engine.startswith("sqlserver"):
        # As RDS says it (terraform-aws-modules/terraform-aws-rds issues 512 and 532).
        raise ReplicaRefused("InvalidParameterValue",
                             f"Creating read replicas for source instance with engine {engine} where "
                             "ManageMasterUserPassword is enabled is not supported.")
    limit = MAX_REPLICAS.get(engine, DEFAULT_MAX_REPLICAS)
    if existing_replicas >= limit:
        # The limit is documented; the error code and message RDS gives for it are unverified.
        raise ReplicaRefused("InvalidParameterCombination",
                             f"DB instance {identifier} already has {existing_replicas} read replicas, the "
                             f"most RDS allows for engine {engine} ({limit}).")


class Replicas:
    """The read replicas of one demo: their lifecycle, their real servers and their published lag."""

    def __init__(self, simulator: Simulator) -> None:
        """Attach to the simulator (its lock, clock, events, address plan and instances)."""
        self._sim = simulator
        self._replicas: dict[str, str] = {}  # replica identifier -> source identifier (while replicating)
        self._publisher: threading.Thread | None = None
        self._stop = threading.Event()
        # Where ReplicaLag goes (the account's and region's moto CloudWatch); set by the moto layer.
        self.publish: Callable[[Any, float], None] | None = None

    # -- create -------------------------------------------------------------------------------------
    def created(self, source: Any, replica: Any, zones: list[str]) -> None:
        """A CreateDBInstanceReadReplica was accepted: place the replica and start it at `creating`."""
        from wizard.demo.simulator import _Instance

        sim = self._sim
        identifier = replica.db_instance_identifier
        rng = random.Random(identifier)
        requested = getattr(replica, "_demo_requested_az", None)
        primary = requested if requested in zones else rng.choice(zones)
        chosen = [primary]
        if replica.multi_az:
            chosen.append(rng.choice([z for z in zones if z != primary] or zones))
        # A Multi-AZ replica's own standby is shown (SecondaryAvailabilityZone) but has no server of its
        # own: the simulator knows one node, so a forced failover of the replica restarts it in place.
        state = _Instance(identifier, replica, replica.address.lower(), chosen[:1], sorted(zones))
        sim._instances[identifier] = state
        self._replicas[identifier] = source.db_instance_identifier
        replica.status = "creating"
        replica.availability_zone = primary
        replica.secondary_availability_zone = chosen[1] if len(chosen) > 1 else None
        arn = replica.db_instance_arn

        def reachable() -> None:
            sim.event(identifier, "db-instance", MSG_CREATED, "creation", arn)
            if identifier in self._replicas:
                sim.event(identifier, "db-instance", MSG_REPLICATING, "read replica", arn)
                replica.status_infos = [REPLICATING]
            replica.status = "available"
            self._ensure_publisher()

        def opened() -> None:
            self._open(state, source.db_instance_identifier, reachable)

        sim._after(CREATE_MULTI_AZ_REPLICA if replica.multi_az else CREATE_REPLICA, opened, state)

    def _open(self, state: _Instance, source_id: str, then: Callable[[], None]) -> None:
        """Start the replica's server (a real PostgreSQL replica of the source's real pair, else simulated
        listeners) off the demo's lock, then go on with its lifecycle under it."""
        sim = self._sim
        source_state = sim._instances.get(source_id)
        pair = None
        if source_state is not None and sim._network_factory is not None:
            from wizard.demo.realdb.replica import source_pair

            pair = source_pair(source_state.network)
        if pair is None:
            sim._open_tcp(state)
            then()
            return
        nodes = sim._plan.reserve(state.zones[:1], int(state.db.port))
        state.addresses = {zone: node.address for zone, node in nodes.items()}
        for node in nodes.values():
            node.close()  # the replica's server binds it
        db = state.db

        def start() -> None:
            from wizard.demo.realdb.replica import RealReplicaNetwork

            network: InstanceNetwork | None = None
            try:
                info = InstanceInfo(state.identifier, db.engine, int(db.port), db.master_username)
                real = RealReplicaNetwork(info, pair)
                real.start(state.primary, None)
                network = real
            except Exception as error:
                sim.problems.append(f"{state.identifier}: the read replica's database did not start "
                                    f"({error}); simulated listeners stand in for it.")
                _log.info("demo replica %s failed", state.identifier, exc_info=True)
                network = TcpNetwork(sim._plan.rebind(state.addresses))
                network.start(state.primary, None)
            chosen = network
            with sim.lock:
                if sim._stopped:
                    chosen.stop()
                    return
            sim._scheduler.at(time.monotonic(), lambda: sim._network_started(state, chosen, then))

        threading.Thread(target=start, daemon=True, name=f"demo-replica-{state.identifier}").start()

    # -- promote ------------------------------------------------------------------------------------
    def check_promote(self, db: Any) -> None:
        """PromoteReadReplica's refusals: not a replica, or not available."""
        identifier = db.db_instance_identifier
        if not getattr(db, "is_replica", False):
            raise ReplicaRefused("InvalidDBInstanceState",
                                 f"DB instance {identifier} is not a read replica.")
        if db.status != "available":
            raise ReplicaRefused("InvalidDBInstanceState",
                                 f"Instance {identifier} is not in available state.")

    def promote(self, db: Any, source: Any | None, reason: str | None = None) -> None:
        """Replication stops for good and the replica becomes a standalone, writable instance:
        `modifying` (promotion) -> `rebooting` -> `available`, as RDS shows it."""
        sim = self._sim
        identifier = db.db_instance_identifier
        self._replicas.pop(identifier, None)
        db.is_replica = False
        db.source_db_instance_identifier = None
        db.status_infos = None
        if source is not None:
            with contextlib.suppress(ValueError):
                source.remove_replica(db)
        state = sim._instances.get(identifier)
        arn = db.db_instance_arn
        db.status = "modifying"
        sim.event(identifier, "db-instance", reason or MSG_PROMOTING, "read replica", arn)
        if state is None:
            return
        replica = _real_replica(state.network)

        def rebooting() -> None:
            db.status = "rebooting"
            sim._after(PROMOTE_REBOOT, done, state)

        def done() -> None:
            sim.event(identifier, "db-instance", MSG_RESTARTED, "availability", arn)
            sim.event(identifier, "db-instance", MSG_PROMOTED, "read replica", arn)
            db.status = "available"

        def promoted(ok: bool) -> None:
            if not ok:
                sim._failed(state, "promotion", RuntimeError("the replica's server could not be promoted"))
                return
            rebooting()

        def start_promotion() -> None:
            if replica is None:
                rebooting()
            else:
                sim._in_background(state, replica.promote, promoted)

        sim._after(PROMOTE_MODIFYING, start_promotion, state)

    # -- delete -------------------------------------------------------------------------------------
    def source_deleted(self, backend: Any, source: Any) -> None:
        """RDS promotes the replicas of a deleted source (in the same region) to standalone instances."""
        for name in list(source.replicas):
            replica = backend.databases.get(name)
            if replica is not None and replica.status != "deleting":
                self.promote(replica, None, MSG_SOURCE_DELETED.format(source=source.db_instance_identifier))
        source.replicas = []

    def replica_deleted(self, identifier: str) -> None:
        """A replica is gone: it no longer replicates (its server goes with the instance's network)."""
        self._replicas.pop(identifier, None)

    def is_replica(self, identifier: str) -> bool:
        """Whether the demo is replicating into this instance now."""
        return identifier in self._replicas

    # -- lag ----------------------------------------------------------------------------------------
    def lag(self, identifier: str) -> float | None:
        """The replica's measured lag in seconds now; None if it has no real server (or is gone)."""
        with self._sim.lock:
            state = self._sim._instances.get(identifier)
            replica = _real_replica(state.network) if state is not None else None
        return None if replica is None else replica.lag_seconds()

    def server_folder(self, identifier: str) -> Path | None:
        """Where the replica's real server keeps its files (None for simulated listeners)."""
        with self._sim.lock:
            state = self._sim._instances.get(identifier)
            replica = _real_replica(state.network) if state is not None else None
        return None if replica is None else Path(replica.home)

    def _ensure_publisher(self) -> None:
        if self._publisher is None:
            self._publisher = threading.Thread(target=self._publish_loop, daemon=True,
                                               name="demo-replica-lag")
            self._publisher.start()

    def _publish_loop(self) -> None:
        while not self._stop.wait(PUBLISH_EVERY):
            try:
                self._publish_once()
            except Exception as error:  # reported, never a silently dead thread
                self._sim.problems.append(f"the demo could not publish ReplicaLag ({error}).")
                _log.info("demo ReplicaLag publishing failed", exc_info=True)

    def _publish_once(self) -> None:
        faults = self._sim._faults
        wanted = faults.replica_lag() if faults is not None else None
        with self._sim.lock:
            targets = [(self._sim._instances[name].db, _real_replica(self._sim._instances[name].network))
                       for name in self._replicas if name in self._sim._instances]
        for db, replica in targets:
            if replica is None or db.status != "available":
                continue
            if replica.follow_source():
                _log.info("demo replica %s follows its source's new primary", db.db_instance_identifier)
            replica.set_apply_delay(wanted or 0.0)
            lag = replica.lag_seconds()
            publish = self.publish
            if publish is not None:
                with self._sim.lock:
                    publish(db, lag)

    def stop(self) -> None:
        """Stop publishing (the simulator stops the replicas' servers with the other networks)."""
        self._stop.set()
        if self._publisher is not None:
            self._publisher.join(timeout=10)


def _real_replica(network: object) -> Any:
    """The real PostgresReplica behind a network, None for simulated listeners."""
    return getattr(network, "replica", None)


def metric_datum(db: Any, lag: float) -> dict[str, Any]:
    """One ReplicaLag datapoint as PutMetricData takes it, stamped now by CloudWatch (moto keeps the times
    of datapoints put over HTTP as naive UTC and compares them with the query's: no zone given here)."""
    return {"MetricName": METRIC, "Value": float(lag), "Unit": "Seconds",
            "Dimensions": [{"Name": "DBInstanceIdentifier", "Value": db.db_instance_identifier}]}
