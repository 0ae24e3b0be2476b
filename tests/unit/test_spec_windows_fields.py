"""Window arithmetic for the week chart, the engine table's shape, and parsing typed text into the spec."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from wizard.spec.engines import ENGINE_ORDER, ENGINES, engine_rules, is_api_engine
from wizard.spec.fields import display_value, get_value, set_value
from wizard.spec.model import DatabaseSpec
from wizard.spec.values import PASSWORD_MASK
from wizard.spec.windows import (
    MINUTES_PER_WEEK,
    WindowError,
    format_minute_of_week,
    overlap,
    parse_backup_window,
    parse_maintenance_window,
    week_occupancy,
)
from wizard.steps import STEPS


def test_backup_window_crossing_midnight() -> None:
    window = parse_backup_window("23:45-00:15")
    assert (window.start, window.length) == (23 * 60 + 45, 30)
    intervals = window.week_intervals()
    assert sum(end - start for start, end in intervals) == 7 * 30
    assert (0, 15) in intervals and (MINUTES_PER_WEEK - 15, MINUTES_PER_WEEK) in intervals


def test_maintenance_window_crossing_the_end_of_the_week() -> None:
    window = parse_maintenance_window("sun:23:30-mon:00:30")
    assert window.length == 60
    assert window.week_intervals() == [(MINUTES_PER_WEEK - 30, MINUTES_PER_WEEK), (0, 30)]
    assert format_minute_of_week(window.start) == "sun:23:30"


@pytest.mark.parametrize("text", ["", "03:00", "3:00-3:30", "03:00-03:30-04:00", "ab:cd-ef:gh"])
def test_backup_window_format_errors_say_the_format(text: str) -> None:
    with pytest.raises(WindowError, match="hh24:mi-hh24:mi"):
        parse_backup_window(text)


def test_overlap_is_the_shared_stretch_of_the_week() -> None:
    backup = parse_backup_window("03:00-03:30")
    wed = 2 * 1440
    assert overlap(backup, parse_maintenance_window("wed:03:20-wed:04:00")) == (wed + 200, wed + 210)
    assert overlap(backup, parse_maintenance_window("wed:03:30-wed:04:00")) is None
    crossing = parse_maintenance_window("sun:23:50-mon:00:20")
    assert overlap(parse_backup_window("00:10-00:40"), crossing) == (10, 20)


def test_week_occupancy_for_the_chart() -> None:
    occupancy = week_occupancy("03:00-03:30", "tue:05:00-tue:06:00")
    assert len(occupancy["backup"]) == 7
    assert occupancy["maintenance"] == [(1440 + 300, 1440 + 360)]
    assert week_occupancy(None, "nonsense") == {"backup": [], "maintenance": []}


def test_engine_table_rows_are_complete() -> None:
    assert ENGINE_ORDER[:3] == ("postgres", "mysql", "mariadb")
    assert set(ENGINE_ORDER) == set(ENGINES)
    for engine, rules in ENGINES.items():
        assert rules.engine == engine and rules.label and rules.license_models and rules.log_exports
        assert rules.default_license_model == rules.license_models[0]
        assert 1150 <= rules.default_port <= 65535 and rules.default_port not in rules.forbidden_ports
        assert rules.storage_types and "rdsadmin" in rules.reserved_usernames
        assert rules.parameter_group_family_prefix
    assert [e for e, r in ENGINES.items() if r.supports_multi_az_cluster] == ["postgres", "mysql"]
    assert not ENGINES["sqlserver-ex"].supports_multi_az_instance
    assert engine_rules("aurora-mysql") is None and is_api_engine("aurora-mysql")
    assert not is_api_engine("postgresql")


# -- fields ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("path", "raw", "value"), [
    ("storage.allocated_gib", " 1,000 ", 1000),
    ("storage.iops", "", None),
    ("storage.iops", "3000", 3000),
    ("connectivity.public_access", "Yes", True),
    ("connectivity.public_access", "off", False),
    ("connectivity.public_access", True, True),
    ("monitoring.log_exports", "postgresql, upgrade,", ["postgresql", "upgrade"]),
    ("connectivity.security_group_ids", ["sg-1"], ["sg-1"]),
    ("tags", "Name=orders, team = payments", {"Name": "orders", "team": "payments"}),
    ("tags", "", {}),
    ("backup.window", " 03:00-03:30 ", "03:00-03:30"),
    ("backup.window", "", None),
    ("settings.credentials", "Self-Managed", "self-managed"),
    ("availability.deployment", "multi-az-cluster", "multi-az-cluster"),
])
def test_set_value_parses_typed_text(path: str, raw: object, value: object) -> None:
    spec = DatabaseSpec()
    assert set_value(spec, path, raw) is None
    assert get_value(spec, path) == value


@pytest.mark.parametrize(("path", "raw", "words"), [
    ("storage.allocated_gib", "", "whole number"),
    ("storage.allocated_gib", "lots", "whole number"),
    ("storage.iops", "3.5", "whole number"),
    ("connectivity.public_access", "maybe", "yes or no"),
    ("storage.type", "gp9", "gp3"),
    ("tags", "Name", "key=value"),
    ("backup.retention_days", ["7"], "integer"),
])
def test_set_value_failure_names_the_setting_and_leaves_the_spec(path: str, raw: object, words: str) -> None:
    spec = DatabaseSpec()
    before = spec.model_dump()
    problem = set_value(spec, path, raw)
    assert problem is not None and problem.field == path and problem.parameter
    assert words in problem.message
    label = next(f.label for step in STEPS for f in step.fields if f.path == path)
    assert problem.message.startswith(label)
    assert spec.model_dump() == before


def test_password_is_set_verbatim_and_never_displayed() -> None:
    spec = DatabaseSpec()
    assert set_value(spec, "settings.master_password", " Canary pw ") is None
    assert isinstance(spec.settings.master_password, SecretStr)
    assert spec.settings.master_password.get_secret_value() == " Canary pw "
    assert display_value(spec, "settings.master_password") == PASSWORD_MASK


def test_display_value_reads_back_to_the_same_value() -> None:
    spec = DatabaseSpec(tags={"Name": "orders", "team": "x"})
    spec.monitoring.log_exports = ["postgresql", "upgrade"]
    spec.storage.iops = 3000
    for step in STEPS:
        for field in step.fields:
            if field.path in ("template", "settings.master_password"):
                continue
            copy = spec.model_copy(deep=True)
            assert set_value(copy, field.path, display_value(spec, field.path)) is None, field.path
            assert get_value(copy, field.path) == get_value(spec, field.path), field.path


def test_unknown_paths_are_programming_errors() -> None:
    with pytest.raises(KeyError):
        get_value(DatabaseSpec(), "storage.nope")
    with pytest.raises(KeyError):
        set_value(DatabaseSpec(), "template", "x")


def test_a_new_engine_brings_its_username_and_port_where_the_old_defaults_were_left() -> None:
    spec = DatabaseSpec()
    spec.connectivity.port = 5432
    assert set_value(spec, "engine.engine", "mysql") is None
    assert spec.settings.master_username == "admin"
    assert spec.connectivity.port is None  # no port given: MySQL's default, 3306, applies


def test_a_username_or_port_the_user_chose_stays_when_the_engine_changes() -> None:
    spec = DatabaseSpec()
    spec.settings.master_username = "app_owner"
    spec.connectivity.port = 6543
    assert set_value(spec, "engine.engine", "mysql") is None
    assert spec.settings.master_username == "app_owner"
    assert spec.connectivity.port == 6543
