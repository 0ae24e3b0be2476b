"""The engine step's defaults the first frame paints from are the model's own, and values read as typed."""

from __future__ import annotations

from pydantic import SecretStr

from wizard.spec.fields import get_value
from wizard.spec.model import DatabaseSpec
from wizard.spec.values import ENGINE_STEP_DEFAULTS, PASSWORD_MASK, format_value
from wizard.steps import STEPS


def test_engine_step_defaults_are_what_a_new_spec_holds() -> None:
    spec = DatabaseSpec()
    engine_step = next(step for step in STEPS if step.key == "engine")
    spec_paths = {f.path for f in engine_step.fields if f.path != "template"}
    assert set(ENGINE_STEP_DEFAULTS) == spec_paths
    for path, value in ENGINE_STEP_DEFAULTS.items():
        assert get_value(spec, path) == value, path


def test_values_read_as_a_user_would_type_them() -> None:
    assert format_value(None) == ""
    assert format_value(SecretStr("hunter2hunter2")) == PASSWORD_MASK
    assert format_value(True) == "yes" and format_value(False) == "no"
    assert format_value(["postgresql", "upgrade"]) == "postgresql, upgrade"
    assert format_value({"team": "db", "env": "prod"}) == "team=db, env=prod"
    assert format_value(35) == "35"
