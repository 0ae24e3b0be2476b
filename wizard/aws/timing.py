"""How often to ask AWS, and how fast time passes: shared by provisioning and the failover test.

Real RDS takes minutes; the demo runs the same lifecycle `time_scale` times faster. Everything that
waits or estimates works in "AWS seconds" and divides by the scale, so the same schedule serves both.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Protocol

# Against real AWS: at most one describe per 5 s (DescribeDBInstances is rate limited per account).
REAL_AWS_POLL_FLOOR_SECONDS = 5.0
# Even the fastest demo gets a breather between describes, so the simulator's threads get the CPU.
ABSOLUTE_MIN_INTERVAL_SECONDS = 0.02


class GatewayLike(Protocol):
    """What the launch, provisioning and failover core needs from `wizard.aws.Gateway`."""

    def client(self, name: str) -> Any:
        """A boto3 client for this service."""

    def resolve(self, host: str) -> list[str]:
        """The addresses a host name resolves to, as a client of this AWS would see them."""


def time_scale(gateway: object) -> float:
    """How many times faster than real RDS time passes behind this gateway (1 for real AWS)."""
    value = getattr(gateway, "time_scale", None)
    try:
        scale = float(value) if value is not None else 1.0
    except (TypeError, ValueError):
        scale = 1.0
    return scale if scale > 0 else 1.0


def poll_floor(gateway: object) -> float:
    """The shortest allowed wait between two describes of the same thing, in real seconds."""
    value = getattr(gateway, "poll_floor_seconds", None)
    try:
        floor = float(value) if value is not None else REAL_AWS_POLL_FLOOR_SECONDS / time_scale(gateway)
    except (TypeError, ValueError):
        floor = REAL_AWS_POLL_FLOOR_SECONDS / time_scale(gateway)
    return max(floor, ABSOLUTE_MIN_INTERVAL_SECONDS)


def is_demo(gateway: object) -> bool:
    """True when the gateway talks to the embedded demo rather than an AWS account."""
    flag = getattr(gateway, "is_demo", None)
    if isinstance(flag, bool):
        return flag
    identity = getattr(gateway, "identity", None)
    if callable(identity):
        try:
            return getattr(identity(), "label", "") == "DEMO"
        except Exception:  # an identity lookup failing only means "not known to be the demo"
            return False
    return False


@dataclass(frozen=True)
class PollSchedule:
    """Adaptive polling: often while things change fast at the start, less as a create drags on.

    `steps` are (until this many AWS seconds have elapsed, wait this many AWS seconds); the wait is
    divided by `scale` and never drops below `floor` real seconds. Consecutive transient errors back off.
    """

    scale: float = 1.0
    floor: float = REAL_AWS_POLL_FLOOR_SECONDS
    steps: tuple[tuple[float, float], ...] = ((60.0, 5.0), (300.0, 10.0), (1200.0, 20.0), (math.inf, 30.0))
    max_backoff_aws_seconds: float = 60.0

    @classmethod
    def for_gateway(cls, gateway: object) -> PollSchedule:
        """The schedule for this gateway's time scale and poll floor."""
        return cls(scale=time_scale(gateway), floor=poll_floor(gateway))

    def interval(self, elapsed: float, errors_in_a_row: int = 0) -> float:
        """Real seconds to wait before the next describe, `elapsed` real seconds after following began."""
        aws_elapsed = max(elapsed, 0.0) * self.scale
        wait = next(step for until, step in self.steps if aws_elapsed < until)
        if errors_in_a_row > 0:
            wait = min(wait * 2 ** min(errors_in_a_row, 6), max(self.max_backoff_aws_seconds, wait))
        return max(wait / self.scale, self.floor, ABSOLUTE_MIN_INTERVAL_SECONDS)


def is_transient(exc: BaseException) -> bool:
    """True for errors worth retrying later: throttling, dropped connections, timeouts, 5xx."""
    try:
        from botocore import exceptions as bce
    except ImportError:  # pragma: no cover - botocore is a dependency
        return False
    transient_types: tuple[type[BaseException], ...] = (
        bce.EndpointConnectionError,
        bce.ConnectionClosedError,
        bce.ReadTimeoutError,
        bce.ConnectTimeoutError,
        bce.HTTPClientError,
    )
    if isinstance(exc, (*transient_types, ConnectionError, TimeoutError)):
        return True
    if isinstance(exc, bce.ClientError):
        error = exc.response.get("Error", {})
        code = str(error.get("Code", ""))
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        if code in {"Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequestsException",
                    "RequestThrottled", "ServiceUnavailable", "InternalFailure", "InternalError",
                    "SlowDown", "PriorRequestNotComplete"}:
            return True
        return isinstance(status, int) and status >= 500
    return False
