"""`rds-wizard failover-test ID [--yes]`: the guided failover test in line mode.

With --yes the identifier on the command line is the confirmation; otherwise it is typed on a terminal.
--drill host-failure|az-outage (demo only) makes the primary fail instead of asking for a failover; on
real AWS they exit 2 with the reason (only the forced drill runs there).
The application probe logs in with the RDS-managed secret where readable, or with the master password
from RDS_WIZARD_MASTER_PASSWORD. Exit 0 when the verdict is pass (or a pass with a warning), 1 otherwise.
"""

from __future__ import annotations

import argparse
import sys

from wizard.commands import _live
from wizard.exit_codes import EXIT_CANCELLED, EXIT_PROBLEMS, EXIT_USAGE


def run(args: argparse.Namespace) -> int:
    """Preflight, confirm, fail over, measure, save the report."""
    identifier = args.identifier.lower()
    drill = getattr(args, "drill", "forced")
    gateway = _live.open_gateway(args)
    if gateway is None:
        return EXIT_PROBLEMS
    try:
        _live.say_target(gateway)
        from wizard.aws.drills import demo_only_sentence, offered

        if drill not in offered(gateway):
            print(f"rds-wizard: {demo_only_sentence(drill)}", file=sys.stderr)
            return EXIT_USAGE
        credentials = None
        password = _live.password_from_env()
        if password is not None:
            from wizard.aws.failover import find_target
            from wizard.aws.probes import DbCredentials

            try:
                target = find_target(gateway, identifier)
            except Exception:  # the preflight below reports a missing or unreadable target properly
                target = None
            if target is not None and target.master_username:
                credentials = DbCredentials(target.master_username, password, target.database_name,
                                            source="RDS_WIZARD_MASTER_PASSWORD")
        return _live.run_failover(gateway, identifier, yes=args.yes, credentials=credentials, drill=drill)
    except KeyboardInterrupt:
        _live.say()
        _live.say("Stopped. A failover already requested carries on in AWS.")
        return EXIT_CANCELLED
    finally:
        gateway.close()
