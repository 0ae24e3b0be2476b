"""The wizard session without any user interface: navigation, problems, templates, Review, drafts."""

from __future__ import annotations

from pathlib import Path

import pytest

from wizard.choices import Choice
from wizard.session import PASSWORD_SET, PASSWORD_UNSET, WizardSession
from wizard.steps import STEP_KEYS, STEPS, step_by_key


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("RDS_WIZARD_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def test_no_user_interface_is_imported() -> None:
    import wizard.session as module

    source = Path(module.__file__).read_text(encoding="utf-8")
    assert "import textual" not in source and "from textual" not in source
    assert "import questionary" not in source


def test_next_moves_and_reaches_back_keeps_reached() -> None:
    session = WizardSession()
    assert session.step.key == "engine"
    assert session.next_step()
    assert session.step.key == "instance" and session.reached == 1
    assert session.back_step()
    assert session.current == 0 and session.reached == 1
    assert session.may_jump("instance") and not session.may_jump("network")
    assert not session.back_step()


def test_next_is_blocked_by_an_error_in_the_step() -> None:
    session = WizardSession()
    session.go_to(STEP_KEYS.index("instance"))
    assert session.edit("storage.allocated_gib", "lots") is not None
    assert not session.can_leave()
    assert not session.next_step()
    assert session.step.key == "instance" and session.reached == 1
    problems = session.field_problems("storage.allocated_gib")
    assert problems and problems[0].is_error
    assert session.step_errors()["instance"] >= 1
    assert not session.can_launch()


def test_fixing_the_value_clears_the_parse_problem_and_unblocks() -> None:
    session = WizardSession()
    session.go_to(STEP_KEYS.index("instance"))
    session.edit("settings.identifier", "orders-db")
    session.edit("storage.allocated_gib", "lots")
    assert session.edit("storage.allocated_gib", "100") is None
    assert not session.field_problems("storage.allocated_gib")
    assert session.can_leave(), [p.message for p in session.step_problems("instance")]


def test_a_problem_inside_a_field_belongs_to_it() -> None:
    from wizard.spec.problems import Problem

    session = WizardSession()
    inside = Problem("tags.Name", "Tags", "A tag value is too long.")
    session.local_problems["tags"] = [inside]
    session.invalidate()
    assert inside in session.field_problems("tags")
    assert inside not in session.field_problems("tag")
    assert inside in session.step_problems("backup")


def test_front_end_local_problems_count_until_cleared() -> None:
    from wizard.spec.problems import Problem

    session = WizardSession()
    session.edit("settings.credentials", "self-managed")
    session.edit("settings.master_password", "a-good-password-1")
    session.local_problems["settings.master_password"] = [
        Problem("settings.master_password", "MasterUserPassword", "The two entries differ.")]
    session.invalidate()
    assert not session.can_leave("instance")
    session.local_problems.clear()
    session.invalidate()
    assert not any("differ" in p.message for p in session.step_problems("instance"))


def test_template_keeps_identifier_and_password() -> None:
    session = WizardSession()
    session.edit("settings.identifier", "orders-db")
    session.edit("settings.credentials", "self-managed")
    session.edit("settings.master_password", "a-good-password-1")
    session.apply_template("teaching-demo")
    assert session.template == "teaching-demo"
    assert session.value_of("template") == "teaching-demo"
    assert session.spec.settings.identifier == "orders-db"
    assert session.spec.settings.master_password is not None
    assert session.spec.settings.master_password.get_secret_value() == "a-good-password-1"


def test_template_that_cannot_load_leaves_the_answers() -> None:
    session = WizardSession()
    session.edit("settings.identifier", "orders-db")
    before = session.spec.model_dump()
    with pytest.raises(ValueError):
        session.apply_template("no-such-template")
    assert session.template is None
    assert session.spec.model_dump() == before


def test_template_replaces_the_later_answers() -> None:
    from presets import load_preset

    session = WizardSession()
    session.edit("backup.retention_days", "1")
    session.apply_template("production-postgres")
    assert session.spec.backup.retention_days == load_preset("production-postgres").backup.retention_days


def test_load_preset_reaches_every_step_and_forgets_the_template() -> None:
    session = WizardSession()
    session.apply_template("teaching-demo")
    session.load_preset("production-postgres")
    assert session.template is None
    assert session.reached == len(STEPS) - 1
    assert session.may_jump("review")


def test_review_rows_hide_the_password_and_the_template() -> None:
    session = WizardSession()
    session.apply_template("teaching-demo")
    rows = session.review_rows()
    paths = [r.path for r in rows]
    assert "template" not in paths
    assert "settings.master_password" not in paths  # Secrets Manager by default: not asked
    session.edit("settings.credentials", "self-managed")
    row = next(r for r in session.review_rows() if r.path == "settings.master_password")
    assert row.value == PASSWORD_UNSET and row.step_key == "instance"
    session.edit("settings.master_password", "a-good-password-1")
    rows = session.review_rows()
    row = next(r for r in rows if r.path == "settings.master_password")
    assert row.value == PASSWORD_SET
    assert all("a-good-password-1" not in r.value for r in rows)
    visible = [f.path for s in STEPS for f in s.visible_fields(session.spec) if f.kind != "template"]
    assert [r.path for r in rows] == visible


def test_review_shows_the_label_of_a_loaded_choice() -> None:
    session = WizardSession()
    field = next(f for f in step_by_key("availability").fields if f.path == "availability.deployment")
    value = session.value_of(field.path)
    plain = next(r for r in session.review_rows() if r.path == field.path)
    assert plain.value == str(value)
    session.remember_choices(field.path, [Choice(value, "Shown label")])
    labelled = next(r for r in session.review_rows() if r.path == field.path)
    assert labelled.value == "Shown label"


def test_review_problem_step_numbers() -> None:
    session = WizardSession()
    session.edit("storage.allocated_gib", "lots")
    assert session.problem_step_numbers()["storage.allocated_gib"] == "2"


def test_draft_round_trip_keeps_answers_and_step_never_the_password() -> None:
    from wizard.drafts import load_draft

    session = WizardSession()
    session.edit("settings.identifier", "orders-db")
    session.edit("settings.credentials", "self-managed")
    session.edit("settings.master_password", "a-good-password-1")
    session.go_to(STEP_KEYS.index("network"))
    session.save_draft()
    draft = load_draft()
    assert draft is not None and draft.step_key == "network"
    resumed = WizardSession()
    resumed.restore(draft.spec, draft.step_key)
    assert resumed.spec.settings.identifier == "orders-db"
    assert not resumed.spec.settings.master_password
    assert resumed.step.key == "network" and resumed.reached == STEP_KEYS.index("network")
    assert resumed.may_jump("instance") and not resumed.may_jump("backup")


def test_catalog_sources_are_those_that_ask_the_account() -> None:
    by_source = {f.source: f for s in STEPS for f in s.fields if f.source}
    assert WizardSession.needs_account(by_source["instance_classes"])
    assert not WizardSession.needs_account(by_source["deployments"])
    assert not WizardSession.needs_account(by_source["templates"])


def test_the_engine_step_shows_its_defaults_before_the_model_loads() -> None:
    from wizard.spec.model import DatabaseSpec

    session = WizardSession()
    shown = {path: session.value_of(path) for path in ("engine.engine", "engine.version")}
    assert not session.spec_loaded
    fresh = DatabaseSpec()
    assert shown == {"engine.engine": fresh.engine.engine, "engine.version": fresh.engine.version}
