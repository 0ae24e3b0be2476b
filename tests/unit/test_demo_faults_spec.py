"""Reading demo fault specs, and which calls a fault hits (no server involved)."""

from __future__ import annotations

import pytest

from wizard.demo.faults import Faults, FaultSpecError, operation_of, parse_faults


def test_parse_every_kind() -> None:
    rules = parse_faults("throttle:DescribeDBInstances:3, "
                         "fail:CreateDBInstance:1:InsufficientDBInstanceCapacity,"
                         "drop:10s,drop:500ms,drop:DescribeEvents:2,nostandby:1")
    assert [(r.kind, r.operation) for r in rules] == [
        ("throttle", "DescribeDBInstances"), ("fail", "CreateDBInstance"), ("drop", "*"), ("drop", "*"),
        ("drop", "DescribeEvents"), ("nostandby", "MultiAZStandbyCapacity")]
    assert rules[1].code == "InsufficientDBInstanceCapacity"
    assert (rules[2].window, rules[3].window) == (10.0, 0.5)


@pytest.mark.parametrize("spec", ["throttle", "throttle:X:many", "drop:soon", "explode:X:1", "fail:X:1"])
def test_unreadable_specs_name_the_part(spec: str) -> None:
    with pytest.raises(FaultSpecError, match=spec.split(",")[0]):
        parse_faults(spec)


def test_the_replica_lag_fault_holds_until_cleared_and_touches_no_call() -> None:
    faults = Faults()
    assert faults.replica_lag() is None
    faults.add("replica-lag:30s")
    for _ in range(3):
        assert faults.take("DescribeDBInstances") is None
        assert faults.take("MultiAZStandbyCapacity") is None
        assert faults.replica_lag() == 30.0
    faults.add("replica-lag:500ms")
    assert faults.replica_lag() == 0.5
    faults.clear()
    assert faults.replica_lag() is None


@pytest.mark.parametrize("spec", ["replica-lag", "replica-lag:soon", "replica-lag:30s:2"])
def test_unreadable_replica_lag_names_the_part(spec: str) -> None:
    with pytest.raises(FaultSpecError, match="replica-lag"):
        parse_faults(spec)


def test_counted_fault_is_used_up_and_only_hits_its_operation() -> None:
    faults = Faults()
    faults.add("throttle:DescribeDBInstances:2")
    assert faults.take("DescribeEvents") is None
    assert faults.take("DescribeDBInstances") is not None
    assert faults.take("DescribeDBInstances") is not None
    assert faults.take("DescribeDBInstances") is None
    assert faults.injected == {"throttle:DescribeDBInstances": 2}


def test_operation_of_query_and_json_requests() -> None:
    assert operation_of({}, b"Action=DescribeDBInstances&Version=2014-10-31") == "DescribeDBInstances"
    assert operation_of({"HTTP_X_AMZ_TARGET": "secretsmanager.GetSecretValue"}, b"{}") == "GetSecretValue"
    assert operation_of({"QUERY_STRING": "Action=DescribeVpcs"}, b"") == "DescribeVpcs"


def test_http_faults_and_the_standby_fault_do_not_mix() -> None:
    from wizard.demo.faults import NO_STANDBY_FAULT

    faults = Faults()
    faults.add("fail:*:5:InternalFailure,drop:10s")
    assert faults.take(NO_STANDBY_FAULT) is None
    faults.clear()
    faults.add("nostandby:1")
    assert faults.take("CreateDBInstance") is None
    rule = faults.take(NO_STANDBY_FAULT)
    assert rule is not None and rule.kind == "nostandby"
    assert faults.take(NO_STANDBY_FAULT) is None


def test_a_drop_can_start_later_after_a_delay() -> None:
    faults = Faults()
    faults.add("drop:1s@1m")
    assert faults.take("DescribeDBInstances") is None  # not yet: it starts a minute after arming
    [rule] = parse_faults("drop:2s@500ms")
    assert (rule.window, rule.delay) == (2.0, 0.5)


def test_a_drop_can_start_with_an_operation_and_last_its_window() -> None:
    faults = Faults()
    faults.add("drop:1m@DescribeEvents")
    assert faults.take("DescribeDBInstances") is None  # waiting for its trigger, and kept armed
    assert faults.take("DescribeDBInstances") is None
    assert faults.take("DescribeEvents") is not None  # the trigger itself is dropped
    assert faults.take("DescribeDBInstances") is not None  # then every call, for the window
    assert faults.injected == {"drop:DescribeEvents": 1, "drop:DescribeDBInstances": 1}


@pytest.mark.parametrize("spec", ["drop:10s@", "drop:soon@5s", "drop:10s@Describe-Events"])
def test_unreadable_later_drops_name_the_part(spec: str) -> None:
    with pytest.raises(FaultSpecError, match=spec):
        parse_faults(spec)
