"""The embedded demo AWS: moto on a loopback port plus an RDS simulator (catalog, lifecycle, failover).

Only this package knows demo internals. Everything heavy (moto, boto3, werkzeug) is imported by
`start_demo`, never at package import.

    demo = start_demo(speed=30)          # blocking ~1-2 s: call it from a worker
    boto3.client("rds", endpoint_url=demo.endpoint_url, region_name=demo.region,
                 aws_access_key_id=demo.credentials[0], aws_secret_access_key=demo.credentials[1])
    demo.resolve("db1.aaaaaaaaaa.us-east-1.rds.amazonaws.com")   # -> ["127.10.1.1"], [] if unknown
    demo.stop()

What a DemoAWS offers besides: `node(host)` (host, port and AZ answering now; the port differs per
AZ where only 127.0.0.1 works), `outage_windows(identifier)` (the demo's own timeline of outages, to
compare a failover report with), `set_speed(n)`, `faults.add(spec)` / `faults.injected`, `calls`
(AWS calls served by "service.Operation"), `client(service)` for tests, `ready_seconds`. Speed: RDS
durations divided by it (default 30: a Multi-AZ create takes 36 s, a failover outage 2-4 s).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wizard.demo.network import NetworkFactory
    from wizard.demo.server import DemoAWS

__all__ = ["DEFAULT_SPEED", "DemoAWS", "start_demo"]

# How many times faster than real RDS the demo's time passes unless told otherwise.
DEFAULT_SPEED = 30.0


def start_demo(speed: float | None = None, *, faults: str | None = None,
               network_factory: NetworkFactory | None = None, port: int = 0) -> DemoAWS:
    """Start the demo AWS on 127.0.0.1 and return it, warmed up (blocking, about 1-2 s).

    `speed`: how many times faster than real RDS time passes (default 30: a Multi-AZ create takes about
    36 s, a failover outage 2-4 s). `faults`: a fault spec (see wizard.demo.faults); by default the
    RDS_WIZARD_DEMO_FAULTS environment variable. `network_factory`: what stands behind each endpoint
    (default: simulated TCP listeners). `port`: the HTTP port, 0 for any free one.
    """
    with without_user_profile():
        from wizard.demo import server

        return server.start_demo(speed, faults=faults, network_factory=network_factory, port=port)


# The user's AWS profile settings: the demo needs none, and moto builds plain boto3 Sessions (at import
# and when a backend is first used), which fail outright when AWS_PROFILE names a missing profile.
_PROFILE_VARIABLES = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE")


@contextlib.contextmanager
def without_user_profile() -> Iterator[None]:
    """Hide AWS_PROFILE and AWS_DEFAULT_PROFILE from moto while the demo starts (and warms up)."""
    saved = {name: os.environ.pop(name) for name in _PROFILE_VARIABLES if name in os.environ}
    try:
        yield
    finally:
        for name, value in saved.items():
            os.environ.setdefault(name, value)


def __getattr__(name: str) -> object:
    if name == "DemoAWS":
        from wizard.demo.server import DemoAWS

        return DemoAWS
    raise AttributeError(name)
