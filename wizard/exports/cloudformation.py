"""The request as a CloudFormation template: AWS::RDS::DBInstance, or AWS::RDS::DBCluster for a Multi-AZ
DB cluster, with the property names CloudFormation uses and a snapshot taken if the stack deletes it.

The YAML is written here rather than by a YAML library (not a runtime dependency); every string that is
not plainly safe is double-quoted with JSON escapes, which YAML reads the same way.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from wizard.exports import Operation, needs_password

# API parameter -> CloudFormation property, where the two differ. A parameter absent from both the
# renames and the pass-through set has no CloudFormation property and is listed in a comment instead.
_INSTANCE_RENAMES: dict[str, str] = {
    "VpcSecurityGroupIds": "VPCSecurityGroups",
}
_INSTANCE_SAME: frozenset[str] = frozenset({
    "AllocatedStorage", "AutoMinorVersionUpgrade", "AvailabilityZone", "BackupRetentionPeriod",
    "BackupTarget", "CACertificateIdentifier", "CharacterSetName", "CopyTagsToSnapshot",
    "CustomIAMInstanceProfile", "DBClusterIdentifier", "DBInstanceClass", "DBInstanceIdentifier", "DBName",
    "DBParameterGroupName", "DBSecurityGroups", "DBSubnetGroupName", "DBSystemId", "DatabaseInsightsMode",
    "DedicatedLogVolume", "DeletionProtection", "Domain", "DomainAuthSecretArn", "DomainDnsIps",
    "DomainFqdn", "DomainIAMRoleName", "DomainOu", "EnableCloudwatchLogsExports",
    "EnableIAMDatabaseAuthentication", "EnablePerformanceInsights", "Engine", "EngineLifecycleSupport",
    "EngineVersion", "Iops", "KmsKeyId", "LicenseModel", "ManageMasterUserPassword",
    "MasterUserAuthenticationType", "MasterUsername", "MaxAllocatedStorage", "MonitoringInterval",
    "MonitoringRoleArn", "MultiAZ", "NcharCharacterSetName", "NetworkType", "OptionGroupName",
    "PerformanceInsightsKMSKeyId", "PerformanceInsightsRetentionPeriod", "Port", "PreferredBackupWindow",
    "PreferredMaintenanceWindow", "ProcessorFeatures", "PromotionTier", "PubliclyAccessible",
    "StorageEncrypted", "StorageThroughput", "StorageType", "Tags", "TdeCredentialArn", "Timezone",
})
# CloudFormation types these DBInstance properties as strings although the API takes integers.
_INSTANCE_STRINGS: frozenset[str] = frozenset({"AllocatedStorage", "Port"})

_CLUSTER_RENAMES: dict[str, str] = {
    "EnablePerformanceInsights": "PerformanceInsightsEnabled",
    "PerformanceInsightsKMSKeyId": "PerformanceInsightsKmsKeyId",
}
_CLUSTER_SAME: frozenset[str] = frozenset({
    "AllocatedStorage", "AutoMinorVersionUpgrade", "AvailabilityZones", "BacktrackWindow",
    "BackupRetentionPeriod", "CopyTagsToSnapshot", "DBClusterIdentifier", "DBClusterInstanceClass",
    "DBClusterParameterGroupName", "DBSubnetGroupName", "DBSystemId", "DatabaseInsightsMode", "DatabaseName",
    "DeletionProtection", "Domain", "DomainIAMRoleName", "EnableCloudwatchLogsExports",
    "EnableHttpEndpoint", "EnableIAMDatabaseAuthentication", "EnableLocalWriteForwarding", "Engine",
    "EngineLifecycleSupport", "EngineMode", "EngineVersion", "GlobalClusterIdentifier", "Iops", "KmsKeyId",
    "ManageMasterUserPassword", "MasterUserAuthenticationType", "MasterUsername", "MonitoringInterval",
    "MonitoringRoleArn", "NetworkType", "PerformanceInsightsRetentionPeriod", "Port",
    "PreferredBackupWindow", "PreferredMaintenanceWindow", "PubliclyAccessible", "StorageEncrypted",
    "StorageThroughput", "StorageType", "Tags", "VpcSecurityGroupIds",
})

# cfn-lint (E3692) refuses these on a Multi-AZ DB cluster although CreateDBCluster accepts them; at their
# default value they say nothing, so they are left out rather than failing the lint.
_CLUSTER_OMITTED_DEFAULTS: dict[str, Any] = {"EnableIAMDatabaseAuthentication": False}

_RESOURCE: dict[str, tuple[str, str]] = {
    "CreateDBInstance": ("Database", "AWS::RDS::DBInstance"),
    "CreateDBCluster": ("DatabaseCluster", "AWS::RDS::DBCluster"),
}

# Printable ASCII except space, double quote, slash and at sign: the characters RDS refuses.
_PASSWORD_PATTERN = "[!#-.0-?A-~]*"

_PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9._:-]*$")
# YAML 1.1 reads these unquoted words as booleans or null.
_YAML_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})


def property_name(parameter: str, operation: Operation) -> str | None:
    """The CloudFormation property for an API parameter, or None when the resource has none."""
    renames, same = ((_INSTANCE_RENAMES, _INSTANCE_SAME) if operation == "CreateDBInstance"
                     else (_CLUSTER_RENAMES, _CLUSTER_SAME))
    if parameter in renames:
        return renames[parameter]
    if parameter == "MasterUserSecretKmsKeyId":
        return "MasterUserSecret"
    return parameter if parameter in same else None


def properties(request: Mapping[str, Any], operation: Operation) -> tuple[dict[str, Any], list[str]]:
    """The resource's Properties for a request, and the parameters CloudFormation cannot express."""
    props: dict[str, Any] = {}
    left_out: list[str] = []
    for parameter, value in request.items():
        if parameter == "MasterUserPassword" or value == []:
            continue
        if operation == "CreateDBCluster" and _CLUSTER_OMITTED_DEFAULTS.get(parameter, ...) is value:
            continue
        name = property_name(parameter, operation)
        if name is None:
            left_out.append(parameter)
        elif name == "MasterUserSecret":
            props[name] = {"KmsKeyId": value}
        elif operation == "CreateDBInstance" and name in _INSTANCE_STRINGS:
            props[name] = str(value)
        else:
            props[name] = value
    if needs_password(request):
        props["MasterUserPassword"] = {"Ref": "MasterUserPassword"}
    return props, left_out


def _scalar(value: Any) -> str:
    """A YAML scalar: booleans and numbers bare, safe words plain, everything else double-quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    if _PLAIN.match(text) and text.lower() not in _YAML_WORDS:
        return text
    return json.dumps(text)


def _yaml(value: Any, indent: int) -> list[str]:
    """Block-style YAML lines for a mapping or list, nested by two spaces."""
    pad = " " * indent
    lines: list[str] = []
    if isinstance(value, Mapping):
        for key, item in value.items():
            if isinstance(item, Mapping | list) and item:
                lines.append(f"{pad}{key}:")
                lines.extend(_yaml(item, indent + 2))
            elif isinstance(item, Mapping | list):
                lines.append(f"{pad}{key}: {'{}' if isinstance(item, Mapping) else '[]'}")
            else:
                lines.append(f"{pad}{key}: {_scalar(item)}")
    else:
        for item in value:
            if isinstance(item, Mapping) and item:
                first, *rest = _yaml(item, indent + 2)
                lines.append(f"{pad}- {first.lstrip()}")
                lines.extend(rest)
            else:
                lines.append(f"{pad}- {_scalar(item)}")
    return lines


def template(request: Mapping[str, Any], operation: Operation) -> dict[str, Any]:
    """The template as data (what `render` writes as YAML)."""
    logical_id, resource_type = _RESOURCE[operation]
    props, _ = properties(request, operation)
    identifier = request.get("DBInstanceIdentifier") or request.get("DBClusterIdentifier") or "database"
    doc: dict[str, Any] = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": f"{identifier}: {request.get('Engine', '')} created with rds-wizard",
    }
    if needs_password(request):
        doc["Parameters"] = {"MasterUserPassword": {
            "Type": "String",
            "NoEcho": True,
            "MinLength": 8,
            "AllowedPattern": _PASSWORD_PATTERN,
            "ConstraintDescription": "8 or more printable ASCII characters, without / \" @ or space.",
            "Description": "The master user's password (never shown in the console or stack events).",
        }}
    doc["Resources"] = {logical_id: {
        "Type": resource_type,
        # Deleting the stack (or replacing the resource) keeps a final snapshot instead of losing data.
        "DeletionPolicy": "Snapshot",
        "UpdateReplacePolicy": "Snapshot",
        "Properties": props,
    }}
    doc["Outputs"] = {
        "EndpointAddress": {"Description": "The DNS name clients connect to; it follows the primary.",
                            "Value": {"Fn::GetAtt": [logical_id, "Endpoint.Address"]}},
        "EndpointPort": {"Description": "The port clients connect to.",
                         "Value": {"Fn::GetAtt": [logical_id, "Endpoint.Port"]}},
    }
    return doc


def render(request: Mapping[str, Any], operation: Operation) -> str:
    """The CloudFormation template, as YAML."""
    _, left_out = properties(request, operation)
    lines = _yaml(template(request, operation), 0)
    if left_out:
        shown = ", ".join(f"{name}={json.dumps(request[name])}" for name in left_out)
        lines = [f"# Not expressible as {_RESOURCE[operation][1]} properties (set them after creation): "
                 + shown, *lines]
    return "\n".join(lines) + "\n"
