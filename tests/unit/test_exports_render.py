"""Exports rendered from hand-written requests: each format read back and compared with the request."""

from __future__ import annotations

import json
import shlex
from io import StringIO
from typing import Any

import hcl2
import pytest
from botocore import xform_name
from hcl2 import SerializationOptions

from wizard.exports import PASSWORD_ENV_VAR, render
from wizard.exports import cloudformation as cfn
from wizard.exports import terraform as tf

CANARY = "Canary-Pw-7f3a9c"

INSTANCE: dict[str, Any] = {
    "DBInstanceIdentifier": "orders-db", "Engine": "postgres", "EngineVersion": "16.6",
    "DBInstanceClass": "db.m6g.large", "MasterUsername": "postgres", "ManageMasterUserPassword": True,
    "MasterUserSecretKmsKeyId": "alias/orders", "AllocatedStorage": 100, "MaxAllocatedStorage": 200,
    "StorageType": "gp3", "MultiAZ": True, "DBSubnetGroupName": "orders-subnets",
    "VpcSecurityGroupIds": ["sg-0123456789abcdef0", "sg-89abcdef"], "PubliclyAccessible": False, "Port": 5432,
    "BackupRetentionPeriod": 7, "PreferredBackupWindow": "03:00-03:30",
    "PreferredMaintenanceWindow": "sun:05:00-sun:05:30", "AutoMinorVersionUpgrade": True,
    "StorageEncrypted": True, "DeletionProtection": True, "CopyTagsToSnapshot": True,
    "EnablePerformanceInsights": True, "PerformanceInsightsRetentionPeriod": 7,
    "EnableCloudwatchLogsExports": ["postgresql", "upgrade"], "EnableIAMDatabaseAuthentication": False,
    "Tags": [{"Key": "Name", "Value": "orders"}, {"Key": "team", "Value": "payments"}],
}

SELF_MANAGED: dict[str, Any] = {
    k: v for k, v in INSTANCE.items() if k not in ("ManageMasterUserPassword", "MasterUserSecretKmsKeyId")
} | {"MasterUserPassword": CANARY, "Tags": [{"Key": "owner", "Value": "a, b = ${c} 'd' \"e\""}],
     "Timezone": "UTC", "ProcessorFeatures": [{"Name": "coreCount", "Value": "2"}]}

CLUSTER: dict[str, Any] = {
    "DBClusterIdentifier": "orders-cluster", "Engine": "postgres", "EngineVersion": "16.6",
    "DBClusterInstanceClass": "db.m6gd.large", "MasterUsername": "postgres",
    "ManageMasterUserPassword": True, "AllocatedStorage": 400, "StorageType": "io1", "Iops": 3000,
    "DBSubnetGroupName": "orders-subnets", "VpcSecurityGroupIds": ["sg-0123456789abcdef0"],
    "PubliclyAccessible": False,
    "Port": 5432, "DatabaseName": "orders", "BackupRetentionPeriod": 7, "AutoMinorVersionUpgrade": True,
    "DeletionProtection": True, "StorageEncrypted": True, "EnablePerformanceInsights": True,
    "PerformanceInsightsKMSKeyId": "alias/pi", "EnableIAMDatabaseAuthentication": False,
    "Tags": [{"Key": "Name", "Value": "orders"}],
}

def _preset_case(name: str, self_managed: bool = False) -> Any:
    from presets import load_preset
    from wizard.spec.request import request_operation, to_request

    spec = load_preset(name)
    if self_managed:
        spec.settings.credentials = "self-managed"
    return pytest.param(to_request(spec), request_operation(spec),
                        id=f"{name}{'-self-managed' if self_managed else ''}")


def _builtin_presets() -> list[str]:
    from presets import builtin_names

    return builtin_names()


CASES = [
    pytest.param(INSTANCE, "CreateDBInstance", id="instance"),
    pytest.param(SELF_MANAGED, "CreateDBInstance", id="instance-self-managed"),
    pytest.param(CLUSTER, "CreateDBCluster", id="cluster"),
    *(_preset_case(name) for name in _builtin_presets()),
    *(_preset_case(name, self_managed=True) for name in _builtin_presets()),
]


def parse_cli(text: str) -> tuple[list[str], dict[str, list[str]]]:
    """The command words and each `--option`'s values, as the shell would pass them."""
    # The shell drops a backslash-newline (line continuation) before splitting words; shlex does not.
    tokens = shlex.split(text.replace("\\\n", ""), comments=True)
    words: list[str] = []
    options: dict[str, list[str]] = {}
    current: str | None = None
    for token in tokens:
        if token.startswith("--"):
            current = token[2:]
            assert current not in options, f"option given twice: {token}"
            options[current] = []
        elif current is None:
            words.append(token)
        else:
            options[current].append(token)
    return words, options


def parse_tags(values: list[str]) -> list[dict[str, str]]:
    """Tags from the CLI's shorthand or JSON form."""
    if len(values) == 1 and values[0].startswith("["):
        return list(json.loads(values[0]))
    tags = []
    for value in values:
        key, val = value.split(",", 1)
        tags.append({"Key": key.removeprefix("Key="), "Value": val.removeprefix("Value=")})
    return tags


@pytest.mark.parametrize(("request_", "operation"), CASES)
def test_cli_command_parses_back_to_the_request(request_: dict[str, Any], operation: str) -> None:
    text = render(request_, operation, "cli", endpoint_url="http://127.0.0.1:4566",  # type: ignore[arg-type]
                  region="us-east-1")
    words, options = parse_cli(text)
    assert words == ["aws", "rds", "create-db-instance" if operation == "CreateDBInstance"
                     else "create-db-cluster"]
    assert options.pop("endpoint-url") == ["http://127.0.0.1:4566"]
    assert options.pop("region") == ["us-east-1"]
    for parameter, value in request_.items():
        if parameter == "MasterUserPassword":
            continue
        name = xform_name(parameter, "-")
        if isinstance(value, bool):
            assert options.pop(name if value else "no-" + name) == [], parameter
        elif parameter == "Tags":
            assert parse_tags(options.pop(name)) == value
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            assert json.loads(options.pop(name)[0]) == value, parameter
        elif isinstance(value, list):
            assert options.pop(name) == [str(v) for v in value], parameter
        else:
            assert options.pop(name) == [str(value)], parameter
    if request_.get("ManageMasterUserPassword"):
        assert options == {}
    else:
        assert options == {"master-user-password": [f"${PASSWORD_ENV_VAR}"]}
        assert f'--master-user-password "${PASSWORD_ENV_VAR}"' in text


def test_cli_uses_shorthand_tags_when_readable() -> None:
    text = render(INSTANCE, "CreateDBInstance", "cli")
    assert "--tags Key=Name,Value=orders Key=team,Value=payments" in text
    assert "--endpoint-url" not in text


def test_cli_option_names_match_the_cli_help() -> None:
    from wizard.exports.cli import option_name

    assert option_name("MultiAZ") == "--multi-az"
    assert option_name("EnableIAMDatabaseAuthentication") == "--enable-iam-database-authentication"
    assert option_name("PerformanceInsightsKMSKeyId") == "--performance-insights-kms-key-id"
    assert option_name("CACertificateIdentifier") == "--ca-certificate-identifier"


@pytest.mark.parametrize(("request_", "operation"), CASES)
@pytest.mark.parametrize("fmt", ["cli", "cloudformation", "terraform"])
def test_no_export_contains_the_password(request_: dict[str, Any], operation: str, fmt: str) -> None:
    secrets = {"MasterUserPassword": CANARY, "TdeCredentialPassword": CANARY + "-tde"}
    text = render(request_ | secrets, operation, fmt)  # type: ignore[arg-type]
    assert CANARY not in text


def _lint(template: str) -> list[Any]:
    from cfnlint.api import lint

    return [m for m in lint(template, regions=["us-east-1"]) if m.rule.id.startswith("E")]


@pytest.mark.parametrize(("request_", "operation"), CASES)
def test_cloudformation_lints_and_reads_back(request_: dict[str, Any], operation: str) -> None:
    import yaml  # cfn-lint's dependency, test-only

    text = render(request_, operation, "cloudformation")  # type: ignore[arg-type]
    assert _lint(text) == []
    doc = yaml.safe_load(text)
    (resource,) = doc["Resources"].values()
    assert resource["DeletionPolicy"] == "Snapshot"
    props = dict(resource["Properties"])
    for parameter, value in request_.items():
        if parameter == "MasterUserPassword":
            continue
        name = cfn.property_name(parameter, operation)  # type: ignore[arg-type]
        if name is None:
            assert parameter in text.splitlines()[0], f"{parameter} silently dropped"
            continue
        if operation == "CreateDBCluster" and parameter == "EnableIAMDatabaseAuthentication" and not value:
            assert name not in props  # the default, left out for cfn-lint's Multi-AZ cluster rule
            continue
        got = props.pop(name)
        if name == "MasterUserSecret":
            got = got["KmsKeyId"]
        if operation == "CreateDBInstance" and name in ("AllocatedStorage", "Port"):
            got = int(got)
        assert got == value, parameter
    if request_.get("ManageMasterUserPassword"):
        assert props == {}
        assert "Parameters" not in doc
    else:
        assert props == {"MasterUserPassword": {"Ref": "MasterUserPassword"}}
        assert doc["Parameters"]["MasterUserPassword"]["NoEcho"] is True


def test_cloudformation_names_differ_where_cloudformation_differs() -> None:
    assert cfn.property_name("VpcSecurityGroupIds", "CreateDBInstance") == "VPCSecurityGroups"
    assert cfn.property_name("VpcSecurityGroupIds", "CreateDBCluster") == "VpcSecurityGroupIds"
    assert cfn.property_name("EnablePerformanceInsights", "CreateDBCluster") == "PerformanceInsightsEnabled"
    assert cfn.property_name("EnableCustomerOwnedIp", "CreateDBInstance") is None


def test_cloudformation_yaml_quotes_what_yaml_would_misread() -> None:
    import yaml

    odd = INSTANCE | {"EngineVersion": "8.0", "DBName": "yes", "Tags": [{"Key": "on", "Value": "12:30"}]}
    doc = yaml.safe_load(render(odd, "CreateDBInstance", "cloudformation"))
    props = doc["Resources"]["Database"]["Properties"]
    assert props["EngineVersion"] == "8.0"
    assert props["DBName"] == "yes"
    assert props["Tags"] == [{"Key": "on", "Value": "12:30"}]


def load_hcl(text: str) -> dict[str, Any]:
    """HCL parsed with strings unquoted."""
    return dict(hcl2.load(StringIO(text), serialization_options=SerializationOptions(
        strip_string_quotes=True, explicit_blocks=False, with_comments=True)))


def hcl_literal(value: Any) -> Any:
    """What Terraform makes of a parsed string: `$${` and `%%{` are the escaped `${` and `%{`."""
    if isinstance(value, str):
        return value.replace("$${", "${").replace("%%{", "%{")
    if isinstance(value, list):
        return [hcl_literal(v) for v in value]
    if isinstance(value, dict):
        return {hcl_literal(k): hcl_literal(v) for k, v in value.items()}
    return value


def resource_arguments(doc: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The one resource's type and arguments."""
    (resources,) = doc["resource"]
    ((rtype, named),) = resources.items()
    ((_, args),) = named.items()
    return rtype, dict(args)


@pytest.mark.parametrize(("request_", "operation"), CASES)
def test_terraform_parses_and_matches_the_request(request_: dict[str, Any], operation: str) -> None:
    text = render(request_, operation, "terraform")  # type: ignore[arg-type]
    rtype, args = resource_arguments(load_hcl(text))
    assert rtype == ("aws_db_instance" if operation == "CreateDBInstance" else "aws_rds_cluster")
    comments = " ".join(c["value"] for c in args.pop("__comments__", []))
    for parameter, value in request_.items():
        if parameter == "MasterUserPassword":
            continue
        name = tf.argument_name(parameter, operation)  # type: ignore[arg-type]
        if name is None:
            assert parameter in comments, f"{parameter} silently dropped"
            continue
        got = hcl_literal(args.pop(name))
        if name == "tags":
            got = [{"Key": k, "Value": v} for k, v in got.items()]
        assert got == value, parameter
    assert args.pop("skip_final_snapshot") is False
    assert args.pop("final_snapshot_identifier").endswith("-final")
    if request_.get("ManageMasterUserPassword"):
        assert args == {}
    else:
        password_arg = "password" if operation == "CreateDBInstance" else "master_password"
        assert args == {password_arg: "${var.master_password}"}
        assert 'sensitive   = true' in text


def test_terraform_strings_never_interpolate() -> None:
    text = render(SELF_MANAGED, "CreateDBInstance", "terraform")
    assert "$${c}" in text


@pytest.mark.parametrize("name", _builtin_presets())
@pytest.mark.parametrize("fmt", ["cli", "cloudformation", "terraform"])
def test_export_of_a_spec_holding_a_password_never_shows_it(name: str, fmt: str) -> None:
    from pydantic import SecretStr

    from presets import load_preset
    from wizard.exports import export
    from wizard.spec.request import request_operation, to_request

    spec = load_preset(name)
    spec.settings.credentials = "self-managed"
    spec.settings.master_password = SecretStr(CANARY)
    text = export(spec, fmt, endpoint_url="http://127.0.0.1:4566", region="us-east-1")  # type: ignore[arg-type]
    assert CANARY not in text
    assert text == render(to_request(spec), request_operation(spec), fmt,  # type: ignore[arg-type]
                          endpoint_url="http://127.0.0.1:4566", region="us-east-1")


@pytest.mark.parametrize("fmt", ["cli", "cloudformation", "terraform"])
def test_plan_prints_the_export(fmt: str, capsys: pytest.CaptureFixture[str], tmp_path: Any,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    from presets import load_preset
    from wizard.cli import main
    from wizard.exports import export

    monkeypatch.setenv("RDS_WIZARD_HOME", str(tmp_path))
    assert main(["plan", "--preset", "production-postgres", "--format", fmt]) == 0
    assert capsys.readouterr().out.strip() == export(load_preset("production-postgres"), fmt).strip()  # type: ignore[arg-type]


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown export format 'pulumi'"):
        render(INSTANCE, "CreateDBInstance", "pulumi")  # type: ignore[arg-type]
