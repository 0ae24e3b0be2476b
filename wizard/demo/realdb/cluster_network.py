"""A real PostgreSQL Multi-AZ DB cluster behind a demo cluster's endpoints (`wizard.demo.clusters`' seam).

`RealClusterServers` builds a `PostgresCluster` on the members' addresses (writer first), and carries out
the steps of a cluster failover the simulator schedules: `choose_reader` (the writer dies, the reader to
promote is known), `promote` (off the demo's lock), `rejoin_old_writer` (after the endpoint moved).
`member_network` gives each member instance the ``InstanceNetwork`` a RebootDBInstance of that member uses.
`cluster_factory` makes the demo's ``ClusterFactory`` for engine ``postgres``.
"""

from __future__ import annotations

from collections.abc import Callable

from wizard.demo.network import InstanceInfo, NodeAddress
from wizard.demo.realdb.cluster import PostgresCluster
from wizard.demo.realdb.pair import Address, RealDBError


def _addr(node: NodeAddress) -> Address:
    return node.host, node.port


class RealClusterServers:
    """Three real servers for one demo Multi-AZ DB cluster."""

    def __init__(self, info: InstanceInfo, members: list[NodeAddress]) -> None:
        """Remember what to build (members: writer first, one per AZ); nothing starts before `start`."""
        if len(members) != 3:
            raise ValueError(f"A Multi-AZ DB cluster has three members, not {len(members)}.")
        if not info.master_password:
            raise ValueError("A real cluster needs the master password.")
        self.info = info
        self._members = list(members)
        self._password = info.master_password
        self.cluster: PostgresCluster | None = None

    def running(self) -> PostgresCluster:
        """The cluster's servers; RealDBError before `start` or after a failed one."""
        if self.cluster is None:
            raise RealDBError("The cluster's servers are not running.")
        return self.cluster

    def _member(self, addr: Address) -> NodeAddress:
        return next(m for m in self._members if _addr(m) == addr)

    def start(self) -> None:
        """Build the writer and both readers; return once the writer has its quorum (a few seconds)."""
        first, second, third = self._members
        self.cluster = PostgresCluster.build(
            None, (_addr(first), _addr(second), _addr(third)), (first.az, second.az, third.az),
            self.info.master_username or "postgres", self._password, self.info.database)

    def choose_reader(self, target: NodeAddress | None) -> NodeAddress:
        """The writer's server dies now; return the reader that becomes the writer."""
        return self._member(self.running().choose_reader(_addr(target) if target else None))

    def promote(self, target: NodeAddress) -> None:
        """Promote that reader; the other reader follows it at once."""
        self.running().fail_over(_addr(target))

    def rejoin_old_writer(self) -> None:
        """The old writer comes back as a reader (pg_rewind, or a fresh copy)."""
        self.running().rejoin_old_writer()

    def member_network(self, member: NodeAddress) -> ClusterMemberNetwork:
        """What a RebootDBInstance of one member acts on."""
        return ClusterMemberNetwork(self, member)

    def stop(self) -> None:
        """Stop and remove every server."""
        if self.cluster is not None:
            self.cluster.stop()


class ClusterMemberNetwork:
    """One member's ``InstanceNetwork``: a reboot kills and restarts its server; the cluster owns the rest."""

    def __init__(self, servers: RealClusterServers, member: NodeAddress) -> None:
        """Act on `member`'s server of `servers`."""
        self._servers = servers
        self.member = member

    def start(self, primary: NodeAddress, standby: NodeAddress | None) -> None:
        """Already running: the cluster started every member."""

    def begin_outage(self) -> None:
        """The member's server dies (a reboot begins)."""
        self._servers.running().kill_member(_addr(self.member))

    def end_outage(self, primary: NodeAddress, standby: NodeAddress | None) -> None:
        """The member's server starts again in its role."""
        self._servers.running().restart_member(_addr(self.member))

    def stop(self) -> None:
        """Nothing of its own: the cluster's servers go when the cluster is deleted."""


def cluster_factory() -> Callable[[InstanceInfo, list[NodeAddress]], RealClusterServers | None]:
    """The demo's cluster factory: real servers for a postgres cluster with a master password, else None
    (simulated listeners serve it)."""

    def factory(info: InstanceInfo, members: list[NodeAddress]) -> RealClusterServers | None:
        if info.engine != "postgres" or not info.master_password:
            return None
        return RealClusterServers(info, members)

    return factory
