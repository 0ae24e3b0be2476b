"""The demo's catalog: engine versions and orderable instance options, read from wizard/demo/data/*.json.

moto has no DescribeDBEngineVersions and no orderable options for postgres, mysql or mariadb, so the demo
answers both from these files, in the shapes of the RDS API.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

ENGINE_FILES = ("postgres", "mysql", "mariadb")


@dataclass(frozen=True)
class EngineData:
    """One engine's data file."""

    engine: str
    description: str
    license_model: str
    log_exports: tuple[str, ...]
    supports_clusters: bool
    versions: tuple[dict[str, Any], ...]

    @property
    def default_version(self) -> str:
        """The version RDS picks when the request names none."""
        return str(next(v["version"] for v in self.versions if v.get("default")))

    def family(self, version: str) -> str | None:
        """The parameter group family of a version, None for a version the demo does not offer."""
        return next((v["family"] for v in self.versions if v["version"] == version), None)

    def major_version(self, version: str) -> str:
        """The major version option groups are made for: 17 for PostgreSQL 17.6, 8.0 for MySQL 8.0.42."""
        parts = version.split(".")
        return parts[0] if self.engine == "postgres" else ".".join(parts[:2])


def _load(name: str) -> dict[str, Any]:
    text = resources.files("wizard.demo").joinpath("data", f"{name}.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@cache
def engines() -> dict[str, EngineData]:
    """Every engine the demo offers, by API engine name."""
    result = {}
    for name in ENGINE_FILES:
        raw = _load(name)
        result[raw["engine"]] = EngineData(
            engine=raw["engine"],
            description=raw["description"],
            license_model=raw["license_model"],
            log_exports=tuple(raw["log_exports"]),
            supports_clusters=bool(raw["supports_clusters"]),
            versions=tuple(raw["versions"]),
        )
    return result


@cache
def _classes() -> dict[str, Any]:
    return _load("classes")


def engine_version_entries() -> list[dict[str, Any]]:
    """DescribeDBEngineVersions entries (DBEngineVersion shapes) for every version of every engine."""
    entries = []
    for data in engines().values():
        versions = [v["version"] for v in data.versions]
        for index, item in enumerate(data.versions):
            version = item["version"]
            entries.append({
                "Engine": data.engine,
                "EngineVersion": version,
                "MajorEngineVersion": data.major_version(version),
                "DBParameterGroupFamily": item["family"],
                "DBEngineDescription": data.description,
                "DBEngineVersionDescription": f"{data.description} {version}",
                "ValidUpgradeTarget": [
                    {"Engine": data.engine, "EngineVersion": later, "AutoUpgrade": False,
                     "IsMajorVersionUpgrade": data.major_version(later) != data.major_version(version)}
                    for later in versions[index + 1:]
                ],
                "ExportableLogTypes": list(data.log_exports),
                "SupportsLogExportsToCloudwatchLogs": True,
                "SupportsReadReplica": True,
                "SupportedEngineModes": ["provisioned"],
                "Status": "available",
                "SupportsParallelQuery": False,
                "SupportsGlobalDatabases": False,
                "SupportsBabelfish": False,
                "SupportsCertificateRotationWithoutRestart": True,
                "SupportedCACertificateIdentifiers": [
                    "rds-ca-rsa2048-g1", "rds-ca-rsa4096-g1", "rds-ca-ecc384-g1"],
                "_default": bool(item.get("default")),
            })
    return entries


def describe_engine_versions(params: dict[str, Any]) -> list[dict[str, Any]]:
    """Engine versions filtered as DescribeDBEngineVersions filters them (engine, version, family)."""
    engine = params.get("Engine")
    version = params.get("EngineVersion")
    family = params.get("DBParameterGroupFamily")
    entries = [
        e for e in engine_version_entries()
        if (not engine or e["Engine"] == engine)
        and (not version or e["EngineVersion"] == version or e["EngineVersion"].startswith(f"{version}."))
        and (not family or e["DBParameterGroupFamily"] == family)
    ]
    if params.get("DefaultOnly"):
        chosen = []
        for name in dict.fromkeys(e["Engine"] for e in entries):
            mine = [e for e in entries if e["Engine"] == name]
            # With a version filter RDS answers the default of that major version: the newest one here.
            flagged = [e for e in mine if e["_default"]] if not version else []
            chosen.append(flagged[0] if flagged else mine[-1])
        entries = chosen
    return [{k: v for k, v in e.items() if not k.startswith("_")} for e in entries]


def orderable_options(engine: str, version: str | None = None) -> list[dict[str, Any]]:
    """OrderableDBInstanceOption shapes for an engine (and a version), one per class and storage type."""
    data = engines().get(engine)
    if data is None:
        return []
    spec = _classes()
    zones = [{"Name": zone} for zone in spec["availability_zones"]]
    options = []
    for item in data.versions:
        if version and item["version"] != version:
            continue
        for cls in spec["classes"]:
            for storage_type, limits in spec["storage"].items():
                if limits.get("x86_only") and cls.get("graviton"):
                    continue
                option: dict[str, Any] = {
                    "Engine": engine,
                    "EngineVersion": item["version"],
                    "DBInstanceClass": cls["class"],
                    "LicenseModel": data.license_model,
                    "AvailabilityZoneGroup": "us-east-1",
                    "AvailabilityZones": zones,
                    "MultiAZCapable": True,
                    "ReadReplicaCapable": True,
                    "Vpc": True,
                    "SupportsStorageEncryption": True,
                    "StorageType": storage_type,
                    "SupportsIops": "min_iops" in limits,
                    "SupportsStorageThroughput": "min_throughput" in limits,
                    "SupportsEnhancedMonitoring": True,
                    "SupportsIAMDatabaseAuthentication": True,
                    "SupportsPerformanceInsights": not cls["class"].endswith((".micro", ".small")),
                    "MinStorageSize": limits["min_storage"],
                    "MaxStorageSize": limits["max_storage"],
                    "SupportedEngineModes": ["provisioned"],
                    "SupportsStorageAutoscaling": bool(limits.get("autoscaling")),
                    "SupportsKerberosAuthentication": engine != "mariadb",
                    "OutpostCapable": False,
                    "SupportsGlobalDatabases": False,
                    "SupportedNetworkTypes": ["IPV4", "DUAL"],
                    "SupportsClusters": bool(
                        data.supports_clusters and cls.get("clusters") and limits.get("clusters")),
                    "SupportsDedicatedLogVolume": False,
                }
                if "min_iops" in limits:
                    option.update(
                        MinIopsPerDbInstance=limits["min_iops"], MaxIopsPerDbInstance=limits["max_iops"],
                        MinIopsPerGib=limits["min_iops_per_gib"], MaxIopsPerGib=limits["max_iops_per_gib"])
                if "min_throughput" in limits:
                    option.update(
                        MinStorageThroughputPerDbInstance=limits["min_throughput"],
                        MaxStorageThroughputPerDbInstance=limits["max_throughput"],
                        MinStorageThroughputPerIops=limits["min_throughput_per_iops"],
                        MaxStorageThroughputPerIops=limits["max_throughput_per_iops"])
                options.append(option)
    return options


def describe_orderable(params: dict[str, Any]) -> list[dict[str, Any]]:
    """Filter orderable options as DescribeOrderableDBInstanceOptions does."""
    options = orderable_options(params.get("Engine", ""), params.get("EngineVersion"))
    wanted_class = params.get("DBInstanceClass")
    wanted_license = params.get("LicenseModel")
    wanted_vpc = params.get("Vpc")
    return [
        o for o in options
        if (not wanted_class or o["DBInstanceClass"] == wanted_class)
        and (not wanted_license or o["LicenseModel"] == wanted_license)
        and (wanted_vpc is None or o["Vpc"] == wanted_vpc)
    ]


def class_supported(engine: str, version: str, instance_class: str, *, cluster: bool = False) -> bool:
    """Whether RDS (here, the demo) can run this class for this engine version (as a cluster when asked)."""
    return any(
        o["DBInstanceClass"] == instance_class and (o["SupportsClusters"] or not cluster)
        for o in orderable_options(engine, version)
    )
