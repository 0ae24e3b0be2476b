"""`rds-wizard replica create|promote|lag|drill`: read replicas, every rule checked before any request.

Exit 0 done, 1 refused or failed (nothing sent when refused), 2 usage (no confirmation possible),
130 cancelled (what was sent carries on in AWS).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from wizard.commands import _live
from wizard.commands.day2_support import clean, print_progress, refuse, show_plan
from wizard.exit_codes import EXIT_CANCELLED, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE


def run(args: argparse.Namespace) -> int:
    """Run the replica sub-command named on the command line."""
    actions: dict[str, Callable[[Any, argparse.Namespace], int]] = {
        "create": _create, "promote": _promote, "lag": _lag, "drill": _drill}
    gateway = _live.open_gateway(args)
    if gateway is None:
        return EXIT_PROBLEMS
    try:
        _live.say_target(gateway)
        return actions[args.replica_action](gateway, args)
    except KeyboardInterrupt:
        _live.say()
        _live.say("Stopped; what was sent carries on in AWS (`rds-wizard watch ID` follows it).")
        return EXIT_CANCELLED
    finally:
        gateway.close()


def _explained(exc: Exception, identifier: str) -> int:
    from wizard.aws.errors import explain

    print(f"rds-wizard: {explain(exc, identifier=identifier).render()}", file=sys.stderr)
    return EXIT_PROBLEMS


def read_password(engine: str, reader: Callable[[str], str] | None = None) -> str | None:
    """A new master password: typed at a prompt (not echoed), or RDS_WIZARD_MASTER_PASSWORD; never argv."""
    from wizard.launch import PASSWORD_ENV
    from wizard.replicas.create import password_problems

    if reader is None and sys.stdin.isatty():
        import getpass

        reader = getpass.getpass
    if reader is None:
        value = os.environ.get(PASSWORD_ENV, "")
        if not value:
            print(f"rds-wizard: the new master password comes from a prompt (a terminal) or the "
                  f"{PASSWORD_ENV} environment variable; neither is here. Nothing was changed.",
                  file=sys.stderr)
            return None
        problems = password_problems(engine, value)
        for problem in problems:
            print(f"rds-wizard: {problem} ({PASSWORD_ENV})", file=sys.stderr)
        return None if problems else value
    for _attempt in range(3):
        value = reader("New master password (not shown): ")
        problems = password_problems(engine, value)
        if not problems and reader("Type it again: ") == value:
            return value
        _live.say(problems[0] if problems else "The two passwords differ. Type them again.")
    return None


def _switch_password(gateway: Any, source_id: str, yes: bool) -> int | None:
    """The offered fix: a confirmed modify to a self-managed password, followed. None when done."""
    from wizard.day2.common import ActionFailed
    from wizard.day2.follow import follow_change
    from wizard.replicas.create import describe_source, plan_self_managed_password, send_self_managed_password

    plan = plan_self_managed_password(gateway, source_id)
    show_plan(f"Switch {source_id} to a self-managed master password:", plan)
    refused = _live.confirm_identifier(source_id, "switch its password", yes)
    if refused is not None:
        return refused
    password = read_password(plan.row.engine if plan.row else "")
    if password is None:
        return EXIT_PROBLEMS
    sent_at = datetime.now(UTC) - timedelta(seconds=1)
    try:
        send_self_managed_password(gateway, plan, password)
    except ActionFailed as failed:
        print(f"rds-wizard: {clean(failed.render())}", file=sys.stderr)
        return EXIT_PROBLEMS
    del password
    _live.emit(f"action    ModifyDBInstance {source_id} ManageMasterUserPassword=False")

    def _switched(_progress: Any) -> bool:
        record = describe_source(gateway, source_id)
        return record is not None and not record.get("MasterUserSecret")

    progress = follow_change(gateway, plan, print_progress, events_since=sent_at, done=_switched)
    if progress.outcome != "available":
        print(f"rds-wizard: {source_id} is not available after the change (status {progress.status}).",
              file=sys.stderr)
        return EXIT_PROBLEMS
    _live.say(f"{source_id} now uses your password; keep it somewhere safe (rds-wizard does not).")
    return None


def _create(gateway: Any, args: argparse.Namespace) -> int:
    from wizard.aws.provisioning import Follower, connection_summary
    from wizard.day2.common import ActionFailed, send
    from wizard.replicas.create import managed_password_blocks, plan_create_replica

    source_id = args.source.lower()

    def _plan() -> Any:
        return plan_create_replica(gateway, source_id, identifier=args.identifier, instance_class=args.klass,
                                   availability_zone=args.availability_zone, multi_az=args.multi_az)
    try:
        plan = _plan()
    except Exception as exc:
        return _explained(exc, source_id)
    if managed_password_blocks(plan) and args.self_managed_password:
        others = [p for p in plan.problems if "--no-manage-master-user-password" not in (p.command or "")]
        if others:
            return refuse(plan)
        refused = _switch_password(gateway, source_id, args.yes)
        if refused is not None:
            return refused
        try:
            plan = _plan()
        except Exception as exc:
            return _explained(exc, source_id)
    if not plan.can_run:
        code = refuse(plan)
        if managed_password_blocks(plan):
            print(f"rds-wizard: or let rds-wizard do it: `rds-wizard replica create {source_id} "
                  "--self-managed-password` (asks for the new password; never on the command line).",
                  file=sys.stderr)
        return code
    show_plan(f"Create read replica {plan.identifier} of {source_id}:", plan)
    refused = _live.confirm_identifier(plan.identifier, "create it", args.yes)
    if refused is not None:
        return refused
    sent_at = datetime.now(UTC) - timedelta(seconds=1)
    try:
        send(gateway, plan)
    except ActionFailed as failed:
        print(f"rds-wizard: {clean(failed.render())}", file=sys.stderr)
        return EXIT_PROBLEMS
    _live.emit(f"action    CreateDBInstanceReadReplica {plan.identifier} from {source_id}")
    progress = _live.follow_printing(Follower(gateway, plan.identifier, "instance", events_since=sent_at,
                                              just_created=True))
    if progress.outcome != "available":
        _live.say_not_available(progress, plan.identifier, "is not available")
        return EXIT_PROBLEMS
    _live.say()
    for line in connection_summary(progress, gateway).lines():
        _live.say(line)
    _live.say(f"Reads only: writes still go to {source_id}. Lag: `rds-wizard replica lag {plan.identifier}`.")
    return EXIT_OK


def _promote(gateway: Any, args: argparse.Namespace) -> int:
    from wizard.day2.common import ActionFailed, send
    from wizard.day2.follow import follow_change
    from wizard.replicas.promote import is_promoted, plan_promote

    identifier = args.identifier.lower()
    try:
        plan = plan_promote(gateway, identifier)
    except Exception as exc:
        return _explained(exc, identifier)
    if not plan.can_run:
        return refuse(plan)
    show_plan(f"Promote read replica {identifier}:", plan)
    refused = _live.confirm_identifier(identifier, "promote it (replication stops for good)", args.yes)
    if refused is not None:
        return refused
    probe = _start_probe(gateway, args, identifier)
    sent_at = datetime.now(UTC) - timedelta(seconds=1)
    if probe is not None:
        probe.mark_request()
    try:
        send(gateway, plan)
    except ActionFailed as failed:
        if probe is not None:
            probe.stop()
        print(f"rds-wizard: {clean(failed.render())}", file=sys.stderr)
        return EXIT_PROBLEMS
    _live.emit(f"action    PromoteReadReplica {identifier}")
    progress = follow_change(gateway, plan, print_progress, events_since=sent_at,
                             done=lambda _p: is_promoted(gateway, identifier))
    if progress.outcome != "available":
        if probe is not None:
            probe.stop()
        print(f"rds-wizard: {identifier} is not available after the promotion (status {progress.status}).",
              file=sys.stderr)
        return EXIT_PROBLEMS
    _live.say(f"{identifier} is a standalone DB instance now; replication from its source has stopped.")
    if probe is None:
        _live.say("RPO not measured: with RDS_WIZARD_MASTER_PASSWORD set, the probe writes on the source and "
                  "counts acknowledged commits missing on the promoted instance.")
        return EXIT_OK
    outcome = probe.finish()
    for line in outcome.lines():
        _live.say(line)
    return EXIT_OK if outcome.writable else EXIT_PROBLEMS


PROBE_WARM_UP_S = 1.0


def _start_probe(gateway: Any, args: argparse.Namespace, identifier: str) -> Any:
    import time

    from wizard.replicas.drill import PromotionProbe, connection_pair

    password = _live.password_from_env()
    if password is None:
        return None
    pair = connection_pair(gateway, identifier, password.get_secret_value(), args.database)
    if isinstance(pair, str):
        _live.say(f"No RPO probe: {pair}")
        return None
    probe = PromotionProbe(pair)
    note = probe.start()
    if note:
        _live.say(f"No RPO probe: {note}")
        return None
    _live.say(f"RPO probe: committing a heartbeat on {pair.source_name} every 50 ms.")
    time.sleep(PROBE_WARM_UP_S)  # commits before the request are the ones the RPO counts
    return probe


def _lag(gateway: Any, args: argparse.Namespace) -> int:
    import time

    from wizard.replicas.create import describe_source
    from wizard.replicas.lag import read_lag

    identifier = args.identifier.lower()
    try:
        record = describe_source(gateway, identifier)
    except Exception as exc:
        return _explained(exc, identifier)
    if record is None or not record.get("ReadReplicaSourceDBInstanceIdentifier"):
        print(f"rds-wizard: {identifier} is not a read replica here; `rds-wizard list` shows the replicas.",
              file=sys.stderr)
        return EXIT_PROBLEMS
    from wizard.aws.timing import time_scale

    failed = False
    for number in range(max(1, args.samples)):
        if number:
            time.sleep(args.interval / max(time_scale(gateway), 1.0))  # the demo's minute is shorter
        reading = read_lag(gateway, identifier)
        failed = reading.failed
        _live.emit(reading.render())
    return EXIT_PROBLEMS if failed else EXIT_OK


def _drill(gateway: Any, args: argparse.Namespace) -> int:
    from wizard.replicas.drill import connection_pair, run_drill, save_drill_report

    identifier = args.identifier.lower()
    password = _live.password_from_env()
    if password is None:
        if not sys.stdin.isatty():
            print("rds-wizard: the drill needs the master password: set RDS_WIZARD_MASTER_PASSWORD or run it "
                  "in a terminal (it is prompted, never on the command line).", file=sys.stderr)
            return EXIT_USAGE
        import getpass

        secret = getpass.getpass("Master password of the source (not shown): ")
    else:
        secret = password.get_secret_value()
    try:
        pair = connection_pair(gateway, identifier, secret, args.database)
    except Exception as exc:
        return _explained(exc, identifier)
    if isinstance(pair, str):
        print(f"rds-wizard: {pair}", file=sys.stderr)
        return EXIT_PROBLEMS
    _live.say(f"Drill: heartbeats on {pair.source_name}, read back on {identifier} for {args.seconds:g} s.")
    report = run_drill(pair, seconds=args.seconds, on_line=_live.emit)
    for line in report.lines():
        _live.say(line)
    paths = save_drill_report(report)
    _live.say(f"Report: {paths[0]} and {paths[1]}")
    return EXIT_OK if report.samples else EXIT_PROBLEMS
