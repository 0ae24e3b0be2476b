"""Each rule both ways: a value just inside and just outside every bound, per engine where it differs."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest
from pydantic import SecretStr
from spec_support import GOOD_PASSWORD, error_parameters, errors, self_managed, valid_spec, warning_parameters

from wizard.catalog import AccountFacts, OrderableOption, SecurityGroup, SubnetGroup
from wizard.spec.engines import ENGINE_ORDER, ENGINES
from wizard.spec.model import DatabaseSpec
from wizard.spec.request import from_request
from wizard.spec.rules import validate

ALL_ENGINES = list(ENGINE_ORDER)
SQLSERVER = [e for e in ALL_ENGINES if e.startswith("sqlserver")]
ORACLE = [e for e in ALL_ENGINES if e.startswith("oracle")]
NOT_SQLSERVER = [e for e in ALL_ENGINES if e not in SQLSERVER]


def expect(spec: DatabaseSpec, parameter: str, ok: bool, **kwargs: bool) -> None:
    """Inside a bound: no error at all. Outside: an error naming the parameter."""
    if ok:
        assert errors(spec, **kwargs) == [], [p.message for p in errors(spec, **kwargs)]
    else:
        assert parameter in error_parameters(spec, **kwargs), [p.message for p in validate(spec)]


@pytest.mark.parametrize("engine", ALL_ENGINES)
def test_the_base_spec_of_every_engine_is_valid(engine: str) -> None:
    assert errors(valid_spec(engine)) == []
    assert errors(self_managed(valid_spec(engine))) == []


# -- identifier --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("identifier", "ok"), [
    ("a", True), ("a" * 63, True), ("a" * 64, False), ("Orders-DB-2", True), ("", False),
    ("1orders", False), ("orders-", False), ("or--ders", False), ("or_ders", False), ("orders db", False),
])
def test_instance_identifier(identifier: str, ok: bool) -> None:
    spec = valid_spec()
    spec.settings.identifier = identifier
    expect(spec, "DBInstanceIdentifier", ok)


@pytest.mark.parametrize(("length", "ok"), [(52, True), (53, False)])
def test_cluster_identifier_is_at_most_52(length: int, ok: bool) -> None:
    spec = valid_spec(deployment="multi-az-cluster")
    spec.storage.type = "io1"
    spec.storage.iops = 1000
    spec.settings.identifier = "c" * length
    expect(spec, "DBClusterIdentifier", ok)


# -- master username -----------------------------------------------------------------------------------

@pytest.mark.parametrize("engine", ALL_ENGINES)
@pytest.mark.parametrize(("username", "ok"), [
    ("a", True), ("a" * 16, True), ("a" * 17, False), ("app_admin1", True), ("1admin", False),
    ("app-admin", False), ("", False), ("rdsadmin", False), ("RDSADMIN", False),
])
def test_master_username(engine: str, username: str, ok: bool) -> None:
    spec = valid_spec(engine)
    spec.settings.master_username = username
    expect(spec, "MasterUsername", ok)


@pytest.mark.parametrize(("engine", "ok"), [("postgres", False), ("mysql", True), ("mariadb", True),
                                            ("oracle-ee", True), ("sqlserver-se", True)])
def test_admin_is_reserved_on_postgres_only(engine: str, ok: bool) -> None:
    spec = valid_spec(engine)
    spec.settings.master_username = "admin"
    expect(spec, "MasterUsername", ok)


# -- password -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("engine", ALL_ENGINES)
def test_password_length_per_engine(engine: str) -> None:
    low, high = ENGINES[engine].password_length
    for length, ok in ((low - 1, False), (low, True), (high, True), (high + 1, False)):
        spec = self_managed(valid_spec(engine), "p" * length)
        expect(spec, "MasterUserPassword", ok)


@pytest.mark.parametrize("engine", ALL_ENGINES)
@pytest.mark.parametrize("char", ["/", '"', "@", " "])
def test_password_characters_no_engine_accepts(engine: str, char: str) -> None:
    expect(self_managed(valid_spec(engine), f"Passw{char}rd99"), "MasterUserPassword", False)


@pytest.mark.parametrize("engine", ["postgres", "mysql", *ORACLE, "sqlserver-ee", "db2-se"])
@pytest.mark.parametrize("char", ["&", "'"])
def test_ampersand_and_quote_only_refused_on_oracle(engine: str, char: str) -> None:
    ok = engine not in ORACLE
    expect(self_managed(valid_spec(engine), f"Passw{char}rd99"), "MasterUserPassword", ok)


def test_password_must_be_printable_ascii() -> None:
    expect(self_managed(valid_spec(), "Pässwörd99"), "MasterUserPassword", False)
    expect(self_managed(valid_spec(), "Pass\tword99"), "MasterUserPassword", False)
    expect(self_managed(valid_spec(), "P!#$%^*()_+=-[]{}|;:,.<>?~`"), "MasterUserPassword", True)


def test_password_conflicts_with_secrets_manager_on_both_parameters() -> None:
    spec = valid_spec()
    spec.settings.master_password = SecretStr(GOOD_PASSWORD)
    assert {"MasterUserPassword", "ManageMasterUserPassword"} <= error_parameters(spec)


def test_self_managed_needs_a_password_unless_it_comes_later() -> None:
    spec = valid_spec()
    spec.settings.credentials = "self-managed"
    expect(spec, "MasterUserPassword", False)
    expect(spec, "MasterUserPassword", True, check_password=False)
    spec.settings.credentials = "auto-generated"
    expect(spec, "MasterUserPassword", True)


def test_no_message_ever_contains_the_password() -> None:
    canary = "CANARY/@ \"&'" + "x" * 300
    for engine in ALL_ENGINES:
        spec = self_managed(valid_spec(engine), canary)
        spec.settings.credentials = "secrets-manager"
        text = " ".join(p.message for p in validate(spec))
        assert "CANARY" not in text and "x" * 20 not in text


# -- storage -----------------------------------------------------------------------------------------

def _io_iops(engine: str, size: int) -> int:
    rules = ENGINES[engine]
    return max(rules.io1_iops_range[0], math.ceil(rules.io1_iops_per_gib[0] * size))


@pytest.mark.parametrize("engine", ALL_ENGINES)
@pytest.mark.parametrize("kind", ["gp3", "gp2", "io1", "io2", "standard"])
def test_allocated_storage_range_per_engine_and_type(engine: str, kind: str) -> None:
    bounds = ENGINES[engine].storage_ranges.get(kind)
    if bounds is None:
        spec = valid_spec(engine)
        spec.storage.type = kind  # type: ignore[assignment]
        spec.storage.iops = 1000 if kind.startswith("io") else None
        expect(spec, "StorageType", False)
        return
    low, high = bounds
    for size, ok in ((low - 1, False), (low, True), (high, True), (high + 1, False)):
        spec = valid_spec(engine)
        spec.storage.type = kind  # type: ignore[assignment]
        spec.storage.allocated_gib = size
        spec.storage.iops = _io_iops(engine, max(size, 1)) if kind.startswith("io") else None
        if kind.startswith("io") and spec.storage.iops > ENGINES[engine].io1_iops_range[1]:
            spec.storage.iops = ENGINES[engine].io1_iops_range[1]
        expect(spec, "AllocatedStorage", ok)


def test_db2_offers_no_gp2_or_magnetic() -> None:
    assert set(ENGINES["db2-se"].storage_types) == {"gp3", "io1", "io2"}


def _io1(engine: str, size: int, iops: int | None) -> DatabaseSpec:
    spec = valid_spec(engine)
    spec.storage.type = "io1"
    spec.storage.allocated_gib = size
    spec.storage.iops = iops
    return spec


@pytest.mark.parametrize("engine", NOT_SQLSERVER)
@pytest.mark.parametrize(("size", "iops", "ok"), [
    (100, 5000, True), (100, 5001, False),          # at most 50 IOPS per GiB
    (4000, 2000, True), (4000, 1999, False),        # at least 0.5 IOPS per GiB
    (100, 1000, True), (100, 999, False),           # at least 1,000 IOPS
    (65536, 256000, True), (65536, 256001, False),  # at most 256,000 IOPS
])
def test_io1_iops(engine: str, size: int, iops: int, ok: bool) -> None:
    expect(_io1(engine, size, iops), "Iops", ok)


@pytest.mark.parametrize("engine", SQLSERVER)
@pytest.mark.parametrize(("size", "iops", "ok"), [
    (100, 5000, True), (100, 5001, False), (2000, 2000, True), (2000, 1999, False),
    (100, 1000, True), (100, 999, False), (16384, 64000, True), (16384, 64001, False),
])
def test_io1_iops_on_sql_server(engine: str, size: int, iops: int, ok: bool) -> None:
    expect(_io1(engine, size, iops), "Iops", ok)


@pytest.mark.parametrize("kind", ["io1", "io2"])
def test_provisioned_iops_storage_needs_iops(kind: str) -> None:
    spec = valid_spec()
    spec.storage.type = kind  # type: ignore[assignment]
    expect(spec, "Iops", False)
    spec.storage.iops = 3000
    expect(spec, "Iops", True)


@pytest.mark.parametrize("kind", ["gp2", "standard"])
def test_iops_and_throughput_only_where_they_apply(kind: str) -> None:
    spec = valid_spec()
    spec.storage.type = kind  # type: ignore[assignment]
    spec.storage.iops = 1000
    expect(spec, "Iops", False)
    spec = valid_spec()
    spec.storage.type = kind  # type: ignore[assignment]
    spec.storage.throughput_mibps = 125
    expect(spec, "StorageThroughput", False)


def _gp3(engine: str, size: int, iops: int | None = None, throughput: int | None = None) -> DatabaseSpec:
    spec = valid_spec(engine)
    spec.storage.allocated_gib = size
    spec.storage.iops = iops
    spec.storage.throughput_mibps = throughput
    return spec


@pytest.mark.parametrize("engine", NOT_SQLSERVER)
def test_gp3_provisioning_starts_at_the_threshold(engine: str) -> None:
    threshold = 200 if engine in ORACLE else 400
    expect(_gp3(engine, threshold - 1, iops=12000), "Iops", False)
    expect(_gp3(engine, threshold - 1, throughput=500), "StorageThroughput", False)
    expect(_gp3(engine, threshold - 1), "Iops", True)
    expect(_gp3(engine, threshold, iops=12000, throughput=500), "Iops", True)


@pytest.mark.parametrize("engine", NOT_SQLSERVER)
@pytest.mark.parametrize(("iops", "throughput", "parameter", "ok"), [
    (11999, None, "Iops", False), (12000, None, "Iops", True), (64000, None, "Iops", True),
    (64001, None, "Iops", False),
    (12000, 499, "StorageThroughput", False), (12000, 500, "StorageThroughput", True),
    (16000, 4000, "StorageThroughput", True), (16004, 4001, "StorageThroughput", False),
    (12000, 3000, "StorageThroughput", True), (12000, 3001, "StorageThroughput", False),  # <= 0.25/IOPS
])
def test_gp3_ranges_above_the_threshold(engine: str, iops: int, throughput: int | None, parameter: str,
                                        ok: bool) -> None:
    expect(_gp3(engine, 1000, iops, throughput), parameter, ok)


@pytest.mark.parametrize("engine", SQLSERVER)
@pytest.mark.parametrize(("size", "iops", "throughput", "parameter", "ok"), [
    (20, 3000, None, "Iops", True), (100, 2999, None, "Iops", False), (100, 16000, None, "Iops", True),
    (100, 16001, None, "Iops", False),
    (20, 10000, None, "Iops", True), (20, 10001, None, "Iops", False),       # at most 500 IOPS per GiB
    (16000, 8000, None, "Iops", True), (16000, 7999, None, "Iops", False),   # at least 0.5 per GiB
    (100, 4000, 124, "StorageThroughput", False), (100, 4000, 125, "StorageThroughput", True),
    (100, 4000, 1000, "StorageThroughput", True), (100, 4004, 1001, "StorageThroughput", False),
    (100, 3000, 750, "StorageThroughput", True), (100, 3000, 751, "StorageThroughput", False),
])
def test_gp3_on_sql_server_at_any_size(engine: str, size: int, iops: int, throughput: int | None,
                                       parameter: str, ok: bool) -> None:
    expect(_gp3(engine, size, iops, throughput), parameter, ok)


@pytest.mark.parametrize(("allocated", "ceiling", "ok"), [
    (100, 110, True), (100, 109, False), (100, 100, False), (20, 22, True), (20, 21, False),
    (1000, 65536, True), (1000, 65537, False),
])
def test_autoscaling_maximum_at_least_ten_percent_above(allocated: int, ceiling: int, ok: bool) -> None:
    spec = valid_spec()
    spec.storage.allocated_gib = allocated
    spec.storage.max_allocated_gib = ceiling
    expect(spec, "MaxAllocatedStorage", ok)


# -- availability -------------------------------------------------------------------------------------

@pytest.mark.parametrize("engine", ALL_ENGINES)
def test_multi_az_instance_everywhere_but_sql_server_express(engine: str) -> None:
    spec = valid_spec(engine, deployment="multi-az-instance")
    expect(spec, "MultiAZ", engine != "sqlserver-ex")


@pytest.mark.parametrize("engine", ALL_ENGINES)
def test_multi_az_cluster_only_mysql_and_postgres(engine: str) -> None:
    spec = valid_spec(engine, deployment="multi-az-cluster")
    spec.storage.type = "io1"
    spec.storage.iops = 1000
    spec.engine.license_model = None
    expect(spec, "Engine", engine in ("mysql", "postgres"))


@pytest.mark.parametrize("deployment", ["multi-az-instance", "multi-az-cluster"])
def test_no_availability_zone_with_multi_az(deployment: str) -> None:
    spec = valid_spec(deployment=deployment)
    spec.storage.type = "io1"
    spec.storage.iops = 1000
    spec.connectivity.availability_zone = "us-east-1a"
    assert "AvailabilityZone" in error_parameters(spec)
    spec.availability.deployment = "single-az"
    expect(spec, "AvailabilityZone", True)


def test_sql_server_web_multi_az_before_2022_is_a_warning() -> None:
    spec = valid_spec("sqlserver-web")
    spec.engine.version = "15.00.4415.2.v1"
    assert errors(spec) == [] and "MultiAZ" in warning_parameters(spec)
    spec.engine.version = "16.00.4215.2.v1"
    assert sum(p.parameter == "MultiAZ" for p in validate(spec)) == 1  # only the cost warning


@pytest.mark.parametrize(("kind", "ok"), [("io1", True), ("io2", True), ("gp3", True), ("gp2", False),
                                          ("standard", False)])
def test_cluster_storage_types(kind: str, ok: bool) -> None:
    spec = valid_spec(deployment="multi-az-cluster")
    spec.storage.type = kind  # type: ignore[assignment]
    spec.storage.iops = 1000 if kind.startswith("io") else None
    expect(spec, "StorageType", ok)


def test_cluster_takes_no_throughput_or_autoscaling_maximum() -> None:
    spec = valid_spec(deployment="multi-az-cluster")
    spec.storage.max_allocated_gib = 200
    expect(spec, "MaxAllocatedStorage", False)


# -- retention and windows ----------------------------------------------------------------------------

@pytest.mark.parametrize(("deployment", "days", "ok"), [
    ("multi-az-instance", -1, False), ("multi-az-instance", 0, True), ("multi-az-instance", 35, True),
    ("multi-az-instance", 36, False), ("multi-az-cluster", 0, False), ("multi-az-cluster", 1, True),
    ("multi-az-cluster", 35, True), ("multi-az-cluster", 36, False),
])
def test_backup_retention(deployment: str, days: int, ok: bool) -> None:
    spec = valid_spec(deployment=deployment)
    spec.storage.type = "io1"
    spec.storage.iops = 1000
    spec.backup.retention_days = days
    expect(spec, "BackupRetentionPeriod", ok)


@pytest.mark.parametrize(("window", "ok"), [
    ("03:00-03:30", True), ("03:00-03:29", False), ("23:45-00:15", True), ("23:45-00:14", False),
    ("00:00-11:59", True), ("3:00-3:30", False), ("03:00-03:60", False), ("24:00-00:30", False),
    ("03:00 - 03:30", False), ("03:00-03:00", False), ("", False),
])
def test_backup_window(window: str, ok: bool) -> None:
    spec = valid_spec()
    spec.backup.window = window
    spec.maintenance.window = "sun:12:00-sun:12:30"
    expect(spec, "PreferredBackupWindow", ok)


@pytest.mark.parametrize(("window", "ok"), [
    ("sun:05:00-sun:05:30", True), ("sun:05:00-sun:05:29", False), ("Sun:05:00-SUN:05:30", True),
    ("sun:23:45-mon:00:15", True), ("sun:23:45-mon:00:14", False), ("mon:23:50-tue:00:20", True),
    ("sat:13:00-sun:11:00", True), ("fun:05:00-sun:05:30", False), ("sun:05:00-05:30", False),
    ("sunday:05:00-sunday:05:30", False), ("sun:05:00-sun:05:00", False),
])
def test_maintenance_window(window: str, ok: bool) -> None:
    spec = valid_spec()
    spec.backup.window = "12:00-12:30"
    spec.maintenance.window = window
    expect(spec, "PreferredMaintenanceWindow", ok)


@pytest.mark.parametrize(("backup", "maintenance", "overlap"), [
    ("03:00-03:30", "mon:03:29-mon:04:00", True),
    ("03:00-03:30", "mon:03:30-mon:04:00", False),   # touching is not overlapping
    ("03:00-03:30", "mon:02:30-mon:03:00", False),
    ("03:00-03:30", "wed:02:30-wed:03:01", True),    # the backup window recurs every day
    ("23:45-00:15", "tue:00:00-tue:00:30", True),    # backup crosses midnight
    ("00:10-00:40", "sun:23:50-mon:00:20", True),    # maintenance crosses the end of the week
    ("01:00-01:30", "sun:23:50-mon:00:20", False),
    ("03:00-03:30", "mon:00:00-tue:00:00", True),    # a long maintenance window
])
def test_windows_must_not_overlap(backup: str, maintenance: str, overlap: bool) -> None:
    spec = valid_spec()
    spec.backup.window = backup
    spec.maintenance.window = maintenance
    found = error_parameters(spec)
    assert ({"PreferredBackupWindow", "PreferredMaintenanceWindow"} <= found) == overlap
    assert (found == set()) == (not overlap)


# -- connectivity, database name, monitoring, tags --------------------------------------------------------

@pytest.mark.parametrize("engine", ALL_ENGINES)
@pytest.mark.parametrize(("port", "ok"), [(1149, False), (1150, True), (65535, True), (65536, False)])
def test_port_range(engine: str, port: int, ok: bool) -> None:
    spec = valid_spec(engine)
    spec.connectivity.port = port
    expect(spec, "Port", ok)


@pytest.mark.parametrize("engine", ["postgres", *SQLSERVER])
@pytest.mark.parametrize("port", [1234, 1434, 3260, 3343, 3389, 47001, 49152, 49156, 49157, 1433, 49151])
def test_sql_server_forbidden_ports(engine: str, port: int) -> None:
    forbidden = {1234, 1434, 3260, 3343, 3389, 47001, *range(49152, 49157)}
    spec = valid_spec(engine)
    spec.connectivity.port = port
    expect(spec, "Port", not (engine in SQLSERVER and port in forbidden))


@pytest.mark.parametrize(("engine", "name", "ok"), [
    ("postgres", "a" * 63, True), ("postgres", "a" * 64, False), ("postgres", "orders_db1", True),
    ("postgres", "1orders", False), ("postgres", "orders-db", False), ("postgres", "", False),
    ("mysql", "a" * 64, True), ("mysql", "a" * 65, False), ("mariadb", "a" * 64, True),
    ("mariadb", "a" * 65, False), ("db2-se", "a" * 64, True), ("db2-se", "a" * 65, False),
    ("oracle-ee", "ORCL", True), ("oracle-ee", "a" * 8, True), ("oracle-ee", "a" * 9, False),
    ("oracle-se2-cdb", "null", False), ("oracle-ee", "NULL", False),
    *((engine, "orders", False) for engine in SQLSERVER),
])
def test_database_name_per_engine(engine: str, name: str, ok: bool) -> None:
    spec = valid_spec(engine)
    spec.database.name = name
    expect(spec, "DBName", ok)


@pytest.mark.parametrize(("days", "ok"), [(7, True), (31, True), (62, True), (713, True), (731, True),
                                          (94, False), (744, False), (0, False), (8, False), (730, False)])
def test_performance_insights_retention(days: int, ok: bool) -> None:
    spec = valid_spec()
    spec.monitoring.performance_insights = True
    spec.monitoring.performance_insights_retention_days = days
    expect(spec, "PerformanceInsightsRetentionPeriod", ok)


ROLE = "arn:aws:iam::123456789012:role/rds-monitoring-role"


@pytest.mark.parametrize(("interval", "role", "ok"), [
    (0, None, True), (60, ROLE, True), (1, ROLE, True), (2, ROLE, False), (61, ROLE, False),
    (0, ROLE, False), (30, None, False),
])
def test_enhanced_monitoring_interval_and_role(interval: int, role: str | None, ok: bool) -> None:
    spec = valid_spec()
    spec.monitoring.monitoring_interval = interval
    spec.monitoring.monitoring_role_arn = role
    expect(spec, "MonitoringInterval", ok)


@pytest.mark.parametrize("engine", ALL_ENGINES)
def test_log_exports_per_engine(engine: str) -> None:
    spec = valid_spec(engine)
    spec.monitoring.log_exports = list(ENGINES[engine].log_exports)
    expect(spec, "EnableCloudwatchLogsExports", True)
    spec.monitoring.log_exports = ["postgresql" if engine != "postgres" else "slowquery"]
    expect(spec, "EnableCloudwatchLogsExports", False)


def test_mysql_cluster_exports_no_audit_log() -> None:
    spec = valid_spec("mysql", deployment="multi-az-cluster")
    spec.storage.type = "io1"
    spec.storage.iops = 1000
    spec.monitoring.log_exports = ["error", "slowquery"]
    expect(spec, "EnableCloudwatchLogsExports", True)
    spec.monitoring.log_exports = ["audit"]
    expect(spec, "EnableCloudwatchLogsExports", False)


@pytest.mark.parametrize(("tags", "ok"), [
    ({"team": "payments"}, True), ({"aws:team": "x"}, False), ({"AWS:team": "x"}, False),
    ({"awsteam": "x"}, True), ({"k" * 128: "v"}, True), ({"k" * 129: "v"}, False),
    ({"k": "v" * 256}, True), ({"k": "v" * 257}, False), ({"": "v"}, False),
])
def test_tags(tags: dict[str, str], ok: bool) -> None:
    spec = valid_spec()
    spec.tags = tags
    expect(spec, "Tags", ok)


@pytest.mark.parametrize(("engine", "license_model", "ok"), [
    ("postgres", "postgresql-license", True), ("postgres", "license-included", False),
    ("mysql", "general-public-license", True), ("oracle-ee", "bring-your-own-license", True),
    ("oracle-se2", "license-included", True), ("sqlserver-se", "bring-your-own-media", True),
    ("sqlserver-se", "bring-your-own-license", False), ("db2-ae", "marketplace-license", True),
])
def test_license_model_per_engine(engine: str, license_model: str, ok: bool) -> None:
    spec = valid_spec(engine)
    spec.engine.license_model = license_model
    expect(spec, "LicenseModel", ok)


@pytest.mark.parametrize(("engine", "ok"), [("", False), ("postgresql", False), ("aurora-postgresql", True),
                                            ("sqlserver-dev-ee", True)])
def test_engine_must_be_an_rds_engine(engine: str, ok: bool) -> None:
    spec = valid_spec()
    spec.engine.engine = engine
    expect(spec, "Engine", ok)


@pytest.mark.parametrize(("cls", "ok"), [("db.m6g.large", True), ("m6g.large", False), ("db.m6g", False),
                                         ("", False), ("db.r6i.large.tpc2.mem2x", True)])
def test_instance_class_shape(cls: str, ok: bool) -> None:
    spec = valid_spec()
    spec.instance.instance_class = cls
    expect(spec, "DBInstanceClass", ok)


@pytest.mark.parametrize(("extra", "parameter", "ok"), [
    ({"CharacterSetName": "AL32UTF8"}, "CharacterSetName", True),
    ({"NetworkType": "DUAL", "DomainDnsIps": ["10.0.0.2"]}, "NetworkType", True),
    ({"DBNme": "x"}, "DBNme", False),
    ({"PromotionTier": "1"}, "PromotionTier", False),
    ({"ProcessorFeatures": "x"}, "ProcessorFeatures", False),
])
def test_unmodelled_parameters(extra: dict[str, object], parameter: str, ok: bool) -> None:
    spec = valid_spec()
    spec.extra_parameters = dict(extra)
    expect(spec, parameter, ok)


def test_tags_without_a_value_are_accepted_and_still_checked() -> None:
    spec = valid_spec()
    spec.extra_parameters = {"Tags": [{"Key": "team"}]}
    expect(spec, "Tags", True)
    spec.extra_parameters = {"Tags": [{"Key": "aws:team"}]}
    expect(spec, "Tags", False)


def test_case_that_aws_folds_is_a_warning_and_the_rules_still_apply() -> None:
    spec = from_request({"DBInstanceIdentifier": "orders-db", "DBInstanceClass": "db.m6g.large",
                         "Engine": "Db2-SE", "MasterUsername": "dbadmin", "AllocatedStorage": 100,
                         "StorageType": "GP2", "ManageMasterUserPassword": True})
    assert {"Engine", "StorageType"} <= warning_parameters(spec)
    assert "StorageType" in error_parameters(spec)  # Db2 offers no gp2, however it is spelled
    spec.extra_parameters = {"StorageType": "GP3"}
    spec.storage.type = "gp3"
    assert errors(spec) == []


def test_unknown_parameter_suggests_the_real_name() -> None:
    spec = valid_spec()
    spec.extra_parameters = {"PreferedBackupWindow": "03:00-03:30"}
    [problem] = errors(spec)
    assert "PreferredBackupWindow" in problem.message and problem.parameter == "PreferedBackupWindow"


# -- warnings ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("change", "parameter"), [
    (lambda s: setattr(s.connectivity, "public_access", True), "PubliclyAccessible"),
    (lambda s: setattr(s.protection, "deletion_protection", False), "DeletionProtection"),
    (lambda s: setattr(s.protection, "encrypted", False), "StorageEncrypted"),
    (lambda s: setattr(s.backup, "retention_days", 0), "BackupRetentionPeriod"),
    (lambda s: setattr(s.instance, "instance_class", "db.t4g.micro"), "DBInstanceClass"),
    (lambda s: setattr(s.monitoring, "performance_insights_retention_days", 7),
     "PerformanceInsightsRetentionPeriod"),
    (lambda s: (setattr(s.monitoring, "monitoring_interval", 60),
                setattr(s.monitoring, "monitoring_role_arn", "rds-monitoring-role")), "MonitoringRoleArn"),
    (lambda s: (setattr(s.monitoring, "performance_insights", True),
                setattr(s.instance, "instance_class", "db.t3.small")), "EnablePerformanceInsights"),
])
def test_warnings_inform_but_do_not_block(change: Callable[[DatabaseSpec], object], parameter: str) -> None:
    spec = valid_spec()
    assert parameter not in warning_parameters(spec)
    change(spec)
    assert errors(spec) == []
    assert parameter in warning_parameters(spec)


def test_multi_az_cost_warning_and_burstable_only_with_multi_az() -> None:
    spec = valid_spec()
    assert "MultiAZ" in warning_parameters(spec)
    spec.availability.deployment = "single-az"
    spec.instance.instance_class = "db.t4g.micro"
    assert not {"MultiAZ", "DBInstanceClass"} & warning_parameters(spec)


def test_errors_come_before_warnings_and_each_names_a_parameter() -> None:
    spec = valid_spec()
    spec.connectivity.public_access = True
    spec.backup.retention_days = 99
    problems = validate(spec)
    severities = [p.severity for p in problems]
    assert severities == sorted(severities)  # "error" < "warning"
    assert all(p.parameter and p.field and p.message.endswith(".") for p in problems)


# -- what only the account knows ----------------------------------------------------------------------

def _facts(azs: tuple[str, ...], multi_az: bool = True, clusters: bool = True) -> AccountFacts:
    options = [OrderableOption(engine="postgres", version="16.4", instance_class="db.m6i.large",
                               storage_type=kind, multi_az_capable=multi_az, supports_clusters=clusters,
                               min_storage_gib=20, max_storage_gib=6144)
               for kind in ("gp3", "io1")]
    return AccountFacts(subnet_groups=[SubnetGroup("app", "vpc-1", azs)], orderable_options=options)


@pytest.mark.parametrize(("deployment", "azs", "ok"), [
    ("multi-az-instance", ("us-east-1a",), False), ("multi-az-instance", ("us-east-1a", "us-east-1b"), True),
    ("single-az", ("us-east-1a",), False),
    ("multi-az-cluster", ("us-east-1a", "us-east-1b"), False),
    ("multi-az-cluster", ("us-east-1a", "us-east-1b", "us-east-1c"), True),
])
def test_subnet_group_must_cover_enough_azs(deployment: str, azs: tuple[str, ...], ok: bool) -> None:
    spec = valid_spec(deployment=deployment)
    spec.storage.type = "io1"
    spec.storage.iops = 1000
    spec.connectivity.subnet_group = "app"
    spec.engine.version = "16.4"
    assert ("DBSubnetGroupName" in error_parameters(spec, _facts(azs))) != ok
    assert ("DBSubnetGroupName" in error_parameters(spec)) is False  # offline: not checked


def test_subnet_group_that_does_not_exist() -> None:
    spec = valid_spec()
    spec.connectivity.subnet_group = "nope"
    assert "DBSubnetGroupName" in error_parameters(spec, _facts(("a", "b")))


def test_orderable_class_multi_az_capability_and_storage_range() -> None:
    facts = _facts(("a", "b"))
    spec = valid_spec()
    spec.engine.version = "16.4"
    spec.connectivity.subnet_group = "app"
    assert errors(spec, facts) == []
    spec.instance.instance_class = "db.x9.huge"
    assert "DBInstanceClass" in error_parameters(spec, facts)
    spec.instance.instance_class = "db.m6i.large"
    assert "DBInstanceClass" in error_parameters(spec, _facts(("a", "b"), multi_az=False))
    spec.storage.allocated_gib = 6145
    assert "AllocatedStorage" in error_parameters(spec, facts)
    spec.storage.allocated_gib = 100
    spec.storage.type = "gp2"
    assert "StorageType" in error_parameters(spec, facts)


def test_orderable_limits_cover_io2_ratios_and_autoscaling() -> None:
    option = OrderableOption(engine="postgres", version="16.4", instance_class="db.m6i.large",
                             storage_type="io2", multi_az_capable=True, supports_storage_autoscaling=False,
                             min_storage_gib=100, max_storage_gib=65536, min_iops=1000, max_iops=256000,
                             min_iops_per_gib=0.5, max_iops_per_gib=1000)
    facts = AccountFacts(orderable_options=[option])
    spec = valid_spec()
    spec.storage.type = "io2"
    spec.storage.iops = 100000
    assert errors(spec, facts) == []  # 1,000 per GiB: io2's own ratio, not io1's 50
    spec.storage.iops = 100001
    assert "Iops" in error_parameters(spec, facts)
    spec.storage.iops = 3000
    spec.storage.max_allocated_gib = 200
    assert "MaxAllocatedStorage" in error_parameters(spec, facts)


def test_subnet_group_placement_az_and_security_group_vpc() -> None:
    facts = AccountFacts(subnet_groups=[SubnetGroup("app", "vpc-1", ("us-east-1a", "us-east-1b"))],
                         security_groups=[SecurityGroup("sg-1", "db", "vpc-1"),
                                          SecurityGroup("sg-2", "x", "vpc-2")])
    spec = valid_spec(deployment="single-az")
    spec.connectivity.subnet_group = "app"
    spec.connectivity.availability_zone = "us-east-1b"
    spec.connectivity.security_group_ids = ["sg-1"]
    assert errors(spec, facts) == []
    spec.connectivity.availability_zone = "us-east-1c"
    assert "AvailabilityZone" in error_parameters(spec, facts)
    spec.connectivity.availability_zone = None
    spec.connectivity.security_group_ids = ["sg-2"]
    assert "VpcSecurityGroupIds" in error_parameters(spec, facts)
    spec.connectivity.security_group_ids = ["sg-9"]
    assert "VpcSecurityGroupIds" in error_parameters(spec, facts)
