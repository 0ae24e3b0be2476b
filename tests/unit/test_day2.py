"""Day 2's pure pieces: rows from describe records, snapshot names, the maintenance window, the state."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from wizard.aws.probes import WriteAttempt
from wizard.day2.delete import proposed_snapshot_name, snapshot_name_problem
from wizard.day2.inventory import build_rows
from wizard.day2.screen_state import DatabasesState
from wizard.day2.writes import summarize
from wizard.demo.windows import seconds_until_window


def _instance(name: str, **extra: object) -> dict[str, object]:
    record: dict[str, object] = {
        "DBInstanceIdentifier": name, "Engine": "postgres", "EngineVersion": "16.4",
        "DBInstanceClass": "db.t4g.micro", "DBInstanceStatus": "available", "MultiAZ": False,
        "AvailabilityZone": "us-east-1a",
        "DBSubnetGroup": {"DBSubnetGroupName": "g", "Subnets": [
            {"SubnetAvailabilityZone": {"Name": "us-east-1a"}},
            {"SubnetAvailabilityZone": {"Name": "us-east-1b"}}]},
    }
    record.update(extra)
    return record


def test_rows_say_deployment_role_and_pending() -> None:
    rows = build_rows(
        [_instance("b-src"), _instance("a-copy", ReadReplicaSourceDBInstanceIdentifier="b-src"),
         _instance("c-multi", MultiAZ=True, SecondaryAvailabilityZone="us-east-1b",
                   PendingModifiedValues={"DBInstanceClass": "db.m6g.large"}),
         _instance("ledger-instance-1", DBClusterIdentifier="ledger", AvailabilityZone="us-east-1c")],
        [{"DBClusterIdentifier": "ledger", "Engine": "postgres", "DBClusterInstanceClass": "db.r6gd.large",
          "Status": "available", "MultiAZ": True,
          "DBClusterMembers": [{"DBInstanceIdentifier": "ledger-instance-1", "IsClusterWriter": True}]},
         {"DBClusterIdentifier": "aurora-one", "Engine": "aurora-postgresql", "DBClusterMembers": []}])
    by_name = {row.identifier: row for row in rows}
    assert [row.identifier for row in rows] == ["ledger", "ledger-instance-1", "a-copy", "b-src", "c-multi"]
    assert by_name["ledger"].deployment == "Multi-AZ DB cluster"
    assert by_name["ledger"].availability_zone == "us-east-1c"
    assert by_name["ledger-instance-1"].role == "member of cluster ledger"
    assert by_name["a-copy"].role == "read replica of b-src"
    assert by_name["c-multi"].deployment == "Multi-AZ DB instance"
    assert by_name["c-multi"].placement == "us-east-1a / standby us-east-1b"
    assert by_name["c-multi"].pending == ("DBInstanceClass=db.m6g.large",)
    assert by_name["b-src"].subnet_zones == ("us-east-1a", "us-east-1b")
    json_row = by_name["b-src"].to_json()
    assert {"identifier", "kind", "status", "multi_az", "availability_zone",
            "secondary_availability_zone"} <= set(json_row)


@pytest.mark.parametrize(("name", "ok"), [
    ("db-final-1", True), ("a", True), ("1db", False), ("db--x", False), ("db-", False), ("db_x", False),
    ("d" * 255, True), ("d" * 256, False), ("", False),
])
def test_snapshot_names_follow_rds_rules(name: str, ok: bool) -> None:
    assert (snapshot_name_problem(name) is None) is ok


def test_proposed_snapshot_name_is_valid() -> None:
    name = proposed_snapshot_name("my-db", datetime(2026, 12, 8, 1, 2, tzinfo=UTC))
    assert name == "my-db-final-20261208-0102" and snapshot_name_problem(name) is None


def test_seconds_until_the_maintenance_window() -> None:
    monday_noon = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)  # a Monday
    assert seconds_until_window("mon:13:00-mon:13:30", monday_noon) == 3600
    assert seconds_until_window("mon:11:00-mon:11:30", monday_noon) == (7 * 24 - 1) * 3600
    assert seconds_until_window("sun:23:30-mon:00:30", monday_noon) == (6 * 24 + 11.5) * 3600


def test_state_keeps_the_selection_and_says_why_an_action_is_unavailable() -> None:
    state = DatabasesState()
    state.set_rows(build_rows([_instance("one"), _instance("two", DBInstanceStatus="modifying")], []))
    assert state.selected == "one"
    state.selected = "two"
    state.set_rows(build_rows([_instance("two"), _instance("one")], []))
    assert state.selected == "two"
    failover = next(a for a in state.actions() if a.name == "failover")
    assert failover.unavailable == "it is Single-AZ"
    state.running = True
    assert all(a.unavailable for a in state.actions() if a.name != "create")
    assert state.refresh_seconds(30.0) < state.refresh_seconds(1.0)


def test_write_summary_measures_gaps_and_losses() -> None:
    attempts = [WriteAttempt(0.0, 0.01, True, 1), WriteAttempt(0.05, 0.3, True, 2),
                WriteAttempt(0.35, 0.36, False, 3, "closed"), WriteAttempt(0.4, 0.41, True, 4)]
    summary = summarize(attempts, {1, 2})
    assert summary.interrupted and summary.failed == 1 and summary.missing == (4,)
    assert summary.worst_commit_seconds == pytest.approx(0.25)
    assert summary.longest_gap_seconds == pytest.approx(0.29)
    assert any("MISSING" in line for line in summary.lines())
    clean = summarize(attempts[:2], {1, 2})
    assert not clean.interrupted and "no committed row was lost" in clean.lines()[-1]
