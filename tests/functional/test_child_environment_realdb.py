"""The processes the real-PostgreSQL demo leaves running (watchdog, servers) hold none of our secrets."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from wizard.demo.realdb import realdb_available

SECRETS = {"RDS_WIZARD_MASTER_PASSWORD": "Marker-pass-4417",
           "AWS_SECRET_ACCESS_KEY": "marker-secret-key-9981",
           "AWS_SESSION_TOKEN": "marker-session-token-5512"}

# Runs in its own process, so the watchdog is started here, with the secrets in its parent's environment.
_SCRIPT = textwrap.dedent("""
    import json, os, socket
    from pathlib import Path
    from wizard.demo.realdb import PostgresPair, _leftovers

    def descendants(pid):
        found = []
        for child in _leftovers.children_of(pid):
            found += [child, *descendants(child)]
        return found

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with PostgresPair.create(None, ("127.0.0.1", port), None, "someone", "Demo-pass-7731"):
        seen = {}
        for pid in descendants(os.getpid()):
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\\0", b" ").decode()
                environ = Path(f"/proc/{pid}/environ").read_bytes().decode(errors="replace")
            except OSError:
                continue
            seen[pid] = {"cmd": cmdline, "environ": environ}
    print(json.dumps(seen))
""")


def test_no_child_of_the_demo_inherits_the_password_or_aws_secret_keys() -> None:
    ok, reason = realdb_available()
    if not ok or not os.path.exists("/proc/self/environ"):
        pytest.skip(reason or "no /proc")
    result = subprocess.run([sys.executable, "-c", _SCRIPT], capture_output=True, text=True, timeout=120,
                            env={**os.environ, **SECRETS})
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    commands = [info["cmd"] for info in seen.values()]
    assert any("--watch" in cmd for cmd in commands), commands  # the watchdog that outlives a killed wizard
    assert any("postgres" in cmd and " -D " in cmd for cmd in commands), commands
    for info in seen.values():
        for name, value in SECRETS.items():
            assert value not in info["environ"] and f"{name}=" not in info["environ"], info["cmd"]
