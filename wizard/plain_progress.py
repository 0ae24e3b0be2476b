"""Provisioning progress and the guided failover test as plain lines, for the plain front end.

The measuring and following live in `wizard.aws.provisioning` and `wizard.aws.failover`; this module only
phrases what they report, one line per change, so a screen reader or a log reads it in order.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from wizard.exit_codes import EXIT_OK, EXIT_PROBLEMS

if TYPE_CHECKING:
    from wizard.aws.drills import Drill
    from wizard.aws.provisioning import Kind, Progress
    from wizard.aws.timing import GatewayLike
    from wizard.launch import LaunchResult

Say = Callable[[str], None]
Ask = Callable[[str], str]


def follow_lines(result: LaunchResult, gateway: GatewayLike, say: Say) -> int:
    """Follow a create until it is available (or stops progressing), one line per change."""
    from wizard.aws.provisioning import connection_summary, follow, format_duration

    shown: set[str] = set()

    def on_update(progress: Progress) -> None:
        stamp = f"[{format_duration(progress.aws_elapsed)}]"
        for update in progress.updates:
            say(f"{stamp} {update.message}" + (f" Next: {update.next_step}" if update.next_step else ""))
        for notice in progress.notices:
            if notice.title not in shown:
                shown.add(notice.title)
                say(f"! {notice.title}" + (f" {notice.next_step}" if notice.next_step else ""))

    from wizard.targets import quit_note

    say(f"Following {result.identifier} until it is available. "
        + quit_note(gateway, result.identifier, key="Ctrl+C"))
    last = follow(result.follower(gateway), on_update)
    if last.outcome != "available":
        reason = last.notices[0].title if last.outcome == "no-answer" else f"{last.status or last.outcome}."
        say(f"✗ {result.identifier} did not become available: {reason}")
        return EXIT_PROBLEMS
    if result.password_generated and result.password is not None:
        # The console's "View credential details": shown this once, stored nowhere.
        say(f"Generated master password (shown once, stored nowhere): {result.password.get_secret_value()}")
    summary = connection_summary(last, gateway, password_shown_once=result.password_generated,
                                 username=result.master_username, database=result.database_name)
    for line in summary.lines():
        say(line)
    return EXIT_OK


def failover_lines(identifier: str, kind: Kind, gateway: GatewayLike, ask: Ask, say: Say,
                   choose_drill: Callable[[tuple[Drill, ...]], Drill] | None = None) -> int:
    """The guided failover test: the drill (asked in the demo, forced on AWS), checklist, what will happen,
    typed confirmation, live timeline, report."""
    from wizard.aws.drills import offered
    from wizard.aws.failover import FailoverRefused, FailoverTest, TimelineEntry, preflight
    from wizard.confirmation import identifier_confirmed
    from wizard.reports import save_report, summary_rows

    drills = offered(gateway)
    drill: Drill = choose_drill(drills) if choose_drill is not None and len(drills) > 1 else "forced"
    say(f"Checking {identifier} before the failover test"
        + (f" ({drill} drill)" if drill != "forced" else "") + " ...")
    try:
        pre = preflight(gateway, identifier, kind=kind, drill=drill)
    except FailoverRefused as exc:
        say(f"✗ {exc.reason}" + (f" Next: {exc.next_step}" if exc.next_step else ""))
        return EXIT_PROBLEMS
    for check in pre.checks:
        say(f"  [{check.status}] {check.label}: {check.detail}")
    if not pre.can_run:
        say(f"✗ The failover test will not run: {pre.refusal}")
        return EXIT_PROBLEMS
    say("What will happen:")
    for line in pre.what_will_happen:
        say(f"  {line}")
    doing = "force the failover" if drill == "forced" else f"run the {drill} drill"
    typed = ask(f"Type {identifier} to {doing} (anything else cancels)").strip()
    if not identifier_confirmed(typed, identifier):
        say("Not confirmed: nothing was sent.")
        return EXIT_OK

    def on_entry(entry: TimelineEntry) -> None:
        say(f"  {entry.t:+8.2f} s  {entry.kind:<6} {entry.message}")

    try:
        report = FailoverTest(gateway, pre, on_entry=on_entry, drill=drill).run(confirmation=typed)
    except FailoverRefused as exc:
        say(f"✗ {exc.reason}" + (f" Next: {exc.next_step}" if exc.next_step else ""))
        return EXIT_PROBLEMS
    say("Failover test result:")
    for label, value in summary_rows(report):
        say(f"  {label}: {value}")
    for advice in report.advice:
        say(f"  - {advice}")
    secrets = [pre.credentials.password] if pre.credentials is not None else []
    markdown, data = save_report(report, secrets=secrets)
    say(f"Report saved: {markdown} (and {data.name})")
    return EXIT_OK
