"""`rds-wizard list [--format text|json]`: every DB instance and Multi-AZ DB cluster in the region."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys

from wizard.commands import _live
from wizard.commands.day2_support import clean
from wizard.exit_codes import EXIT_OK, EXIT_PROBLEMS


def run(args: argparse.Namespace) -> int:
    """Print the databases as a table (text) or a JSON list of objects."""
    from wizard.aws.errors import explain
    from wizard.day2.inventory import list_databases

    with contextlib.redirect_stdout(sys.stderr if args.format == "json" else sys.stdout):
        gateway = _live.open_gateway(args)  # its "Starting the demo" line must not spoil the JSON
    if gateway is None:
        return EXIT_PROBLEMS
    try:
        try:
            rows = list_databases(gateway)
        except Exception as exc:
            print(f"rds-wizard: {explain(exc).render()}", file=sys.stderr)
            return EXIT_PROBLEMS
        if args.format == "json":
            print(json.dumps([row.to_json() for row in rows], indent=2, default=str))
            return EXIT_OK
        _live.say(f"Target: {_live.describe_identity(gateway)}")
        if not rows:
            _live.say("No DB instances or Multi-AZ DB clusters in this region.")
            return EXIT_OK
        header = ("IDENTIFIER", "ENGINE", "CLASS", "STATUS", "DEPLOYMENT", "AZS", "ROLE", "PENDING")
        table = [header] + [
            (clean(r.identifier), clean(f"{r.engine} {r.engine_version}"), clean(r.instance_class),
             clean(r.status), r.deployment, clean(r.placement), clean(r.role),
             clean(", ".join(r.pending)) or "-")
            for r in rows]
        widths = [max(len(line[i]) for line in table) for i in range(len(header))]
        for line in table:
            _live.say("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip())
        return EXIT_OK
    finally:
        gateway.close()
