"""Choice menus for every step field: what is offered, what is disabled and why, what is preselected."""

from __future__ import annotations

from pathlib import Path

import pytest

from wizard.catalog import (
    EngineVersion,
    OptionGroup,
    OrderableOption,
    ParameterGroup,
    SecurityGroup,
    SubnetGroup,
    Vpc,
)
from wizard.choices import Choice, account_facts, choices_for, default_choice, needs_catalog
from wizard.spec.engines import PI_RETENTION_DAYS
from wizard.spec.model import DatabaseSpec
from wizard.steps import STEPS, StepField

AZS = ("eu-west-1a", "eu-west-1b", "eu-west-1c")


def _opt(cls: str, storage: str = "gp3", multi_az: bool = True, clusters: bool = False,
         version: str = "16.4", engine: str = "postgres", zones: tuple[str, ...] = AZS) -> OrderableOption:
    return OrderableOption(engine, version, cls, storage, multi_az, supports_clusters=clusters,
                           min_storage_gib=20, max_storage_gib=65536, availability_zones=zones)


class FakeCatalog:
    """An in-memory account: two postgres versions, a few classes, a 3-AZ and a 1-AZ subnet group."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.versions = {
            "postgres": [EngineVersion("postgres", "16.4", "postgres16", True, "PostgreSQL 16.4-R1"),
                         EngineVersion("postgres", "17.2", "postgres17", False, "PostgreSQL 17.2-R1")],
            "mysql": [EngineVersion("mysql", "8.0.39", "mysql8.0", True)],
            "mariadb": [EngineVersion("mariadb", "10.11.9", "mariadb10.11", True)],
            "sqlserver-ex": [EngineVersion("sqlserver-ex", "16.00.4150.1.v1", "sqlserver-ex-16.0", True)],
        }
        self.orderable = {
            ("postgres", "16.4"): [
                _opt("db.m6g.large"), _opt("db.m6g.large", "io1", clusters=True),
                _opt("db.m6g.large", "io2", clusters=True),
                _opt("db.r6g.large"), _opt("db.r6g.large", "gp2"),
                _opt("db.t4g.micro", multi_az=False, zones=("eu-west-1a",)),
                _opt("db.m6g.2xlarge"), _opt("db.m5.xlarge", "gp2"),
            ],
            ("postgres", "17.2"): [_opt("db.m7g.large", version="17.2")],
            ("mariadb", "10.11.9"): [_opt("db.m6g.large", engine="mariadb", version="10.11.9")],
            ("sqlserver-ex", "16.00.4150.1.v1"): [
                _opt("db.t3.small", multi_az=False, engine="sqlserver-ex", version="16.00.4150.1.v1")],
        }

    def engine_versions(self, engine: str) -> list[EngineVersion]:
        self.calls.append(f"versions:{engine}")
        return list(self.versions.get(engine, []))

    def orderable_options(self, engine: str, version: str) -> list[OrderableOption]:
        self.calls.append(f"orderable:{engine}:{version}")
        return list(self.orderable.get((engine, version), []))

    def vpcs(self) -> list[Vpc]:
        return [Vpc("vpc-1", "172.31.0.0/16", True), Vpc("vpc-2", "10.0.0.0/16", False, "prod")]

    def subnet_groups(self) -> list[SubnetGroup]:
        return [SubnetGroup("three-az", "vpc-1", AZS, "private"),
                SubnetGroup("one-az", "vpc-1", ("eu-west-1a",)),
                SubnetGroup("two-az", "vpc-1", AZS[:2]),
                SubnetGroup("elsewhere", "vpc-2", AZS)]

    def security_groups(self, vpc_id: str | None) -> list[SecurityGroup]:
        groups = [SecurityGroup("sg-1", "default", "vpc-1"), SecurityGroup("sg-2", "db-access", "vpc-1"),
                  SecurityGroup("sg-9", "default", "vpc-2")]
        return [g for g in groups if vpc_id is None or g.vpc_id == vpc_id]

    def parameter_groups(self, family: str) -> list[ParameterGroup]:
        return [ParameterGroup("tuned-pg16", "postgres16")] if family == "postgres16" else []

    def cluster_parameter_groups(self, family: str) -> list[ParameterGroup]:
        return [ParameterGroup("cluster-pg16", "postgres16")] if family == "postgres16" else []

    def option_groups(self, engine: str, major_version: str) -> list[OptionGroup]:
        return [OptionGroup("default:postgres-16", "postgres", "16"), OptionGroup("custom", "postgres", "16")]


FIELDS = {f.path: f for step in STEPS for f in step.fields}


def _spec(**sections: dict[str, object]) -> DatabaseSpec:
    return DatabaseSpec.model_validate(sections)


def _choices(path: str, spec: DatabaseSpec | None = None) -> list[Choice]:
    return choices_for(FIELDS[path], spec or _spec(), FakeCatalog())


def _values(choices: list[Choice], enabled: bool | None = None) -> list[object]:
    return [c.value for c in choices if enabled is None or c.enabled == enabled]


def test_every_source_in_the_steps_has_choices() -> None:
    sources = {f.source for f in FIELDS.values() if f.source and f.source != "templates"}
    for source in sources:
        field = next(f for f in FIELDS.values() if f.source == source)
        assert choices_for(field, _spec(), FakeCatalog()), source


def test_fields_without_a_source_have_none_and_unknown_sources_are_refused() -> None:
    assert choices_for(FIELDS["settings.identifier"], _spec(), FakeCatalog()) == []
    with pytest.raises(ValueError, match="nonsense"):
        choices_for(StepField("x", "X", "", "choice", source="nonsense"), _spec(), FakeCatalog())


def test_engines_in_order_with_multi_az_notes() -> None:
    engines = _choices("engine.engine")
    assert engines[:3] == [
        Choice("postgres", "PostgreSQL", "Multi-AZ DB instance or Multi-AZ DB cluster", "Open source"),
        Choice("mysql", "MySQL", "Multi-AZ DB instance or Multi-AZ DB cluster", "Open source"),
        Choice("mariadb", "MariaDB", "Multi-AZ DB instance", "Open source")]
    express = next(c for c in engines if c.value == "sqlserver-ex")
    assert express.label == "SQL Server Express Edition" and "no Multi-AZ" in express.description


def test_engine_versions_default_first_and_marked() -> None:
    versions = _choices("engine.version")
    assert [(c.value, c.label) for c in versions] == [("16.4", "16.4 (default)"), ("17.2", "17.2")]


def test_license_models() -> None:
    oracle = _choices("engine.license_model", _spec(engine={"engine": "oracle-ee"}))
    assert [c.value for c in oracle] == ["license-included", "bring-your-own-license"]
    assert oracle[0].label == "License included (default)"


def test_instance_classes_grouped_by_family_with_storage() -> None:
    classes = _choices("instance.instance_class", _spec(availability={"deployment": "single-az"}))
    assert [(c.value, c.group) for c in classes] == [
        ("db.m5.xlarge", "standard"), ("db.m6g.large", "standard"), ("db.m6g.2xlarge", "standard"),
        ("db.r6g.large", "memory optimized"), ("db.t4g.micro", "burstable")]
    assert classes[1].description == "storage: gp3, io1, io2"
    assert all(c.enabled for c in classes)


def test_multi_az_disables_classes_without_it() -> None:
    classes = _choices("instance.instance_class")
    micro = next(c for c in classes if c.value == "db.t4g.micro")
    assert micro.disabled_reason is not None
    assert "not offered Multi-AZ for PostgreSQL 16.4" in micro.disabled_reason
    assert "single-AZ" in micro.disabled_reason
    assert _values(classes, enabled=False) == ["db.t4g.micro"]


def test_cluster_keeps_only_cluster_classes() -> None:
    classes = _choices("instance.instance_class", _spec(availability={"deployment": "multi-az-cluster"}))
    assert _values(classes, enabled=True) == ["db.m6g.large"]


def test_a_class_the_region_lacks_is_shown_disabled() -> None:
    classes = _choices("instance.instance_class", _spec(instance={"instance_class": "db.x9.huge"}))
    assert classes[-1].value == "db.x9.huge" and classes[-1].disabled_reason
    assert "not offered for PostgreSQL 16.4" in classes[-1].disabled_reason


def test_storage_types_follow_the_class() -> None:
    storage = _choices("storage.type", _spec(instance={"instance_class": "db.m6g.large"}))
    assert _values(storage, enabled=True) == ["gp3", "io2", "io1"]
    gp2 = next(c for c in storage if c.value == "gp2")
    assert gp2.disabled_reason == ("db.m6g.large is not offered with gp2 storage; choose another storage "
                                   "type or class.")
    assert storage[0].label == "General Purpose SSD (gp3)" and storage[0].description == "20-65,536 GiB"


def test_cluster_storage_types() -> None:
    storage = _choices("storage.type", _spec(instance={"instance_class": "db.r6g.large"},
                                             availability={"deployment": "multi-az-cluster"}))
    assert _values(storage, enabled=True) == ["gp3"]
    assert "Multi-AZ DB clusters use io1, io2, gp3" in str(next(c for c in storage if c.value == "gp2")
                                                           .disabled_reason)


def test_deployments() -> None:
    postgres = _choices("availability.deployment")
    assert [(c.value, c.label, c.enabled) for c in postgres] == [
        ("single-az", "Single-AZ DB instance", True), ("multi-az-instance", "Multi-AZ DB instance", True),
        ("multi-az-cluster", "Multi-AZ DB cluster", True)]
    assert all(c.description for c in postgres)
    mariadb = _choices("availability.deployment", _spec(engine={"engine": "mariadb"}))
    assert _values(mariadb, enabled=True) == ["single-az", "multi-az-instance"]
    assert "only MySQL and PostgreSQL" in str(mariadb[2].disabled_reason)
    express = _choices("availability.deployment", _spec(engine={"engine": "sqlserver-ex"}))
    assert _values(express, enabled=True) == ["single-az"]
    assert "Standard or Enterprise" in str(express[1].disabled_reason)


def test_deployments_when_the_version_has_no_cluster_class() -> None:
    choices = _choices("availability.deployment", _spec(engine={"engine": "postgres", "version": "17.2"}))
    reason = str(choices[2].disabled_reason)
    assert "No instance class runs a Multi-AZ DB cluster of PostgreSQL 17.2" in reason


def test_subnet_groups_show_azs_and_refuse_one_az_for_multi_az() -> None:
    groups = _choices("connectivity.subnet_group", _spec(connectivity={"vpc_id": "vpc-1"}))
    assert [c.label for c in groups] == [
        "three-az (3 AZs: eu-west-1a, eu-west-1b, eu-west-1c)", "one-az (1 AZ: eu-west-1a)",
        "two-az (2 AZs: eu-west-1a, eu-west-1b)"]
    assert groups[1].disabled_reason == (
        "one-az covers only eu-west-1a; Multi-AZ needs subnets in at least 2 Availability Zones. Add subnets "
        "in other AZs to it (aws rds modify-db-subnet-group) or choose another group.")
    assert _values(groups, enabled=True) == ["three-az", "two-az"]


def test_subnet_groups_for_single_az_and_cluster() -> None:
    single = _choices("connectivity.subnet_group", _spec(availability={"deployment": "single-az"}))
    assert all(c.enabled for c in single)
    assert "two AZs" in next(c for c in single if c.value == "one-az").description
    cluster = _choices("connectivity.subnet_group", _spec(availability={"deployment": "multi-az-cluster"}))
    assert _values(cluster, enabled=True) == ["three-az", "elsewhere"]
    assert "at least 3 Availability Zones" in str(next(c for c in cluster if c.value == "two-az")
                                                   .disabled_reason)


def test_security_groups_follow_the_vpc() -> None:
    assert _values(_choices("connectivity.security_group_ids")) == ["sg-1", "sg-2"]  # the default VPC
    assert _values(_choices("connectivity.security_group_ids",
                            _spec(connectivity={"subnet_group": "elsewhere"}))) == ["sg-9"]
    assert _choices("connectivity.security_group_ids")[0].label == "default (sg-1)"


def test_availability_zones_from_the_subnet_group_and_the_class() -> None:
    spec = _spec(availability={"deployment": "single-az"}, instance={"instance_class": "db.t4g.micro"},
                 connectivity={"subnet_group": "three-az"})
    zones = _choices("connectivity.availability_zone", spec)
    assert _values(zones) == list(AZS)
    assert _values(zones, enabled=True) == ["eu-west-1a"]


def test_parameter_and_option_groups_default_first() -> None:
    params = _choices("database.parameter_group")
    assert [(c.value, c.label) for c in params] == [("default.postgres16", "default.postgres16 (default)"),
                                                    ("tuned-pg16", "tuned-pg16")]
    mysql = _choices("database.parameter_group", _spec(engine={"engine": "mysql"}))
    assert _values(mysql) == ["default.mysql8.0"]
    options = _choices("database.option_group")
    assert _values(options) == ["default:postgres-16", "custom"]
    mysql_options = _choices("database.option_group", _spec(engine={"engine": "mysql"}))
    assert mysql_options[0].value == "default:mysql-8-0"


def test_a_multi_az_db_cluster_is_offered_db_cluster_parameter_groups() -> None:
    # CreateDBCluster takes DBClusterParameterGroupName: a DB parameter group's name would be refused.
    params = _choices("database.parameter_group", _spec(availability={"deployment": "multi-az-cluster"}))
    assert _values(params) == ["default.postgres16", "cluster-pg16"]


def test_pi_retention_and_monitoring() -> None:
    retention = _choices("monitoring.performance_insights_retention_days",
                         _spec(monitoring={"performance_insights": True}))
    assert _values(retention) == list(PI_RETENTION_DAYS)
    assert [c.label for c in retention][:3] == ["7 days (free)", "1 month (31 days)", "2 months (62 days)"]
    assert retention[-1].label == "2 years (731 days)"
    intervals = _choices("monitoring.monitoring_interval")
    assert [(c.value, c.label) for c in intervals][:3] == [
        (0, "Off"), (1, "Every second"), (5, "Every 5 seconds")]


def test_log_exports_per_engine() -> None:
    assert _values(_choices("monitoring.log_exports")) == ["postgresql", "upgrade", "iam-db-auth-error"]
    mysql_cluster = _choices("monitoring.log_exports", _spec(engine={"engine": "mysql"},
                                                             availability={"deployment": "multi-az-cluster"}))
    assert "audit" not in _values(mysql_cluster)
    assert "audit" in _values(_choices("monitoring.log_exports", _spec(engine={"engine": "mysql"})))


@pytest.mark.parametrize(("path", "spec", "expected"), [
    ("engine.version", {}, "16.4"),
    ("engine.engine", {}, "postgres"),
    ("database.parameter_group", {}, "default.postgres16"),
    ("database.option_group", {}, "default:postgres-16"),
    ("availability.deployment", {}, "multi-az-instance"),
    ("availability.deployment", {"engine": {"engine": "sqlserver-ex"}}, "single-az"),
    ("storage.type", {"instance": {"instance_class": "db.m6g.large"}}, "gp3"),
    ("instance.instance_class", {}, "db.m6g.large"),
    ("instance.instance_class", {"engine": {"engine": "postgres", "version": "17.2"}}, "db.m7g.large"),
    ("settings.credentials", {}, "secrets-manager"),
    ("connectivity.vpc_id", {}, "vpc-1"),
    ("connectivity.subnet_group", {}, "three-az"),
    ("connectivity.security_group_ids", {}, "sg-1"),
    ("connectivity.port", {}, 5432),
    ("connectivity.port", {"engine": {"engine": "mysql"}}, 3306),
    ("settings.master_username", {"engine": {"engine": "mysql"}}, "admin"),
    ("monitoring.monitoring_interval", {}, 0),
    ("monitoring.performance_insights_retention_days", {}, 7),
    ("engine.license_model", {}, "postgresql-license"),
])
def test_default_choice(path: str, spec: dict[str, dict[str, object]], expected: object) -> None:
    choice = default_choice(FIELDS[path], _spec(**spec), FakeCatalog())
    assert choice is not None and choice.value == expected


def test_no_default_where_none_is_right() -> None:
    for path in ("connectivity.availability_zone", "monitoring.log_exports", "settings.identifier"):
        assert default_choice(FIELDS[path], _spec(), FakeCatalog()) is None


def test_account_facts() -> None:
    catalog = FakeCatalog()
    facts = account_facts(_spec(), catalog)
    assert facts.subnet_groups is not None and len(facts.subnet_groups) == 4
    assert facts.orderable_options is not None and {o.version for o in facts.orderable_options} == {"16.4"}
    assert facts.engine_versions is not None and facts.security_groups is None
    assert "orderable:postgres:16.4" in catalog.calls
    unknown = account_facts(_spec(engine={"version": "9.9"}), FakeCatalog())
    assert unknown.orderable_options is None and unknown.engine_versions is not None
    with_groups = account_facts(_spec(connectivity={"security_group_ids": ["sg-2"]}), FakeCatalog())
    assert with_groups.security_groups is not None


def test_templates_are_the_presets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RDS_WIZARD_HOME", str(tmp_path))
    templates = _choices("template")
    names = [c.value for c in templates]
    assert {"production-postgres", "dev-test-postgres", "teaching-demo"} <= set(names)
    assert all(c.label and c.group == "built-in" for c in templates)


def test_offline_choices_need_no_catalog() -> None:
    spec = _spec(engine={"engine": "mariadb"})
    assert not needs_catalog(FIELDS["engine.engine"]) and needs_catalog(FIELDS["engine.version"])
    assert _values(choices_for(FIELDS["monitoring.log_exports"], spec, None))[:2] == ["audit", "error"]
    assert choices_for(FIELDS["engine.version"], spec, None) == []
    deployments = choices_for(FIELDS["availability.deployment"], spec, None)
    assert _values(deployments, enabled=True) == ["single-az", "multi-az-instance"]
    choice = default_choice(FIELDS["availability.deployment"], spec, None)
    assert choice is not None and choice.value == "multi-az-instance"
    assert default_choice(FIELDS["engine.version"], spec, None) is None


@pytest.mark.parametrize(("catalog_orders_it", "enabled"), [(None, False), (False, False), (True, True)])
def test_magnetic_is_offered_only_where_the_catalog_still_orders_it(catalog_orders_it: bool | None,
                                                                    enabled: bool) -> None:
    catalog = FakeCatalog() if catalog_orders_it is not None else None
    if catalog is not None and catalog_orders_it:
        catalog.orderable[("postgres", "16.4")].append(_opt("db.m6g.large", "standard"))
    spec = _spec(instance={"instance_class": "db.m6g.large"}, engine={"version": "16.4"})
    magnetic = next(c for c in choices_for(FIELDS["storage.type"], spec, catalog) if c.value == "standard")
    assert magnetic.enabled is enabled
    if catalog_orders_it is None:
        assert "deprecated" in str(magnetic.disabled_reason) and "choose gp3" in str(magnetic.disabled_reason)


def test_versions_past_standard_support_say_what_it_costs() -> None:
    catalog = FakeCatalog()
    catalog.versions["mysql"] = [EngineVersion("mysql", "5.7.44", "mysql5.7", False),
                                 EngineVersion("mysql", "8.4.6", "mysql8.4", True)]
    versions = choices_for(FIELDS["engine.version"], _spec(engine={"engine": "mysql"}), catalog)
    old = next(c for c in versions if c.value == "5.7.44")
    current = next(c for c in versions if c.value == "8.4.6")
    assert old.description == ("standard support ended 2024-02-29: paid RDS Extended Support unless "
                               "disabled")
    assert current.description == ""
