"""`rds-wizard reboot ID [--failover] [--yes]`: reboot a DB instance (forcing a failover) and follow it.

Exit 0 available again, 1 refused or failed, 130 cancelled (the reboot carries on in AWS).
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime, timedelta

from wizard.commands import _live
from wizard.commands.day2_support import clean, print_progress, refuse, show_plan
from wizard.exit_codes import EXIT_CANCELLED, EXIT_OK, EXIT_PROBLEMS


def run(args: argparse.Namespace) -> int:
    """Plan, confirm, send RebootDBInstance, follow until available."""
    from wizard.aws.errors import explain
    from wizard.day2.common import ActionFailed, send
    from wizard.day2.follow import follow_change
    from wizard.day2.reboot import plan_reboot

    identifier = args.identifier.lower()
    gateway = _live.open_gateway(args)
    if gateway is None:
        return EXIT_PROBLEMS
    try:
        _live.say_target(gateway)
        try:
            plan = plan_reboot(gateway, identifier, failover=args.failover)
        except Exception as exc:
            print(f"rds-wizard: {explain(exc, identifier=identifier).render()}", file=sys.stderr)
            return EXIT_PROBLEMS
        if not plan.can_run:
            return refuse(plan)
        show_plan(f"Reboot {identifier}" + (" with failover:" if args.failover else ":"), plan)
        refused = _live.confirm_identifier(identifier, "reboot it", args.yes)
        if refused is not None:
            return refused
        before = plan.row
        sent_at = datetime.now(UTC) - timedelta(seconds=1)
        try:
            send(gateway, plan)
        except ActionFailed as failed:
            print(f"rds-wizard: {clean(failed.render())}", file=sys.stderr)
            return EXIT_PROBLEMS
        forced = " ForceFailover=True" if args.failover else ""
        _live.emit(f"action    RebootDBInstance {identifier}{forced}")
        progress = follow_change(gateway, plan, print_progress, events_since=sent_at)
        if progress.outcome != "available":
            print(f"rds-wizard: {identifier} is not available after the reboot (status {progress.status}).",
                  file=sys.stderr)
            return EXIT_PROBLEMS
        if args.failover and before is not None:
            _live.say(f"Primary moved from {before.availability_zone} to {progress.primary_az}.")
        _live.say(f"{identifier} is available again.")
        return EXIT_OK
    except KeyboardInterrupt:
        _live.say()
        _live.say(f"Stopped following; the reboot carries on in AWS (`rds-wizard watch {identifier}`).")
        return EXIT_CANCELLED
    finally:
        gateway.close()
