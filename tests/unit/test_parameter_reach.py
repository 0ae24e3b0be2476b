"""The kept reach table is what the installed botocore documents; the readings that derive it work."""

from __future__ import annotations

import pytest
from botocore_reach import _left_out as left_out
from botocore_reach import _limited_to as limited_to
from botocore_reach import _text as text
from botocore_reach import _values as values
from botocore_reach import _values_by_engine as values_by_engine
from botocore_reach import derive, render

from wizard.spec.engines import ENGINE_ORDER, ENGINES
from wizard.spec.reach import PARAMETER_REACH, ParameterReach


def test_kept_table_matches_the_installed_botocore() -> None:
    derived = {name: ParameterReach(**entry) for name, entry in derive().items()}
    assert derived == dict(PARAMETER_REACH), (
        "botocore's CreateDBInstance documentation changed: regenerate the table in wizard/spec/reach.py "
        "with `.venv/bin/python tests/unit/botocore_reach.py` and review the difference.\n"
        + render(derive()))


@pytest.mark.parametrize("parameter", ["LicenseModel", "EnableCloudwatchLogsExports"])
def test_engine_rows_hold_the_values_botocore_documents_per_engine(parameter: str) -> None:
    documented = PARAMETER_REACH[parameter].values_by_engine
    for engine, rules in ENGINES.items():
        ours = rules.license_models if parameter == "LicenseModel" else rules.log_exports
        assert set(ours) == set(documented[engine]), engine


def test_every_engine_the_wizard_has_a_row_for_is_one_the_readings_name() -> None:
    # A new engine row needs a name in botocore_reach.ENGINE_NAMES, or reach would never limit it.
    named = {e for entry in PARAMETER_REACH.values() for e in (entry.engines or ())}
    assert set(ENGINE_ORDER) - named - {"postgres", "mysql", "mariadb"} <= {
        e for e in ENGINE_ORDER if e.startswith(("oracle", "sqlserver", "db2"))}
    assert set(ENGINE_ORDER) <= {e for entry in PARAMETER_REACH.values() for e in entry.values_by_engine}


@pytest.mark.parametrize(("doc", "engines"), [
    ("<p>This setting applies only to RDS for MariaDB.</p>", ("mariadb",)),
    ("<p>Supported only by RDS for Aurora PostgreSQL and RDS for MySQL.</p>", ("aurora-postgresql", "mysql")),
    ("<p>The name of the NCHAR character set for the Oracle DB instance.</p>",
     ("oracle-ee", "oracle-ee-cdb", "oracle-se2", "oracle-se2-cdb")),
    ("<p>This parameter only applies to RDS for Oracle container database (CDB) engines.</p>",
     ("oracle-ee-cdb", "oracle-se2-cdb")),
    ("<p>A subnet group can support only the IPv4 protocol.</p>", None),
    ("<p>The port. This setting doesn't apply to RDS for MySQL only.</p>", None),
    ("<p>Default: RDS for Db2 - 50000.</p>", None),
])
def test_a_limiting_sentence_names_the_engines(doc: str, engines: tuple[str, ...] | None) -> None:
    assert limited_to(text(doc))[0] == engines


@pytest.mark.parametrize(("doc", "out"), [
    ("<p>This setting doesn't apply to Amazon Aurora DB instances.</p>", ("aurora",)),
    ("<p>This setting doesn't apply to the following DB instances:</p> <ul> <li> <p>Amazon Aurora (managed "
     "by the DB cluster.)</p> </li> <li> <p>RDS Custom</p> </li> </ul>", ("aurora", "custom")),
    ("<p>For Amazon Aurora DB instances, this is managed by the DB cluster.</p>", ()),
])
def test_what_a_parameter_does_not_apply_to(doc: str, out: tuple[str, ...]) -> None:
    assert left_out(text(doc)) == out


@pytest.mark.parametrize(("doc", "enum", "expected"), [
    ("<p>Valid Values: <code>IPV4 | DUAL</code> </p>", None, ("IPV4", "DUAL")),
    ("<p>Valid Values:</p> <ul> <li> <p> <code>local</code> (Local Zone)</p> </li> <li> <p> "
     "<code>region</code> (Region)</p> </li> </ul>", None, ("local", "region")),
    ("<p>Valid Values: <code>0 - 15</code> </p>", None, None),
    ("<p>Valid Values:</p> <ul> <li> <p> <code>7</code> </p> </li> <li> <p> <i>month</i> * 31</p> </li> "
     "</ul>", None, None),
    ("<p>No values here.</p>", ["standard", "advanced"], ("standard", "advanced")),
])
def test_documented_values(doc: str, enum: list[str] | None, expected: tuple[str, ...] | None) -> None:
    assert values(doc, enum) == expected


def test_values_engine_by_engine_are_read_only_from_a_valid_values_list() -> None:
    listed = ("<p>Valid Values:</p> <ul> <li> <p>RDS for MariaDB - <code>a | b</code> </p> </li> </ul>"
              "<p>Default:</p> <ul> <li> <p>RDS for MySQL - <code>c</code> </p> </li> </ul>")
    assert values_by_engine(listed) == {"mariadb": ("a", "b")}
