"""The failover test's control flow against a scripted RDS (no network): refusals, an abandoned
failover, an AZ that never moves, and a clean pass measured from status and events only."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from botocore.exceptions import ClientError

from wizard.aws import failover
from wizard.aws.failover import FailoverRefused, FailoverTest, preflight


class ScriptedFailover:
    """An available Multi-AZ instance; after the reboot, `after` describes what RDS does."""

    def __init__(self, after: list[tuple[str, str, list[str]]], *, refuse: str | None = None,
                 multi_az: bool = True) -> None:
        self.after = after  # (status, primary AZ, new event messages) per describe after the reboot
        self.refuse = refuse
        self.multi_az = multi_az
        self.rebooted = False
        self.step = 0
        self.events: list[dict[str, Any]] = []
        self.state = ("available", "us-east-1a")

    def describe_db_instances(self, **_: Any) -> dict[str, Any]:
        if self.rebooted and self.step < len(self.after):
            status, az, messages = self.after[self.step]
            self.step += 1
            self.state = (status, az)
            self.events += [{"Date": datetime.now(UTC), "Message": m} for m in messages]
        status, az = self.state
        standby = {"us-east-1a": "us-east-1b", "us-east-1b": "us-east-1a"}[az]
        return {"DBInstances": [{
            "DBInstanceIdentifier": "db1", "DBInstanceStatus": status, "Engine": "postgres",
            "MultiAZ": self.multi_az, "AvailabilityZone": az,
            **({"SecondaryAvailabilityZone": standby} if self.multi_az else {}),
            "Endpoint": {"Address": "db1.x.us-east-1.rds.amazonaws.com", "Port": 5432},
            "MasterUsername": "postgres"}]}

    def describe_events(self, **_: Any) -> dict[str, Any]:
        return {"Events": list(self.events)}

    def reboot_db_instance(self, **kwargs: Any) -> dict[str, Any]:
        assert kwargs == {"DBInstanceIdentifier": "db1", "ForceFailover": True}
        if self.refuse:
            raise ClientError({"Error": {"Code": self.refuse, "Message": "not now"},
                               "ResponseMetadata": {"HTTPStatusCode": 400}}, "RebootDBInstance")
        self.rebooted = True
        return {}


class Gateway:
    time_scale = 1000.0
    poll_floor_seconds = 0.01
    is_demo = True

    def __init__(self, rds: ScriptedFailover) -> None:
        self.rds = rds

    def client(self, name: str) -> Any:
        return self.rds

    def resolve(self, host: str) -> list[str]:
        return []  # not resolvable from here: status and events only


@pytest.fixture(autouse=True)
def _fast(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(failover, "WARM_UP_SECONDS", 0.0)
    monkeypatch.setattr(failover, "POST_ROLL_SECONDS", 0.0)
    monkeypatch.setattr(failover, "MIN_AZ_GRACE_SECONDS", 0.2)
    monkeypatch.setattr(failover, "MIN_DEADLINE_SECONDS", 2.0)


def run(rds: ScriptedFailover) -> Any:
    gateway = Gateway(rds)
    pre = preflight(gateway, "db1")
    return FailoverTest(gateway, pre).run(confirmation="db1")


def test_measured_from_status_and_events_only_when_not_reachable() -> None:
    rds = ScriptedFailover([("rebooting", "us-east-1a", ["Multi-AZ instance failover started."]),
                            ("available", "us-east-1b", ["Multi-AZ instance failover completed."])])
    pre = preflight(Gateway(rds), "db1")
    checks = {c.key: c.status for c in pre.checks}
    assert checks["resolves"] == "warning" and checks["app-probe"] == "info" and pre.can_run
    report = FailoverTest(Gateway(rds), pre).run(confirmation="DB1 ")  # case and spaces forgiven
    assert report.verdict == "pass" and not report.tcp_measured and report.outage is None
    assert report.failover_event == "Multi-AZ instance failover completed."
    assert any("status and events only" in note for note in report.measurement_notes)


def test_single_az_is_refused_before_anything_is_sent() -> None:
    rds = ScriptedFailover([], multi_az=False)
    with pytest.raises(FailoverRefused) as refused:
        run(rds)
    assert "single-AZ" in refused.value.reason and not rds.rebooted


def test_aws_refusing_the_reboot_is_explained() -> None:
    with pytest.raises(FailoverRefused) as refused:
        run(ScriptedFailover([], refuse="InvalidDBInstanceState"))
    assert "AWS refused the failover" in refused.value.reason


def test_an_abandoned_failover_fails_the_verdict() -> None:
    report = run(ScriptedFailover([("available", "us-east-1a", [
        "Amazon RDS is not attempting a requested failover because a failover recently occurred on the DB "
        "instance."])]))
    assert report.abandoned and report.verdict == "fail"
    assert any("RDS-EVENT-0034" in r for r in report.verdict_reasons)


def test_an_az_that_never_moves_fails_after_a_grace_period() -> None:
    report = run(ScriptedFailover([("rebooting", "us-east-1a", []),
                                   ("available", "us-east-1a", ["Multi-AZ instance failover completed."])]))
    assert report.verdict == "fail" and not report.az_swapped
    assert any("did not move" in r for r in report.verdict_reasons)


def test_a_failover_that_never_finishes_stops_at_the_deadline() -> None:
    report = run(ScriptedFailover([("rebooting", "us-east-1a", [])]))
    assert report.verdict == "fail" and report.status_after == "rebooting"
    assert any(e.kind == "warning" and "time limit" in e.message for e in report.timeline)
