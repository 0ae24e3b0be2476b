"""The one way into AWS: which account, region and endpoint, and the boto3 clients that talk to them.

Resolution follows the AWS CLI v2, so a user's existing setup just works: `--profile`, else botocore's
chain (AWS_PROFILE ...); the region from `--region`, then AWS_REGION, then AWS_DEFAULT_REGION, then the
profile (boto3 on its own ignores AWS_REGION); the endpoint from `--endpoint-url`, else
AWS_ENDPOINT_URL_RDS / AWS_ENDPOINT_URL / the profile (botocore honours those itself).

`--demo` starts the embedded demo and points the same clients at it; apart from the label "DEMO" nothing
here knows the difference. boto3 is imported only when a gateway is opened.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import threading
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from wizard.aws.catalog import AwsCatalog

# Generous for a slow link, short enough that an unreachable endpoint is reported within seconds
# (botocore's standard retries add a few attempts on top).
CONNECT_TIMEOUT_S = 5.0
READ_TIMEOUT_S = 30.0
MAX_ATTEMPTS = 5

LABEL_AWS = "AWS"
LABEL_ENDPOINT = "ENDPOINT"
LABEL_DEMO = "DEMO"


@dataclass(frozen=True)
class ConnectionOptions:
    """Which AWS to talk to, as the user asked for it on the command line."""

    profile: str | None = None
    region: str | None = None
    endpoint_url: str | None = None
    demo: bool = False
    demo_speed: float | None = None

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> ConnectionOptions:
        """Options from `wizard.cli`'s parsed arguments (any of them may be absent on a subcommand)."""
        return cls(
            profile=getattr(args, "profile", None) or None,
            region=getattr(args, "region", None) or None,
            endpoint_url=getattr(args, "endpoint_url", None) or None,
            demo=bool(getattr(args, "demo", False)),
            demo_speed=getattr(args, "demo_speed", None),
        )


@dataclass(frozen=True)
class Identity:
    """Who and where: shown in every header so nobody creates a database in the wrong account."""

    account: str
    region: str
    profile: str | None
    endpoint: str
    label: str

    def summary(self) -> str:
        """One line for a header: "DEMO · account 123456789012 · us-east-1"."""
        parts = [self.label, f"account {self.account}", self.region]
        if self.profile:
            parts.append(f"profile {self.profile}")
        if self.label != LABEL_AWS:
            parts.append(self.endpoint)
        return " · ".join(parts)


def resolve_region(explicit: str | None, environ: Mapping[str, str],
                   session_region: str | None) -> str | None:
    """The region as the AWS CLI v2 picks it; `session_region` is botocore's (AWS_DEFAULT_REGION, then
    the profile)."""
    for value in (explicit, environ.get("AWS_REGION"), session_region):
        if value:
            return value
    return None


def system_resolve(host: str) -> list[str]:
    """The addresses the system resolver gives for a host name, in its order, without duplicates."""
    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        return []
    addresses: list[str] = []
    for info in infos:
        address = str(info[4][0])
        if address not in addresses:
            addresses.append(address)
    return addresses


def is_aws_endpoint(url: str) -> bool:
    """True for AWS's own endpoints (not LocalStack, a demo server or a proxy)."""
    host = urlsplit(url).hostname or ""
    return host.endswith((".amazonaws.com", ".amazonaws.com.cn", ".api.aws"))


class Gateway:
    """boto3 clients for one account and region, their call counts, identity, DNS and the catalog."""

    def __init__(
        self,
        session: Any,
        *,
        region: str,
        profile: str | None,
        endpoint_url: str | None = None,
        label: str | None = None,
        resolver: Callable[[str], list[str]] = system_resolve,
        on_close: Callable[[], None] | None = None,
        time_scale: float = 1.0,
    ) -> None:
        self._session = session
        self.region = region
        self.profile = profile
        self._endpoint_url = endpoint_url
        self._label = label
        self._resolver = resolver
        self._on_close = on_close
        # How many times faster than real RDS time passes (the demo's speed); progress and the failover
        # test scale their estimates and polling by it.
        self.time_scale = time_scale if time_scale > 0 else 1.0
        # Re-entrant: the catalog property asks for a client while holding it.
        self._lock = threading.RLock()
        self._clients: dict[str, Any] = {}
        self._calls: Counter[str] = Counter()
        self._requests: Counter[tuple[str, str]] = Counter()
        self._identity: Identity | None = None
        self._identity_lock = threading.Lock()
        self._catalog: AwsCatalog | None = None

    def client(self, service: str) -> Any:
        """The boto3 client for a service, made once (clients are thread-safe, sessions are not)."""
        with self._lock:
            existing = self._clients.get(service)
            if existing is not None:
                return existing
            from botocore.config import Config

            config = Config(
                retries={"mode": _retry_mode(), "total_max_attempts": MAX_ATTEMPTS},
                connect_timeout=CONNECT_TIMEOUT_S,
                read_timeout=READ_TIMEOUT_S,
                user_agent_appid="rds-wizard",
            )
            client = self._session.client(service, region_name=self.region,
                                          endpoint_url=self._endpoint_url, config=config)
            client.meta.events.register("before-parameter-build.*.*", self._count_call)
            self._clients[service] = client
            return client

    def _count_call(self, params: Mapping[str, Any], model: Any, **_: Any) -> None:
        service = model.service_model.signing_name or model.service_model.service_name
        operation = f"{service}:{model.name}"
        signature = json.dumps(params, sort_keys=True, default=str)
        with self._lock:
            self._calls[operation] += 1
            self._requests[(operation, signature)] += 1

    def call_counts(self) -> dict[str, int]:
        """API calls made so far by operation ("rds:DescribeDBEngineVersions"), retries not counted."""
        with self._lock:
            return dict(self._calls)

    def repeated_calls(self) -> dict[str, int]:
        """Operations called more than once with the very same parameters (the catalog should make none)."""
        with self._lock:
            repeats: Counter[str] = Counter()
            for (operation, _signature), count in self._requests.items():
                if count > 1:
                    repeats[operation] += count - 1
            return dict(repeats)

    @property
    def endpoint(self) -> str:
        """The RDS endpoint the clients talk to (AWS's own, a custom one, or the demo)."""
        return str(self.client("rds").meta.endpoint_url)

    @property
    def label(self) -> str:
        """"DEMO", "ENDPOINT" (a custom endpoint such as LocalStack) or "AWS"."""
        if self._label:
            return self._label
        return LABEL_AWS if is_aws_endpoint(self.endpoint) else LABEL_ENDPOINT

    def identity(self) -> Identity:
        """Account (sts:GetCallerIdentity, asked once), region, profile, endpoint and label."""
        with self._identity_lock:
            if self._identity is None:
                reply = self.client("sts").get_caller_identity()
                self._identity = Identity(account=str(reply.get("Account", "")), region=self.region,
                                          profile=self.profile, endpoint=self.endpoint, label=self.label)
            return self._identity

    @property
    def poll_floor_seconds(self) -> float:
        """The shortest wait between two describes of one resource: 5 s on real AWS, scaled in the demo."""
        return 5.0 / self.time_scale

    def resolve(self, host: str) -> list[str]:
        """The addresses a database endpoint name resolves to right now."""
        return self._resolver(host)

    def paginate(self, service: str, operation: str, **params: Any) -> Any:
        """The pages of a Describe* call, through botocore's paginator."""
        return self.client(service).get_paginator(operation).paginate(**params)

    @property
    def catalog(self) -> AwsCatalog:
        """The account's catalog, cached for the run (and on disk for AWS's own endpoints)."""
        with self._lock:
            if self._catalog is None:
                from wizard.aws.catalog import AwsCatalog, DiskCache

                disk = None
                if self.label == LABEL_AWS:
                    disk = DiskCache.for_scope(lambda: f"{self.identity().account}-{self.region}")
                self._catalog = AwsCatalog(self.client, self.paginate, disk=disk)
            return self._catalog

    def close(self) -> None:
        """Stop what the gateway started (the demo); clients need no closing."""
        if self._on_close is not None:
            on_close, self._on_close = self._on_close, None
            on_close()

    def __enter__(self) -> Gateway:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _retry_mode() -> str:
    """botocore's standard mode, unless the user asked for adaptive (client-side rate limiting)."""
    mode = os.environ.get("AWS_RETRY_MODE", "")
    return "adaptive" if mode == "adaptive" else "standard"


def open_gateway(opts: ConnectionOptions) -> Gateway:
    """A gateway for these options. Blocking: starts the demo when asked; call it off the UI thread.

    Raises botocore's ProfileNotFound or NoRegionError (see `wizard.aws.errors.explain`).
    """
    if opts.demo:
        return _open_demo(opts)
    import boto3
    from botocore.exceptions import NoRegionError

    session = boto3.Session(profile_name=opts.profile)
    region = resolve_region(opts.region, os.environ, session.region_name)
    if region is None:
        raise NoRegionError()
    return Gateway(session, region=region, profile=session.profile_name, endpoint_url=opts.endpoint_url)


def _open_demo(opts: ConnectionOptions) -> Gateway:
    """A gateway to the embedded demo, isolated from the user's AWS config and credentials."""
    from wizard.demo import start_demo

    demo = start_demo(opts.demo_speed)
    try:
        return _demo_gateway(demo)
    except BaseException:
        demo.stop()
        raise


def _demo_gateway(demo: Any) -> Gateway:
    import boto3
    import botocore.session

    access_key, secret_key = demo.credentials
    # A profile or config file of the user's must not leak into the demo (a missing AWS_PROFILE would
    # even make the session fail), so those settings are read from nowhere.
    core = botocore.session.Session(session_vars={
        "profile": (None, None, None, None),
        "config_file": (None, None, os.devnull, None),
        "credentials_file": (None, None, os.devnull, None),
    })
    session = boto3.Session(botocore_session=core, aws_access_key_id=access_key,
                            aws_secret_access_key=secret_key, region_name=demo.region)
    return Gateway(session, region=demo.region, profile=None, endpoint_url=demo.endpoint_url,
                   label=LABEL_DEMO, resolver=demo.resolve, on_close=demo.stop,
                   time_scale=float(demo.speed))

