"""GatewayHolder: a gateway is closed exactly once, whether it opens before or after the app stops;
DaemonThreadExecutor: work still running never holds up the exit."""

from __future__ import annotations

import subprocess
import sys
import threading

import pytest

from wizard.gateway_holder import GatewayHolder


class Recorder:
    """A gateway that counts its closes."""

    def __init__(self) -> None:
        self.closes = 0

    def close(self) -> None:
        self.closes += 1


def test_a_gateway_opened_before_stop_is_closed_by_stop() -> None:
    holder = GatewayHolder()
    gateway = holder.open(Recorder)
    assert gateway is not None and gateway.closes == 0
    holder.stop()
    holder.stop()
    assert gateway.closes == 1


def test_a_gateway_that_opens_after_stop_is_closed_as_it_opens() -> None:
    holder = GatewayHolder()
    release = threading.Event()
    made: list[Recorder] = []
    returned: list[Recorder | None] = []

    def slow() -> Recorder:
        release.wait(10)
        made.append(Recorder())
        return made[0]

    opener = threading.Thread(target=lambda: returned.append(holder.open(slow)))
    opener.start()
    while not holder.opening:
        pass
    holder.stop()
    assert holder.opening
    release.set()
    assert holder.wait_until_settled(10)
    opener.join(10)
    assert returned == [None]
    assert made[0].closes == 1
    assert not holder.opening


def test_every_gateway_opened_is_closed_and_failures_pass_through() -> None:
    holder = GatewayHolder()

    def broken() -> Recorder:
        raise ConnectionError("no route")

    with pytest.raises(ConnectionError):
        holder.open(broken)
    assert not holder.opening
    first, second = holder.open(Recorder), holder.open(Recorder)
    holder.stop()
    assert first is not None and second is not None
    assert (first.closes, second.closes) == (1, 1)


def test_wait_until_settled_says_when_it_gave_up() -> None:
    holder = GatewayHolder()
    release = threading.Event()
    opener = threading.Thread(target=holder.open, args=(lambda: release.wait(10),))
    opener.start()
    while not holder.opening:
        pass
    assert holder.wait_until_settled(0.01) is False
    release.set()
    assert holder.wait_until_settled(10) is True
    opener.join(10)


def test_the_event_loops_executor_runs_work_and_does_not_hold_up_the_exit() -> None:
    # Without it, a process exits only when its executor's threads are done: here, never.
    program = (
        "import asyncio, threading\n"
        "from wizard.threads import DaemonThreadExecutor\n"
        "async def main():\n"
        "    loop = asyncio.get_running_loop()\n"
        "    assert await loop.run_in_executor(None, sum, [1, 2]) == 3\n"
        "    loop.run_in_executor(None, threading.Event().wait)\n"
        "with asyncio.Runner() as runner:\n"
        "    runner.get_loop().set_default_executor(DaemonThreadExecutor())\n"
        "    runner.run(main())\n"
        "print('exited')\n"
    )
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "exited"
