"""A real PostgreSQL pair behind a demo instance's endpoint: the `wizard.demo.network` seam.

`RealPostgresNetwork` implements ``InstanceNetwork``: `start` builds the pair and returns once the
standby is in sync (so the instance turns ``available`` only then), `begin_outage` kills the primary
like a failed host, `end_outage` promotes the standby when the endpoint moves to it (and rejoins
the old primary in the background) or restarts the primary in place for a reboot, `stop` removes
everything. `realdb_factory` makes a ``NetworkFactory`` for PostgreSQL instances.

The standby's health is `standby_state` (see StandbyState); each change made in the background is
also told to `on_standby_change`, which the simulator turns into RDS events and the instance's state.
A rejoin that fails for any reason (an OSError as much as a failed pg_rewind) is followed by one
replacement (a fresh copy of the primary, as RDS replaces a standby host); if that fails too the
standby is lost, and the instance is Single-AZ from then on.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from enum import Enum

from wizard.demo.network import InstanceInfo, NodeAddress
from wizard.demo.realdb.pair import Address, PostgresPair, RealDBError

log = logging.getLogger(__name__)


def _addr(node: NodeAddress) -> Address:
    return node.host, node.port


class StandbyState(Enum):
    """Whether a failover could go to the standby now."""

    NONE = "none"  # a Single-AZ instance
    IN_SYNC = "in-sync"  # confirms every commit: a failover may go to it
    REJOINING = "rejoining"  # the old primary becoming the standby after a failover (about a second)
    RECOVERING = "recovering"  # the rejoin failed: a fresh standby is being built
    LOST = "lost"  # no standby could be built: the instance is Single-AZ now


def short_reason(error: BaseException) -> str:
    """One line saying what went wrong, for an event (the full text goes to `problems` and the log)."""
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    name = type(error).__name__
    line = text if isinstance(error, RealDBError) else f"{name}: {text}" if text else name
    return line if len(line) <= 160 else line[:157] + "..."


class RealPostgresNetwork:
    """A demo instance whose endpoint leads to a real PostgreSQL primary (and synchronous standby)."""

    def __init__(self, info: InstanceInfo, password: str, database: str | None = None) -> None:
        """Remember what to build; nothing starts before `start`."""
        self.info = info
        self._password = password
        self._database = database
        self.pair: PostgresPair | None = None
        self.problems: list[str] = []  # what went wrong in the background, for the demo to show
        self.standby_state = StandbyState.NONE
        # Called from a background thread with each change of `standby_state` and its reason (if any).
        self.on_standby_change: Callable[[StandbyState, str | None], None] | None = None
        self._rejoin: threading.Thread | None = None
        self._promoted_to: Address | None = None  # a standby promoted during the current outage

    def start(self, primary: NodeAddress, standby: NodeAddress | None) -> None:
        """Build the servers and wait until the standby confirms commits (about 1-2 s)."""
        self.pair = PostgresPair.create(
            None,
            _addr(primary),
            _addr(standby) if standby else None,
            self.info.master_username or "postgres",
            self._password,
            self._database,
            names=(primary.az, standby.az if standby else "standby"),
        )
        self.standby_state = StandbyState.IN_SYNC if standby else StandbyState.NONE

    def add_standby(self, standby: NodeAddress) -> None:
        """Clone the primary into a synchronous standby there (a Single-AZ to Multi-AZ conversion);
        returns once it confirms commits."""
        if self.pair is not None:
            self.pair.build_standby(_addr(standby))
            self.pair.wait_in_sync()
            self.standby_state = StandbyState.IN_SYNC

    def remove_standby(self) -> None:
        """Stop and remove the standby (a Multi-AZ to Single-AZ conversion)."""
        if self.pair is not None:
            self.pair.remove_standby()
            self.standby_state = StandbyState.NONE

    def set_master_password(self, password: str) -> None:
        """The master user's new password (ModifyDBInstance MasterUserPassword)."""
        self._password = password
        if self.pair is not None:
            self.pair.set_master_password(password)

    def begin_outage(self) -> None:
        """Kill the primary's processes, as a host failure does."""
        if self.pair is not None:
            self.pair.kill_primary()

    def promote_standby(self) -> None:
        """Promote the standby now, during a failover's outage, so the endpoint can move to it the moment
        the outage ends (as RDS promotes first and flips DNS after); the old primary rejoins after that."""
        pair = self.pair
        if pair is None or pair.current_standby_addr() is None:
            return
        times = pair.fail_over()
        # The old primary rejoins only once the endpoint has moved (end_outage): restarted as a standby
        # at the old address, it would answer connections the endpoint still sends there.
        self._promoted_to = times.new_primary

    def _start_rejoin(self, address: Address) -> None:
        self.standby_state = StandbyState.REJOINING
        self._rejoin = threading.Thread(target=self._rejoin_old_primary, args=(address,), daemon=True,
                                        name="realdb-rejoin")
        self._rejoin.start()

    def end_outage(self, primary: NodeAddress, standby: NodeAddress | None) -> None:
        """Promote the standby if the endpoint moved to it (unless already promoted), else restart the
        primary in place."""
        pair = self.pair
        if pair is None:
            return
        promoted, self._promoted_to = self._promoted_to, None
        old_primary = _addr(standby) if standby is not None else pair.current_primary_addr()
        if promoted == _addr(primary):
            self._start_rejoin(old_primary)
            return
        if pair.current_standby_addr() == _addr(primary):
            pair.fail_over()
            self._start_rejoin(old_primary)
            return
        if pair.current_primary_addr() != _addr(primary):
            # The standby is still being rebuilt after an earlier failover: recover where we are.
            self.problems.append(
                f"{self.info.identifier}: no standby in sync to fail over to; restarted the primary instead"
            )
        pair.restart_primary()

    def take_over(self, primary: NodeAddress) -> None:
        """The endpoint moves to the standby (promoted now unless it already is) while the old primary stays
        down, its AZ dark (a demo drill): no rejoin until `rejoin_old_primary_later`."""
        pair = self.pair
        if pair is None:
            return
        promoted, self._promoted_to = self._promoted_to, None
        if promoted != _addr(primary):
            pair.fail_over()
        self.standby_state = StandbyState.NONE

    def rejoin_old_primary_later(self) -> None:
        """The old primary's AZ is back: it rejoins as the standby in the background, told as after any
        failover (in-sync, or recovering and then lost)."""
        address = self.pair.failed_primary_addr() if self.pair is not None else None
        if address is not None:
            self._start_rejoin(address)

    def _rejoin_old_primary(self, address: Address) -> None:
        """The old primary becomes the standby; if it cannot, a fresh standby replaces it; if that fails
        too, the standby is lost. Whatever happens is told, never left in a dead thread."""
        pair = self.pair
        assert pair is not None
        try:
            pair.rejoin_old_primary()
        except Exception as exc:  # any failure leaves it without a standby
            log.info("realdb rejoin of %s failed", self.info.identifier, exc_info=True)
            self.problems.append(f"{self.info.identifier}: the old primary could not rejoin: {exc}")
            self._tell(StandbyState.RECOVERING, short_reason(exc))
            try:
                pair.remove_standby()
                pair.build_standby(address)
                pair.wait_in_sync()
            except Exception as again:
                log.info("realdb standby replacement of %s failed", self.info.identifier, exc_info=True)
                self.problems.append(f"{self.info.identifier}: no standby could replace it: {again}")
                self._tell(StandbyState.LOST, short_reason(again))
                return
        self._tell(StandbyState.IN_SYNC, None)

    def _tell(self, state: StandbyState, reason: str | None) -> None:
        self.standby_state = state
        listener = self.on_standby_change
        if listener is not None:
            try:
                listener(state, reason)
            except Exception:  # reported, not raised into a dying thread
                log.info("realdb standby listener failed", exc_info=True)
                self.problems.append(f"{self.info.identifier}: the standby's new state ({state.value}) "
                                     "could not be reported")

    def stop(self) -> None:
        """Stop and remove the servers."""
        if self._rejoin is not None:
            self._rejoin.join(timeout=30)
        if self.pair is not None:
            self.pair.stop()


def realdb_factory(
    password_for: Callable[[InstanceInfo], str],
    database_for: Callable[[InstanceInfo], str | None] = lambda info: None,
) -> Callable[[InstanceInfo, dict[str, NodeAddress]], RealPostgresNetwork]:
    """Return a network factory building real servers, given how to find each instance's password.

    Only for engine ``postgres`` DB instances: other engines and Multi-AZ DB cluster members keep the
    simulated listener (the caller chooses).
    """

    def factory(info: InstanceInfo, addresses: dict[str, NodeAddress]) -> RealPostgresNetwork:
        if info.engine != "postgres":
            raise ValueError(f"real servers exist only for engine postgres, not {info.engine}")
        return RealPostgresNetwork(info, password_for(info), database_for(info))

    return factory


def demo_factory() -> Callable[[InstanceInfo, dict[str, NodeAddress]], RealPostgresNetwork | None]:
    """The demo's default network factory: a real server (or pair) for each postgres DB instance.

    The master password is the instance's own (the create call's, or its managed secret's value) and
    the initial database is its DBName. Other engines, and an instance without a password, are
    declined (None) so simulated listeners serve them.
    """

    def factory(info: InstanceInfo, addresses: dict[str, NodeAddress]) -> RealPostgresNetwork | None:
        if info.engine != "postgres" or not info.master_password:
            return None
        return RealPostgresNetwork(info, info.master_password, info.database)

    return factory
