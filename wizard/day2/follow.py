"""Following a day-2 change to its end: a modify or reboot until `available` again, a delete until gone.

A modify or reboot reuses the create's `Follower` (statuses, events, AZs, problem statuses). Right after
the request RDS may still say `available` for a moment, so following ends only once the change was seen
(a status other than `available`) or the instance already looks as asked. A delete is followed until the
describe says not found, then the final snapshot until it is `available`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from wizard.aws.provisioning import Follower, Progress, Update, dedupe_events, fetch_events
from wizard.aws.timing import GatewayLike, PollSchedule
from wizard.day2.common import ActionPlan
from wizard.day2.inventory import is_not_found

# How long (RDS time) a change may show no sign of starting before following stops and says so.
START_GRACE_AWS_SECONDS = 180.0


def change_done(plan: ActionPlan, progress: Progress) -> bool:
    """Whether the instance already looks as the plan asked (for a change RDS finished between polls)."""
    if plan.action == "modify":
        wanted = bool(plan.params.get("MultiAZ"))
        return progress.multi_az is wanted and (bool(progress.standby_azs) == wanted)
    return False


def follow_change(gateway: GatewayLike, plan: ActionPlan, on_update: Callable[[Progress], object],
                  should_stop: Callable[[], bool] = lambda: False,
                  sleep: Callable[[float], None] = time.sleep,
                  events_since: datetime | None = None,
                  done: Callable[[Progress], bool] | None = None) -> Progress:
    """Poll a modified or rebooted instance until it is available again (or has a problem, or is gone).

    `events_since`: a moment just before the request was sent (events before it belong to older changes).
    `done`: whether an `available` instance already shows the change (for changes `change_done` cannot see).
    """
    follower = Follower(gateway, plan.identifier, "instance",
                        events_since=events_since or datetime.now(UTC) - timedelta(seconds=1),
                        expect_multi_az=plan.params.get("MultiAZ") if plan.action == "modify" else None)
    started = False
    while True:
        progress = follower.poll()
        if progress.status and progress.status != "available":
            started = True
        finished_early = done(progress) if done is not None else change_done(plan, progress)
        waiting = (progress.outcome == "available" and not started and not finished_early
                   and follower.elapsed * follower.schedule.scale < START_GRACE_AWS_SECONDS)
        if waiting:
            # Not finished: RDS has not shown the change yet. Keep what the poll said, minus "done".
            progress = replace(progress, outcome="progressing",
                               updates=tuple(u for u in progress.updates if u.kind != "done"))
        on_update(progress)
        if progress.finished:
            return progress
        deadline = time.monotonic() + progress.next_poll_in
        while True:
            if should_stop():
                return progress
            left = deadline - time.monotonic()
            if left <= 0:
                break
            sleep(min(left, 0.1))


@dataclass(frozen=True)
class DeleteOutcome:
    """How a delete ended."""

    gone: bool
    snapshot: str | None
    snapshot_status: str | None
    stopped_early: bool = False


def follow_delete(gateway: GatewayLike, plan: ActionPlan, on_line: Callable[[Update], object],
                  should_stop: Callable[[], bool] = lambda: False,
                  sleep: Callable[[float], None] = time.sleep,
                  events_since: datetime | None = None) -> DeleteOutcome:
    """Follow `deleting` until the database is gone, then the final snapshot until it is available."""
    cluster = "DBClusterIdentifier" in plan.params
    kind = "cluster" if cluster else "instance"
    snapshot = plan.params.get("FinalDBSnapshotIdentifier")
    client = gateway.client("rds")
    schedule = PollSchedule.for_gateway(gateway)
    began = time.monotonic()
    since = events_since or datetime.now(UTC) - timedelta(seconds=1)
    seen: set[tuple[str, str]] = set()
    last_status: str | None = None
    last_snapshot: str | None = None
    gone = False
    errors = 0

    def wait() -> bool:
        deadline = time.monotonic() + schedule.interval(time.monotonic() - began, errors)
        while time.monotonic() < deadline:
            if should_stop():
                return False
            sleep(min(deadline - time.monotonic(), 0.1))
        return True

    while True:
        now = datetime.now(UTC)
        try:
            if not gone:
                status = _status(client, plan.identifier, cluster)
                for event in dedupe_events(seen, _events(client, plan.identifier, kind, since)):
                    on_line(Update("event", event.message, event.date))
                if status is None:
                    gone = True
                    on_line(Update("done", f"{plan.identifier} is deleted: it no longer exists.", now))
                elif status != last_status:
                    last_status = status
                    on_line(Update("status", f"status: {status}", now))
            if snapshot is not None:  # RDS takes it during `deleting`, before the instance goes
                state = _snapshot_status(client, snapshot, cluster)
                if state is not None and state != last_snapshot:
                    last_snapshot = state
                    on_line(Update("status", f"final snapshot {snapshot}: {state}", now))
            if gone and (snapshot is None or last_snapshot == "available"):
                return DeleteOutcome(True, snapshot, last_snapshot)
            if gone and last_snapshot is None and snapshot is not None:
                on_line(Update("warning", f"The final snapshot {snapshot} does not exist.", now,
                               "Look at the events above and at the console's Snapshots page."))
                return DeleteOutcome(True, snapshot, None)
            errors = 0
        except Exception as exc:
            errors += 1
            from wizard.aws.errors import explain

            on_line(Update("notice", f"AWS did not answer this time ({explain(exc).title}); still following.",
                           now))
        if not wait():
            return DeleteOutcome(gone, snapshot, last_snapshot, stopped_early=True)


def _status(client: Any, identifier: str, cluster: bool) -> str | None:
    try:
        if cluster:
            return str(client.describe_db_clusters(DBClusterIdentifier=identifier)["DBClusters"][0]["Status"])
        found = client.describe_db_instances(DBInstanceIdentifier=identifier)["DBInstances"][0]
        return str(found["DBInstanceStatus"])
    except Exception as exc:
        if is_not_found(exc):
            return None
        raise


def _events(client: Any, identifier: str, kind: str, since: datetime) -> list[Any]:
    try:
        return fetch_events(client, identifier, "cluster" if kind == "cluster" else "instance", since)
    except Exception:  # events are colour; the status is what ends the delete
        return []


def _snapshot_status(client: Any, name: str, cluster: bool) -> str | None:
    try:
        if cluster:
            found = client.describe_db_cluster_snapshots(
                DBClusterSnapshotIdentifier=name)["DBClusterSnapshots"]
        else:
            found = client.describe_db_snapshots(DBSnapshotIdentifier=name)["DBSnapshots"]
    except Exception as exc:
        if "NotFound" in str(getattr(exc, "response", {}).get("Error", {}).get("Code", "")):
            return None
        raise
    return str(found[0]["Status"]) if found else None
