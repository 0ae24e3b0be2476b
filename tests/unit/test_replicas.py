"""Read replica rules, plans, lint, lag and drill figures, without AWS (fakes and pure functions)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from wizard.cli import main
from wizard.replicas.drill import DrillReport, PromotionOutcome, percentile, save_drill_report
from wizard.replicas.lag import NOT_YET, read_lag
from wizard.replicas.request_rules import CREATE_READ_REPLICA_MEMBERS, lint_read_replica_request
from wizard.replicas.rules import ReplicaSource, check_source, is_managed_password_problem
from wizard.spec.engines import ENGINES

SOURCE = ReplicaSource(identifier="orders-db", engine="postgres", engine_version="16.4", status="available",
                       backup_retention=7, managed_password=False, replica_of=None, replicas=())


def _only(problems: list[Any]) -> Any:
    assert len(problems) == 1, [p.render() for p in problems]
    return problems[0]


def test_a_good_source_passes_every_rule() -> None:
    assert check_source(SOURCE) == []
    assert check_source(SOURCE, supports_read_replica=True) == []


def test_no_backups_names_the_setting_the_rule_and_the_fix() -> None:
    problem = _only(check_source(replace(SOURCE, backup_retention=0)))
    assert "BackupRetentionPeriod" in problem.message and "at least 1" in problem.message
    assert "--backup-retention-period" in (problem.command or "") and "1-35" in problem.fix


def test_a_source_not_available_is_told_how_to_wait() -> None:
    problem = _only(check_source(replace(SOURCE, status="stopped")))
    assert "Status" in problem.message and "`stopped`" in problem.message
    assert "start-db-instance" in problem.fix


def test_secrets_manager_source_is_refused_with_the_fix_except_on_sql_server() -> None:
    problem = _only(check_source(replace(SOURCE, managed_password=True)))
    assert is_managed_password_problem(problem)
    assert "Secrets Manager" in problem.message and "ManageMasterUserPassword" in problem.message
    assert "self-managed password" in problem.fix and "never shown" in problem.fix
    assert "--master-user-password ..." in (problem.command or "")  # the value itself is never written
    sqlserver = replace(SOURCE, engine="sqlserver-ee", engine_version="16.00.4150.1", managed_password=True)
    assert check_source(sqlserver) == []


def test_replicas_per_source_is_a_per_engine_limit() -> None:
    full = tuple(f"r{i}" for i in range(15))
    problem = _only(check_source(replace(SOURCE, replicas=full)))
    assert "Read replicas per source" in problem.message and "(15" in problem.message
    assert check_source(replace(SOURCE, replicas=full[:14])) == []
    oracle = replace(SOURCE, engine="oracle-ee", engine_version="19.0.0.0.ru-2024-10.rur-2024-10.r1")
    assert "(5" in _only(check_source(replace(oracle, replicas=full[:5]))).message


def test_replica_of_a_replica_follows_the_engine_and_version() -> None:
    cascaded = replace(SOURCE, replica_of="orders-primary")
    assert check_source(cascaded) == []  # PostgreSQL 16 allows cascading replicas
    old = _only(check_source(replace(cascaded, engine_version="13.7")))
    assert "before 14.1" in old.message and "orders-primary" in old.fix
    oracle = replace(cascaded, engine="oracle-ee", engine_version="19.0")
    assert "replica of a replica" in _only(check_source(oracle)).message


def test_engine_without_replicas_is_refused_and_the_catalog_sharpens_the_row() -> None:
    problem = _only(check_source(replace(SOURCE, engine="sqlserver-se", engine_version="16.00")))
    assert "Engine" in problem.message and "no read replicas" in problem.message
    assert "no read replicas" in _only(check_source(SOURCE, supports_read_replica=False)).message


def test_unverified_engines_are_not_refused() -> None:
    for engine, rules in ENGINES.items():
        if rules.read_replicas == "unverified":
            assert check_source(replace(SOURCE, engine=engine, engine_version="1.0")) == []


def test_from_record_reads_describe_fields() -> None:
    source = ReplicaSource.from_record({
        "DBInstanceIdentifier": "a", "Engine": "mysql", "EngineVersion": "8.0.39",
        "DBInstanceStatus": "available", "BackupRetentionPeriod": 1,
        "MasterUserSecret": {"SecretArn": "arn"}, "ReadReplicaDBInstanceIdentifiers": ["b"],
        "ReadReplicaSourceDBInstanceIdentifier": "z"})
    assert source.managed_password and source.replicas == ("b",) and source.replica_of == "z"


# -- lint ---------------------------------------------------------------------------------------------

def test_members_match_botocore() -> None:
    import botocore.session

    model = botocore.session.get_session().get_service_model("rds")
    members = model.operation_model("CreateDBInstanceReadReplica").input_shape.members
    assert set(CREATE_READ_REPLICA_MEMBERS) == set(members)


def _lint(tmp_path: Path, capsys: pytest.CaptureFixture[str], request: dict[str, Any]) -> tuple[int, Any]:
    path = tmp_path / "replica.json"
    path.write_text(json.dumps(request))
    code = main(["lint", str(path), "--format", "json"])
    return code, json.loads(capsys.readouterr().out)


def test_lint_valid_replica_request_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, result = _lint(tmp_path, capsys, {"DBInstanceIdentifier": "orders-ro",
                                            "SourceDBInstanceIdentifier": "orders-db",
                                            "DBInstanceClass": "db.t4g.medium", "MultiAZ": True})
    assert code == 0 and result["valid"] is True and result["problems"] == []


@pytest.mark.parametrize(("change", "parameter"), [
    ({"DBInstanceIdentifier": "1bad"}, "DBInstanceIdentifier"),
    ({"SourceDBInstanceIdentifier": "arn:aws:rds:us-east-1:12:db:x"}, "SourceDBInstanceIdentifier"),
    ({"AvailabilityZone": "us-east-1a", "MultiAZ": True}, "AvailabilityZone"),
    ({"Engine": "postgres"}, "Engine"),
    ({"Port": 80}, "Port"),
    ({"MultiAZ": "yes"}, "MultiAZ"),
    ({"ReplicaMode": "readonly"}, "ReplicaMode"),
    ({"MonitoringInterval": 7}, "MonitoringInterval"),
])
def test_lint_broken_replica_request_exits_1_naming_the_parameter(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], change: dict[str, Any], parameter: str) -> None:
    request = {"DBInstanceIdentifier": "orders-ro", "SourceDBInstanceIdentifier": "orders-db", **change}
    code, result = _lint(tmp_path, capsys, request)
    assert code == 1 and result["valid"] is False
    assert parameter in [p["parameter"] for p in result["problems"]]


def test_lint_without_a_replica_name_is_refused() -> None:
    problems = lint_read_replica_request({"SourceDBInstanceIdentifier": "orders-db"})
    assert [p.parameter for p in problems] == ["DBInstanceIdentifier"]


# -- lag ----------------------------------------------------------------------------------------------

class _CloudWatch:
    def __init__(self, results: list[dict[str, Any]]) -> None:
        self.results = results
        self.calls: list[dict[str, Any]] = []

    def get_metric_data(self, **params: Any) -> dict[str, Any]:
        self.calls.append(params)
        return {"MetricDataResults": self.results}


class _Gateway:
    def __init__(self, cloudwatch: _CloudWatch) -> None:
        self.cloudwatch = cloudwatch

    def client(self, service: str) -> Any:
        assert service == "cloudwatch"
        return self.cloudwatch


def test_lag_reads_the_newest_replica_lag_point() -> None:
    older, newer = datetime(2026, 12, 8, 5, 0, tzinfo=UTC), datetime(2026, 12, 8, 5, 1, tzinfo=UTC)
    cloudwatch = _CloudWatch([{"Id": "lag", "Timestamps": [older, newer], "Values": [9.0, 2.0]}])
    reading = read_lag(_Gateway(cloudwatch), "orders-ro")  # type: ignore[arg-type]
    assert reading.seconds == 2.0 and "2 s" in reading.render()
    [query] = cloudwatch.calls[0]["MetricDataQueries"]
    stat = query["MetricStat"]
    assert stat["Metric"]["MetricName"] == "ReplicaLag" and stat["Metric"]["Namespace"] == "AWS/RDS"
    assert stat["Metric"]["Dimensions"] == [{"Name": "DBInstanceIdentifier", "Value": "orders-ro"}]
    assert stat["Period"] == 60


def test_lag_not_published_yet_says_so() -> None:
    reading = read_lag(_Gateway(_CloudWatch([{"Id": "lag", "Timestamps": [], "Values": []}])),  # type: ignore[arg-type]
                       "orders-ro")
    assert reading.seconds is None and reading.note == NOT_YET


# -- drill figures ------------------------------------------------------------------------------------

def test_percentile_is_nearest_rank() -> None:
    values = [float(v) for v in range(1, 21)]
    assert percentile(values, 0.95) == 19.0 and percentile(values, 0.5) == 10.0
    assert percentile([3.0], 0.95) == 3.0


def test_drill_report_puts_the_standby_beside_the_replica(tmp_path: Path) -> None:
    report = DrillReport("orders-db", "orders-ro", 1_765_000_000.0, 5.0, samples=[0.01, 0.02, 0.5],
                         replica_refused_write=True, replica_write_error="read-only transaction")
    text = "\n".join(report.lines())
    assert "median 0.020 s" in text and "max 0.500 s" in text and "0 s by construction" in text
    md, js = save_drill_report(report, tmp_path)
    data = json.loads(js.read_text())
    assert data["standby_lag_s"] == 0.0 and data["max_s"] == 0.5
    assert "| Takes reads | yes | no |" in md.read_text()


def test_promotion_rpo_above_zero_is_said_plainly() -> None:
    assert any("RPO > 0: 3" in line for line in PromotionOutcome(40, 3, True).lines())
    assert any("RPO 0" in line for line in PromotionOutcome(40, 0, True).lines())


def test_lag_reads_a_point_published_this_minute_from_moto_cloudwatch() -> None:
    import boto3
    from moto import mock_aws

    class _Moto:
        def __init__(self, client: Any) -> None:
            self.cloudwatch = client

        def client(self, service: str) -> Any:
            return self.cloudwatch

    with mock_aws():
        cloudwatch = boto3.client("cloudwatch", region_name="us-east-1")
        cloudwatch.put_metric_data(Namespace="AWS/RDS", MetricData=[{
            "MetricName": "ReplicaLag", "Value": 4.0, "Unit": "Seconds", "Timestamp": datetime.now(UTC),
            "Dimensions": [{"Name": "DBInstanceIdentifier", "Value": "orders-ro"}]}])
        reading = read_lag(_Moto(cloudwatch), "orders-ro")  # type: ignore[arg-type]
    assert reading.seconds == 4.0, reading
