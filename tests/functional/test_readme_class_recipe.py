"""The README's "class in front of the demo" recipe, run verbatim in a fresh shell: no AWS credentials,
profile or region anywhere, HOME an empty folder. The lines are read from README.md itself, so the test
breaks when the README drifts; only the port changes, and only when the README's is taken here."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from demo_support import wait_for

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

ROOT = Path(__file__).resolve().parents[2]
SECTION = "### A class in front of the demo"


def recipe_lines() -> list[str]:
    """The commands of the README's class recipe, in order, each with its comment."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert SECTION in text, "the README lost its class recipe"
    block = re.search(r"```sh\n(.*?)```", text[text.index(SECTION):], re.S)
    assert block is not None, "the class recipe has no ```sh block"
    return [line for line in block.group(1).splitlines() if line.strip()]


def _port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def fresh_environment(home: Path) -> dict[str, str]:
    """A new login's environment: PATH (without this project's virtual environment), an empty HOME, and
    nothing of AWS or of the wizard."""
    venv_bin = str(ROOT / ".venv" / "bin")
    path = os.pathsep.join(p for p in os.environ.get("PATH", "/usr/bin:/bin").split(os.pathsep)
                           if p and p != venv_bin)
    return {"PATH": path, "HOME": str(home), "LANG": "C.UTF-8", "PYTHONUNBUFFERED": "1"}


class Recipe:
    """The three lines, with the README's port (or a free one in its place)."""

    def __init__(self, home: Path) -> None:
        self.serve, self.cli, self.wizard = recipe_lines()
        match = re.search(r"--port (\d+)", self.serve)
        assert match is not None, self.serve
        readme_port = int(match.group(1))
        self.port = readme_port if _port_is_free(readme_port) else _free_port()
        if self.port != readme_port:
            self.serve, self.cli, self.wizard = (
                re.sub(rf"\b{readme_port}\b", str(self.port), line)
                for line in (self.serve, self.cli, self.wizard))
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = fresh_environment(home)
        self.server_output: list[str] = []

    def start(self, line: str, stdin: int | None = subprocess.DEVNULL) -> subprocess.Popen[str]:
        return subprocess.Popen(["bash", "-c", line], cwd=ROOT, env=self.env, stdin=stdin,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                start_new_session=True)

    def run(self, line: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(["bash", "-c", line], cwd=ROOT, env=self.env, input=stdin, capture_output=True,
                              text=True, timeout=120)


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/rds-wizard-demo/info", timeout=1) as reply:
            return bool(json.load(reply).get("demo"))
    except OSError:
        return False


@pytest.fixture()
def recipe(tmp_path: Path) -> Iterator[Recipe]:
    home = tmp_path / "home"
    home.mkdir()
    recipe = Recipe(home)
    server = recipe.start(recipe.serve)
    assert server.stdout is not None
    # Read as it comes, so the server never blocks on a full pipe while it prints its events.
    threading.Thread(target=lambda: recipe.server_output.extend(server.stdout or ()), daemon=True).start()
    try:
        wait_for("the demo server to answer", lambda: _answers(recipe.url) or server.poll() is not None,
                 timeout=120)
        assert server.poll() is None, server.communicate()[0]
        yield recipe
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGINT)  # Ctrl+C in terminal 1: the server stops cleanly
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()


def test_the_readme_names_a_port_in_every_line() -> None:
    serve, cli, wizard = recipe_lines()
    port = re.search(r"--port (\d+)", serve)
    assert port is not None
    assert f"127.0.0.1:{port.group(1)}" in cli and f"127.0.0.1:{port.group(1)}" in wizard


def test_the_class_recipe_works_verbatim_in_a_fresh_shell(recipe: Recipe) -> None:
    # Terminal 2: the AWS CLI, with no credentials configured anywhere.
    events = recipe.run(recipe.cli)
    assert events.returncode == 0, events.stdout + events.stderr
    assert isinstance(json.loads(events.stdout)["Events"], list)

    # Terminal 3, exactly as written; without a terminal the wizard asks line by line, and the end of
    # its input stops it at the first question, once it is connected.
    wizard = recipe.run(recipe.wizard)
    assert wizard.returncode == 130, wizard.stdout + wizard.stderr
    assert "Connected: DEMO · account" in wizard.stdout and recipe.url in wizard.stdout, wizard.stdout
    for wrong in ("sso login", "credentials", "No AWS region"):
        assert wrong not in wizard.stdout + wizard.stderr


def test_a_database_the_wizard_creates_there_outlives_the_wizard(recipe: Recipe) -> None:
    """The same wizard line with a preset (straight to Review): Launch, the identifier typed, then Ctrl+C
    while it is followed. The note says the demo server keeps it, and the AWS CLI still sees it."""
    wizard = recipe.start(recipe.wizard.split("#")[0] + " --preset teaching-demo", stdin=subprocess.PIPE)
    assert wizard.stdin is not None and wizard.stdout is not None
    wizard.stdin.write("1\ndemo-db\n")  # What next? 1) Launch; then the identifier
    wizard.stdin.close()  # any further question ends the wizard instead of waiting
    following, said = "", []
    for line in wizard.stdout:
        said.append(line)
        if line.startswith("Following demo-db"):
            following = line
            break
    assert following, "the wizard never started following the create:\n" + "".join(said)
    assert "stops nothing on the demo server: demo-db lives there until the demo-server stops" in following
    assert f"rds-wizard watch demo-db --endpoint-url {recipe.url} --region us-east-1" in following
    assert "quitting ends it" not in following
    os.killpg(wizard.pid, signal.SIGINT)
    assert wizard.wait(timeout=60) == 130

    listed = recipe.run(recipe.cli.split("#")[0].replace("describe-events", "describe-db-instances"))
    assert listed.returncode == 0, listed.stderr
    assert [db["DBInstanceIdentifier"] for db in json.loads(listed.stdout)["DBInstances"]] == ["demo-db"]


def test_the_lines_the_demo_server_prints_work_when_pasted(recipe: Recipe) -> None:
    """Its AWS CLI lines (with `aws` on PATH, as it assumes) and its wizard line, pasted as printed."""
    printed = wait_for("the server's lines to paste",
                       lambda: "".join(recipe.server_output) if any("rds-wizard --endpoint-url" in line
                                                                  for line in recipe.server_output) else None)
    pasted = [line.strip() for line in printed.splitlines() if line.startswith("  ")]
    export = next(line for line in pasted if line.startswith("export AWS_ACCESS_KEY_ID="))
    cli = next(line for line in pasted if line.startswith("aws rds "))
    wizard = next(line for line in pasted if line.startswith("rds-wizard "))
    with_tools = {**recipe.env, "PATH": f"{ROOT / '.venv' / 'bin'}{os.pathsep}{recipe.env['PATH']}"}
    listed = subprocess.run(["bash", "-c", f"{export}\n{cli}"], cwd=ROOT, env=with_tools, capture_output=True,
                            text=True, timeout=120)
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout)["DBInstances"] == []
    connected = subprocess.run(["bash", "-c", wizard], cwd=ROOT, env=with_tools, input="",
                               capture_output=True, text=True, timeout=120)
    assert "Connected: DEMO · account" in connected.stdout, connected.stdout + connected.stderr
