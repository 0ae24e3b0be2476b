"""A Multi-AZ DB cluster in the demo: writer and two readable standbys in three AZs, then a failover."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError
from demo_support import connects, wait_for

from wizard.demo import start_demo

CLUSTER = dict(Engine="postgres", DBClusterInstanceClass="db.r6gd.large", AllocatedStorage=100,
               StorageType="io1", Iops=1000, MasterUsername="app_admin", MasterUserPassword="not-a-real-pw-1")


@pytest.fixture(scope="module")
def demo() -> Iterator[Any]:
    demo = start_demo(speed=1000)
    yield demo
    demo.stop()


def _cluster(rds: Any, identifier: str) -> dict[str, Any]:
    cluster: dict[str, Any] = rds.describe_db_clusters(DBClusterIdentifier=identifier)["DBClusters"][0]
    return cluster


def test_cluster_needs_three_azs(demo: Any) -> None:
    rds = demo.client("rds")
    with pytest.raises(ClientError) as info:
        rds.create_db_cluster(**CLUSTER, DBClusterIdentifier="thin", DBSubnetGroupName="demo-single-az")
    assert info.value.response["Error"]["Code"] == "DBSubnetGroupDoesNotCoverEnoughAZs"
    assert "cover at least 3 AZs" in info.value.response["Error"]["Message"]


def test_cluster_class_must_support_clusters(demo: Any) -> None:
    rds = demo.client("rds")
    with pytest.raises(ClientError) as info:
        rds.create_db_cluster(**{**CLUSTER, "DBClusterInstanceClass": "db.t3.micro"},
                              DBClusterIdentifier="tiny", DBSubnetGroupName="demo-multi-az")
    assert info.value.response["Error"]["Code"] == "InvalidParameterCombination"


def test_cluster_create_and_failover(demo: Any) -> None:
    rds = demo.client("rds")
    created = rds.create_db_cluster(**CLUSTER, DBClusterIdentifier="ledger",
                                    DBSubnetGroupName="demo-multi-az")["DBCluster"]
    assert created["Status"] == "creating"
    statuses = []

    def available() -> bool:
        status = _cluster(rds, "ledger")["Status"]
        if not statuses or statuses[-1] != status:
            statuses.append(status)
        return bool(status == "available")

    wait_for("the cluster to be available", available)
    assert statuses[0] == "creating" and statuses[-1] == "available"
    cluster = _cluster(rds, "ledger")
    members = {m["DBInstanceIdentifier"]: m for m in cluster["DBClusterMembers"]}
    assert len(members) == 3
    instances = rds.describe_db_instances(
        Filters=[{"Name": "db-cluster-id", "Values": ["ledger"]}])["DBInstances"]
    zones = {i["DBInstanceIdentifier"]: i["AvailabilityZone"] for i in instances}
    assert len(set(zones.values())) == 3
    [writer] = [name for name, m in members.items() if m["IsClusterWriter"]]
    port = cluster["Port"]
    [writer_address] = demo.resolve(cluster["Endpoint"])
    assert len(demo.resolve(cluster["ReaderEndpoint"])) == 2
    assert connects(writer_address, port)
    for address in demo.resolve(cluster["ReaderEndpoint"]):
        assert connects(address, port)  # readable standbys accept connections

    demo.set_speed(100)
    try:
        failing = rds.failover_db_cluster(DBClusterIdentifier="ledger")["DBCluster"]
        assert failing["Status"] == "failing-over"
        wait_for("the failover to end", lambda: _cluster(rds, "ledger")["Status"] == "available")
    finally:
        demo.set_speed(1000)
    after = _cluster(rds, "ledger")
    [new_writer] = [m["DBInstanceIdentifier"] for m in after["DBClusterMembers"] if m["IsClusterWriter"]]
    assert new_writer != writer and zones[new_writer] != zones[writer]
    [new_address] = demo.resolve(after["Endpoint"])
    assert new_address != writer_address and connects(new_address, port)
    events = rds.describe_events(SourceIdentifier="ledger", SourceType="db-cluster")["Events"]
    assert [e["Message"] for e in events] == [
        "DB cluster created",
        f"Started cross AZ failover to DB instance: {new_writer}",
        f"Completed failover to DB instance: {new_writer}",
    ]
    [outage] = demo.outage_windows("ledger")
    assert outage.kind == "cluster-failover"
    assert (outage.from_az, outage.to_az) == (zones[writer], zones[new_writer])
    assert outage.seconds is not None and outage.seconds > 0
