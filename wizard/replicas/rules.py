"""Every rule a read replica must pass, checked before any request, from the engine's row and the source.

Sources: "Working with DB instance read replicas"
(https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReadRepl.html) and "Limitations for Secrets
Manager integration with Amazon RDS"
(https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html#rds-secrets-manager-limitations).
Where the engine's row does not know a figure for sure, no rule refuses on its account.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wizard.day2.common import Problem, wait_until_available
from wizard.spec.engines import READ_REPLICAS_URL, SECRETS_LIMITS_URL, engine_rules


@dataclass(frozen=True)
class ReplicaSource:
    """What the rules need to know about the DB instance a replica would copy."""

    identifier: str
    engine: str
    engine_version: str
    status: str
    backup_retention: int
    managed_password: bool  # MasterUserSecret present: the password lives in Secrets Manager
    replica_of: str | None  # ReadReplicaSourceDBInstanceIdentifier: the source is itself a replica
    replicas: tuple[str, ...]  # ReadReplicaDBInstanceIdentifiers
    cluster: str | None = None

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> ReplicaSource:
        """From one DescribeDBInstances record."""
        return cls(
            identifier=str(record.get("DBInstanceIdentifier", "")),
            engine=str(record.get("Engine", "")),
            engine_version=str(record.get("EngineVersion", "")),
            status=str(record.get("DBInstanceStatus", "")),
            backup_retention=int(record.get("BackupRetentionPeriod") or 0),
            managed_password=bool(record.get("MasterUserSecret")),
            replica_of=record.get("ReadReplicaSourceDBInstanceIdentifier") or None,
            replicas=tuple(str(r) for r in record.get("ReadReplicaDBInstanceIdentifiers") or ()),
            cluster=record.get("DBClusterIdentifier") or None,
        )


def managed_password_fix(name: str) -> Problem:
    """The Secrets Manager limitation, explained, with the fix the wizard offers."""
    return Problem(
        f"{name} keeps its master password in Secrets Manager (ManageMasterUserPassword), and RDS does not "
        f"create a read replica of such a source on this engine (AWS: \"Limitations for Secrets Manager "
        f"integration\", {SECRETS_LIMITS_URL}).",
        f"Switch {name} to a self-managed password first: `rds-wizard replica create {name} "
        "--self-managed-password` does it (a confirmed modify; you type the new password, it is never "
        "shown or stored), or run the command below with the password from a prompt, not your history.",
        f"aws rds modify-db-instance --db-instance-identifier {name} --no-manage-master-user-password "
        "--master-user-password ... --apply-immediately")


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) if part.isdigit() else 0 for part in version.split("."))


def check_source(source: ReplicaSource, *, supports_read_replica: bool | None = None) -> list[Problem]:
    """Every reason RDS would refuse a read replica of this source (empty: none).

    supports_read_replica is the catalog's SupportsReadReplica for the source's engine version, when known.
    """
    name = source.identifier
    problems: list[Problem] = []
    rules = engine_rules(source.engine)
    if source.cluster:
        problems.append(Problem(
            f"{name} is a member of the DB cluster {source.cluster}; CreateDBInstanceReadReplica copies a "
            "DB instance, not a cluster member.",
            f"Add a reader to the cluster {source.cluster} instead."))
        return problems
    if supports_read_replica is False or (rules is not None and rules.read_replicas == "no"):
        label = rules.label if rules else source.engine
        problems.append(Problem(
            f"Engine: {label} {source.engine_version} has no read replicas on RDS ({READ_REPLICAS_URL}).",
            "Use Multi-AZ for availability; for read scaling choose an engine (edition) that has read "
            "replicas."))
        return problems
    if source.status != "available":
        problems.append(Problem(
            f"Status: {name} is `{source.status}`; RDS creates a read replica only of an available source.",
            wait_until_available(name, source.status)))
    if source.backup_retention < 1:
        problems.append(Problem(
            f"BackupRetentionPeriod: {name} keeps no automated backups (0 days); a read replica's source "
            f"needs at least 1 ({READ_REPLICAS_URL}).",
            f"Turn on automated backups (1-35 days); with 0 -> non-zero RDS restarts {name}.",
            f"aws rds modify-db-instance --db-instance-identifier {name} --backup-retention-period 7 "
            "--apply-immediately"))
    if rules is not None and rules.max_read_replicas is not None \
            and len(source.replicas) >= rules.max_read_replicas:
        problems.append(Problem(
            f"Read replicas per source: {name} already has {len(source.replicas)}, the most {rules.label} "
            f"allows ({rules.max_read_replicas}; {READ_REPLICAS_URL}).",
            "Delete a replica you no longer need, or make a replica of one of them where the engine allows "
            "cascading replicas."))
    if source.replica_of:
        cascading = rules is not None and rules.cascading_replicas and (
            rules.cascading_min_version is None
            or _version_key(source.engine_version) >= _version_key(rules.cascading_min_version))
        if rules is not None and not cascading:
            since = (f" before {rules.cascading_min_version}" if rules.cascading_replicas
                     and rules.cascading_min_version else "")
            problems.append(Problem(
                f"Source: {name} is itself a read replica of {source.replica_of}, and {rules.label}"
                f"{since} does not allow a replica of a replica ({READ_REPLICAS_URL}).",
                f"Make the replica of {source.replica_of} instead."))
    if source.managed_password and (rules is None or rules.managed_password_blocks_replicas):
        problems.append(managed_password_fix(name))
    return problems


def is_managed_password_problem(problem: Problem) -> bool:
    """Whether a problem is the Secrets Manager limitation (the one the wizard offers to fix)."""
    return "--no-manage-master-user-password" in (problem.command or "")
