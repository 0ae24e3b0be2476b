"""Every child process the wizard starts gets an environment without the secrets it does not need."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from wizard.childenv import SECRET_VARIABLES, child_environment
from wizard.launch import PASSWORD_ENV

ROOT = Path(__file__).resolve().parents[2]
_STARTERS = {"run", "Popen", "call", "check_call", "check_output"}


@pytest.mark.parametrize("name", ["RDS_WIZARD_MASTER_PASSWORD", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
                                  "AWS_SECURITY_TOKEN"])
def test_a_secret_never_reaches_a_child(name: str) -> None:
    base = {name: "s3cret-value", "PATH": "/usr/bin", "AWS_ACCESS_KEY_ID": "AKIAEXAMPLE"}
    env = child_environment(base=base)
    assert name not in env and "s3cret-value" not in env.values()
    assert env == {"PATH": "/usr/bin", "AWS_ACCESS_KEY_ID": "AKIAEXAMPLE"}  # the rest goes through


def test_the_password_variable_the_launch_reads_is_one_of_the_secrets() -> None:
    assert PASSWORD_ENV in SECRET_VARIABLES


def test_keep_passes_only_the_names_given_and_never_a_secret() -> None:
    base = {"PATH": "/bin", "PGHOST": "elsewhere", "TZ": "UTC", "AWS_SESSION_TOKEN": "t"}
    env = child_environment(keep=("PATH", "TZ", "AWS_SESSION_TOKEN"), base=base)
    assert env == {"PATH": "/bin", "TZ": "UTC"}


def test_default_base_is_this_process_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PASSWORD_ENV, "from-the-user")
    monkeypatch.setenv("RDS_WIZARD_CHILD_MARKER", "1")
    env = child_environment()
    assert PASSWORD_ENV not in env and env["RDS_WIZARD_CHILD_MARKER"] == "1"


def _child_starts() -> list[tuple[Path, ast.Call]]:
    calls = []
    for folder in ("wizard", "screens"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                        and isinstance(node.func.value, ast.Name) and node.func.value.id == "subprocess"
                        and node.func.attr in _STARTERS):
                    calls.append((path, node))
    return calls


def test_every_subprocess_the_wizard_starts_gets_its_env_from_the_helper() -> None:
    calls = _child_starts()
    assert len(calls) >= 6  # useradd, postgres --version, the watchdog, psql, the tools, the servers
    for path, call in calls:
        where = f"{path.relative_to(ROOT)}:{call.lineno}"
        env = next((k.value for k in call.keywords if k.arg == "env"), None)
        assert env is not None, f"{where} starts a child without env=child_environment(...)"
        source = ast.unparse(env)
        assert "child_environment(" in source or source == "_tool_env()", f"{where}: env={source}"


def test_the_tool_environment_is_built_by_the_helper(monkeypatch: pytest.MonkeyPatch) -> None:
    from wizard.demo.realdb.pair import _tool_env

    monkeypatch.setenv("PGHOST", "elsewhere")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "s3cret")
    env = _tool_env()
    assert "PGHOST" not in env and "AWS_SECRET_ACCESS_KEY" not in env and env["LC_ALL"] == "C"


def test_no_module_of_the_wizard_spawns_children_another_way() -> None:
    for folder in ("wizard", "screens"):
        for path in (ROOT / folder).rglob("*.py"):
            text = path.read_text()
            for other in ("os.system(", "os.popen(", "os.spawn", "os.exec", "multiprocessing"):
                where = path.relative_to(ROOT)
                assert other not in text, f"{where} uses {other}: start it with env=child_environment()"
