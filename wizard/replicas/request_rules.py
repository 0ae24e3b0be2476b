"""The offline rules for a CreateDBInstanceReadReplica request (`aws rds create-db-instance-read-replica
--cli-input-json`), for `rds-wizard lint`.

Only what the request itself shows: parameter names and types (botocore's model), the identifiers, and the
documented values. What needs the source (its engine, backups, password in Secrets Manager, replicas
count) is checked by `rds-wizard replica create`, which can ask AWS.
API: https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstanceReadReplica.html
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from typing import Any

from wizard.spec.engines import MONITORING_INTERVALS, PI_RETENTION_DAYS, PORT_RANGE
from wizard.spec.model import STORAGE_TYPES
from wizard.spec.problems import Problem
from wizard.spec.request import type_error
from wizard.spec.rules import identifier_problems

OPERATION = "CreateDBInstanceReadReplica"
# The input members of CreateDBInstanceReadReplica in botocore 1.44.8, with their types (a unit test
# compares these with botocore's service model). Kept static so `lint` needs no botocore.
CREATE_READ_REPLICA_MEMBERS: Mapping[str, str] = {
    "DBInstanceIdentifier": "string", "SourceDBInstanceIdentifier": "string", "DBInstanceClass": "string",
    "AvailabilityZone": "string", "Port": "integer", "MultiAZ": "boolean",
    "AutoMinorVersionUpgrade": "boolean",
    "Iops": "integer", "StorageThroughput": "integer", "OptionGroupName": "string",
    "DBParameterGroupName": "string", "PubliclyAccessible": "boolean", "Tags": "list:structure",
    "DBSubnetGroupName": "string", "VpcSecurityGroupIds": "list:string", "StorageType": "string",
    "CopyTagsToSnapshot": "boolean", "MonitoringInterval": "integer", "MonitoringRoleArn": "string",
    "KmsKeyId": "string", "PreSignedUrl": "string", "EnableIAMDatabaseAuthentication": "boolean",
    "DatabaseInsightsMode": "string", "EnablePerformanceInsights": "boolean",
    "PerformanceInsightsKMSKeyId": "string", "PerformanceInsightsRetentionPeriod": "integer",
    "EnableCloudwatchLogsExports": "list:string", "ProcessorFeatures": "list:structure",
    "UseDefaultProcessorFeatures": "boolean", "DeletionProtection": "boolean", "Domain": "string",
    "DomainIAMRoleName": "string", "DomainFqdn": "string", "DomainOu": "string",
    "DomainAuthSecretArn": "string", "DomainDnsIps": "list:string", "ReplicaMode": "string",
    "EnableCustomerOwnedIp": "boolean", "NetworkType": "string", "MaxAllocatedStorage": "integer",
    "BackupTarget": "string", "CustomIamInstanceProfile": "string", "AllocatedStorage": "integer",
    "SourceDBClusterIdentifier": "string", "DedicatedLogVolume": "boolean", "UpgradeStorageConfig": "boolean",
    "CACertificateIdentifier": "string", "AdditionalStorageVolumes": "list:structure",
    "TagSpecifications": "list:structure", "DBCapacityReservationIdentifier": "string",
    "SourceRegion": "string",
}
# CreateDBInstance parameters a replica takes from its source: named so the message can say why.
FROM_THE_SOURCE = frozenset({"Engine", "EngineVersion", "MasterUsername", "MasterUserPassword",
                             "ManageMasterUserPassword", "MasterUserSecretKmsKeyId", "DBName",
                             "BackupRetentionPeriod", "LicenseModel", "CharacterSetName", "StorageEncrypted"})
REPLICA_MODES = ("open-read-only", "mounted")
_ARN_RE = re.compile(r"arn:aws[a-z-]*:rds:[a-z0-9-]+:\d{12}:(db|cluster):[A-Za-z][A-Za-z0-9-]*")


def is_read_replica_request(request: Mapping[str, Any]) -> bool:
    """Whether a request is CreateDBInstanceReadReplica's shape (it names a source)."""
    return "SourceDBInstanceIdentifier" in request or "SourceDBClusterIdentifier" in request


def _add(problems: list[Problem], parameter: str, message: str) -> None:
    problems.append(Problem(field=f"replica.{parameter}", parameter=parameter, message=message))


def lint_read_replica_request(request: Mapping[str, Any]) -> list[Problem]:
    """Every problem the request shows offline: errors (AWS would refuse) first, then warnings."""
    problems: list[Problem] = []
    for key, value in request.items():
        name = str(key)
        if name in FROM_THE_SOURCE:
            _add(problems, name, f"{name} is not a {OPERATION} parameter: a read replica takes it from its "
                                 "source. Remove it.")
        elif name not in CREATE_READ_REPLICA_MEMBERS:
            close = difflib.get_close_matches(name, list(CREATE_READ_REPLICA_MEMBERS), n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            _add(problems, name, f"Unknown parameter {name!r}: it is not a {OPERATION} parameter{hint}. "
                                 "Remove it or correct its name.")
        else:
            error = type_error(name, value, CREATE_READ_REPLICA_MEMBERS)
            if error is not None:
                _add(problems, name, f"{error}.")
    typed = {k: v for k, v in request.items()
             if k in CREATE_READ_REPLICA_MEMBERS and type_error(k, v, CREATE_READ_REPLICA_MEMBERS) is None}
    replica_name = typed.get("DBInstanceIdentifier")
    for message in identifier_problems(replica_name, "DBInstanceIdentifier (the replica)"):
        _add(problems, "DBInstanceIdentifier", message)
    _check_source(problems, typed)
    if typed.get("MultiAZ") is True and typed.get("AvailabilityZone"):
        _add(problems, "AvailabilityZone", "AvailabilityZone cannot go with MultiAZ=true: RDS places a "
                                           "Multi-AZ replica and its standby itself. Remove one of them.")
    port = typed.get("Port")
    if port is not None and not PORT_RANGE[0] <= port <= PORT_RANGE[1]:
        _add(problems, "Port", f"Port {port} is outside {PORT_RANGE[0]}-{PORT_RANGE[1]}: choose a port in "
                               "that range (or leave it out: the source's port).")
    interval = typed.get("MonitoringInterval")
    if interval is not None and interval not in MONITORING_INTERVALS:
        _add(problems, "MonitoringInterval", f"MonitoringInterval {interval} is not one of "
                                             f"{', '.join(map(str, MONITORING_INTERVALS))}: choose one.")
    retention = typed.get("PerformanceInsightsRetentionPeriod")
    if retention is not None and retention not in PI_RETENTION_DAYS:
        _add(problems, "PerformanceInsightsRetentionPeriod",
             f"PerformanceInsightsRetentionPeriod {retention} is not 7, a multiple of 31 up to 713, or 731: "
             "choose one of those.")
    mode = typed.get("ReplicaMode")
    if mode is not None and mode not in REPLICA_MODES:
        _add(problems, "ReplicaMode", f"ReplicaMode {mode!r} is not one of {', '.join(REPLICA_MODES)} "
                                      "(Oracle and Db2 replicas only): use one of those or leave it out.")
    storage = typed.get("StorageType")
    if storage is not None and storage not in STORAGE_TYPES:
        _add(problems, "StorageType", f"StorageType {storage!r} is not a storage type: use one of "
                                      f"{', '.join(STORAGE_TYPES)}.")
    return problems


def _check_source(problems: list[Problem], typed: Mapping[str, Any]) -> None:
    instance, cluster = typed.get("SourceDBInstanceIdentifier"), typed.get("SourceDBClusterIdentifier")
    if instance and cluster:
        _add(problems, "SourceDBClusterIdentifier", "Give SourceDBInstanceIdentifier or "
                                                    "SourceDBClusterIdentifier, not both: remove one.")
    if not instance and not cluster:
        _add(problems, "SourceDBInstanceIdentifier", "SourceDBInstanceIdentifier is required: the DB "
                                                     "instance to copy (its identifier, or its ARN for "
                                                     "another region).")
        return
    name, value = (("SourceDBInstanceIdentifier", instance) if instance
                   else ("SourceDBClusterIdentifier", cluster))
    text = str(value)
    if text.startswith("arn:"):
        if not _ARN_RE.fullmatch(text):
            _add(problems, name, f"{name} {text!r} is not an RDS ARN (arn:aws:rds:REGION:ACCOUNT:db:NAME): "
                                 "correct it, or give the identifier for a source in the same region.")
        return
    for message in identifier_problems(text, name):
        _add(problems, name, message)
