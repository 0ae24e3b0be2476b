"""Follow a DB instance (or a Multi-AZ DB cluster) until it is available, without ever giving up early.

No waiter: waiters time out after ~30 minutes and miss problem statuses such as `storage-full`
(the DB instance status list in the RDS User Guide,
https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/accessing-monitoring.html). A `Follower` makes
one round of describes per `poll()` and returns a `Progress`
snapshot that also lists what changed in that round (`updates`), so a Textual screen can render the
snapshot and a line-mode front end can print the updates. `follow()` loops with an adaptive schedule.

Threading: everything here blocks on the network. Call `poll()`/`follow()` from a worker thread; the
callbacks run on that thread (a Textual app should hop to the UI thread with `call_from_thread`).
Nothing here prints.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from wizard.aws import error_codes
from wizard.aws.timing import GatewayLike, PollSchedule, is_demo, is_transient
from wizard.aws.waits import (
    DEFAULT_POLICY,
    NoAnswer,
    Silence,
    Stopped,
    WaitPolicy,
    call_out_loud,
    gave_up_title,
    is_no_answer,
    pause_out_loud,
    resume_step,
)
from wizard.shell import command

Kind = Literal["instance", "cluster"]
# "no-answer": AWS stayed silent past the ride-out (wizard.aws.waits); the database carries on regardless.
Outcome = Literal["progressing", "available", "problem", "gone", "stopped", "no-answer"]
UpdateKind = Literal["status", "event", "placement", "endpoint", "secret", "notice", "warning", "done",
                     "waiting"]

LAUNCH_TOKEN_TAG = "rds-wizard:launch-token"
REQUESTED_DEPLOYMENT_TAG = "rds-wizard:deployment"

SINGLE_AZ_STAGES: tuple[str, ...] = ("creating", "backing-up", "available")
MULTI_AZ_STAGES: tuple[str, ...] = ("creating", "modifying", "backing-up", "available")
CLUSTER_STAGES: tuple[str, ...] = ("creating", "backing-up", "available")

# Typical create times on real RDS, in seconds: AWS says only "several minutes"; users report 5-10 min
# Single-AZ and 15-20 Multi-AZ (hashicorp/terraform issue 498).
TYPICAL_CREATE_SECONDS: dict[str, tuple[float, float]] = {
    "single-az": (5 * 60.0, 10 * 60.0),
    "multi-az-instance": (15 * 60.0, 20 * 60.0),
    "multi-az-cluster": (15 * 60.0, 20 * 60.0),
}

# After a create, RDS can answer "not found" for a short while (eventual consistency).
NOT_FOUND_GRACE_AWS_SECONDS = 60.0

# Statuses in which the instance is not progressing towards `available`: what happened, what to do.
PROBLEM_STATUSES: dict[str, tuple[str, str]] = {
    "failed": (
        "RDS could not create the database (status: failed).",
        "Read the events above for the cause. Delete the failed instance, fix what the events name, and "
        "create it again.",
    ),
    "incompatible-network": (
        "RDS cannot place the instance in its network (status: incompatible-network).",
        "Usually the subnets in the DB subnet group ran out of free IP addresses or a subnet was deleted. "
        "Free addresses or fix the subnet group, then start or re-create the instance.",
    ),
    "incompatible-parameters": (
        "The engine cannot start with its parameter group (status: incompatible-parameters).",
        "A value in the DB parameter group does not fit this engine or class (memory settings are the usual "
        "cause). Fix the parameter group, then reboot the instance.",
    ),
    "incompatible-option-group": (
        "The option group does not fit this instance (status: incompatible-option-group).",
        "Choose an option group made for this engine and major version, then modify the instance.",
    ),
    "incompatible-restore": (
        "The restore could not complete (status: incompatible-restore).",
        "Restore again from another snapshot or point in time.",
    ),
    "insufficient-capacity": (
        "AWS has no capacity for this instance class right now (status: insufficient-capacity).",
        "Try another instance class or Availability Zone, or try again later.",
    ),
    "inaccessible-encryption-credentials": (
        "RDS cannot use the KMS key that encrypts this database "
        "(status: inaccessible-encryption-credentials).",
        "The key was disabled or deleted, or its key policy denies RDS. Re-enable the key or fix its policy.",
    ),
    "inaccessible-encryption-credentials-recoverable": (
        "RDS lost access to the KMS key (status: inaccessible-encryption-credentials-recoverable).",
        "Re-enable the key or fix its policy, then start the instance within 7 days.",
    ),
    "storage-full": (
        "The database ran out of storage (status: storage-full).",
        "Raise the allocated storage, or enable storage autoscaling with a higher maximum.",
    ),
}

# How many polls a finish may wait for events that could not be read (then it finishes without them).
MAX_FINISH_DEFERRALS = 3

# Statuses that mean the resource is leaving, or parked: following it further shows nothing new.
GONE_STATUSES = {"deleting", "deleted"}
STOPPED_STATUSES = {"stopped", "stopping"}


@dataclass(frozen=True)
class RdsEvent:
    """One RDS event (DescribeEvents), identified by its date and message."""

    date: datetime
    message: str
    source: str = ""
    categories: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[str, str]:
        """What makes two events the same one: RDS can return an event again on the next page or poll."""
        return (self.date.isoformat(), self.message)


@dataclass(frozen=True)
class Update:
    """Something that changed in one poll, phrased for a person: a line in plain mode, a toast in the TUI."""

    kind: UpdateKind
    message: str
    at: datetime
    next_step: str = ""


@dataclass(frozen=True)
class Notice:
    """A warning or problem that stays true until it is resolved, with what to do about it."""

    title: str
    next_step: str
    severity: Literal["info", "warning", "error"] = "warning"


@dataclass(frozen=True)
class Progress:
    """A snapshot of a create in progress, plus what changed since the previous snapshot (`updates`)."""

    identifier: str
    kind: Kind
    status: str | None
    stages: tuple[str, ...]
    stage_index: int
    outcome: Outcome
    elapsed: float
    time_scale: float
    estimate: tuple[float, float]
    engine: str = ""
    multi_az: bool | None = None
    expect_multi_az: bool | None = None
    primary_az: str | None = None
    standby_azs: tuple[str, ...] = ()
    endpoint: str | None = None
    reader_endpoint: str | None = None
    port: int | None = None
    secret_arn: str | None = None
    master_username: str | None = None
    database_name: str | None = None
    events: tuple[RdsEvent, ...] = ()
    new_events: tuple[RdsEvent, ...] = ()
    updates: tuple[Update, ...] = ()
    notices: tuple[Notice, ...] = ()
    polls: int = 0
    transient_errors: int = 0
    next_poll_in: float = 0.0

    @property
    def finished(self) -> bool:
        """True when following further would show nothing new: available, a problem, gone or stopped."""
        return self.outcome != "progressing"

    @property
    def standby_az(self) -> str | None:
        """The standby's AZ (for a cluster: the first reader's)."""
        return self.standby_azs[0] if self.standby_azs else None

    @property
    def stage(self) -> str | None:
        """The stage-line entry the current status belongs to."""
        return self.stages[self.stage_index] if 0 <= self.stage_index < len(self.stages) else None

    @property
    def aws_elapsed(self) -> float:
        """Elapsed time as real RDS would have spent it (the demo runs `time_scale` times faster)."""
        return self.elapsed * self.time_scale

    @property
    def warnings(self) -> tuple[Notice, ...]:
        """The notices that are warnings or errors (what the screen shows in a warning panel)."""
        return tuple(n for n in self.notices if n.severity != "info")


def format_duration(seconds: float) -> str:
    """A short human duration: "45 s", "3 min 05 s", "1 h 02 min"."""
    seconds = max(0.0, seconds)
    if seconds < 60:
        return f"{seconds:.1f} s" if seconds < 10 else f"{seconds:.0f} s"
    minutes, secs = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes} min {secs:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def stages_for(kind: Kind, multi_az: bool | None) -> tuple[str, ...]:
    """The stage line to show: a single-AZ instance skips `modifying` (no standby to add)."""
    if kind == "cluster":
        return CLUSTER_STAGES
    return MULTI_AZ_STAGES if multi_az else SINGLE_AZ_STAGES


def dedupe_events(seen: set[tuple[str, str]], events: list[RdsEvent]) -> list[RdsEvent]:
    """The events not seen before, oldest first; records them in `seen`."""
    fresh: list[RdsEvent] = []
    for event in sorted(events, key=lambda e: e.date):
        if event.key not in seen:
            seen.add(event.key)
            fresh.append(event)
    return fresh


def _as_datetime(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, str) and value:
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return None


def _tags(record: dict[str, Any]) -> dict[str, str]:
    return {str(t.get("Key")): str(t.get("Value", "")) for t in record.get("TagList") or []}


def is_capacity_event(event: RdsEvent) -> bool:
    """True for the event that says the standby could not be placed (a Multi-AZ create ending single-AZ)."""
    text = event.message.lower()
    return "insufficient" in text and "capacity" in text


def fetch_events(client: Any, identifier: str, kind: Kind, since: datetime) -> list[RdsEvent]:
    """Every event for this resource since `since` (all pages)."""
    source_type = "db-cluster" if kind == "cluster" else "db-instance"
    request: dict[str, Any] = {"SourceIdentifier": identifier, "SourceType": source_type,
                               "StartTime": since, "MaxRecords": 100}
    events: list[RdsEvent] = []
    for _ in range(20):  # a bound on pages: 2000 events is far more than any create or failover emits
        answer = client.describe_events(**request)
        for raw in answer.get("Events") or []:
            date = _as_datetime(raw.get("Date"))
            if date is None:
                continue
            events.append(RdsEvent(date=date, message=str(raw.get("Message", "")).strip(),
                                   source=str(raw.get("SourceIdentifier", identifier)),
                                   categories=tuple(raw.get("EventCategories") or ())))
        marker = answer.get("Marker")
        if not marker:
            break
        request["Marker"] = marker
    return events


@dataclass
class _Snapshot:
    """What one describe said, normalised across instances and clusters."""

    status: str | None = None
    engine: str = ""
    multi_az: bool | None = None
    primary_az: str | None = None
    standby_azs: tuple[str, ...] = ()
    endpoint: str | None = None
    reader_endpoint: str | None = None
    port: int | None = None
    secret_arn: str | None = None
    master_username: str | None = None
    database_name: str | None = None
    created_at: datetime | None = None
    tags: dict[str, str] = field(default_factory=dict)


def describe_instance(client: Any, identifier: str) -> _Snapshot:
    """One DescribeDBInstances, normalised."""
    answer = client.describe_db_instances(DBInstanceIdentifier=identifier)
    record = (answer.get("DBInstances") or [{}])[0]
    endpoint = record.get("Endpoint") or {}
    secondary = record.get("SecondaryAvailabilityZone")
    secret = record.get("MasterUserSecret") or {}
    return _Snapshot(
        status=record.get("DBInstanceStatus"),
        engine=str(record.get("Engine", "")),
        multi_az=record.get("MultiAZ"),
        primary_az=record.get("AvailabilityZone"),
        standby_azs=(str(secondary),) if secondary else (),
        endpoint=endpoint.get("Address"),
        port=endpoint.get("Port") or record.get("DbInstancePort") or None,
        secret_arn=secret.get("SecretArn"),
        master_username=record.get("MasterUsername"),
        database_name=record.get("DBName"),
        created_at=_as_datetime(record.get("InstanceCreateTime")),
        tags=_tags(record),
    )


def describe_cluster(client: Any, identifier: str) -> _Snapshot:
    """One DescribeDBClusters plus its members' AZs (one DescribeDBInstances filtered by cluster)."""
    answer = client.describe_db_clusters(DBClusterIdentifier=identifier)
    record = (answer.get("DBClusters") or [{}])[0]
    secret = record.get("MasterUserSecret") or {}
    members = record.get("DBClusterMembers") or []
    writer = next((m.get("DBInstanceIdentifier") for m in members if m.get("IsClusterWriter")), None)
    azs: dict[str, str] = {}
    if members:
        listed = client.describe_db_instances(Filters=[{"Name": "db-cluster-id", "Values": [identifier]}])
        for inst in listed.get("DBInstances") or []:
            if inst.get("AvailabilityZone"):
                azs[str(inst.get("DBInstanceIdentifier"))] = str(inst["AvailabilityZone"])
    primary = azs.get(str(writer)) if writer else None
    readers = tuple(az for name, az in azs.items() if name != writer)
    return _Snapshot(
        status=record.get("Status"),
        engine=str(record.get("Engine", "")),
        multi_az=record.get("MultiAZ"),
        primary_az=primary,
        standby_azs=readers,
        endpoint=record.get("Endpoint"),
        reader_endpoint=record.get("ReaderEndpoint"),
        port=record.get("Port"),
        secret_arn=secret.get("SecretArn"),
        master_username=record.get("MasterUsername"),
        database_name=record.get("DatabaseName"),
        created_at=_as_datetime(record.get("ClusterCreateTime")),
        tags=_tags(record),
    )


def describe(client: Any, identifier: str, kind: Kind) -> _Snapshot:
    """Describe an instance or a cluster."""
    if kind == "cluster":
        return describe_cluster(client, identifier)
    return describe_instance(client, identifier)


def _error_code(exc: BaseException) -> str:
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        return str(response.get("Error", {}).get("Code", ""))
    return ""


def _is_not_found(exc: BaseException) -> bool:
    return _error_code(exc) in error_codes.NOT_FOUND


def _explain_briefly(exc: BaseException) -> tuple[str, str]:
    """A title and a next step for an AWS error, through the gateway's translation when it exists."""
    try:
        from wizard.aws.errors import explain

        err = explain(exc)
        return str(err.title) + (f": {err.detail}" if getattr(err, "detail", "") else ""), str(err.next_step)
    except Exception:  # the translation is a nicety; never let it hide the original error
        return f"{type(exc).__name__}: {exc}", "Check your connection and credentials, then run it again."


def detect_kind(gateway: GatewayLike, identifier: str) -> Kind | None:
    """Whether this identifier is a DB instance or a Multi-AZ DB cluster (None: neither exists).

    Other errors (access denied, no connection) are raised for the caller to explain.
    """
    client = gateway.client("rds")
    try:
        client.describe_db_instances(DBInstanceIdentifier=identifier)
        return "instance"
    except Exception as exc:
        if not _is_not_found(exc):
            raise
    try:
        client.describe_db_clusters(DBClusterIdentifier=identifier)
        return "cluster"
    except Exception as exc:
        if not _is_not_found(exc):
            raise
    return None


class Follower:
    """Follows one instance or Multi-AZ DB cluster; each `poll()` is one round of describes."""

    def __init__(self, gateway: GatewayLike, identifier: str, kind: Kind = "instance", *,
                 expect_multi_az: bool | None = None, events_since: datetime | None = None,
                 just_created: bool = False, clock: Callable[[], float] = time.monotonic,
                 policy: WaitPolicy = DEFAULT_POLICY) -> None:
        self.gateway = gateway
        self.identifier = identifier
        self.kind: Kind = kind
        self.expect_multi_az = expect_multi_az
        self.just_created = just_created
        self.schedule = PollSchedule.for_gateway(gateway)
        self._clock = clock
        self._started = clock()
        self._since = events_since or datetime.now(UTC) - timedelta(hours=1)
        self._seen: set[tuple[str, str]] = set()
        self._events: list[RdsEvent] = []
        self._snapshot = _Snapshot()
        self._errors_in_a_row = 0
        self._transient_total = 0
        self._polls = 0
        self._stage_index = 0
        self._capacity_event = False
        self._deferrals = 0
        self._last: Progress | None = None
        self._client: Any = None
        # Whether AWS answers at all; `follow` speaks and gives up by it, `poll` marks the answers.
        self.silence = Silence(policy, clock)
        self._silence_told = False

    @property
    def elapsed(self) -> float:
        """Real seconds since following began."""
        return self._clock() - self._started

    def _rds(self) -> Any:
        if self._client is None:
            self._client = self.gateway.client("rds")
        return self._client

    def _expect_multi_az(self, snap: _Snapshot) -> bool | None:
        if self.expect_multi_az is not None:
            return self.expect_multi_az
        requested = snap.tags.get(REQUESTED_DEPLOYMENT_TAG)
        if requested:
            return requested != "single-az"
        return None

    def poll(self) -> Progress:
        """One round: describe, new events, what changed. Never raises for AWS or network errors."""
        self._polls += 1
        now = datetime.now(UTC)
        updates: list[Update] = []
        previous = self._snapshot
        gone = False
        fresh: list[RdsEvent] = []
        events_missed = False
        try:
            client = self._rds()
            self.silence.asking()
            snap = describe(client, self.identifier, self.kind)
            self._heard(updates, now)
            self._errors_in_a_row = 0
            try:
                self.silence.asking()
                listed = fetch_events(client, self.identifier, self.kind, self._since)
                self._heard(updates, now)
                fresh = dedupe_events(self._seen, listed)
                if self._finishing(snap):
                    # One last read once the status says "done": following stops here, and an event
                    # RDS records along with the final status (or lists a moment later) would be lost.
                    fresh += dedupe_events(self._seen, fetch_events(client, self.identifier, self.kind,
                                                                    self._since))
            except Exception as exc:  # the status is still news; missed events come with the next poll
                if not is_no_answer(exc):
                    self._heard(updates, now)
                events_missed = True
                self._transient_total += 1
                updates.append(Update("notice", f"The events could not be read this time "
                                                f"({_explain_briefly(exc)[0]}); still following.", now))
        except Exception as exc:
            snap = previous
            silent_spell = is_no_answer(exc) and self._silence_told
            if not is_no_answer(exc):
                self._heard(updates, now)
            aws_elapsed = self.elapsed * self.schedule.scale
            if _is_not_found(exc) and not (self.just_created and aws_elapsed < NOT_FOUND_GRACE_AWS_SECONDS):
                gone = True
                updates.append(Update("warning", f"{self.identifier} does not exist (any more).", now,
                                      "Check the identifier and the region; `rds-wizard watch` follows an "
                                      "existing instance or Multi-AZ DB cluster."))
            elif is_transient(exc) or _is_not_found(exc):
                self._errors_in_a_row += 1
                self._transient_total += 1
                title, _ = _explain_briefly(exc)
                self._silence_told = is_no_answer(exc)
                if not silent_spell:  # later failures of the same silence are told by its stall lines
                    updates.append(Update("notice", f"AWS did not answer this time ({title}); still "
                                                    "following, nothing changes in AWS.", now))
            else:
                title, next_step = _explain_briefly(exc)
                self._errors_in_a_row += 1
                updates.append(Update("notice", f"Could not read the status: {title}", now, next_step))
        self._snapshot = snap
        self._events.extend(fresh)
        for event in fresh:
            updates.append(Update("event", event.message, event.date))
            if is_capacity_event(event):
                self._capacity_event = True
        updates.extend(self._changes(previous, snap, now))
        expect = self._expect_multi_az(snap)
        multi = snap.multi_az if snap.multi_az is not None else expect
        stages = stages_for(self.kind, multi)
        if snap.status in stages:
            self._stage_index = max(self._stage_index, stages.index(snap.status))
        outcome: Outcome = "progressing"
        notices: list[Notice] = []
        if gone or snap.status in GONE_STATUSES:
            outcome = "gone"
        elif snap.status in PROBLEM_STATUSES:
            title, step = PROBLEM_STATUSES[str(snap.status)]
            notices.append(Notice(title, step, "error"))
            outcome = "problem"
        elif snap.status in STOPPED_STATUSES:
            notices.append(Notice(f"The database is {snap.status}.",
                                  f"Start it (aws rds start-db-{self.kind} ...) to use it; "
                                  "a stopped database starts again by itself after 7 days.", "info"))
            outcome = "stopped"
        elif snap.status == "available":
            outcome = "available"
            notices.extend(self._placement_notices(snap, expect))
            self._stage_index = len(stages) - 1
        elif self._capacity_event:
            notices.append(_capacity_notice(self.identifier, self.kind))
        if outcome != "progressing" and events_missed and self._deferrals < MAX_FINISH_DEFERRALS:
            # Finish only with the events in hand: they explain a problem, or show a Multi-AZ request
            # that ended single-AZ. One more poll reads them.
            self._deferrals += 1
            outcome, notices = "progressing", []
        if outcome != "progressing" and (self._last is None or self._last.outcome == "progressing"):
            for notice in notices:
                updates.append(Update("warning" if notice.severity != "info" else "notice", notice.title, now,
                                      notice.next_step))
            updates.append(Update("done", _outcome_line(self.identifier, outcome, snap.status), now))
        scale = self.schedule.scale
        progress = Progress(
            identifier=self.identifier, kind=self.kind, status=snap.status, stages=stages,
            stage_index=self._stage_index, outcome=outcome, elapsed=self.elapsed, time_scale=scale,
            estimate=self._estimate(multi), engine=snap.engine, multi_az=snap.multi_az,
            expect_multi_az=expect, primary_az=snap.primary_az, standby_azs=snap.standby_azs,
            endpoint=snap.endpoint, reader_endpoint=snap.reader_endpoint, port=snap.port,
            secret_arn=snap.secret_arn, master_username=snap.master_username,
            database_name=snap.database_name, events=tuple(self._events), new_events=tuple(fresh),
            updates=tuple(updates), notices=tuple(notices), polls=self._polls,
            transient_errors=self._transient_total,
            next_poll_in=self.schedule.interval(self.elapsed, self._errors_in_a_row),
        )
        self._last = progress
        return progress

    def _heard(self, updates: list[Update], now: datetime) -> None:
        """AWS answered: say so when a stall had been said."""
        self._silence_told = False
        line = self.silence.answered()
        if line is not None:
            updates.append(Update("notice", line, now))

    def _estimate(self, multi: bool | None) -> tuple[float, float]:
        scale = self.schedule.scale
        typical = TYPICAL_CREATE_SECONDS["multi-az-cluster" if self.kind == "cluster" else
                                         "multi-az-instance" if multi else "single-az"]
        return typical[0] / scale, typical[1] / scale

    def current(self) -> Progress:
        """The latest snapshot without its updates (before the first poll: nothing known yet)."""
        if self._last is not None:
            return replace(self._last, updates=(), new_events=(), elapsed=self.elapsed)
        expect = self.expect_multi_az
        return Progress(
            identifier=self.identifier, kind=self.kind, status=None, stages=stages_for(self.kind, expect),
            stage_index=0, outcome="progressing", elapsed=self.elapsed, time_scale=self.schedule.scale,
            estimate=self._estimate(expect), expect_multi_az=expect)

    def waiting(self, line: str) -> Progress:
        """The latest snapshot carrying one "waiting" update: what to say while AWS is silent."""
        return replace(self.current(), updates=(Update("waiting", line, datetime.now(UTC)),))

    def no_answer(self) -> Progress:
        """The final snapshot when AWS stayed silent past the ride-out: what happened and how to resume."""
        now = datetime.now(UTC)
        creating = self.just_created or self._snapshot.status in (None, "creating")
        notice = Notice(gave_up_title(self.silence.silent_for()),
                        resume_step(self.identifier, creating=creating, gateway=self.gateway), "error")
        progress = replace(self.current(), outcome="no-answer", notices=(notice,), updates=(
            Update("warning", notice.title, now, notice.next_step),
            Update("done", _outcome_line(self.identifier, "no-answer", self._snapshot.status), now)))
        self._last = progress
        return progress

    def _finishing(self, snap: _Snapshot) -> bool:
        """True when this status ends the following and no earlier poll ended it."""
        status = snap.status
        done = status is not None and (status == "available" or status in PROBLEM_STATUSES
                                       or status in GONE_STATUSES or status in STOPPED_STATUSES)
        return done and (self._last is None or self._last.outcome == "progressing")

    def _changes(self, before: _Snapshot, after: _Snapshot, now: datetime) -> list[Update]:
        changes: list[Update] = []
        if after.status and after.status != before.status:
            changes.append(Update("status", f"status: {after.status}", now))
        if after.primary_az and after.primary_az != before.primary_az:
            label = "writer AZ" if self.kind == "cluster" else "primary AZ"
            changes.append(Update("placement", f"{label}: {after.primary_az}", now))
        if after.standby_azs and after.standby_azs != before.standby_azs:
            label = "reader AZs" if self.kind == "cluster" else "standby AZ"
            changes.append(Update("placement", f"{label}: {', '.join(after.standby_azs)}", now))
        if after.endpoint and (after.endpoint, after.port) != (before.endpoint, before.port):
            where = f"{after.endpoint}:{after.port}" if after.port else after.endpoint
            changes.append(Update("endpoint", f"endpoint: {where}", now))
        if after.secret_arn and after.secret_arn != before.secret_arn:
            changes.append(Update("secret", f"master password secret: {after.secret_arn}", now))
        return changes

    def _placement_notices(self, snap: _Snapshot, expect: bool | None) -> list[Notice]:
        if self.kind == "cluster":
            if len(snap.standby_azs) < 2 and snap.primary_az:
                return [Notice(
                    f"The Multi-AZ DB cluster has {len(snap.standby_azs)} reader(s) instead of 2.",
                    "Look at the cluster's events; add the missing reader or re-create the cluster.")]
            return []
        if snap.multi_az is False and (expect or self._capacity_event):
            return [_capacity_notice(self.identifier, self.kind)]
        if snap.multi_az and not snap.standby_azs:
            return [Notice(
                "The instance is Multi-AZ but AWS does not report a standby Availability Zone yet.",
                "AWS can take a few minutes to show it; run `rds-wizard watch` again later. A failover "
                "test needs it.", "info")]
        return []


def _capacity_notice(identifier: str, kind: Kind) -> Notice:
    return Notice(
        "Multi-AZ was requested but the database ended up single-AZ: AWS had no capacity for the standby "
        "(the 'Insufficient instance capacity' event).",
        "Convert it once capacity is back: " + command("aws", "rds", f"modify-db-{kind}",
                                                       f"--db-{kind}-identifier", identifier, "--multi-az",
                                                       "--apply-immediately")
        + " (or choose another instance class). Until then a failure of its AZ "
        "takes the database down.")


def _outcome_line(identifier: str, outcome: Outcome, status: str | None) -> str:
    if outcome == "available":
        return f"{identifier} is available."
    if outcome == "gone":
        return f"{identifier} is gone ({status or 'not found'}); nothing more to follow."
    if outcome == "stopped":
        return f"{identifier} is {status}; nothing more to follow."
    if outcome == "no-answer":
        return (f"{identifier}: following stopped without an answer from AWS "
                f"(last status: {status or 'unknown'}).")
    return f"{identifier} stopped progressing: {status}."


def follow(follower: Follower, on_update: Callable[[Progress], object],
           should_stop: Callable[[], bool] = lambda: False,
           sleep: Callable[[float], None] = time.sleep) -> Progress:
    """Poll until the database is available, has a problem, is gone, or `should_stop()` says so.

    Never gives up while it is progressing (no waiter timeout) and AWS answers. While AWS is silent it
    says so (a "waiting" update every `STALL_NOTICE_SECONDS`, even while one call hangs), asks again at
    least every `RETRY_WHILE_SILENT_SECONDS`, and past the ride-out ends with outcome "no-answer" and
    the command that resumes. Returns the last snapshot; if it was stopped early, its `outcome` is still
    "progressing". `on_update` is called from this thread only.
    """
    silence = follower.silence

    def say(line: str) -> None:
        on_update(follower.waiting(line))

    while True:
        try:
            progress = call_out_loud(follower.poll, silence, say, should_stop=should_stop, ask=False)
        except Stopped:
            return follower.current()
        except NoAnswer:
            progress = follower.no_answer()
            on_update(progress)
            return progress
        on_update(progress)
        if progress.finished:
            return progress
        pause = progress.next_poll_in
        if silence.waiting:
            if silence.exhausted():
                progress = follower.no_answer()
                on_update(progress)
                return progress
            # Ask again soon enough to notice the end of a drop, and once more right at the ride-out's end.
            pause = min(pause, silence.policy.retry_every, silence.left())
        if not pause_out_loud(pause, silence, say, should_stop=should_stop, sleep=sleep):
            return progress


@dataclass(frozen=True)
class ConnectionSummary:
    """What a user needs once the database is available: where it is, how to log in, an example."""

    identifier: str
    engine: str
    endpoint: str
    port: int | None
    username: str
    database: str | None
    password_location: str
    secret_arn: str | None
    resolved_address: str | None
    examples: tuple[str, ...]
    notes: tuple[str, ...] = ()
    reader_endpoint: str | None = None

    def lines(self) -> list[str]:
        """The summary as plain lines (no password, ever)."""
        out = [f"Endpoint: {self.endpoint}" + (f"  port {self.port}" if self.port else "")]
        if self.reader_endpoint:
            out.append(f"Reader endpoint (read-only): {self.reader_endpoint}")
        out += [
               f"Master username: {self.username}", f"Password: {self.password_location}"]
        if self.resolved_address:
            out.append(f"Address (demo resolver): {self.resolved_address}")
        if self.database:
            out.append(f"Database: {self.database}")
        out.append("Connect with:")
        out.extend(f"  {example}" for example in self.examples)
        out.extend(self.notes)
        return out


def connection_summary(progress: Progress, gateway: GatewayLike, *, password_shown_once: bool = False,
                       username: str | None = None, database: str | None = None) -> ConnectionSummary:
    """The summary for an available database; in the demo the example uses the resolved loopback address."""
    endpoint = progress.endpoint or ""
    resolved: str | None = None
    if endpoint and is_demo(gateway):
        try:
            answers = gateway.resolve(endpoint)
        except Exception:  # the example then uses the name; the summary must not fail over this
            answers = []
        resolved = answers[0] if answers else None
    host = resolved or endpoint
    user = username or progress.master_username or "admin"
    dbname = database or progress.database_name
    if progress.secret_arn:
        where = f"in AWS Secrets Manager: {progress.secret_arn}"
    elif password_shown_once:
        where = "the generated password shown once above (it is not stored anywhere)"
    else:
        where = "the one you chose (the wizard does not store it)"
    programs = getattr(gateway, "client_program", None)
    psql = str(programs("psql")) if callable(programs) and "postgres" in progress.engine.lower() else "psql"
    examples = connection_examples(progress.engine, host, progress.port, user, dbname, psql=psql)
    notes: list[str] = []
    if progress.secret_arn:
        # The demo's (or any custom endpoint's) secrets live behind that endpoint, not in AWS.
        label, endpoint_url = getattr(gateway, "label", "AWS"), getattr(gateway, "endpoint", "")
        where_from = ("--endpoint-url", endpoint_url) if label != "AWS" and endpoint_url else ()
        notes.append("Read the password with: " + command(
            "aws", "secretsmanager", "get-secret-value", "--secret-id", progress.secret_arn, *where_from,
            "--query", "SecretString", "--output", "text"))
    if resolved:
        notes.append("In the demo the endpoint name resolves only inside rds-wizard, so the example uses the "
                     "address it resolves to now; after a failover the address changes.")
    return ConnectionSummary(
        identifier=progress.identifier, engine=progress.engine, endpoint=endpoint, port=progress.port,
        username=user, database=dbname, password_location=where, secret_arn=progress.secret_arn,
        resolved_address=resolved, examples=tuple(examples), notes=tuple(notes),
        reader_endpoint=progress.reader_endpoint)


def connection_examples(engine: str, host: str, port: int | None, user: str,
                        database: str | None, *, psql: str = "psql") -> list[str]:
    """Command lines that connect to this engine; the client asks for the password itself."""
    engine = engine.lower()
    if "postgres" in engine:
        conninfo = " ".join(f"{key}={_conninfo_value(value)}" for key, value in (
            ("host", host), ("port", port or 5432), ("user", user), ("dbname", database or "postgres")))
        return [command(psql, conninfo)]
    if "mysql" in engine or "mariadb" in engine:
        client = "mariadb" if "mariadb" in engine else "mysql"
        return [command(client, "-h", host, "-P", port or 3306, "-u", user, "-p",
                        *([database] if database else []))]
    if engine.startswith("sqlserver"):
        return [command("sqlcmd", "-S", f"{host},{port or 1433}", "-U", user)]
    if engine.startswith("oracle"):
        return [command("sqlplus", f"{user}@//{host}:{port or 1521}/{database or 'ORCL'}")]
    if engine.startswith("db2"):
        return [command("db2", "catalog", "tcpip", "node", "rdsnode", "remote", host, "server",
                        port or 50000),
                command("db2", "connect", "to", database or "RDSADMIN", "user", user)]
    return [f"connect to {host}:{port} as {user}"]


def _conninfo_value(value: object) -> str:
    """A libpq connection-string value: as is when plain, else in single quotes with ' and \\ escaped."""
    text = str(value)
    if text and not any(c.isspace() or c in "'\\" for c in text):
        return text
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"

