"""The `rds-wizard` command line: parses arguments and hands each subcommand to its own module.

Subcommand modules are imported only when chosen, so `rds-wizard lint` never pays for boto3, moto
or Textual.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from wizard import __version__

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2
EXIT_CANCELLED = 130


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
                        help="a built-in preset (see `rds-wizard presets`) or a preset file")


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
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    lint = sub.add_parser("lint", help="check a CreateDBInstance request (--cli-input-json shape) offline",
                          description="Check a CreateDBInstance request in the `aws rds create-db-instance "
                                      "--cli-input-json` shape against every RDS rule, offline. Exit 0: no "
                                      "rule broken; 1: a rule broken; 2: the file cannot be read.")
    lint.add_argument("request", metavar="REQUEST.json", help="the request file ('-' for standard input)")
    lint.add_argument("--format", choices=["text", "json"], default="text")

    plan = sub.add_parser("plan", help="validate a preset and print the request or an export",
                          description="Validate a preset, then print the CreateDBInstance (or "
                                      "CreateDBCluster) request, the equivalent AWS CLI command, or an "
                                      "infrastructure export. "
                                      "A password never appears.")
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
    launch.add_argument("--identifier", help="override the preset's DB instance identifier")
    _add_connection_options(launch)

    watch = sub.add_parser("watch", help="follow an instance's (or Multi-AZ cluster's) provisioning progress",
                           description="Follow a DB instance or Multi-AZ DB cluster until it is available. "
                                       "A network drop is ridden out for up to 60 s (said every 20 s); after "
                                       "a longer one, run the same command again to resume.")
    watch.add_argument("identifier", metavar="ID")
    watch.add_argument("--tui", action="store_true",
                       help="follow it full-screen: stage line, events, AZ diagram, then the failover test")
    _add_connection_options(watch)

    failover = sub.add_parser("failover-test", help="force a Multi-AZ failover and measure the real downtime")
    failover.add_argument("identifier", metavar="ID")
    failover.add_argument("--yes", action="store_true",
                          help="the identifier on the command line is the confirmation")
    _add_connection_options(failover)

    server = sub.add_parser("demo-server", help="serve the embedded demo AWS on a loopback port",
                            description="Serve the demo AWS on 127.0.0.1 so the AWS CLI, boto3 scripts or "
                                        "another `rds-wizard --endpoint-url` can watch and drive the same "
                                        "instances. Ctrl+C stops it.")
    server.add_argument("--port", type=int, default=4566)
    server.add_argument("--demo-speed", type=float, default=None, metavar="N")
    return parser


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
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run `rds-wizard` with these arguments and return the exit code."""
    args = build_parser().parse_args(argv)
    module = importlib.import_module(_COMMAND_MODULES[args.command])
    try:
        return int(module.run(args))
    except KeyboardInterrupt:
        print("\nCancelled. Nothing more was sent to AWS.", file=sys.stderr)
        return EXIT_CANCELLED
