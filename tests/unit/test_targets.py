"""What quitting means is decided once (wizard.targets) from what the gateway talks to, and every front end
says it that way: the embedded demo ends with the wizard, a demo server keeps its databases until it stops,
real AWS keeps creating (and billing) them."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import boto3
import pytest

from wizard.aws.gateway import LABEL_DEMO, Gateway
from wizard.targets import quit_note, reattach_command, target_of

SERVER_URL = "http://127.0.0.1:4566"


def _session() -> Any:
    return boto3.Session(aws_access_key_id="AKIATEST", aws_secret_access_key="test", region_name="us-east-1")


def embedded_demo() -> Gateway:
    return Gateway(_session(), region="us-east-1", profile=None, endpoint_url="http://127.0.0.1:40001",
                   label=LABEL_DEMO, target="demo")


def demo_server() -> Gateway:
    return Gateway(_session(), region="us-east-1", profile=None, endpoint_url=SERVER_URL, label=LABEL_DEMO,
                   target="demo-server")


def real_aws() -> Gateway:
    return Gateway(_session(), region="eu-west-1", profile="prod")


TARGETS = {"demo": embedded_demo, "demo-server": demo_server, "aws": real_aws}


@pytest.mark.parametrize("target", TARGETS)
def test_each_target_has_its_own_quit_note(target: str) -> None:
    gateway = TARGETS[target]()
    assert gateway.target == target
    note = quit_note(gateway, "orders-db", key="Ctrl+Q")
    assert ("lives inside the wizard: quitting ends it" in note) is (target == "demo")
    assert ("until the demo-server stops" in note) is (target == "demo-server")
    assert ("billed until you delete it" in note) is (target == "aws")
    if target == "demo-server":
        assert f"rds-wizard watch orders-db --endpoint-url {SERVER_URL} --region us-east-1" in note
        assert "quitting ends it" not in note
    if target == "aws":
        assert "stops nothing in AWS" in note
        assert "rds-wizard watch orders-db --profile prod --region eu-west-1" in note


def test_a_custom_endpoint_is_neither_the_demo_nor_billed_aws() -> None:
    gateway = Gateway(_session(), region="us-east-1", profile=None, endpoint_url="http://localhost:4510")
    assert gateway.target == "endpoint"
    note = quit_note(gateway, "orders-db", key="Ctrl+C")
    assert "stops nothing at the endpoint" in note and "billed" not in note
    assert "--endpoint-url http://localhost:4510" in note


def test_the_gateways_own_target_wins_over_a_front_ends_demo_flag() -> None:
    """The full-screen wizard passes demo=True for anything labelled DEMO; a demo server is not ended by
    quitting, so its note must not say so."""
    assert target_of(demo_server(), demo=True) == "demo-server"
    assert target_of(SimpleNamespace(label="TEST"), demo=True) == "demo"  # a stand-in: the flag decides
    assert target_of(SimpleNamespace(label="TEST")) == "aws"
    assert reattach_command(embedded_demo(), "orders-db") == "rds-wizard watch orders-db"


@pytest.mark.parametrize("target", TARGETS)
def test_the_line_commands_and_the_full_screen_wizard_say_the_same(target: str) -> None:
    from screens.provisioning import ProvisioningScreen
    from wizard.commands._live import reattach_hint

    gateway = TARGETS[target]()
    assert reattach_hint(gateway, "orders-db") == quit_note(gateway, "orders-db", key="Ctrl+C")
    screen = ProvisioningScreen(gateway, identifier="orders-db", kind=None, demo=target != "aws")
    assert screen.quit_note() == quit_note(gateway, "orders-db", key="Ctrl+Q")


@pytest.mark.parametrize("target", TARGETS)
def test_plain_mode_says_it_before_following(target: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import wizard.aws.provisioning as provisioning
    from wizard.plain_progress import follow_lines

    gateway = TARGETS[target]()
    lines: list[str] = []
    unavailable = SimpleNamespace(outcome="failed", status="failed", updates=[], notices=[])
    monkeypatch.setattr(provisioning, "follow", lambda follower, on_update: unavailable)
    result = SimpleNamespace(identifier="orders-db", follower=lambda gw: None)
    follow_lines(result, gateway, lines.append)  # type: ignore[arg-type]
    assert quit_note(gateway, "orders-db", key="Ctrl+C") in lines[0]
