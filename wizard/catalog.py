"""What an account offers, as plain data: engine versions, orderable classes and the network.

Filled by the AWS gateway (`wizard.aws.catalog`) from Describe* calls, read by the rules (which checks
need the account) and by the front ends (which choices to offer). No boto3 here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class EngineVersion:
    """One engine version from DescribeDBEngineVersions."""

    engine: str
    version: str
    parameter_group_family: str
    is_default: bool = False
    description: str = ""

    @property
    def major_version(self) -> str:
        """The version that option groups are made for: "16" for PostgreSQL 16.4, "8.0" for MySQL 8.0.39."""
        parts = self.version.split(".")
        return parts[0] if self.engine == "postgres" else ".".join(parts[:2])


@dataclass(frozen=True)
class OrderableOption:
    """One DescribeOrderableDBInstanceOptions entry: a class with one storage type, and its limits."""

    engine: str
    version: str
    instance_class: str
    storage_type: str
    multi_az_capable: bool
    supports_clusters: bool = False
    supports_storage_autoscaling: bool = True
    min_storage_gib: int | None = None
    max_storage_gib: int | None = None
    min_iops: int | None = None
    max_iops: int | None = None
    min_iops_per_gib: float | None = None
    max_iops_per_gib: float | None = None
    min_throughput_mibps: int | None = None
    max_throughput_mibps: int | None = None
    availability_zones: tuple[str, ...] = ()

    @property
    def family(self) -> str:
        """The console's grouping of classes: burstable, memory optimized or standard."""
        kind = self.instance_class.removeprefix("db.")[:1]
        if kind == "t":
            return "burstable"
        if kind in ("r", "x", "z"):
            return "memory optimized"
        return "standard"


@dataclass(frozen=True)
class Vpc:
    """A VPC the database can live in."""

    vpc_id: str
    cidr: str = ""
    is_default: bool = False
    name: str = ""


@dataclass(frozen=True)
class SubnetGroup:
    """A DB subnet group and the Availability Zones its subnets cover."""

    name: str
    vpc_id: str
    availability_zones: tuple[str, ...]
    description: str = ""


@dataclass(frozen=True)
class SecurityGroup:
    """A VPC security group."""

    group_id: str
    name: str
    vpc_id: str
    description: str = ""


@dataclass(frozen=True)
class ParameterGroup:
    """A DB (or DB cluster) parameter group, for one parameter group family."""

    name: str
    family: str
    description: str = ""

    @property
    def is_default(self) -> bool:
        """The engine's own default group, which RDS uses when none is named."""
        return self.name.startswith("default.")


@dataclass(frozen=True)
class OptionGroup:
    """An option group (for one engine and major version)."""

    name: str
    engine: str
    major_version: str
    description: str = ""

    @property
    def is_default(self) -> bool:
        """The engine's own default group, which RDS uses when none is named."""
        return self.name.startswith("default:")


@dataclass(frozen=True)
class AccountFacts:
    """What the rules may know of the account: None for a fact not looked up (lint works offline)."""

    subnet_groups: Sequence[SubnetGroup] | None = None
    orderable_options: Sequence[OrderableOption] | None = None
    engine_versions: Sequence[EngineVersion] | None = None
    security_groups: Sequence[SecurityGroup] | None = field(default=None)


class Catalog(Protocol):
    """Look-ups the front ends need. Blocking (they may call AWS): call from a worker, never a UI thread."""

    def engine_versions(self, engine: str) -> list[EngineVersion]:
        """Versions of an engine, the default flagged."""
        ...

    def orderable_options(self, engine: str, version: str) -> list[OrderableOption]:
        """Orderable class and storage combinations for an engine version."""
        ...

    def vpcs(self) -> list[Vpc]:
        """VPCs in the region."""
        ...

    def subnet_groups(self) -> list[SubnetGroup]:
        """DB subnet groups with the AZs they cover."""
        ...

    def security_groups(self, vpc_id: str | None) -> list[SecurityGroup]:
        """Security groups, in one VPC when it is given."""
        ...

    def parameter_groups(self, family: str) -> list[ParameterGroup]:
        """DB parameter groups of one family (e.g. postgres16)."""
        ...

    def cluster_parameter_groups(self, family: str) -> list[ParameterGroup]:
        """DB cluster parameter groups of one family: what a Multi-AZ DB cluster takes instead."""
        ...

    def option_groups(self, engine: str, major_version: str) -> list[OptionGroup]:
        """Option groups for an engine's major version."""
        ...
