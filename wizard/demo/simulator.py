"""The RDS lifecycle simulator: statuses over time, RDS's own events, Multi-AZ failover and outages.

Times are real RDS durations (seconds) divided by the demo's speed. Every change to moto's objects
happens under the demo's lock, which the HTTP front also holds for each request, so a describe never
sees half a failover. The simulator only touches moto objects through plain attributes (status,
availability_zone, secondary_availability_zone, is_cluster_writer).
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import json
import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from wizard.aws import error_codes
from wizard.demo.clusters import RealClusters
from wizard.demo.faults import NO_STANDBY_FAULT, Faults
from wizard.demo.network import (
    AddressPlan,
    InstanceInfo,
    InstanceNetwork,
    NetworkFactory,
    NodeAddress,
    TcpNetwork,
)

_log = logging.getLogger(__name__)

# Real RDS durations in seconds (RDS User Guide, Multi-AZ DB instance deployments, and users' reports):
# a Multi-AZ create takes 15-20 minutes, a Single-AZ one 5-10, a failover 60-120 s, a Multi-AZ DB
# cluster failover typically under 35 s.
CREATE_SINGLE_AZ = 420.0
CREATE_MULTI_AZ = 540.0
CONVERT_TO_MULTI_AZ = 300.0
BACKUP_SINGLE_AZ = 180.0
BACKUP_MULTI_AZ = 240.0
FAILOVER_OUTAGE = (60.0, 120.0)
REBOOT_OUTAGE = (30.0, 60.0)
STOP = 120.0
START = 300.0
CLUSTER_CREATE = 840.0
CLUSTER_BACKUP = 180.0
CLUSTER_FAILOVER_OUTAGE = (15.0, 35.0)
# Day 2: how long RDS shows `deleting`, and how long a final snapshot stays `creating` (a small database).
DELETE_INSTANCE = 240.0
DELETE_CLUSTER = 300.0
SNAPSHOT_CREATE = 120.0

# RDS event messages (the IDs appear in notifications, not in DescribeEvents).
MSG_CREATED = "DB instance created"  # RDS-EVENT-0005
MSG_CONVERTING = "Applying modification to convert to a Multi-AZ DB instance"  # RDS-EVENT-0024
MSG_CONVERTED = "Finished applying modification to convert to a Multi-AZ DB instance"  # RDS-EVENT-0025
MSG_BACKING_UP = "Backing up DB instance"  # RDS-EVENT-0001
MSG_BACKED_UP = "Finished DB instance backup"  # RDS-EVENT-0002
MSG_FAILOVER_STARTED = "Multi-AZ instance failover started."  # RDS-EVENT-0013
MSG_FAILOVER_DNS = "Multi-AZ failover to standby complete - DNS propagation may take a few minutes."  # 0015
MSG_FAILOVER_DONE = "Multi-AZ instance failover completed."  # RDS-EVENT-0049
MSG_RESTARTED = "DB instance restarted"  # RDS-EVENT-0006
MSG_SHUTDOWN = "DB instance shutdown"  # RDS-EVENT-0004
MSG_DELETED = "DB instance deleted"  # RDS-EVENT-0003
MSG_STOPPED = "DB instance stopped"  # RDS-EVENT-0087
MSG_STARTED = "DB instance started"  # RDS-EVENT-0088
MSG_CONVERTED_TO_SINGLE = "Finished applying modification to convert to a Single-AZ DB instance"
# The wording of this one is approximate (terraform-provider-aws#43322 quotes it only in part).
MSG_NO_STANDBY = ("Insufficient instance capacity in {zone} to create the standby; putting database instance "
                  "into available state as a Single-AZ DB instance.")
MSG_RECOVERY_STARTED = "Multi-AZ instance recovery started."  # RDS-EVENT-0052
MSG_RECOVERY_DONE = "Multi-AZ instance recovery completed. Pending failover or activation."  # RDS-EVENT-0053
# Approximate wordings, in the manner of MSG_NO_STANDBY and of RDS-EVENT-0031 ("The DB instance has failed").
MSG_STANDBY_LOST = ("Multi-AZ instance recovery failed: the standby in {zone} could not be rebuilt "
                    "({reason}). The DB instance continues as a Single-AZ DB instance.")
MSG_FAILED = "The DB instance has failed: the database did not come back after the {kind} ({reason})."
MSG_CLUSTER_CREATED = "DB cluster created"  # RDS-EVENT-0170
MSG_CLUSTER_FAILOVER_STARTED = "Started cross AZ failover to DB instance: {target}"  # RDS-EVENT-0073
MSG_CLUSTER_FAILOVER_DONE = "Completed failover to DB instance: {target}"  # RDS-EVENT-0071


class DemoApiError(Exception):
    """An error RDS would return; the moto layer turns it into the same HTTP error."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class DemoEvent:
    """One DescribeEvents entry, with the wall-clock time it really happened."""

    date: datetime
    source_identifier: str
    source_type: str
    message: str
    categories: tuple[str, ...]
    source_arn: str

    def to_api(self) -> dict[str, Any]:
        """The Event shape of the RDS API."""
        return {"SourceIdentifier": self.source_identifier, "SourceType": self.source_type,
                "Message": self.message, "EventCategories": list(self.categories), "Date": self.date,
                "SourceArn": self.source_arn}


@dataclass
class OutageWindow:
    """When an endpoint really stopped and resumed accepting connections (the demo's own timeline)."""

    identifier: str
    kind: str  # "failover", "reboot" or "cluster-failover"
    started_monotonic: float
    started_at: datetime
    from_az: str | None
    to_az: str | None
    ended_monotonic: float | None = None
    ended_at: datetime | None = None

    @property
    def seconds(self) -> float | None:
        """The outage's length, None while it lasts."""
        return None if self.ended_monotonic is None else self.ended_monotonic - self.started_monotonic


@dataclass
class _Instance:
    """What the simulator knows of one demo DB instance: its moto object, AZs, nodes and network."""

    identifier: str
    db: Any  # moto DBInstance
    hostname: str
    zones: list[str]  # primary first, then the standby (Multi-AZ)
    subnet_zones: list[str] = field(default_factory=list)  # what its DB subnet group covers
    network: InstanceNetwork | None = None
    addresses: dict[str, NodeAddress] = field(default_factory=dict)
    reachable: bool = False
    # The end of a failover (its last event, `available`), held until the standby is in sync again.
    after_standby: Callable[[], None] | None = None
    # Why a failover cannot go to the standby now (it is being rebuilt), None when it can.
    standby_busy: str | None = None

    @property
    def primary(self) -> NodeAddress:
        return self.addresses[self.zones[0]]

    @property
    def standby(self) -> NodeAddress | None:
        return self.addresses[self.zones[1]] if len(self.zones) > 1 else None


@dataclass
class _Cluster:
    """What the simulator knows of one Multi-AZ DB cluster: its moto object, endpoints and members."""

    identifier: str
    cluster: Any  # moto DBCluster
    writer_host: str
    reader_host: str
    members: list[str]
    reader_turn: int = 0  # the reader endpoint answers round-robin, as its DNS record does


class _Scheduler:
    """A thread that runs callbacks at monotonic times, under the demo's lock."""

    def __init__(self, lock: threading.RLock, on_error: Callable[[Exception], None]) -> None:
        self._lock = lock
        self._on_error = on_error
        self._queue: list[tuple[float, int, Callable[[], None]]] = []
        self._seq = itertools.count()
        self._wake = threading.Condition()
        self._stopped = False
        self._thread = threading.Thread(target=self._run, daemon=True, name="demo-simulator")
        self._thread.start()

    def at(self, when: float, action: Callable[[], None]) -> None:
        with self._wake:
            heapq.heappush(self._queue, (when, next(self._seq), action))
            self._wake.notify()

    def _run(self) -> None:
        while True:
            with self._wake:
                while not self._stopped and (not self._queue or self._queue[0][0] > time.monotonic()):
                    timeout = self._queue[0][0] - time.monotonic() if self._queue else None
                    self._wake.wait(timeout)
                if self._stopped:
                    return
                _, _, action = heapq.heappop(self._queue)
            try:
                with self._lock:
                    action()
            except Exception as error:  # a broken step must not stop every other instance's lifecycle
                self._on_error(error)

    def stop(self) -> None:
        with self._wake:
            self._stopped = True
            self._wake.notify()
        self._thread.join(timeout=5)


class Simulator:
    """Drives demo instances and clusters through RDS's lifecycle; owns events, outages and the resolver."""

    def __init__(self, speed: float, lock: threading.RLock,
                 network_factory: NetworkFactory | None = None, faults: Faults | None = None) -> None:
        self.speed = speed
        self._faults = faults
        self.lock = lock
        self._plan = AddressPlan()
        self._network_factory = network_factory
        self._events: list[DemoEvent] = []
        self._outages: list[OutageWindow] = []
        self._instances: dict[str, _Instance] = {}
        self._clusters: dict[str, _Cluster] = {}
        # What went wrong in the background (a database that did not start, a bug), for a front end to show.
        self.problems: list[str] = []
        # Called (under the lock, on the simulator thread) with each new event: the demo server prints them.
        self.on_event: list[Callable[[DemoEvent], None]] = []
        self._stopped = False
        self._scheduler = _Scheduler(lock, self._step_failed)
        from wizard.demo.replicas import Replicas  # it builds on this module

        self.replicas = Replicas(self)
        # Multi-AZ DB clusters on real servers (wizard.demo.clusters), when the demo has them.
        self.real_clusters: RealClusters | None = None

    def _step_failed(self, error: Exception) -> None:
        self.problems.append(f"the demo's RDS simulator hit an internal error: {error!r}")
        _log.info("demo simulator step failed", exc_info=error)

    # -- time ---------------------------------------------------------------------------------------
    def _after(self, real_seconds: float, action: Callable[[], None], owner: _Instance | _Cluster) -> None:
        """Run `action` that much RDS time from now, unless its instance or cluster is gone by then."""
        def guarded() -> None:
            alive = self._instances.get(owner.identifier) is owner
            if alive or self._clusters.get(owner.identifier) is owner:
                action()

        self._scheduler.at(time.monotonic() + real_seconds / self.speed, guarded)

    def _duration(self, identifier: str, bounds: tuple[float, float]) -> float:
        # Seeded by the name and the number of outages so far: varied, yet the same run to run.
        rng = random.Random(f"{identifier}/{len(self._outages)}")
        return rng.uniform(*bounds)

    # -- events -------------------------------------------------------------------------------------
    def event(self, source_id: str, source_type: str, message: str, category: str, arn: str) -> None:
        """Record an event now."""
        event = DemoEvent(datetime.now(UTC), source_id, source_type, message, (category,), arn)
        self._events.append(event)
        for callback in self.on_event:
            callback(event)

    def describe_events(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        """Events filtered as DescribeEvents filters them (the caller checks the parameter combination)."""
        now = datetime.now(UTC)
        start = _as_utc(params.get("StartTime"))
        end = _as_utc(params.get("EndTime")) or now
        if start is None:
            duration = params.get("Duration")
            start = end - timedelta(minutes=int(duration) if duration is not None else 60)
        source_id = params.get("SourceIdentifier")
        source_type = params.get("SourceType")
        categories = set(params.get("EventCategories") or [])
        with self.lock:
            events = list(self._events)
        return [
            e.to_api() for e in events
            if start <= e.date <= end
            and (not source_type or e.source_type == source_type)
            and (not source_id or e.source_identifier == source_id)
            and (not categories or categories.intersection(e.categories))
        ]

    # -- DB instances -------------------------------------------------------------------------------
    def instance_created(self, db: Any, subnet_zones: list[str]) -> None:
        """A CreateDBInstance was accepted: place it in AZs and start its lifecycle at `creating`."""
        identifier = db.db_instance_identifier
        rng = random.Random(identifier)
        zones = sorted(subnet_zones)
        requested = getattr(db, "_demo_requested_az", None)
        primary = requested if requested in zones else rng.choice(zones)
        chosen = [primary]
        if db.multi_az:
            chosen.append(rng.choice([z for z in zones if z != primary]))
        state = _Instance(identifier, db, db.address.lower(), list(chosen), zones)
        self._instances[identifier] = state
        db.status = "creating"
        db.availability_zone = primary
        db.secondary_availability_zone = None
        multi_az = bool(db.multi_az)
        backups = (db.backup_retention_period or 0) > 0
        arn = db.db_instance_arn

        def created() -> None:
            self._open_network(state, reachable)

        def reachable() -> None:
            self.event(identifier, "db-instance", MSG_CREATED, "creation", arn)
            if multi_az:
                db.status = "modifying"
                self.event(identifier, "db-instance", MSG_CONVERTING, "configuration change", arn)
                self._after(CONVERT_TO_MULTI_AZ, converted, state)
            else:
                backing_up()

        def converted() -> None:
            if self._faults is not None and self._faults.take(NO_STANDBY_FAULT) is not None:
                # Pain point: the Multi-AZ create "succeeds" as a Single-AZ instance.
                del state.zones[1:]
                db.multi_az = False
                self.event(identifier, "db-instance", MSG_NO_STANDBY.format(zone=chosen[1]), "notification",
                           arn)
            else:
                db.secondary_availability_zone = chosen[1]
                self.event(identifier, "db-instance", MSG_CONVERTED, "configuration change", arn)
            backing_up()

        def backing_up() -> None:
            if not backups:
                db.status = "available"
                return
            db.status = "backing-up"
            self.event(identifier, "db-instance", MSG_BACKING_UP, "backup", arn)
            self._after(BACKUP_MULTI_AZ if multi_az else BACKUP_SINGLE_AZ, backed_up, state)

        def backed_up() -> None:
            self.event(identifier, "db-instance", MSG_BACKED_UP, "backup", arn)
            db.status = "available"

        self._after(CREATE_MULTI_AZ if multi_az else CREATE_SINGLE_AZ, created, state)

    def _open_network(self, state: _Instance, then: Callable[[], None]) -> None:
        """Make the instance reachable at its primary, then go on with its lifecycle.

        Simulated listeners start at once. A factory's network (a real database pair) may take seconds,
        so it starts on its own thread, outside the demo's lock, and the lifecycle waits for it; if it
        fails, simulated listeners take its place so the demo goes on.
        """
        db = state.db
        factory = self._network_factory
        if factory is None:
            self._open_tcp(state)
            then()
            return
        nodes = self._plan.reserve(state.zones, int(db.port))
        state.addresses = {zone: node.address for zone, node in nodes.items()}
        for node in nodes.values():
            node.close()  # the factory's own servers bind these addresses

        def start() -> None:
            network: InstanceNetwork | None = None
            try:
                secret = getattr(db, "master_user_secret", None)
                info = InstanceInfo(state.identifier, db.engine, int(db.port), db.master_username,
                                    _master_password(db), secret.secret_arn if secret is not None else None,
                                    getattr(db, "db_name", None) or None)
                network = factory(info, dict(state.addresses))
                if network is not None:
                    network.start(state.primary, state.standby)
            except Exception as error:
                if network is not None:
                    with contextlib.suppress(Exception):
                        network.stop()
                network = None
                self.problems.append(f"{state.identifier}: the database behind the endpoint did not start "
                                     f"({error}); simulated listeners stand in for it.")
                # Not to stderr: under the full-screen wizard that would tear the screen.
                _log.info("demo network for %s failed", state.identifier, exc_info=True)
            if network is None:
                network = TcpNetwork(self._plan.rebind(state.addresses))
                network.start(state.primary, state.standby)
            chosen = network
            with self.lock:
                if self._stopped:  # the demo stopped while this was starting: nothing may outlive it
                    chosen.stop()
                    return
            self._scheduler.at(time.monotonic(), lambda: self._network_started(state, chosen, then))

        threading.Thread(target=start, daemon=True, name=f"demo-network-{state.identifier}").start()

    def _network_started(self, state: _Instance, network: InstanceNetwork, then: Callable[[], None]) -> None:
        if state.identifier not in self._instances:  # deleted meanwhile
            network.stop()
            return
        state.network = network
        state.reachable = True
        if hasattr(network, "on_standby_change"):
            def told(standby: Any, reason: str | None) -> None:  # on the network's own thread
                name = str(getattr(standby, "value", standby))  # this change's, not the state by then
                self._scheduler.at(time.monotonic(), lambda: self._if_alive(
                    state, lambda: self._standby_changed(state, name, reason)))

            listening: Any = network
            listening.on_standby_change = told
        then()

    def _open_tcp(self, state: _Instance) -> None:
        """Simulated listeners on fresh addresses, listening at the primary from now on."""
        nodes = self._plan.reserve(state.zones, int(state.db.port))
        state.addresses = {zone: node.address for zone, node in nodes.items()}
        state.network = TcpNetwork(nodes)
        state.network.start(state.primary, state.standby)
        state.reachable = True

    def reboot(self, db: Any, force_failover: bool) -> None:
        """RebootDBInstance, with or without failover, checked as RDS checks it."""
        identifier = db.db_instance_identifier
        if force_failover and not db.multi_az:
            raise DemoApiError("InvalidParameterCombination",
                               "You can't enable force failover if the instance isn't configured for "
                               f"Multi-AZ: DB instance {identifier} is a Single-AZ instance.")
        if db.status != "available":
            raise DemoApiError(error_codes.INVALID_DB_INSTANCE_STATE,
                               f"Instance {identifier} is not in available state.")
        state = self._instances.get(identifier)
        if state is None or state.network is None:  # not made by this demo (or no network): status only
            return
        self.check_standby_idle(identifier)
        network = state.network
        arn = db.db_instance_arn
        db.status = "rebooting"
        old_primary = state.zones[0]
        failover = force_failover and len(state.zones) > 1
        if failover:
            self.event(identifier, "db-instance", MSG_FAILOVER_STARTED, "failover", arn)
        outage = OutageWindow(identifier, "failover" if failover else "reboot", time.monotonic(),
                              datetime.now(UTC), old_primary, state.zones[1] if failover else old_primary)
        self._outages.append(outage)
        network.begin_outage()
        state.reachable = False
        promotion = self._promote_early(state, network) if failover else None

        def back() -> None:
            if promotion is not None:
                promotion.join()  # usually long done: a promotion takes a fraction of the outage
            if failover:
                state.zones.reverse()
                db.availability_zone, db.secondary_availability_zone = state.zones[0], state.zones[1]
            try:
                network.end_outage(state.primary, state.standby)
            except Exception as error:  # nothing listens now: say so instead of staying `rebooting`
                self._failed(state, "failover" if failover else "reboot", error)
                outage.ended_monotonic, outage.ended_at = time.monotonic(), datetime.now(UTC)
                return
            state.reachable = True
            outage.ended_monotonic, outage.ended_at = time.monotonic(), datetime.now(UTC)
            if not failover:
                self.event(identifier, "db-instance", MSG_RESTARTED, "availability", arn)
                db.status = "available"
                return
            self.event(identifier, "db-instance", MSG_FAILOVER_DNS, "failover", arn)

            def completed() -> None:
                self.event(identifier, "db-instance", MSG_FAILOVER_DONE, "failover", arn)
                db.status = "available"

            # A real old primary rejoins as the standby in about a second; the failover is complete
            # (and another one possible) once it has, or once it is known that it could not.
            if _standby_state(network) == "rejoining":
                state.after_standby = completed
            else:
                completed()

        self._after(self._duration(identifier, FAILOVER_OUTAGE if failover else REBOOT_OUTAGE), back, state)

    def _standby_changed(self, state: _Instance, standby: str, reason: str | None) -> None:
        """The network's standby changed in the background (names of realdb.network.StandbyState):
        RDS's events and the instance's Multi-AZ state follow."""
        db, identifier = state.db, state.identifier
        arn = db.db_instance_arn
        pending, state.after_standby = state.after_standby, None
        if standby == "recovering":
            state.standby_busy = ("its standby is being rebuilt after the old primary could not rejoin "
                                  f"({reason}): Multi-AZ instance recovery is in progress")
            self.problems.append(f"{identifier}: {state.standby_busy}.")
            self.event(identifier, "db-instance", MSG_RECOVERY_STARTED, "recovery", arn)
        elif standby == "in-sync":
            if state.standby_busy is not None:
                self.event(identifier, "db-instance", MSG_RECOVERY_DONE, "recovery", arn)
            state.standby_busy = None
        elif standby == "lost":
            state.standby_busy = None
            zone = state.zones[1] if len(state.zones) > 1 else "its standby AZ"
            del state.zones[1:]
            db.multi_az = False
            db.secondary_availability_zone = None
            self.problems.append(f"{identifier}: no standby could be rebuilt ({reason}); Single-AZ now.")
            self.event(identifier, "db-instance", MSG_STANDBY_LOST.format(zone=zone, reason=reason),
                       "notification", arn)
        if pending is not None:
            pending()

    def _failed(self, state: _Instance, kind: str, error: Exception) -> None:
        """The database behind the endpoint did not come back: the instance is `failed`, as on RDS."""
        _log.info("demo %s of %s failed", kind, state.identifier, exc_info=error)
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        self.problems.append(f"{state.identifier}: the database did not come back after the {kind} "
                             f"({error}).")
        state.after_standby = None
        state.db.status = "failed"
        self.event(state.identifier, "db-instance", MSG_FAILED.format(kind=kind, reason=reason[:160]),
                   "failure", state.db.db_instance_arn)

    def _promote_early(self, state: _Instance, network: InstanceNetwork) -> threading.Thread | None:
        """A real standby is promoted during the outage, off the demo's lock; the endpoint moves to it
        when the outage ends. None for a network without that step (simulated listeners)."""
        promote = getattr(network, "promote_standby", None)
        if not callable(promote):
            return None

        def run() -> None:
            try:
                promote()
            except Exception as error:  # end_outage then promotes (or restarts) in place
                self.problems.append(f"{state.identifier}: promoting the standby failed ({error}).")
                _log.info("demo promotion for %s failed", state.identifier, exc_info=True)

        thread = threading.Thread(target=run, daemon=True, name=f"demo-promote-{state.identifier}")
        thread.start()
        return thread

    def check_modifiable(self, db: Any) -> None:
        """RDS modifies only an available instance."""
        if db.db_instance_identifier in self._instances and db.status != "available":
            raise DemoApiError(error_codes.INVALID_DB_INSTANCE_STATE,
                               f"Instance {db.db_instance_identifier} is not in available state.")
        self.check_standby_idle(db.db_instance_identifier)

    def check_standby_idle(self, identifier: str) -> None:
        """Refuse a change that would touch the database while its standby is being rebuilt."""
        state = self._instances.get(identifier)
        if state is not None and state.standby_busy is not None:
            raise DemoApiError(error_codes.INVALID_DB_INSTANCE_STATE,
                               f"Instance {identifier} cannot be changed now: {state.standby_busy}. Try "
                               "again when the event 'Multi-AZ instance recovery completed' appears.")

    def multi_az_changed(self, db: Any) -> None:
        """ModifyDBInstance turned Multi-AZ on or off: convert (applied at once, as with ApplyImmediately)."""
        identifier = db.db_instance_identifier
        state = self._instances.get(identifier)
        if state is None or state.network is None:
            return
        network = state.network
        arn = db.db_instance_arn
        db.status = "modifying"
        if db.multi_az:
            choices = [z for z in state.subnet_zones if z != state.zones[0]]
            standby = random.Random(f"{identifier}/standby").choice(choices)
            self.event(identifier, "db-instance", MSG_CONVERTING, "configuration change", arn)

            def finish(address: NodeAddress | None) -> None:
                if address is None:  # the standby could not be built: RDS's own way of saying so
                    db.multi_az = False
                    self.event(identifier, "db-instance", MSG_NO_STANDBY.format(zone=standby), "notification",
                               arn)
                else:
                    state.addresses[standby] = address
                    state.zones[1:] = [standby]
                    db.secondary_availability_zone = standby
                    self.event(identifier, "db-instance", MSG_CONVERTED, "configuration change", arn)
                db.status = "available"

            def converted() -> None:
                node = self._plan.reserve([standby], int(db.port))[standby]
                if isinstance(network, TcpNetwork):
                    network.add_node(node)
                    finish(node.address)
                    return
                node.close()  # the real network's server binds it
                self._in_background(state, lambda: _add_standby(network, node.address),
                                    lambda ok: finish(node.address if ok else None))

            self._after(CONVERT_TO_MULTI_AZ, converted, state)
        else:
            def single() -> None:
                del state.zones[1:]
                db.secondary_availability_zone = None
                self.event(identifier, "db-instance", MSG_CONVERTED_TO_SINGLE, "configuration change", arn)
                db.status = "available"

            def shrink() -> None:
                remove = getattr(network, "remove_standby", None)
                if callable(remove):
                    self._in_background(state, remove, lambda _ok: single())
                else:
                    single()

            self._after(CONVERT_TO_MULTI_AZ / 2, shrink, state)

    def multi_az_pending(self, db: Any, multi_az: bool, seconds_to_window: float) -> None:
        """ModifyDBInstance MultiAZ without ApplyImmediately: a pending modification until the window.

        `seconds_to_window` is real RDS time until the maintenance window opens; the demo scales it.
        """
        state = self._instances.get(db.db_instance_identifier)
        db.pending_modified_values = {"MultiAZ": multi_az}
        if state is None:
            return

        def apply() -> None:
            if (getattr(db, "pending_modified_values", None) or {}).get("MultiAZ") != multi_az:
                return  # applied or replaced by a later ModifyDBInstance
            if db.status != "available":  # RDS applies it once the instance is free again
                self._after(60.0, apply, state)
                return
            self.apply_pending(db)

        self._after(seconds_to_window, apply, state)

    def apply_pending(self, db: Any) -> None:
        """Apply a pending Multi-AZ change now (its window came, or ApplyImmediately asked for it)."""
        pending = dict(getattr(db, "pending_modified_values", None) or {})
        db.pending_modified_values = None
        if "MultiAZ" in pending and bool(pending["MultiAZ"]) != bool(db.multi_az):
            db.multi_az = bool(pending["MultiAZ"])
            self.multi_az_changed(db)

    def deleting(self, record: Any, forget: Callable[[], None], cluster: bool = False) -> None:
        """A deleted instance's (or cluster's) record shows `deleting` for a while, then is gone.

        Its servers and files are already gone (instance_deleted); only what DescribeDB* shows lingers.
        """
        record.status = "deleting"

        def gone() -> None:
            with contextlib.suppress(KeyError):
                forget()

        self._scheduler.at(time.monotonic() + (DELETE_CLUSTER if cluster else DELETE_INSTANCE) / self.speed,
                           gone)

    def snapshot_creating(self, snapshot: Any) -> None:
        """A final (or manual) snapshot is `creating`, then `available`, as DescribeDB*Snapshots shows."""
        snapshot.status = "creating"

        def done() -> None:
            snapshot.status = "available"

        self._scheduler.at(time.monotonic() + SNAPSHOT_CREATE / self.speed, done)

    def _in_background(self, state: _Instance, work: Callable[[], object],
                       then: Callable[[bool], None]) -> None:
        """Run slow `work` (a real server step) off the demo's lock, then `then(ok)` under it."""
        def run() -> None:
            ok = True
            try:
                work()
            except Exception as error:
                ok = False
                self.problems.append(f"{state.identifier}: a change to the database behind the endpoint "
                                     f"failed ({error}).")
                _log.info("demo network change for %s failed", state.identifier, exc_info=True)
            self._scheduler.at(time.monotonic(), lambda: self._if_alive(state, lambda: then(ok)))

        threading.Thread(target=run, daemon=True, name=f"demo-network-{state.identifier}").start()

    def _if_alive(self, state: _Instance, action: Callable[[], None]) -> None:
        if self._instances.get(state.identifier) is state:
            action()

    def master_password_changed(self, db: Any, password: str) -> None:
        """ModifyDBInstance MasterUserPassword: a real database behind the endpoint takes it too."""
        state = self._instances.get(db.db_instance_identifier)
        change = getattr(state.network, "set_master_password", None) if state is not None else None
        if state is not None and callable(change):
            self._in_background(state, lambda: change(password), lambda _ok: None)

    def stopped(self, db: Any) -> None:
        """StopDBInstance was accepted: `stopping`, the endpoint goes down, then `stopped`."""
        state = self._instances.get(db.db_instance_identifier)
        if state is None or state.network is None:
            return
        network = state.network
        db.status = "stopping"
        network.begin_outage()
        state.reachable = False

        def done() -> None:
            db.status = "stopped"
            self.event(state.identifier, "db-instance", MSG_STOPPED, "notification", db.db_instance_arn)

        self._after(STOP, done, state)

    def started(self, db: Any) -> None:
        """StartDBInstance was accepted: `starting`, then the endpoint answers again and `available`."""
        state = self._instances.get(db.db_instance_identifier)
        if state is None or state.network is None:
            return
        network = state.network
        db.status = "starting"

        def done() -> None:
            network.end_outage(state.primary, state.standby)
            state.reachable = True
            self.event(state.identifier, "db-instance", MSG_STARTED, "notification", db.db_instance_arn)
            db.status = "available"

        self._after(START, done, state)

    def instance_deleted(self, identifier: str, arn: str) -> None:
        """The instance is gone: close its network."""
        state = self._instances.pop(identifier, None)
        if state is not None:
            self.event(identifier, "db-instance", MSG_DELETED, "deletion", arn)
            if state.network is not None:
                state.network.stop()

    # -- Multi-AZ DB clusters -----------------------------------------------------------------------
    def cluster_created(self, cluster: Any, members: list[Any]) -> None:
        """A Multi-AZ DB cluster and its three member instances start at `creating`."""
        identifier = cluster.db_cluster_identifier
        state = _Cluster(identifier, cluster, cluster.endpoint.lower(), cluster.reader_endpoint.lower(),
                         [m.db_instance_identifier for m in members])
        self._clusters[identifier] = state
        cluster.status = "creating"
        for member in members:
            member.status = "creating"
            self._instances[member.db_instance_identifier] = _Instance(
                member.db_instance_identifier, member, member.address.lower(), [member.availability_zone])
        arn = cluster.db_cluster_arn
        backups = (cluster.backup_retention_period or 0) > 0

        def created() -> None:
            real = self.real_clusters
            if real is None or not real.open(state, members, reachable):
                for member in members:
                    self._open_tcp(self._instances[member.db_instance_identifier])
                reachable()

        def reachable() -> None:
            for member in members:
                self.event(member.db_instance_identifier, "db-instance", MSG_CREATED, "creation",
                           member.db_instance_arn)
                member.status = "available"
            self.event(identifier, "db-cluster", MSG_CLUSTER_CREATED, "creation", arn)
            if not backups:
                cluster.status = "available"
                return
            cluster.status = "backing-up"
            self._after(CLUSTER_BACKUP, backed_up, state)

        def backed_up() -> None:
            cluster.status = "available"

        self._after(CLUSTER_CREATE, created, state)

    def failover_cluster(self, cluster: Any, target_id: str | None) -> None:
        """FailoverDBCluster: the writer moves to a reader in another AZ after an outage."""
        identifier = cluster.db_cluster_identifier
        state = self._clusters.get(identifier)
        if cluster.status != "available" or state is None:
            raise DemoApiError(error_codes.INVALID_DB_CLUSTER_STATE_FAULT,
                               f"DB cluster {identifier} is not in available state.")
        members = cluster.members
        writer = next((m for m in members if m.is_cluster_writer), None)
        readers = sorted((m for m in members if not m.is_cluster_writer and m.status == "available"),
                         key=lambda m: m.promotion_tier)
        target = next((m for m in readers if m.db_instance_identifier == target_id), None) \
            if target_id else (readers[0] if readers else None)
        if target is None:
            raise DemoApiError(error_codes.INVALID_DB_CLUSTER_STATE_FAULT,
                               f"Database cluster:{identifier} should have at least two database instances "
                               "in valid states or a valid target instance for failover.")
        if self.real_clusters is not None and self.real_clusters.handles(identifier):
            self.real_clusters.fail_over(state, writer, target if target_id else None)
            return
        arn = cluster.db_cluster_arn
        target_name = target.db_instance_identifier
        cluster.status = "failing-over"
        self.event(identifier, "db-cluster", MSG_CLUSTER_FAILOVER_STARTED.format(target=target_name),
                   "failover", arn)
        involved = [self._instances[m.db_instance_identifier] for m in (writer, target) if m is not None]
        outage = OutageWindow(identifier, "cluster-failover", time.monotonic(), datetime.now(UTC),
                              writer.availability_zone if writer is not None else None,
                              target.availability_zone)
        self._outages.append(outage)
        for member_state in involved:
            if member_state.network is not None:
                member_state.network.begin_outage()
            member_state.reachable = False

        def back() -> None:
            if writer is not None:
                writer.is_cluster_writer = False
            target.is_cluster_writer = True
            for member_state in involved:
                if member_state.network is not None:
                    member_state.network.end_outage(member_state.primary, None)
                member_state.reachable = True
            outage.ended_monotonic, outage.ended_at = time.monotonic(), datetime.now(UTC)
            self.event(identifier, "db-cluster", MSG_CLUSTER_FAILOVER_DONE.format(target=target_name),
                       "failover", arn)
            cluster.status = "available"

        self._after(self._duration(identifier, CLUSTER_FAILOVER_OUTAGE), back, state)

    def cluster_deleted(self, identifier: str) -> None:
        """The cluster is gone (and its servers)."""
        self._clusters.pop(identifier, None)
        if self.real_clusters is not None:
            self.real_clusters.stop(identifier)

    def is_managed_cluster(self, identifier: str) -> bool:
        """Whether this demo drives the cluster's lifecycle."""
        return identifier in self._clusters

    # -- what tests and the resolver read -----------------------------------------------------------
    def nodes(self, hostname: str) -> list[NodeAddress]:
        """The nodes (host and port) a demo endpoint name leads to now ([] if unknown or not created yet)."""
        name = hostname.lower().rstrip(".")
        with self.lock:
            for state in self._instances.values():
                if state.hostname == name and state.addresses:
                    return [state.primary]
            for cluster in self._clusters.values():
                members = [self._instances[m] for m in cluster.members if m in self._instances]
                members = [m for m in members if m.addresses]
                if name == cluster.writer_host:
                    return [m.primary for m in members if m.db.is_cluster_writer]
                if name == cluster.reader_host:
                    readers = [m.primary for m in members if not m.db.is_cluster_writer and m.reachable]
                    cluster.reader_turn += 1
                    turn = cluster.reader_turn % len(readers) if readers else 0
                    return readers[turn:] + readers[:turn]
        return []

    def network_problems(self) -> list[str]:
        """What went wrong inside the networks behind the endpoints (a real standby that could not rejoin)."""
        with self.lock:
            networks = [state.network for state in self._instances.values()]
        return [str(p) for network in networks for p in getattr(network, "problems", None) or []]

    def resolve(self, hostname: str) -> list[str]:
        """Loopback addresses a demo endpoint name resolves to now ([] if unknown or not created yet)."""
        return [node.host for node in self.nodes(hostname)]

    def outage_windows(self, identifier: str) -> list[OutageWindow]:
        """Every outage of an instance or cluster so far, oldest first (a copy)."""
        with self.lock:
            return [OutageWindow(**vars(o)) for o in self._outages if o.identifier == identifier]

    def stop(self) -> None:
        """Stop the clock and close every listener."""
        self.replicas.stop()
        self._scheduler.stop()
        with self.lock:
            self._stopped = True
            for state in self._instances.values():
                if state.network is not None:
                    state.network.stop()
            self._instances.clear()
            if self.real_clusters is not None:
                self.real_clusters.stop_all()


def _standby_state(network: InstanceNetwork) -> str:
    """A real network's StandbyState by name ("in-sync", "rejoining", ...); "" for simulated listeners,
    whose standby is always ready."""
    state = getattr(network, "standby_state", None)
    return str(getattr(state, "value", ""))


def _add_standby(network: InstanceNetwork, address: NodeAddress) -> None:
    add = getattr(network, "add_standby", None)
    if not callable(add):
        raise RuntimeError("this endpoint's network cannot add a standby")
    add(address)


def _master_password(db: Any) -> str | None:
    """The instance's master password: self-managed, or from the secret RDS manages for it."""
    secret = getattr(db, "master_user_secret", None)
    if secret is None:
        # moto's property refuses to give the password back; the attribute behind it keeps it.
        password = vars(db).get("_master_user_password")
        return str(password) if password else None
    value = json.loads(secret.secret.secret_string)
    return str(value["password"])


def _as_utc(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return None
