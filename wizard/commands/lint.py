"""`rds-wizard lint REQUEST.json`: check a CreateDBInstance request offline, against every RDS rule.

Reads the `aws rds create-db-instance --cli-input-json` shape. No AWS call, no credentials, no boto3:
checks that need the account (subnet group coverage, orderable classes) belong to the wizard.
Exit 0: no rule broken (warnings may print); 1: a rule broken; 2: the file cannot be read or parsed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from wizard.spec.problems import Problem

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_UNREADABLE = 2


class UnreadableRequest(Exception):
    """The request file cannot be read, is not JSON, or is not a JSON object."""


def read_request(source: str) -> dict[str, Any]:
    """The request in a file ('-' for standard input) as a dict; UnreadableRequest says why not."""
    try:
        if source == "-":
            text = sys.stdin.read()
        else:
            with open(source, encoding="utf-8") as handle:
                text = handle.read()
    except OSError as exc:
        raise UnreadableRequest(f"cannot read {source}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise UnreadableRequest(f"cannot read {source}: it is not UTF-8 text") from exc
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        detail = f"line {exc.lineno} column {exc.colno}: {exc.msg}" \
            if isinstance(exc, json.JSONDecodeError) else "nested too deeply"
        raise UnreadableRequest(f"{source} is not valid JSON ({detail})") from exc
    if not isinstance(data, dict):
        raise UnreadableRequest(f"{source} holds JSON but not an object: a CreateDBInstance request is an "
                                'object like {"DBInstanceIdentifier": "orders-db", ...}')
    return data


def lint_request(request: dict[str, Any]) -> list[Problem]:
    """Every problem with a request: errors first, then warnings."""
    from wizard.spec.request import from_request
    from wizard.spec.rules import validate

    return validate(from_request(request))


def result_json(problems: list[Problem]) -> dict[str, Any]:
    """The --format json result: exactly valid, problems (errors) and warnings."""
    def _item(problem: Problem) -> dict[str, str]:
        return {"parameter": problem.parameter, "message": problem.message}

    errors = [_item(p) for p in problems if p.is_error]
    return {"valid": not errors, "problems": errors,
            "warnings": [_item(p) for p in problems if not p.is_error]}


def _text(source: str, problems: list[Problem]) -> str:
    errors = [p for p in problems if p.is_error]
    warnings = [p for p in problems if not p.is_error]
    name = "standard input" if source == "-" else source
    if errors:
        head = f"{name}: {len(errors)} problem{'s' if len(errors) != 1 else ''} AWS would refuse"
    else:
        head = f"{name}: no rule broken"
    if warnings:
        head += f", {len(warnings)} warning{'s' if len(warnings) != 1 else ''}"
    lines = [head + "."]
    lines += [f"  error    {p.parameter or '-'}: {p.message}" for p in errors]
    lines += [f"  warning  {p.parameter or '-'}: {p.message}" for p in warnings]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Lint the request file named on the command line."""
    source = str(args.request)
    fmt = getattr(args, "format", "text")
    try:
        request = read_request(source)
    except UnreadableRequest as exc:
        print(f"rds-wizard lint: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    problems = lint_request(request)
    emit(json.dumps(result_json(problems), indent=2) if fmt == "json" else _text(source, problems))
    return EXIT_PROBLEMS if any(p.is_error for p in problems) else EXIT_OK


def emit(text: str) -> None:
    """Print to standard output; a reader that went away (`| head`) ends the output, not in a traceback."""
    try:
        print(text, flush=True)
    except BrokenPipeError:
        # Python's recommended handling: point stdout at devnull so the exit-time flush stays quiet.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
