"""`rds-wizard lint REQUEST.json`: check a CreateDBInstance request offline, against every RDS rule.

Reads the `aws rds create-db-instance --cli-input-json` shape, and `create-db-instance-read-replica`'s
(a request naming SourceDBInstanceIdentifier) with the same exit codes. No AWS call, no credentials, no boto3:
checks that need the account (subnet group coverage, orderable classes) belong to the wizard.
Exit 0: no rule broken (warnings may print); 1: a rule broken; 2: the file cannot be read or parsed
(it must be a regular file of at most 1 MiB, or '-' for standard input).

A request may hold a password (MasterUserPassword): it is checked, never printed. Passwords nested
elsewhere are masked before any rule sees them, and every line printed is masked again.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from wizard.escaping import shown
from wizard.exit_codes import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE
from wizard.passwords import find_passwords, mask_text, masked, password_values
from wizard.spec.problems import Problem
from wizard.textfiles import UnreadableFile, display_name, parse_json, read_text_bounded

# The parameter a warning about passwords in the request is filed under.
PASSWORDS_PARAMETER = "MasterUserPassword"


class UnreadableRequest(Exception):
    """The request file cannot be read, is not JSON, or is not a JSON object."""


def read_request(source: str) -> dict[str, Any]:
    """The request in a file ('-' for standard input) as a dict; UnreadableRequest says why not."""
    try:
        data = parse_json(read_text_bounded(source), source)
    except UnreadableFile as exc:
        raise UnreadableRequest(str(exc)) from exc
    if not isinstance(data, dict):
        raise UnreadableRequest(f"{display_name(source)} holds JSON but not an object: a CreateDBInstance "
                                'request is an object like {"DBInstanceIdentifier": "orders-db", ...}')
    return data


def _without_nested_passwords(request: dict[str, Any]) -> dict[str, Any]:
    """The request with every password but a string MasterUserPassword (which the rules check) masked."""
    from wizard.spec.request import PASSWORD_PARAMETER

    top = request.get(PASSWORD_PARAMETER)
    safe: dict[str, Any] = masked(request)
    if isinstance(top, str):
        safe[PASSWORD_PARAMETER] = top
    return safe


def lint_request(request: dict[str, Any]) -> list[Problem]:
    """Every problem with a request (CreateDBInstance, or CreateDBInstanceReadReplica when it names a
    source): errors first, then warnings."""
    from wizard.replicas.request_rules import is_read_replica_request, lint_read_replica_request
    from wizard.spec.request import from_request
    from wizard.spec.rules import validate

    if is_read_replica_request(request):
        problems = lint_read_replica_request(request)
        return [p for p in problems if p.is_error] + [p for p in problems if not p.is_error]
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
    name = display_name(source)
    if errors:
        head = f"{name}: {len(errors)} problem{'s' if len(errors) != 1 else ''} AWS would refuse"
    else:
        head = f"{name}: no rule broken"
    if warnings:
        head += f", {len(warnings)} warning{'s' if len(warnings) != 1 else ''}"
    lines = [head + "."]
    lines += [f"  error    {shown(p.parameter or '-')}: {shown(p.message)}" for p in errors]
    lines += [f"  warning  {shown(p.parameter or '-')}: {shown(p.message)}" for p in warnings]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Lint the request file named on the command line."""
    source = str(args.request)
    fmt = getattr(args, "format", "text")
    try:
        request = read_request(source)
    except UnreadableRequest as exc:
        print(f"rds-wizard lint: {shown(exc)}", file=sys.stderr)
        return EXIT_USAGE
    problems = lint_request(_without_nested_passwords(request))
    passwords = find_passwords(request)
    from wizard.replicas.request_rules import is_read_replica_request

    if passwords and is_read_replica_request(request):
        problems.append(Problem(field="settings.master_password", parameter=PASSWORDS_PARAMETER,
                                message=f"The request holds a password ({', '.join(passwords)}): a password "
                                        "in a file is a secret on disk, and a read replica takes its "
                                        "credentials from the source. Remove it.",
                                severity="warning"))
    elif passwords:
        problems.append(Problem(field="settings.master_password", parameter=PASSWORDS_PARAMETER,
                                message=f"The request holds a password ({', '.join(passwords)}): a password "
                                        "in a file is a secret on disk. Prefer ManageMasterUserPassword=true "
                                        "(Secrets Manager).",
                                severity="warning"))
    text = json.dumps(result_json(problems), indent=2) if fmt == "json" else _text(source, problems)
    emit(mask_text(text, password_values(request)))
    return EXIT_PROBLEMS if any(p.is_error for p in problems) else EXIT_OK


def emit(text: str) -> None:
    """Print to standard output and flush, so a failed write surfaces here (wizard.cli.main reports it)."""
    print(text, flush=True)
