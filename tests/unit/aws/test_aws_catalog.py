"""The catalog maps Describe* replies to wizard.catalog types, asks each question once, and keeps answers
on disk for a while (AWS's own endpoints only)."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
from botocore.stub import Stubber

from wizard.aws import ConnectionOptions, open_gateway
from wizard.aws.catalog import NETWORK_TTL_S, SLOW_TTL_S, AwsCatalog, DiskCache, class_key, version_key
from wizard.catalog import EngineVersion, OrderableOption, SubnetGroup


def _version(v: str, family: str = "postgres16", status: str = "available") -> dict[str, Any]:
    return {"Engine": "postgres", "EngineVersion": v, "DBParameterGroupFamily": family,
            "DBEngineVersionDescription": f"PostgreSQL {v}", "Status": status}


def _orderable(cls: str, storage: str = "gp3", multi_az: bool = True, **extra: Any) -> dict[str, Any]:
    return {"Engine": "postgres", "EngineVersion": "16.4", "DBInstanceClass": cls, "StorageType": storage,
            "MultiAZCapable": multi_az, "AvailabilityZones": [{"Name": "eu-west-1b"}, {"Name": "eu-west-1a"}],
            **extra}


def test_engine_versions_newest_first_with_the_default_flagged(fake_keys: Path) -> None:
    gateway = open_gateway(ConnectionOptions(endpoint_url="http://127.0.0.1:9"))
    with Stubber(gateway.client("rds")) as stub:
        stub.add_response("describe_db_engine_versions", {"DBEngineVersions": [_version("16.4")]},
                          {"Engine": "postgres", "DefaultOnly": True})
        stub.add_response("describe_db_engine_versions", {"DBEngineVersions": [
            _version("15.8", "postgres15"), _version("16.4"), _version("16.10"),
            _version("16.1", status="deprecated")]}, {"Engine": "postgres"})
        versions = gateway.catalog.engine_versions("postgres")
        assert gateway.catalog.engine_versions("postgres") == versions
    assert [v.version for v in versions] == ["16.10", "16.4", "15.8"]
    assert [v.version for v in versions if v.is_default] == ["16.4"]
    assert versions[2] == EngineVersion("postgres", "15.8", "postgres15", False, "PostgreSQL 15.8")
    assert gateway.call_counts() == {"rds:DescribeDBEngineVersions": 2}
    assert gateway.repeated_calls() == {}


def test_orderable_options_are_paginated_mapped_and_merged(fake_keys: Path) -> None:
    gateway = open_gateway(ConnectionOptions(endpoint_url="http://127.0.0.1:9"))
    first = {"Engine": "postgres", "EngineVersion": "16.4", "MaxRecords": 1000}
    with Stubber(gateway.client("rds")) as stub:
        stub.add_response("describe_orderable_db_instance_options", {"OrderableDBInstanceOptions": [
            _orderable("db.m6g.large", multi_az=False, LicenseModel="a"),
            _orderable("db.m6g.large", "io1", MinStorageSize=100, MaxStorageSize=65536,
                       MinIopsPerDbInstance=1000, MaxIopsPerDbInstance=256000, MinIopsPerGib=0.5,
                       MaxIopsPerGib=50.0, SupportsClusters=True),
        ], "Marker": "page2"}, first)
        stub.add_response("describe_orderable_db_instance_options", {"OrderableDBInstanceOptions": [
            _orderable("db.m6g.large", LicenseModel="b", AvailabilityZones=[{"Name": "eu-west-1c"}]),
            _orderable("db.t4g.micro", "gp2", multi_az=False, SupportsStorageAutoscaling=False),
        ]}, {**first, "Marker": "page2"})
        options = gateway.catalog.orderable_options("postgres", "16.4")
    assert [(o.instance_class, o.storage_type) for o in options] == [
        ("db.m6g.large", "gp3"), ("db.m6g.large", "io1"), ("db.t4g.micro", "gp2")]
    gp3, io1, micro = options
    assert gp3.multi_az_capable and gp3.availability_zones == ("eu-west-1a", "eu-west-1b", "eu-west-1c")
    assert io1 == OrderableOption("postgres", "16.4", "db.m6g.large", "io1", True, supports_clusters=True,
                                  min_storage_gib=100, max_storage_gib=65536, min_iops=1000, max_iops=256000,
                                  min_iops_per_gib=0.5, max_iops_per_gib=50.0,
                                  availability_zones=("eu-west-1a", "eu-west-1b"))
    assert not micro.multi_az_capable and not micro.supports_storage_autoscaling
    assert micro.family == "burstable"


def test_network_lookups(fake_keys: Path) -> None:
    gateway = open_gateway(ConnectionOptions(endpoint_url="http://127.0.0.1:9"))
    with Stubber(gateway.client("ec2")) as ec2, Stubber(gateway.client("rds")) as rds:
        ec2.add_response("describe_vpcs", {"Vpcs": [
            {"VpcId": "vpc-b", "CidrBlock": "10.0.0.0/16", "IsDefault": False,
             "Tags": [{"Key": "Name", "Value": "prod"}]},
            {"VpcId": "vpc-a", "CidrBlock": "172.31.0.0/16", "IsDefault": True}]}, {})
        ec2.add_response("describe_security_groups", {"SecurityGroups": [
            {"GroupId": "sg-2", "GroupName": "app", "VpcId": "vpc-a", "Description": "app"},
            {"GroupId": "sg-1", "GroupName": "default", "VpcId": "vpc-a", "Description": "default"}]},
            {"Filters": [{"Name": "vpc-id", "Values": ["vpc-a"]}]})
        rds.add_response("describe_db_subnet_groups", {"DBSubnetGroups": [
            {"DBSubnetGroupName": "three-az", "VpcId": "vpc-a", "DBSubnetGroupDescription": "d", "Subnets": [
                {"SubnetIdentifier": "s1", "SubnetAvailabilityZone": {"Name": "eu-west-1b"},
                 "SubnetStatus": "Active"},
                {"SubnetIdentifier": "s2", "SubnetAvailabilityZone": {"Name": "eu-west-1a"},
                 "SubnetStatus": "Active"},
                {"SubnetIdentifier": "s3", "SubnetAvailabilityZone": {"Name": "eu-west-1a"},
                 "SubnetStatus": "Active"},
                {"SubnetIdentifier": "s4", "SubnetAvailabilityZone": {"Name": "eu-west-1c"},
                 "SubnetStatus": "Inactive"}]}]}, {})
        rds.add_response("describe_db_parameter_groups", {"DBParameterGroups": [
            {"DBParameterGroupName": "tuned", "DBParameterGroupFamily": "postgres16", "Description": "t"},
            {"DBParameterGroupName": "default.postgres16", "DBParameterGroupFamily": "postgres16",
             "Description": "d"},
            {"DBParameterGroupName": "default.mysql8.0", "DBParameterGroupFamily": "mysql8.0",
             "Description": "d"}]}, {})
        rds.add_response("describe_db_cluster_parameter_groups", {"DBClusterParameterGroups": [
            {"DBClusterParameterGroupName": "tuned-cluster", "DBParameterGroupFamily": "postgres16",
             "Description": "t"},
            {"DBClusterParameterGroupName": "default.postgres16", "DBParameterGroupFamily": "postgres16",
             "Description": "d"},
            {"DBClusterParameterGroupName": "default.mysql8.0", "DBParameterGroupFamily": "mysql8.0",
             "Description": "d"}]}, {})
        rds.add_response("describe_option_groups", {"OptionGroupsList": [
            {"OptionGroupName": "default:postgres-16", "EngineName": "postgres", "MajorEngineVersion": "16",
             "OptionGroupDescription": "d"}]}, {"EngineName": "postgres", "MajorEngineVersion": "16"})

        vpcs = gateway.catalog.vpcs()
        groups = gateway.catalog.security_groups("vpc-a")
        subnets = gateway.catalog.subnet_groups()
        pg16 = gateway.catalog.parameter_groups("postgres16")
        mysql = gateway.catalog.parameter_groups("mysql8.0")
        cluster_pg16 = gateway.catalog.cluster_parameter_groups("postgres16")
        cluster_mysql = gateway.catalog.cluster_parameter_groups("mysql8.0")
        options = gateway.catalog.option_groups("postgres", "16")
    assert [(v.vpc_id, v.is_default, v.name) for v in vpcs] == [("vpc-a", True, ""), ("vpc-b", False, "prod")]
    assert [g.group_id for g in groups] == ["sg-1", "sg-2"]
    assert subnets == [SubnetGroup("three-az", "vpc-a", ("eu-west-1a", "eu-west-1b"), "d")]
    assert [g.name for g in pg16] == ["default.postgres16", "tuned"]
    assert [g.name for g in mysql] == ["default.mysql8.0"]
    assert [g.name for g in cluster_pg16] == ["default.postgres16", "tuned-cluster"]
    assert [g.name for g in cluster_mysql] == ["default.mysql8.0"]
    assert [(g.name, g.is_default) for g in options] == [("default:postgres-16", True)]
    # Two families, one DescribeDBParameterGroups.
    assert gateway.call_counts()["rds:DescribeDBParameterGroups"] == 1
    assert gateway.call_counts()["rds:DescribeDBClusterParameterGroups"] == 1


class FakeAws:
    """A paginate function answering from canned pages and counting the calls."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.fail_next = 0
        self.delay_s = 0.0
        self._calls_lock = threading.Lock()

    def __call__(self, service: str, operation: str, **params: Any) -> list[dict[str, Any]]:
        with self._calls_lock:
            self.calls.append((operation, params))
            if self.fail_next:
                self.fail_next -= 1
                raise ConnectionError("network down")
        if self.delay_s:
            time.sleep(self.delay_s)
        if operation == "describe_db_engine_versions":
            return [{"DBEngineVersions": [_version("16.4")]}]
        if operation == "describe_db_subnet_groups":
            return [{"DBSubnetGroups": [{"DBSubnetGroupName": "g", "VpcId": "vpc-a", "Subnets": [
                {"SubnetAvailabilityZone": {"Name": "eu-west-1a"}}]}]}]
        if operation == "describe_orderable_db_instance_options":
            return [{"OrderableDBInstanceOptions": [_orderable("db.m6g.large")]}]
        return [{}]

    def count(self, operation: str) -> int:
        """How many times an operation was called."""
        return sum(1 for op, _ in self.calls if op == operation)


def _no_client(_service: str) -> Any:
    raise AssertionError("the catalog must go through paginate")


def test_second_lookup_makes_no_call() -> None:
    aws = FakeAws()
    catalog = AwsCatalog(_no_client, aws)
    first = catalog.subnet_groups()
    assert catalog.subnet_groups() == first
    catalog.engine_versions("postgres")
    catalog.engine_versions("postgres")
    assert aws.count("describe_db_subnet_groups") == 1
    assert aws.count("describe_db_engine_versions") == 2  # DefaultOnly, then all: once each


def test_concurrent_lookups_make_one_call() -> None:
    aws = FakeAws()
    aws.delay_s = 0.05
    catalog = AwsCatalog(_no_client, aws)
    results: list[list[SubnetGroup]] = []
    threads = [threading.Thread(target=lambda: results.append(catalog.subnet_groups())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert aws.count("describe_db_subnet_groups") == 1
    assert len(results) == 8 and all(r == results[0] for r in results)


def test_errors_are_not_cached() -> None:
    aws = FakeAws()
    aws.fail_next = 1
    catalog = AwsCatalog(_no_client, aws)
    with pytest.raises(ConnectionError):
        catalog.subnet_groups()
    assert catalog.subnet_groups()[0].name == "g"
    assert aws.count("describe_db_subnet_groups") == 2


class Clock:
    """A settable time source."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_disk_cache_serves_the_next_run_until_its_ttl(tmp_path: Path) -> None:
    clock = Clock()
    aws = FakeAws()
    AwsCatalog(_no_client, aws, DiskCache(tmp_path, clock=clock)).orderable_options("postgres", "16.4")
    AwsCatalog(_no_client, aws, DiskCache(tmp_path, clock=clock)).subnet_groups()
    assert len(aws.calls) == 2

    # A later run, within both TTLs: nothing is asked, and the types come back intact.
    clock.now += NETWORK_TTL_S - 1
    again = AwsCatalog(_no_client, aws, DiskCache(tmp_path, clock=clock))
    option = again.orderable_options("postgres", "16.4")[0]
    assert option.availability_zones == ("eu-west-1a", "eu-west-1b") and option.multi_az_capable
    assert again.subnet_groups()[0].availability_zones == ("eu-west-1a",)
    assert len(aws.calls) == 2

    # Past the network TTL but within the slow one: only the network is asked again.
    clock.now += 2
    later = AwsCatalog(_no_client, aws, DiskCache(tmp_path, clock=clock))
    later.orderable_options("postgres", "16.4")
    later.subnet_groups()
    assert aws.count("describe_orderable_db_instance_options") == 1
    assert aws.count("describe_db_subnet_groups") == 2

    clock.now += SLOW_TTL_S
    AwsCatalog(_no_client, aws, DiskCache(tmp_path, clock=clock)).orderable_options("postgres", "16.4")
    assert aws.count("describe_orderable_db_instance_options") == 2


def test_disk_cache_ignores_damaged_files(tmp_path: Path) -> None:
    disk = DiskCache(tmp_path)
    disk.save("k", [{"a": 1}])
    for path in tmp_path.glob("*.json"):
        path.write_text("{not json")
    assert disk.load("k", 60) is None
    assert disk.load("missing", 60) is None


def test_disk_cache_is_scoped(tmp_path: Path) -> None:
    DiskCache(tmp_path, scope=lambda: "111-eu-west-1").save("k", [{"a": 1}])
    assert DiskCache(tmp_path, scope=lambda: "111-eu-west-1").load("k", 60) == [{"a": 1}]
    assert DiskCache(tmp_path, scope=lambda: "222-eu-west-1").load("k", 60) is None


def test_gateway_caches_on_disk_only_for_aws(fake_keys: Path) -> None:
    home = Path(str(fake_keys / "home"))
    endpoint = open_gateway(ConnectionOptions(endpoint_url="http://127.0.0.1:9"))
    with Stubber(endpoint.client("rds")) as stub:
        stub.add_response("describe_db_subnet_groups", {"DBSubnetGroups": []}, {})
        endpoint.catalog.subnet_groups()
    assert not list(home.rglob("*.json"))

    aws = open_gateway(ConnectionOptions())
    with Stubber(aws.client("rds")) as rds, Stubber(aws.client("sts")) as sts:
        sts.add_response("get_caller_identity", {"Account": "111122223333"})
        rds.add_response("describe_db_subnet_groups", {"DBSubnetGroups": []}, {})
        aws.catalog.subnet_groups()
    saved = list(home.rglob("*.json"))
    assert len(saved) == 1 and "111122223333-eu-west-1" in str(saved[0])


def test_sort_keys() -> None:
    assert sorted(["16.10", "16.9", "9.6.24", "16.4"], key=version_key) == ["9.6.24", "16.4", "16.9", "16.10"]
    classes = ["db.m6g.2xlarge", "db.m6g.large", "db.m6g.xlarge", "db.m6g.12xlarge", "db.m5.large"]
    assert sorted(classes, key=class_key) == ["db.m5.large", "db.m6g.large", "db.m6g.xlarge",
                                              "db.m6g.2xlarge", "db.m6g.12xlarge"]
