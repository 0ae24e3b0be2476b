"""What went wrong talking to AWS, and what to do next: every exception becomes a `UserError`.

Front ends show `title`, `detail` and `next_step` (and may offer `command` or a jump to `field`); no
traceback ever reaches a user. botocore is imported only when an error is explained.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from wizard.aws import error_codes
from wizard.shell import command as shell_command
from wizard.shell import quote


@dataclass(frozen=True)
class UserError:
    """An error as a user needs it: what happened, AWS's own words, and the next step."""

    title: str
    detail: str
    next_step: str
    code: str
    field: str | None = None
    command: str | None = None

    def render(self) -> str:
        """Plain text for a terminal: title, detail and next step on their own lines."""
        lines = [self.title]
        if self.detail:
            lines.append(self.detail)
        lines.append(f"Next: {self.next_step}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.render()


ACCESS_DENIED = frozenset({"AccessDenied", "AccessDeniedException", "UnauthorizedOperation",
                           "UnauthorizedAccess", "AuthorizationError"})
BAD_CREDENTIALS = frozenset({"ExpiredToken", "ExpiredTokenException", "RequestExpired",
                             "InvalidClientTokenId", "UnrecognizedClientException", "SignatureDoesNotMatch",
                             "InvalidAccessKeyId",
                             "AuthFailure", "InvalidSignatureException", "IncompleteSignature"})
# botocore's standard retry mode retries these; reaching the user means its attempts ran out.
THROTTLING = frozenset({"Throttling", "ThrottlingException", "ThrottledException",
                        "RequestThrottledException", "RequestThrottled", "TooManyRequestsException",
                        "RequestLimitExceeded", "SlowDown",
                        "ProvisionedThroughputExceededException", "BandwidthLimitExceeded",
                        "LimitExceededException", "PriorRequestNotComplete", "EC2ThrottledException"})

# Which spec field a request parameter named in an AWS message belongs to, so the UI can jump there.
PARAMETER_FIELDS: dict[str, str] = {
    "DBInstanceClass": "instance.instance_class",
    "DBClusterInstanceClass": "instance.instance_class",
    "DBInstanceIdentifier": "settings.identifier",
    "DBClusterIdentifier": "settings.identifier",
    "MasterUsername": "settings.master_username",
    "MasterUserPassword": "settings.master_password",
    "MasterUserSecretKmsKeyId": "settings.secret_kms_key_id",
    "EngineVersion": "engine.version",
    "LicenseModel": "engine.license_model",
    "StorageType": "storage.type",
    "AllocatedStorage": "storage.allocated_gib",
    "MaxAllocatedStorage": "storage.max_allocated_gib",
    "StorageThroughput": "storage.throughput_mibps",
    "Iops": "storage.iops",
    "DBSubnetGroupName": "connectivity.subnet_group",
    "VpcSecurityGroupIds": "connectivity.security_group_ids",
    "AvailabilityZone": "connectivity.availability_zone",
    "PubliclyAccessible": "connectivity.public_access",
    "CACertificateIdentifier": "connectivity.ca_certificate",
    "Port": "connectivity.port",
    "DBName": "database.name",
    "DatabaseName": "database.name",
    "DBParameterGroupName": "database.parameter_group",
    "DBClusterParameterGroupName": "database.parameter_group",
    "OptionGroupName": "database.option_group",
    "BackupRetentionPeriod": "backup.retention_days",
    "PreferredBackupWindow": "backup.window",
    "PreferredMaintenanceWindow": "maintenance.window",
    "KmsKeyId": "protection.kms_key_id",
    "PerformanceInsightsRetentionPeriod": "monitoring.performance_insights_retention_days",
    "MonitoringInterval": "monitoring.monitoring_interval",
    "MonitoringRoleArn": "monitoring.monitoring_role_arn",
    "EnableCloudwatchLogsExports": "monitoring.log_exports",
    "MultiAZ": "availability.deployment",
}

# IAM prefixes of the operations the wizard calls outside RDS (everything else is rds:).
_OPERATION_SERVICES: dict[str, str] = {
    "DescribeVpcs": "ec2", "DescribeSubnets": "ec2", "DescribeSecurityGroups": "ec2",
    "DescribeAvailabilityZones": "ec2", "DescribeAccountAttributes": "ec2",
    "GetCallerIdentity": "sts", "DecodeAuthorizationMessage": "sts",
    "GetSecretValue": "secretsmanager", "DescribeSecret": "secretsmanager",
    "DescribeKey": "kms", "CreateGrant": "kms", "ListAliases": "kms",
    "GetRole": "iam", "PassRole": "iam", "GetMetricData": "cloudwatch",
}

_DEMO_HINT = "Or try everything without an account: rds-wizard --demo."


def iam_action(operation: str, message: str = "") -> str:
    """The IAM action a refused call needed: from AWS's message when it says, else from the operation."""
    match = re.search(r"perform:\s*([a-z0-9-]+:[A-Za-z0-9]+)", message)
    if match:
        return match.group(1)
    return f"{_OPERATION_SERVICES.get(operation, 'rds')}:{operation}"


def field_for_message(message: str) -> str | None:
    """The spec field of the first request parameter an AWS message names, if any."""
    best: tuple[int, str] | None = None
    for parameter, field in PARAMETER_FIELDS.items():
        match = re.search(rf"\b{parameter}\b", message)
        if match and (best is None or match.start() < best[0]):
            best = (match.start(), field)
    return best[1] if best else None


def _profile_flag(profile: str | None) -> str:
    return f" --profile {quote(profile)}" if profile and profile != "default" else ""


def _sign_in_steps(profile: str | None) -> tuple[str, str]:
    flag = _profile_flag(profile)
    step = (f"Sign in again: `aws sso login{flag}` (IAM Identity Center), or set access keys with "
            f"`aws configure{flag}`; then run the wizard again. {_DEMO_HINT}")
    return step, f"aws sso login{flag}"


def explain(exc: BaseException, *, profile: str | None = None, identifier: str | None = None,
            region: str | None = None) -> UserError:
    """Translate any exception from talking to AWS (or starting the demo) into a `UserError`."""
    import botocore.exceptions as bx
    from botocore.parsers import ResponseParserError

    if isinstance(exc, bx.ClientError):
        return _explain_client_error(exc, profile=profile, identifier=identifier, region=region)
    name = type(exc).__name__
    if isinstance(exc, bx.ProfileNotFound):
        missing = str(exc.kwargs.get("profile", profile or ""))
        return UserError(
            f"AWS profile '{missing}' is not configured", str(exc),
            f"Check the name (`aws configure list-profiles`), or create it: `aws configure sso --profile "
            f"{quote(missing)}` or `aws configure --profile {quote(missing)}`.", name,
            command="aws configure list-profiles")
    if isinstance(exc, bx.SSOError | bx.TokenRetrievalError):
        flag = _profile_flag(profile)
        return UserError("Your AWS SSO session has expired or was never started", str(exc),
                         f"Sign in with `aws sso login{flag}`, then run the wizard again.", name,
                         command=f"aws sso login{flag}")
    if isinstance(exc, bx.NoCredentialsError | bx.PartialCredentialsError | bx.CredentialRetrievalError):
        step, command = _sign_in_steps(profile)
        return UserError("No usable AWS credentials were found", str(exc), step, name, command=command)
    if isinstance(exc, bx.NoRegionError):
        flag = _profile_flag(profile)
        return UserError(
            "No AWS region is set", "RDS databases live in one region, and none was given.",
            f"Pass --region (e.g. --region eu-west-1), export AWS_REGION=eu-west-1, or save one in the "
            f"profile: `aws configure set region eu-west-1{flag}`.", name,
            command=f"aws configure set region eu-west-1{flag}")
    from wizard.aws.waits import NoAnswer

    if isinstance(exc, NoAnswer):
        return UserError(
            f"No answer from AWS for {exc.seconds:.0f} s", "The network, a VPN or a proxy dropped the "
            "connection, or the endpoint stopped answering.",
            f"{_what_to_check(region)} Whatever was already sent goes on in AWS; `rds-wizard watch ID` "
            "follows a database again once AWS answers.", "NoAnswer")
    if isinstance(exc, bx.ReadTimeoutError | bx.ConnectTimeoutError):
        url = str(getattr(exc, "kwargs", {}).get("endpoint_url", "")) or "the AWS endpoint"
        waited = "a connection" if isinstance(exc, bx.ConnectTimeoutError) else "an answer"
        return UserError(
            f"No answer from {url}", f"{exc} (waited for {waited}, and again after a retry).",
            f"{_what_to_check(region)} Nothing was changed in AWS by the call that got no answer.", name)
    if isinstance(exc, bx.EndpointConnectionError | bx.ConnectionClosedError
                  | bx.ProxyConnectionError | bx.SSLError | bx.HTTPClientError):
        url = str(getattr(exc, "kwargs", {}).get("endpoint_url", "")) or "the AWS endpoint"
        return UserError(
            f"Cannot reach {url}", str(exc),
            "Check your network, VPN or proxy. If you gave --endpoint-url (or AWS_ENDPOINT_URL), check the "
            "address and that the service there is running (e.g. `rds-wizard demo-server`). "
            "Nothing was changed in AWS by the failed call.", name)
    if isinstance(exc, ResponseParserError):
        return UserError(
            "The answer did not come from AWS", _first_line(str(exc)),
            "Something between you and AWS answered instead: an HTTP(S) proxy (HTTPS_PROXY, HTTP_PROXY), a "
            "captive portal or firewall page, or a wrong --endpoint-url (or AWS_ENDPOINT_URL). Check those "
            "and try again.", name)
    if isinstance(exc, bx.ParamValidationError):
        detail = str(exc)
        return UserError("The request was not sent: a parameter has the wrong shape", detail,
                         "Fix the setting named above and try again; if it came from the wizard itself, "
                         "please report it.", name, field=field_for_message(detail))
    if isinstance(exc, bx.ConfigParseError):
        return UserError("Your AWS config file cannot be read", str(exc),
                         "Fix the syntax of ~/.aws/config (or the file AWS_CONFIG_FILE names).", name)
    if isinstance(exc, bx.WaiterError):
        return UserError("Gave up waiting for AWS", str(exc),
                         "Check the database in the console or with `rds-wizard watch ID`.", name)
    if isinstance(exc, bx.BotoCoreError):
        return UserError("The AWS SDK reported a problem", str(exc),
                         "Check your AWS configuration and try again.", name)
    if isinstance(exc, OSError):
        return UserError("A network or file problem stopped the call", f"{name}: {exc}",
                         "Check the network (or the endpoint) and try again.", name)
    return UserError("Something unexpected went wrong", f"{name}: {exc}",
                     "Try again; if it keeps happening, please report it with this message.", name)


def _what_to_check(region: str | None) -> str:
    """What to check when an endpoint is silent: the endpoint, the region, the proxy."""
    in_region = f" ({region})" if region else ""
    return ("Check the endpoint: --endpoint-url or AWS_ENDPOINT_URL, if given, must point at a running "
            "service (e.g. `rds-wizard demo-server`); the region" + in_region + ": --region, AWS_REGION or "
            "the profile must name one where RDS is offered; and the proxy: HTTPS_PROXY / HTTP_PROXY must "
            "reach AWS (or NO_PROXY exclude the endpoint). A VPN or firewall may also drop the traffic.")


def _first_line(text: str) -> str:
    """The first line of a message (botocore's parser errors go on with the body it could not read)."""
    return text.strip().split("\n", 1)[0]


def _explain_client_error(exc: Any, *, profile: str | None, identifier: str | None,
                          region: str | None) -> UserError:
    error = exc.response.get("Error", {}) if isinstance(exc.response, dict) else {}
    code = str(error.get("Code", "") or "Unknown")
    message = str(error.get("Message", "") or "")
    operation = str(getattr(exc, "operation_name", "") or "")
    where = f" in {region}" if region else ""
    bare = code.removesuffix("Fault")
    name = identifier or "ID"

    if code in ACCESS_DENIED:
        action = iam_action(operation, message)
        step = (f"Ask your AWS administrator to allow {action} for your identity (an IAM policy), or use "
                f"a profile that has it (--profile).")
        if "Encoded authorization failure message" in message:
            step += (" `aws sts decode-authorization-message --encoded-message ...` shows which policy "
                     "refused.")
        return UserError(f"Not allowed: {action}", message, step, code)
    if code in BAD_CREDENTIALS:
        step, command = _sign_in_steps(profile)
        return UserError("Your AWS credentials were refused (expired or invalid)", message, step, code,
                         command=command)
    if code in THROTTLING:
        attempts = int(exc.response.get("ResponseMetadata", {}).get("RetryAttempts", 0) or 0)
        tried = f" after {attempts + 1} attempts with backoff" if attempts else ""
        return UserError(f"AWS is throttling requests ({operation or code}){tried}", message,
                         "The account's API rate is used up, perhaps by other tools. Wait a minute and try "
                         "again; nothing was changed by the refused call.", code)
    if bare in error_codes.ALREADY_EXISTS:
        kind = "DB cluster" if "Cluster" in bare else "DB instance"
        return UserError(
            f"A {kind} named {name} already exists{where}", message,
            f"Follow the existing one with `{shell_command('rds-wizard', 'watch', name)}`, or choose another "
            "identifier.", code, field="settings.identifier",
            command=shell_command("rds-wizard", "watch", name))
    if bare == "InsufficientDBInstanceCapacity":
        return UserError("AWS has no capacity for this instance class right now", message,
                         "Choose another instance class (or, for single-AZ, another Availability Zone), or "
                         "try again later.", code, field="instance.instance_class")
    if bare == "DBSubnetGroupDoesNotCoverEnoughAZs":
        return UserError(
            "The DB subnet group does not cover enough Availability Zones", message,
            "Choose a DB subnet group with subnets in at least two Availability Zones (three for a Multi-AZ "
            "DB cluster), or add a subnet in another AZ: `aws rds modify-db-subnet-group "
            "--db-subnet-group-name NAME --subnet-ids ...`.", code, field="connectivity.subnet_group")
    if bare in ("InvalidParameterCombination", "InvalidParameterValue", "InvalidParameter",
                "MissingParameter", "StorageTypeNotSupported", "InvalidVPCNetworkState", "InvalidSubnet",
                "ProvisionedIopsNotAvailableInAZ", "NetworkTypeNotSupported"):
        field = field_for_message(message) or {
            "StorageTypeNotSupported": "storage.type", "ProvisionedIopsNotAvailableInAZ": "storage.iops",
            "InvalidVPCNetworkState": "connectivity.subnet_group",
            "InvalidSubnet": "connectivity.subnet_group",
        }.get(bare)
        titles = {"InvalidParameterCombination": "AWS does not offer this combination of settings",
                  "StorageTypeNotSupported": "This storage type is not offered for this class or engine",
                  "ProvisionedIopsNotAvailableInAZ": "Provisioned IOPS are not offered in that AZ"}
        return UserError(titles.get(bare, "AWS refused a setting"), message,
                         "Change the setting AWS names above and try again (the wizard's checks did not "
                         "catch this one).", code, field=field)
    if bare == "StorageQuotaExceeded":
        return UserError("The account's RDS storage quota is used up", message,
                         "Choose less storage, delete unused instances or snapshots, or ask for more in "
                         "Service Quotas (Amazon RDS: Total storage for all DB instances).", code,
                         field="storage.allocated_gib")
    if bare in ("InstanceQuotaExceeded", "DBClusterQuotaExceeded"):
        return UserError("The account's quota of DB instances is used up", message,
                         "Delete unused instances, or ask for more in Service Quotas (Amazon RDS: DB "
                         "instances).", code)
    if bare == "KMSKeyNotAccessible":
        return UserError("RDS cannot use the KMS key", message,
                         "Check that the key exists in this region, is enabled, and its key policy lets you "
                         "and RDS use it (kms:CreateGrant, kms:DescribeKey); or leave the key empty to use "
                         "aws/rds.", code, field="protection.kms_key_id")
    if bare == "DBSubnetGroupNotFound":
        return UserError(f"The DB subnet group does not exist{where}", message,
                         "Choose an existing group (`aws rds describe-db-subnet-groups`) or create one with "
                         "subnets in at least two AZs.", code, field="connectivity.subnet_group")
    if bare in ("DBParameterGroupNotFound", "DBClusterParameterGroupNotFound"):
        return UserError(f"The DB parameter group does not exist{where}", message,
                         "Choose an existing group for this engine version, or leave it empty to use the "
                         "default.", code, field="database.parameter_group")
    if bare == "OptionGroupNotFound":
        return UserError(f"The option group does not exist{where}", message,
                         "Choose an existing group for this engine and major version, or leave it empty to "
                         "use the default.", code, field="database.option_group")
    if bare in error_codes.INVALID_STATE:
        return UserError(f"{name} is not in a state that allows this now", message,
                         f"Wait until it is available (`{shell_command('rds-wizard', 'watch', name)}`), then "
                         "try again.", code, command=shell_command("rds-wizard", "watch", name))
    if bare in error_codes.NOT_FOUND:
        return UserError(f"No database named {name}{where}", message,
                         "Check the identifier, the region (--region) and the account (--profile).", code,
                         field="settings.identifier")
    return UserError(f"AWS refused {operation or 'the request'}: {code}", message,
                     "Fix what the message names and try again.", code, field=field_for_message(message))
