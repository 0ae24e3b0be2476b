"""What AWS refuses, the demo refuses the same way (codes and messages); what AWS accepts, it accepts."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError
from demo_support import follow_statuses

from wizard.demo import start_demo

BASE = dict(DBInstanceClass="db.m6g.large", Engine="postgres", MasterUsername="app_admin",
            MasterUserPassword="not-a-real-pw-1", AllocatedStorage=50, DBSubnetGroupName="demo-multi-az")


@pytest.fixture(scope="module")
def rds() -> Iterator[Any]:
    demo = start_demo(speed=1000)
    yield demo.client("rds")
    demo.stop()


def _error(call: Any, **params: Any) -> tuple[str, str, int]:
    with pytest.raises(ClientError) as info:
        call(**params)
    response = info.value.response
    error, status = response["Error"], response["ResponseMetadata"]["HTTPStatusCode"]
    return error["Code"], error["Message"], status


def test_subnet_group_in_one_az_is_refused(rds: Any) -> None:
    for multi_az in (True, False):
        code, message, status = _error(rds.create_db_instance, **{
            **BASE, "DBInstanceIdentifier": "one-az", "MultiAZ": multi_az,
            "DBSubnetGroupName": "demo-single-az"})
        assert (code, status) == ("DBSubnetGroupDoesNotCoverEnoughAZs", 400)
        assert message == ("The DB subnet group doesn't meet Availability Zone (AZ) coverage requirement. "
                           "Current AZ coverage: us-east-1a. Add subnets to cover at least 2 AZs.")


def test_multi_az_with_an_availability_zone_is_refused(rds: Any) -> None:
    code, message, _ = _error(rds.create_db_instance, **BASE, DBInstanceIdentifier="pinned", MultiAZ=True,
                              AvailabilityZone="us-east-1b")
    assert code == "InvalidParameterCombination"
    assert message == "Requesting a specific availability zone is not valid for Multi-AZ instances."


def test_force_failover_on_single_az_and_reboot_when_not_available_are_refused(rds: Any) -> None:
    created = rds.create_db_instance(**BASE, DBInstanceIdentifier="single")["DBInstance"]
    assert created["DBInstanceStatus"] == "creating"
    code, message, _ = _error(rds.reboot_db_instance, DBInstanceIdentifier="single")
    assert code == "InvalidDBInstanceState" and "single" in message
    follow_statuses(rds, "single")
    code, message, _ = _error(rds.reboot_db_instance, DBInstanceIdentifier="single", ForceFailover=True)
    assert code == "InvalidParameterCombination" and "Multi-AZ" in message


def test_unknown_class_and_version_are_refused_like_rds(rds: Any) -> None:
    code, message, _ = _error(rds.create_db_instance, **{**BASE, "DBInstanceClass": "db.z9.huge"},
                              DBInstanceIdentifier="odd-class")
    assert code == "InvalidParameterCombination"
    assert message.startswith("RDS does not support creating a DB instance with the following combination: "
                              "DBInstanceClass=db.z9.huge, Engine=postgres")
    code, message, _ = _error(rds.create_db_instance, **BASE, EngineVersion="9.6.1",
                              DBInstanceIdentifier="old")
    assert (code, message) == ("InvalidParameterCombination", "Cannot find version 9.6.1 for postgres")


def test_maintenance_window_across_midnight_is_accepted(rds: Any) -> None:
    created = rds.create_db_instance(**BASE, DBInstanceIdentifier="late-maint",
                                     PreferredMaintenanceWindow="sun:23:30-mon:00:30",
                                     PreferredBackupWindow="03:00-03:30")["DBInstance"]
    assert created["PreferredMaintenanceWindow"] == "sun:23:30-mon:00:30"
    follow_statuses(rds, "late-maint")  # RDS modifies only an available instance
    modified = rds.modify_db_instance(DBInstanceIdentifier="late-maint",
                                      PreferredMaintenanceWindow="sat:23:45-sun:00:15")["DBInstance"]
    assert modified["PreferredMaintenanceWindow"] == "sat:23:45-sun:00:15"


def test_overlapping_windows_are_still_refused(rds: Any) -> None:
    code, message, _ = _error(rds.create_db_instance, **BASE, DBInstanceIdentifier="clash",
                              PreferredMaintenanceWindow="sun:23:30-mon:00:30",
                              PreferredBackupWindow="00:00-00:30")
    assert (code, message) == ("InvalidParameterValue",
                               "The backup window and maintenance window must not overlap.")


def test_source_identifier_needs_source_type(rds: Any) -> None:
    code, _, _ = _error(rds.describe_events, SourceIdentifier="single")
    assert code == "InvalidParameterCombination"


@pytest.mark.parametrize(("changes", "code", "message"), [
    ({"MasterUserPassword": "has space 1"}, "InvalidParameterValue",
     "The parameter MasterUserPassword is not a valid password. Only printable ASCII characters besides "
     "'/', '@', '\"', ' ' may be used."),
    ({"MasterUserPassword": "a@b/c1234"}, "InvalidParameterValue", "Only printable ASCII"),
    ({"MasterUserPassword": "short1"}, "InvalidParameterValue", "shorter than 8 characters"),
    ({"Engine": "mysql", "MasterUserPassword": "x" * 42}, "InvalidParameterValue",
     "longer than 41 characters"),
    ({"MasterUsername": "rdsadmin"}, "InvalidParameterValue", "reserved word"),
    ({"MasterUsername": "admin"}, "InvalidParameterValue",
     "MasterUsername admin cannot be used as it is a reserved word used by the engine"),
    ({"ManageMasterUserPassword": True}, "InvalidParameterCombination", "ManageMasterUserPassword"),
])
def test_credentials_rds_refuses(rds: Any, changes: dict[str, Any], code: str, message: str) -> None:
    error_code, error_message, _ = _error(rds.create_db_instance, **{**BASE, **changes},
                                          DBInstanceIdentifier="creds")
    assert error_code == code and message in error_message


def test_admin_is_a_fine_username_on_mysql(rds: Any) -> None:
    created = rds.create_db_instance(**{**BASE, "Engine": "mysql", "MasterUsername": "admin"},
                                     DBInstanceIdentifier="mysql-admin")["DBInstance"]
    assert created["MasterUsername"] == "admin"
