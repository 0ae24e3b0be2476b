"""An identifier typed on the command line is checked before any AWS call: a value RDS could never have
named is refused with exit 2, shown escaped, and the command never starts."""

from __future__ import annotations

import subprocess
import sys

import pytest

BAD = ["x\x1b[2Jy", "1db", "ab--c", "db-", "a b", "db;rm", "x" * 64, "\u202eevil", "db/../x"]


@pytest.mark.parametrize("command", ["watch", "failover-test", "modify --multi-az", "reboot",
                                     "delete --skip-final-snapshot"])
@pytest.mark.parametrize("identifier", BAD)
def test_an_impossible_identifier_is_refused_before_anything_runs(command: str, identifier: str) -> None:
    argv = [sys.executable, "-m", "wizard", *command.split(), identifier, "--endpoint-url",
            "http://127.0.0.1:9"]
    result = subprocess.run(argv, capture_output=True, text=True, timeout=60, errors="replace")
    assert result.returncode == 2
    assert "argument ID: ID " in result.stderr and "rds-wizard list" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert "\x1b" not in result.stderr and "\u202e" not in result.stderr


def test_a_valid_identifier_passes_the_check() -> None:
    from wizard.cli import build_parser

    args = build_parser().parse_args(["watch", "Orders-DB-1"])
    assert args.identifier == "Orders-DB-1"
