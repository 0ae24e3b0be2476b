"""`rds-wizard watch ID`: re-attach to any instance's (or Multi-AZ DB cluster's) progress.

Exit 0 when it is available, 1 when it has a problem status or does not exist, 130 on Ctrl+C (which
stops nothing in AWS).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from wizard.commands import _live
from wizard.exit_codes import EXIT_CANCELLED, EXIT_OK, EXIT_PROBLEMS


def run(args: argparse.Namespace) -> int:
    """Follow the identifier until it is available (or stops progressing), one line per change."""
    if getattr(args, "tui", False):
        from screens.watch import run_watch_tui

        return run_watch_tui(args)
    from wizard.aws.errors import explain
    from wizard.aws.provisioning import Follower, connection_summary, detect_kind
    from wizard.aws.waits import ride_out

    identifier = args.identifier.lower()
    gateway = _live.open_gateway(args)
    if gateway is None:
        return EXIT_PROBLEMS
    try:
        _live.say_target(gateway)
        try:
            kind = ride_out(lambda: detect_kind(gateway, identifier), _live.say_waiting)
        except Exception as exc:
            print(f"rds-wizard: {explain(exc, identifier=identifier, region=gateway.region).render()}",
                  file=sys.stderr)
            return EXIT_PROBLEMS
        if kind is None:
            hint = " (the demo starts empty: use `launch --demo`)." if args.demo else "."
            print(f"rds-wizard: there is no DB instance or Multi-AZ DB cluster named {identifier} here. "
                  f"Check the identifier and --region{hint}", file=sys.stderr)
            return EXIT_PROBLEMS
        _live.say(f"Following {kind} {identifier}. Ctrl+C stops watching, nothing in AWS.")
        progress = _live.follow_printing(Follower(gateway, identifier, kind))
        if progress.outcome != "available":
            _live.say_not_available(progress, identifier, "is not available")
            return EXIT_PROBLEMS
        _live.say()
        for line in connection_summary(progress, gateway).lines():
            _live.say(line)
        _say_replica_lag(gateway, identifier, kind)
        return EXIT_OK
    except KeyboardInterrupt:
        _live.say()
        from wizard.targets import reattach_command

        _live.say("Stopped watching; nothing changed in AWS. "
                  f"Re-attach with `{reattach_command(gateway, identifier)}`.")
        return EXIT_CANCELLED
    finally:
        gateway.close()


def _say_replica_lag(gateway: Any, identifier: str, kind: str) -> None:
    """For a read replica: its lag now (CloudWatch ReplicaLag) and how to keep reading it."""
    from wizard.replicas.create import describe_source
    from wizard.replicas.lag import read_lag

    if kind != "instance":
        return
    try:
        record = describe_source(gateway, identifier)
    except Exception:  # the lag is a bonus line: the watch itself succeeded
        return
    source = (record or {}).get("ReadReplicaSourceDBInstanceIdentifier")
    if source:
        _live.say(f"Read replica of {source}. {read_lag(gateway, identifier).render()}")
        _live.say(f"Keep reading it: `rds-wizard replica lag {identifier} --samples 10`.")
