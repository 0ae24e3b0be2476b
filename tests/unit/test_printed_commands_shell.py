"""Every command the wizard prints runs as printed: each is pasted into a real bash, once as a script
(`bash -c`) and once with an interactive shell's history expansion on, where a bare or double-quoted `!`
breaks the line. Stub programs (`aws`, `psql`, `mysql`, `rds-wizard`) on PATH record the argv they got,
which must be exactly the words the wizard meant, hostile characters included."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")

# A dollar, both quotes, a backtick command, history expansion, a backslash, spaces and shell operators.
HOSTILE = """it's "$HOME" `touch pwned` $(touch pwned) !db-1 !! \\ ; & | * ? ~ #x"""
SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-0a1b2c3d-4e5f-AbCdEf"
PROGRAMS = ("aws", "psql", "mysql", "rds-wizard")
MODES = ("script", "history-expansion")


@pytest.fixture()
def shell(tmp_path: Path) -> Any:
    """Run a printed command in bash; return the argv lists the stub programs recorded."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "argv.jsonl"
    stub = (f"#!{sys.executable}\n"
            "import json, os, sys\n"
            "with open(os.environ['ARGV_LOG'], 'a') as log:\n"
            "    log.write(json.dumps([os.path.basename(sys.argv[0]), *sys.argv[1:]]) + '\\n')\n")
    for name in PROGRAMS:
        (bin_dir / name).write_text(stub)
        (bin_dir / name).chmod(0o755)
    work = tmp_path / "work"
    work.mkdir()

    def run(text: str, mode: str, **env: str) -> list[list[str]]:
        log.unlink(missing_ok=True)
        environ = {"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(tmp_path), "ARGV_LOG": str(log), **env}
        if mode == "script":
            done = subprocess.run(["bash", "--norc", "--noprofile", "-c", text], cwd=work, env=environ,
                                  capture_output=True, text=True, timeout=30)
        else:
            # As typed into an interactive bash: the history list and `!` expansion on, line by line.
            done = subprocess.run(["bash", "--norc", "--noprofile", "-s"], cwd=work, env=environ,
                                  input="set -o history -o histexpand\n" + text + "\n",
                                  capture_output=True, text=True, timeout=30)
        assert done.returncode == 0, done.stderr
        assert "event not found" not in done.stderr, done.stderr
        assert not (work / "pwned").exists(), "a command substitution ran"
        if not log.exists():
            return []
        return [json.loads(line) for line in log.read_text().splitlines()]

    return run


def test_the_harness_catches_a_double_quoted_bang(shell: Any) -> None:
    """The check can fail: the old Secrets Manager line dies on `!db` once history expansion is on."""
    broken = f'aws secretsmanager get-secret-value --secret-id "{SECRET_ARN}"'
    assert shell(broken, "script") == [
        ["aws", "secretsmanager", "get-secret-value", "--secret-id", SECRET_ARN]]
    with pytest.raises(AssertionError, match="event not found"):
        shell(broken, "history-expansion")


@pytest.mark.parametrize("mode", MODES)
def test_the_cli_export_sends_every_value_as_given(shell: Any, mode: str) -> None:
    from wizard.exports.cli import render

    tags = [{"Key": "owner", "Value": HOSTILE}, {"Key": "team", "Value": "db"}]
    request = {"DBInstanceIdentifier": "orders-db", "DBInstanceClass": "db.m6g.large", "Engine": "postgres",
               "AllocatedStorage": 100, "MultiAZ": True, "PubliclyAccessible": False,
               "DBName": "orders", "MasterUsername": "postgres", "MasterUserPassword": "never-printed",
               "VpcSecurityGroupIds": ["sg-0123", HOSTILE], "Tags": tags}
    text = render(request, "CreateDBInstance", endpoint_url="http://127.0.0.1:4566/a b!c", region="us-east-1")
    assert "never-printed" not in text
    password = "pw with $dollar `tick` !bang 'quote\""
    [argv] = shell(text, mode, RDS_WIZARD_MASTER_PASSWORD=password)
    assert argv == [
        "aws", "rds", "create-db-instance",
        "--db-instance-identifier", "orders-db", "--db-instance-class", "db.m6g.large",
        "--engine", "postgres",
        "--allocated-storage", "100", "--multi-az", "--no-publicly-accessible", "--db-name", "orders",
        "--master-username", "postgres", "--vpc-security-group-ids", "sg-0123", HOSTILE,
        "--tags", json.dumps(tags, separators=(",", ":")),
        "--master-user-password", password,
        "--region", "us-east-1", "--endpoint-url", "http://127.0.0.1:4566/a b!c",
    ]


def _progress(**fields: Any) -> Any:
    base = {"identifier": "orders-db", "engine": "postgres", "endpoint": "orders-db.abc.rds.amazonaws.com",
            "port": 5432, "master_username": "postgres", "database_name": None, "secret_arn": None,
            "reader_endpoint": None}
    return SimpleNamespace(**(base | fields))


@pytest.mark.parametrize("mode", MODES)
def test_the_connection_summary_lines_run_as_printed(shell: Any, mode: str) -> None:
    from psycopg.conninfo import conninfo_to_dict

    from wizard.aws.provisioning import connection_summary

    gateway = SimpleNamespace(is_demo=False, label="DEMO", endpoint="http://127.0.0.1:4566",
                              client_program=lambda name: f"/opt/demo tools/{name}")
    summary = connection_summary(_progress(master_username=HOSTILE, database_name=HOSTILE,
                                           secret_arn=SECRET_ARN), gateway)
    [psql_line] = summary.examples
    [[program, conninfo]] = shell(psql_line.replace("/opt/demo tools/", ""), mode)
    assert program == "psql"
    assert conninfo_to_dict(conninfo) == {"host": "orders-db.abc.rds.amazonaws.com", "port": "5432",
                                          "user": HOSTILE, "dbname": HOSTILE}
    [secret_line] = [n for n in summary.notes if "get-secret-value" in n]
    assert shell(secret_line.split(": ", 1)[1], mode) == [[
        "aws", "secretsmanager", "get-secret-value", "--secret-id", SECRET_ARN,
        "--endpoint-url", "http://127.0.0.1:4566", "--query", "SecretString", "--output", "text"]]


@pytest.mark.parametrize("mode", MODES)
def test_the_mysql_line_runs_as_printed(shell: Any, mode: str) -> None:
    from wizard.aws.provisioning import connection_examples

    [line] = connection_examples("mysql", "db.example", 3306, HOSTILE, HOSTILE)
    assert shell(line, mode) == [["mysql", "-h", "db.example", "-P", "3306", "-u", HOSTILE, "-p", HOSTILE]]


@pytest.mark.parametrize("mode", MODES)
def test_the_reattach_and_hint_commands_run_as_printed(shell: Any, mode: str) -> None:
    from wizard.aws.errors import explain
    from wizard.aws.provisioning import _capacity_notice
    from wizard.targets import reattach_command, rerun_command

    server = SimpleNamespace(target="demo-server", endpoint="http://127.0.0.1:4566/!x", region="us-east-1")
    assert shell(reattach_command(server, HOSTILE), mode) == [
        ["rds-wizard", "watch", HOSTILE, "--endpoint-url", "http://127.0.0.1:4566/!x",
         "--region", "us-east-1"]]
    aws = SimpleNamespace(target="aws", profile="team !prod", region="eu-west-1")
    assert shell(rerun_command(aws, "failover-test", "orders-db"), mode) == [
        ["rds-wizard", "failover-test", "orders-db", "--profile", "team !prod", "--region", "eu-west-1"]]

    import botocore.exceptions as bx

    error = explain(bx.NoCredentialsError(), profile="team !prod")
    assert error.command is not None
    assert shell(error.command, mode) == [["aws", "sso", "login", "--profile", "team !prod"]]
    hint = _capacity_notice("orders-db", "instance").next_step
    line = hint.split("capacity is back: ", 1)[1].split(" (or", 1)[0]
    assert shell(line, mode) == [["aws", "rds", "modify-db-instance", "--db-instance-identifier", "orders-db",
                                  "--multi-az", "--apply-immediately"]]


def test_one_quoting_helper_single_quotes_what_bash_would_touch() -> None:
    from wizard.shell import command, quote

    assert quote("orders-db") == "orders-db"
    assert quote("") == "''"
    assert quote("rds!db-1") == "'rds!db-1'"
    assert command("aws", "--x", "a b", "it's") == "aws --x 'a b' 'it'\"'\"'s'"
    assert os.linesep not in command("a", "b")


@pytest.mark.parametrize("mode", MODES)
def test_plan_format_cli_runs_as_printed(shell: Any, mode: str, tmp_path: Path) -> None:
    """`rds-wizard plan --format cli` end to end: the endpoint typed with every hostile character, and a
    tag with what AWS allows in one (spaces and `= + : / @`), arrive whole."""
    tag = "team a+b = c:d/e @f"
    endpoint = "http://127.0.0.1:4566/" + HOSTILE
    preset = (Path(__file__).resolve().parents[2] / "presets" / "teaching-demo.toml").read_text()
    preset = preset.replace('purpose = "teaching-demo"', f'purpose = "{tag}"')
    (tmp_path / "hostile.toml").write_text(preset)
    done = subprocess.run([sys.executable, "-m", "wizard", "plan", "--preset", str(tmp_path / "hostile.toml"),
                           "--format", "cli", "--endpoint-url", endpoint, "--region", "us-east-1"],
                          capture_output=True, text=True, timeout=60,
                          env={**os.environ, "RDS_WIZARD_HOME": str(tmp_path / "home")})
    assert done.returncode == 0, done.stderr
    [argv] = shell(done.stdout, mode)
    assert argv[:3] == ["aws", "rds", "create-db-instance"]
    assert json.loads(argv[argv.index("--tags") + 1]) == [{"Key": "purpose", "Value": tag}]
    assert argv[argv.index("--db-instance-identifier") + 1] == "demo-db"
    assert argv[-4:] == ["--region", "us-east-1", "--endpoint-url", endpoint]
