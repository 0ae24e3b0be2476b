"""The provisioning screen says what the core says while AWS is silent, and after the ride-out shows the
command that resumes (a real follower against a scripted RDS that stops answering)."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from textual.widgets import RichLog, Static
from tui_support import until

from screens.provisioning import ProvisioningScreen
from wizard.aws.provisioning import Follower
from wizard.aws.waits import WaitPolicy, stall_line

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit"))
from test_tui_launch_screens import Host
from test_waits import FakeGateway, FlakyRds


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
