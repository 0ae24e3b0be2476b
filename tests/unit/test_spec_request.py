"""The request mapping: exact round trips, the botocore member lists, clusters and the password."""

from __future__ import annotations

import json
from typing import Any

import botocore.session
import pytest
from botocore.validate import ParamValidator
from spec_support import self_managed, valid_spec

from presets import builtin_names, load_preset
from wizard.spec.model import DatabaseSpec
from wizard.spec.request import (
    CREATE_DB_CLUSTER_MEMBERS,
    CREATE_DB_INSTANCE_MEMBERS,
    MAPPINGS,
    from_request,
    request_operation,
    to_request,
)

CANARY = "Canary-Pw-7731"


def _members(operation: str) -> dict[str, str]:
    model = botocore.session.get_session().get_service_model("rds").operation_model(operation)
    members = {}
    for name, shape in model.input_shape.members.items():
        kind = shape.type_name
        members[name] = f"list:{shape.member.type_name}" if kind == "list" else kind  # type: ignore[attr-defined]
    return members


@pytest.mark.parametrize(("operation", "ours"), [("CreateDBInstance", CREATE_DB_INSTANCE_MEMBERS),
                                                 ("CreateDBCluster", CREATE_DB_CLUSTER_MEMBERS)])
def test_member_tables_match_botocore(operation: str, ours: dict[str, str]) -> None:
    assert dict(ours) == _members(operation)


def test_every_mapping_names_real_parameters_and_spec_paths() -> None:
    spec = DatabaseSpec()
    for mapping in MAPPINGS:
        assert mapping.parameter in CREATE_DB_INSTANCE_MEMBERS
        assert mapping.cluster_parameter is None or mapping.cluster_parameter in CREATE_DB_CLUSTER_MEMBERS
        obj: Any = spec
        for part in mapping.path.split("."):
            obj = getattr(obj, part)


REQUESTS: list[dict[str, Any]] = [
    {"DBInstanceIdentifier": "orders-db", "DBInstanceClass": "db.m6g.large", "Engine": "postgres",
     "MasterUsername": "pgadmin", "AllocatedStorage": 100, "ManageMasterUserPassword": True, "MultiAZ": True},
    # Every modelled parameter, several at AWS's default value (they must come back all the same).
    {"DBInstanceIdentifier": "Orders-DB", "DBInstanceClass": "db.r6i.large", "Engine": "mysql",
     "EngineVersion": "8.0.39", "LicenseModel": "general-public-license", "MasterUsername": "admin",
     "MasterUserPassword": CANARY, "ManageMasterUserPassword": False, "AllocatedStorage": 400,
     "StorageType": "gp3", "Iops": 12000, "StorageThroughput": 500, "MaxAllocatedStorage": 1000,
     "MultiAZ": False, "AvailabilityZone": "us-east-1a", "DBSubnetGroupName": "app",
     "PubliclyAccessible": False, "VpcSecurityGroupIds": ["sg-1", "sg-2"], "Port": 3306,
     "CACertificateIdentifier": "rds-ca-rsa2048-g1", "DBName": "orders", "DBParameterGroupName": "pg",
     "OptionGroupName": "og", "BackupRetentionPeriod": 1, "PreferredBackupWindow": "03:00-03:30",
     "CopyTagsToSnapshot": False, "PreferredMaintenanceWindow": "Sun:05:00-Sun:05:30",
     "AutoMinorVersionUpgrade": True, "DeletionProtection": False, "StorageEncrypted": True,
     "KmsKeyId": "alias/aws/rds", "EnablePerformanceInsights": True, "PerformanceInsightsRetentionPeriod": 7,
     "PerformanceInsightsKMSKeyId": "alias/pi", "MonitoringInterval": 60,
     "MonitoringRoleArn": "arn:aws:iam::123456789012:role/rds-monitoring-role",
     "EnableCloudwatchLogsExports": ["error"], "EnableIAMDatabaseAuthentication": False,
     "Tags": [{"Key": "team", "Value": "payments"}, {"Key": "env", "Value": ""}]},
    # Unmodelled parameters, wrong types, unknown names and an Iops without a StorageType.
    {"DBInstanceIdentifier": "x", "DBInstanceClass": "db.m5.large", "Engine": "oracle-ee",
     "MasterUsername": "admin", "AllocatedStorage": "100", "Iops": 1000, "CharacterSetName": "AL32UTF8",
     "Timezone": "UTC", "Bogus": {"a": [1, None]}, "MultiAZ": "yes", "StorageType": "gp4",
     "Tags": [{"Key": "a"}], "VpcSecurityGroupIds": [], "MasterUserPassword": 12345678},
    # Nearly empty, and empty.
    {"Engine": "postgres"},
    {},
]


@pytest.mark.parametrize("request_", REQUESTS)
def test_round_trip_request_spec_request_is_exact(request_: dict[str, Any]) -> None:
    assert to_request(from_request(request_), include_password=True) == request_


@pytest.mark.parametrize("request_", REQUESTS)
def test_round_trip_leaves_the_password_out_unless_asked(request_: dict[str, Any]) -> None:
    written = to_request(from_request(request_))
    assert "MasterUserPassword" not in written
    assert CANARY not in json.dumps(written)


def test_request_reads_into_the_spec() -> None:
    spec = from_request(REQUESTS[1])
    assert spec.engine.engine == "mysql" and spec.settings.credentials == "self-managed"
    assert spec.settings.master_password is not None
    assert spec.settings.master_password.get_secret_value() == CANARY
    assert spec.availability.deployment == "single-az" and spec.storage.iops == 12000
    assert spec.tags == {"team": "payments", "env": ""}
    assert spec.extra_parameters == {}
    first = from_request(REQUESTS[0])
    assert first.availability.deployment == "multi-az-instance"
    assert first.settings.credentials == "secrets-manager"
    # AWS's defaults for what the request leaves out.
    assert first.backup.retention_days == 1 and first.protection.encrypted is False
    assert first.connectivity.public_access is True  # no subnet group: AWS makes it public


def test_defaults_that_depend_on_other_parameters() -> None:
    assert from_request({"Iops": 1000}).storage.type == "io1"
    assert from_request({}).storage.type == "gp3"
    assert from_request({"DBSubnetGroupName": "app"}).connectivity.public_access is False
    assert from_request({"DBSubnetGroupName": "default"}).connectivity.public_access is True


def test_values_that_do_not_fit_ride_in_extra_parameters() -> None:
    spec = from_request(REQUESTS[2])
    assert set(spec.extra_parameters) == {"AllocatedStorage", "CharacterSetName", "Timezone", "Bogus",
                                          "MultiAZ", "StorageType", "Tags", "MasterUserPassword"}
    assert spec.settings.master_password is None


def test_a_changed_spec_writes_the_change() -> None:
    spec = from_request(REQUESTS[0])
    spec.backup.retention_days = 7
    spec.availability.deployment = "single-az"
    request = to_request(spec)
    assert request["BackupRetentionPeriod"] == 7 and request["MultiAZ"] is False


def test_a_wizard_spec_writes_every_setting_it_has() -> None:
    spec = valid_spec()
    request = to_request(spec)
    assert request["MultiAZ"] is True and request["StorageEncrypted"] is True
    assert request["DeletionProtection"] is True and request["PubliclyAccessible"] is False
    assert request["ManageMasterUserPassword"] is True
    assert "Port" not in request and "Iops" not in request and "MasterUserPassword" not in request
    assert request_operation(spec) == "CreateDBInstance"


def test_password_only_with_include_password() -> None:
    spec = self_managed(valid_spec(), CANARY)
    assert "MasterUserPassword" not in to_request(spec)
    assert CANARY not in json.dumps(to_request(spec))
    assert to_request(spec, include_password=True)["MasterUserPassword"] == CANARY


def test_multi_az_cluster_becomes_create_db_cluster() -> None:
    spec = valid_spec(deployment="multi-az-cluster")
    spec.storage.type = "io1"
    spec.storage.iops = 3000
    spec.database.name = "orders"
    spec.database.parameter_group = "pg-cluster"
    spec.connectivity.availability_zone = "us-east-1a"
    spec.extra_parameters = {"NetworkType": "IPV4", "Timezone": "UTC"}
    request = to_request(spec)
    assert request_operation(spec) == "CreateDBCluster"
    assert request["DBClusterIdentifier"] == "orders-db"
    assert request["DBClusterInstanceClass"] == "db.m6i.large"
    assert request["StorageType"] == "io1" and request["Iops"] == 3000 and request["AllocatedStorage"] == 100
    assert request["DatabaseName"] == "orders" and request["DBClusterParameterGroupName"] == "pg-cluster"
    assert request["NetworkType"] == "IPV4"
    assert set(request) <= set(CREATE_DB_CLUSTER_MEMBERS)


def _botocore_accepts(operation: str, request: dict[str, Any]) -> None:
    model = botocore.session.get_session().get_service_model("rds").operation_model(operation)
    report = ParamValidator().validate(request, model.input_shape)
    assert not report.has_errors(), report.generate_report()


@pytest.mark.parametrize("name", builtin_names())
def test_preset_requests_pass_botocore_validation(name: str) -> None:
    spec = load_preset(name)
    _botocore_accepts(request_operation(spec), to_request(spec))


@pytest.mark.parametrize("request_", REQUESTS[:2])
def test_valid_requests_still_pass_botocore_after_a_round_trip(request_: dict[str, Any]) -> None:
    _botocore_accepts("CreateDBInstance", to_request(from_request(request_), include_password=True))
