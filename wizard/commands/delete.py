"""`rds-wizard delete ID (--final-snapshot NAME | --skip-final-snapshot) [--yes]`: delete and follow.

A final snapshot unless --skip-final-snapshot is chosen explicitly. Deletion protection is refused with
the exact command that turns it off; `--disable-deletion-protection` runs that as its own confirmed
change first. Exit 0 gone (and the snapshot available), 1 refused or failed, 130 cancelled.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime, timedelta

from wizard.commands import _live
from wizard.commands.day2_support import clean, print_update, refuse, show_plan
from wizard.exit_codes import EXIT_CANCELLED, EXIT_OK, EXIT_PROBLEMS


def run(args: argparse.Namespace) -> int:
    """Plan, confirm (typed identifier), send DeleteDBInstance/DeleteDBCluster, follow until gone."""
    from wizard.aws.errors import explain
    from wizard.day2.common import ActionFailed, send
    from wizard.day2.delete import plan_delete, plan_disable_deletion_protection
    from wizard.day2.follow import follow_delete

    identifier = args.identifier.lower()
    gateway = _live.open_gateway(args)
    if gateway is None:
        return EXIT_PROBLEMS
    try:
        _live.say_target(gateway)
        try:
            if args.disable_deletion_protection:
                unprotect = plan_disable_deletion_protection(gateway, identifier)
                if unprotect.can_run:
                    show_plan(f"First, turn deletion protection off for {identifier}:", unprotect)
                    refused = _live.confirm_identifier(identifier, "turn deletion protection off", args.yes)
                    if refused is not None:
                        return refused
                    send(gateway, unprotect)
                    _live.emit(f"action    deletion protection turned off for {identifier}")
            plan = plan_delete(gateway, identifier, final_snapshot=args.final_snapshot,
                               delete_automated_backups=not args.keep_automated_backups)
        except ActionFailed as failed:
            print(f"rds-wizard: {clean(failed.render())}", file=sys.stderr)
            return EXIT_PROBLEMS
        except Exception as exc:
            print(f"rds-wizard: {explain(exc, identifier=identifier).render()}", file=sys.stderr)
            return EXIT_PROBLEMS
        if not plan.can_run:
            code = refuse(plan)
            if any(p.command and "deletion-protection" in p.command for p in plan.problems):
                print(f"Or let rds-wizard do it, confirmed separately: rds-wizard delete {identifier} "
                      "--disable-deletion-protection ...", file=sys.stderr)
            return code
        show_plan(f"Delete {identifier}:", plan)
        refused = _live.confirm_identifier(identifier, "DELETE it", args.yes)
        if refused is not None:
            return refused
        sent_at = datetime.now(UTC) - timedelta(seconds=1)
        try:
            send(gateway, plan)
        except ActionFailed as failed:
            print(f"rds-wizard: {clean(failed.render())}", file=sys.stderr)
            return EXIT_PROBLEMS
        _live.emit(f"action    {plan.operation} {identifier}")
        outcome = follow_delete(gateway, plan, print_update, events_since=sent_at)
        if not outcome.gone:
            print(f"rds-wizard: {identifier} is not gone yet.", file=sys.stderr)
            return EXIT_PROBLEMS
        if outcome.snapshot:
            if outcome.snapshot_status != "available":
                state = outcome.snapshot_status or "missing"
                print(f"rds-wizard: the final snapshot {outcome.snapshot} is {state}.",
                      file=sys.stderr)
                return EXIT_PROBLEMS
            _live.say(f"{identifier} is deleted; its final snapshot {outcome.snapshot} is available "
                      f"(restore with `aws rds restore-db-instance-from-db-snapshot ... "
                      f"--db-snapshot-identifier {outcome.snapshot}`).")
        else:
            _live.say(f"{identifier} is deleted (no final snapshot).")
        return EXIT_OK
    except KeyboardInterrupt:
        _live.say()
        _live.say("Stopped following; a delete already sent carries on in AWS.")
        return EXIT_CANCELLED
    finally:
        gateway.close()
