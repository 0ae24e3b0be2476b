"""The account's catalog from Describe* calls: engine versions, orderable classes, network and groups.

Each look-up is made once per run (several workers asking at once still make one call), and against
AWS's own endpoints it is also kept on disk with a time to live, so the next run starts without waiting.
Errors are never cached: the next ask tries again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from wizard.catalog import (
    EngineVersion,
    OptionGroup,
    OrderableOption,
    ParameterGroup,
    SecurityGroup,
    SubnetGroup,
    Vpc,
)

T = TypeVar("T")

# What AWS changes rarely (versions and classes) is kept a day; what the user may change in another
# window (subnet groups, security groups, parameter groups) only a few minutes.
SLOW_TTL_S = 24 * 3600.0
NETWORK_TTL_S = 10 * 60.0

_CACHE_FORMAT = 1


class DiskCache:
    """JSON files under the user's cache directory, one per look-up, each with the time it was saved."""

    def __init__(self, root: Path | None = None, *, scope: Callable[[], str] | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        self._root = root
        self._scope = scope
        self._clock = clock

    @classmethod
    def for_scope(cls, scope: Callable[[], str], clock: Callable[[], float] = time.time) -> DiskCache:
        """A cache in `wizard.paths.cache_dir()`, separate per scope (account and region), found lazily."""
        return cls(scope=scope, clock=clock)

    def _dir(self) -> Path:
        root = self._root
        if root is None:
            from wizard.paths import cache_dir

            root = cache_dir() / "catalog"
        if self._scope is not None:
            root = root / _safe_name(self._scope())
        return root

    def _path(self, key: str) -> Path:
        digest = hashlib.sha256(key.encode()).hexdigest()[:16]
        return self._dir() / f"{_safe_name(key)[:60]}-{digest}.json"

    def load(self, key: str, ttl_s: float) -> list[dict[str, Any]] | None:
        """The items saved under this key, or None when absent, unreadable or older than the TTL."""
        try:
            data = json.loads(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("format") != _CACHE_FORMAT or data.get("key") != key:
            return None
        saved_at = data.get("saved_at")
        if not isinstance(saved_at, int | float) or not 0 <= self._clock() - saved_at < ttl_s:
            return None
        items = data.get("items")
        return items if isinstance(items, list) else None

    def save(self, key: str, items: list[dict[str, Any]]) -> None:
        """Keep these items under this key; a cache that cannot be written is not an error."""
        try:
            path = self._path(key)
            path.parent.mkdir(parents=True, exist_ok=True)
            payload = json.dumps({"format": _CACHE_FORMAT, "key": key, "saved_at": self._clock(),
                                  "items": items})
            # Written aside and renamed, so a concurrent run never reads half a file.
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(payload)
            os.replace(tmp, path)
        except OSError:
            return


def _safe_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text)


class AwsCatalog:
    """A `wizard.catalog.Catalog` over boto3 clients, cached for the run and optionally on disk."""

    def __init__(self, client: Callable[[str], Any], paginate: Callable[..., Any] | None = None,
                 disk: DiskCache | None = None) -> None:
        self._client = client
        self._paginate = paginate or (
            lambda service, operation, **params: client(service).get_paginator(operation).paginate(**params))
        self._disk = disk
        self._memory: dict[str, list[Any]] = {}
        self._guard = threading.Lock()
        self._key_locks: dict[str, threading.Lock] = {}

    def _cached(self, key: str, kind: type[T], ttl_s: float, fetch: Callable[[], list[T]]) -> list[T]:
        """The look-up from memory, else disk, else AWS; one fetch per key even with concurrent callers."""
        with self._guard:
            if key in self._memory:
                return list(self._memory[key])
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:
            with self._guard:
                if key in self._memory:
                    return list(self._memory[key])
            items: list[T] | None = None
            if self._disk is not None:
                raw = self._disk.load(key, ttl_s)
                if raw is not None:
                    items = _from_dicts(kind, raw)
            if items is None:
                items = fetch()
                if self._disk is not None:
                    self._disk.save(key, [dataclasses.asdict(item) for item in items])  # type: ignore[call-overload]
            with self._guard:
                self._memory[key] = list(items)
            return list(items)

    def _items(self, service: str, operation: str, result_key: str,
               **params: Any) -> Iterable[dict[str, Any]]:
        for page in self._paginate(service, operation, **params):
            yield from page.get(result_key, [])

    def engine_versions(self, engine: str) -> list[EngineVersion]:
        """Versions of an engine that can be created, newest first, RDS's default flagged."""
        def fetch() -> list[EngineVersion]:
            default = {v.get("EngineVersion") for v in self._items(
                "rds", "describe_db_engine_versions", "DBEngineVersions", Engine=engine, DefaultOnly=True)}
            versions: dict[str, EngineVersion] = {}
            for raw in self._items("rds", "describe_db_engine_versions", "DBEngineVersions", Engine=engine):
                version = str(raw.get("EngineVersion", ""))
                if not version or raw.get("Status", "available") != "available" or version in versions:
                    continue
                versions[version] = EngineVersion(
                    engine=str(raw.get("Engine", engine)), version=version,
                    parameter_group_family=str(raw.get("DBParameterGroupFamily", "")),
                    is_default=version in default,
                    description=str(raw.get("DBEngineVersionDescription", "")))
            return sorted(versions.values(), key=lambda v: version_key(v.version), reverse=True)
        return self._cached(f"engine-versions:{engine}", EngineVersion, SLOW_TTL_S, fetch)

    def orderable_options(self, engine: str, version: str) -> list[OrderableOption]:
        """Orderable class and storage combinations for an engine version, one per class and storage type."""
        def fetch() -> list[OrderableOption]:
            merged: dict[tuple[str, str], OrderableOption] = {}
            pages = self._items("rds", "describe_orderable_db_instance_options", "OrderableDBInstanceOptions",
                                Engine=engine, EngineVersion=version, PaginationConfig={"PageSize": 1000})
            for raw in pages:
                option = _orderable(raw, engine, version)
                key = (option.instance_class, option.storage_type)
                # Several entries per class and storage (one per license model or network type):
                # the class is offered Multi-AZ if any of them is.
                merged[key] = _merge(merged[key], option) if key in merged else option
            return sorted(merged.values(), key=lambda o: (class_key(o.instance_class), o.storage_type))
        return self._cached(f"orderable:{engine}:{version}", OrderableOption, SLOW_TTL_S, fetch)

    def vpcs(self) -> list[Vpc]:
        """VPCs in the region, the default one first."""
        def fetch() -> list[Vpc]:
            found = [Vpc(vpc_id=str(raw["VpcId"]), cidr=str(raw.get("CidrBlock", "")),
                         is_default=bool(raw.get("IsDefault", False)), name=_name_tag(raw.get("Tags")))
                     for raw in self._items("ec2", "describe_vpcs", "Vpcs")]
            return sorted(found, key=lambda v: (not v.is_default, v.name or v.vpc_id))
        return self._cached("vpcs", Vpc, NETWORK_TTL_S, fetch)

    def subnet_groups(self) -> list[SubnetGroup]:
        """DB subnet groups with the Availability Zones their subnets cover."""
        def fetch() -> list[SubnetGroup]:
            groups = []
            for raw in self._items("rds", "describe_db_subnet_groups", "DBSubnetGroups"):
                zones = sorted({str(s["SubnetAvailabilityZone"]["Name"]) for s in raw.get("Subnets", [])
                                if s.get("SubnetAvailabilityZone", {}).get("Name")
                                and s.get("SubnetStatus", "Active") == "Active"})
                groups.append(SubnetGroup(name=str(raw["DBSubnetGroupName"]),
                                          vpc_id=str(raw.get("VpcId", "")), availability_zones=tuple(zones),
                                          description=str(raw.get("DBSubnetGroupDescription", ""))))
            return sorted(groups, key=lambda g: g.name)
        return self._cached("subnet-groups", SubnetGroup, NETWORK_TTL_S, fetch)

    def security_groups(self, vpc_id: str | None) -> list[SecurityGroup]:
        """Security groups, in one VPC when it is given; "default" first."""
        def fetch() -> list[SecurityGroup]:
            params: dict[str, Any] = {}
            if vpc_id:
                params["Filters"] = [{"Name": "vpc-id", "Values": [vpc_id]}]
            found = [SecurityGroup(group_id=str(raw["GroupId"]), name=str(raw.get("GroupName", "")),
                                   vpc_id=str(raw.get("VpcId", "")),
                                   description=str(raw.get("Description", "")))
                     for raw in self._items("ec2", "describe_security_groups", "SecurityGroups", **params)]
            return sorted(found, key=lambda g: (g.name != "default", g.name, g.group_id))
        return self._cached(f"security-groups:{vpc_id or '*'}", SecurityGroup, NETWORK_TTL_S, fetch)

    def parameter_groups(self, family: str) -> list[ParameterGroup]:
        """DB parameter groups of one family, the default first."""
        def fetch() -> list[ParameterGroup]:
            # DescribeDBParameterGroups has no working family filter, so all are listed once and the
            # families split here (later families come from memory).
            return [g for g in self._all_parameter_groups() if g.family == family]
        return self._cached(f"parameter-groups:{family}", ParameterGroup, NETWORK_TTL_S, fetch)

    def _all_parameter_groups(self) -> list[ParameterGroup]:
        def fetch() -> list[ParameterGroup]:
            found = [ParameterGroup(name=str(raw["DBParameterGroupName"]),
                                    family=str(raw.get("DBParameterGroupFamily", "")),
                                    description=str(raw.get("Description", "")))
                     for raw in self._items("rds", "describe_db_parameter_groups", "DBParameterGroups")]
            return sorted(found, key=lambda g: (not g.is_default, g.name))
        return self._cached("parameter-groups", ParameterGroup, NETWORK_TTL_S, fetch)

    def cluster_parameter_groups(self, family: str) -> list[ParameterGroup]:
        """DB cluster parameter groups of one family, the default first."""
        def fetch() -> list[ParameterGroup]:
            found = [ParameterGroup(name=str(raw["DBClusterParameterGroupName"]),
                                    family=str(raw.get("DBParameterGroupFamily", "")),
                                    description=str(raw.get("Description", "")))
                     for raw in self._items("rds", "describe_db_cluster_parameter_groups",
                                            "DBClusterParameterGroups")]
            return sorted(found, key=lambda g: (not g.is_default, g.name))
        all_groups = self._cached("cluster-parameter-groups", ParameterGroup, NETWORK_TTL_S, fetch)
        return [g for g in all_groups if g.family == family]

    def option_groups(self, engine: str, major_version: str) -> list[OptionGroup]:
        """Option groups for an engine's major version, the default first."""
        def fetch() -> list[OptionGroup]:
            # EngineName is always passed: moto fails on DescribeOptionGroups without it.
            found = [OptionGroup(name=str(raw["OptionGroupName"]), engine=str(raw.get("EngineName", engine)),
                                 major_version=str(raw.get("MajorEngineVersion", major_version)),
                                 description=str(raw.get("OptionGroupDescription", "")))
                     for raw in self._items("rds", "describe_option_groups", "OptionGroupsList",
                                            EngineName=engine, MajorEngineVersion=major_version)]
            return sorted(found, key=lambda g: (not g.is_default, g.name))
        return self._cached(f"option-groups:{engine}:{major_version}", OptionGroup, NETWORK_TTL_S, fetch)


def _orderable(raw: dict[str, Any], engine: str, version: str) -> OrderableOption:
    def number(name: str) -> int | None:
        value = raw.get(name)
        return int(value) if isinstance(value, int | float) else None

    def ratio(name: str) -> float | None:
        value = raw.get(name)
        return float(value) if isinstance(value, int | float) else None

    zones = tuple(sorted(str(z["Name"]) for z in raw.get("AvailabilityZones", []) if z.get("Name")))
    return OrderableOption(
        engine=str(raw.get("Engine", engine)), version=str(raw.get("EngineVersion", version)),
        instance_class=str(raw["DBInstanceClass"]), storage_type=str(raw.get("StorageType", "standard")),
        multi_az_capable=bool(raw.get("MultiAZCapable", False)),
        supports_clusters=bool(raw.get("SupportsClusters", False)),
        supports_storage_autoscaling=bool(raw.get("SupportsStorageAutoscaling", True)),
        min_storage_gib=number("MinStorageSize"), max_storage_gib=number("MaxStorageSize"),
        min_iops=number("MinIopsPerDbInstance"), max_iops=number("MaxIopsPerDbInstance"),
        min_iops_per_gib=ratio("MinIopsPerGib"), max_iops_per_gib=ratio("MaxIopsPerGib"),
        min_throughput_mibps=number("MinStorageThroughputPerDbInstance"),
        max_throughput_mibps=number("MaxStorageThroughputPerDbInstance"),
        availability_zones=zones)


def _merge(a: OrderableOption, b: OrderableOption) -> OrderableOption:
    return dataclasses.replace(
        a, multi_az_capable=a.multi_az_capable or b.multi_az_capable,
        supports_clusters=a.supports_clusters or b.supports_clusters,
        availability_zones=tuple(sorted(set(a.availability_zones) | set(b.availability_zones))))


def _name_tag(tags: Sequence[dict[str, Any]] | None) -> str:
    for tag in tags or ():
        if tag.get("Key") == "Name":
            return str(tag.get("Value", ""))
    return ""


def _from_dicts(kind: type[T], raw: list[dict[str, Any]]) -> list[T] | None:
    """Dataclasses back from their JSON form; None if the file does not match (an older format)."""
    names = {f.name for f in dataclasses.fields(kind)}  # type: ignore[arg-type]
    items: list[T] = []
    try:
        for entry in raw:
            values = {k: tuple(v) if isinstance(v, list) else v for k, v in entry.items() if k in names}
            items.append(kind(**values))
    except (TypeError, AttributeError):
        return None
    return items


def version_key(version: str) -> tuple[tuple[int, int | str], ...]:
    """Sorts versions as numbers where they are numbers: 16.10 after 16.9, "8.0.mysql_aurora..." safely."""
    parts = re.split(r"[.\-_]", version)
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts)


_SIZES = ("nano", "micro", "small", "medium", "large", "xlarge")


def class_key(instance_class: str) -> tuple[str, int, int, str]:
    """Sorts classes by series, then size (db.m6g.large before db.m6g.xlarge before db.m6g.2xlarge)."""
    parts = instance_class.removeprefix("db.").split(".")
    series = parts[0] if parts else instance_class
    size = parts[1] if len(parts) > 1 else ""
    match = re.fullmatch(r"(\d*)(\w+)", size)
    multiple = int(match.group(1)) if match and match.group(1) else 1
    base = match.group(2) if match else size
    rank = _SIZES.index(base) if base in _SIZES else len(_SIZES)
    return (series, rank, multiple, size)
