"""The simulator's Multi-AZ DB clusters on real servers: building them, failing them over, removing them.

A part of the simulator (`wizard.demo.simulator`) kept in its own file: the simulator calls `open`,
`fail_over` and `stop` and keeps its simulated listeners for any cluster these decline (another engine,
no password, no servers here). The servers come from a ``ClusterFactory`` (the demo's is
`wizard.demo.realdb.cluster_network.cluster_factory`).

A FailoverDBCluster on real servers, as RDS describes it (FailoverDBCluster API reference,
https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_FailoverDBCluster.html: "after RDS terminates
the primary DB instance, the internal monitoring system detects that the primary DB instance is unhealthy
and promotes a readable standby ... typically less than 35 seconds"):

- at once: the cluster is ``failing-over``, the writer's server dies, the reader to promote is chosen
  (the most advanced one, or TargetDBInstanceIdentifier) and RDS-EVENT-0073 names it;
- meanwhile, off the demo's lock: that reader is promoted, the other reader follows it;
- after the outage (15-35 s of RDS time, scaled): the cluster endpoint moves to the new writer,
  RDS-EVENT-0071, and the old writer rejoins as a reader; the cluster is ``available`` once it has.

Event messages: "Amazon RDS event categories and event messages", DB cluster events,
https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_Events.Messages.html
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from wizard.demo.network import InstanceInfo, InstanceNetwork, NodeAddress

if TYPE_CHECKING:
    from wizard.demo.simulator import Simulator, _Cluster, _Instance

_log = logging.getLogger(__name__)

MSG_FAILOVER_STARTED = "Started cross AZ failover to DB instance: {target}"  # RDS-EVENT-0073
MSG_FAILOVER_DONE = "Completed failover to DB instance: {target}"  # RDS-EVENT-0071
MSG_FAILOVER_FAILED = "Failover failed for DB instance: {target}"  # RDS-EVENT-0069 (wording approximate)


class ClusterServers(Protocol):
    """The servers behind one demo Multi-AZ DB cluster (e.g. `RealClusterServers`)."""

    def start(self) -> None:
        """Build every member; return once the writer's commits are protected."""
        ...

    def choose_reader(self, target: NodeAddress | None) -> NodeAddress:
        """The writer dies now; return the reader that becomes the writer (`target` if given)."""
        ...

    def promote(self, target: NodeAddress) -> None:
        """Make that reader the writer (slow: off the demo's lock); the other reader follows it."""
        ...

    def rejoin_old_writer(self) -> None:
        """The old writer comes back as a reader (slow: off the demo's lock)."""
        ...

    def member_network(self, member: NodeAddress) -> InstanceNetwork:
        """One member's network, for a RebootDBInstance of that member."""
        ...

    def stop(self) -> None:
        """Stop and remove every server."""
        ...


# Gets the cluster (its master credentials) and its members' addresses, writer first; None: not for this one.
ClusterFactory = Callable[[InstanceInfo, list[NodeAddress]], "ClusterServers | None"]


class RealClusters:
    """The clusters of one simulator that run on a factory's servers."""

    def __init__(self, simulator: Simulator, factory: ClusterFactory) -> None:
        """Serve `simulator`'s clusters with servers from `factory`."""
        self._sim = simulator
        self._factory = factory
        self._servers: dict[str, ClusterServers] = {}

    def handles(self, identifier: str) -> bool:
        """Whether this cluster runs on real servers."""
        return identifier in self._servers

    def open(self, state: _Cluster, members: list[Any], then: Callable[[], None]) -> bool:
        """Build the servers in the background, then attach them and call `then` (under the lock).

        False (nothing started) when the factory declines: the caller opens simulated listeners. If the
        build fails, simulated listeners take its place, so the demo goes on, and the problem is told.
        """
        sim, cluster = self._sim, state.cluster
        from wizard.demo.simulator import _master_password

        password = _master_password(cluster)
        members = sorted(members, key=lambda m: not m.is_cluster_writer)  # the writer first
        secret = getattr(cluster, "master_user_secret", None)
        info = InstanceInfo(state.identifier, cluster.engine, int(cluster.port), cluster.master_username,
                            password, secret.secret_arn if secret is not None else None,
                            getattr(cluster, "database_name", None) or None)
        if info.engine != "postgres" or not password:
            return False
        zones = [m.availability_zone for m in members]
        reserved = sim._plan.reserve(zones, int(cluster.port))
        addresses = [reserved[zone].address for zone in zones]
        for node in reserved.values():
            node.close()  # the servers bind these addresses
        member_states = [sim._instances[m.db_instance_identifier] for m in members]
        for member_state, address in zip(member_states, addresses, strict=True):
            member_state.addresses = {address.az: address}

        def build() -> None:
            servers: ClusterServers | None = None
            try:
                servers = self._factory(info, addresses)
                if servers is not None:
                    servers.start()
            except Exception as error:
                if servers is not None:
                    with contextlib.suppress(Exception):
                        servers.stop()
                servers = None
                sim.problems.append(f"{state.identifier}: the databases behind the cluster did not start "
                                    f"({error}); simulated listeners stand in for them.")
                _log.info("demo cluster %s failed to start", state.identifier, exc_info=True)
            with sim.lock:
                if sim._stopped:  # the demo stopped meanwhile: nothing may outlive it
                    if servers is not None:
                        servers.stop()
                    return
            sim._scheduler.at(time.monotonic(), lambda: attach(servers))

        def attach(servers: ClusterServers | None) -> None:
            if sim._clusters.get(state.identifier) is not state:  # deleted meanwhile
                if servers is not None:
                    servers.stop()
                return
            for member_state, address in zip(member_states, addresses, strict=True):
                if servers is None:
                    sim._open_tcp(member_state)
                else:
                    member_state.network = servers.member_network(address)
                    member_state.reachable = True
            if servers is not None:
                self._servers[state.identifier] = servers
            then()

        threading.Thread(target=build, daemon=True, name=f"demo-cluster-{state.identifier}").start()
        return True

    def fail_over(self, state: _Cluster, writer: Any, target: Any | None) -> None:
        """FailoverDBCluster on real servers (see the module docs); `target` None: the best reader."""
        from wizard.demo.simulator import CLUSTER_FAILOVER_OUTAGE, OutageWindow

        sim, cluster, identifier = self._sim, state.cluster, state.identifier
        servers = self._servers[identifier]
        arn = cluster.db_cluster_arn
        members = {m.db_instance_identifier: sim._instances[m.db_instance_identifier]
                   for m in cluster.members if m.db_instance_identifier in sim._instances}
        old = members[writer.db_instance_identifier]
        wanted = members[target.db_instance_identifier].primary if target is not None else None
        cluster.status = "failing-over"
        outage = OutageWindow(identifier, "cluster-failover", time.monotonic(), datetime.now(UTC),
                              old.zones[0], None)
        sim._outages.append(outage)
        old.reachable = False
        chosen_node = servers.choose_reader(wanted)
        chosen = next(m for m in members.values() if m.primary == chosen_node)
        chosen.reachable = False  # out of the reader endpoint: it is becoming the writer
        outage.to_az = chosen.zones[0]
        sim.event(identifier, "db-cluster", MSG_FAILOVER_STARTED.format(target=chosen.identifier),
                  "failover", arn)
        promoted: list[BaseException | None] = []

        def promote() -> None:
            try:
                servers.promote(chosen_node)
                promoted.append(None)
            except Exception as error:
                promoted.append(error)
                _log.info("demo cluster %s promotion failed", identifier, exc_info=True)

        promotion = threading.Thread(target=promote, daemon=True, name=f"demo-promote-{identifier}")
        promotion.start()

        def back() -> None:
            promotion.join()  # usually long done: a promotion takes a fraction of the outage
            outage.ended_monotonic, outage.ended_at = time.monotonic(), datetime.now(UTC)
            error = promoted[0] if promoted else RuntimeError("the promotion did not finish")
            if error is not None:
                sim.problems.append(f"{identifier}: promoting {chosen.identifier} failed ({error}).")
                sim.event(identifier, "db-cluster", MSG_FAILOVER_FAILED.format(target=chosen.identifier),
                          "failover", arn)
                cluster.status = "failed"
                return
            old.db.is_cluster_writer = False
            chosen.db.is_cluster_writer = True
            chosen.reachable = True
            sim.event(identifier, "db-cluster", MSG_FAILOVER_DONE.format(target=chosen.identifier),
                      "failover", arn)
            self._rejoin(state, old, servers)

        sim._after(sim._duration(identifier, CLUSTER_FAILOVER_OUTAGE), back, state)

    def _rejoin(self, state: _Cluster, old: _Instance, servers: ClusterServers) -> None:
        """The old writer rejoins as a reader off the lock; the cluster is `available` once it has (or
        once it is known that it could not: it then stays out of the reader endpoint)."""
        sim = self._sim

        def run() -> None:
            ok = True
            try:
                servers.rejoin_old_writer()
            except Exception as error:
                ok = False
                sim.problems.append(f"{state.identifier}: the old writer {old.identifier} could not rejoin "
                                    f"as a reader ({error}).")
                _log.info("demo cluster %s rejoin failed", state.identifier, exc_info=True)

            def done() -> None:
                if sim._clusters.get(state.identifier) is state:
                    old.reachable = ok
                    state.cluster.status = "available"

            sim._scheduler.at(time.monotonic(), done)

        threading.Thread(target=run, daemon=True, name=f"demo-rejoin-{state.identifier}").start()

    def stop(self, identifier: str) -> None:
        """The cluster is deleted: its servers go."""
        servers = self._servers.pop(identifier, None)
        if servers is not None:
            servers.stop()

    def stop_all(self) -> None:
        """The demo stops: every cluster's servers go."""
        for identifier in list(self._servers):
            self.stop(identifier)
