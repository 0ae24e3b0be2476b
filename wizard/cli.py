"""The `rds-wizard` command line: parses arguments and hands each subcommand to its own module.

Subcommand modules are imported only when chosen, so `rds-wizard lint` never pays for boto3, moto
or Textual.
"""

from __future__ import annotations

import argparse
import errno
import importlib
import os
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from wizard import __version__
from wizard.escaping import shown_lines
from wizard.exit_codes import EXIT_CANCELLED, EXIT_USAGE


def _database_identifier(text: str) -> str:
    """An existing database's identifier from the command line, checked before any AWS call sees it."""
    from wizard.spec.rules import identifier_problems

    problems = identifier_problems(text, "ID", fix="no database is named so; `rds-wizard list` shows the "
                                                   "identifiers in this region.")
    if problems:
        raise argparse.ArgumentTypeError(problems[0])
    return text


def _add_connection_options(parser: argparse.ArgumentParser) -> None:
    """Options that say which AWS to talk to: real AWS (profile, region, endpoint) or the demo."""
    group = parser.add_argument_group("where to create it")
    group.add_argument("--demo", action="store_true",
                       help="use the embedded demo AWS: no account, no network, nothing billed")
    group.add_argument("--demo-speed", type=float, default=None, metavar="N",
                       help="demo only: how many times faster than real RDS time passes (default 30)")
    group.add_argument("--profile", help="AWS profile from ~/.aws/config (default: the usual chain)")
    group.add_argument("--region",
                       help="AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, then the profile)")
    group.add_argument("--endpoint-url", metavar="URL",
                       help="send RDS calls to this endpoint (LocalStack, `rds-wizard demo-server`, ...)")


def _add_preset_option(parser: argparse.ArgumentParser, required: bool) -> None:
    """The --preset option: a built-in preset's name or a path to a preset file."""
    parser.add_argument("--preset", required=required, metavar="NAME|FILE",
                        help="a built-in or saved preset (see `rds-wizard presets`), or a preset file: "
                             "a regular file, or '-' for standard input")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for `rds-wizard` and every subcommand."""
    parser = argparse.ArgumentParser(
        prog="rds-wizard",
        description="A guided wizard from nothing to a running Multi-AZ Amazon RDS database. "
                    "With no subcommand it starts the interactive wizard.",
    )
    parser.add_argument("--version", action="version", version=f"rds-wizard {__version__}")
    _add_connection_options(parser)
    _add_preset_option(parser, required=False)
    parser.add_argument("--plain", action="store_true",
                        help="line-by-line prompts instead of the full-screen wizard (automatic when "
                             "TERM=dumb or there is no terminal)")
    parser.add_argument("--databases", action="store_true",
                        help="open on the Databases screen: every DB instance and Multi-AZ DB cluster, to "
                             "make Multi-AZ, reboot or delete (F3 from the wizard)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    lint = sub.add_parser("lint", help="check a CreateDBInstance request (--cli-input-json shape) offline",
                          description="Check a CreateDBInstance request in the `aws rds create-db-instance "
                                      "--cli-input-json` shape against every RDS rule, offline. Exit 0: no "
                                      "rule broken; 1: a rule broken; 2: the file cannot be read.")
    lint.add_argument("request", metavar="REQUEST.json",
                      help="the request: a regular file of at most 1 MiB, or '-' for standard input")
    lint.add_argument("--format", choices=["text", "json"], default="text")

    plan = sub.add_parser("plan", help="validate a preset and print the request or an export",
                          description="Validate a preset, then print the CreateDBInstance (or "
                                      "CreateDBCluster) request, the equivalent AWS CLI command, or an "
                                      "infrastructure export. "
                                      "A password never appears. A preset file must be a regular file "
                                      "of at most 1 MiB ('-' reads it from standard input).")
    _add_preset_option(plan, required=True)
    plan.add_argument("--format", choices=["json", "cli", "cloudformation", "terraform"], default="json")
    plan.add_argument("--region", help="--format cli: add --region to the command")
    plan.add_argument("--endpoint-url", metavar="URL", help="--format cli: add --endpoint-url to the command")

    sub.add_parser("presets", help="list the built-in presets")

    launch = sub.add_parser("launch", help="create the database from a preset, without the wizard",
                            description="Create the database a preset describes and follow it until it is "
                                        "available, printing one line per status change and event. A "
                                        "self-managed password comes from RDS_WIZARD_MASTER_PASSWORD.")
    _add_preset_option(launch, required=True)
    launch.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    launch.add_argument("--failover-test", action="store_true",
                        help="once available, run the guided failover test and report the outage")
    launch.add_argument("--drill", choices=("forced", "host-failure", "az-outage"), default="forced",
                        help="with --failover-test: which drill (see `failover-test --help`)")
    launch.add_argument("--identifier", help="override the preset's DB instance identifier")
    _add_connection_options(launch)

    watch = sub.add_parser("watch", help="follow an instance's (or Multi-AZ cluster's) provisioning progress",
                           description="Follow a DB instance or Multi-AZ DB cluster until it is available. "
                                       "A network drop is ridden out for up to 60 s (said every 20 s); after "
                                       "a longer one, run the same command again to resume.")
    watch.add_argument("identifier", metavar="ID", type=_database_identifier)
    watch.add_argument("--tui", action="store_true",
                       help="follow it full-screen: stage line, events, AZ diagram, then the failover test")
    _add_connection_options(watch)

    failover = sub.add_parser("failover-test", help="force a Multi-AZ failover and measure the real downtime")
    failover.add_argument("identifier", metavar="ID", type=_database_identifier)
    failover.add_argument("--yes", action="store_true",
                          help=_YES_HELP)
    failover.add_argument("--drill", choices=("forced", "host-failure", "az-outage"), default="forced",
                          help="forced: reboot with failover (default; the only one on real AWS); "
                               "host-failure / az-outage (demo only): the primary's host dies or its AZ "
                               "goes dark, and RDS must notice and fail over by itself")
    _add_connection_options(failover)

    _add_day2_parsers(sub)

    server = sub.add_parser("demo-server", help="serve the embedded demo AWS on a loopback port",
                            description="Serve the demo AWS on 127.0.0.1 so the AWS CLI, boto3 scripts or "
                                        "another `rds-wizard --endpoint-url` can watch and drive the same "
                                        "instances. Ctrl+C stops it. The port listens on loopback only and "
                                        "serves signed calls to the AWS APIs the demo implements (RDS, EC2, "
                                        "Secrets Manager, STS, CloudWatch) and its info path "
                                        "/rds-wizard-demo/, nothing else (404), with no CORS headers; it "
                                        "answers once seeded and "
                                        "records nothing to disk.")
    server.add_argument("--port", type=int, default=4566)
    server.add_argument("--demo-speed", type=float, default=None, metavar="N")

    serve = sub.add_parser("serve", help="serve the wizard to browser tabs, all sharing one demo AWS",
                           description="Serve the full-screen wizard over HTTP (textual-serve): each browser "
                                       "tab runs its own wizard, every tab on the same embedded demo AWS, so "
                                       "a class sees the same instances. Demo only. Listens on 127.0.0.1 "
                                       "unless --host says otherwise; the demo has no authentication.")
    serve.add_argument("--demo", action="store_true", help="required: serve the embedded demo AWS")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default 127.0.0.1, this machine only)")
    serve.add_argument("--demo-speed", type=float, default=None, metavar="N",
                       help="how many times faster than real RDS time passes (default 30)")
    return parser


_YES_HELP = "the identifier on the command line is the confirmation"


def _add_day2_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`list`, `modify`, `reboot` and `delete`: what a user does with databases that already exist."""
    listing = sub.add_parser("list", help="every DB instance and Multi-AZ DB cluster in the region")
    listing.add_argument("--format", choices=["text", "json"], default="text")
    _add_connection_options(listing)

    modify = sub.add_parser("modify", help="convert a DB instance to Multi-AZ or back to Single-AZ",
                            description="Convert a DB instance between Single-AZ and Multi-AZ, checked first "
                                        "and followed to the end. Without --apply-immediately RDS waits for "
                                        "the maintenance window (a pending modification).")
    modify.add_argument("identifier", metavar="ID", type=_database_identifier)
    direction = modify.add_mutually_exclusive_group(required=True)
    direction.add_argument("--multi-az", action="store_true", help="add a standby in another AZ")
    direction.add_argument("--single-az", action="store_true", help="remove the standby")
    modify.add_argument("--apply-immediately", action="store_true",
                        help="convert now instead of in the next maintenance window")
    modify.add_argument("--yes", action="store_true", help=_YES_HELP)
    _add_connection_options(modify)

    reboot = sub.add_parser("reboot", help="reboot a DB instance, optionally failing over to its standby")
    reboot.add_argument("identifier", metavar="ID", type=_database_identifier)
    reboot.add_argument("--failover", action="store_true", help="promote the standby (Multi-AZ only)")
    reboot.add_argument("--yes", action="store_true", help=_YES_HELP)
    _add_connection_options(reboot)

    delete = sub.add_parser("delete",
                            help="delete a DB instance or Multi-AZ DB cluster (final snapshot first)",
                            description="Delete a DB instance or Multi-AZ DB cluster and follow it until it "
                                        "is gone and its final snapshot is available. Skipping the final "
                                        "snapshot must be chosen explicitly.")
    delete.add_argument("identifier", metavar="ID", type=_database_identifier)
    snapshot = delete.add_mutually_exclusive_group(required=True)
    snapshot.add_argument("--final-snapshot", metavar="NAME", help="name of the final snapshot to take first")
    snapshot.add_argument("--skip-final-snapshot", action="store_true",
                          help="no final snapshot: the data is lost for good")
    delete.add_argument("--keep-automated-backups", action="store_true",
                        help="keep automated backups until their retention ends (default: delete them)")
    delete.add_argument("--disable-deletion-protection", action="store_true",
                        help="turn deletion protection off first (confirmed as its own change)")
    delete.add_argument("--yes", action="store_true", help=_YES_HELP)
    _add_connection_options(delete)
    _add_replica_parsers(sub)


def _add_replica_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`replica create|promote|lag|drill`: read replicas (wizard/commands/replica.py)."""
    replica = sub.add_parser("replica", help="create, promote, watch the lag of, or drill a read replica")
    actions = replica.add_subparsers(dest="replica_action", metavar="ACTION", required=True)
    create = actions.add_parser("create", help="create a read replica of SOURCE, every rule checked first")
    create.add_argument("source", metavar="SOURCE", type=_database_identifier)
    create.add_argument("--identifier", type=_database_identifier, help="the replica's name "
                        "(default SOURCE-replica)")
    create.add_argument("--class", dest="klass", metavar="CLASS",
                        help="instance class (default: the source's)")
    create.add_argument("--availability-zone", metavar="AZ")
    create.add_argument("--multi-az", action="store_true", help="give the replica its own standby")
    create.add_argument("--self-managed-password", action="store_true",
                        help="if the source's password is in Secrets Manager, switch it to one you type "
                             "first (confirmed; prompted, or RDS_WIZARD_MASTER_PASSWORD)")
    create.add_argument("--yes", action="store_true", help=_YES_HELP)
    _add_connection_options(create)
    promote = actions.add_parser("promote", help="make a read replica a standalone, writable DB instance")
    promote.add_argument("identifier", metavar="ID", type=_database_identifier)
    promote.add_argument("--database", help="database for the RPO probe (with RDS_WIZARD_MASTER_PASSWORD)")
    promote.add_argument("--yes", action="store_true", help=_YES_HELP)
    _add_connection_options(promote)
    lag = actions.add_parser("lag", help="the replica's lag from CloudWatch ReplicaLag")
    lag.add_argument("identifier", metavar="ID", type=_database_identifier)
    lag.add_argument("--samples", type=int, default=1, help="how many readings (default 1)")
    lag.add_argument("--interval", type=float, default=60.0, help="seconds between readings (default 60)")
    _add_connection_options(lag)
    drill = actions.add_parser("drill", help="heartbeats on the source, read on the replica: lag as a client "
                                             "sees it (password: prompt or RDS_WIZARD_MASTER_PASSWORD)")
    drill.add_argument("identifier", metavar="REPLICA", type=_database_identifier)
    drill.add_argument("--seconds", type=float, default=20.0)
    drill.add_argument("--database", help="database to write heartbeats in (default: the source's DBName)")
    _add_connection_options(drill)


# Each subcommand lives in wizard/commands/<module>.py and exposes `run(args) -> int`.
_COMMAND_MODULES = {
    None: "wizard.commands.interactive",
    "lint": "wizard.commands.lint",
    "plan": "wizard.commands.plan",
    "presets": "wizard.commands.presets",
    "launch": "wizard.commands.launch",
    "watch": "wizard.commands.watch",
    "failover-test": "wizard.commands.failover_test",
    "demo-server": "wizard.commands.demo_server",
    "serve": "wizard.commands.serve",
    "list": "wizard.commands.list_cmd",
    "modify": "wizard.commands.modify",
    "reboot": "wizard.commands.reboot",
    "delete": "wizard.commands.delete",
    "replica": "wizard.commands.replica",
}


class _WatchedOutput:
    """Standard output (or error) of a line-printing command, made safe once for every print in it.

    Each write is escaped line by line (`wizard.escaping.shown_lines`): an identifier, an AWS event or
    an error text quoted anywhere cannot drive the terminal, even where the message was built without
    escaping. And it remembers its own write failure, so `main` can tell a closed pipe or a full disk
    on the output from any other OSError (a network error, a report that could not be saved).
    """

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.failure: OSError | None = None

    def write(self, text: str) -> int:
        try:
            self.stream.write(shown_lines(text))
            return len(text)
        except OSError as exc:
            self.failure = exc
            raise

    def flush(self) -> None:
        try:
            self.stream.flush()
        except OSError as exc:
            self.failure = exc
            raise

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def _full_screen(args: argparse.Namespace) -> bool:
    # Textual and questionary own the terminal there; they get the real stream, untouched.
    return args.command is None or bool(getattr(args, "tui", False))


def main(argv: Sequence[str] | None = None) -> int:
    """Run `rds-wizard` with these arguments and return the exit code.

    Output that cannot be written (a reader that closed the pipe, a full disk) ends the command with a
    sentence on standard error and exit 2, for every command and for --help.
    """
    real_stdout, real_stderr = sys.stdout, sys.stderr
    watched = _WatchedOutput(real_stdout) if real_stdout is not None else None
    sys.stdout = watched or real_stdout
    sys.stderr = _WatchedOutput(real_stderr) if real_stderr is not None else real_stderr
    try:
        return _run(argv, watched, real_stdout, real_stderr)
    except KeyboardInterrupt:
        print("\nCancelled. Nothing more was sent to AWS.", file=sys.stderr)
        return EXIT_CANCELLED
    except OSError as exc:
        failure = watched.failure if watched is not None and watched.failure is not None else \
            exc if isinstance(exc, BrokenPipeError) else None
        if failure is None:
            raise
        # Point stdout at devnull so what is still buffered does not fail again at exit (Python's
        # recommended handling of a broken pipe).
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, real_stdout.fileno())
        os.close(devnull)
        print(f"rds-wizard: the output could not be written ({_why(failure)}); it is incomplete.",
              file=sys.stderr)
        return EXIT_USAGE
    finally:
        sys.stdout, sys.stderr = real_stdout, real_stderr


def _run(argv: Sequence[str] | None, watched: _WatchedOutput | None, real_stdout: TextIO,
         real_stderr: TextIO) -> int:
    try:
        args = build_parser().parse_args(argv)
    except SystemExit:
        # --help and --version: argparse ignores a failed write; it is reported like any other.
        sys.stdout.flush()
        if watched is not None and watched.failure is not None:
            raise watched.failure from None
        raise
    module = importlib.import_module(_COMMAND_MODULES[args.command])
    if _full_screen(args):
        sys.stdout, sys.stderr = real_stdout, real_stderr
        return int(module.run(args))
    code = int(module.run(args))
    sys.stdout.flush()
    return code


def _why(exc: OSError) -> str:
    if exc.errno == errno.EPIPE:
        return "the reader closed the pipe"
    if exc.errno == errno.ENOSPC:
        return "no space left on the device"
    return exc.strerror or type(exc).__name__
