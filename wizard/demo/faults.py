"""Faults on demand, in front of the demo's HTTP server, so boto3 sees real HTTP errors and resets.

A spec is a comma-separated list (flag or RDS_WIZARD_DEMO_FAULTS):
  throttle:DescribeDBInstances:3      the next 3 DescribeDBInstances calls get HTTP 400 Throttling
  fail:CreateDBInstance:1:InsufficientDBInstanceCapacity   the next call fails with that error code
  drop:10s                            every connection is dropped for the next 10 seconds (also 500ms)
  drop:30s@5s                         the same window, starting 5 seconds after the faults are armed
  drop:30s@DescribeEvents             the same window, starting with the next DescribeEvents call (which
                                      is dropped too): a drop in the middle of following a create
  drop:DescribeEvents:2               the next 2 DescribeEvents calls have their connection dropped
  nostandby:1                         the next Multi-AZ create finds no capacity for its standby and
                                      ends up Single-AZ (as RDS does, with an event saying so)
  replica-lag:30s                     every real read replica applies the source's commits 30 seconds
                                      late (PostgreSQL's recovery_min_apply_delay), so ReplicaLag climbs
                                      to about 30 s under writes; clearing the faults makes it catch up
An operation may be `*` (any call).
"""

from __future__ import annotations

import io
import re
import socket
import struct
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

ENV_VAR = "RDS_WIZARD_DEMO_FAULTS"
# Not an HTTP operation: the simulator asks for it when a Multi-AZ create places its standby.
NO_STANDBY_FAULT = "MultiAZStandbyCapacity"
# Not an HTTP operation either: the demo's replicas ask for it each time they publish their lag.
REPLICA_LAG_FAULT = "ReplicaApplyDelay"
# Where the middleware leaves the request's operation for the app behind it (the call counter).
OPERATION_KEY = "rds_wizard.operation"

_MESSAGES = {
    "Throttling": "Rate exceeded",
    "InsufficientDBInstanceCapacity": (
        "Cannot create a database instance because there is not enough capacity in the Availability Zone. "
        "Try again later or choose another Availability Zone or DB instance class."),
    "ServiceUnavailable": "Service is unavailable. Please try again later.",
    "InternalFailure": "An internal error occurred.",
}
_STATUS = {"ServiceUnavailable": 503, "InternalFailure": 500}
_DURATION = re.compile(r"^(\d+(?:\.\d+)?)(ms|s|m)$")


def _seconds(text: str) -> float:
    """A duration such as 10s, 500ms or 2m, in seconds; ValueError otherwise."""
    match = _DURATION.match(text)
    if match is None:
        raise ValueError(text)
    return float(match.group(1)) * {"ms": 0.001, "s": 1.0, "m": 60.0}[match.group(2)]


class FaultSpecError(ValueError):
    """A fault spec that cannot be read; the message says which part and what is expected."""


@dataclass
class _Rule:
    """One armed fault: what it does, to which operation, for how many calls or how long."""

    kind: str  # throttle, fail, drop, nostandby, replica-lag
    operation: str
    remaining: int | None = None  # calls left; None for a time window
    until: float | None = None  # monotonic end of a drop window
    window: float | None = None  # its length, until armed
    code: str = "Throttling"
    delay: float = 0.0  # a window starts this long after it is armed ...
    trigger: str = ""  # ... or with the first call of this operation
    starts: float = 0.0  # monotonic start of a drop window, once known

    def matches(self, operation: str, now: float) -> bool:
        """Whether this fault hits a call of `operation` now."""
        if (operation == NO_STANDBY_FAULT) != (self.kind == "nostandby"):
            return False  # HTTP faults never touch the simulator's standby placement, and vice versa
        if self.operation not in ("*", operation):
            return False
        if self.until is None and self.window is not None and self.trigger == operation:
            self.starts, self.until = now, now + self.window  # the triggering call is the first dropped
        if self.until is not None:
            return self.starts <= now < self.until
        return self.remaining is not None and self.remaining > 0


def parse_faults(spec: str) -> list[_Rule]:
    """Read a fault spec; FaultSpecError on a part it cannot read."""
    rules = []
    for part in filter(None, (p.strip() for p in spec.split(","))):
        fields = part.split(":")
        kind = fields[0]
        try:
            if kind == "throttle" and len(fields) == 3:
                rules.append(_Rule("throttle", fields[1], remaining=int(fields[2])))
            elif kind == "fail" and len(fields) == 4:
                rules.append(_Rule("fail", fields[1], remaining=int(fields[2]), code=fields[3]))
            elif kind == "drop" and len(fields) == 2 and "@" in fields[1]:
                length, start = fields[1].split("@", 1)
                if _DURATION.match(start):
                    rules.append(_Rule("drop", "*", window=_seconds(length), delay=_seconds(start)))
                elif start.isalnum():
                    rules.append(_Rule("drop", "*", window=_seconds(length), trigger=start))
                else:
                    raise ValueError(part)
            elif kind == "drop" and len(fields) == 2:
                rules.append(_Rule("drop", "*", window=_seconds(fields[1])))
            elif kind == "nostandby" and len(fields) == 2:
                rules.append(_Rule("nostandby", NO_STANDBY_FAULT, remaining=int(fields[1])))
            elif kind == "replica-lag" and len(fields) == 2:
                # Held until the faults are cleared: `remaining` is never used up (see replica_lag).
                rules.append(_Rule("replica-lag", REPLICA_LAG_FAULT, remaining=1, delay=_seconds(fields[1])))
            elif kind == "drop" and len(fields) == 3:
                rules.append(_Rule("drop", fields[1], remaining=int(fields[2])))
            else:
                raise ValueError(part)
        except ValueError:
            raise FaultSpecError(
                f"Demo fault '{part}' is not understood. Use throttle:OPERATION:N, "
                "fail:OPERATION:N:ERRORCODE, drop:10s (drop:10s@5s, drop:10s@OPERATION), drop:OPERATION:N "
                "nostandby:N or replica-lag:30s "
                "(comma-separated).") from None
    return rules


class Faults:
    """The faults armed in one demo; thread-safe."""

    def __init__(self) -> None:
        self._rules: list[_Rule] = []
        self._lock = threading.Lock()
        self.injected: dict[str, int] = {}

    def add(self, spec: str) -> None:
        """Arm the faults of a spec; a time window starts now."""
        rules = parse_faults(spec)
        now = time.monotonic()
        with self._lock:
            for rule in rules:
                if rule.window is not None and not rule.trigger:
                    rule.starts = now + rule.delay
                    rule.until = rule.starts + rule.window
                self._rules.append(rule)

    def clear(self) -> None:
        """Disarm every fault."""
        with self._lock:
            self._rules.clear()

    def replica_lag(self) -> float | None:
        """How late replicas should apply commits (the last replica-lag fault armed), None if none is."""
        with self._lock:
            delays = [rule.delay for rule in self._rules if rule.kind == "replica-lag"]
        return delays[-1] if delays else None

    def take(self, operation: str) -> _Rule | None:
        """The fault this call suffers, if any (a counted fault is used up)."""
        now = time.monotonic()
        with self._lock:
            for rule in self._rules:
                if rule.matches(operation, now):
                    if rule.remaining is not None:
                        rule.remaining -= 1
                    key = f"{rule.kind}:{operation}"
                    self.injected[key] = self.injected.get(key, 0) + 1
                    return rule
            self._rules = [r for r in self._rules
                           if (r.until is not None and now < r.until) or (r.remaining or 0) > 0
                           or (r.trigger and r.until is None)]
        return None


WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def operation_of(environ: dict[str, Any], body: bytes) -> str:
    """The API operation of a request: Action= for query services, X-Amz-Target for JSON ones."""
    target = environ.get("HTTP_X_AMZ_TARGET", "")
    if target:
        return str(target.rsplit(".", 1)[-1])
    if body:
        action = parse_qs(body.decode("utf-8", "replace")).get("Action")
        if action:
            return action[0]
    action = parse_qs(environ.get("QUERY_STRING", "")).get("Action")
    return action[0] if action else ""


def middleware(app: WsgiApp, faults: Faults) -> WsgiApp:
    """Wrap a WSGI app so armed faults happen before it sees the request."""

    def wrapped(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        operation = operation_of(environ, body)
        environ[OPERATION_KEY] = operation
        rule = faults.take(operation)
        if rule is None:
            return app(environ, start_response)
        if rule.kind == "drop":
            _drop(environ)
            start_response("500 Connection dropped", [("Content-Length", "0")])
            return []
        status = _STATUS.get(rule.code, 400)
        message = _MESSAGES.get(rule.code, f"Injected demo fault: {rule.code}.")
        xml = (f"<ErrorResponse><Error><Type>Sender</Type><Code>{rule.code}</Code><Message>{message}"
               f"</Message></Error><RequestId>{uuid.uuid4()}</RequestId></ErrorResponse>").encode()
        start_response(f"{status} Error", [("Content-Type", "text/xml"), ("Content-Length", str(len(xml)))])
        return [xml]

    return wrapped


def _drop(environ: dict[str, Any]) -> None:
    """Reset the client's connection without an answer."""
    sock = environ.get("werkzeug.socket")
    if sock is None:
        return
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
