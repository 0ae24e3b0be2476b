"""Line-mode rendering shared by `launch`, `watch` and `failover-test`: one timestamped line per change.

Also the pieces both commands need: opening the gateway with a clear message, following progress,
and the whole guided failover test (checklist, confirmation, live timeline, report).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TextIO

from wizard.escaping import shown_lines
from wizard.exit_codes import EXIT_CANCELLED, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE

if TYPE_CHECKING:
    from wizard.aws.drills import Drill
    from wizard.aws.failover import FailoverReport, TimelineEntry
    from wizard.aws.probes import DbCredentials
    from wizard.aws.provisioning import Follower, Progress, Update

_STATUS_WIDTH = 9


def emit(text: str, at: datetime | None = None, out: TextIO | None = None) -> None:
    """Print one line prefixed with a local-time timestamp, flushed (scripts read it live)."""
    when = (at or datetime.now(UTC)).astimezone()
    stream = out or sys.stdout
    stream.write(f"{when:%H:%M:%S}  {shown_lines(text)}\n")
    stream.flush()


def say_waiting(line: str) -> None:
    """A line about waiting on AWS (wizard.aws.waits decides what it says)."""
    emit(f"{'waiting':<{_STATUS_WIDTH}} {line}")


def say(text: str = "", out: TextIO | None = None) -> None:
    """Print a plain line (no timestamp), flushed."""
    stream = out or sys.stdout
    stream.write(shown_lines(text) + "\n")
    stream.flush()


def update_line(update: Update, progress: Progress) -> str:
    """How one progress update reads as a line."""
    from wizard.aws.provisioning import format_duration

    kind = update.kind
    text = update.message
    if kind == "status" and progress.outcome == "progressing":
        low, high = progress.estimate
        text += (f"  (elapsed {format_duration(progress.elapsed)}; a create typically takes "
                 f"{format_duration(low)}-{format_duration(high)})")
    if update.next_step:
        text += f"\n          what to do: {update.next_step}"
    return f"{kind:<{_STATUS_WIDTH}} {text}"


def print_progress(progress: Progress) -> None:
    """Print what changed in this snapshot; the events keep their own timestamps."""
    for update in progress.updates:
        emit(update_line(update, progress), at=update.at if update.kind == "event" else None)


def open_gateway(args: argparse.Namespace) -> Any:
    """The gateway for these arguments, or None after printing why it could not be opened.

    Makes the first contact (who am I) right away: an endpoint that does not answer at all is reported
    within seconds with what to check, before anything else waits on it.
    """
    from wizard.aws.errors import explain
    from wizard.aws.gateway import ConnectionOptions
    from wizard.aws.gateway import open_gateway as _open
    from wizard.aws.waits import is_no_answer

    opts = ConnectionOptions.from_args(args)
    if opts.demo:
        say("Starting the demo AWS (it lives only as long as this command)...")
    try:
        gateway = _open(opts)
    except Exception as exc:
        print(explain(exc, profile=opts.profile).render(), file=sys.stderr)
        return None
    try:
        gateway.identity()
    except Exception as exc:
        if is_no_answer(exc):
            print(f"rds-wizard: {explain(exc, profile=opts.profile, region=gateway.region).render()}",
                  file=sys.stderr)
            gateway.close()
            return None
        # Other refusals (no STS behind a custom endpoint, ...) show as "account unknown" in the header.
    return gateway


def describe_identity(gateway: Any) -> str:
    """The header line: which account and region (or the demo) this talks to."""
    try:
        return str(gateway.identity().summary())
    except Exception as exc:  # identity is informative; a failing STS call must not stop a watch
        from wizard.aws.errors import explain

        return f"(account unknown: {explain(exc).title})"


def say_target(gateway: Any) -> None:
    """The "Target:" line, then what the user should know about it (the demo's simulated databases)."""
    say(f"Target: {describe_identity(gateway)}")
    say_notices(gateway)


def say_notices(gateway: Any, already: tuple[str, ...] = ()) -> list[str]:
    """Print the gateway's notices not in `already` as "Note:" lines; return every notice."""
    source = getattr(gateway, "notices", None)
    notices = [str(n) for n in source()] if callable(source) else []
    for notice in notices:
        if notice not in already:
            say(f"Note: {notice}")
    return notices


def say_not_available(progress: Progress, identifier: str, what: str) -> None:
    """Why following ended without an available database (on stderr); after AWS stayed silent, also
    the command that resumes."""
    notice = progress.notices[0] if progress.notices else None
    reason = notice.title if notice else f"status {progress.status}"
    line = f"rds-wizard: {identifier} {what}: {reason}"
    if progress.outcome == "no-answer" and notice is not None:
        line += f"\nNext: {notice.next_step}"
    print(line, file=sys.stderr)


def follow_printing(follower: Follower) -> Progress:
    """Follow until finished, printing each change; KeyboardInterrupt propagates to the caller."""
    from wizard.aws.provisioning import follow

    return follow(follower, print_progress)


def reattach_hint(gateway: Any, identifier: str) -> str:
    """What quitting means on this target, said before a long wait."""
    from wizard.targets import quit_note

    return quit_note(gateway, identifier, key="Ctrl+C")


def confirm_identifier(identifier: str, what: str, yes: bool, *,
                       reader: Callable[[str], str] = input) -> int | None:
    """None when confirmed (--yes or the identifier typed); otherwise the exit code to return."""
    from wizard.confirmation import identifier_confirmed

    if yes:
        return None
    if not sys.stdin.isatty():
        print(f"rds-wizard: refusing to {what} without confirmation: standard input is not a terminal. "
              f"Pass --yes to confirm (the identifier {identifier} on the command line is the confirmation).",
              file=sys.stderr)
        return EXIT_USAGE
    try:
        typed = reader(f"Type the identifier ({identifier}) to {what}: ")
    except EOFError:
        typed = ""
    if not identifier_confirmed(typed, identifier):
        say("The identifier does not match; nothing was sent to AWS.")
        return EXIT_CANCELLED
    return None


def password_from_env() -> Any:
    """RDS_WIZARD_MASTER_PASSWORD as a SecretStr (None when unset), for the application probe."""
    from pydantic import SecretStr

    from wizard.launch import PASSWORD_ENV

    value = os.environ.get(PASSWORD_ENV, "")
    return SecretStr(value) if value else None


def print_timeline_entry(entry: TimelineEntry) -> None:
    """One live failover timeline line: seconds from the request, the source, what happened."""
    emit(f"{entry.t:+8.2f} s  {entry.kind:<7} {entry.message}", at=entry.at)


def print_report(report: FailoverReport, paths: tuple[Any, Any] | None) -> None:
    """The report's key figures, the replication line, the advice and where it was saved."""
    from wizard.reports import summary_rows

    say()
    say(f"Failover test report for {report.identifier}")
    for label, value in summary_rows(report):
        say(f"  {label}: {value}")
    for reason in report.verdict_reasons:
        say(f"  - {reason}")
    say(f"  {report.replication_line}")
    for note in report.measurement_notes:
        say(f"  note: {note}")
    if report.writes_around:
        say("  Writes around the failover:")
        for line in report.writes_around:
            say(f"    {line}")
    say("  Advice:")
    for item in report.advice:
        say(f"    - {item}")
    if paths:
        say(f"Report saved: {paths[0]}")
        say(f"              {paths[1]}")


def run_failover(gateway: Any, identifier: str, *, yes: bool, credentials: DbCredentials | None,
                 ask_confirmation: bool = True, drill: Drill = "forced") -> int:
    """The guided failover test in line mode; the exit code is 0 when the verdict is pass or warning."""
    from wizard.aws.failover import FailoverRefused, FailoverTest, preflight
    from wizard.reports import save_report

    say()
    named = f" ({drill} drill)" if drill != "forced" else ""
    say(f"Failover test for {identifier}{named}: preflight")
    try:
        pre = preflight(gateway, identifier, credentials=credentials, drill=drill)
    except FailoverRefused as refused:
        print(f"rds-wizard: {refused.reason}" + (f"\nNext: {refused.next_step}" if refused.next_step else ""),
              file=sys.stderr)
        return EXIT_PROBLEMS
    marks = {"ok": "ok  ", "warning": "warn", "fail": "FAIL", "info": "info"}
    for check in pre.checks:
        say(f"  [{marks[check.status]}] {check.label}: {check.detail}")
    if not pre.can_run:
        print(f"rds-wizard: the failover test will not run: {pre.refusal}", file=sys.stderr)
        return EXIT_PROBLEMS
    say("What will happen:")
    for line in pre.what_will_happen:
        say(f"  - {line}")
    if ask_confirmation:
        refused_code = confirm_identifier(identifier, "fail it over" if drill == "forced" else
                                          f"run the {drill} drill on it", yes)
        if refused_code is not None:
            return refused_code
    test = FailoverTest(gateway, pre, on_entry=print_timeline_entry, drill=drill)
    try:
        report = test.run(confirmation=identifier)
    except FailoverRefused as refused:
        print(f"rds-wizard: {refused.reason}" + (f"\nNext: {refused.next_step}" if refused.next_step else ""),
              file=sys.stderr)
        return EXIT_PROBLEMS
    secrets = [credentials.password] if credentials is not None else []
    if pre.credentials is not None:
        secrets.append(pre.credentials.password)
    try:
        paths: tuple[Any, Any] | None = save_report(report, secrets=secrets)
    except OSError as exc:
        print(f"rds-wizard: could not save the report: {exc}", file=sys.stderr)
        paths = None
    print_report(report, paths)
    return EXIT_OK if report.verdict in ("pass", "warning") else EXIT_PROBLEMS
