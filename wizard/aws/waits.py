"""Waiting on AWS out loud: how long it has not answered, what to say about it, and when to stop.

A network drop is ordinary on a laptop, a VPN or an SSH session. While following a create or a failover,
the wizard rides out a silence of up to `RIDE_OUT_SECONDS` (every front end says so each
`STALL_NOTICE_SECONDS`), and past that it stops following with the `rds-wizard watch` command that picks
up again: what happens in AWS does not depend on this process.

"Silence" starts when a request goes out after the last answer and ends with the next answer of any kind
(an AWS error is an answer: the network works). Network time is wall-clock time, so the demo's speed does
not scale it. The words live here so the line mode, the plain mode and the screens say the same.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from wizard.shell import command
from wizard.targets import reattach_command

T = TypeVar("T")

STALL_NOTICE_SECONDS = 20.0
RIDE_OUT_SECONDS = 60.0
# While AWS is silent, ask again this often (real AWS's floor of one describe per 5 s), so the end of a
# drop is noticed within seconds.
RETRY_WHILE_SILENT_SECONDS = 5.0
# How often a wait checks whether something is due (a stall line, a stop request).
TICK_SECONDS = 0.1


@dataclass(frozen=True)
class WaitPolicy:
    """When to speak, when to stop, how often to ask again while AWS is silent (real seconds)."""

    notice_every: float = STALL_NOTICE_SECONDS
    ride_out: float = RIDE_OUT_SECONDS
    retry_every: float = RETRY_WHILE_SILENT_SECONDS


DEFAULT_POLICY = WaitPolicy()


class NoAnswer(Exception):
    """AWS gave no answer for longer than the ride-out; the blocked call is left to end by itself."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"no answer from AWS for {seconds:.0f} s")
        self.seconds = seconds


class Stopped(Exception):
    """The caller asked to stop while a call was still waiting for its answer."""


def stall_line(seconds: float) -> str:
    """Said while AWS is silent: "no answer from AWS for 20 s; still trying"."""
    return f"no answer from AWS for {seconds:g} s; still trying"


def back_line(seconds: float) -> str:
    """Said when AWS answers again after a stall was said."""
    return f"AWS answers again after {seconds:.0f} s without an answer; carrying on."


def watch_command(identifier: str, gateway: object | None = None) -> str:
    """The command that follows this database again, aimed at the gateway's target when one is given."""
    if gateway is None:
        return command("rds-wizard", "watch", identifier)
    return reattach_command(gateway, identifier)


def gave_up_title(seconds: float, what: str = "following") -> str:
    """Why following (or measuring) stopped."""
    return f"No answer from AWS for {seconds:.0f} s: stopped {what}."


def resume_step(identifier: str, *, creating: bool, gateway: object | None = None) -> str:
    """What to do after giving up: nothing is lost in AWS, and this command picks up again."""
    fate = "keeps being created in AWS" if creating else "carries on in AWS"
    return (f"{identifier} {fate}; this stops nothing there. Check your network, VPN or proxy, then resume "
            f"with `{watch_command(identifier, gateway)}`.")


def is_no_answer(exc: BaseException) -> bool:
    """True when a call failed without any answer from the other end (reset, refused, timed out)."""
    from botocore import exceptions as bce

    if isinstance(exc, bce.ClientError):
        return False  # AWS answered, with an error
    return isinstance(exc, bce.EndpointConnectionError | bce.ConnectionError | bce.HTTPClientError
                      | ConnectionError | TimeoutError)


class Silence:
    """How long AWS has not answered, and which stall line is due. Thread-safe."""

    def __init__(self, policy: WaitPolicy = DEFAULT_POLICY,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.policy = policy
        self._clock = clock
        self._lock = threading.Lock()
        self._since: float | None = None
        self._spoken = 0

    def asking(self) -> None:
        """A request goes out: a silence starts now unless one is already running."""
        with self._lock:
            if self._since is None:
                self._since = self._clock()

    def answered(self) -> str | None:
        """An answer came; the line to say when a stall had been said (else None)."""
        with self._lock:
            silent = self._silent_for()
            spoken, self._since, self._spoken = self._spoken, None, 0
        return back_line(silent) if spoken else None

    def _silent_for(self) -> float:
        return 0.0 if self._since is None else max(0.0, self._clock() - self._since)

    def silent_for(self) -> float:
        """Seconds since the first unanswered request (0 when the last request was answered)."""
        with self._lock:
            return self._silent_for()

    @property
    def waiting(self) -> bool:
        """True while a request has gone unanswered."""
        with self._lock:
            return self._since is not None

    def due(self) -> str | None:
        """The stall line whose time has come (each said once), or None."""
        with self._lock:
            silent = self._silent_for()
            step = int(silent // self.policy.notice_every) if self.policy.notice_every > 0 else 0
            if step <= self._spoken or step * self.policy.notice_every >= self.policy.ride_out:
                return None
            self._spoken = step
            return stall_line(step * self.policy.notice_every)

    def exhausted(self) -> bool:
        """True once the silence has lasted the whole ride-out."""
        return self.silent_for() >= self.policy.ride_out

    def left(self) -> float:
        """Seconds of ride-out left (the full ride-out when nothing is unanswered)."""
        return max(0.0, self.policy.ride_out - self.silent_for())


def call_out_loud(call: Callable[[], T], silence: Silence, say: Callable[[str], object], *,
                  should_stop: Callable[[], bool] = lambda: False, ask: bool = True) -> T:
    """Run a blocking AWS call in a daemon thread and wait for it, saying each stall line that falls due.

    Returns the call's result or raises its exception. Raises `NoAnswer` once the silence has lasted the
    ride-out and `Stopped` when `should_stop()` says so; the call is then left to end on its own (its
    own connect and read timeouts bound it), and its outcome is dropped. The caller marks answers on
    `silence`: only it knows whether a result or an error means AWS answered. `ask=False` when the call
    marks its own requests (`Follower.poll`, which makes several).
    """
    if ask:
        silence.asking()
    done = threading.Event()
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["value"] = call()
        except BaseException as exc:  # handed to the waiting thread, which raises it
            outcome["error"] = exc
        finally:
            done.set()

    threading.Thread(target=run, name="rds-wizard-aws-call", daemon=True).start()
    while not done.wait(TICK_SECONDS):
        line = silence.due()
        if line is not None:
            say(line)
        if silence.exhausted():
            raise NoAnswer(silence.silent_for())
        if should_stop():
            raise Stopped()
    error = outcome.get("error")
    if isinstance(error, BaseException):
        raise error
    return outcome["value"]  # type: ignore[return-value]


def pause_out_loud(seconds: float, silence: Silence, say: Callable[[str], object], *,
                   should_stop: Callable[[], bool] = lambda: False,
                   sleep: Callable[[float], None] = time.sleep) -> bool:
    """Wait `seconds` between two requests, saying stall lines that fall due; False when told to stop."""
    deadline = time.monotonic() + seconds
    while True:
        line = silence.due()
        if line is not None:
            say(line)
        if should_stop():
            return False
        left = deadline - time.monotonic()
        if left <= 0:
            return True
        sleep(min(left, TICK_SECONDS))


def ride_out(call: Callable[[], T], say: Callable[[str], object], *, policy: WaitPolicy = DEFAULT_POLICY,
             should_stop: Callable[[], bool] = lambda: False) -> T:
    """A read-only call, asked again while AWS is silent, for up to the ride-out (then `NoAnswer`).

    Only for calls that may safely be sent twice (Describe*, Get*). Errors with an answer are raised
    at once; `Stopped` when `should_stop()` says so.
    """
    silence = Silence(policy)
    while True:
        try:
            result = call_out_loud(call, silence, say, should_stop=should_stop)
        except Exception as exc:
            if not is_no_answer(exc):
                _say_back(silence, say)
                raise
            if silence.exhausted():
                raise NoAnswer(silence.silent_for()) from exc
            if not pause_out_loud(min(policy.retry_every, silence.left()), silence, say,
                                  should_stop=should_stop):
                raise Stopped() from exc
            continue
        _say_back(silence, say)
        return result


def _say_back(silence: Silence, say: Callable[[str], object]) -> None:
    line = silence.answered()
    if line is not None:
        say(line)
