"""`rds-wizard lint`, `plan` and `presets` as a user runs them: exit codes, output shapes, no password."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from wizard.cli import main

CANARY = "Canary-Pw-9981"
Capture = pytest.CaptureFixture[str]
VALID: dict[str, Any] = {
    "DBInstanceIdentifier": "orders-db", "DBInstanceClass": "db.m6g.large", "Engine": "postgres",
    "MasterUsername": "pgadmin", "AllocatedStorage": 100, "ManageMasterUserPassword": True, "MultiAZ": True,
    "DBSubnetGroupName": "app", "StorageEncrypted": True, "DeletionProtection": True,
    "PreferredBackupWindow": "03:00-03:30", "PreferredMaintenanceWindow": "sun:05:00-sun:05:30",
}


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RDS_WIZARD_HOME", str(tmp_path / "home"))


def _lint(tmp_path: Path, capsys: Capture, content: str, *extra: str) -> tuple[int, str, str]:
    path = tmp_path / "request.json"
    path.write_text(content)
    code = main(["lint", str(path), *extra])
    out, err = capsys.readouterr()
    return code, out, err


def test_valid_request_exits_0_and_warnings_may_print(tmp_path: Path, capsys: Capture) -> None:
    code, out, _ = _lint(tmp_path, capsys, json.dumps(VALID))
    assert code == 0 and "no rule broken" in out and "warning" in out


@pytest.mark.parametrize(("change", "parameter"), [
    ({"PreferredBackupWindow": "05:10-05:40"}, "PreferredBackupWindow"),
    ({"MasterUsername": "admin"}, "MasterUsername"),
    ({"AvailabilityZone": "us-east-1a"}, "AvailabilityZone"),
    ({"MasterUserPassword": "has space!"}, "MasterUserPassword"),
    ({"AllocatedStorage": 19}, "AllocatedStorage"),
    ({"Port": 80}, "Port"),
    ({"DBNmae": "orders"}, "DBNmae"),
    ({"AllocatedStorage": "100"}, "AllocatedStorage"),
    ({"BackupRetentionPeriod": 36}, "BackupRetentionPeriod"),
])
def test_invalid_request_exits_1_naming_the_parameter(tmp_path: Path, capsys: Capture,
                                                      change: dict[str, Any], parameter: str) -> None:
    code, out, _ = _lint(tmp_path, capsys, json.dumps(VALID | change), "--format", "json")
    assert code == 1
    result = json.loads(out)
    assert result["valid"] is False
    assert parameter in {p["parameter"] for p in result["problems"]}


@pytest.mark.parametrize("missing", ["DBInstanceIdentifier", "DBInstanceClass", "Engine", "MasterUsername",
                                     "AllocatedStorage", "ManageMasterUserPassword"])
def test_missing_required_parameters(tmp_path: Path, capsys: Capture, missing: str) -> None:
    request = {k: v for k, v in VALID.items() if k != missing}
    code, out, _ = _lint(tmp_path, capsys, json.dumps(request), "--format", "json")
    expected = "MasterUserPassword" if missing == "ManageMasterUserPassword" else missing
    assert code == 1 and expected in {p["parameter"] for p in json.loads(out)["problems"]}


def test_json_output_has_exactly_the_promised_shape(tmp_path: Path, capsys: Capture) -> None:
    code, out, _ = _lint(tmp_path, capsys, json.dumps(VALID | {"Port": 80}), "--format", "json")
    result = json.loads(out)
    assert code == 1 and set(result) == {"valid", "problems", "warnings"}
    assert isinstance(result["valid"], bool)
    for item in result["problems"] + result["warnings"]:
        assert set(item) == {"parameter", "message"}
        assert isinstance(item["parameter"], str) and item["parameter"] and isinstance(item["message"], str)
    assert result["warnings"]
    code, out, _ = _lint(tmp_path, capsys, json.dumps(VALID), "--format", "json")
    assert code == 0 and json.loads(out)["valid"] is True and json.loads(out)["problems"] == []


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", '"text"', "", "null"])
def test_unparseable_or_not_an_object_exits_2(tmp_path: Path, capsys: Capture,
                                              content: str) -> None:
    code, out, err = _lint(tmp_path, capsys, content, "--format", "json")
    assert code == 2 and out == "" and "rds-wizard lint:" in err


def test_unreadable_file_exits_2(tmp_path: Path, capsys: Capture) -> None:
    assert main(["lint", str(tmp_path / "missing.json")]) == 2
    assert "does not exist" in capsys.readouterr().err
    (tmp_path / "binary.json").write_bytes(b"\xff\xfe\x00")
    assert main(["lint", str(tmp_path / "binary.json")]) == 2


def test_lint_reads_standard_input(monkeypatch: pytest.MonkeyPatch, capsys: Capture) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(VALID)))
    assert main(["lint", "-"]) == 0


def test_lint_never_prints_the_password(tmp_path: Path, capsys: Capture) -> None:
    request = VALID | {"MasterUserPassword": CANARY + " @", "ManageMasterUserPassword": True}
    for fmt in ("text", "json"):
        code, out, err = _lint(tmp_path, capsys, json.dumps(request), "--format", fmt)
        assert code == 1 and CANARY not in out + err


def test_lint_works_offline_without_boto3(tmp_path: Path) -> None:
    path = tmp_path / "request.json"
    path.write_text(json.dumps(VALID))
    script = ("import sys\nfrom wizard.cli import main\ncode = main(['lint', sys.argv[1]])\n"
              "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('boto3', 'botocore', 'moto', "
              "'textual', 'questionary'))\nprint('HEAVY', heavy, file=sys.stderr)\nsys.exit(code)\n")
    env = {"PATH": "/usr/bin:/bin", "AWS_CONFIG_FILE": "/nonexistent",
           "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent", "RDS_WIZARD_HOME": str(tmp_path / "home")}
    result = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True,
                            env=env, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert "HEAVY []" in result.stderr


# -- plan and presets --------------------------------------------------------------------------------

def test_plan_prints_the_request_as_json(capsys: Capture) -> None:
    assert main(["plan", "--preset", "production-postgres", "--format", "json"]) == 0
    out = capsys.readouterr().out
    request = json.loads(out)
    assert request["MultiAZ"] is True and request["ManageMasterUserPassword"] is True
    assert "MasterUserPassword" not in request


@pytest.mark.parametrize("name", ["production-postgres", "production-mysql", "dev-test-postgres",
                                  "teaching-demo"])
def test_plan_output_lints_clean(tmp_path: Path, capsys: Capture, name: str) -> None:
    assert main(["plan", "--preset", name]) == 0
    plan_output = capsys.readouterr().out
    code, out, _ = _lint(tmp_path, capsys, plan_output)
    assert code == 0, out


def test_plan_refuses_a_preset_with_errors(tmp_path: Path, capsys: Capture) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('[settings]\nidentifier = "bad--name"\n[backup]\nretention_days = 40\n')
    assert main(["plan", "--preset", str(path)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "DBInstanceIdentifier" in captured.err and "BackupRetentionPeriod" in captured.err


def test_plan_of_a_self_managed_preset_never_prints_a_password(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Capture) -> None:
    monkeypatch.setenv("RDS_WIZARD_MASTER_PASSWORD", CANARY)
    path = tmp_path / "self.toml"
    path.write_text('[settings]\nidentifier = "orders-db"\ncredentials = "self-managed"\n')
    for fmt in ("json", "cli"):
        assert main(["plan", "--preset", str(path), "--format", fmt]) == 0
        captured = capsys.readouterr()
        assert CANARY not in captured.out + captured.err


def test_plan_cli_format_uses_the_exports(capsys: Capture) -> None:
    assert main(["plan", "--preset", "teaching-demo", "--format", "cli"]) == 0
    assert "aws rds create-db-instance" in capsys.readouterr().out
    assert main(["plan", "--preset", "multi-az-cluster-postgres", "--format", "cli"]) == 0
    assert "create-db-cluster" in capsys.readouterr().out


def test_plan_of_a_missing_preset_lists_the_names(capsys: Capture) -> None:
    assert main(["plan", "--preset", "nope"]) == 2
    err = capsys.readouterr().err
    assert "production-postgres" in err and "teaching-demo" in err


def test_presets_lists_a_line_per_builtin(capsys: Capture) -> None:
    assert main(["presets"]) == 0
    lines = capsys.readouterr().out.splitlines()
    for name in ("production-postgres", "production-mysql", "dev-test-postgres", "multi-az-cluster-postgres",
                 "teaching-demo"):
        assert sum(line.startswith(name + " ") for line in lines) == 1


def test_plan_cli_format_carries_the_region_and_endpoint_given(capsys: Capture) -> None:
    assert main(["plan", "--preset", "teaching-demo", "--format", "cli", "--region", "eu-west-1",
                 "--endpoint-url", "http://127.0.0.1:4566"]) == 0
    out = capsys.readouterr().out
    assert "--region eu-west-1" in out and "--endpoint-url http://127.0.0.1:4566" in out
    assert main(["plan", "--preset", "teaching-demo", "--format", "cli"]) == 0
    out = capsys.readouterr().out
    assert "--region" not in out and "--endpoint-url" not in out


def _tags(count: int) -> list[dict[str, str]]:
    return [{"Key": f"team-{i}", "Value": "payments"} for i in range(count)]


@pytest.mark.parametrize(("change", "code", "parameter"), [
    ({"Tags": _tags(60)}, 1, "Tags"),
    ({"Tags": _tags(50)}, 0, None),
    ({"VpcSecurityGroupIds": [f"sg-{i:08x}" for i in range(200)]}, 1, "VpcSecurityGroupIds"),
    ({"EngineVersion": "16.4\x1b[2J"}, 1, "EngineVersion"),
    ({"NcharCharacterSetName": "AL16UTF16"}, 1, "NcharCharacterSetName"),
    ({"Engine": "oracle-ee", "NcharCharacterSetName": "AL16UTF16", "MasterUsername": "dbadmin"}, 0, None),
])
def test_lint_applies_aws_limits_and_parameter_reach(tmp_path: Path, capsys: Capture, change: dict[str, Any],
                                                     code: int, parameter: str | None) -> None:
    exit_code, out, _ = _lint(tmp_path, capsys, json.dumps(VALID | change), "--format", "json")
    result = json.loads(out)
    assert exit_code == code and result["valid"] is (code == 0)
    named = [p for p in result["problems"] if p["parameter"] == parameter]
    assert bool(named) is (parameter is not None), result["problems"]


def test_lint_text_names_tags_when_there_are_60(tmp_path: Path, capsys: Capture) -> None:
    code, out, _ = _lint(tmp_path, capsys, json.dumps(VALID | {"Tags": _tags(60)}))
    assert code == 1
    assert "error    Tags: Tags has 60 tags: RDS allows at most 50 per resource" in out


def test_lint_text_names_a_control_character_without_echoing_it(tmp_path: Path, capsys: Capture) -> None:
    code, out, _ = _lint(tmp_path, capsys, json.dumps(VALID | {"EngineVersion": "16.4\x1b[2J"}))
    assert code == 1
    assert "EngineVersion contains a control character (U+001B, character 5)" in out
    assert "\x1b" not in out
