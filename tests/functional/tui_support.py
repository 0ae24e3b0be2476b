"""Shared by the Textual tests: a deterministic in-memory catalog and small Pilot helpers."""

from __future__ import annotations

import asyncio
import inspect
import threading
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from textual.app import App
from textual.pilot import Pilot
from textual.worker import WorkerCancelled

from wizard.catalog import (
    EngineVersion,
    OptionGroup,
    OrderableOption,
    ParameterGroup,
    SecurityGroup,
    SubnetGroup,
    Vpc,
)

AZS = ("test-region-1a", "test-region-1b", "test-region-1c")

_VERSIONS = {
    "postgres": [("16.4", "postgres16", True), ("15.8", "postgres15", False)],
    "mysql": [("8.0.39", "mysql8.0", True), ("8.4.3", "mysql8.4", False)],
    "mariadb": [("10.11.9", "mariadb10.11", True)],
}
# (class, Multi-AZ capable, runs a Multi-AZ DB cluster)
_CLASSES = (
    ("db.t3.micro", False, False),
    ("db.t4g.medium", True, False),
    ("db.m6g.large", True, True),
    ("db.m6g.xlarge", True, True),
    ("db.r6g.large", True, True),
)
_STORAGE = {"gp3": (20, 65536), "gp2": (20, 65536), "io1": (100, 65536), "io2": (100, 65536)}


class MemoryCatalog:
    """A `wizard.catalog.Catalog` with fixed data: fast and the same on every run (snapshots)."""

    def __init__(self, classes: tuple[tuple[str, bool, bool], ...] = _CLASSES) -> None:
        self.classes = classes
        self.calls: list[str] = []
        self._orderable: dict[tuple[str, str], list[OrderableOption]] = {}

    def engine_versions(self, engine: str) -> list[EngineVersion]:
        """Two versions for PostgreSQL and MySQL, one for the rest."""
        self.calls.append("engine_versions")
        rows = _VERSIONS.get(engine, [("1.0", f"{engine}1", True)])
        return [EngineVersion(engine, v, family, default, f"{engine} {v}") for v, family, default in rows]

    def orderable_options(self, engine: str, version: str) -> list[OrderableOption]:
        """Every class with every storage type; db.t3.micro is not Multi-AZ capable. Cached, as AWS's is."""
        self.calls.append("orderable_options")
        if (engine, version) not in self._orderable:
            self._orderable[(engine, version)] = self._options_for(engine, version)
        return self._orderable[(engine, version)]

    def _options_for(self, engine: str, version: str) -> list[OrderableOption]:
        return [OrderableOption(engine, version, cls, storage, multi_az, supports_clusters=cluster,
                                min_storage_gib=low, max_storage_gib=high, availability_zones=AZS)
                for cls, multi_az, cluster in self.classes for storage, (low, high) in _STORAGE.items()]

    def vpcs(self) -> list[Vpc]:
        """One default VPC."""
        return [Vpc("vpc-0test", "172.31.0.0/16", True, "default")]

    def subnet_groups(self) -> list[SubnetGroup]:
        """A three-AZ group and a one-AZ group."""
        return [SubnetGroup("three-az-subnets", "vpc-0test", AZS, "private subnets in three AZs"),
                SubnetGroup("one-az-subnets", "vpc-0test", AZS[:1], "a single subnet")]

    def security_groups(self, vpc_id: str | None) -> list[SecurityGroup]:
        """The default group and an application group."""
        return [SecurityGroup("sg-0default", "default", "vpc-0test", "default VPC security group"),
                SecurityGroup("sg-0app", "app-db", "vpc-0test", "from the app servers")]

    def parameter_groups(self, family: str) -> list[ParameterGroup]:
        """One custom group per family."""
        return [ParameterGroup(f"custom-{family}", family, "tuned")]

    def cluster_parameter_groups(self, family: str) -> list[ParameterGroup]:
        """One custom DB cluster parameter group per family."""
        return [ParameterGroup(f"custom-cluster-{family}", family, "tuned for clusters")]

    def option_groups(self, engine: str, major_version: str) -> list[OptionGroup]:
        """None beyond the default."""
        return []


class FailingCatalog(MemoryCatalog):
    """Fails every look-up until `healthy` is set: for the failed-load-and-retry path."""

    def __init__(self) -> None:
        super().__init__()
        self.healthy = False

    def engine_versions(self, engine: str) -> list[EngineVersion]:
        """Fail like a dropped connection, until healthy."""
        if not self.healthy:
            raise ConnectionError("connection reset by peer")
        return super().engine_versions(engine)


def field_input(app: Any, path: str, css: str = ".field-input") -> Any:
    """The input of the field at `path` on the current screen."""
    return app.screen.query_one(f"#field-{path.replace('.', '-')} {css}")


async def settle(pilot: Pilot[Any]) -> None:
    """Let messages, workers and the follow-ups they schedule finish."""
    for _ in range(3):
        await pilot.pause()
        # A worker of an exclusive group is cancelled when a newer one replaces it (a step's choices
        # asked again as the spec changed): waiting on it then raises, and the newer one is waited on
        # in the next round.
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:
            await pilot.pause()
    await pilot.pause()


async def until(pilot: Pilot[Any], condition: Callable[[], bool], what: str,
                timeout_s: float = 240.0) -> None:
    """Let the app run until `condition()` holds (checked between short pauses), or fail naming `what`."""
    step_s = 0.05
    for _ in range(round(timeout_s / step_s)):
        if condition():
            return
        await pilot.pause(step_s)
    raise AssertionError(f"timed out waiting for: {what}")


def typing_ready(app: Any) -> bool:
    """A typed confirmation is up with its field focused (keys pressed before that would be lost)."""
    from screens.dialogs import TypedConfirmScreen

    return isinstance(app.screen, TypedConfirmScreen) and getattr(app.focused, "id", None) == "confirm-input"


class SlowlyOpeningGateway:
    """A gateway factory that blocks until `release` is set (as the demo takes seconds to start); the
    gateway it returns sets `closed` when closed."""

    def __init__(self, make: Callable[[], Any]) -> None:
        self.release = threading.Event()
        self.closed = threading.Event()
        self._make = make

    def __call__(self) -> Any:
        """Wait for the release, then open a gateway whose close is recorded."""
        self.release.wait(10)
        gateway = self._make()
        gateway.close = self.closed.set
        return gateway

    async def wait_until_closed(self, timeout_s: float = 5.0) -> bool:
        """Whether the gateway is closed within `timeout_s` (it is closed from another thread)."""
        for _ in range(int(timeout_s / 0.05)):
            if self.closed.is_set():
                return True
            await asyncio.sleep(0.05)
        return self.closed.is_set()


def record_notifications(app: App[Any]) -> list[SimpleNamespace]:
    """What the app is asked to notify from now on (message, title, severity, timeout, markup), read
    through its public `notify` (Textual keeps the notifications it shows in a private member)."""
    shown: list[SimpleNamespace] = []
    notify = app.notify
    signature = inspect.signature(notify)

    def recording(*args: Any, **kwargs: Any) -> None:
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        shown.append(SimpleNamespace(**bound.arguments))
        notify(*args, **kwargs)

    app.notify = recording  # type: ignore[method-assign]
    return shown
