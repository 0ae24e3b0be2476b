"""Read replicas on the Databases screen through Pilot at 80x24, on the demo: the Secrets Manager source
refused before any call, a replica created (n) and followed to available, its screen (p) with the lag and
the standby/replica table, and promotion with the identifier typed."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from demo_support import follow_statuses
from test_tui_databases import _confirm, _log, _select, until

pytestmark = [pytest.mark.slow, pytest.mark.timeout(280)]

BASE = dict(DBInstanceClass="db.t4g.medium", Engine="postgres", AllocatedStorage=20,
            MasterUsername="app_admin", DBSubnetGroupName="demo-multi-az", BackupRetentionPeriod=7)


def _screen_text(app: Any) -> str:
    """The screenshot's text as a reader sees it (the SVG keeps spaces as no-break spaces)."""
    return str(app.export_screenshot()).replace("&#160;", " ")


def _create(rds: Any, identifier: str, **extra: Any) -> None:
    rds.create_db_instance(DBInstanceIdentifier=identifier, **{**BASE, **extra})
    follow_statuses(rds, identifier)


async def test_replica_create_screen_and_promote(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from screens.app import make_app
    from screens.databases import DatabasesScreen
    from screens.replica import ReplicaScreen
    from wizard.aws.gateway import ConnectionOptions

    monkeypatch.setenv("RDS_WIZARD_HOME", str(tmp_path))
    app = make_app(connection=ConnectionOptions(demo=True, demo_speed=300.0), resume=False,
                   start_databases=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.gateway is not None, "the demo to start")
        screen = app.screen
        assert isinstance(screen, DatabasesScreen)
        rds = app.gateway.client("rds")  # type: ignore[union-attr]
        await asyncio.to_thread(_create, rds, "vault-db", ManageMasterUserPassword=True)
        await asyncio.to_thread(_create, rds, "shop-db", MultiAZ=True, MasterUserPassword="Shop-pw-123456")
        screen.action_reload()

        await _select(pilot, screen, "vault-db")
        await pilot.press("n")
        await until(pilot, lambda: "Secrets Manager" in _log(screen), "the Secrets Manager refusal")
        assert "--self-managed-password" in _log(screen)
        names = {d["DBInstanceIdentifier"] for d in rds.describe_db_instances()["DBInstances"]}
        assert "vault-db-replica" not in names

        await _select(pilot, screen, "shop-db")
        await pilot.press("n")
        await _confirm(pilot, "shop-db-replica")
        await until(pilot, lambda: not screen.state.running and any(
            r.identifier == "shop-db-replica" and r.status == "available" for r in screen.state.rows),
            "the replica to be available", timeout_s=120)
        await _select(pilot, screen, "shop-db-replica")
        assert screen.state.row is not None and screen.state.row.role == "read replica of shop-db"
        assert "p:Replica: lag, promote" in _screen_text(app)
        await pilot.press("p")
        await until(pilot, lambda: isinstance(app.screen, ReplicaScreen), "the replica screen")
        replica_screen = app.screen
        assert isinstance(replica_screen, ReplicaScreen)
        await until(pilot, lambda: "reading CloudWatch" not in replica_screen.lag_text, "the lag")
        assert replica_screen.lag_text.startswith("Replica lag:")
        shot = _screen_text(app)
        assert "Multi-AZ standby" in shot and "RPO 0" in shot and "Promote" in shot
        table = replica_screen.query_one("#replica-table")
        assert table.region.height == 8 and table.region.width >= 78  # the whole table at 80x24
        await pilot.press("p")
        await _confirm(pilot, "shop-db-replica")
        await until(pilot, lambda: any("standalone DB instance now" in line
                                       for line in replica_screen.log_lines),
                    "the promotion", timeout_s=120)
        [record] = rds.describe_db_instances(DBInstanceIdentifier="shop-db-replica")["DBInstances"]
        assert not record.get("ReadReplicaSourceDBInstanceIdentifier")
