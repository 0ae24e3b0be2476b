"""The drill choice on the failover screen at 80x24 (issue 16): offered in the demo, run end to end there with
the diagram showing who failed and the roles swapping; not offered on real AWS."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.widgets import RadioSet, Static
from tui_support import typing_ready, until

from presets import load_preset
from screens.failover import FailoverScreen
from screens.widgets.live_topology import LiveTopology
from wizard.aws.provisioning import follow
from wizard.launch import launch

pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]
CSS = Path(__file__).resolve().parents[2] / "screens" / "wizard.tcss"


class Host(App[None]):
    """A bare app with the wizard's styles that opens one screen."""

    CSS_PATH = str(CSS)

    def __init__(self, screen: FailoverScreen) -> None:
        super().__init__()
        self._screen = screen

    def on_mount(self) -> None:
        self.push_screen(self._screen)


@pytest.fixture
def demo_with_instance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("RDS_WIZARD_HOME", str(tmp_path))
    monkeypatch.setenv("RDS_WIZARD_DEMO_SIMULATED_DB", "1")  # the screen is under test, not the servers
    monkeypatch.delenv("RDS_WIZARD_DEMO_FAULTS", raising=False)
    from wizard.aws.gateway import ConnectionOptions, open_gateway

    with open_gateway(ConnectionOptions(demo=True, demo_speed=100)) as gateway:
        spec = load_preset("teaching-demo")
        spec.settings.identifier = "tui-drill-db"
        assert follow(launch(spec, gateway).follower(gateway), lambda _p: None).outcome == "available"
        yield gateway


async def test_the_host_failure_drill_chosen_and_run_on_the_screen(demo_with_instance: Any) -> None:
    gateway = demo_with_instance
    screen = FailoverScreen(gateway, "tui-drill-db", kind="instance")
    app = Host(screen)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: screen.phase == "ready", "the preflight")
        choice = screen.query_one("#fo-drill", RadioSet)
        assert choice.display and len(choice.query("RadioButton")) == 3
        assert screen.drill == "forced"  # today's behaviour is the default
        choice.focus()
        await pilot.press("down", "enter")  # the second choice: host failure
        await until(pilot, lambda: screen.drill == "host-failure" and screen.phase == "ready", "the recheck")
        assert "host-failure drill" in str(screen.query_one("#fo-phase", Static).render())
        assert "killed (SIGKILL" in str(screen.query_one("#fo-what", Static).render())
        before = screen.preflight.target.primary_az if screen.preflight else None
        notes: list[str] = []
        topology = screen.query_one("#fo-topology", LiveTopology)
        original = topology.mark_failed

        def spy(az: str, word: str, note: str = "") -> None:
            notes.append(f"{az} {word} {note}")
            original(az, word, note)

        topology.mark_failed = spy  # type: ignore[method-assign]
        await pilot.press("s")
        await until(pilot, lambda: typing_ready(app), "the confirmation")
        await pilot.press(*"tui-drill-db", "enter")
        await until(pilot, lambda: screen.phase == "done", "the report", timeout_s=60)
        assert screen.report is not None and screen.report.drill == "host-failure"
        assert screen.report.verdict == "pass" and screen.report.az_swapped
        assert notes and notes[0].startswith(f"{before} ✗ HOST DOWN")
        assert topology.primary_az != before and before in topology.standby_azs
        text = str(screen.query_one("#fo-report", Static).render())
        assert "Drill: host failure" in text and "Detection" in text


class _RealAws:
    """What the screen asks of a gateway to real AWS before the preflight (scripted below)."""

    is_demo = False
    time_scale = 1.0
    target = "aws"

    def client(self, name: str) -> Any:
        raise AssertionError("the scripted preflight makes no AWS call")

    def resolve(self, host: str) -> list[str]:
        return []


async def test_real_aws_offers_no_drill_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    import wizard.aws.failover as core
    from wizard.aws.failover import Check, Preflight, Target

    target = Target("prod-db", "instance", "postgres", "available", True, "us-east-1a", ("us-east-1b",),
                    None, 5432, None, "postgres", None)
    asked: list[str] = []

    def scripted(*_a: Any, drill: str = "forced", **_k: Any) -> Preflight:
        asked.append(drill)
        return Preflight(target, [Check("multi-az", "Multi-AZ", "ok", "Multi-AZ.")], False, None, 1.0, False,
                         ["RDS reboots the primary with failover."])

    monkeypatch.setattr(core, "preflight", scripted)
    screen = FailoverScreen(_RealAws(), "prod-db", kind="instance")  # type: ignore[arg-type]
    async with Host(screen).run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: screen.phase == "ready", "the preflight")
        assert not screen.query_one("#fo-drill", RadioSet).display
        assert not screen.query_one("#fo-drill-title").display
        assert asked == ["forced"] and screen.offered == ("forced",)
