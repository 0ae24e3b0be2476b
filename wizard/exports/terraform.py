"""The request as Terraform: aws_db_instance, or aws_rds_cluster for a Multi-AZ DB cluster, with the
AWS provider's argument names, a sensitive variable for a self-managed password and a final snapshot.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from wizard.exports import Operation, needs_password

# API parameter -> the AWS provider's argument. A parameter with no argument is listed in a comment.
_INSTANCE_ARGUMENTS: dict[str, str] = {
    "DBInstanceIdentifier": "identifier",
    "Engine": "engine",
    "EngineVersion": "engine_version",
    "LicenseModel": "license_model",
    "DBInstanceClass": "instance_class",
    "MasterUsername": "username",
    "ManageMasterUserPassword": "manage_master_user_password",
    "MasterUserSecretKmsKeyId": "master_user_secret_kms_key_id",
    "AllocatedStorage": "allocated_storage",
    "MaxAllocatedStorage": "max_allocated_storage",
    "StorageType": "storage_type",
    "Iops": "iops",
    "StorageThroughput": "storage_throughput",
    "MultiAZ": "multi_az",
    "AvailabilityZone": "availability_zone",
    "DBSubnetGroupName": "db_subnet_group_name",
    "VpcSecurityGroupIds": "vpc_security_group_ids",
    "PubliclyAccessible": "publicly_accessible",
    "Port": "port",
    "CACertificateIdentifier": "ca_cert_identifier",
    "DBName": "db_name",
    "DBParameterGroupName": "parameter_group_name",
    "OptionGroupName": "option_group_name",
    "BackupRetentionPeriod": "backup_retention_period",
    "PreferredBackupWindow": "backup_window",
    "PreferredMaintenanceWindow": "maintenance_window",
    "AutoMinorVersionUpgrade": "auto_minor_version_upgrade",
    "CopyTagsToSnapshot": "copy_tags_to_snapshot",
    "DeletionProtection": "deletion_protection",
    "StorageEncrypted": "storage_encrypted",
    "KmsKeyId": "kms_key_id",
    "EnablePerformanceInsights": "performance_insights_enabled",
    "PerformanceInsightsRetentionPeriod": "performance_insights_retention_period",
    "PerformanceInsightsKMSKeyId": "performance_insights_kms_key_id",
    "MonitoringInterval": "monitoring_interval",
    "MonitoringRoleArn": "monitoring_role_arn",
    "EnableCloudwatchLogsExports": "enabled_cloudwatch_logs_exports",
    "EnableIAMDatabaseAuthentication": "iam_database_authentication_enabled",
    "Tags": "tags",
    "CharacterSetName": "character_set_name",
    "NcharCharacterSetName": "nchar_character_set_name",
    "Timezone": "timezone",
    "Domain": "domain",
    "DomainIAMRoleName": "domain_iam_role_name",
    "DomainFqdn": "domain_fqdn",
    "DomainOu": "domain_ou",
    "DomainAuthSecretArn": "domain_auth_secret_arn",
    "DomainDnsIps": "domain_dns_ips",
    "NetworkType": "network_type",
    "DedicatedLogVolume": "dedicated_log_volume",
    "EngineLifecycleSupport": "engine_lifecycle_support",
    "DatabaseInsightsMode": "database_insights_mode",
    "CustomIamInstanceProfile": "custom_iam_instance_profile",
    "BackupTarget": "backup_target",
}

_CLUSTER_ARGUMENTS: dict[str, str] = {
    "DBClusterIdentifier": "cluster_identifier",
    "Engine": "engine",
    "EngineVersion": "engine_version",
    "DBClusterInstanceClass": "db_cluster_instance_class",
    "MasterUsername": "master_username",
    "ManageMasterUserPassword": "manage_master_user_password",
    "MasterUserSecretKmsKeyId": "master_user_secret_kms_key_id",
    "AllocatedStorage": "allocated_storage",
    "StorageType": "storage_type",
    "Iops": "iops",
    "AvailabilityZones": "availability_zones",
    "DBSubnetGroupName": "db_subnet_group_name",
    "VpcSecurityGroupIds": "vpc_security_group_ids",
    "Port": "port",
    "CACertificateIdentifier": "ca_certificate_identifier",
    "DatabaseName": "database_name",
    "DBClusterParameterGroupName": "db_cluster_parameter_group_name",
    "BackupRetentionPeriod": "backup_retention_period",
    "PreferredBackupWindow": "preferred_backup_window",
    "PreferredMaintenanceWindow": "preferred_maintenance_window",
    "CopyTagsToSnapshot": "copy_tags_to_snapshot",
    "DeletionProtection": "deletion_protection",
    "StorageEncrypted": "storage_encrypted",
    "KmsKeyId": "kms_key_id",
    "EnablePerformanceInsights": "performance_insights_enabled",
    "PerformanceInsightsRetentionPeriod": "performance_insights_retention_period",
    "PerformanceInsightsKMSKeyId": "performance_insights_kms_key_id",
    "MonitoringInterval": "monitoring_interval",
    "MonitoringRoleArn": "monitoring_role_arn",
    "EnableCloudwatchLogsExports": "enabled_cloudwatch_logs_exports",
    "EnableIAMDatabaseAuthentication": "iam_database_authentication_enabled",
    "Tags": "tags",
    "NetworkType": "network_type",
    "Domain": "domain",
    "DomainIAMRoleName": "domain_iam_role_name",
    "EngineLifecycleSupport": "engine_lifecycle_support",
    "DatabaseInsightsMode": "database_insights_mode",
}

_RESOURCE: dict[str, tuple[str, str, str]] = {
    # operation: (resource type, password argument, identifier parameter)
    "CreateDBInstance": ("aws_db_instance", "password", "DBInstanceIdentifier"),
    "CreateDBCluster": ("aws_rds_cluster", "master_password", "DBClusterIdentifier"),
}

PASSWORD_VARIABLE = "master_password"

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


def argument_name(parameter: str, operation: Operation) -> str | None:
    """The provider's argument for an API parameter, or None when the resource has none."""
    table = _INSTANCE_ARGUMENTS if operation == "CreateDBInstance" else _CLUSTER_ARGUMENTS
    return table.get(parameter)


def _string(text: str) -> str:
    """An HCL string literal: JSON escapes, plus escaped template sequences so nothing interpolates."""
    return json.dumps(text).replace("${", "$${").replace("%{", "%%{")


def _value(value: Any, indent: int) -> str:
    """An HCL expression for a request value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_value(v, indent) for v in value) + "]"
    if isinstance(value, Mapping):
        pad = " " * (indent + 2)
        width = max((len(_string(str(k))) for k in value), default=0)
        body = "".join(f"{pad}{_string(str(k)).ljust(width)} = {_value(v, indent + 2)}\n"
                       for k, v in value.items())
        return "{\n" + body + " " * indent + "}"
    return _string(str(value))


def arguments(request: Mapping[str, Any], operation: Operation) -> tuple[dict[str, Any], list[str]]:
    """The resource's arguments for a request (tags as a map), and the parameters it cannot express."""
    args: dict[str, Any] = {}
    left_out: list[str] = []
    for parameter, value in request.items():
        if parameter == "MasterUserPassword" or value == []:
            continue
        name = argument_name(parameter, operation)
        if name is None:
            left_out.append(parameter)
        elif name == "tags":
            args[name] = {t["Key"]: t["Value"] for t in value}
        else:
            args[name] = value
    return args, left_out


def _resource_name(identifier: str) -> str:
    """A Terraform resource name from the identifier ("orders-db" -> "orders_db")."""
    name = identifier.replace("-", "_")
    return name if _IDENT.match(name) else "this"


def render(request: Mapping[str, Any], operation: Operation) -> str:
    """The Terraform configuration (HCL)."""
    resource_type, password_argument, id_parameter = _RESOURCE[operation]
    args, left_out = arguments(request, operation)
    identifier = str(request.get(id_parameter) or "database")
    out: list[str] = [
        "terraform {",
        "  required_providers {",
        "    aws = {",
        '      source  = "hashicorp/aws"',
        '      version = ">= 5.0"',
        "    }",
        "  }",
        "}",
        "",
    ]
    if needs_password(request):
        args[password_argument] = f"var.{PASSWORD_VARIABLE}"
        out += [
            f'variable "{PASSWORD_VARIABLE}" {{',
            '  description = "The master user\'s password: set TF_VAR_master_password, never commit it."',
            "  type        = string",
            "  sensitive   = true",
            "}",
            "",
        ]
    # Destroying the resource keeps a final snapshot, like the CloudFormation export's DeletionPolicy.
    args["skip_final_snapshot"] = False
    args["final_snapshot_identifier"] = f"{identifier}-final"
    out.append(f'resource "{resource_type}" "{_resource_name(identifier)}" {{')
    if left_out:
        shown = ", ".join(f"{name}={json.dumps(request[name])}" for name in left_out)
        out.append(f"  # Not arguments of {resource_type} (set them after creation): {shown}")
    width = max(len(k) for k in args)
    for name, value in args.items():
        expression = value if name == password_argument else _value(value, 2)
        out.append(f"  {name.ljust(width)} = {expression}")
    out.append("}")
    return "\n".join(out) + "\n"
