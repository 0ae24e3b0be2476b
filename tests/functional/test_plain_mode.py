"""The plain front end driven through every step with keystrokes (prompt_toolkit pipe input), against the
demo: wrong answers and their messages, Review with the CLI command, Save as preset, Ctrl+C with a draft,
resume, and a launch followed to the end.

Every test closes the pipe after its keystrokes: a prompt still waiting then ends with EOF (the wizard
exits 130) instead of hanging, and `pytest.mark.timeout` guards the rest.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from wizard.plain import LinePrompter, QuestionaryPrompter, run_plain

pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]

ENTER = "\r"
DOWN = "\x1b[B"
CLEAR = "\x15"  # Ctrl+U: erase the prefilled answer
CTRL_C = "\x03"
PASSWORD = "Canary-Pw-91c2e7"


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Drafts, presets and reports under a temporary folder, never the real home."""
    monkeypatch.setenv("RDS_WIZARD_HOME", str(tmp_path))
    monkeypatch.delenv("RDS_WIZARD_DEMO_FAULTS", raising=False)
    yield tmp_path


def _args(**extra: object) -> argparse.Namespace:
    base: dict[str, object] = {"demo": True, "demo_speed": 2000.0, "profile": None, "region": None,
                               "endpoint_url": None, "preset": None, "plain": True, "command": None}
    return argparse.Namespace(**(base | extra))


def drive(keys: list[str], capsys: pytest.CaptureFixture[str], **args: object) -> tuple[int, str]:
    """Run the plain wizard with these keystrokes; its exit code and everything it printed."""
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        pipe.send_text("".join(keys))
        pipe.close()
        code = run_plain(_args(**args), prompter=QuestionaryPrompter())
    return code, capsys.readouterr().out


def text(value: str) -> str:
    """Replace a prefilled text answer with `value`."""
    return CLEAR + value + ENTER


ENGINE_STEP = [
    ENTER,            # template: none
    ENTER,            # engine: PostgreSQL
    ENTER,            # version: RDS's default
    "n",              # no advanced settings (license model)
]
INSTANCE_STEP = [
    text("1bad"),     # wrong: identifier starts with a digit
    text("orders-db"),
    ENTER,            # master username: postgres
    DOWN, ENTER,      # credentials: self-managed
    PASSWORD + ENTER, "Not-the-same-1" + ENTER,   # wrong: the two entries differ
    PASSWORD + ENTER, PASSWORD + ENTER,
    ENTER,            # class: db.m6g.large
    ENTER,            # storage: gp3
    text("5"),        # wrong: too small for gp3
    text("100"),
    ENTER,            # IOPS: baseline
    text("101"),      # wrong: autoscaling maximum under allocated + 10%
    text("200"),
    "n",              # no advanced settings
]
AVAILABILITY_STEP_CLUSTER = [
    DOWN, ENTER,      # wrong for db.m6g.large: a Multi-AZ DB cluster
]
NETWORK_STEP = [
    ENTER,            # VPC: the default one
    ENTER,            # subnet group: default
    "n",              # public access: off
    ENTER,            # security groups: none picked
    text("80"),       # wrong: port below 1150
    text("5432"),
    "n",              # no advanced settings
]
BACKUP_STEP = [
    text("40"),       # wrong: retention above 35 days
    text("7"),
    text("03:00-03:10"),   # wrong: shorter than 30 minutes
    text("03:00-03:30"),
    text("sun:05:00-sun:05:30"),
    "y",              # auto minor version upgrade
    text("orders"),   # initial database
    "y",              # deletion protection
    "y",              # encryption
    "n",              # no advanced settings
]


def test_every_step_with_a_wrong_answer_each_then_save_as_preset(capsys: pytest.CaptureFixture[str],
                                                                 home: Path) -> None:
    review_fix_class = [
        ENTER,                        # What next? preselected: Change a step
        ENTER,                        # Which step? preselected: Instance details (the error's step)
        ENTER, ENTER, ENTER,          # identifier, username, credentials kept
        PASSWORD + ENTER, PASSWORD + ENTER,
        "db.m6gd.large", ENTER,       # the class, found by typing in the long list
        ENTER, ENTER, ENTER,          # storage type, size, IOPS kept
        text(""),                     # a Multi-AZ DB cluster has no autoscaling maximum at create
        "n",
    ]
    save_then_quit = [
        DOWN, ENTER,                  # What next? Save as preset (after Launch)
        text("orders-preset"),
        DOWN, DOWN, DOWN, ENTER,      # What next? Quit
    ]
    keys = (ENGINE_STEP + INSTANCE_STEP + AVAILABILITY_STEP_CLUSTER + NETWORK_STEP + BACKUP_STEP
            + review_fix_class + save_then_quit)
    code, out = drive(keys, capsys)
    assert code == 0, out
    # One message per wrong answer, naming the setting and the fix.
    assert "DB instance identifier '1bad' may contain only letters, digits and hyphens" in out
    assert "Master password: the two entries differ" in out
    assert "Allocated storage 5 GiB is outside what PostgreSQL allows on gp3" in out
    assert "Autoscaling maximum 101 GiB must be at least 10% above" in out
    assert "Instance details: DB instance class db.m6g.large cannot run a Multi-AZ DB cluster" in out
    assert "A Multi-AZ DB cluster cannot set an autoscaling maximum" in out
    assert "Port 80 is outside 1150-65535" in out
    assert "Backup retention 40 days" in out
    assert "Backup window 03:00-03:10 lasts 10 min" in out
    # The steps in order, then Review with the equivalent command.
    positions = [out.index(f"Step {n} of 6") for n in range(1, 7)]
    assert positions == sorted(positions)
    # Availability teaches the standby beside the read replica newcomers confuse it with.
    assert positions[2] < out.index("Standby or read replica?") < positions[3]
    assert "Multi-AZ standby" in out and "what it had not replayed" in out
    assert "aws rds create-db-cluster" in out
    assert "--db-cluster-instance-class db.m6gd.large" in out
    assert '--master-user-password "$RDS_WIZARD_MASTER_PASSWORD"' in out
    assert "--endpoint-url http://127.0.0.1:" in out
    # The preset holds the answers, never the password; nor does anything printed.
    preset = home / "config" / "presets" / "orders-preset.toml"
    assert preset.is_file(), out
    saved = preset.read_text()
    assert "orders-db" in saved and "db.m6gd.large" in saved
    assert PASSWORD not in saved
    assert PASSWORD not in out
    for path in home.rglob("*"):
        if path.is_file():
            assert PASSWORD not in path.read_text(errors="replace"), path


def test_ctrl_c_keeps_a_draft_without_the_password_and_a_relaunch_resumes(
        capsys: pytest.CaptureFixture[str], home: Path) -> None:
    keys = [*ENGINE_STEP, text("draft-db"), ENTER, DOWN, ENTER, PASSWORD + ENTER, PASSWORD + ENTER, CTRL_C]
    code, out = drive(keys, capsys)
    assert code == 130, out
    assert "kept as a draft" in out
    drafts = [p for p in home.rglob("*") if p.is_file()]
    assert drafts, "no draft was written"
    assert any("draft-db" in p.read_text() for p in drafts)
    assert all(PASSWORD not in p.read_text() for p in drafts)

    # The relaunch offers to resume at the step that was interrupted, with the answers kept.
    code, out = drive(["y", ENTER, ENTER, CTRL_C], capsys)
    assert code == 130, out
    assert "Found an unfinished wizard saved" in out
    assert "Step 1 of 6" not in out
    assert "Step 2 of 6: Instance details" in out


def test_launch_is_followed_to_available(capsys: pytest.CaptureFixture[str]) -> None:
    keys = [
        DOWN, DOWN, DOWN, DOWN, DOWN, ENTER,          # template: Teaching demo
        ENTER, ENTER, "n",                             # engine, version from the template
        text("launch-db"), ENTER, ENTER, ENTER, ENTER, ENTER, ENTER, ENTER, "n",
        ENTER,                                         # deployment from the template
        ENTER, ENTER, "n", ENTER, ENTER, "n",          # network
        ENTER, ENTER, ENTER, "y", ENTER, "n", "y", "n",  # backup and more
        ENTER,                                         # What next? Launch
        "launch-db" + ENTER,                           # the identifier, typed to create it
        "n",                                           # no failover test now
    ]
    code, out = drive(keys, capsys)
    assert code == 0, out
    assert "This creates the DB instance launch-db in DEMO" in out
    assert "Applied the template teaching-demo" in out
    assert "Creating the DB instance launch-db" in out
    assert "launch-db is available." in out
    assert "Endpoint: launch-db." in out
    assert "Later: rds-wizard failover-test" not in out  # the demo ends with this process


def test_piped_answers_use_numbered_lines(capsys: pytest.CaptureFixture[str], home: Path) -> None:
    import io

    answers = "\n".join([
        "99", "", "", "", "",               # wrong template number, then the engine step's defaults
        "9bad", "piped-db", "", "99", "", "", "", "", "", "", "",  # wrong identifier, wrong number
        "", "", "", "", "", "", "", "",     # availability, network
        "", "", "", "", "", "", "", "", "",  # backup and more
        "3", "1", "", "", "", "", "", "", "", "", "", "",  # Change a step: Engine, kept
        "4",                                # Quit
    ]) + "\n"
    prompter = LinePrompter(io.StringIO(answers), sys.stdout)
    code = run_plain(_args(), prompter=prompter)
    out = capsys.readouterr().out
    assert code == 0, out
    assert "DB instance identifier '9bad'" in out
    assert "Type one of the available numbers" in out
    assert "aws rds create-db-instance" in out


def test_plain_mode_never_imports_textual(home: Path) -> None:
    script = (
        "import sys\n"
        "from wizard.cli import main\n"
        "code = main(['--demo', '--demo-speed', '2000', '--plain'])\n"
        "assert code == 130, code\n"
        "loaded = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print('TEXTUAL', loaded)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], input="\n\n\n\nno-textual-db\n", text=True,
                          capture_output=True, timeout=120,
                          env=os.environ | {"RDS_WIZARD_HOME": str(home), "TERM": "dumb"})
    assert done.returncode == 0, done.stdout + done.stderr
    assert "TEXTUAL []" in done.stdout
    draft = json.dumps([p.read_text() for p in home.rglob("*") if p.is_file()])
    assert "no-textual-db" in draft


def test_launch_then_the_failover_test_as_lines(capsys: pytest.CaptureFixture[str], home: Path) -> None:
    import io

    answers = "\n".join([
        "6", "", "", "n",                   # template: Teaching demo; engine and version from it
        "fo-db", "", "", "", "", "", "", "", "n",
        "",                                 # deployment
        "", "", "", "", "", "n",            # network
        "", "", "", "y", "", "n", "y", "n",  # backup and more
        "1", "fo-db",                       # Launch, confirmed by the identifier
        "y", "", "fo-db",                   # the failover test: the default (forced) drill, confirmed
    ]) + "\n"
    code = run_plain(_args(), prompter=LinePrompter(io.StringIO(answers), sys.stdout))
    out = capsys.readouterr().out
    assert code == 0, out
    assert "fo-db is available." in out
    assert "[ok] Multi-AZ" in out
    assert "Which failover drill? [1) Forced failover" in out and "Type fo-db to force the failover" in out
    assert "Verdict: PASS" in out and "Drill: forced" in out
    assert "Report saved:" in out
    reports = list((home / "data" / "reports").glob("failover-fo-db-*.md"))
    assert reports, out


def test_two_enters_at_review_create_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    """Enter picks Launch; the next Enter is not a yes: the identifier must be typed."""
    code, out = drive([ENTER, ENTER, DOWN, DOWN, DOWN, ENTER], capsys, preset="teaching-demo")
    assert code == 0, out  # back at Review, then Quit
    assert "This creates the DB instance demo-db in DEMO" in out and "Not created." in out
    assert "Creating the DB" not in out


def test_a_preset_goes_straight_to_review(capsys: pytest.CaptureFixture[str]) -> None:
    import io

    prompter = LinePrompter(io.StringIO("4\n"), sys.stdout)
    code = run_plain(_args(preset="production-postgres"), prompter=prompter)
    out = capsys.readouterr().out
    assert code == 0, out
    assert "Step 1 of 6" not in out
    assert "Step 6 of 6: Review" in out
    assert "--db-instance-identifier prod-postgres" in out
