"""Read replicas on the demo, through boto3, as RDS answers: fields, statuses, events, refusals, promotion
and deletion. Simulated listeners stand behind the endpoints here (the real replica is
test_demo_replica_realdb.py), so this runs everywhere."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from demo_support import follow_statuses, wait_for

pytest.importorskip("boto3")

PASSWORD = "Demo-pass-4410"


@pytest.fixture
def demo(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> Iterator[Any]:
    monkeypatch.setenv("RDS_WIZARD_HOME", str(tmp_path))
    monkeypatch.setenv("RDS_WIZARD_DEMO_SIMULATED_DB", "1")
    monkeypatch.delenv("RDS_WIZARD_DEMO_FAULTS", raising=False)
    from wizard.demo import start_demo

    running = start_demo(speed=2000)
    try:
        yield running
    finally:
        running.stop()


def rds_of(demo: Any) -> Any:
    return demo.client("rds")


def make_source(rds: Any, identifier: str = "source", **extra: Any) -> dict[str, Any]:
    settings: dict[str, Any] = {
        "DBInstanceIdentifier": identifier, "Engine": "postgres", "DBInstanceClass": "db.t3.micro",
        "AllocatedStorage": 20, "MasterUsername": "postgres", "MasterUserPassword": PASSWORD,
        "MultiAZ": True, "BackupRetentionPeriod": 1, "DBSubnetGroupName": "demo-multi-az",
    }
    settings.update(extra)
    if settings.get("ManageMasterUserPassword"):
        del settings["MasterUserPassword"]
    rds.create_db_instance(**settings)
    return follow_statuses(rds, identifier)[-1]


def describe(rds: Any, identifier: str) -> dict[str, Any]:
    db: dict[str, Any] = rds.describe_db_instances(DBInstanceIdentifier=identifier)["DBInstances"][0]
    return db


def messages(rds: Any, identifier: str) -> list[str]:
    events = rds.describe_events(SourceIdentifier=identifier, SourceType="db-instance")["Events"]
    return [e["Message"] for e in events]


def test_a_replica_is_created_with_rds_fields_events_and_its_own_endpoint(demo: Any) -> None:
    rds = rds_of(demo)
    source = make_source(rds)
    answer = rds.create_db_instance_read_replica(DBInstanceIdentifier="reader",
                                                 SourceDBInstanceIdentifier="source")["DBInstance"]
    assert answer["DBInstanceStatus"] == "creating"
    assert answer["ReadReplicaSourceDBInstanceIdentifier"] == "source"
    statuses = [db["DBInstanceStatus"] for db in follow_statuses(rds, "reader")]
    assert statuses[0] == "creating" and statuses[-1] == "available"
    replica = describe(rds, "reader")
    assert replica["ReadReplicaSourceDBInstanceIdentifier"] == "source"
    assert replica["BackupRetentionPeriod"] == 0  # RDS creates replicas with backups disabled
    assert replica["StatusInfos"] == [{"StatusType": "read replication", "Normal": True,
                                       "Status": "replicating"}]
    assert "StatusInfos" not in describe(rds, "source")
    assert replica["MultiAZ"] is False  # not inherited from the Multi-AZ source
    assert replica["Endpoint"]["Address"] != source["Endpoint"]["Address"]
    assert demo.resolve(replica["Endpoint"]["Address"])  # resolved like any demo endpoint
    assert describe(rds, "source")["ReadReplicaDBInstanceIdentifiers"] == ["reader"]
    assert "DB instance created" in messages(rds, "reader")
    assert "Replication for the Read Replica resumed." in messages(rds, "reader")
    with pytest.raises(rds.exceptions.ClientError) as own_password:
        rds.modify_db_instance(DBInstanceIdentifier="reader", MasterUserPassword="Another-pass-1",
                               ApplyImmediately=True)
    assert own_password.value.response["Error"]["Code"] == "InvalidParameterCombination"
    # A tag on the replica stays on the replica (moto's copy shared the list).
    rds.add_tags_to_resource(ResourceName=replica["DBInstanceArn"], Tags=[{"Key": "role", "Value": "reads"}])
    source_tags = rds.list_tags_for_resource(ResourceName=source["DBInstanceArn"])["TagList"]
    assert {"Key": "role", "Value": "reads"} not in source_tags


def test_promotion_makes_a_standalone_instance_through_modifying_and_rebooting(demo: Any) -> None:
    rds = rds_of(demo)
    make_source(rds)
    rds.create_db_instance_read_replica(DBInstanceIdentifier="reader", SourceDBInstanceIdentifier="source")
    follow_statuses(rds, "reader")
    answer = rds.promote_read_replica(DBInstanceIdentifier="reader")["DBInstance"]
    assert answer["DBInstanceStatus"] == "modifying"
    statuses = [db["DBInstanceStatus"] for db in follow_statuses(rds, "reader")]
    # At demo speed the `rebooting` stretch can fall between two polls: its event cannot.
    assert set(statuses) <= {"modifying", "rebooting", "available"} and statuses[-1] == "available"
    assert "DB instance restarted" in messages(rds, "reader")
    promoted = describe(rds, "reader")
    assert "ReadReplicaSourceDBInstanceIdentifier" not in promoted
    assert not promoted.get("StatusInfos")
    assert promoted["BackupRetentionPeriod"] == 1  # PromoteReadReplica's default
    assert not describe(rds, "source").get("ReadReplicaDBInstanceIdentifiers")
    assert any("replication has stopped" in m for m in messages(rds, "reader"))
    with pytest.raises(rds.exceptions.ClientError) as again:
        rds.promote_read_replica(DBInstanceIdentifier="reader")
    assert again.value.response["Error"]["Code"] == "InvalidDBInstanceState"


def test_deleting_a_replica_detaches_it_and_deleting_a_source_promotes_its_replicas(demo: Any) -> None:
    rds = rds_of(demo)
    make_source(rds)
    for name in ("one", "two"):
        rds.create_db_instance_read_replica(DBInstanceIdentifier=name, SourceDBInstanceIdentifier="source")
    for name in ("one", "two"):
        follow_statuses(rds, name)
    assert sorted(describe(rds, "source")["ReadReplicaDBInstanceIdentifiers"]) == ["one", "two"]
    for name in ("one", "source"):  # neither a replica nor its source can be stopped
        with pytest.raises(rds.exceptions.ClientError) as stop:
            rds.stop_db_instance(DBInstanceIdentifier=name)
        assert stop.value.response["Error"]["Code"] == "InvalidDBInstanceState"
    rds.delete_db_instance(DBInstanceIdentifier="one", SkipFinalSnapshot=True)
    assert describe(rds, "source")["ReadReplicaDBInstanceIdentifiers"] == ["two"]
    rds.delete_db_instance(DBInstanceIdentifier="source", SkipFinalSnapshot=True)
    two = describe(rds, "two")
    assert two["DBInstanceStatus"] == "modifying"
    assert "ReadReplicaSourceDBInstanceIdentifier" not in two
    follow_statuses(rds, "two")
    assert any("source DB instance source was deleted" in m for m in messages(rds, "two"))


@pytest.mark.parametrize(("change", "code", "words"), [
    ({"BackupRetentionPeriod": 0}, "InvalidDBInstanceState", "Automated backups are not enabled"),
    ({"ManageMasterUserPassword": True}, "InvalidParameterValue",
     "Creating read replicas for source instance with engine postgres where ManageMasterUserPassword is "
     "enabled is not supported."),
])
def test_refusals_are_rds_errors(demo: Any, change: dict[str, Any], code: str, words: str) -> None:
    rds = rds_of(demo)
    make_source(rds, **change)
    with pytest.raises(rds.exceptions.ClientError) as refused:
        rds.create_db_instance_read_replica(DBInstanceIdentifier="reader",
                                            SourceDBInstanceIdentifier="source")
    assert refused.value.response["Error"]["Code"] == code
    assert words in refused.value.response["Error"]["Message"]
    assert not describe(rds, "source").get("ReadReplicaDBInstanceIdentifiers")


def test_a_source_that_is_not_available_is_refused_and_so_is_a_sixteenth_replica(demo: Any) -> None:
    rds = rds_of(demo)
    rds.create_db_instance(DBInstanceIdentifier="source", Engine="postgres", DBInstanceClass="db.t3.micro",
                           AllocatedStorage=20, MasterUsername="postgres", MasterUserPassword=PASSWORD,
                           BackupRetentionPeriod=1)
    with pytest.raises(rds.exceptions.ClientError) as creating:
        rds.create_db_instance_read_replica(DBInstanceIdentifier="early", SourceDBInstanceIdentifier="source")
    assert creating.value.response["Error"]["Code"] == "InvalidDBInstanceState"
    follow_statuses(rds, "source")
    for number in range(15):
        rds.create_db_instance_read_replica(DBInstanceIdentifier=f"r{number}",
                                            SourceDBInstanceIdentifier="source")
    with pytest.raises(rds.exceptions.ClientError) as sixteenth:
        rds.create_db_instance_read_replica(DBInstanceIdentifier="r15", SourceDBInstanceIdentifier="source")
    assert "15" in sixteenth.value.response["Error"]["Message"]
    wait_for("the replicas", lambda: all(describe(rds, f"r{n}")["DBInstanceStatus"] == "available"
                                         for n in range(15)))


def test_a_multi_az_replica_has_a_standby_zone_and_survives_a_forced_failover(demo: Any) -> None:
    rds = rds_of(demo)
    make_source(rds)
    rds.create_db_instance_read_replica(DBInstanceIdentifier="reader", SourceDBInstanceIdentifier="source",
                                        MultiAZ=True)
    replica = follow_statuses(rds, "reader")[-1]
    assert replica["MultiAZ"] is True
    assert replica["SecondaryAvailabilityZone"] not in (None, replica["AvailabilityZone"])
    rds.reboot_db_instance(DBInstanceIdentifier="reader", ForceFailover=True)
    after = follow_statuses(rds, "reader")[-1]
    assert demo.resolve(after["Endpoint"]["Address"])
