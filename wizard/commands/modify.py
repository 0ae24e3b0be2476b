"""`rds-wizard modify ID --multi-az|--single-az [--apply-immediately] [--yes]`: change availability.

Checks first (status, engine and class, the subnet group's AZs, read replicas), says what RDS will do,
asks for the identifier, then follows the conversion. With credentials (the RDS-managed secret or
RDS_WIZARD_MASTER_PASSWORD) an application probe commits all along and the summary says whether writes
were interrupted. Exit 0 done (or pending for the window), 1 refused or failed, 130 cancelled.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime, timedelta

from wizard.commands import _live
from wizard.commands.day2_support import clean, print_progress, refuse, show_plan
from wizard.exit_codes import EXIT_CANCELLED, EXIT_OK, EXIT_PROBLEMS


def run(args: argparse.Namespace) -> int:
    """Plan, confirm, send ModifyDBInstance, follow, summarize the writes."""
    from wizard.aws.errors import explain
    from wizard.day2.common import ActionFailed, send
    from wizard.day2.follow import follow_change
    from wizard.day2.modify import plan_availability
    from wizard.day2.writes import WriteWatch, credentials_for

    identifier = args.identifier.lower()
    multi_az = bool(args.multi_az)
    gateway = _live.open_gateway(args)
    if gateway is None:
        return EXIT_PROBLEMS
    try:
        _live.say_target(gateway)
        try:
            plan = plan_availability(gateway, identifier, multi_az, apply_immediately=args.apply_immediately)
        except Exception as exc:
            print(f"rds-wizard: {explain(exc, identifier=identifier).render()}", file=sys.stderr)
            return EXIT_PROBLEMS
        if not plan.can_run:
            return refuse(plan)
        target = "Multi-AZ" if multi_az else "Single-AZ"
        show_plan(f"Convert {identifier} to a {target} DB instance:", plan)
        refused = _live.confirm_identifier(identifier, f"convert it to {target}", args.yes)
        if refused is not None:
            return refused
        watch = None
        if args.apply_immediately:
            from wizard.aws.failover import find_target

            creds, note = credentials_for(gateway, identifier, _live.password_from_env())

            found = find_target(gateway, identifier)
            watch = WriteWatch(gateway, found.endpoint, found.port, found.engine, creds)
            if creds is None and note:
                watch.note = note
            if watch.start():
                _live.say("Application probe: committing a row every 50 ms during the conversion.")
            else:
                _live.say(f"Writes are not measured: {clean(watch.note)}.")
        sent_at = datetime.now(UTC) - timedelta(seconds=1)
        try:
            send(gateway, plan)
        except ActionFailed as failed:
            if watch is not None:
                watch.stop(read_back_seconds=5)
            print(f"rds-wizard: {clean(failed.render())}", file=sys.stderr)
            return EXIT_PROBLEMS
        _live.emit(f"action    ModifyDBInstance {identifier} MultiAZ={multi_az} "
                   f"ApplyImmediately={args.apply_immediately}")
        if not args.apply_immediately:
            from wizard.day2.inventory import describe_row

            row = describe_row(gateway, identifier)
            pending = ", ".join(row.pending) if row is not None else ""
            pending = clean(pending) or f"MultiAZ={multi_az}"
            _live.say(f"Pending until the next maintenance window: {pending}. "
                      f"`rds-wizard list` shows it; `rds-wizard modify {identifier} "
                      f"{'--multi-az' if multi_az else '--single-az'} --apply-immediately` applies it now.")
            return EXIT_OK
        progress = follow_change(gateway, plan, print_progress, events_since=sent_at)
        summary = watch.stop() if watch is not None else None
        _live.say()
        if summary is not None:
            for line in summary.lines():
                _live.say(line)
        if progress.outcome != "available" or bool(progress.multi_az) != multi_az:
            print(f"rds-wizard: {identifier} did not end {target} (status {progress.status}, "
                  f"MultiAZ={progress.multi_az}). Read the events above.", file=sys.stderr)
            return EXIT_PROBLEMS
        where = f"primary {progress.primary_az}" + (f", standby {progress.standby_azs[0]}"
                                                    if progress.standby_azs else "")
        _live.say(f"{identifier} is now a {target} DB instance ({clean(where)}).")
        if multi_az:
            _live.say(f"Next: prove it works with `rds-wizard failover-test {identifier}`.")
        if summary is not None and summary.missing:
            return EXIT_PROBLEMS
        return EXIT_OK
    except KeyboardInterrupt:
        _live.say()
        _live.say("Stopped following; a change already sent carries on in AWS "
                  f"(`rds-wizard watch {identifier}`).")
        return EXIT_CANCELLED
    finally:
        gateway.close()
