"""Faults on demand: what boto3 sees (HTTP errors, dropped connections) and how botocore recovers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError, ConnectionClosedError
from demo_support import follow_statuses, wait_for

from wizard.demo import start_demo
from wizard.demo.faults import ENV_VAR, FaultSpecError

STANDARD = Config(retries={"mode": "standard", "total_max_attempts": 3})
NO_RETRY = Config(retries={"mode": "standard", "total_max_attempts": 1})


@pytest.fixture(scope="module")
def demo() -> Iterator[Any]:
    demo = start_demo(speed=1000)
    yield demo
    demo.stop()


@pytest.fixture(autouse=True)
def _no_faults_left(demo: Any) -> Iterator[None]:
    yield
    demo.faults.clear()


def test_throttled_call_is_retried_by_botocore_and_succeeds(demo: Any) -> None:
    demo.faults.add("throttle:DescribeDBSubnetGroups:2")
    groups = demo.client("rds", config=STANDARD).describe_db_subnet_groups()["DBSubnetGroups"]
    assert groups
    assert demo.faults.injected["throttle:DescribeDBSubnetGroups"] == 2


def test_throttling_is_a_real_http_error_without_retries(demo: Any) -> None:
    demo.faults.add("throttle:DescribeDBSubnetGroups:1")
    with pytest.raises(ClientError) as info:
        demo.client("rds", config=NO_RETRY).describe_db_subnet_groups()
    assert info.value.response["Error"]["Code"] == "Throttling"
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_fail_next_call_with_an_error_code(demo: Any) -> None:
    demo.faults.add("fail:CreateDBInstance:1:InsufficientDBInstanceCapacity")
    rds = demo.client("rds", config=STANDARD)
    params = dict(DBInstanceIdentifier="capacity-db", DBInstanceClass="db.m6g.large", Engine="postgres",
                  MasterUsername="app_admin", MasterUserPassword="not-a-real-pw-1", AllocatedStorage=20,
                  DBSubnetGroupName="demo-multi-az")
    with pytest.raises(ClientError) as info:
        rds.create_db_instance(**params)
    assert info.value.response["Error"]["Code"] == "InsufficientDBInstanceCapacity"
    assert rds.create_db_instance(**params)["DBInstance"]["DBInstanceStatus"] == "creating"


def test_dropped_connection_is_retried(demo: Any) -> None:
    demo.faults.add("drop:DescribeDBSubnetGroups:1")
    assert demo.client("rds", config=STANDARD).describe_db_subnet_groups()["DBSubnetGroups"]
    assert demo.faults.injected["drop:DescribeDBSubnetGroups"] == 1


def test_dropped_connections_for_a_while_then_recovery(demo: Any) -> None:
    rds = demo.client("rds", config=NO_RETRY)
    demo.faults.add("drop:2s")
    with pytest.raises(ConnectionClosedError):
        rds.describe_db_subnet_groups()

    def answers() -> bool:
        try:
            return bool(rds.describe_db_subnet_groups()["DBSubnetGroups"])
        except ConnectionClosedError:
            return False

    wait_for("the demo to answer again", answers)


def test_faults_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, "fail:DescribeDBInstances:1:InternalFailure")
    demo = start_demo(speed=1000)
    try:
        with pytest.raises(ClientError) as info:
            demo.client("rds", config=NO_RETRY).describe_db_instances()
        assert info.value.response["Error"]["Code"] == "InternalFailure"
        assert demo.client("rds", config=NO_RETRY).describe_db_instances()["DBInstances"] == []
    finally:
        demo.stop()


def test_a_bad_spec_is_refused_before_anything_starts() -> None:
    with pytest.raises(FaultSpecError, match="throttle:OPERATION:N"):
        start_demo(speed=1000, faults="throttle:often")


def test_no_standby_capacity_leaves_a_multi_az_create_single_az(demo: Any) -> None:
    demo.faults.add("nostandby:1")
    rds = demo.client("rds")
    rds.create_db_instance(DBInstanceIdentifier="lonely-db", DBInstanceClass="db.m6g.large",
                           Engine="postgres", MultiAZ=True, MasterUsername="app_admin",
                           MasterUserPassword="not-a-real-pw-1", AllocatedStorage=20,
                           DBSubnetGroupName="demo-multi-az")
    db = follow_statuses(rds, "lonely-db")[-1]
    assert db["MultiAZ"] is False and "SecondaryAvailabilityZone" not in db
    messages = [e["Message"] for e in rds.describe_events(SourceIdentifier="lonely-db",
                                                         SourceType="db-instance")["Events"]]
    assert any("Insufficient instance capacity" in m for m in messages)
    with pytest.raises(ClientError) as info:
        rds.reboot_db_instance(DBInstanceIdentifier="lonely-db", ForceFailover=True)
    assert info.value.response["Error"]["Code"] == "InvalidParameterCombination"
