"""The request as the `aws rds create-db-instance` (or `create-db-cluster`) command that sends it.

Options are named exactly as the AWS CLI derives them from the API (botocore's `xform_name`), booleans
use the CLI's `--x` / `--no-x` pairs, and every value is quoted by `wizard.shell`, so the command runs as
printed (also in an interactive bash, where a bare or double-quoted `!` would be history expansion).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from wizard.exports import PASSWORD_ENV_VAR, Operation, needs_password
from wizard.shell import quote

_SUBCOMMANDS: dict[str, str] = {
    "CreateDBInstance": "create-db-instance",
    "CreateDBCluster": "create-db-cluster",
}

# A tag that only holds these characters can use the CLI's readable shorthand (Key=..,Value=..);
# anything else (commas, equals signs, spaces, empty values) goes as JSON, which the CLI also takes.
_SHORTHAND_SAFE = re.compile(r"^[A-Za-z0-9_.:/+@-]+$")


def option_name(parameter: str) -> str:
    """The CLI option for an API parameter: "MultiAZ" -> "--multi-az", as the AWS CLI names it."""
    from botocore import xform_name  # the CLI's own naming rule; only loaded when an export is made

    return "--" + str(xform_name(parameter, "-"))


def _tags(tags: list[Any]) -> list[str]:
    """Tag arguments: shorthand when every key and value allows it, otherwise one JSON argument."""
    if all(isinstance(t, Mapping) and _SHORTHAND_SAFE.match(str(t.get("Key", "")))
           and _SHORTHAND_SAFE.match(str(t.get("Value", ""))) for t in tags):
        return [quote(f"Key={t['Key']},Value={t['Value']}") for t in tags]
    return [quote(json.dumps(tags, separators=(",", ":")))]


def _option(parameter: str, value: Any) -> str | None:
    """One `--option value...` line fragment, or None when the value says nothing (an empty list)."""
    name = option_name(parameter)
    if isinstance(value, bool):
        return name if value else "--no-" + name[2:]
    if isinstance(value, list):
        if not value:
            return None
        if parameter == "Tags":
            return " ".join([name, *_tags(value)])
        if all(isinstance(v, str | int | float) and not isinstance(v, bool) for v in value):
            return " ".join([name, *(quote(str(v)) for v in value)])
        return f"{name} {quote(json.dumps(value, separators=(',', ':')))}"
    if isinstance(value, dict):
        return f"{name} {quote(json.dumps(value, separators=(',', ':')))}"
    return f"{name} {quote(str(value))}"


def render(request: Mapping[str, Any], operation: Operation, *, endpoint_url: str | None = None,
           region: str | None = None) -> str:
    """The shell command, one option per line, that sends this request with the AWS CLI."""
    lines = [f"aws rds {_SUBCOMMANDS[operation]}"]
    for parameter, value in request.items():
        if parameter == "MasterUserPassword":
            continue
        fragment = _option(parameter, value)
        if fragment is not None:
            lines.append(fragment)
    header = ""
    if needs_password(request):
        # Expanded by the shell when the command runs, so the password is never in the printed text.
        lines.append(f'--master-user-password "${PASSWORD_ENV_VAR}"')
        header = (f"# The master password is read from ${PASSWORD_ENV_VAR}; set it first, unechoed:\n"
                  f"#   read -rs {PASSWORD_ENV_VAR} && export {PASSWORD_ENV_VAR}\n")
    if region:
        lines.append(f"--region {quote(region)}")
    if endpoint_url:
        lines.append(f"--endpoint-url {quote(endpoint_url)}")
    return header + " \\\n    ".join(lines) + "\n"
