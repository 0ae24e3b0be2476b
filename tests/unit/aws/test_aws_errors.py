"""Every AWS failure becomes what to do next: errors raised by real clients through botocore's Stubber."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest
from botocore import exceptions as bx
from botocore.stub import Stubber

from wizard.aws import ConnectionOptions, UserError, explain, open_gateway
from wizard.aws.errors import field_for_message, iam_action


def _raised(code: str, message: str, method: str = "create_db_instance", service: str = "rds",
            status: int = 400, **params: Any) -> BaseException:
    """The exception a real client raises for this error response."""
    gateway = open_gateway(ConnectionOptions())
    client = gateway.client(service)
    with Stubber(client) as stub:
        stub.add_client_error(method, service_error_code=code, service_message=message,
                              http_status_code=status)
        with pytest.raises(bx.ClientError) as raised:
            getattr(client, method)(**params)
    return raised.value


CREATE = {"DBInstanceIdentifier": "orders-db", "DBInstanceClass": "db.m6g.large", "Engine": "postgres"}


def test_access_denied_names_the_iam_action(fake_keys: Path) -> None:
    error = explain(_raised("AccessDenied", "User: arn:aws:iam::1:user/me is not authorized to perform: "
                            "rds:CreateDBInstance on resource: arn:aws:rds:eu-west-1:1:db:orders-db",
                            status=403, **CREATE))
    assert error.title == "Not allowed: rds:CreateDBInstance"
    assert "rds:CreateDBInstance" in error.next_step
    assert error.code == "AccessDenied"


def test_access_denied_without_the_action_in_the_message(fake_keys: Path) -> None:
    error = explain(_raised("AccessDenied", "Access denied", status=403, **CREATE))
    assert "rds:CreateDBInstance" in error.title


def test_ec2_unauthorized_operation_names_the_ec2_action(fake_keys: Path) -> None:
    error = explain(_raised("UnauthorizedOperation", "You are not authorized to perform this operation. "
                            "Encoded authorization failure message: abc", method="describe_vpcs",
                            service="ec2", status=403))
    assert error.title == "Not allowed: ec2:DescribeVpcs"
    assert "decode-authorization-message" in error.next_step


@pytest.mark.parametrize("code", ["ExpiredToken", "InvalidClientTokenId", "SignatureDoesNotMatch"])
def test_refused_credentials_say_how_to_sign_in(fake_keys: Path, code: str) -> None:
    error = explain(_raised(code, "The security token included in the request is expired", status=403,
                            **CREATE), profile="prod")
    assert "aws sso login --profile prod" in error.next_step
    assert "aws configure --profile prod" in error.next_step
    assert error.command == "aws sso login --profile prod"


def test_missing_credentials_say_how_to_sign_in(aws_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    gateway = open_gateway(ConnectionOptions())
    with pytest.raises(bx.NoCredentialsError) as raised:
        gateway.client("sts").get_caller_identity()
    error = explain(raised.value)
    assert error.title == "No usable AWS credentials were found"
    assert "`aws sso login`" in error.next_step and "`aws configure`" in error.next_step
    assert "--demo" in error.next_step


@pytest.mark.parametrize("exc", [
    bx.SSOTokenLoadError(error_msg="Token for sso expired"),
    bx.UnauthorizedSSOTokenError(),
    bx.TokenRetrievalError(provider="sso", error_msg="expired"),
])
def test_sso_errors_say_aws_sso_login(exc: BaseException) -> None:
    error = explain(exc, profile="team")
    assert "SSO" in error.title
    assert error.command == "aws sso login --profile team"


def test_throttling_after_retries(fake_keys: Path) -> None:
    error = explain(_raised("Throttling", "Rate exceeded", method="describe_db_instances"))
    assert "throttling" in error.title.lower() and "DescribeDBInstances" in error.title
    assert "wait" in error.next_step.lower()


def test_instance_already_exists_offers_to_follow_it(fake_keys: Path) -> None:
    error = explain(_raised("DBInstanceAlreadyExists", "DB instance already exists", **CREATE),
                    identifier="orders-db", region="eu-west-1")
    assert error.title == "A DB instance named orders-db already exists in eu-west-1"
    assert error.command == "rds-wizard watch orders-db"
    assert "rds-wizard watch orders-db" in error.next_step
    assert error.field == "settings.identifier"


def test_cluster_already_exists(fake_keys: Path) -> None:
    error = explain(_raised("DBClusterAlreadyExistsFault", "DB cluster already exists",
                            method="create_db_cluster", DBClusterIdentifier="c", Engine="postgres"),
                    identifier="c")
    assert "DB cluster named c" in error.title and error.command == "rds-wizard watch c"


@pytest.mark.parametrize(("code", "message", "field", "words"), [
    ("InsufficientDBInstanceCapacity", "Cannot create a db.r5.24xlarge instance", "instance.instance_class",
     "another instance class"),
    ("DBSubnetGroupDoesNotCoverEnoughAZs", "The DB subnet group doesn't meet Availability Zone (AZ) coverage "
     "requirement. Current AZ coverage: eu-west-1a. Add subnets to cover at least 2 AZs.",
     "connectivity.subnet_group", "at least two Availability Zones"),
    ("InvalidParameterCombination", "RDS does not support creating a DB instance with the following "
     "combination: DBInstanceClass=db.t2.micro, Engine=postgres, EngineVersion=16.4, "
     "LicenseModel=postgresql-license.", "instance.instance_class", "Change the setting"),
    ("InvalidParameterValue", "Invalid backup window: PreferredBackupWindow must be at least 30 minutes",
     "backup.window", "Change the setting"),
    ("StorageQuotaExceeded", "Storage quota exceeded", "storage.allocated_gib", "Service Quotas"),
    ("InstanceQuotaExceeded", "DB instance quota exceeded", None, "Service Quotas"),
    ("KMSKeyNotAccessibleFault", "The specified KMS key is disabled", "protection.kms_key_id", "enabled"),
    ("DBSubnetGroupNotFoundFault", "DBSubnetGroup 'x' not found", "connectivity.subnet_group", "existing"),
    ("DBParameterGroupNotFound", "DBParameterGroup not found: x", "database.parameter_group", "default"),
    ("OptionGroupNotFoundFault", "Option group x not found", "database.option_group", "default"),
    ("StorageTypeNotSupported", "io2 is not supported", "storage.type", "Change the setting"),
])
def test_create_failures_are_explained(fake_keys: Path, code: str, message: str, field: str | None,
                                       words: str) -> None:
    status = 404 if "NotFound" in code else 400
    error = explain(_raised(code, message, status=status, **CREATE))
    assert error.code == code
    assert error.field == field
    assert words in error.next_step
    assert message in error.detail


def test_invalid_instance_state_says_wait(fake_keys: Path) -> None:
    error = explain(_raised("InvalidDBInstanceState", "Instance orders-db is not in available state.",
                            method="reboot_db_instance", DBInstanceIdentifier="orders-db"),
                    identifier="orders-db")
    assert "rds-wizard watch orders-db" in error.next_step


def test_unknown_client_error_keeps_aws_words(fake_keys: Path) -> None:
    error = explain(_raised("SomethingNew", "A brand new refusal about Port 80", **CREATE))
    assert error.code == "SomethingNew" and "CreateDBInstance" in error.title
    assert error.detail == "A brand new refusal about Port 80"
    assert error.field == "connectivity.port"


def test_unreachable_endpoint(fake_keys: Path) -> None:
    # Port 9 on loopback (discard) has no listener here: the connection is refused at once.
    gateway = open_gateway(ConnectionOptions(endpoint_url="http://127.0.0.1:9"))
    with pytest.raises(bx.EndpointConnectionError) as raised:
        gateway.client("rds").describe_db_instances()
    error = explain(raised.value)
    assert error.title == "Cannot reach http://127.0.0.1:9/"
    assert "--endpoint-url" in error.next_step


def test_an_answer_that_is_not_from_aws(fake_keys: Path) -> None:
    # What a proxy or captive portal in the way gives: a 200 with an empty (or HTML) body.
    class Empty(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Empty)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        gateway = open_gateway(ConnectionOptions(endpoint_url=f"http://127.0.0.1:{server.server_port}"))
        with pytest.raises(Exception) as raised:
            gateway.client("rds").describe_db_instances()
    finally:
        server.shutdown()
    error = explain(raised.value)
    assert error.title == "The answer did not come from AWS"
    assert "proxy" in error.next_step and "--endpoint-url" in error.next_step
    assert "\n" not in error.detail


def test_anything_else_is_still_a_user_error() -> None:
    error = explain(RuntimeError("boom"))
    assert isinstance(error, UserError)
    assert error.detail == "RuntimeError: boom"
    assert "Traceback" not in error.render()


def test_render_is_plain_lines() -> None:
    error = UserError("Title", "Detail", "Do this", "Code")
    assert error.render() == "Title\nDetail\nNext: Do this"
    assert str(error) == error.render()


def test_iam_action_and_field_helpers() -> None:
    assert iam_action("DescribeSecurityGroups") == "ec2:DescribeSecurityGroups"
    assert iam_action("RebootDBInstance") == "rds:RebootDBInstance"
    assert iam_action("X", "not authorized to perform: kms:CreateGrant on") == "kms:CreateGrant"
    assert field_for_message("EngineVersion=16.4, DBInstanceClass=db.t2.micro") == "engine.version"
    assert field_for_message("nothing here") is None
