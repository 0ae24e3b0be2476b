"""`rds-wizard launch --preset NAME|FILE [--yes] [--failover-test]`: create, follow, optionally fail over.

Prints one timestamped line per status change and event. Exit 0 when the database is available (and the
failover test passed), 1 with the reason otherwise, 2 for unusable input, 130 when cancelled.
A self-managed password comes from RDS_WIZARD_MASTER_PASSWORD (or a hidden prompt on a terminal).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import Any

from wizard.commands import _live
from wizard.exit_codes import EXIT_CANCELLED, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE


def _load(args: argparse.Namespace) -> Any:
    """The preset's spec with --identifier applied, or None after saying why not."""
    from presets import load_preset

    try:
        spec = load_preset(args.preset)
    except Exception as exc:  # PresetError and unreadable files alike: a usage problem, said plainly
        print(f"rds-wizard: cannot use preset {args.preset!r}: {exc}", file=sys.stderr)
        return None
    if args.identifier:
        from wizard.spec.fields import set_value

        problem = set_value(spec, "settings.identifier", args.identifier)
        if problem is not None:
            print(f"rds-wizard: --identifier: {problem.message}", file=sys.stderr)
            return None
    return spec


def _ask_password(spec: Any) -> bool:
    """The self-managed password from the environment, or asked for (hidden) on a terminal; False if none."""
    from pydantic import SecretStr

    from wizard.launch import PASSWORD_ENV

    if spec.settings.credentials != "self-managed":
        return True
    from_env = os.environ.get(PASSWORD_ENV, "")
    if from_env:
        # In memory only, so the rules check it; the spec is never saved from here.
        spec.settings.master_password = SecretStr(from_env)
        return True
    if not sys.stdin.isatty():
        print(f"rds-wizard: the preset uses a self-managed master password: set {PASSWORD_ENV} (never a "
              "flag or a file), or choose credentials = \"secrets-manager\" or \"auto-generated\".",
              file=sys.stderr)
        return False
    typed = getpass.getpass("Master password (not shown, not stored): ")
    if not typed:
        return False
    spec.settings.master_password = SecretStr(typed)
    return True


def run(args: argparse.Namespace) -> int:
    """Validate the preset, confirm, create, follow until available, then the optional failover test."""
    from wizard.spec.rules import validate

    spec = _load(args)
    if spec is None:
        return EXIT_USAGE
    identifier = spec.settings.identifier
    if not args.yes and not sys.stdin.isatty():
        print("rds-wizard: refusing to create a database without confirmation: standard input is not a "
              "terminal. Pass --yes to confirm.", file=sys.stderr)
        return EXIT_USAGE
    if not _ask_password(spec):
        return EXIT_USAGE
    errors = [p for p in validate(spec) if p.is_error]
    if errors:
        print(f"rds-wizard: the preset has {len(errors)} problem(s); nothing was sent to AWS:",
              file=sys.stderr)
        for problem in errors:
            print(f"  - {problem.field}: {problem.message}", file=sys.stderr)
        return EXIT_PROBLEMS
    gateway = _live.open_gateway(args)
    if gateway is None:
        return EXIT_PROBLEMS
    try:
        drill = getattr(args, "drill", "forced")
        if args.failover_test and drill != "forced":
            from wizard.aws.drills import demo_only_sentence, offered

            if drill not in offered(gateway):  # refused before anything is created
                print(f"rds-wizard: {demo_only_sentence(drill)}", file=sys.stderr)
                return EXIT_USAGE
        return _launch_and_follow(args, spec, gateway)
    except KeyboardInterrupt:
        _live.say()
        _live.say(_live.reattach_hint(gateway, identifier))
        return EXIT_CANCELLED
    finally:
        gateway.close()


def _launch_and_follow(args: argparse.Namespace, spec: Any, gateway: Any) -> int:
    from wizard.launch import LaunchError, launch

    identifier = spec.settings.identifier
    kind = "Multi-AZ DB cluster" if spec.is_cluster else "DB instance"
    _live.say(f"Target: {_live.describe_identity(gateway)}")
    shown = tuple(_live.say_notices(gateway))
    _live.say(f"Creating {kind} {identifier}: {spec.engine.engine}, {spec.instance.instance_class}, "
              f"{spec.availability.deployment}.")
    refused = _live.confirm_identifier(identifier, "create it", args.yes)
    if refused is not None:
        return refused
    _live.say(_live.reattach_hint(gateway, identifier))
    try:
        result = launch(spec, gateway, non_interactive=True, on_wait=_live.say_waiting)
    except LaunchError as exc:
        print(f"rds-wizard: {exc.render()}", file=sys.stderr)
        return EXIT_PROBLEMS
    _live.emit(f"{'create':<9} {result.operation} sent for {identifier}"
               + (" (AWS already had it from our own retried request)" if result.adopted_own_retry else ""))
    if result.password_generated and result.password is not None:
        _live.say("Generated master password (shown once, stored nowhere): "
                  + result.password.get_secret_value())
    progress = _live.follow_printing(result.follower(gateway))
    if progress.outcome != "available":
        _live.say_not_available(progress, identifier, "did not become available")
        return EXIT_PROBLEMS
    from wizard.aws.provisioning import connection_summary

    summary = connection_summary(progress, gateway, password_shown_once=result.password_generated,
                                 username=result.master_username, database=result.database_name)
    _live.say()
    for line in summary.lines():
        _live.say(line)
    if progress.warnings:
        for notice in progress.warnings:
            _live.say(f"Warning: {notice.title} What to do: {notice.next_step}")
    _live.say_notices(gateway, already=shown)
    if not args.failover_test:
        return EXIT_OK
    credentials = None
    if result.password is not None:
        from wizard.aws.probes import DbCredentials

        credentials = DbCredentials(result.master_username, result.password, result.database_name,
                                    source="this launch")
    return _live.run_failover(gateway, identifier, yes=args.yes, credentials=credentials,
                              drill=getattr(args, "drill", "forced"))
