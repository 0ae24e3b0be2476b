"""Every DB instance and Multi-AZ DB cluster in the region, as rows a list or a screen can show.

One refresh is two paginated describes (DescribeDBInstances, DescribeDBClusters) through botocore's
paginators, whatever the number of databases: a page holds up to 100 records.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any, Literal

from wizard.aws import error_codes
from wizard.aws.timing import GatewayLike

RowKind = Literal["instance", "cluster"]

# Statuses in which nothing is changing: a screen stops refreshing fast once every row is in one.
SETTLED_STATUSES = frozenset({"available", "stopped", "failed", "storage-full", "incompatible-network",
                              "incompatible-parameters", "incompatible-option-group", "incompatible-restore",
                              "inaccessible-encryption-credentials", "insufficient-capacity"})
PAGE_SIZE = 100
NOT_FOUND_CODES = error_codes.NOT_FOUND


@dataclass(frozen=True)
class DatabaseRow:
    """One line of the Databases list."""

    identifier: str
    kind: RowKind
    engine: str
    engine_version: str
    instance_class: str
    status: str
    multi_az: bool
    availability_zone: str | None
    secondary_availability_zone: str | None
    role: str  # "source", "read replica of X", "member of cluster X", "cluster"
    pending: tuple[str, ...]
    deletion_protection: bool
    cluster: str | None = None
    replica_source: str | None = None
    subnet_group: str | None = None
    subnet_zones: tuple[str, ...] = ()
    backup_retention: int = 0

    @property
    def deployment(self) -> str:
        """Single-AZ, Multi-AZ DB instance, or Multi-AZ DB cluster, as the console words it."""
        if self.kind == "cluster":
            return "Multi-AZ DB cluster"
        if self.cluster:
            return "cluster member"
        return "Multi-AZ DB instance" if self.multi_az else "Single-AZ"

    @property
    def placement(self) -> str:
        """Primary AZ and standby AZ(s), e.g. "us-east-1a / standby us-east-1b"."""
        primary = self.availability_zone or "-"
        if self.secondary_availability_zone:
            label = "readers" if self.kind == "cluster" else "standby"
            return f"{primary} / {label} {self.secondary_availability_zone}"
        return primary

    @property
    def is_changing(self) -> bool:
        """Whether RDS is working on it (its row should be refreshed soon)."""
        return self.status not in SETTLED_STATUSES

    def to_json(self) -> dict[str, Any]:
        """The `list --format json` object: the row's fields plus the deployment words."""
        data = asdict(self)
        data["pending"] = list(self.pending)
        data["subnet_zones"] = list(self.subnet_zones)
        data["deployment"] = self.deployment
        return data


def _pending(record: dict[str, Any]) -> tuple[str, ...]:
    values = record.get("PendingModifiedValues") or {}
    return tuple(f"{key}={values[key]}" for key in sorted(values))


def instance_row(record: dict[str, Any]) -> DatabaseRow:
    """A DescribeDBInstances record as a row."""
    cluster = record.get("DBClusterIdentifier") or None
    source = record.get("ReadReplicaSourceDBInstanceIdentifier") or None
    if cluster:
        role = f"member of cluster {cluster}"
    elif source:
        role = f"read replica of {source}"
    else:
        role = "source"
    group = record.get("DBSubnetGroup") or {}
    zones = sorted({str(s.get("SubnetAvailabilityZone", {}).get("Name"))
                    for s in group.get("Subnets") or [] if s.get("SubnetAvailabilityZone", {}).get("Name")})
    return DatabaseRow(
        identifier=str(record.get("DBInstanceIdentifier", "")),
        kind="instance",
        engine=str(record.get("Engine", "")),
        engine_version=str(record.get("EngineVersion", "")),
        instance_class=str(record.get("DBInstanceClass", "")),
        status=str(record.get("DBInstanceStatus", "")),
        multi_az=bool(record.get("MultiAZ")),
        availability_zone=record.get("AvailabilityZone"),
        secondary_availability_zone=record.get("SecondaryAvailabilityZone"),
        role=role,
        pending=_pending(record),
        deletion_protection=bool(record.get("DeletionProtection")),
        cluster=cluster,
        replica_source=source,
        subnet_group=group.get("DBSubnetGroupName"),
        subnet_zones=tuple(zones),
        backup_retention=int(record.get("BackupRetentionPeriod") or 0),
    )


def cluster_row(record: dict[str, Any], members: dict[str, DatabaseRow]) -> DatabaseRow:
    """A DescribeDBClusters record as a row; the members' rows give the writer's and readers' AZs."""
    identifier = str(record.get("DBClusterIdentifier", ""))
    writer_az: str | None = None
    readers: list[str] = []
    for member in record.get("DBClusterMembers") or []:
        row = members.get(str(member.get("DBInstanceIdentifier")))
        if row is None or not row.availability_zone:
            continue
        if member.get("IsClusterWriter"):
            writer_az = row.availability_zone
        else:
            readers.append(row.availability_zone)
    return DatabaseRow(
        identifier=identifier,
        kind="cluster",
        engine=str(record.get("Engine", "")),
        engine_version=str(record.get("EngineVersion", "")),
        instance_class=str(record.get("DBClusterInstanceClass", "")),
        status=str(record.get("Status", "")),
        multi_az=bool(record.get("MultiAZ")) or len(record.get("DBClusterMembers") or []) > 1,
        availability_zone=writer_az,
        secondary_availability_zone=", ".join(sorted(readers)) or None,
        role="cluster",
        pending=_pending(record),
        deletion_protection=bool(record.get("DeletionProtection")),
        subnet_group=record.get("DBSubnetGroup"),
        backup_retention=int(record.get("BackupRetentionPeriod") or 0),
    )


def is_multi_az_cluster(record: dict[str, Any]) -> bool:
    """A Multi-AZ DB cluster (not Aurora): it has a DB cluster instance class."""
    engine = str(record.get("Engine", ""))
    return bool(record.get("DBClusterInstanceClass")) and not engine.startswith("aurora")


def build_rows(instances: Iterable[dict[str, Any]], clusters: Iterable[dict[str, Any]]) -> list[DatabaseRow]:
    """Clusters first, each followed by its members, then the other instances; each group by name."""
    by_name = {row.identifier: row for row in (instance_row(r) for r in instances)}
    rows: list[DatabaseRow] = []
    placed: set[str] = set()
    for record in sorted(clusters, key=lambda r: str(r.get("DBClusterIdentifier", ""))):
        if not is_multi_az_cluster(record):
            continue
        rows.append(cluster_row(record, by_name))
        names = sorted(str(m.get("DBInstanceIdentifier")) for m in record.get("DBClusterMembers") or [])
        for member in names:
            if member in by_name:
                rows.append(by_name[member])
                placed.add(member)
    rows.extend(by_name[name] for name in sorted(by_name) if name not in placed)
    return rows


def list_databases(gateway: GatewayLike) -> list[DatabaseRow]:
    """Every DB instance and Multi-AZ DB cluster behind this gateway (blocks: call it from a worker)."""
    client = gateway.client("rds")
    instances: list[dict[str, Any]] = []
    for page in client.get_paginator("describe_db_instances").paginate(
            PaginationConfig={"PageSize": PAGE_SIZE}):
        instances.extend(page.get("DBInstances") or [])
    clusters: list[dict[str, Any]] = []
    for page in client.get_paginator("describe_db_clusters").paginate(
            PaginationConfig={"PageSize": PAGE_SIZE}):
        clusters.extend(page.get("DBClusters") or [])
    return build_rows(instances, clusters)


def is_not_found(exc: BaseException) -> bool:
    """Whether AWS answered that the instance or cluster does not exist."""
    response = getattr(exc, "response", None)
    code = str(response.get("Error", {}).get("Code", "")) if isinstance(response, dict) else ""
    return code in NOT_FOUND_CODES


def printable(text: object) -> str:
    """A value from AWS made safe to echo: control characters become visible escapes (newlines stay)."""
    return "\n".join("".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in line)
                     for line in str(text).split("\n"))


def find_row(rows: Iterable[DatabaseRow], identifier: str) -> DatabaseRow | None:
    """The row of this identifier (RDS identifiers are case-insensitive)."""
    wanted = identifier.lower()
    return next((row for row in rows if row.identifier.lower() == wanted), None)


def describe_row(gateway: GatewayLike, identifier: str) -> DatabaseRow | None:
    """One database's row, read fresh (instance first, then Multi-AZ DB cluster); None if neither exists."""
    client = gateway.client("rds")
    try:
        found = client.describe_db_instances(DBInstanceIdentifier=identifier).get("DBInstances") or []
        if found:
            return instance_row(found[0])
    except Exception as exc:
        if not is_not_found(exc):
            raise
    try:
        clusters = client.describe_db_clusters(DBClusterIdentifier=identifier).get("DBClusters") or []
    except Exception as exc:
        if not is_not_found(exc):
            raise
        return None
    if not clusters or not is_multi_az_cluster(clusters[0]):
        return None
    members = client.describe_db_instances(
        Filters=[{"Name": "db-cluster-id", "Values": [identifier]}]).get("DBInstances") or []
    return cluster_row(clusters[0], {row.identifier: row for row in map(instance_row, members)})
