"""`rds-wizard watch ID --tui`: the provisioning screen following a database created elsewhere."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Static
from tui_support import SlowlyOpeningGateway, until

from screens.provisioning import ProvisioningScreen
from screens.watch import WatchApp


class _NotFound(Exception):
    response = {"Error": {"Code": "DBInstanceNotFound"}}  # noqa: RUF012 - botocore's ClientError shape


class _EmptyRds:
    def describe_db_instances(self, **_: Any) -> Any:
        raise _NotFound()

    def describe_db_clusters(self, **_: Any) -> Any:
        raise _NotFound()


class EmptyGateway:
    """An account with no databases."""

    def client(self, name: str) -> Any:
        return _EmptyRds()

    def resolve(self, host: str) -> list[str]:
        return []


async def test_an_unknown_identifier_is_reported_not_followed() -> None:
    app = WatchApp(EmptyGateway, "nope")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ProvisioningScreen), "the screen")
        screen = app.screen
        assert isinstance(screen, ProvisioningScreen)
        await until(pilot, lambda: any(w.display for w in screen.query("#prov-warning")), "the warning")
        assert "no DB instance or Multi-AZ DB cluster named nope" in str(
            screen.query_one("#prov-warning", Static).render())
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 1


async def test_a_gateway_that_opens_after_quitting_is_closed() -> None:
    factory = SlowlyOpeningGateway(EmptyGateway)
    app = WatchApp(factory, "orders-db", demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+q")
    factory.release.set()
    assert await factory.wait_until_closed()


@pytest.mark.slow
@pytest.mark.timeout(240)
async def test_watch_follows_an_instance_created_elsewhere(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RDS_WIZARD_HOME", str(tmp_path))
    from presets import load_preset
    from wizard.aws.gateway import ConnectionOptions, open_gateway
    from wizard.launch import launch

    spec = load_preset("teaching-demo")

    def gateway_with_a_database() -> Any:
        gateway = open_gateway(ConnectionOptions(demo=True, demo_speed=600.0))
        launch(spec, gateway)  # created "elsewhere": not by this screen
        return gateway

    app = WatchApp(gateway_with_a_database, spec.settings.identifier.upper(), demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ProvisioningScreen), "the screen")
        screen = app.screen
        assert isinstance(screen, ProvisioningScreen)
        await until(pilot, lambda: screen.progress is not None and screen.progress.finished, "available")
        assert screen.progress is not None and screen.progress.outcome == "available"
        assert str(screen.query_one("#prov-title", Static).render()).startswith("Following DB instance")
        assert screen.event_lines and len(screen.event_lines) == len(set(screen.event_lines))
        await pilot.press("escape")
        await pilot.pause()
    assert app.return_code == 0


def test_the_watch_command_has_a_tui_switch() -> None:
    from wizard.cli import build_parser

    args = build_parser().parse_args(["watch", "mydb", "--tui", "--demo"])
    assert isinstance(args, argparse.Namespace) and args.tui and args.identifier == "mydb"
