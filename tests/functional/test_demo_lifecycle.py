"""A Multi-AZ DB instance's life in the demo, observed through boto3 and TCP only: create, then failover."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError
from demo_support import connects, follow_statuses, wait_for

from wizard.demo import start_demo

SPEED = 1000.0


@pytest.fixture(scope="module")
def demo() -> Iterator[Any]:
    # The simulated listeners' own contract (raw TCP connections held and reset); the real PostgreSQL
    # servers the demo puts behind postgres instances by default are covered in test_demo_default_realdb.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RDS_WIZARD_DEMO_SIMULATED_DB", "1")
        demo = start_demo(speed=SPEED)
    yield demo
    demo.stop()


def _create(rds: Any, identifier: str, **extra: Any) -> dict[str, Any]:
    params: dict[str, Any] = dict(
        DBInstanceIdentifier=identifier, DBInstanceClass="db.m6g.large", Engine="postgres", MultiAZ=True,
        MasterUsername="app_admin", ManageMasterUserPassword=True, DBSubnetGroupName="demo-multi-az",
        AllocatedStorage=100, StorageType="gp3", BackupRetentionPeriod=7,
        PreferredBackupWindow="03:00-03:30", PreferredMaintenanceWindow="sun:23:30-mon:00:30")
    params.update(extra)
    created: dict[str, Any] = rds.create_db_instance(**params)["DBInstance"]
    return created


def test_multi_az_create_goes_through_rds_statuses_and_events(demo: Any) -> None:
    rds = demo.client("rds")
    created = _create(rds, "orders-db")
    assert created["DBInstanceStatus"] == "creating"
    assert "Endpoint" not in created
    assert created["EngineVersion"]  # the catalog's default filled in
    history = follow_statuses(rds, "orders-db")
    statuses = [db["DBInstanceStatus"] for db in history]
    assert [s for s in dict.fromkeys(statuses)] == ["creating", "modifying", "backing-up", "available"]
    final = history[-1]
    zones = {s["SubnetAvailabilityZone"]["Name"] for s in final["DBSubnetGroup"]["Subnets"]}
    assert final["AvailabilityZone"] in zones and final["SecondaryAvailabilityZone"] in zones
    assert final["AvailabilityZone"] != final["SecondaryAvailabilityZone"]
    assert final["Endpoint"]["Port"] == 5432

    events = rds.describe_events(SourceIdentifier="orders-db", SourceType="db-instance")["Events"]
    messages = [e["Message"] for e in events]
    assert messages == [
        "DB instance created",
        "Applying modification to convert to a Multi-AZ DB instance",
        "Finished applying modification to convert to a Multi-AZ DB instance",
        "Backing up DB instance",
        "Finished DB instance backup",
    ]
    dates = [e["Date"] for e in events]
    assert dates == sorted(dates)
    assert events[0]["EventCategories"] == ["creation"]
    # Duration is honoured: nothing happened more than a minute in the future or the past.
    later = dates[-1].replace(year=2100)
    assert rds.describe_events(SourceType="db-instance", StartTime=later)["Events"] == []
    assert len(rds.describe_events(SourceIdentifier="orders-db", SourceType="db-instance",
                                   Duration=1)["Events"]) == 5
    backup_only = rds.describe_events(SourceIdentifier="orders-db", SourceType="db-instance",
                                      EventCategories=["backup"])["Events"]
    assert [e["Message"] for e in backup_only] == messages[3:]


def test_single_az_create_skips_the_multi_az_conversion(demo: Any) -> None:
    rds = demo.client("rds")
    _create(rds, "dev-db", MultiAZ=False, DBInstanceClass="db.t4g.micro", StorageType="gp2",
            AllocatedStorage=20)
    history = follow_statuses(rds, "dev-db")
    assert [s for s in dict.fromkeys(db["DBInstanceStatus"] for db in history)] == [
        "creating", "backing-up", "available"]
    assert "SecondaryAvailabilityZone" not in history[-1]


def test_managed_secret_holds_the_real_username_and_a_generated_password(demo: Any) -> None:
    rds = demo.client("rds")
    _create(rds, "secret-db")
    db = rds.describe_db_instances(DBInstanceIdentifier="secret-db")["DBInstances"][0]
    value = json.loads(demo.client("secretsmanager").get_secret_value(
        SecretId=db["MasterUserSecret"]["SecretArn"])["SecretString"])
    assert value["username"] == "app_admin"
    assert len(value["password"]) >= 16 and value["password"] != "P@55w0rd!"
    assert not set(value["password"]) & set('/@" ')


def test_forced_failover_swaps_azs_moves_the_endpoint_and_drops_connections(demo: Any) -> None:
    rds = demo.client("rds")
    _create(rds, "pay-db")
    before = follow_statuses(rds, "pay-db")[-1]
    host, port = before["Endpoint"]["Address"], before["Endpoint"]["Port"]
    [old_address] = demo.resolve(host)
    assert old_address.startswith("127.")
    assert connects(old_address, port)
    held = socket.create_connection((old_address, port), timeout=2)
    # A slower clock for the failover itself, so the outage (60-120 s of RDS time) lasts a second or two.
    demo.set_speed(60)
    try:
        rebooting = rds.reboot_db_instance(DBInstanceIdentifier="pay-db", ForceFailover=True)["DBInstance"]
        assert rebooting["DBInstanceStatus"] == "rebooting"
        _check_failover(demo, rds, before, held)
    finally:
        demo.set_speed(SPEED)


def _check_failover(demo: Any, rds: Any, before: dict[str, Any], held: socket.socket) -> None:
    host, port = before["Endpoint"]["Address"], before["Endpoint"]["Port"]
    [old_address] = demo.resolve(host)
    assert not connects(old_address, port)
    held.settimeout(5)
    with contextlib.suppress(ConnectionResetError):  # a reset, as from a database that went away
        assert held.recv(1) == b""
    held.close()

    after = follow_statuses(rds, "pay-db")[-1]
    assert after["AvailabilityZone"] == before["SecondaryAvailabilityZone"]
    assert after["SecondaryAvailabilityZone"] == before["AvailabilityZone"]
    [new_address] = demo.resolve(host)
    assert new_address != old_address
    assert connects(new_address, port)
    assert not connects(old_address, port)  # the old primary is the standby now: no connections

    messages = [e["Message"] for e in rds.describe_events(SourceIdentifier="pay-db", SourceType="db-instance",
                                                         EventCategories=["failover"])["Events"]]
    assert messages == ["Multi-AZ instance failover started.",
                        "Multi-AZ failover to standby complete - DNS propagation may take a few minutes.",
                        "Multi-AZ instance failover completed."]
    [outage] = demo.outage_windows("pay-db")
    assert outage.kind == "failover"
    assert (outage.from_az, outage.to_az) == (before["AvailabilityZone"], after["AvailabilityZone"])
    assert outage.seconds is not None and outage.seconds > 0
    assert outage.started_at < outage.ended_at


def test_plain_reboot_keeps_the_azs(demo: Any) -> None:
    rds = demo.client("rds")
    _create(rds, "cache-db")
    before = follow_statuses(rds, "cache-db")[-1]
    rebooting = rds.reboot_db_instance(DBInstanceIdentifier="cache-db")["DBInstance"]
    assert rebooting["DBInstanceStatus"] == "rebooting"
    after = follow_statuses(rds, "cache-db")
    assert after[-1]["AvailabilityZone"] == before["AvailabilityZone"]
    events = rds.describe_events(SourceIdentifier="cache-db", SourceType="db-instance")["Events"]
    assert events[-1]["Message"] == "DB instance restarted"
    assert [o.kind for o in demo.outage_windows("cache-db")] == ["reboot"]


def test_deleting_closes_the_listener(demo: Any) -> None:
    rds = demo.client("rds")
    _create(rds, "temp-db", MultiAZ=False)
    db = follow_statuses(rds, "temp-db")[-1]
    [address] = demo.resolve(db["Endpoint"]["Address"])
    rds.delete_db_instance(DBInstanceIdentifier="temp-db", SkipFinalSnapshot=True)
    wait_for("the listener to close", lambda: not connects(address, 5432))
    assert demo.resolve(db["Endpoint"]["Address"]) == []
    events = rds.describe_events(SourceIdentifier="temp-db", SourceType="db-instance")["Events"]
    assert events[-1]["Message"] == "DB instance deleted" and events[-1]["EventCategories"] == ["deletion"]


def test_stop_closes_every_listener() -> None:
    demo = start_demo(speed=SPEED)
    rds = demo.client("rds")
    _create(rds, "short-db", MultiAZ=False)
    db = follow_statuses(rds, "short-db")[-1]
    [address] = demo.resolve(db["Endpoint"]["Address"])
    demo.stop()
    assert not connects(address, 5432)


def test_stop_and_start_take_the_endpoint_down_and_up(demo: Any) -> None:
    rds = demo.client("rds")
    _create(rds, "night-db", MultiAZ=False)
    db = follow_statuses(rds, "night-db")[-1]
    [address] = demo.resolve(db["Endpoint"]["Address"])
    stopping = rds.stop_db_instance(DBInstanceIdentifier="night-db")["DBInstance"]
    assert stopping["DBInstanceStatus"] == "stopping"
    assert not connects(address, 5432)
    follow_statuses(rds, "night-db", until="stopped")
    starting = rds.start_db_instance(DBInstanceIdentifier="night-db")["DBInstance"]
    assert starting["DBInstanceStatus"] == "starting"
    follow_statuses(rds, "night-db")
    assert connects(address, 5432)
    messages = [e["Message"] for e in rds.describe_events(SourceIdentifier="night-db",
                                                         SourceType="db-instance")["Events"]]
    assert messages[-2:] == ["DB instance stopped", "DB instance started"]


def test_modify_to_multi_az_converts_and_then_fails_over(demo: Any) -> None:
    rds = demo.client("rds")
    _create(rds, "grow-db", MultiAZ=False)
    before = follow_statuses(rds, "grow-db")[-1]
    modified = rds.modify_db_instance(DBInstanceIdentifier="grow-db", MultiAZ=True, ApplyImmediately=True)
    assert modified["DBInstance"]["DBInstanceStatus"] == "modifying"
    with pytest.raises(ClientError) as info:
        rds.modify_db_instance(DBInstanceIdentifier="grow-db", BackupRetentionPeriod=3, ApplyImmediately=True)
    assert info.value.response["Error"]["Code"] == "InvalidDBInstanceState"
    converted = follow_statuses(rds, "grow-db")[-1]
    standby = converted["SecondaryAvailabilityZone"]
    assert standby and standby != before["AvailabilityZone"]
    rds.reboot_db_instance(DBInstanceIdentifier="grow-db", ForceFailover=True)
    after = follow_statuses(rds, "grow-db")[-1]
    assert after["AvailabilityZone"] == standby
    assert after["SecondaryAvailabilityZone"] == before["AvailabilityZone"]
    [address] = demo.resolve(after["Endpoint"]["Address"])
    assert connects(address, 5432)


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts descriptors through /proc")
def test_closed_probe_connections_are_released(demo: Any) -> None:
    rds = demo.client("rds")
    _create(rds, "probe-db", MultiAZ=False)
    db = follow_statuses(rds, "probe-db")[-1]
    [address] = demo.resolve(db["Endpoint"]["Address"])
    connects(address, 5432)
    before = len(os.listdir("/proc/self/fd"))
    for _ in range(300):
        assert connects(address, 5432)
    wait_for("the listener to let go of closed connections",
             lambda: len(os.listdir("/proc/self/fd")) <= before + 5)


def test_an_instance_deleted_during_a_failover_stays_down(demo: Any) -> None:
    rds = demo.client("rds")
    _create(rds, "gone-db")
    db = follow_statuses(rds, "gone-db")[-1]
    addresses = {*demo.resolve(db["Endpoint"]["Address"])}
    demo.set_speed(60)
    try:
        rds.reboot_db_instance(DBInstanceIdentifier="gone-db", ForceFailover=True)
        # Whether RDS takes a delete mid-failover is unverified; the demo does, and must not resurrect it.
        rds.delete_db_instance(DBInstanceIdentifier="gone-db", SkipFinalSnapshot=True)
        [window] = demo.outage_windows("gone-db")
        wait_for("the outage's planned end to pass",
                 lambda: time.monotonic() > window.started_monotonic + 120 / 60 + 0.5, timeout=10)
    finally:
        demo.set_speed(SPEED)
    assert not any(connects(address, 5432) for address in addresses)
    assert demo.resolve(db["Endpoint"]["Address"]) == []


def test_a_simulated_node_closes_a_connection_that_starts_a_login(demo: Any) -> None:
    rds = demo.client("rds")
    _create(rds, "talk-db", MultiAZ=False)
    db = follow_statuses(rds, "talk-db")[-1]
    [address] = demo.resolve(db["Endpoint"]["Address"])
    with socket.create_connection((address, 5432), timeout=5) as conn:
        conn.sendall(b"\x00\x00\x00\x08\x04\xd2\x16\x2f")  # PostgreSQL's SSLRequest
        with contextlib.suppress(ConnectionResetError):
            assert conn.recv(1) == b""
