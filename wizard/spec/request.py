"""The spec as an AWS request and back: CreateDBInstance (or CreateDBCluster for a Multi-AZ DB cluster).

The mapping is a table (`MAPPINGS`): request parameter, spec path, and the spec value that stands for
"parameter absent" (AWS's default, or no value). `from_request` reads a request in the
`aws rds create-db-instance --cli-input-json` shape; `to_request` writes one. A round trip is exact:
the spec remembers which parameters were written out (`_explicit_parameters`) so a parameter given at
its default is given back, parameters the wizard does not model ride in `extra_parameters`, and a value
that does not fit the model (a string where AWS wants an integer, say) rides there too, for the rules to
report. Nothing here raises on a strange request: the rules decide what is wrong with it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import SecretStr, ValidationError

from wizard.passwords import without_passwords
from wizard.spec.model import DatabaseSpec

Operation = Literal["CreateDBInstance", "CreateDBCluster"]
ParamKind = Literal["string", "integer", "boolean", "string-list", "tags"]

# The input members of CreateDBInstance and CreateDBCluster in botocore 1.44.8, with their types
# (a unit test compares these with botocore's service model). Kept static so `lint` needs no botocore.
CREATE_DB_INSTANCE_MEMBERS: Mapping[str, str] = {
    "DBName": "string", "DBInstanceIdentifier": "string", "AllocatedStorage": "integer",
    "DBInstanceClass": "string", "Engine": "string", "MasterUsername": "string",
    "MasterUserPassword": "string", "DBSecurityGroups": "list:string", "VpcSecurityGroupIds": "list:string",
    "AvailabilityZone": "string", "DBSubnetGroupName": "string", "PreferredMaintenanceWindow": "string",
    "DBParameterGroupName": "string", "BackupRetentionPeriod": "integer", "PreferredBackupWindow": "string",
    "Port": "integer", "MultiAZ": "boolean", "EngineVersion": "string", "AutoMinorVersionUpgrade": "boolean",
    "LicenseModel": "string", "Iops": "integer", "StorageThroughput": "integer", "OptionGroupName": "string",
    "CharacterSetName": "string", "NcharCharacterSetName": "string", "PubliclyAccessible": "boolean",
    "Tags": "list:structure", "DBClusterIdentifier": "string", "StorageType": "string",
    "TdeCredentialArn": "string", "TdeCredentialPassword": "string", "StorageEncrypted": "boolean",
    "KmsKeyId": "string", "Domain": "string", "DomainFqdn": "string", "DomainOu": "string",
    "DomainAuthSecretArn": "string", "DomainDnsIps": "list:string", "CopyTagsToSnapshot": "boolean",
    "MonitoringInterval": "integer", "MonitoringRoleArn": "string", "DomainIAMRoleName": "string",
    "PromotionTier": "integer", "Timezone": "string", "EnableIAMDatabaseAuthentication": "boolean",
    "DatabaseInsightsMode": "string", "EnablePerformanceInsights": "boolean",
    "PerformanceInsightsKMSKeyId": "string", "PerformanceInsightsRetentionPeriod": "integer",
    "EnableCloudwatchLogsExports": "list:string", "ProcessorFeatures": "list:structure",
    "DeletionProtection": "boolean", "MaxAllocatedStorage": "integer", "EnableCustomerOwnedIp": "boolean",
    "NetworkType": "string", "BackupTarget": "string", "CustomIamInstanceProfile": "string",
    "DBSystemId": "string", "CACertificateIdentifier": "string", "ManageMasterUserPassword": "boolean",
    "MasterUserSecretKmsKeyId": "string", "MultiTenant": "boolean", "DedicatedLogVolume": "boolean",
    "EngineLifecycleSupport": "string", "AdditionalStorageVolumes": "list:structure",
    "TagSpecifications": "list:structure", "DBCapacityReservationIdentifier": "string",
    "MasterUserAuthenticationType": "string",
}

CREATE_DB_CLUSTER_MEMBERS: Mapping[str, str] = {
    "AvailabilityZones": "list:string", "BackupRetentionPeriod": "integer", "CharacterSetName": "string",
    "DatabaseName": "string", "DBClusterIdentifier": "string", "DBClusterParameterGroupName": "string",
    "VpcSecurityGroupIds": "list:string", "DBSubnetGroupName": "string", "Engine": "string",
    "EngineVersion": "string", "Port": "integer", "MasterUsername": "string", "MasterUserPassword": "string",
    "OptionGroupName": "string", "PreferredBackupWindow": "string", "PreferredMaintenanceWindow": "string",
    "ReplicationSourceIdentifier": "string", "Tags": "list:structure", "StorageEncrypted": "boolean",
    "KmsKeyId": "string", "PreSignedUrl": "string", "EnableIAMDatabaseAuthentication": "boolean",
    "BacktrackWindow": "long", "EnableCloudwatchLogsExports": "list:string", "EngineMode": "string",
    "ScalingConfiguration": "structure", "RdsCustomClusterConfiguration": "structure",
    "DBClusterInstanceClass": "string", "AllocatedStorage": "integer", "StorageType": "string",
    "Iops": "integer", "PubliclyAccessible": "boolean", "AutoMinorVersionUpgrade": "boolean",
    "DeletionProtection": "boolean", "GlobalClusterIdentifier": "string", "EnableHttpEndpoint": "boolean",
    "CopyTagsToSnapshot": "boolean", "Domain": "string", "DomainIAMRoleName": "string",
    "EnableGlobalWriteForwarding": "boolean", "NetworkType": "string",
    "ServerlessV2ScalingConfiguration": "structure", "MonitoringInterval": "integer",
    "MonitoringRoleArn": "string", "DatabaseInsightsMode": "string", "EnablePerformanceInsights": "boolean",
    "PerformanceInsightsKMSKeyId": "string", "PerformanceInsightsRetentionPeriod": "integer",
    "EnableLimitlessDatabase": "boolean", "ClusterScalabilityType": "string", "DBSystemId": "string",
    "ManageMasterUserPassword": "boolean", "EnableLocalWriteForwarding": "boolean",
    "MasterUserSecretKmsKeyId": "string", "CACertificateIdentifier": "string",
    "EngineLifecycleSupport": "string", "TagSpecifications": "list:structure",
    "MasterUserAuthenticationType": "string", "EnableVPCNetworking": "boolean",
    "WithExpressConfiguration": "boolean", "EnableInternetAccessGateway": "boolean",
    "AssociatedRoles": "list:structure", "SourceRegion": "string",
}

# Written only with include_password=True, never from the table.
PASSWORD_PARAMETER = "MasterUserPassword"
# Kept among a spec's explicit parameters (no parameter has this name) to say it was read from a
# request: such a spec writes back only what the request had, while one built in the wizard or loaded
# from a preset writes every setting it has.
FROM_REQUEST = "(read from a request)"
# Parameters that carry a secret: never written to a preset, draft or printed request.
SECRET_PARAMETERS: frozenset[str] = frozenset({PASSWORD_PARAMETER, "TdeCredentialPassword"})


def _storage_type_default(spec: DatabaseSpec) -> Any:
    """AWS's StorageType default: io1 when Iops is given, otherwise gp3."""
    return "io1" if spec.storage.iops is not None else "gp3"


def _public_access_default(spec: DatabaseSpec) -> Any:
    """AWS's PubliclyAccessible default: true without a subnet group or with the one named `default`."""
    return spec.connectivity.subnet_group in (None, "default")


@dataclass(frozen=True)
class ParamMapping:
    """One request parameter and the spec field it fills.

    `default` is the spec value that stands for the parameter being absent (AWS's default where it has
    one); `default_from` computes it when it depends on other settings. `to_spec`/`from_spec` convert
    where the spec says it differently (MultiAZ=true is the `multi-az-instance` deployment).
    """

    parameter: str
    path: str
    kind: ParamKind
    default: Any = None
    cluster_parameter: str | None = None
    default_from: Callable[[DatabaseSpec], Any] | None = None
    to_spec: Callable[[Any], Any] | None = None
    from_spec: Callable[[Any], Any] | None = None

    def default_for(self, spec: DatabaseSpec) -> Any:
        """The spec value meaning "not in the request" for this spec."""
        return self.default_from(spec) if self.default_from is not None else self.default


MAPPINGS: tuple[ParamMapping, ...] = (
    ParamMapping("DBInstanceIdentifier", "settings.identifier", "string", "", "DBClusterIdentifier"),
    ParamMapping("Engine", "engine.engine", "string", "", "Engine"),
    ParamMapping("EngineVersion", "engine.version", "string", None, "EngineVersion"),
    ParamMapping("LicenseModel", "engine.license_model", "string", None),
    ParamMapping("DBInstanceClass", "instance.instance_class", "string", "", "DBClusterInstanceClass"),
    ParamMapping("MasterUsername", "settings.master_username", "string", "", "MasterUsername"),
    ParamMapping("ManageMasterUserPassword", "settings.credentials", "boolean", False,
                 "ManageMasterUserPassword",
                 to_spec=lambda v: "secrets-manager" if v else "self-managed",
                 from_spec=lambda v: v == "secrets-manager"),
    ParamMapping("MasterUserSecretKmsKeyId", "settings.secret_kms_key_id", "string", None,
                 "MasterUserSecretKmsKeyId"),
    ParamMapping("AllocatedStorage", "storage.allocated_gib", "integer", 0, "AllocatedStorage"),
    ParamMapping("Iops", "storage.iops", "integer", None, "Iops"),
    ParamMapping("StorageType", "storage.type", "string", None, "StorageType",
                 default_from=_storage_type_default),
    ParamMapping("StorageThroughput", "storage.throughput_mibps", "integer", None),
    ParamMapping("MaxAllocatedStorage", "storage.max_allocated_gib", "integer", None),
    ParamMapping("MultiAZ", "availability.deployment", "boolean", False,
                 to_spec=lambda v: "multi-az-instance" if v else "single-az",
                 from_spec=lambda v: v != "single-az"),
    ParamMapping("DBSubnetGroupName", "connectivity.subnet_group", "string", None, "DBSubnetGroupName"),
    ParamMapping("PubliclyAccessible", "connectivity.public_access", "boolean", None, "PubliclyAccessible",
                 default_from=_public_access_default),
    ParamMapping("VpcSecurityGroupIds", "connectivity.security_group_ids", "string-list", [],
                 "VpcSecurityGroupIds"),
    ParamMapping("Port", "connectivity.port", "integer", None, "Port"),
    ParamMapping("AvailabilityZone", "connectivity.availability_zone", "string", None),
    ParamMapping("CACertificateIdentifier", "connectivity.ca_certificate", "string", None,
                 "CACertificateIdentifier"),
    ParamMapping("DBName", "database.name", "string", None, "DatabaseName"),
    ParamMapping("DBParameterGroupName", "database.parameter_group", "string", None,
                 "DBClusterParameterGroupName"),
    ParamMapping("OptionGroupName", "database.option_group", "string", None, "OptionGroupName"),
    ParamMapping("BackupRetentionPeriod", "backup.retention_days", "integer", 1, "BackupRetentionPeriod"),
    ParamMapping("PreferredBackupWindow", "backup.window", "string", None, "PreferredBackupWindow"),
    ParamMapping("CopyTagsToSnapshot", "backup.copy_tags_to_snapshot", "boolean", False,
                 "CopyTagsToSnapshot"),
    ParamMapping("PreferredMaintenanceWindow", "maintenance.window", "string", None,
                 "PreferredMaintenanceWindow"),
    ParamMapping("AutoMinorVersionUpgrade", "maintenance.auto_minor_version_upgrade", "boolean", True,
                 "AutoMinorVersionUpgrade"),
    ParamMapping("DeletionProtection", "protection.deletion_protection", "boolean", False,
                 "DeletionProtection"),
    ParamMapping("StorageEncrypted", "protection.encrypted", "boolean", False, "StorageEncrypted"),
    ParamMapping("KmsKeyId", "protection.kms_key_id", "string", None, "KmsKeyId"),
    ParamMapping("EnablePerformanceInsights", "monitoring.performance_insights", "boolean", False,
                 "EnablePerformanceInsights"),
    ParamMapping("PerformanceInsightsRetentionPeriod", "monitoring.performance_insights_retention_days",
                 "integer", None, "PerformanceInsightsRetentionPeriod"),
    ParamMapping("PerformanceInsightsKMSKeyId", "monitoring.performance_insights_kms_key_id", "string", None,
                 "PerformanceInsightsKMSKeyId"),
    ParamMapping("MonitoringInterval", "monitoring.monitoring_interval", "integer", 0, "MonitoringInterval"),
    ParamMapping("MonitoringRoleArn", "monitoring.monitoring_role_arn", "string", None, "MonitoringRoleArn"),
    ParamMapping("EnableCloudwatchLogsExports", "monitoring.log_exports", "string-list", [],
                 "EnableCloudwatchLogsExports"),
    ParamMapping("EnableIAMDatabaseAuthentication", "monitoring.iam_database_authentication", "boolean",
                 False, "EnableIAMDatabaseAuthentication"),
    ParamMapping("Tags", "tags", "tags", {}, "Tags"),
)

MAPPING_BY_PARAMETER: Mapping[str, ParamMapping] = {m.parameter: m for m in MAPPINGS}
MAPPING_BY_PATH: Mapping[str, ParamMapping] = {m.path: m for m in MAPPINGS}
# Request parameters the spec models (the table plus the password, which is handled apart).
MODELLED_PARAMETERS: frozenset[str] = frozenset({*MAPPING_BY_PARAMETER, PASSWORD_PARAMETER})


def parameter_for(path: str, spec: DatabaseSpec | None = None) -> str:
    """The request parameter a spec path is sent as (CreateDBCluster's name for a cluster spec)."""
    if path == "settings.master_password":
        return PASSWORD_PARAMETER
    mapping = MAPPING_BY_PATH.get(path)
    if mapping is None:
        return ""
    if spec is not None and spec.is_cluster:
        return mapping.cluster_parameter or mapping.parameter
    return mapping.parameter


def type_error(parameter: str, value: Any,
               members: Mapping[str, str] = CREATE_DB_INSTANCE_MEMBERS) -> str | None:
    """What is wrong with the JSON type of a parameter's value, or None when botocore would take it."""
    expected = members.get(parameter)
    if expected is None:
        return None
    if parameter == "Tags":
        return _tags_error(value)
    ok = {
        "string": lambda v: isinstance(v, str),
        "integer": lambda v: type(v) is int,
        "long": lambda v: type(v) is int,
        "boolean": lambda v: type(v) is bool,
        "list:string": lambda v: isinstance(v, list) and all(isinstance(i, str) for i in v),
        "list:structure": lambda v: isinstance(v, list) and all(isinstance(i, dict) for i in v),
        "structure": lambda v: isinstance(v, dict),
    }[expected](value)
    if ok:
        return None
    described = {
        "string": "a string", "integer": "a whole number", "long": "a whole number",
        "boolean": "true or false", "list:string": "a list of strings",
        "list:structure": "a list of objects", "structure": "an object",
    }[expected]
    return f"{parameter} must be {described}, not {_json_type(value)}"


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "a number"
    if isinstance(value, float):
        return "a decimal number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list (or a list with the wrong kind of items)"
    if isinstance(value, dict):
        return "an object"
    return "null" if value is None else type(value).__name__


def _tags_error(value: Any) -> str | None:
    shape = 'Tags must be a list of {"Key": "...", "Value": "..."} objects'
    if not isinstance(value, list):
        return shape
    seen: set[str] = set()
    for tag in value:
        if not isinstance(tag, dict) or not set(tag) <= {"Key", "Value"}:
            return shape
        if not isinstance(tag.get("Key"), str) or not isinstance(tag.get("Value", ""), str):
            return shape
        if tag["Key"] in seen:
            return f"Tags has the key '{tag['Key']}' twice: each tag key may appear once"
        seen.add(tag["Key"])
    return None


def _get(spec: DatabaseSpec, path: str) -> Any:
    obj: Any = spec
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


def _set(spec: DatabaseSpec, path: str, value: Any) -> None:
    """Assign through the model's validation (raises ValidationError when the value does not fit)."""
    *parents, last = path.split(".")
    obj: Any = spec
    for part in parents:
        obj = getattr(obj, part)
    setattr(obj, last, value)


def _to_spec_value(mapping: ParamMapping, value: Any) -> Any:
    if mapping.kind == "tags":
        return {tag["Key"]: tag.get("Value", "") for tag in value}
    if mapping.kind == "string-list":
        return list(value)
    return mapping.to_spec(value) if mapping.to_spec is not None else value


def _to_request_value(mapping: ParamMapping, value: Any) -> Any:
    if mapping.kind == "tags":
        return [{"Key": key, "Value": val} for key, val in value.items()]
    if mapping.kind == "string-list":
        return list(value)
    return mapping.from_spec(value) if mapping.from_spec is not None else value


def from_request(request: Mapping[str, Any]) -> DatabaseSpec:
    """The spec a CreateDBInstance request (the `--cli-input-json` shape) describes.

    Never raises for a mapping: parameters the spec does not model, and values of the wrong type or
    outside the model's choices, are kept in `extra_parameters` for the rules to report and for
    `to_request` to give back unchanged.
    """
    spec = DatabaseSpec()
    explicit: set[str] = set()
    extra: dict[str, Any] = {}
    for key, value in request.items():
        name = str(key)
        mapping = MAPPING_BY_PARAMETER.get(name)
        if name == PASSWORD_PARAMETER and isinstance(value, str):
            spec.settings.master_password = SecretStr(value)
            explicit.add(name)
        elif mapping is None or type_error(name, value) is not None or _valueless_tags(name, value):
            extra[name] = value
        else:
            try:
                _set(spec, mapping.path, _to_spec_value(mapping, value))
            except ValidationError:
                extra[name] = value
                _set_case_folded(spec, mapping, value)
            else:
                explicit.add(name)
    # Absent parameters take the value AWS would use; defaults that depend on other settings
    # (StorageType on Iops, PubliclyAccessible on the subnet group) are computed once those are set.
    for mapping in MAPPINGS:
        if mapping.parameter not in explicit and not (mapping.parameter in extra and
                                                      _folded(spec, mapping, extra[mapping.parameter])):
            _set(spec, mapping.path, _default_spec_value(mapping, spec))
    spec.extra_parameters = extra
    spec._explicit_parameters = explicit | {FROM_REQUEST}
    return spec


def _set_case_folded(spec: DatabaseSpec, mapping: ParamMapping, value: Any) -> None:
    """Let the rules see `GP3` as gp3 (RDS folds the case) while the request keeps what it said."""
    if isinstance(value, str) and value != value.lower():
        with contextlib.suppress(ValidationError):
            _set(spec, mapping.path, value.lower())


def _folded(spec: DatabaseSpec, mapping: ParamMapping, value: Any) -> bool:
    """Whether the spec holds the case-folded form of a value kept in extra_parameters."""
    return isinstance(value, str) and _get(spec, mapping.path) == value.lower() != value


def _valueless_tags(name: str, value: Any) -> bool:
    """Tags where one has no Value: AWS takes them, the spec's key=value map cannot say them exactly."""
    return name == "Tags" and any("Value" not in tag for tag in value)


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def request_operation(spec: DatabaseSpec) -> Operation:
    """The API call that creates this spec: CreateDBCluster for a Multi-AZ DB cluster."""
    return "CreateDBCluster" if spec.is_cluster else "CreateDBInstance"


def to_request(spec: DatabaseSpec, include_password: bool = False) -> dict[str, Any]:
    """The request that creates this spec, in the `--cli-input-json` shape.

    A spec read from a request gives back exactly that request: each parameter that was written out,
    and any whose value has since changed from AWS's default. A spec built in the wizard or loaded
    from a preset writes every setting that has a value, so the request says what it does. The master
    password is included only with `include_password=True`.
    """
    cluster = spec.is_cluster
    explicit = spec._explicit_parameters
    from_a_request = FROM_REQUEST in explicit
    request: dict[str, Any] = {}
    for mapping in MAPPINGS:
        name = mapping.parameter
        if cluster:
            if mapping.cluster_parameter is None:
                continue
            name = mapping.cluster_parameter
        value = _get(spec, mapping.path)
        if from_a_request:
            write = mapping.parameter in explicit or value != _default_spec_value(mapping, spec)
        else:
            write = not _is_empty(value)
        if write:
            request[name] = _to_request_value(mapping, value)
    if include_password and spec.settings.master_password is not None:
        request[PASSWORD_PARAMETER] = spec.settings.master_password.get_secret_value()
    members = CREATE_DB_CLUSTER_MEMBERS if cluster else None
    for key, value in spec.extra_parameters.items():
        if key in SECRET_PARAMETERS and not include_password:
            continue
        if members is None or key in members:
            # A password nested in a list of structures is no more printable than a top-level one.
            request[key] = value if include_password else without_passwords(value)
    return request


def _default_spec_value(mapping: ParamMapping, spec: DatabaseSpec) -> Any:
    default = mapping.default_for(spec)
    if mapping.to_spec is not None:
        return mapping.to_spec(default)
    return default
