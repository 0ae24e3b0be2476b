"""The real-PostgreSQL demo tells the truth when the standby cannot come back after a failover.

The old primary's rejoin runs on a background thread. Whatever breaks there (here an OSError, as a full
disk or a vanished folder gives) becomes RDS events and an honest instance: the standby is rebuilt
(Multi-AZ instance recovery), or it is lost and the instance says it is Single-AZ. A failover asked for
meanwhile is refused with the reason; none leaves the instance `rebooting` with nothing listening.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from demo_support import wait_for

from wizard.demo.network import InstanceInfo, NodeAddress
from wizard.demo.realdb import PostgresPair, realdb_available
from wizard.demo.realdb.network import RealPostgresNetwork, realdb_factory

psycopg = pytest.importorskip("psycopg")
pytest.importorskip("boto3")
from botocore.exceptions import ClientError  # noqa: E402 - after the skip above

PASSWORD = "Demo-pass-5521"
FAILOVER = ["Multi-AZ instance failover started.",
            "Multi-AZ failover to standby complete - DNS propagation may take a few minutes.",
            "Multi-AZ instance failover completed."]
RECOVERY_STARTED = "Multi-AZ instance recovery started."
RECOVERY_DONE = "Multi-AZ instance recovery completed. Pending failover or activation."
DISK_FULL = OSError(28, "No space left on device")


def _rejoin_fails(pair: PostgresPair, timeout: float = 60.0) -> Any:
    raise DISK_FULL


@dataclass
class Demo:
    demo: Any
    rds: Any
    networks: list[RealPostgresNetwork]

    def db(self) -> dict[str, Any]:
        [found] = self.rds.describe_db_instances(DBInstanceIdentifier="pay-db")["DBInstances"]
        return dict(found)

    def wait_available(self) -> dict[str, Any]:
        return wait_for("pay-db to be available", lambda: (db := self.db())["DBInstanceStatus"] == "available"
                        and db)

    def messages(self) -> list[str]:
        events = self.rds.describe_events(SourceIdentifier="pay-db", SourceType="db-instance")["Events"]
        return [str(e["Message"]) for e in events]

    def wait_event(self, text: str) -> list[str]:
        return wait_for(f"the event {text!r}", lambda: (m := self.messages()) and any(text in x for x in m)
                        and m)

    def query(self) -> int:
        db = self.db()
        [host] = self.demo.resolve(db["Endpoint"]["Address"])
        with psycopg.connect(host=host, port=db["Endpoint"]["Port"], user="postgres", password=PASSWORD,
                             dbname="postgres", connect_timeout=5) as conn:
            row = conn.execute("SELECT 1").fetchone()
        return int(row[0])


@pytest.fixture()
def demo(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Demo]:
    ok, reason = realdb_available()
    if not ok:
        pytest.skip(reason)
    monkeypatch.setenv("RDS_WIZARD_HOME", str(tmp_path))
    from wizard.demo import start_demo

    networks: list[RealPostgresNetwork] = []
    real = realdb_factory(lambda _: PASSWORD)

    def factory(info: InstanceInfo, addresses: dict[str, NodeAddress]) -> RealPostgresNetwork:
        networks.append(real(info, addresses))
        return networks[-1]

    running = start_demo(speed=1000, network_factory=factory)
    try:
        rds = running.client("rds")
        rds.create_db_instance(DBInstanceIdentifier="pay-db", Engine="postgres",
                               DBInstanceClass="db.t3.micro", AllocatedStorage=20,
                               MasterUsername="postgres", MasterUserPassword=PASSWORD,
                               MultiAZ=True, DBSubnetGroupName="demo-multi-az")
        demo = Demo(running, rds, networks)
        demo.wait_available()
        yield demo
    finally:
        running.stop()


def _error(call: Callable[..., Any], **params: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as info:
        call(**params)
    return info.value.response["Error"]["Code"], info.value.response["Error"]["Message"]


@pytest.mark.slow
def test_a_rejoin_that_fails_is_followed_by_a_new_standby_and_said_so(
        demo: Demo, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]) -> None:
    before = demo.db()
    monkeypatch.setattr(PostgresPair, "rejoin_old_primary", _rejoin_fails)
    demo.rds.reboot_db_instance(DBInstanceIdentifier="pay-db", ForceFailover=True)
    messages = demo.wait_event(RECOVERY_DONE)
    assert messages[-5:] == [*FAILOVER, RECOVERY_STARTED, RECOVERY_DONE]
    after = demo.wait_available()
    assert after["MultiAZ"] is True
    assert (after["AvailabilityZone"], after["SecondaryAvailabilityZone"]) == (
        before["SecondaryAvailabilityZone"], before["AvailabilityZone"])
    assert any("No space left on device" in p for p in demo.demo.problems)
    assert demo.query() == 1
    # The new standby takes a failover like the old one did.
    demo.rds.reboot_db_instance(DBInstanceIdentifier="pay-db", ForceFailover=True)
    wait_for("a second recovery", lambda: demo.messages().count(RECOVERY_DONE) == 2)
    back = demo.wait_available()
    assert back["AvailabilityZone"] == before["AvailabilityZone"] and back["MultiAZ"] is True
    assert demo.query() == 1
    assert "Traceback" not in capfd.readouterr().err


@pytest.mark.slow
def test_a_standby_that_cannot_be_rebuilt_is_lost_and_the_instance_says_single_az(
        demo: Demo, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]) -> None:
    before = demo.db()

    def no_standby(pair: PostgresPair, standby_addr: Any = None) -> None:
        raise DISK_FULL

    monkeypatch.setattr(PostgresPair, "rejoin_old_primary", _rejoin_fails)
    monkeypatch.setattr(PostgresPair, "build_standby", no_standby)
    demo.rds.reboot_db_instance(DBInstanceIdentifier="pay-db", ForceFailover=True)
    messages = demo.wait_event("Multi-AZ instance recovery failed")
    lost = messages[-1]
    assert messages[-5:-1] == [*FAILOVER, RECOVERY_STARTED]
    assert f"the standby in {before['AvailabilityZone']} could not be rebuilt" in lost
    assert "No space left on device" in lost and "Single-AZ" in lost
    after = demo.wait_available()
    assert after["MultiAZ"] is False and "SecondaryAvailabilityZone" not in after
    assert after["AvailabilityZone"] == before["SecondaryAvailabilityZone"]
    code, message = _error(demo.rds.reboot_db_instance, DBInstanceIdentifier="pay-db", ForceFailover=True)
    assert code == "InvalidParameterCombination" and "Single-AZ" in message
    assert demo.db()["DBInstanceStatus"] == "available"  # refused, not stuck in `rebooting`
    demo.rds.reboot_db_instance(DBInstanceIdentifier="pay-db")  # a plain reboot still works
    demo.wait_event("DB instance restarted")
    demo.wait_available()
    assert demo.query() == 1
    assert "Traceback" not in capfd.readouterr().err


@pytest.mark.slow
def test_a_failover_while_the_standby_is_rebuilt_is_refused_with_the_reason(
        demo: Demo, monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()
    build = PostgresPair.build_standby

    def slow_build(pair: PostgresPair, standby_addr: Any = None) -> None:
        release.wait(60)
        build(pair, standby_addr)

    monkeypatch.setattr(PostgresPair, "rejoin_old_primary", _rejoin_fails)
    monkeypatch.setattr(PostgresPair, "build_standby", slow_build)
    demo.rds.reboot_db_instance(DBInstanceIdentifier="pay-db", ForceFailover=True)
    demo.wait_event(RECOVERY_STARTED)
    demo.wait_available()
    cases = [("ForceFailover", {"ForceFailover": True}), ("plain reboot", {})]
    try:
        for _, params in cases:
            code, message = _error(demo.rds.reboot_db_instance, DBInstanceIdentifier="pay-db", **params)
            assert code == "InvalidDBInstanceState"
            assert "standby is being rebuilt" in message and "No space left on device" in message
            assert demo.db()["DBInstanceStatus"] == "available"
        assert demo.query() == 1  # the primary serves meanwhile
    finally:
        release.set()
    demo.wait_event(RECOVERY_DONE)
    demo.rds.reboot_db_instance(DBInstanceIdentifier="pay-db", ForceFailover=True)
    wait_for("the second failover", lambda: demo.messages().count(FAILOVER[-1]) == 2)
    assert demo.wait_available()["MultiAZ"] is True
