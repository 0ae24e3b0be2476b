"""Unplanned failures for the failover drills: the primary's host dies, or its whole AZ goes dark.

Real AWS has no "kill this host" call, so the demo offers one of its own, reached two ways and no other:

- in process: `DemoAWS.drills.start(identifier, drill)` (the embedded demo; the wizard's gateway holds it);
- for `rds-wizard demo-server` in another process: the demo-only action `RdsWizardDemoStartDrill`
  (`DBInstanceIdentifier`, `Drill`), sent like any RDS query call: a SigV4-signed POST to `/` for
  service rds. The front door admits it by the same rule as every AWS call (wizard.demo.frontdoor), so a
  web page cannot send it; AWS itself answers such an action with InvalidAction, so nothing sent to a real
  endpoint by mistake does anything.

What happens (times are real-RDS seconds divided by the demo's speed):

- `host-failure`: the primary's PostgreSQL server is killed with SIGKILL (no clean shutdown) and its
  listener is gone; the status stays `available` while RDS has not noticed. After the detection delay RDS
  starts an automatic failover: RDS-EVENT-0013, the standby is promoted, the endpoint moves (RDS-EVENT-0015),
  and once the old primary has rejoined as the standby RDS-EVENT-0049.
- `az-outage`: the same for the target, plus every Single-AZ instance whose primary is in that AZ goes
  down with it; the old primary cannot rejoin while its AZ is dark, so the failover completes without a
  standby (RDS-EVENT-0049) and the instance refuses changes. The AZ comes back `AZ_RETURNS` later:
  RDS-EVENT-0052 (recovery started), the old primary rejoins as the standby, RDS-EVENT-0053; the Single-AZ
  instances restart in place (RDS-EVENT-0006). A Single-AZ target is refused: it would simply be down
  until the AZ returns.

Event messages: https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_Events.Messages.html
Failover causes (an unhealthy primary host, loss of network connectivity to the primary):
https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.MultiAZSingleStandby.html
"""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime
from typing import Any
from xml.sax.saxutils import escape

from wizard.demo.simulator import (
    FAILOVER_OUTAGE,
    MSG_FAILOVER_DNS,
    MSG_FAILOVER_DONE,
    MSG_FAILOVER_STARTED,
    MSG_RECOVERY_DONE,
    MSG_RECOVERY_STARTED,
    MSG_RESTARTED,
    DemoApiError,
    OutageWindow,
    Simulator,
)

DRILL_ACTION = "RdsWizardDemoStartDrill"
DRILLS = ("host-failure", "az-outage")
# AWS publishes no detection time, only that a failover takes typically 60-120 s in all (Multi-AZ page
# above). The demo splits an unplanned one into noticing the failure (a guess: AWS gives no figure) and the
# failover proper, so that the whole stays within those 60-120 s (with room to spare for what the client
# adds); an AZ's loss of network connectivity takes a little longer to tell from a slow host.
DETECTION = {"host-failure": (15.0, 30.0), "az-outage": (20.0, 35.0)}
PROMOTION = (FAILOVER_OUTAGE[0] - 20.0, FAILOVER_OUTAGE[1] - 45.0)
# How long the dark AZ stays dark after the failover has completed (real-RDS seconds).
AZ_RETURNS = 120.0
NOTICED = {"host-failure": "the primary host is unhealthy",
           "az-outage": "the primary lost network connectivity (its Availability Zone is unreachable)"}


class Drills:
    """Starts the demo-only failures on a simulator; every change happens under the demo's lock."""

    def __init__(self, simulator: Simulator) -> None:
        self._sim = simulator
        self.dark_zones: set[str] = set()
        # Single-AZ instances down with a dark AZ, and their outage windows, until it returns.
        self._down_with: dict[str, list[tuple[Any, OutageWindow]]] = {}

    def start(self, identifier: str, drill: str) -> dict[str, Any]:
        """Start a drill on a DB instance now; DemoApiError (as RDS would answer) when it cannot run.

        Returns what failed: {"drill", "identifier", "availability_zone", "started_at" (ISO)}.
        """
        if drill not in DRILLS:
            raise DemoApiError("InvalidParameterValue",
                               f"Drill {drill!r} is not one of the demo's drills: {', '.join(DRILLS)}.")
        sim = self._sim
        with sim.lock:
            state = sim._instances.get(identifier)
            if state is None:
                raise DemoApiError("DBInstanceNotFound", f"DBInstance {identifier} not found.")
            db = state.db
            if len(state.zones) < 2 or not db.multi_az:
                why = ("it would be down until the Availability Zone returns: a Single-AZ instance has no "
                       "standby in another AZ to fail over to" if drill == "az-outage" else
                       "a Single-AZ instance has no standby to fail over to")
                raise DemoApiError("InvalidDBInstanceState",
                                   f"The {drill} drill needs a Multi-AZ DB instance; {identifier} is "
                                   f"Single-AZ: {why}.")
            if db.status != "available" or state.network is None:
                raise DemoApiError("InvalidDBInstanceState",
                                   f"Instance {identifier} is not in available state.")
            sim.check_standby_idle(identifier)
            zone = state.zones[0]
            self._fail(state, drill)
            if drill == "az-outage":
                self._darken_others(zone, state)
            return {"drill": drill, "identifier": identifier, "availability_zone": zone,
                    "started_at": datetime.now(UTC).isoformat()}

    def _fail(self, state: Any, drill: str) -> None:
        """The primary is gone; RDS notices after the detection delay and fails over by itself."""
        sim, db, network = self._sim, state.db, state.network
        identifier, arn = state.identifier, db.db_instance_arn
        old_zone = state.zones[0]
        outage = OutageWindow(identifier, drill, time.monotonic(), datetime.now(UTC), old_zone,
                              state.zones[1])
        sim._outages.append(outage)
        network.begin_outage()  # a real primary: SIGKILL, no clean shutdown; listeners: gone
        state.reachable = False
        if drill == "az-outage":
            self.dark_zones.add(old_zone)
        rng = random.Random(f"{identifier}/{drill}/{len(sim._outages)}")

        def noticed() -> None:
            # The status RDS shows during an automatic failover is not documented; the demo shows the one
            # of a forced failover from the moment RDS acts.
            db.status = "rebooting"
            sim.event(identifier, "db-instance", MSG_FAILOVER_STARTED, "failover", arn)  # RDS-EVENT-0013
            promotion = sim._promote_early(state, network)
            sim._after(rng.uniform(*PROMOTION), lambda: moved(promotion), state)

        def moved(promotion: Any) -> None:
            if promotion is not None:
                promotion.join()
            state.zones.reverse()
            db.availability_zone, db.secondary_availability_zone = state.zones[0], state.zones[1]
            try:
                if drill == "az-outage":
                    _take_over(network, state.primary, state.standby)
                else:
                    network.end_outage(state.primary, state.standby)
            except Exception as error:  # nothing listens now: say so instead of staying `rebooting`
                sim._failed(state, "failover", error)
                outage.ended_monotonic, outage.ended_at = time.monotonic(), datetime.now(UTC)
                if drill == "az-outage":
                    self._return_later(old_zone, state)
                return
            state.reachable = True
            outage.ended_monotonic, outage.ended_at = time.monotonic(), datetime.now(UTC)
            sim.event(identifier, "db-instance", MSG_FAILOVER_DNS, "failover", arn)  # RDS-EVENT-0015

            def completed() -> None:
                sim.event(identifier, "db-instance", MSG_FAILOVER_DONE, "failover", arn)  # RDS-EVENT-0049
                db.status = "available"

            if drill == "az-outage":
                state.standby_busy = (f"its standby's Availability Zone {old_zone} is unreachable; it "
                                      "rejoins when the AZ returns")
                completed()
                self._return_later(old_zone, state)
            elif getattr(getattr(network, "standby_state", None), "value", "") == "rejoining":
                state.after_standby = completed
            else:
                completed()

        sim._after(rng.uniform(*DETECTION[drill]), noticed, state)

    def _return_later(self, zone: str, target: Any) -> None:
        """The dark AZ returns AZ_RETURNS after the drill, whatever became of the target meanwhile."""
        sim = self._sim
        sim._scheduler.at(time.monotonic() + AZ_RETURNS / sim.speed, lambda: self._zone_back(target, zone))

    def _zone_back(self, state: Any, zone: str) -> None:
        """The AZ answers again: the Single-AZ instances there restart in place, and the old primary rejoins
        as the standby (Multi-AZ recovery)."""
        sim = self._sim
        self.dark_zones.discard(zone)
        for other, outage in self._down_with.pop(zone, []):
            if self._alive(other) and other.network is not None:
                other.network.end_outage(other.primary, None)  # restarts in place (crash recovery)
                other.reachable = True
                sim.event(other.identifier, "db-instance", MSG_RESTARTED, "availability",
                          other.db.db_instance_arn)  # RDS-EVENT-0006
            outage.ended_monotonic, outage.ended_at = time.monotonic(), datetime.now(UTC)
        if not self._alive(state):
            return  # deleted meanwhile
        arn = state.db.db_instance_arn
        sim.event(state.identifier, "db-instance", MSG_RECOVERY_STARTED, "recovery", arn)  # RDS-EVENT-0052
        rejoin = getattr(state.network, "rejoin_old_primary_later", None)
        if callable(rejoin):
            rejoin()  # the network tells "in-sync" (-> RDS-EVENT-0053) or a failure, as after any failover
            return
        state.standby_busy = None  # simulated listeners: the standby is back at once
        sim.event(state.identifier, "db-instance", MSG_RECOVERY_DONE, "recovery", arn)  # RDS-EVENT-0053

    def _alive(self, state: Any) -> bool:
        """Whether this instance still exists (not deleted since)."""
        return self._sim._instances.get(state.identifier) is state

    def _darken_others(self, zone: str, target: Any) -> None:
        """Single-AZ instances whose primary is in the dark AZ are down until it returns."""
        sim = self._sim
        for state in list(sim._instances.values()):
            if state is target or state.network is None or not state.reachable or len(state.zones) != 1 \
                    or state.zones[0] != zone:
                continue
            state.network.begin_outage()
            state.reachable = False
            outage = OutageWindow(state.identifier, "az-outage", time.monotonic(), datetime.now(UTC), zone,
                                  zone)
            sim._outages.append(outage)
            self._down_with.setdefault(zone, []).append((state, outage))

    # -- the demo-only signed action, for a demo server in another process -----------------------------
    def answer(self, params: dict[str, str]) -> tuple[int, bytes]:
        """The HTTP status and XML body for a `RdsWizardDemoStartDrill` query call."""
        try:
            started = self.start(params.get("DBInstanceIdentifier", ""), params.get("Drill", ""))
        except DemoApiError as error:
            status = 404 if error.code == "DBInstanceNotFound" else 400
            return status, (f"<ErrorResponse><Error><Type>Sender</Type><Code>{escape(error.code)}</Code>"
                            f"<Message>{escape(error.message)}</Message></Error></ErrorResponse>").encode()
        fields = "".join(f"<{key}>{escape(str(value))}</{key}>" for key, value in (
            ("Drill", started["drill"]), ("DBInstanceIdentifier", started["identifier"]),
            ("AvailabilityZone", started["availability_zone"]), ("StartedAt", started["started_at"])))
        return 200, (f"<{DRILL_ACTION}Response><{DRILL_ACTION}Result>{fields}</{DRILL_ACTION}Result>"
                     f"</{DRILL_ACTION}Response>").encode()


def _take_over(network: Any, primary: Any, standby: Any) -> None:
    """The endpoint moves to the promoted standby while the old primary's AZ is dark (no rejoin yet)."""
    take_over = getattr(network, "take_over", None)
    if callable(take_over):
        take_over(primary)
    else:
        network.end_outage(primary, standby)
