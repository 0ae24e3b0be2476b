"""Helpers shared by the demo's functional tests: polling a demo through boto3, and TCP probes."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")
# A generous ceiling so a loaded machine does not fail a test; the demo itself is far quicker.
WAIT_SECONDS = 60.0


def wait_for(what: str, probe: Callable[[], T | None], timeout: float = WAIT_SECONDS) -> T:
    """Poll until probe() returns something truthy; fail the test with `what` if it never does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def follow_statuses(rds: Any, identifier: str, until: str = "available") -> list[dict[str, Any]]:
    """Describe an instance until it is `until`; each distinct (status, AZ, standby AZ) once, in order."""
    seen: list[dict[str, Any]] = []

    def step() -> bool:
        db = rds.describe_db_instances(DBInstanceIdentifier=identifier)["DBInstances"][0]
        key = (db["DBInstanceStatus"], db.get("AvailabilityZone"), db.get("SecondaryAvailabilityZone"))
        if not seen or key != seen[-1]["key"]:
            seen.append({"key": key, "db": db})
        return bool(db["DBInstanceStatus"] == until)

    wait_for(f"{identifier} to be {until}", step)
    return [s["db"] for s in seen]


def connects(host: str, port: int) -> bool:
    """Whether a TCP connection to host:port is accepted now."""
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False
