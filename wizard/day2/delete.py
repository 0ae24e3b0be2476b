"""Delete a DB instance or Multi-AZ DB cluster, with a final snapshot unless the user explicitly skips it.

"Deleting a DB instance" (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_DeleteInstance.html)
and DeleteDBInstance / DeleteDBCluster in the RDS API reference: a final snapshot name must be 1-255
letters, digits or hyphens, start with a letter, not end with a hyphen nor hold two hyphens in a row; a
read replica cannot have one; deletion protection refuses the delete until it is turned off.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from wizard.aws.timing import GatewayLike
from wizard.day2.common import ActionPlan, Problem, error_code, load_row
from wizard.day2.inventory import DatabaseRow

_SNAPSHOT_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9-]{0,254}$")
# A failed instance can only be deleted without a final snapshot (DeleteDBInstance, SkipFinalSnapshot).
NO_SNAPSHOT_STATUSES = frozenset({"failed", "incompatible-restore", "incompatible-network"})


def proposed_snapshot_name(identifier: str, now: datetime | None = None) -> str:
    """A final snapshot name the user can accept or edit: `<identifier>-final-<UTC date and time>`."""
    when = (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M")
    return f"{identifier}-final-{when}"


def snapshot_name_problem(name: str) -> str | None:
    """Why RDS would refuse this snapshot name, or None."""
    if not _SNAPSHOT_NAME.match(name):
        return ("A snapshot name is 1-255 letters, digits and hyphens and starts with a letter "
                f"({name!r} does not).")
    if name.endswith("-") or "--" in name:
        return f"A snapshot name cannot end with a hyphen or hold two hyphens in a row ({name!r})."
    return None


def plan_delete(gateway: GatewayLike, identifier: str, *, final_snapshot: str | None,
                delete_automated_backups: bool = True) -> ActionPlan:
    """The checked plan for a delete; `final_snapshot=None` means skip it (the user chose that)."""
    plan = ActionPlan("delete", identifier, None)
    row = load_row(gateway, identifier, plan)
    plan.row = row
    if row is None:
        return plan
    name = row.identifier
    cluster = row.kind == "cluster"
    kind_flag = "db-cluster" if cluster else "db-instance"
    plan.operation = "delete_db_cluster" if cluster else "delete_db_instance"
    key = "DBClusterIdentifier" if cluster else "DBInstanceIdentifier"
    plan.params = {key: name}
    if final_snapshot is None:
        plan.params["SkipFinalSnapshot"] = True
        snapshot_cli = "--skip-final-snapshot"
    else:
        plan.params["FinalDBSnapshotIdentifier"] = final_snapshot
        snapshot_cli = f"--final-db-snapshot-identifier {final_snapshot}"
    if not cluster:
        plan.params["DeleteAutomatedBackups"] = delete_automated_backups
    plan.cli = f"aws rds delete-{kind_flag} --{kind_flag}-identifier {name} {snapshot_cli}" + (
        "" if cluster else (" --delete-automated-backups" if delete_automated_backups
                            else " --no-delete-automated-backups"))
    plan.problems.extend(_problems(gateway, row, final_snapshot))
    if plan.problems:
        return plan
    what = [f"RDS deletes {name}" + (" and its member instances" if cluster else "")
            + ": its status becomes `deleting`, its endpoint stops answering, then it is gone."]
    if final_snapshot is None:
        what.append("No final snapshot (you chose --skip-final-snapshot): the data is lost for good.")
    else:
        what.append(f"First RDS takes the final snapshot {final_snapshot}; it stays (and is billed as "
                    "backup storage) until you delete it, and a new database can be restored from it.")
    if not cluster:
        what.append("Automated backups are deleted with it." if delete_automated_backups else
                    "Automated backups are kept until their retention period ends.")
    what.append("Billing for the instance stops once it is deleted.")
    what.append(f"Same as: {plan.cli}")
    plan.what_will_happen = what
    return plan


def _problems(gateway: GatewayLike, row: DatabaseRow, final_snapshot: str | None) -> list[Problem]:
    name = row.identifier
    kind_flag = "db-cluster" if row.kind == "cluster" else "db-instance"
    if row.cluster:
        return [Problem(f"{name} is a member of the Multi-AZ DB cluster {row.cluster}; RDS deletes members "
                        "with their cluster.",
                        f"Delete the cluster instead: `rds-wizard delete {row.cluster} ...`.")]
    problems: list[Problem] = []
    if row.deletion_protection:
        problems.append(Problem(
            f"{name} has deletion protection turned on, so RDS refuses to delete it.",
            "Turn deletion protection off first (its own confirmed change), then delete:",
            f"aws rds modify-{kind_flag} --{kind_flag}-identifier {name} --no-deletion-protection "
            "--apply-immediately"))
    if row.status == "deleting":
        problems.append(Problem(f"{name} is already being deleted.",
                                f"`rds-wizard watch {name}` follows it."))
    if final_snapshot is None:
        return problems
    if row.replica_source:
        problems.append(Problem(f"{name} is a read replica of {row.replica_source}; RDS does not take a "
                                "final snapshot of a read replica.",
                                "Delete it with --skip-final-snapshot (its data lives on in the source)."))
    if row.status in NO_SNAPSHOT_STATUSES:
        problems.append(Problem(f"{name} is `{row.status}`; RDS can delete it only without a final snapshot.",
                                "Delete it with --skip-final-snapshot."))
    invalid = snapshot_name_problem(final_snapshot)
    if invalid:
        problems.append(Problem(f"The final snapshot name is not valid: {invalid}",
                                f"Choose another name, e.g. {proposed_snapshot_name(name)}."))
    elif _snapshot_exists(gateway, final_snapshot, cluster=row.kind == "cluster"):
        problems.append(Problem(f"A snapshot named {final_snapshot} already exists.",
                                f"Choose another name, e.g. {proposed_snapshot_name(name)}."))
    return problems


def _snapshot_exists(gateway: GatewayLike, name: str, *, cluster: bool) -> bool:
    client = gateway.client("rds")
    try:
        if cluster:
            found = client.describe_db_cluster_snapshots(
                DBClusterSnapshotIdentifier=name)["DBClusterSnapshots"]
        else:
            found = client.describe_db_snapshots(DBSnapshotIdentifier=name)["DBSnapshots"]
    except Exception as exc:
        if "SnapshotNotFound" in error_code(exc):
            return False
        raise
    return bool(found)


def plan_disable_deletion_protection(gateway: GatewayLike, identifier: str) -> ActionPlan:
    """The separate, confirmed change that turns deletion protection off."""
    plan = ActionPlan("disable-deletion-protection", identifier, None)
    row = load_row(gateway, identifier, plan)
    plan.row = row
    if row is None:
        return plan
    cluster = row.kind == "cluster"
    kind_flag = "db-cluster" if cluster else "db-instance"
    plan.operation = "modify_db_cluster" if cluster else "modify_db_instance"
    plan.params = {"DBClusterIdentifier" if cluster else "DBInstanceIdentifier": row.identifier,
                   "DeletionProtection": False, "ApplyImmediately": True}
    plan.cli = (f"aws rds modify-{kind_flag} --{kind_flag}-identifier {row.identifier} "
                "--no-deletion-protection --apply-immediately")
    if not row.deletion_protection:
        plan.problems.append(Problem(f"{row.identifier} has no deletion protection to turn off.",
                                     "Delete it directly."))
        return plan
    plan.what_will_happen = [
        f"Turns deletion protection off for {row.identifier}: nothing else changes, no downtime.",
        "After this, anyone allowed to call DeleteDB* can delete it.",
        f"Same as: {plan.cli}",
    ]
    return plan

