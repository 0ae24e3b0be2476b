"""Exports: the database a spec describes as an AWS CLI command, a CloudFormation template or Terraform.

Every export is rendered from the same CreateDBInstance (or CreateDBCluster) request the wizard would
send, so an export and a launch never disagree. No export ever contains a password: Secrets Manager
manages it, or the export reads it at run time (an environment variable, a NoEcho parameter, a
sensitive variable).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from wizard.spec.model import DatabaseSpec

ExportFormat = Literal["cli", "cloudformation", "terraform"]
Operation = Literal["CreateDBInstance", "CreateDBCluster"]

FORMATS: tuple[ExportFormat, ...] = ("cli", "cloudformation", "terraform")

# Request parameters that hold a secret: never written into any export.
SECRET_PARAMETERS = frozenset({"MasterUserPassword", "TdeCredentialPassword"})

# The environment variable a self-managed password is read from, the same one `rds-wizard launch` reads.
PASSWORD_ENV_VAR = "RDS_WIZARD_MASTER_PASSWORD"


def needs_password(request: Mapping[str, Any]) -> bool:
    """Whether the create needs a password supplied at run time (RDS does not manage it)."""
    return not request.get("ManageMasterUserPassword", False)


def render(request: Mapping[str, Any], operation: Operation, fmt: ExportFormat, *,
           endpoint_url: str | None = None, region: str | None = None) -> str:
    """Render a request (without its password) in one export format.

    `endpoint_url` and `region` only affect the CLI command, which then runs as printed against that
    endpoint (e.g. `rds-wizard demo-server`).
    """
    # No secret reaches a renderer, even if a caller built the request with one.
    clean = {k: v for k, v in request.items() if k not in SECRET_PARAMETERS}
    if fmt == "cli":
        from wizard.exports import cli

        return cli.render(clean, operation, endpoint_url=endpoint_url, region=region)
    if fmt == "cloudformation":
        from wizard.exports import cloudformation

        return cloudformation.render(clean, operation)
    if fmt == "terraform":
        from wizard.exports import terraform

        return terraform.render(clean, operation)
    raise ValueError(f"unknown export format {fmt!r}: choose one of {', '.join(FORMATS)}")


def export(spec: DatabaseSpec, fmt: ExportFormat, *, endpoint_url: str | None = None,
           region: str | None = None) -> str:
    """The spec as an AWS CLI command ("cli"), a CloudFormation template or Terraform; never a password."""
    from wizard.spec.request import request_operation, to_request

    return render(to_request(spec), request_operation(spec), fmt, endpoint_url=endpoint_url, region=region)
