"""`rds-wizard serve --demo` in a real browser: Debian's Chromium, headless, driven by Playwright.

The page loads, the six steps are walked by keyboard, a launch is confirmed by typing the identifier, and
the launched instance is then on the demo every tab shares (so the provisioning screen has something to
follow); a screenshot of that screen is kept next to the test's temporary files for a person to look at.
`./run test` installs chromium when it is missing and it can (root); otherwise this test skips, saying so.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from wizard.childenv import child_environment

CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed and this user cannot install it "
                             "(`./run test` installs it when run as root): apt-get install chromium")
IDENTIFIER = "browser-db"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """(page URL, shared demo endpoint) of a `serve --demo` with its own empty home (no old drafts)."""
    port = _free_port()
    env = child_environment()
    env.update(HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "data"),
               XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_STATE_HOME=str(tmp_path / "state"),
               XDG_CACHE_HOME=str(tmp_path / "cache"))
    process = subprocess.Popen([sys.executable, "-m", "wizard", "serve", "--demo", "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    try:
        assert process.stdout is not None
        endpoint = ""
        deadline = time.monotonic() + 60
        while not endpoint and time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            found = re.search(r"shares the demo at (http://\S+)\)", line)
            endpoint = found.group(1) if found else ""
        assert endpoint, "serve --demo never said where it serves"
        yield f"http://127.0.0.1:{port}/", endpoint
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_six_steps_by_keyboard_then_launch_in_the_browser(served: tuple[str, str], tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    url, endpoint = served
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto(url)
            # textual-serve hides its intro once the tab's wizard has drawn its first screen.
            page.wait_for_selector(".intro-dialog", state="hidden", timeout=60_000)
            page.locator("#terminal").click()
            page.keyboard.press("Control+n")  # Engine -> Instance (the template's defaults pass)
            time.sleep(1)
            page.keyboard.type(IDENTIFIER)  # the identifier field has the focus on arrival
            for _ in range(4):  # Instance -> Availability -> Network -> Backup -> Review
                page.keyboard.press("Control+n")
                time.sleep(1)
            page.keyboard.press("Control+p")  # Review has no Next: Launch from the command palette
            time.sleep(1)
            page.keyboard.type("Launch")
            time.sleep(1)
            page.keyboard.press("Enter")  # behind the typed confirmation
            time.sleep(1.5)
            page.keyboard.type(IDENTIFIER)
            page.keyboard.press("Enter")
            instances = _wait_for_instance(endpoint)
            time.sleep(2)
            page.screenshot(path=str(tmp_path / "provisioning.png"))
        finally:
            browser.close()
    assert [db["DBInstanceIdentifier"] for db in instances] == [IDENTIFIER]
    assert instances[0]["DBInstanceStatus"] in ("creating", "backing-up", "available")


def _wait_for_instance(endpoint: str) -> list[dict[str, object]]:
    import boto3

    rds = boto3.client("rds", endpoint_url=endpoint, region_name="us-east-1",
                       aws_access_key_id="demo", aws_secret_access_key="demo")
    deadline = time.monotonic() + 30
    while True:
        listed: list[dict[str, object]] = rds.describe_db_instances()["DBInstances"]
        if listed or time.monotonic() > deadline:
            return listed
        time.sleep(0.5)
