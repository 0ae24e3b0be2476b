"""The guided failover test: preflight, a forced failover, live probes, and a report of what clients saw.

Usage (all blocking, from a worker thread):

    pre = preflight(gateway, "mydb", credentials=None)      # checklist + "what will happen"
    if pre.can_run:
        test = FailoverTest(gateway, pre, on_entry=callback, should_stop=stop_flag)
        report = test.run(confirmation="mydb")                # the identifier the user typed

`on_entry(TimelineEntry)` is called from the test's threads (status poller, DNS, TCP and application
probes), serialised by a lock, in time order per source. A Textual app hops to its own thread with
`call_from_thread`. Nothing here prints. Save the report with `wizard.reports.save_report`.
"""

from __future__ import annotations

import contextlib
import re
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from pydantic import SecretStr

from wizard.aws import error_codes
from wizard.aws.drills import UNPLANNED, Drill, DrillRefused
from wizard.aws.drills import refusal as drill_refusal
from wizard.aws.drills import start as start_drill
from wizard.aws.probes import (
    HEARTBEAT_TABLE,
    AppProbe,
    ConnectSample,
    DbCredentials,
    DnsSample,
    DnsWatcher,
    Outage,
    TcpProbe,
    WriteAttempt,
    application_rto,
    compute_outage,
    dns_switch,
    driver_for,
    tcp_connect,
)
from wizard.aws.provisioning import Kind, RdsEvent, dedupe_events, describe, fetch_events, format_duration
from wizard.aws.timing import GatewayLike, is_demo, is_transient, poll_floor, time_scale
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
    watch_command,
)
from wizard.shell import command

CheckStatus = Literal["ok", "warning", "fail", "info"]
EntryKind = Literal["action", "status", "event", "dns", "tcp", "app", "az", "note", "warning"]
Verdict = Literal["pass", "warning", "fail"]

# Real-RDS figures (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.MultiAZSingleStandby.html,
# and FailoverDBCluster's API reference for clusters); the demo divides them by its time scale.
TYPICAL_OUTAGE_INSTANCE = "60-120 s"
TYPICAL_OUTAGE_CLUSTER = "under 35 s"
OUTAGE_WARNING_SECONDS = 120.0
RECENT_FAILOVER_MINUTES = 10.0
DEADLINE_AWS_SECONDS = 30 * 60.0
AZ_GRACE_AWS_SECONDS = 5 * 60.0
MIN_DEADLINE_SECONDS = 60.0
MIN_AZ_GRACE_SECONDS = 5.0
WARM_UP_SECONDS = 0.5
# After a failover request got no answer, the first look at whether it got through comes this soon.
FIRST_LOOK_SECONDS = 1.0
POST_ROLL_SECONDS = 0.5

# What RDS answers to a failover request while an earlier one is being carried out.
_BUSY_STATES = error_codes.INVALID_STATE
_COMPLETED = re.compile(r"failover.*(complete|completed|finished)|completed.*failover", re.IGNORECASE)
_STARTED = re.compile(r"failover.*start|start.*failover", re.IGNORECASE)
# RDS-EVENT-0034 reads "Amazon RDS is not attempting a requested failover because a failover recently
# occurred on the DB instance."; older texts said the failover was abandoned.
_ABANDONED = re.compile(r"abandon|not attempting a requested failover|failover recently occurred",
                        re.IGNORECASE)


class FailoverRefused(Exception):
    """The test will not run (or AWS refused the failover): the message says why and what to do."""

    def __init__(self, reason: str, next_step: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.next_step = next_step


@dataclass(frozen=True)
class Check:
    """One preflight checklist line."""

    key: str
    label: str
    status: CheckStatus
    detail: str


@dataclass(frozen=True)
class Target:
    """The instance or Multi-AZ DB cluster as the preflight found it."""

    identifier: str
    kind: Kind
    engine: str
    status: str | None
    multi_az: bool | None
    primary_az: str | None
    standby_azs: tuple[str, ...]
    endpoint: str | None
    port: int | None
    secret_arn: str | None
    master_username: str | None
    database_name: str | None


@dataclass
class Preflight:
    """The checklist, the target, what will happen, and the credentials the application probe would use."""

    target: Target
    checks: list[Check]
    reachable: bool
    connect_seconds: float | None
    time_scale: float
    demo: bool
    what_will_happen: list[str]
    credentials: DbCredentials | None = field(default=None, repr=False)
    app_probe_note: str = ""

    @property
    def can_run(self) -> bool:
        """True when no check failed."""
        return not any(c.status == "fail" for c in self.checks)

    @property
    def refusal(self) -> str | None:
        """Why the test will not run (the failed checks), or None."""
        failed = [c.detail for c in self.checks if c.status == "fail"]
        return " ".join(failed) if failed else None

    @property
    def app_probe_ready(self) -> bool:
        """True when the application probe can log in and write."""
        return self.credentials is not None and not self.app_probe_note


@dataclass(frozen=True)
class TimelineEntry:
    """One line of the live timeline: seconds from the failover request (negative before it)."""

    t: float
    at: datetime
    kind: EntryKind
    message: str


def _explained(exc: BaseException, identifier: str) -> tuple[str, str]:
    try:
        from wizard.aws.errors import explain

        err = explain(exc, identifier=identifier)
        return (f"{err.title}: {err.detail}" if err.detail else err.title), err.next_step
    except Exception:  # the translation is a nicety; never hide the original error
        return f"{type(exc).__name__}: {exc}", ""


def classify_event(message: str) -> Literal["abandoned", "completed", "started"] | None:
    """What a failover-related event message means for the test (None: not about failover)."""
    if _ABANDONED.search(message):
        return "abandoned"
    if _COMPLETED.search(message):
        return "completed"
    if _STARTED.search(message):
        return "started"
    return None


def _offset(when: float | None, origin: float) -> float | None:
    return None if when is None else when - origin


def _error_code(exc: BaseException) -> str:
    response = getattr(exc, "response", None)
    return str(response.get("Error", {}).get("Code", "")) if isinstance(response, dict) else ""


def find_target(gateway: GatewayLike, identifier: str, kind: Kind | None = None) -> Target:
    """Describe the instance (or, failing that, the Multi-AZ DB cluster) with this identifier."""
    client = gateway.client("rds")
    kinds: tuple[Kind, ...] = (kind,) if kind else ("instance", "cluster")
    last: BaseException | None = None
    for candidate in kinds:
        try:
            snap = describe(client, identifier, candidate)
        except Exception as exc:
            if "NotFound" in _error_code(exc):
                last = exc
                continue
            reason, step = _explained(exc, identifier)
            raise FailoverRefused(reason, step) from None
        return Target(identifier=identifier, kind=candidate, engine=snap.engine, status=snap.status,
                      multi_az=snap.multi_az, primary_az=snap.primary_az, standby_azs=snap.standby_azs,
                      endpoint=snap.endpoint, port=snap.port, secret_arn=snap.secret_arn,
                      master_username=snap.master_username, database_name=snap.database_name)
    raise FailoverRefused(
        f"There is no DB instance or Multi-AZ DB cluster named {identifier} in this account and region.",
        "Check the identifier and --region (or --demo).") from last


def credentials_from_secret(gateway: GatewayLike, secret_arn: str) -> tuple[DbCredentials | None, str]:
    """The master credentials from the RDS-managed secret, or None and why they could not be read."""
    import json

    try:
        value = gateway.client("secretsmanager").get_secret_value(SecretId=secret_arn)
        data = json.loads(value.get("SecretString") or "{}")
    except Exception as exc:
        return None, f"the Secrets Manager secret could not be read ({_explained(exc, secret_arn)[0]})"
    if not data.get("username") or not data.get("password"):
        return None, "the Secrets Manager secret holds no username and password"
    return DbCredentials(str(data["username"]), SecretStr(str(data["password"])), source="secret"), ""


def what_will_happen(target: Target, scale: float, demo: bool,
                     probe: DbCredentials | None = None, drill: Drill = "forced") -> list[str]:
    """The plain-language briefing shown before the confirmation."""
    cluster = target.kind == "cluster"
    typical = TYPICAL_OUTAGE_CLUSTER if cluster else TYPICAL_OUTAGE_INSTANCE
    standby = ", ".join(target.standby_azs) or "the standby's AZ"
    primary = target.primary_az or "its AZ"
    unplanned = {
        "host-failure": (f"The demo stops the primary's host in {primary}: its PostgreSQL server is killed "
                         "(SIGKILL, no clean shutdown) and nothing listens there. Nobody asks RDS to fail "
                         f"over: it must notice the dead host, then promote the standby in {standby}."),
        "az-outage": (f"The demo makes {primary} unreachable (servers and listeners). RDS must notice, then "
                      f"promote the standby in {standby}; the old primary rejoins as the standby only when "
                      "the AZ comes back, after the drill."),
    }
    lines = [
        unplanned[drill] if drill in unplanned else
        (f"RDS fails the writer over to a reader (in {' or '.join(target.standby_azs) or 'another AZ'}) "
         "with FailoverDBCluster; the old writer becomes a reader." if cluster else
         f"RDS reboots the primary with failover (RebootDBInstance ForceFailover): the standby in {standby} "
         "becomes the primary and the old primary becomes the new standby."),
        f"On real AWS the database is unreachable for typically {typical}"
        + (f"; this demo runs {scale:g}x faster." if demo and scale != 1 else "."),
        "Every open connection is dropped: applications must reconnect and retry the transaction that "
        "failed.",
        "The endpoint's DNS name moves to the new primary. RDS's DNS TTL is 5 s; clients that cache DNS "
        "longer keep connecting to the old address.",
        "Nothing is deleted and billing does not change; the database stays Multi-AZ.",
    ]
    if probe is not None:
        database = probe.database or ("postgres" if "postgres" in target.engine else "rds_wizard")
        lines.append(f"The application probe logs in as {probe.username} and commits a heartbeat row every "
                     f"50 ms into table {HEARTBEAT_TABLE} of database {database} (the "
                     "rows stay, so you can look at them afterwards).")
    return lines


def preflight(gateway: GatewayLike, identifier: str, *, kind: Kind | None = None,
              credentials: DbCredentials | None = None,
              recent_minutes: float = RECENT_FAILOVER_MINUTES, drill: Drill = "forced") -> Preflight:
    """The checklist before a failover (or an unplanned `drill`); raises `FailoverRefused` only when the
    target cannot be read."""
    target = find_target(gateway, identifier, kind)
    scale = time_scale(gateway)
    demo = is_demo(gateway)
    checks: list[Check] = []
    noun = "Multi-AZ DB cluster" if target.kind == "cluster" else "DB instance"
    if target.kind == "cluster":
        multi = bool(target.multi_az) or len(target.standby_azs) >= 1
    else:
        multi = bool(target.multi_az)
    refused = drill_refusal(gateway, drill, kind=target.kind, multi_az=multi)
    if drill != "forced":
        checks.append(Check("drill", "Drill", "fail" if refused else "ok",
                            refused or f"The {drill} drill runs in the demo; RDS must notice the failure and "
                                       "fail over by itself."))
    checks.append(Check("multi-az", "Multi-AZ", "ok" if multi else "fail",
                        f"{noun} {identifier} is Multi-AZ." if multi else
                        f"{identifier} is single-AZ: there is no standby to fail over to (AWS refuses a "
                        "forced failover). Convert it to Multi-AZ first (modify-db-instance --multi-az)."))
    available = target.status == "available"
    checks.append(Check("available", "Status available", "ok" if available else "fail",
                        "The status is available." if available else
                        f"The status is {target.status}: RDS fails over only an available database. "
                        "Wait until "
                        f"it is available ({command('rds-wizard', 'watch', identifier)})."))
    if target.standby_azs:
        roles = ("Writer", "readers") if target.kind == "cluster" else ("Primary", "standby")
        checks.append(Check("standby", "Standby AZ known", "ok",
                            f"{roles[0]} in {target.primary_az}, "
                            f"{roles[1]} in {', '.join(target.standby_azs)}."))
    elif multi:
        checks.append(Check("standby", "Standby AZ known", "warning",
                            "AWS does not report the standby's AZ yet; the AZ swap is judged from "
                            "the primary AZ alone."))
    checks.append(_recent_failover_check(gateway, target, recent_minutes, scale))
    reachable, connect_seconds = False, None
    addresses: list[str] = []
    if target.endpoint:
        try:
            addresses = gateway.resolve(target.endpoint)
        except Exception:  # unresolvable is reported as such below
            addresses = []
    if not target.endpoint:
        checks.append(Check("resolves", "Endpoint resolves", "warning", "There is no endpoint yet."))
    elif addresses:
        checks.append(Check("resolves", "Endpoint resolves", "ok",
                            f"{target.endpoint} -> {', '.join(addresses)}"))
        began = time.monotonic()
        ok, error = tcp_connect(addresses[0], int(target.port or 0), 3.0)
        if ok:
            reachable, connect_seconds = True, time.monotonic() - began
            checks.append(Check("reachable", "Reachable from here", "ok",
                                f"TCP connect to {addresses[0]}:{target.port} in "
                                f"{connect_seconds * 1000:.0f} ms."))
        else:
            checks.append(Check("reachable", "Reachable from here", "warning",
                                f"Cannot connect to {addresses[0]}:{target.port} ({error}): a private "
                                "instance or a security group. The test then measures from status and "
                                "events only."))
    else:
        checks.append(Check("resolves", "Endpoint resolves", "warning",
                            f"{target.endpoint} does not resolve from here: the test measures from "
                            "status and events only."))
    creds, note = _probe_credentials(gateway, target, credentials, reachable)
    if note:
        checks.append(Check("app-probe", "Application probe", "info",
                            f"No application-level probe: {note}. The test measures TCP, DNS and events."))
    else:
        checks.append(Check("app-probe", "Application probe", "ok",
                            f"Writes heartbeat rows as {creds.username if creds else '?'} "
                            f"(credentials: {creds.source if creds else '?'}) through the failover."))
    return Preflight(target=target, checks=checks, reachable=reachable, connect_seconds=connect_seconds,
                     time_scale=scale, demo=demo,
                     what_will_happen=what_will_happen(target, scale, demo, creds if not note else None,
                                                       drill),
                     credentials=creds, app_probe_note=note)


def _recent_failover_check(gateway: GatewayLike, target: Target, minutes: float, scale: float) -> Check:
    window = timedelta(seconds=minutes * 60.0 / scale)
    try:
        events = fetch_events(gateway.client("rds"), target.identifier, target.kind,
                              datetime.now(UTC) - window)
    except Exception as exc:
        return Check("recent", "No recent failover", "warning",
                     f"Could not read recent events ({_explained(exc, target.identifier)[0]}).")
    recent = [e for e in events if classify_event(e.message) in ("completed", "started")]
    if recent:
        return Check("recent", "No recent failover", "warning",
                     f"A failover happened "
                     f"{format_duration((datetime.now(UTC) - recent[-1].date).total_seconds())}"
                     " ago: RDS may abandon a new one (RDS-EVENT-0034). Wait a few minutes if it does.")
    return Check("recent", "No recent failover", "ok",
                 f"No failover in the last {format_duration(window.total_seconds())}.")


def _probe_credentials(gateway: GatewayLike, target: Target, given: DbCredentials | None,
                       reachable: bool) -> tuple[DbCredentials | None, str]:
    if not reachable:
        return None, "the database is not reachable from this machine"
    creds, note = given, ""
    if creds is None and target.secret_arn:
        creds, note = credentials_from_secret(gateway, target.secret_arn)
    if creds is None:
        return None, note or "no database credentials were given (and there is no readable secret)"
    if creds.database is None and target.database_name:
        creds = DbCredentials(creds.username, creds.password, target.database_name, creds.source)
    driver, why = driver_for(target.engine, target.endpoint or "", int(target.port or 0), creds)
    if driver is None:
        return None, why
    error = try_login(driver, target.endpoint or "", gateway.resolve, creds)
    if error:
        return None, f"logging in as {creds.username} failed ({error})"
    return creds, ""


def try_login(driver: Any, endpoint: str, resolve: Callable[[str], list[str]], creds: DbCredentials) -> str:
    """Log in once and create the heartbeat table: '' when that worked, else the (password-free) error."""
    conn: Any = None
    try:
        addresses = resolve(endpoint)
        if not addresses:
            return "the endpoint did not resolve"
        conn = driver.connect(addresses[0])
        driver.prepare(conn)
        return ""
    except Exception as exc:
        text = " ".join(str(exc).split()) or type(exc).__name__
        secret = creds.password.get_secret_value()
        return (text.replace(secret, "********") if secret else text)[:160]
    finally:
        if conn is not None:
            with contextlib.suppress(Exception):
                conn.close()


@dataclass(frozen=True)
class AppProbeReport:
    """What the application saw: commits, failures, RTO and whether every acknowledged commit survived."""

    driver: str
    attempts: int
    committed: int
    failed_attempts: int
    last_commit_before: float | None
    first_commit_after: float | None
    rto_seconds: float | None
    verified: bool
    found: int
    missing: tuple[int, ...]
    failed_but_found: int
    note: str = ""

    @property
    def rpo_zero(self) -> bool:
        """True when the read-back found every acknowledged commit."""
        return self.verified and not self.missing


@dataclass
class FailoverReport:
    """Everything the test measured, the verdict and the advice; times are epoch seconds or offsets."""

    identifier: str
    kind: Kind
    engine: str
    demo: bool
    time_scale: float
    requested_at: float
    finished_at: float
    primary_az_before: str | None
    primary_az_after: str | None
    standby_azs_before: tuple[str, ...]
    standby_azs_after: tuple[str, ...]
    status_after: str | None
    completed: bool
    abandoned: bool
    stopped_early: bool
    failover_event: str | None
    failover_event_offset: float | None
    failover_event_seen_offset: float | None
    tcp_measured: bool
    outage: Outage | None
    dns_before: tuple[str, ...]
    dns_after: tuple[str, ...]
    dns_switch_offset: float | None
    app: AppProbeReport | None
    measurement_notes: list[str]
    verdict: Verdict
    verdict_reasons: list[str]
    advice: list[str]
    replication_line: str
    timeline: list[TimelineEntry]
    writes_around: list[str]
    drill: Drill = "forced"
    # Unplanned drills: seconds from the failure to RDS's "failover started" event (RDS noticed).
    detection_seconds: float | None = None

    @property
    def az_swapped(self) -> bool:
        """True when the primary moved to another AZ."""
        return bool(self.primary_az_before and self.primary_az_after
                    and self.primary_az_before != self.primary_az_after)

    @property
    def outage_seconds(self) -> float | None:
        """The client-visible outage in real seconds (None when none was seen or it never ended)."""
        return self.outage.duration if self.outage else None

    @property
    def outage_aws_seconds(self) -> float | None:
        """The outage as real RDS would have taken it (the demo runs `time_scale` times faster)."""
        seconds = self.outage_seconds
        return None if seconds is None else seconds * self.time_scale

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (no password is ever part of a report)."""
        data = asdict(self)
        data["az_swapped"] = self.az_swapped
        data["outage_seconds"] = self.outage_seconds
        data["outage_aws_seconds"] = self.outage_aws_seconds
        if self.outage is not None:
            data["outage"]["duration"] = self.outage.duration
        data["requested_at_iso"] = datetime.fromtimestamp(self.requested_at, UTC).isoformat()
        data["timeline"] = [{"t": round(e.t, 3), "at": e.at.isoformat(), "kind": e.kind, "message": e.message}
                            for e in self.timeline]
        if self.app is not None:
            data["app"]["rpo_zero"] = self.app.rpo_zero
        return data


def decide_verdict(*, az_swapped: bool, available_after: bool, abandoned: bool, completed: bool,
                   outage_aws_seconds: float | None, app: AppProbeReport | None,
                   stopped_early: bool = False) -> tuple[Verdict, list[str]]:
    """Pass when the AZs swapped and the database is available again; a warning past 120 s of outage."""
    reasons: list[str] = []
    failed = False
    if stopped_early:
        return "fail", ["The test was stopped before the failover finished (AWS carries on regardless)."]
    if abandoned:
        failed = True
        reasons.append("RDS abandoned the failover (RDS-EVENT-0034: a failover happened recently).")
    if not available_after:
        failed = True
        reasons.append("The database was not available again when the test ended.")
    if not az_swapped:
        failed = True
        reasons.append("The primary did not move to another Availability Zone.")
    if not completed and not failed:
        reasons.append("No failover-completed event was seen (RDS may still be publishing it).")
    if app is not None and app.verified and app.missing:
        failed = True
        reasons.append(f"{len(app.missing)} acknowledged commit(s) are missing after the failover (RPO > 0).")
    if failed:
        return "fail", reasons
    slow = []
    if outage_aws_seconds is not None and outage_aws_seconds > OUTAGE_WARNING_SECONDS:
        slow.append(f"clients could not connect for {format_duration(outage_aws_seconds)}")
    if app is not None and app.rto_seconds is not None and outage_aws_seconds is None and \
            app.rto_seconds > OUTAGE_WARNING_SECONDS:
        slow.append(f"the application could not commit for {format_duration(app.rto_seconds)}")
    if slow:
        reasons.append(f"The failover worked but {' and '.join(slow)}, "
                       f"more than {OUTAGE_WARNING_SECONDS:.0f} s.")
        return "warning", reasons
    reasons.append("The primary moved to the standby's AZ and the database is available again.")
    return "pass", reasons


DRILL_ADVICE: dict[str, str] = {
    "host-failure": (
        "A dead host sends no goodbye: on AWS, connections to it hang instead of failing (in the demo the "
        "servers share this machine, whose kernel resets them at once). Connection pools must detect dead "
        "connections (validate on borrow, TCP keepalives, a socket or statement timeout, e.g. libpq "
        "keepalives_idle and tcp_user_timeout) or they wait long after RDS has failed over."),
    "az-outage": (
        "A whole Availability Zone can go dark: a Single-AZ instance there is down until the AZ returns, "
        "however healthy its host. Only a standby in another AZ (Multi-AZ) keeps the database available, "
        "and the application itself should run in more than one AZ too."),
}


def advice_for(report_app: AppProbeReport | None, outage_aws_seconds: float | None, tcp_measured: bool,
               demo: bool, kind: Kind = "instance", drill: Drill = "forced") -> list[str]:
    """What an application should do, tuned to what the test saw and to the drill."""
    advice = [*([DRILL_ADVICE[drill]] if drill in DRILL_ADVICE else []),
        "Reconnect on a dropped connection, with a short backoff, and retry the transaction that failed; "
        "make it idempotent, because a commit that failed on the client may have reached the database.",
        "Cache DNS for less than 30 s (RDS uses a 5 s TTL; in Java set networkaddress.cache.ttl to 60 or "
        "less) and let connection pools validate and recycle connections after a failover.",
        "Connect by the endpoint name, never by an IP address: the address changes with every failover.",
    ]
    if outage_aws_seconds is not None and outage_aws_seconds > OUTAGE_WARNING_SECONDS:
        advice.append("The outage was longer than 120 s: look for long-running transactions or heavy writes "
                      "at failover time, which lengthen crash recovery on the new primary.")
    if report_app is None:
        advice.append("The application probe did not run (see the notes): with credentials that log in "
                      "(given, or a readable Secrets Manager secret) the test also measures RTO and RPO "
                      "as an application sees them.")
    if not tcp_measured:
        advice.append("Run the test from a machine inside the VPC to measure the outage clients see.")
    if demo:
        typical = (f"{TYPICAL_OUTAGE_CLUSTER} for a Multi-AZ DB cluster" if kind == "cluster" else
                   f"{TYPICAL_OUTAGE_INSTANCE} for a Multi-AZ DB instance")
        advice.append(f"This was the demo: on real AWS expect {typical}.")
    return advice


def _replication_line(kind: Kind, app: AppProbeReport | None) -> str:
    mode = "semisynchronous" if kind == "cluster" else "synchronous"
    holder = "at least one reader" if kind == "cluster" else "the standby"
    if app is None:
        return (f"{mode.capitalize()} replication means a commit is acknowledged only once {holder} has "
                "it, so no acknowledged write should be lost (not verified: no application probe ran).")
    if not app.verified:
        return f"The read-back could not run ({app.note}); RPO was not verified."
    if app.missing:
        return (f"{len(app.missing)} of {app.committed} acknowledged commits were NOT found after the "
                f"failover: {mode} replication should have prevented that (RPO > 0).")
    rto = f" for {format_duration(app.rto_seconds)}" if app.rto_seconds is not None else ""
    return (f"{mode.capitalize()} replication kept its promise: all {app.committed} acknowledged "
            f"commits were found on the new primary (RPO = 0). The application still had to reconnect "
            f"and retry: {app.failed_attempts} attempt(s) failed{rto}.")


def writes_around(attempts: list[WriteAttempt], requested_at: float, limit: int = 30) -> list[str]:
    """The heartbeat writes around the failover, failures collapsed into runs, for the teaching timeline."""
    first_fail = next((i for i, a in enumerate(attempts) if not a.ok), None)
    if first_fail is None:
        return []
    lo = max(0, first_fail - 3)
    recovery = next((i for i in range(first_fail, len(attempts)) if attempts[i].ok), len(attempts))
    hi = min(len(attempts), recovery + 3)
    lines: list[str] = []
    i = lo
    while i < hi and len(lines) < limit:
        a = attempts[i]
        if a.ok:
            lines.append(f"{a.started - requested_at:+8.3f} s  heartbeat {a.seq} committed")
            i += 1
            continue
        if a.seq is not None:
            # The commit was sent: whether it reached the database is unknown to the client.
            lines.append(f"{a.started - requested_at:+8.3f} s  heartbeat {a.seq} FAILED, outcome unknown "
                         f"({a.error or 'error'})")
            i += 1
            continue
        j = i
        while j < hi and not attempts[j].ok and attempts[j].seq is None:
            j += 1
        run = attempts[i:j]
        span = run[-1].ended - run[0].started
        lines.append(f"{a.started - requested_at:+8.3f} s  {len(run)} reconnect attempt(s) failed over "
                     f"{format_duration(span)} ({run[-1].error or 'error'})")
        i = j
    return lines


class FailoverTest:
    """One run of the failover test against a preflighted target."""

    def __init__(self, gateway: GatewayLike, pre: Preflight, *,
                 on_entry: Callable[[TimelineEntry], object] | None = None,
                 should_stop: Callable[[], bool] = lambda: False,
                 policy: WaitPolicy = DEFAULT_POLICY, drill: Drill = "forced") -> None:
        self.gateway = gateway
        self.drill = drill
        self.policy = policy
        self.pre = pre
        self.on_entry = on_entry
        self.should_stop = should_stop
        self.timeline: list[TimelineEntry] = []
        self._lock = threading.Lock()
        self._t0 = time.time()
        self.scale = pre.time_scale
        self.floor = poll_floor(gateway)

    def _emit(self, kind: EntryKind, message: str, at: float | None = None) -> None:
        when = time.time() if at is None else at
        entry = TimelineEntry(when - self._t0, datetime.fromtimestamp(when, UTC), kind, message)
        with self._lock:
            self.timeline.append(entry)
            if self.on_entry is not None:
                with contextlib.suppress(Exception):  # a broken renderer must not break the measurement
                    self.on_entry(entry)

    def _listener(self, kind: str, message: str) -> None:
        self._emit("dns" if kind == "dns" else "tcp" if kind == "tcp" else "app", message)

    def run(self, confirmation: str) -> FailoverReport:
        """Fail over (after checking the typed confirmation) and measure; raises `FailoverRefused`."""
        target = self.pre.target
        if confirmation.strip().lower() != target.identifier.lower():
            raise FailoverRefused(f"The confirmation '{confirmation}' does not match {target.identifier}; "
                                  "nothing was sent.", "Type the identifier exactly to confirm.")
        if not self.pre.can_run:
            raise FailoverRefused(self.pre.refusal or "The preflight failed.")
        refused = drill_refusal(self.gateway, self.drill, kind=target.kind,
                                multi_az=bool(target.multi_az) or target.kind == "cluster")
        if refused:
            raise FailoverRefused(refused)
        client = self.gateway.client("rds")
        fresh = describe(client, target.identifier, target.kind)
        if fresh.status != "available":
            raise FailoverRefused(f"The status is now {fresh.status}: RDS fails over only an available "
                                  "database.",
                                  "Wait until it is available "
                                  f"({command('rds-wizard', 'watch', target.identifier)}).")
        before_primary, before_standby = fresh.primary_az, fresh.standby_azs
        seen: set[tuple[str, str]] = set()
        with contextlib.suppress(Exception):  # older events are only hidden from the timeline
            dedupe_events(seen, fetch_events(client, target.identifier, target.kind,
                                             datetime.now(UTC) - timedelta(hours=1)))
        endpoint = fresh.endpoint or target.endpoint or ""
        resolve = self.gateway.resolve
        notes: list[str] = []
        # About every second on real AWS; finer in a fast demo, where the whole outage lasts seconds.
        dns_interval = max(0.1, min(1.0, 10.0 / self.scale))
        dns = DnsWatcher(endpoint, resolve, self._listener, interval=dns_interval) if endpoint else None
        tcp: TcpProbe | None = None
        if self.pre.reachable and endpoint and target.port:
            rtt = self.pre.connect_seconds or 0.0
            tcp = TcpProbe(endpoint, int(target.port), resolve, self._listener,
                           timeout=min(1.0, max(0.25, 3 * rtt)))
        else:
            notes.append("The endpoint is not reachable from this machine: the outage is measured from "
                         "status and events only.")
        # Until the request is sent, offsets count towards the planned moment (negative before it).
        self._t0 = time.time() + WARM_UP_SECONDS
        app, app_name = self._start_app_probe(endpoint, notes)
        for probe in (dns, tcp):
            if probe is not None:
                probe.start()
        time.sleep(WARM_UP_SECONDS)
        self._t0 = time.time()
        requested_at = self._t0
        try:
            self._request(client, before_primary, seen)
        except FailoverRefused:
            self._stop_probes(dns, tcp, app)
            raise
        state = self._watch(client, target, before_primary, seen)
        if not state["stopped"]:
            time.sleep(POST_ROLL_SECONDS)  # a few more samples after recovery, for the timeline
        self._stop_probes(dns, tcp, app)
        if dns is not None:
            dns.step()  # a last answer, in case the switch fell between two samples
        return self._report(state, requested_at, before_primary, before_standby, dns, tcp, app, app_name,
                            notes)

    def _request(self, client: Any, before_primary: str | None, seen: set[tuple[str, str]]) -> None:
        """Send the failover request; when it gets no answer (a drop), find out whether it got through
        before sending it again, out loud, for up to the ride-out. Raises `FailoverRefused`."""
        target = self.pre.target
        if self.drill in UNPLANNED:
            self._start_unplanned()
            return
        if target.kind == "cluster":
            self._emit("action", f"FailoverDBCluster {target.identifier}")
        else:
            self._emit("action", f"RebootDBInstance {target.identifier} ForceFailover=True")

        def send() -> None:
            if target.kind == "cluster":
                client.failover_db_cluster(DBClusterIdentifier=target.identifier)
            else:
                client.reboot_db_instance(DBInstanceIdentifier=target.identifier, ForceFailover=True)

        def landed() -> bool:
            snap = describe(client, target.identifier, target.kind)
            since = datetime.fromtimestamp(self._t0, UTC) - timedelta(seconds=60)
            events = fetch_events(client, target.identifier, target.kind, since)
            started = any(classify_event(e.message) and e.key not in seen for e in events)
            return snap.status != "available" or snap.primary_az != before_primary or started

        silence = Silence(self.policy)
        say = self._say_note
        resent = False
        while True:
            try:
                call_out_loud(send, silence, say, should_stop=self.should_stop)
                self._heard(silence)
                return
            except (NoAnswer, Stopped) as exc:
                raise self._request_unanswered(exc) from None
            except Exception as exc:
                if not is_no_answer(exc):
                    self._heard(silence)
                    if resent and _error_code(exc).removesuffix("Fault") in _BUSY_STATES:
                        return  # our first request got through and is being carried out
                    reason, step = _explained(exc, target.identifier)
                    raise FailoverRefused(f"AWS refused the failover: {reason}", step) from None
            if not resent:
                self._emit("note", "AWS did not answer the failover request; checking whether it got "
                                   "through before sending it again.")
            first_look = True
            while True:
                if silence.exhausted():
                    raise self._request_unanswered(NoAnswer(silence.silent_for()))
                # The first look comes soon (an answer lost once); during a longer silence, every few seconds.
                pause = min(FIRST_LOOK_SECONDS if first_look else self.policy.retry_every, silence.left())
                first_look = False
                pause_out_loud(pause, silence, say, should_stop=self.should_stop)
                try:
                    got_through = call_out_loud(landed, silence, say, should_stop=self.should_stop)
                except (NoAnswer, Stopped) as exc:
                    raise self._request_unanswered(exc) from None
                except Exception as exc:
                    if is_no_answer(exc):
                        continue
                    self._heard(silence)
                    reason, step = _explained(exc, target.identifier)
                    raise FailoverRefused(f"Could not check whether the failover request got through: "
                                          f"{reason}", step) from None
                self._heard(silence)
                if got_through:
                    return
                resent = True
                break

    def _start_unplanned(self) -> None:
        """Make the demo's primary fail (no request to RDS: it must notice by itself)."""
        target = self.pre.target
        what = {"host-failure": "the primary's host stops: PostgreSQL killed (SIGKILL), its listener gone",
                "az-outage": "the primary's Availability Zone goes dark: its servers and listeners are "
                             "unreachable"}[self.drill]
        self._emit("action", f"Demo drill {self.drill} on {target.identifier} ({target.primary_az}): {what}. "
                             "No failover is requested: RDS must notice.")
        try:
            start_drill(self.gateway, target.identifier, self.drill)
        except DrillRefused as refused:
            raise FailoverRefused(f"The demo refused the {self.drill} drill: {refused}") from None

    def _say_note(self, line: str) -> None:
        self._emit("note", line)

    def _request_unanswered(self, exc: BaseException) -> FailoverRefused:
        identifier = self.pre.target.identifier
        if isinstance(exc, Stopped):
            return FailoverRefused("Stopped before AWS answered the failover request; it may have got "
                                   "through.", f"Check with `{watch_command(identifier, self.gateway)}`.")
        seconds = exc.seconds if isinstance(exc, NoAnswer) else 0.0
        return FailoverRefused(f"{gave_up_title(seconds, 'the failover test')} AWS may have received the "
                               "request.", resume_step(identifier, creating=False, gateway=self.gateway))

    def _start_app_probe(self, endpoint: str, notes: list[str]) -> tuple[AppProbe | None, str]:
        target, creds = self.pre.target, self.pre.credentials
        if creds is None or self.pre.app_probe_note:
            notes.append(f"No application-level probe: {self.pre.app_probe_note or 'no credentials'}; the "
                         "test falls back to TCP, DNS and events.")
            return None, ""
        driver, why = driver_for(target.engine, endpoint, int(target.port or 0), creds)
        if driver is None:
            notes.append(f"No application-level probe: {why}; the test falls back to TCP, DNS and events.")
            return None, ""
        probe = AppProbe(driver, endpoint, self.gateway.resolve, uuid.uuid4().hex[:16], creds, self._listener)
        error = probe.start_checked()
        if error:
            notes.append(f"The application probe could not log in and write ({error}); the test falls "
                         "back to TCP, DNS and events.")
            return None, ""
        return probe, type(driver).__name__.strip("_").removesuffix("Driver").lower()

    @staticmethod
    def _stop_probes(*probes: Any) -> None:
        for probe in probes:
            if probe is not None:
                probe.stop()
        for probe in probes:
            if probe is not None and probe.is_alive():
                probe.join(timeout=5)

    def _watch(self, client: Any, target: Target, before_primary: str | None,
               seen: set[tuple[str, str]]) -> dict[str, Any]:
        """Poll status and events until the failover is over, abandoned, stopped or past the deadline.

        While AWS is silent the timeline says so; past the ride-out the watch ends (the failover does not
        depend on it) with the command that follows the database again.
        """
        deadline = time.monotonic() + max(DEADLINE_AWS_SECONDS / self.scale, MIN_DEADLINE_SECONDS)
        az_grace = max(AZ_GRACE_AWS_SECONDS / self.scale, MIN_AZ_GRACE_SECONDS)
        since = datetime.fromtimestamp(self._t0, UTC) - timedelta(seconds=60)
        state: dict[str, Any] = {"status": "available", "left_available": False, "completed_event": None,
                                 "started_event": None, "abandoned": False, "primary": before_primary,
                                 "standby": (), "stopped": False, "event_seen_at": None, "done_at": None,
                                 "no_answer": None}
        settle_polls = 0
        errors_in_a_row = 0
        silence = Silence(self.policy)
        say = self._say_note

        def read() -> tuple[Any, list[RdsEvent]]:
            snap = describe(client, target.identifier, target.kind)
            return snap, dedupe_events(seen, fetch_events(client, target.identifier, target.kind, since))

        while True:
            try:
                snap, fresh = call_out_loud(read, silence, say, should_stop=self.should_stop)
            except Stopped:
                snap, fresh = None, []
            except NoAnswer as lost:
                return self._no_answer(state, lost.seconds)
            except Exception as exc:
                if not is_no_answer(exc):
                    self._heard(silence)
                errors_in_a_row += 1
                if errors_in_a_row == 1:  # once per spell of errors, not once per poll
                    if is_transient(exc):
                        self._emit("note", "AWS did not answer this time; still watching.")
                    else:
                        reason = _explained(exc, target.identifier)[0]
                        self._emit("warning", f"Could not read the status: {reason}")
                snap, fresh = None, []
                if silence.exhausted():
                    return self._no_answer(state, silence.silent_for())
            else:
                self._heard(silence)
                errors_in_a_row = 0
            if snap is not None:
                self._record(snap, fresh, state)
            ended = self._finished(state, az_grace)
            if ended:
                settle_polls += 1
                if settle_polls > 1:  # one more round picks up events published just after
                    return state
            if state["abandoned"]:
                return state
            if self.should_stop():
                state["stopped"] = True
                self._emit("warning", "Stopped watching. The failover carries on in AWS.")
                return state
            if time.monotonic() > deadline:
                self._emit("warning", "The failover did not finish within the test's time limit.")
                return state
            pause = min(self.floor, silence.left()) if silence.waiting else self.floor
            pause_out_loud(pause, silence, say, should_stop=self.should_stop)

    def _heard(self, silence: Silence) -> None:
        line = silence.answered()
        if line is not None:
            self._emit("note", line)

    def _no_answer(self, state: dict[str, Any], seconds: float) -> dict[str, Any]:
        """AWS stayed silent past the ride-out: stop watching, say how to follow the database again."""
        identifier = self.pre.target.identifier
        self._emit("warning", f"{gave_up_title(seconds, 'watching the failover')} "
                              f"{resume_step(identifier, creating=False, gateway=self.gateway)}")
        state["stopped"] = True
        state["no_answer"] = seconds
        return state

    def _record(self, snap: Any, events: list[RdsEvent], state: dict[str, Any]) -> None:
        if snap.status and snap.status != state["status"]:
            self._emit("status", f"status: {snap.status}")
            state["status"] = snap.status
        if snap.status and snap.status != "available":
            state["left_available"] = True
        if snap.primary_az and snap.primary_az != state["primary"]:
            label = "writer" if self.pre.target.kind == "cluster" else "primary"
            self._emit("az", f"{label} AZ: {state['primary']} -> {snap.primary_az}")
            state["primary"] = snap.primary_az
        state["standby"] = snap.standby_azs or state["standby"]
        for event in events:
            self._emit("event", event.message, at=event.date.timestamp())
            meaning = classify_event(event.message)
            if meaning == "abandoned":
                state["abandoned"] = True
            elif meaning == "completed" and state["completed_event"] is None:
                state["completed_event"] = event
                state["event_seen_at"] = time.time()
            elif meaning == "started" and state["started_event"] is None:
                state["started_event"] = event

    def _finished(self, state: dict[str, Any], az_grace: float) -> bool:
        if state["status"] != "available":
            return False
        moved = state["primary"] != self.pre.target.primary_az
        progressed = state["left_available"] or state["completed_event"] is not None or moved
        if not progressed:
            return False
        if moved:
            return True
        if state["done_at"] is None:
            state["done_at"] = time.monotonic()
        # AWS can take minutes to show the new AZ (Multi-AZ page of the RDS User Guide): a grace period.
        return bool(time.monotonic() - state["done_at"] > az_grace)

    def _report(self, state: dict[str, Any], requested_at: float, before_primary: str | None,
                before_standby: tuple[str, ...], dns: DnsWatcher | None, tcp: TcpProbe | None,
                app: AppProbe | None, app_name: str, notes: list[str]) -> FailoverReport:
        target = self.pre.target
        if state["no_answer"] is not None:
            notes.append(f"{gave_up_title(state['no_answer'], 'watching the failover')} "
                         f"{resume_step(target.identifier, creating=False, gateway=self.gateway)}")
        samples: list[ConnectSample] = tcp.snapshot() if tcp else []
        outage = compute_outage(samples, after=requested_at - 0.2) if tcp else None
        if tcp and outage is None:
            notes.append("No failed TCP connect was seen: the outage was shorter than the probe's interval.")
        dns_samples: list[DnsSample] = list(dns.samples) if dns else []
        switched = dns_switch(dns_samples, after=requested_at)
        dns_before = next((s.addresses for s in reversed(dns_samples) if s.at < requested_at), ())
        dns_after = dns_samples[-1].addresses if dns_samples else ()
        app_report = self._app_report(app, app_name) if app else None
        completed_event: RdsEvent | None = state["completed_event"]
        outage_aws = outage.duration * self.scale if outage and outage.duration is not None else None
        after_primary = state["primary"]
        swapped = bool(before_primary and after_primary and before_primary != after_primary)
        verdict, reasons = decide_verdict(
            az_swapped=swapped, available_after=state["status"] == "available", abandoned=state["abandoned"],
            completed=completed_event is not None, outage_aws_seconds=outage_aws, app=app_report,
            stopped_early=state["stopped"])
        attempts = app.snapshot() if app else []
        started_event: RdsEvent | None = state["started_event"]
        detection = None
        if self.drill in UNPLANNED and started_event is not None:
            detection = max(0.0, started_event.date.timestamp() - requested_at)
        elif self.drill in UNPLANNED:
            notes.append("No failover-started event was seen, so the detection time is unknown.")
        return FailoverReport(
            identifier=target.identifier, kind=target.kind, engine=target.engine, demo=self.pre.demo,
            time_scale=self.scale, requested_at=requested_at, finished_at=time.time(),
            primary_az_before=before_primary, primary_az_after=after_primary,
            standby_azs_before=before_standby, standby_azs_after=tuple(state["standby"]),
            status_after=state["status"], completed=completed_event is not None, abandoned=state["abandoned"],
            stopped_early=state["stopped"],
            failover_event=completed_event.message if completed_event else None,
            failover_event_offset=_offset(completed_event.date.timestamp() if completed_event else None,
                                          requested_at),
            failover_event_seen_offset=_offset(state["event_seen_at"], requested_at),
            tcp_measured=tcp is not None, outage=outage, dns_before=dns_before, dns_after=dns_after,
            dns_switch_offset=(switched.at - requested_at) if switched else None, app=app_report,
            measurement_notes=notes, verdict=verdict, verdict_reasons=reasons,
            advice=advice_for(app_report, outage_aws, tcp is not None, self.pre.demo, target.kind,
                              self.drill),
            replication_line=_replication_line(target.kind, app_report),
            timeline=sorted((replace(e, t=e.at.timestamp() - requested_at) for e in self.timeline),
                            key=lambda e: e.t),
            writes_around=writes_around(attempts, requested_at), drill=self.drill,
            detection_seconds=detection)

    def _app_report(self, app: AppProbe, name: str) -> AppProbeReport:
        attempts = app.snapshot()
        acknowledged = {a.seq for a in attempts if a.ok and a.seq is not None}
        failed_seqs = {a.seq for a in attempts if not a.ok and a.seq is not None}
        before, after, rto = application_rto(attempts)
        found, error = app.verify(deadline_seconds=max(10.0, 60.0 / self.scale))
        failures = sum(1 for a in attempts if not a.ok)
        if found is None:
            return AppProbeReport(name, len(attempts), len(acknowledged), failures, before, after, rto, False,
                                  0, (), 0, note=error)
        missing = tuple(sorted(acknowledged - found))
        return AppProbeReport(name, len(attempts), len(acknowledged), failures, before, after, rto, True,
                              len(found & acknowledged), missing, len(failed_seqs & found))
