"""The demo's catalog and seed, read through boto3 exactly as the wizard reads real AWS."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from wizard.demo import start_demo


@pytest.fixture(scope="module")
def demo() -> Iterator[Any]:
    demo = start_demo(speed=600)
    yield demo
    demo.stop()


@pytest.fixture(scope="module")
def rds(demo: Any) -> Any:
    return demo.client("rds")


def _all(rds: Any, operation: str, key: str, **params: Any) -> list[dict[str, Any]]:
    return [item for page in rds.get_paginator(operation).paginate(**params) for item in page[key]]


@pytest.mark.parametrize("engine", ["postgres", "mysql", "mariadb"])
def test_engine_versions_with_one_default(rds: Any, engine: str) -> None:
    versions = _all(rds, "describe_db_engine_versions", "DBEngineVersions", Engine=engine)
    assert len(versions) >= 3
    assert {v["Engine"] for v in versions} == {engine}
    assert all(v["DBParameterGroupFamily"].startswith(engine) for v in versions)
    default = rds.describe_db_engine_versions(Engine=engine, DefaultOnly=True)["DBEngineVersions"]
    assert len(default) == 1
    assert default[0]["EngineVersion"] in {v["EngineVersion"] for v in versions}


def test_engine_version_filter_by_major_version(rds: Any) -> None:
    versions = rds.describe_db_engine_versions(Engine="postgres", EngineVersion="16")["DBEngineVersions"]
    assert versions and all(v["EngineVersion"].startswith("16.") for v in versions)


def test_orderable_options_cover_families_storage_and_limits(rds: Any) -> None:
    default = rds.describe_db_engine_versions(Engine="postgres", DefaultOnly=True)["DBEngineVersions"][0]
    options = _all(rds, "describe_orderable_db_instance_options", "OrderableDBInstanceOptions",
                   Engine="postgres", EngineVersion=default["EngineVersion"])
    classes = {o["DBInstanceClass"] for o in options}
    for wanted in ("db.t3.micro", "db.t4g.micro", "db.m5.large", "db.m6g.large", "db.m6i.large",
                   "db.m7g.large", "db.r5.large", "db.r6g.large", "db.r6i.large"):
        assert wanted in classes
    gp3 = next(o for o in options if o["DBInstanceClass"] == "db.m6g.large" and o["StorageType"] == "gp3")
    assert gp3["MultiAZCapable"] is True
    assert (gp3["MinStorageSize"], gp3["MaxStorageSize"]) == (20, 65536)
    assert gp3["MinIopsPerDbInstance"] < gp3["MaxIopsPerDbInstance"]
    io1 = next(o for o in options if o["DBInstanceClass"] == "db.m6g.large" and o["StorageType"] == "io1")
    assert io1["MinStorageSize"] == 100
    assert any(o["SupportsClusters"] for o in options)
    # Magnetic storage is not offered on Graviton classes.
    assert not any(o["StorageType"] == "standard" and o["DBInstanceClass"] == "db.m6g.large" for o in options)


def test_mariadb_has_no_cluster_classes(rds: Any) -> None:
    options = _all(rds, "describe_orderable_db_instance_options", "OrderableDBInstanceOptions",
                   Engine="mariadb")
    assert options and not any(o["SupportsClusters"] for o in options)


def test_seeded_network_and_groups(rds: Any) -> None:
    groups = {g["DBSubnetGroupName"]: g for g in rds.describe_db_subnet_groups()["DBSubnetGroups"]}
    zones = {name: {s["SubnetAvailabilityZone"]["Name"] for s in g["Subnets"]} for name, g in groups.items()}
    assert len(zones["demo-multi-az"]) == 3
    assert len(zones["demo-single-az"]) == 1
    assert len(zones["default"]) >= 3
    families = {g["DBParameterGroupFamily"] for g in rds.describe_db_parameter_groups()["DBParameterGroups"]}
    assert {"postgres17", "mysql8.0", "mariadb11.4"} <= families
    # DescribeOptionGroups without arguments crashes stock moto; the demo answers it.
    names = {g["OptionGroupName"] for g in rds.describe_option_groups()["OptionGroupsList"]}
    assert "default:postgres-17" in names and "default:mysql-8-0" in names
    filtered = rds.describe_option_groups(EngineName="mysql", MajorEngineVersion="8.0")["OptionGroupsList"]
    assert [g["OptionGroupName"] for g in filtered] == ["default:mysql-8-0"]


def test_seeded_security_group(demo: Any) -> None:
    ec2 = demo.client("ec2")
    names = {g["GroupName"] for g in ec2.describe_security_groups()["SecurityGroups"]}
    assert "demo-db-access" in names
    azs = {s["AvailabilityZone"] for s in ec2.describe_subnets()["Subnets"]}
    assert len(azs) >= 3


def test_calls_are_counted_by_service_and_operation() -> None:
    demo = start_demo(speed=1000)
    try:
        assert sum(demo.calls.values()) == 0  # the seed's own calls are not counted
        rds = demo.client("rds")
        rds.describe_db_engine_versions(Engine="postgres")
        rds.describe_db_engine_versions(Engine="mysql")
        demo.client("ec2").describe_vpcs()
        assert demo.calls == {"rds.DescribeDBEngineVersions": 2, "ec2.DescribeVpcs": 1}
    finally:
        demo.stop()
