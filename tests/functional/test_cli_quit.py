"""`rds-wizard` in a terminal: Ctrl+Q ends the program at once, even while an AWS call hangs on a dead link
(boto3 would wait its read timeout times its attempts: minutes)."""

from __future__ import annotations

import contextlib
import fcntl
import os
import select
import socket
import struct
import subprocess
import sys
import termios
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

CTRL_Q, RIGHT, ENTER = b"\x11", b"\x1b[C", b"\r"


class DeadEndpoint:
    """Accepts connections and never answers, as a link that went dead after the handshake; keeps the
    first line of each request."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.connections: list[socket.socket] = []
        self.requests: list[bytes] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            self.connections.append(connection)
            threading.Thread(target=self._listen, args=(connection,), daemon=True).start()

    def _listen(self, connection: socket.socket) -> None:
        with contextlib.suppress(OSError):
            self.requests.append(connection.recv(1 << 16).split(b"\r\n", 1)[0])

    def aws_calls(self) -> list[bytes]:
        """The requests that were AWS API calls (not the wizard asking whether this is its demo server)."""
        return [request for request in self.requests if b"rds-wizard-demo" not in request]

    def close(self) -> None:
        for connection in self.connections:
            connection.close()
        self.server.close()


def _read_until(master: int, seen: bytearray, done: Callable[[], bool], what: str) -> None:
    """Keep reading the terminal (a full pty would stall the app) until `done()`; 60 s at most."""
    for _ in range(300):
        if done():
            return
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                seen.extend(os.read(master, 1 << 16))
            except OSError:
                break
    raise AssertionError(f"never saw {what}; last output: {bytes(seen[-400:])!r}")


@pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal test")
def test_quitting_does_not_wait_for_an_aws_call_that_hangs(tmp_path: Path) -> None:
    endpoint = DeadEndpoint()
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = dict(os.environ, RDS_WIZARD_HOME=str(tmp_path), TERM="xterm-256color",
               AWS_ACCESS_KEY_ID="AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY="not-a-secret",
               AWS_CONFIG_FILE=str(tmp_path / "none"))
    wizard = Path(sys.executable).parent / "rds-wizard"
    process = subprocess.Popen([str(wizard), "--region", "us-east-1", "--endpoint-url",
                                f"http://127.0.0.1:{endpoint.port}"],
                               stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True)
    os.close(slave)
    seen = bytearray()
    try:
        _read_until(master, seen, lambda: b"Step 1 of 6" in seen, "the first screen")
        # An AWS call is on its way (the identity, the catalog): the dead endpoint holds it.
        _read_until(master, seen, lambda: bool(endpoint.aws_calls()), "an AWS call")
        os.write(master, CTRL_Q)
        _read_until(master, seen, lambda: b"Quit the wizard?" in seen, "the quit dialog")
        os.write(master, RIGHT + ENTER)  # "Discard and quit"
        # Without the fix the process lives on until boto3 gives up (30 s read timeout, 5 attempts).
        assert process.wait(timeout=60) == 0
    finally:
        if process.poll() is None:
            os.killpg(process.pid, 9)
            process.wait()
        os.close(master)
        endpoint.close()
