"""The seam for a real database behind a demo endpoint: what a network factory is told, and when."""

from __future__ import annotations

import threading
import time
from typing import Any

from demo_support import connects, follow_statuses, wait_for

from wizard.demo import start_demo
from wizard.demo.network import InstanceInfo, NodeAddress


class _Recorder:
    """A stand-in for helper G's real PostgreSQL pair: records every call."""

    def __init__(self, info: InstanceInfo, addresses: dict[str, NodeAddress]) -> None:
        self.info = info
        self.addresses = addresses
        self.calls: list[tuple[str, str | None]] = []

    def start(self, primary: NodeAddress, standby: NodeAddress | None) -> None:
        self.calls.append(("start", primary.az))

    def begin_outage(self) -> None:
        self.calls.append(("begin_outage", None))

    def end_outage(self, primary: NodeAddress, standby: NodeAddress | None) -> None:
        self.calls.append(("end_outage", primary.az))

    def stop(self) -> None:
        self.calls.append(("stop", None))


def test_factory_gets_the_instance_its_addresses_and_the_failover_hooks() -> None:
    made: list[_Recorder] = []

    def factory(info: InstanceInfo, addresses: dict[str, NodeAddress]) -> _Recorder:
        made.append(_Recorder(info, addresses))
        return made[-1]

    demo = start_demo(speed=1000, network_factory=factory)
    try:
        rds = demo.client("rds")
        rds.create_db_instance(DBInstanceIdentifier="real-db", DBInstanceClass="db.m6g.large",
                               Engine="postgres", MultiAZ=True, MasterUsername="app_admin",
                               MasterUserPassword="not-a-real-pw-1", AllocatedStorage=20,
                               DBSubnetGroupName="demo-multi-az")
        before = follow_statuses(rds, "real-db")[-1]
        [network] = made
        info = network.info
        assert (info.identifier, info.engine, info.port) == ("real-db", "postgres", 5432)
        assert network.info.master_username == "app_admin"
        assert network.info.master_password == "not-a-real-pw-1"
        assert "not-a-real-pw-1" not in repr(network.info)
        assert set(network.addresses) == {before["AvailabilityZone"], before["SecondaryAvailabilityZone"]}
        hosts = {a.host for a in network.addresses.values()}
        assert len(hosts) == 2 or len({a.port for a in network.addresses.values()}) == 2
        rds.reboot_db_instance(DBInstanceIdentifier="real-db", ForceFailover=True)
        follow_statuses(rds, "real-db")
        assert network.calls == [("start", before["AvailabilityZone"]), ("begin_outage", None),
                                 ("end_outage", before["SecondaryAvailabilityZone"])]
    finally:
        demo.stop()
    assert network.calls[-1] == ("stop", None)


def test_a_failing_factory_falls_back_to_simulated_listeners() -> None:
    def factory(info: InstanceInfo, addresses: dict[str, NodeAddress]) -> _Recorder:
        raise RuntimeError("no database binaries here")

    demo = start_demo(speed=1000, network_factory=factory)
    try:
        rds = demo.client("rds")
        rds.create_db_instance(DBInstanceIdentifier="plain-db", DBInstanceClass="db.m6g.large",
                               Engine="mysql", MasterUsername="admin", MasterUserPassword="not-a-real-pw-1",
                               AllocatedStorage=20, DBSubnetGroupName="demo-multi-az")
        db = follow_statuses(rds, "plain-db")[-1]
        [address] = demo.resolve(db["Endpoint"]["Address"])
        assert connects(address, db["Endpoint"]["Port"])
        [problem] = demo.problems
        assert "plain-db" in problem and "no database binaries here" in problem
    finally:
        demo.stop()


def test_a_factory_may_decline_an_instance() -> None:
    def factory(info: InstanceInfo, addresses: dict[str, NodeAddress]) -> _Recorder | None:
        return None  # e.g. a real database only for postgres

    demo = start_demo(speed=1000, network_factory=factory)
    try:
        rds = demo.client("rds")
        rds.create_db_instance(DBInstanceIdentifier="maria-db", DBInstanceClass="db.m6g.large",
                               Engine="mariadb", MasterUsername="admin", MasterUserPassword="not-a-real-pw-1",
                               AllocatedStorage=20, DBSubnetGroupName="demo-multi-az")
        db = follow_statuses(rds, "maria-db")[-1]
        [address] = demo.resolve(db["Endpoint"]["Address"])
        assert connects(address, 3306)
        assert demo.problems == []
    finally:
        demo.stop()


def test_without_loopback_aliases_each_node_gets_its_own_port(monkeypatch: Any) -> None:
    # As on macOS, where only 127.0.0.1 answers: same address, a port per AZ, and node() says which.
    import wizard.demo.network as network

    monkeypatch.setattr(network, "_aliases_work", lambda: False)
    # Simulated nodes: a real old primary listens again (as the standby, refusing logins) once it has
    # rejoined, which the failover now waits for, so "refused at the old port" holds for these only.
    monkeypatch.setenv("RDS_WIZARD_DEMO_SIMULATED_DB", "1")
    demo = start_demo(speed=1000)
    try:
        rds = demo.client("rds")
        rds.create_db_instance(DBInstanceIdentifier="mac-db", DBInstanceClass="db.m6g.large",
                               Engine="postgres", MultiAZ=True, MasterUsername="app_admin",
                               MasterUserPassword="not-a-real-pw-1", AllocatedStorage=20,
                               DBSubnetGroupName="demo-multi-az")
        db = follow_statuses(rds, "mac-db")[-1]
        host = db["Endpoint"]["Address"]
        assert demo.resolve(host) == ["127.0.0.1"]
        before = demo.node(host)
        assert before is not None and before.host == "127.0.0.1" and connects(before.host, before.port)
        rds.reboot_db_instance(DBInstanceIdentifier="mac-db", ForceFailover=True)
        follow_statuses(rds, "mac-db")
        after = demo.node(host)
        assert after is not None and after.port != before.port and after.az != before.az
        assert connects(after.host, after.port) and not connects(before.host, before.port)
    finally:
        demo.stop()


def test_a_network_still_starting_when_the_demo_stops_is_stopped_too() -> None:
    starting = threading.Event()
    made: list[_Recorder] = []

    class _Slow(_Recorder):
        def start(self, primary: NodeAddress, standby: NodeAddress | None) -> None:
            starting.set()
            time.sleep(0.5)  # a real pair takes a second or two to build
            super().start(primary, standby)

    def factory(info: InstanceInfo, addresses: dict[str, NodeAddress]) -> _Recorder:
        made.append(_Slow(info, addresses))
        return made[-1]

    demo = start_demo(speed=1000, network_factory=factory)
    try:
        demo.client("rds").create_db_instance(
            DBInstanceIdentifier="slow-db", DBInstanceClass="db.m6g.large", Engine="postgres",
            MasterUsername="app_admin", MasterUserPassword="not-a-real-pw-1", AllocatedStorage=20,
            DBSubnetGroupName="demo-multi-az")
        assert starting.wait(30)
    finally:
        demo.stop()
    wait_for("the late network to be stopped", lambda: made[0].calls[-1:] == [("stop", None)])


class _BrokenRestart(_Recorder):
    """The database behind the endpoint cannot come back after an outage (its host is gone)."""

    def end_outage(self, primary: NodeAddress, standby: NodeAddress | None) -> None:
        raise OSError(5, "Input/output error")


def test_a_database_that_does_not_come_back_leaves_the_instance_failed_not_rebooting(capfd: Any) -> None:
    from botocore.exceptions import ClientError

    demo = start_demo(speed=1000, network_factory=lambda info, addresses: _BrokenRestart(info, addresses))
    try:
        rds = demo.client("rds")
        for identifier, failover in (("broken-failover", True), ("broken-reboot", False)):
            rds.create_db_instance(DBInstanceIdentifier=identifier, DBInstanceClass="db.m6g.large",
                                   Engine="postgres", MultiAZ=True, MasterUsername="app_admin",
                                   MasterUserPassword="not-a-real-pw-1", AllocatedStorage=20,
                                   DBSubnetGroupName="demo-multi-az")
            follow_statuses(rds, identifier)
            rds.reboot_db_instance(DBInstanceIdentifier=identifier, ForceFailover=failover)
            statuses = [db["DBInstanceStatus"] for db in follow_statuses(rds, identifier, until="failed")]
            assert statuses[-1] == "failed"
            events = rds.describe_events(SourceIdentifier=identifier, SourceType="db-instance")["Events"]
            kind = "failover" if failover else "reboot"
            assert events[-1]["Message"] == ("The DB instance has failed: the database did not come back "
                                             f"after the {kind} ([Errno 5] Input/output error).")
            assert any(identifier in problem and "Input/output error" in problem for problem in demo.problems)
            try:
                rds.reboot_db_instance(DBInstanceIdentifier=identifier)
            except ClientError as error:
                assert error.response["Error"]["Code"] == "InvalidDBInstanceState"
            else:
                raise AssertionError("a failed instance accepted a reboot")
            [window] = demo.outage_windows(identifier)
            assert window.ended_at is not None  # the outage has an end: nothing is left hanging
    finally:
        demo.stop()
    assert "Traceback" not in capfd.readouterr().err
