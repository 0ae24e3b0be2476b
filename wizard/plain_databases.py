"""`rds-wizard --databases --plain`: the Databases screen's actions as line prompts.

The same state (wizard.day2.screen_state), plans, messages and confirmations as the screen: pick a
database, pick an action (unavailable ones say why), read what will happen, type the identifier.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from wizard.exit_codes import EXIT_CANCELLED, EXIT_OK, EXIT_PROBLEMS
from wizard.plain import Option, Prompter, make_prompter

QUIT = "Quit"


def run_plain_databases(args: argparse.Namespace, prompter: Prompter | None = None,
                        say: Callable[[str], None] | None = None, gateway: Any = None) -> int:
    """The Databases menu until Quit; the exit code (130 when cancelled)."""
    from wizard.aws import ConnectionOptions, explain, open_gateway
    from wizard.day2.inventory import printable

    write: Callable[[str], None] = say or (lambda line: print(line, flush=True))

    def out(line: str) -> None:
        write(printable(line))

    prompter = prompter or make_prompter()
    owned = gateway is None
    try:
        if gateway is None:
            out("Starting the demo AWS ..." if args.demo else "Connecting to AWS ...")
            gateway = open_gateway(ConnectionOptions.from_args(args))
        out(f"Connected: {gateway.identity().summary()}")
    except Exception as exc:
        out(f"✗ {explain(exc).render()}")
        return EXIT_PROBLEMS
    try:
        return _menu(gateway, prompter, out)
    except (KeyboardInterrupt, EOFError):
        out("Cancelled. A change already sent carries on in AWS.")
        return EXIT_CANCELLED
    finally:
        if owned:
            gateway.close()


def _menu(gateway: Any, prompter: Prompter, out: Callable[[str], None]) -> int:
    from wizard.day2.inventory import list_databases, printable
    from wizard.day2.screen_state import DatabasesState

    state = DatabasesState()
    while True:
        state.set_rows(list_databases(gateway))
        out(f"Databases: {len(state.rows)} in this region.")
        options = [Option(printable(f"{r.identifier}  {r.deployment}  {r.status}  {r.placement}"),
                          printable(f"{r.engine} {r.engine_version}, {r.instance_class}, {r.role}"))
                   for r in state.rows]
        options.append(Option(QUIT))
        picked = prompter.select("Which database?", options, 0)
        if picked >= len(state.rows):
            return EXIT_OK
        state.selected = state.rows[picked].identifier
        choices = [a for a in state.actions() if a.name not in ("watch", "create", "failover")]
        action_options = [Option(c.label, disabled_reason=c.unavailable or None) for c in choices]
        action_options.append(Option("Back"))
        chosen = prompter.select(f"What to do with {state.selected}?", action_options, len(choices))
        if chosen >= len(choices):
            continue
        _act(gateway, prompter, out, state, choices[chosen].name)


def _act(gateway: Any, prompter: Prompter, out: Callable[[str], None], state: Any, name: str) -> None:
    from wizard.day2 import delete, modify, reboot

    row = state.row
    if name == "availability":
        plan = modify.plan_availability(gateway, row.identifier, not row.multi_az, apply_immediately=True)
    elif name == "reboot":
        plan = reboot.plan_reboot(gateway, row.identifier, failover=row.multi_az)
    elif name in ("replica", "replica-view"):
        plan = _replica_plan(gateway, prompter, out, row, name)
        if plan is None:
            return
    else:
        proposed = delete.proposed_snapshot_name(row.identifier)
        skip = prompter.confirm("Skip the final snapshot (the data is lost for good)?", False)
        snapshot = None if skip else prompter.text("Final snapshot name", proposed).strip()
        backups = prompter.confirm("Delete automated backups too?", True)
        plan = delete.plan_delete(gateway, row.identifier, final_snapshot=snapshot,
                                  delete_automated_backups=backups)
        if any(p.command and "deletion-protection" in p.command for p in plan.problems):
            _refused(out, plan)
            unprotect = delete.plan_disable_deletion_protection(gateway, row.identifier)
            if prompter.confirm("Turn deletion protection off now (its own change)?", False) and \
                    _confirmed(prompter, out, unprotect):
                _run(gateway, out, unprotect)
                plan = delete.plan_delete(gateway, row.identifier, final_snapshot=snapshot,
                                          delete_automated_backups=backups)
            else:
                return
    if not plan.can_run:
        _refused(out, plan)
        return
    if _confirmed(prompter, out, plan):
        _run(gateway, out, plan)


def _replica_plan(gateway: Any, prompter: Prompter, out: Callable[[str], None], row: Any, name: str) -> Any:
    """Create a replica of the row, or (on a replica) show its lag and the table, then offer promotion."""
    from wizard.replicas.create import plan_create_replica
    from wizard.replicas.lag import read_lag
    from wizard.replicas.promote import plan_promote
    from wizard.teaching import standby_vs_replica_lines

    if name == "replica":
        return plan_create_replica(gateway, row.identifier)
    out(read_lag(gateway, row.identifier).render())
    for line in standby_vs_replica_lines():
        out(line)
    if not prompter.confirm(f"Promote {row.identifier} (replication stops for good)?", False):
        return None
    return plan_promote(gateway, row.identifier)


def _refused(out: Callable[[str], None], plan: Any) -> None:
    for problem in plan.problems:
        out(f"✗ {problem.render()}")
    out("Nothing was changed.")


def _confirmed(prompter: Prompter, out: Callable[[str], None], plan: Any) -> bool:
    for line in plan.what_will_happen:
        out(f"  - {line}")
    typed = prompter.text(f"Type the identifier ({plan.identifier}) to confirm", "")
    if typed.strip().lower() != plan.identifier.lower():
        out("The identifier does not match; nothing was sent to AWS.")
        return False
    return True


def _run(gateway: Any, out: Callable[[str], None], plan: Any) -> None:
    from wizard.day2.common import ActionFailed, send
    from wizard.day2.follow import follow_change, follow_delete
    from wizard.day2.writes import WriteWatch, credentials_for

    watch = None
    if plan.action == "modify":
        from wizard.aws.failover import find_target

        creds, _ = credentials_for(gateway, plan.identifier, None)
        target = find_target(gateway, plan.identifier)
        watch = WriteWatch(gateway, target.endpoint, target.port, target.engine, creds)
        out("Application probe: committing a row every 50 ms." if watch.start() else
            f"Writes are not measured: {watch.note}.")
    sent_at = datetime.now(UTC) - timedelta(seconds=1)
    try:
        send(gateway, plan)
    except ActionFailed as failed:
        if watch is not None:
            watch.stop(read_back_seconds=5)
        out(f"✗ {failed.render()}")
        return
    out(f"Sent: {plan.cli}")
    if plan.action == "delete":
        outcome = follow_delete(gateway, plan, lambda u: out(f"  {u.message}"), events_since=sent_at)
        out(f"{plan.identifier} is deleted." if outcome.gone else f"{plan.identifier} is not gone yet.")
    elif plan.action in ("modify", "reboot", "create-replica", "promote"):
        def show(progress: Any) -> None:
            for update in progress.updates:
                out(f"  {update.message}")

        from wizard.replicas.promote import is_promoted

        done = (lambda _p: is_promoted(gateway, plan.identifier)) if plan.action == "promote" else None
        progress = follow_change(gateway, plan, show, events_since=sent_at, done=done)
        if watch is not None:
            for line in watch.stop().lines():
                out(line)
        if plan.action == "modify" and plan.params.get("MultiAZ") and progress.outcome == "available":
            out(f"Next: prove it with `rds-wizard failover-test {plan.identifier}`.")
