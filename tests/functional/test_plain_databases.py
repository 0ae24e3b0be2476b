"""`rds-wizard --databases --plain` on the demo: the same actions as the Databases screen, as prompts."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import pytest
from demo_support import follow_statuses

from wizard.plain import Option
from wizard.plain_databases import run_plain_databases

pytestmark = [pytest.mark.slow, pytest.mark.timeout(240)]


class Scripted:
    """Answers in order; a select answer is the label's start, so the test reads as the user would."""

    def __init__(self, answers: list[Any]) -> None:
        self.answers = answers
        self.asked: list[str] = []

    def _next(self, label: str) -> Any:
        self.asked.append(label)
        return self.answers.pop(0)

    def text(self, label: str, default: str) -> str:
        answer = self._next(label)
        return default if answer is None else str(answer)

    def select(self, label: str, options: Sequence[Option], default: int) -> int:
        wanted = self._next(label)
        index = next(i for i, o in enumerate(options) if o.label.startswith(wanted))
        assert options[index].disabled_reason is None, options[index]
        return index

    def checkbox(self, label: str, options: Sequence[Option], checked: Sequence[int]) -> list[int]:
        raise AssertionError("no checkbox in the Databases menu")

    def confirm(self, label: str, default: bool) -> bool:
        return bool(self._next(label))

    def password(self, label: str) -> str:
        raise AssertionError("no password in the Databases menu")


@pytest.fixture(scope="module")
def gateway() -> Iterator[Any]:
    from wizard.aws import ConnectionOptions, open_gateway

    gateway = open_gateway(ConnectionOptions(demo=True, demo_speed=300))
    yield gateway
    gateway.close()


def test_plain_menu_converts_reboots_and_deletes(gateway: Any) -> None:
    rds = gateway.client("rds")
    rds.create_db_instance(DBInstanceIdentifier="plain-db", DBInstanceClass="db.t4g.medium",
                           Engine="postgres", AllocatedStorage=20, MasterUsername="app_admin",
                           ManageMasterUserPassword=True, DBSubnetGroupName="demo-multi-az",
                           BackupRetentionPeriod=0, DeletionProtection=True)
    follow_statuses(rds, "plain-db")
    lines: list[str] = []
    answers = [
        "plain-db", "Multi-AZ", "plain-db",            # convert, typed confirmation
        "plain-db", "Reboot", "plain-db",              # reboot with failover (it is Multi-AZ now)
        "plain-db", "Delete", False, None, True,        # keep the proposed final snapshot
        True, "plain-db",                               # deletion protection off, confirmed
        "plain-db",                                     # then the delete itself, confirmed
        "Quit",
    ]
    prompter = Scripted(answers)
    code = run_plain_databases(None, prompter, lines.append, gateway=gateway)  # type: ignore[arg-type]
    text = "\n".join(lines)
    assert code == 0, text
    assert not prompter.answers
    assert "Finished applying modification to convert to a Multi-AZ DB instance" in text
    if not gateway.notices():  # real PostgreSQL behind the demo: the probe measured the writes
        assert "Writes were never interrupted" in text and "no committed row was lost" in text
    assert "Multi-AZ instance failover completed." in text
    assert "deletion protection turned on" in text and "Nothing was changed." in text
    assert "plain-db is deleted." in text
    snapshots = rds.describe_db_snapshots(DBInstanceIdentifier="plain-db")["DBSnapshots"]
    assert [s["Status"] for s in snapshots] == ["available"]


def test_plain_menu_creates_a_replica_then_promotes_it(gateway: Any) -> None:
    rds = gateway.client("rds")
    rds.create_db_instance(DBInstanceIdentifier="plain-src", DBInstanceClass="db.t4g.medium",
                           Engine="postgres", AllocatedStorage=20, MasterUsername="app_admin",
                           MasterUserPassword="Plain-src-pw-1234", DBSubnetGroupName="demo-multi-az",
                           BackupRetentionPeriod=7, MultiAZ=True)
    follow_statuses(rds, "plain-src")
    lines: list[str] = []
    answers = [
        "plain-src", "Read replica", "plain-src-replica",          # create, typed confirmation
        "plain-src-replica", "Replica: lag", True, "plain-src-replica",  # lag and table, promote, typed
        "Quit",
    ]
    prompter = Scripted(answers)
    code = run_plain_databases(None, prompter, lines.append, gateway=gateway)  # type: ignore[arg-type]
    text = "\n".join(lines)
    assert code == 0, text
    assert not prompter.answers
    assert "asynchronous replication" in text and "Sent: aws rds create-db-instance-read-replica" in text
    assert "Replica lag:" in text and "Multi-AZ standby" in text
    assert "Anything plain-src committed that plain-src-replica had not replayed" in text
    [record] = rds.describe_db_instances(DBInstanceIdentifier="plain-src-replica")["DBInstances"]
    assert record["DBInstanceStatus"] == "available"
    assert not record.get("ReadReplicaSourceDBInstanceIdentifier")
