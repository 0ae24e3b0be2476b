"""`rds-wizard plan --preset NAME|FILE`: validate a preset and print its request or an export.

The request is printed as JSON in the `--cli-input-json` shape (no password, ever); the other formats
come from `wizard.exports`. Problems go to standard error so standard output stays usable as is.
"""

from __future__ import annotations

import argparse
import json
import sys

from wizard.escaping import shown, shown_lines
from wizard.exit_codes import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE


def run(args: argparse.Namespace) -> int:
    """Validate the preset; print its request or export; exit 1 when a rule is broken."""
    from presets import PresetError, load_preset
    from wizard.commands.lint import emit
    from wizard.spec.request import request_operation, to_request
    from wizard.spec.rules import validate

    try:
        spec = load_preset(args.preset)
    except PresetError as exc:
        print(f"rds-wizard plan: {shown(exc)}", file=sys.stderr)
        return EXIT_USAGE
    # A self-managed password is given at launch (RDS_WIZARD_MASTER_PASSWORD), never in a preset.
    problems = validate(spec, check_password=False)
    errors = [p for p in problems if p.is_error]
    for problem in problems:
        kind = "error" if problem.is_error else "warning"
        print(f"{kind}: {shown(problem.parameter or problem.field)}: {shown(problem.message)}",
              file=sys.stderr)
    if errors:
        print(f"rds-wizard plan: {len(errors)} problem(s) to fix in the preset before AWS would accept it.",
              file=sys.stderr)
        return EXIT_PROBLEMS
    fmt = getattr(args, "format", "json")
    if fmt == "json":
        operation = request_operation(spec)
        command = "create-db-cluster" if operation == "CreateDBCluster" else "create-db-instance"
        print(f"# A {operation} request. Save it as request.json and run: "
              f"aws rds {command} --cli-input-json file://request.json", file=sys.stderr)
        emit(json.dumps(to_request(spec), indent=2))
        return EXIT_OK
    from wizard.exports import FORMATS, export

    for export_format in FORMATS:
        if export_format == fmt:
            if export_format == "cli":
                text = export(spec, export_format, endpoint_url=getattr(args, "endpoint_url", None) or None,
                              region=getattr(args, "region", None) or None)
            else:
                text = export(spec, export_format)
            # JSON escapes itself; these formats would carry a control character in a value to the
            # terminal as is. No such value is valid for RDS, so spelling it out loses nothing.
            emit(shown_lines(text))
            return EXIT_OK
    print(f"rds-wizard plan: unknown format {shown(repr(fmt))}: choose json or one of {', '.join(FORMATS)}.",
          file=sys.stderr)
    return EXIT_USAGE
