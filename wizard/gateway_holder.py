"""The gateway a front end opens in a worker thread, owned from the moment it exists.

The demo's gateway starts servers, so it must be closed however the user leaves: also when they quit
while it is still starting, and the app that asked for it is gone by the time it is ready.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

GatewayT = TypeVar("GatewayT")


def close_gateway(gateway: object) -> None:
    """Stop what a gateway started (the demo's servers); a gateway without a close has nothing to stop."""
    close = getattr(gateway, "close", None)
    if callable(close):
        close()


class GatewayHolder:
    """Every gateway opened for one app, closed once: at `stop`, or as it opens if `stop` came first."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._opened: list[object] = []
        self._opening = 0
        self._stopped = False

    def open(self, factory: Callable[[], GatewayT]) -> GatewayT | None:
        """Run `factory` (in a worker thread): its gateway, or None when the holder was stopped meanwhile
        (the gateway is closed then). The factory's exceptions pass through."""
        with self._lock:
            self._opening += 1
        try:
            gateway = factory()
            with self._lock:
                keep = not self._stopped
                if keep:
                    self._opened.append(gateway)
            if keep:
                return gateway
            close_gateway(gateway)
            return None
        finally:
            with self._lock:
                self._opening -= 1
                self._idle.notify_all()

    @property
    def opening(self) -> bool:
        """Whether a factory is still running (the demo still starting)."""
        with self._lock:
            return self._opening > 0

    def stop(self) -> None:
        """Close every gateway opened so far; any that opens later is closed as it opens."""
        with self._lock:
            self._stopped = True
            opened, self._opened = self._opened, []
        for gateway in opened:
            close_gateway(gateway)

    def wait_until_settled(self, timeout_s: float | None = None) -> bool:
        """Wait until no factory is running (one that finishes after `stop` has closed its gateway by
        then); False if `timeout_s` passed first."""
        with self._lock:
            return self._idle.wait_for(lambda: self._opening == 0, timeout_s)
