"""The screens say what the core says while AWS is silent: the provisioning screen's log and, after the
ride-out, the command that resumes; the failover screen's timeline; watch --tui's report of an endpoint
that never answers. Real followers and failover tests against scripted RDSs that stop answering."""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import RichLog, Static
from tui_support import until

from screens.provisioning import ProvisioningScreen
from wizard.aws.provisioning import Follower
from wizard.aws.waits import WaitPolicy, stall_line

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit"))
from test_tui_launch_screens import Host
from test_waits import DROPPED, FakeGateway, FlakyRds


async def test_a_silence_is_said_in_the_log_and_the_resume_command_shown() -> None:
    gateway = FakeGateway(FlakyRds(silent=10_000))
    follower = Follower(gateway, "db1", just_created=True, policy=WaitPolicy(0.2, 1.0, 0.05),
                        events_since=datetime.now(UTC) - timedelta(minutes=1))
    app = Host(lambda: ProvisioningScreen(gateway, follower=follower, demo=False))  # type: ignore[arg-type]
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, ProvisioningScreen)
        await until(pilot, lambda: screen.progress is not None and screen.progress.finished, "giving up")
        log_text = "\n".join(strip.text for strip in screen.query_one("#prov-events", RichLog).lines)
        assert stall_line(0.2) in log_text and stall_line(0.4) in log_text
        warning = screen.query_one("#prov-warning", Static)
        assert warning.display and "rds-wizard watch db1" in str(warning.render())


async def test_watch_tui_reports_an_endpoint_that_never_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    from silent_endpoint import SilentEndpoint

    from screens.watch import WatchApp
    from wizard.aws.gateway import ConnectionOptions, open_gateway

    for name in list(os.environ):
        if name.startswith("AWS_") or name.lower() in ("http_proxy", "https_proxy", "all_proxy"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIATESTTESTTESTTEST")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test-secret")
    with SilentEndpoint() as silent:
        options = ConnectionOptions(endpoint_url=silent.url, region="eu-west-1")
        app = WatchApp(lambda: open_gateway(options), "orders-db")
        async with app.run_test(size=(80, 24)) as pilot:
            status = app.query_one("#watch-status", Static)
            await until(pilot, lambda: "No answer from" in str(status.render()), "the report")
            shown = str(status.render())
            assert silent.url in shown and "(eu-west-1)" in shown and "HTTPS_PROXY" in shown
            await pilot.press("ctrl+q")


@pytest.mark.slow
async def test_the_failover_screen_says_a_stall_and_carries_on(monkeypatch: pytest.MonkeyPatch,
                                                             tmp_path: Path) -> None:
    """A real 21 s silence (the default policy speaks at 20 s) while the failover is measured."""
    import time

    from test_failover_flow import Gateway, ScriptedFailover
    from tui_support import typing_ready

    from screens.failover import FailoverScreen
    from wizard.aws import failover

    monkeypatch.setenv("RDS_WIZARD_HOME", str(tmp_path))
    monkeypatch.setattr(failover, "WARM_UP_SECONDS", 0.0)
    monkeypatch.setattr(failover, "POST_ROLL_SECONDS", 0.0)

    class SilentAfterTheRequest(ScriptedFailover):
        dropped_until = 0.0

        def reboot_db_instance(self, **kwargs: Any) -> dict[str, Any]:
            self.dropped_until = time.monotonic() + 21.0
            return super().reboot_db_instance(**kwargs)

        def describe_events(self, **kwargs: Any) -> dict[str, Any]:
            if time.monotonic() < self.dropped_until:
                raise DROPPED
            return super().describe_events(**kwargs)

    rds = SilentAfterTheRequest([("rebooting", "us-east-1a", []),
                                 ("available", "us-east-1b", ["Multi-AZ instance failover completed."])])
    app = Host(lambda: FailoverScreen(Gateway(rds), "db1", kind="instance"))  # type: ignore[arg-type]
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, FailoverScreen)
        await until(pilot, lambda: screen.phase == "ready", "the preflight")
        await pilot.press("s")
        await until(pilot, lambda: typing_ready(app), "the confirmation")
        await pilot.press(*"db1", "enter")
        await until(pilot, lambda: screen.phase == "done", "the report")
        log_text = "\n".join(strip.text for strip in screen.query_one("#fo-timeline", RichLog).lines)
        assert stall_line(20) in log_text and "AWS answers again after" in log_text
        assert screen.report is not None and screen.report.verdict == "pass"
