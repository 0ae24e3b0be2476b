"""Read replicas on the demo, in line mode: the Secrets Manager refusal before any call and its fix,
create (followed to available), lag, the drill, promote (writable, RPO), and the rules that refuse.

One demo for the module, reached as any AWS endpoint, so each command is a separate `rds-wizard` run.
Where the demo runs real PostgreSQL with a real replica, the data checks run too.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from demo_support import follow_statuses

from wizard.cli import main
from wizard.demo import start_demo

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

PASSWORD = "Replica-Pw-x7Q9demo"
BASE = dict(DBInstanceClass="db.t4g.medium", Engine="postgres", AllocatedStorage=20,
            MasterUsername="app_admin", DBSubnetGroupName="demo-multi-az", BackupRetentionPeriod=7)


@pytest.fixture(scope="module")
def demo() -> Iterator[Any]:
    demo = start_demo(speed=200)
    yield demo
    demo.stop()


@pytest.fixture
def cli(demo: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Any,
        capsys: pytest.CaptureFixture[str]) -> Any:
    access, secret = demo.credentials
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", access)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", secret)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/dev/null")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.setenv("RDS_WIZARD_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("RDS_WIZARD_REPORTS", str(tmp_path / "reports"))
    monkeypatch.setenv("RDS_WIZARD_MASTER_PASSWORD", PASSWORD)

    def run(*argv: str) -> tuple[int, str, str]:
        code = main([*argv, "--endpoint-url", demo.endpoint_url, "--region", demo.region])
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err
        assert PASSWORD not in out + err
        return code, out, err
    return run


def _create(demo: Any, identifier: str, **extra: Any) -> dict[str, Any]:
    rds = demo.client("rds")
    params = {**BASE, **extra}
    if not params.get("ManageMasterUserPassword"):
        params["MasterUserPassword"] = PASSWORD
    rds.create_db_instance(DBInstanceIdentifier=identifier, **params)
    return follow_statuses(rds, identifier)[-1]


def _instances(demo: Any) -> set[str]:
    return {d["DBInstanceIdentifier"] for d in demo.client("rds").describe_db_instances()["DBInstances"]}


def test_secrets_manager_source_is_refused_before_any_call_with_the_fix(demo: Any, cli: Any) -> None:
    _create(demo, "managed-src", MultiAZ=True, ManageMasterUserPassword=True)
    before = _instances(demo)
    code, _, err = cli("replica", "create", "managed-src", "--yes")
    assert code == 1
    assert "Secrets Manager" in err and "ManageMasterUserPassword" in err
    assert "--no-manage-master-user-password" in err and "--self-managed-password" in err
    assert "Nothing was changed." in err
    assert _instances(demo) == before


def test_secrets_manager_fix_switches_the_password_then_creates(demo: Any, cli: Any) -> None:
    _create(demo, "fixed-src", MultiAZ=False, ManageMasterUserPassword=True)
    code, out, err = cli("replica", "create", "fixed-src", "--self-managed-password", "--yes")
    assert code == 0, out + err
    assert "ModifyDBInstance fixed-src ManageMasterUserPassword=False" in out
    record = demo.client("rds").describe_db_instances(DBInstanceIdentifier="fixed-src")["DBInstances"][0]
    assert not record.get("MasterUserSecret")
    assert "fixed-src-replica" in _instances(demo)


def test_source_without_backups_is_refused_naming_the_setting(demo: Any, cli: Any) -> None:
    _create(demo, "nobackup-src", BackupRetentionPeriod=0)
    code, _, err = cli("replica", "create", "nobackup-src", "--yes")
    assert code == 1
    assert "BackupRetentionPeriod" in err and "--backup-retention-period" in err
    assert "nobackup-src-replica" not in _instances(demo)


def test_replica_of_a_multi_az_source_lives_lags_and_is_promoted(demo: Any, cli: Any) -> None:
    _create(demo, "orders-src", MultiAZ=True)
    code, out, err = cli("replica", "create", "orders-src", "--identifier", "orders-ro", "--yes")
    assert code == 0, out + err
    assert "CreateDBInstanceReadReplica orders-ro from orders-src" in out
    assert "asynchronous replication" in out
    rds = demo.client("rds")
    replica = rds.describe_db_instances(DBInstanceIdentifier="orders-ro")["DBInstances"][0]
    assert replica["DBInstanceStatus"] == "available"
    assert replica.get("ReadReplicaSourceDBInstanceIdentifier") == "orders-src"
    # CloudWatch's reading itself: test_lag_published_by_the_demo_is_read; the client's: the drill.
    code, out, err = cli("watch", "orders-ro")
    assert code == 0, out + err
    assert "Read replica of orders-src. Replica lag:" in out
    real_replica = demo.real_databases and _resolves(demo, replica)
    if real_replica:
        code, out, err = cli("replica", "drill", "orders-ro", "--seconds", "3")
        assert code == 0, out + err
        assert "median" in out and "p95" in out and "it is read-only" in out
        [json_report] = (tmp_reports := list(_reports_in(out)))[1:]
        data = json.loads(json_report.read_text())
        assert data["heartbeats"] > 0 and data["standby_lag_s"] == 0.0 and tmp_reports[0].exists()
        assert data["replica_refused_write"] is True
    code, out, err = cli("replica", "promote", "orders-ro", "--yes")
    assert code == 0, out + err
    assert "replication from its source has stopped" in out
    promoted = rds.describe_db_instances(DBInstanceIdentifier="orders-ro")["DBInstances"][0]
    assert not promoted.get("ReadReplicaSourceDBInstanceIdentifier")
    if real_replica:
        assert "RPO" in out and "it is writable" in out


def _resolves(demo: Any, record: dict[str, Any]) -> bool:
    """Whether the demo serves this instance's endpoint (a real replica server), as a client sees it."""
    from wizard.aws.gateway import DemoServer

    server = DemoServer.probe(demo.endpoint_url)
    address = (record.get("Endpoint") or {}).get("Address", "")
    return bool(server and address and server.resolve(address))


def _reports_in(out: str) -> Iterator[Any]:
    from pathlib import Path

    line = next(line for line in out.splitlines() if line.startswith("Report: "))
    markdown, json_path = line.removeprefix("Report: ").split(" and ")
    yield Path(markdown)
    yield Path(json_path)


def test_promoting_a_non_replica_is_refused(demo: Any, cli: Any) -> None:
    _create(demo, "plain-db")
    code, _, err = cli("replica", "promote", "plain-db", "--yes")
    assert code == 1 and "is not a read replica" in err


def test_lag_published_by_the_demo_is_read(demo: Any, cli: Any) -> None:
    import time

    _create(demo, "lag-src")
    code, out, err = cli("replica", "create", "lag-src", "--yes")
    assert code == 0, out + err
    deadline = time.monotonic() + 30
    while True:
        code, out, err = cli("replica", "lag", "lag-src-replica", "--samples", "2")
        assert code == 0, out + err
        if "not published yet" not in out or time.monotonic() > deadline:
            break
        time.sleep(1)
    assert out.count("Replica lag:") == 2 and " s (CloudWatch" in out, out
