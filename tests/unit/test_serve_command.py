"""`rds-wizard serve`: demo only, loopback by default, and a clear sentence (exit 2) for what cannot run."""

from __future__ import annotations

import socket

import pytest

from wizard.cli import main
from wizard.commands.serve import tab_command
from wizard.exit_codes import EXIT_USAGE


def test_without_demo_it_refuses(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve"]) == EXIT_USAGE
    assert "add --demo" in capsys.readouterr().err


def test_a_port_in_use_is_a_sentence(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        assert main(["serve", "--demo", "--port", str(port)]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert f"Cannot listen on 127.0.0.1:{port}" in err and "Traceback" not in err


def test_a_bad_host_is_a_sentence(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--demo", "--host", "no-such-host.invalid"]) == EXIT_USAGE
    assert "--host 'no-such-host.invalid' is not an address of this machine" in capsys.readouterr().err


def test_the_tab_command_carries_the_endpoint_and_nothing_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RDS_WIZARD_MASTER_PASSWORD", "canary-password")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "canary-secret")
    command = tab_command("http://127.0.0.1:4566")
    assert command.endswith("-m wizard --endpoint-url http://127.0.0.1:4566")
    assert "canary" not in command
