"""Running a full-screen app from the command line so that quitting is immediate.

An AWS call still in flight (a slow or dead link: minutes of timeouts and retries) is abandoned rather
than waited for; the demo, if it was still starting, is stopped first, and the user is told why the
prompt does not return at once.
"""

from __future__ import annotations

import asyncio
import sys
from typing import Any

from textual.app import App

from screens import messages
from wizard.gateway_holder import GatewayHolder
from wizard.threads import DaemonThreadExecutor

# The demo's start takes a few seconds; a start stuck beyond this is left to the demo's own clean-up
# (its atexit hook and watchdog) rather than holding the terminal.
DEMO_STOP_TIMEOUT_S = 60.0


def run_until_quit(app: App[Any], gateways: GatewayHolder, *, demo: bool) -> None:
    """Run `app` until it quits; then stop a demo still starting (saying so), and return without
    waiting for the app's other worker threads."""
    with asyncio.Runner() as runner:
        loop = runner.get_loop()
        loop.set_default_executor(DaemonThreadExecutor())
        app.run(loop=loop)
    if demo and gateways.opening:
        print(messages.DEMO_STOPPING, file=sys.stderr)
        gateways.wait_until_settled(DEMO_STOP_TIMEOUT_S)
