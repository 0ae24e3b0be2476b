"""Presets load, validate and save without a password; drafts survive restarts and corruption."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from pydantic import SecretStr
from spec_support import valid_spec

from presets import PresetError, builtin_names, list_presets, load_preset, save_preset
from wizard.drafts import discard_draft, draft_path, load_draft, save_draft
from wizard.spec.rules import validate

CANARY = "Canary-Pw-0042"
REQUIRED = {"production-postgres", "production-mysql", "dev-test-postgres", "multi-az-cluster-postgres",
            "teaching-demo"}


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("RDS_WIZARD_HOME", str(tmp_path / "home"))
    return tmp_path


def test_the_required_presets_exist() -> None:
    assert set(builtin_names()) >= REQUIRED


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_every_builtin_preset_loads_and_validates_without_errors(name: str) -> None:
    spec = load_preset(name)
    assert [p.message for p in validate(spec) if p.is_error] == []
    assert spec.settings.master_password is None


def test_presets_have_the_promised_shape() -> None:
    prod = load_preset("production-postgres")
    assert prod.availability.deployment == "multi-az-instance" and prod.storage.type == "gp3"
    assert prod.settings.credentials == "secrets-manager" and prod.protection.deletion_protection
    assert prod.protection.encrypted and prod.backup.retention_days == 7
    assert prod.backup.window and prod.maintenance.window
    dev = load_preset("dev-test-postgres")
    assert dev.availability.deployment == "single-az" and dev.instance.instance_class.startswith("db.t")
    assert not dev.protection.deletion_protection
    assert load_preset("multi-az-cluster-postgres").is_cluster
    demo = load_preset("teaching-demo")
    assert demo.availability.deployment == "multi-az-instance" and demo.storage.allocated_gib == 20


def test_list_presets_gives_titles_and_descriptions() -> None:
    infos = {info.name: info for info in list_presets()}
    assert set(infos) >= REQUIRED
    assert all(info.title and info.description and info.builtin for info in infos.values())


def test_save_and_load_by_name_never_writes_the_password(tmp_path: Path) -> None:
    spec = valid_spec()
    spec.settings.credentials = "self-managed"
    spec.settings.master_password = SecretStr(CANARY)
    spec.tags = {"team": "payments"}
    spec.extra_parameters = {"CharacterSetName": "UTF8", "TdeCredentialPassword": CANARY}
    path = save_preset(spec, "mine", title="Mine", description="For tests")
    assert CANARY not in path.read_text()
    loaded = load_preset("mine")
    assert loaded.settings.master_password is None
    assert loaded.extra_parameters == {"CharacterSetName": "UTF8"}
    expected = spec.model_dump()
    expected["extra_parameters"] = {"CharacterSetName": "UTF8"}
    assert loaded.model_dump() == expected
    mine = [info for info in list_presets() if info.name == "mine"]
    assert mine and not mine[0].builtin and mine[0].title == "Mine"


def test_saving_under_a_builtin_or_unusable_name_is_refused() -> None:
    for name in ("production-postgres", "my.preset", ""):
        with pytest.raises(PresetError):
            save_preset(valid_spec(), name)


def test_load_by_path(tmp_path: Path) -> None:
    path = save_preset(valid_spec("mysql"), tmp_path / "x.toml")
    assert load_preset(str(path)).engine.engine == "mysql"


def test_a_preset_with_a_password_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(f'[settings]\nidentifier = "x"\nmaster_password = "{CANARY}"\n')
    with pytest.raises(PresetError, match="password") as caught:
        load_preset(path)
    assert CANARY not in str(caught.value) and str(path) in str(caught.value)


def test_unknown_keys_name_the_key_and_the_file(tmp_path: Path) -> None:
    path = tmp_path / "typo.toml"
    path.write_text('[storage]\nalocated_gib = 20\n')
    with pytest.raises(PresetError) as caught:
        load_preset(path)
    assert "storage.alocated_gib" in str(caught.value) and str(path) in str(caught.value)
    path.write_text('[storage]\nallocated_gib = "lots"\n')
    with pytest.raises(PresetError, match=r"storage\.allocated_gib"):
        load_preset(path)
    path.write_text('[storage\n')
    with pytest.raises(PresetError, match="not valid TOML"):
        load_preset(path)


def test_a_missing_preset_lists_the_available_ones() -> None:
    with pytest.raises(PresetError) as caught:
        load_preset("nope")
    assert all(name in str(caught.value) for name in REQUIRED)
    with pytest.raises(PresetError, match="does not exist"):
        load_preset("/no/such/file.toml")


# -- drafts ------------------------------------------------------------------------------------------

def test_draft_round_trip_without_the_password() -> None:
    spec = valid_spec()
    spec.settings.master_password = SecretStr(CANARY)
    spec.extra_parameters = {"MasterUserPassword": CANARY, "Timezone": "UTC"}
    path = save_draft(spec, "backup")
    assert CANARY not in path.read_text()
    draft = load_draft()
    assert draft is not None and draft.step_key == "backup"
    assert draft.spec.settings.master_password is None
    assert draft.spec.extra_parameters == {"Timezone": "UTC"}
    assert draft.spec.settings.identifier == "orders-db"
    discard_draft()
    assert load_draft() is None
    discard_draft()  # nothing to discard is fine


@pytest.mark.parametrize("content", ["{not json", "[]", '{"format": 1}', '{"format": 99, "spec": {}}',
                                     json.dumps({"format": 1, "saved_at": "x", "step_key": "a", "spec": {}}),
                                     json.dumps({"format": 1, "saved_at": "2026-01-01T00:00:00+00:00",
                                                 "step_key": "a", "spec": {"storage": {"nope": 1}}})])
def test_a_corrupt_draft_is_set_aside_with_a_warning(content: str, caplog: pytest.LogCaptureFixture) -> None:
    draft_path().write_text(content)
    with caplog.at_level(logging.WARNING, logger="wizard.drafts"):
        assert load_draft() is None
    assert "could not be read" in caplog.text
    assert not draft_path().exists()
    assert load_draft() is None


def test_the_format_documented_in_the_readme_loads(tmp_path: Path) -> None:
    readme = (Path(__file__).resolve().parents[2] / "presets" / "README.md").read_text()
    example = readme.split("```toml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "documented.toml"
    path.write_text(example)
    spec = load_preset(path)
    assert spec.storage.max_allocated_gib == 1000
    assert spec.extra_parameters == {"CharacterSetName": "AL32UTF8"}
