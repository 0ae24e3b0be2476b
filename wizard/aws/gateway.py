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
    from wizard.targets import Target

# Every call is bounded: an RDS, EC2 or STS answer starts within a second or two, so these are generous
# for a slow link yet keep one call under a minute even against an endpoint that never answers
# (3 attempts x 15 s; botocore's standard mode retries throttling, 5xx and dropped connections, with
# backoff). Longer silences are ridden out and spoken by the callers that follow a database
# (wizard.aws.waits), never by piling up attempts here.
CONNECT_TIMEOUT_S = 5.0
READ_TIMEOUT_S = 15.0
MAX_ATTEMPTS = 3
# The first call (who am I, sts:GetCallerIdentity) is tiny: an endpoint that does not answer it in 5 s,
# twice, is reported as silent with what to check, within about 10 s rather than after every retry.
FIRST_CONTACT_TIMEOUT_S = 5.0
FIRST_CONTACT_ATTEMPTS = 2

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
        notices: Callable[[], list[str]] | None = None,
        programs: Callable[[str], str | None] | None = None,
        target: Target | None = None,
        drills: Any = None,
    ) -> None:
        self._session = session
        self._target = target
        self.region = region
        self.profile = profile
        self._endpoint_url = endpoint_url
        self._label = label
        self._resolver = resolver
        self._on_close = on_close
        self._notices = notices
        self._programs = programs
        # The embedded demo's control for the unplanned failover drills (wizard.demo.drills); None elsewhere.
        self.drills = drills
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

            if service == "sts":  # asked only for who we are: the first contact
                read, attempts = FIRST_CONTACT_TIMEOUT_S, FIRST_CONTACT_ATTEMPTS
            else:
                read, attempts = READ_TIMEOUT_S, MAX_ATTEMPTS

            config = Config(
                retries={"mode": _retry_mode(), "total_max_attempts": attempts},
                connect_timeout=CONNECT_TIMEOUT_S,
                read_timeout=read,
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

    @property
    def target(self) -> Target:
        """"demo" (embedded, in this process), "demo-server", "endpoint" (another custom one) or "aws":
        what quitting means for what it created (`wizard.targets`)."""
        if self._target is None:
            self._target = "aws" if self.label == LABEL_AWS else "endpoint"
        return self._target

    def identity(self) -> Identity:
        """Account (sts:GetCallerIdentity, asked once), region, profile, endpoint and label.

        The first contact: an endpoint that accepts connections and never answers makes this raise
        botocore's ReadTimeoutError within about 10 s (see `wizard.aws.errors.explain`).
        """
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

    def client_program(self, name: str) -> str:
        """How to run a database client such as psql: `name` when it is on PATH, else the copy the demo
        brings along (its bundled psql), else `name` all the same."""
        import shutil

        if shutil.which(name) is None and self._programs is not None:
            return self._programs(name) or name
        return name

    def notices(self) -> list[str]:
        """What the user should know about this target now (the demo's databases being simulated, a
        database behind a demo endpoint that did not start); [] for AWS."""
        if self._notices is None:
            return []
        try:
            return list(self._notices())
        except Exception:  # a notice is informative; never let asking for one break a front end
            return []

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
    demo_server = DemoServer.probe(opts.endpoint_url) if opts.endpoint_url else None
    if demo_server is not None:
        # `rds-wizard demo-server` in another process: its endpoint names resolve only through it. Like the
        # embedded demo it needs no account: the user's profile, credentials and default region stay out
        # of it (a fresh shell with none configured works), and only --region can move it off its own.
        demo_region = opts.region or demo_server.region
        return Gateway(_isolated_session(DemoServer.CREDENTIALS, demo_region), region=demo_region,
                       profile=None, endpoint_url=opts.endpoint_url, label=LABEL_DEMO,
                       resolver=demo_server.resolve, time_scale=demo_server.speed,
                       notices=demo_server.notices, target="demo-server")
    import boto3
    from botocore.exceptions import EndpointConnectionError, NoRegionError

    session = boto3.Session(profile_name=opts.profile)
    region = resolve_region(opts.region, os.environ, session.region_name)
    if (opts.endpoint_url and is_loopback_url(opts.endpoint_url)
            and (region is None or session.get_credentials() is None) and not _listening(opts.endpoint_url)):
        # Most likely a demo server not started yet (or a wrong port) from a shell with no AWS set-up:
        # say that nothing answers there, not that a region or credentials are missing, which would
        # send a class to `aws configure` or `aws sso login` for a demo that needs neither.
        raise EndpointConnectionError(endpoint_url=opts.endpoint_url)
    if region is None:
        raise NoRegionError()
    return Gateway(session, region=region, profile=session.profile_name, endpoint_url=opts.endpoint_url)


# Where a demo server answers questions that are not AWS calls (wizard.demo.server.INFO_PATH).
DEMO_INFO_PATH = "/rds-wizard-demo"
LOOPBACK_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost")


def is_loopback_url(url: str) -> bool:
    """True for an http(s) URL whose host is this machine (127.0.0.0/8, ::1, localhost)."""
    import ipaddress

    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host:
        return False
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _listening(url: str) -> bool:
    """Whether something accepts TCP connections at this URL's host and port."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", port), timeout=CONNECT_TIMEOUT_S):
            return True
    except OSError:
        return False


# A demo server's answers are a few hundred bytes; anything bigger is not one.
MAX_INFO_BYTES = 1 << 20


class DemoServer:
    """`rds-wizard demo-server` reached over loopback: its speed, its resolver and its notices.

    Every question is bounded (urllib's timeout covers the connect and each read): a stalled demo
    server costs at most `TIMEOUT_S` per question, and it is then treated as not answering.
    """

    TIMEOUT_S = 2.0
    # What the demo server prints for the AWS CLI (wizard.demo.server's keys): it accepts any key, and
    # these keep the user's real ones out of it.
    CREDENTIALS = ("AKIADEMODEMODEMODEMO", "demo-secret-key-not-a-real-one")
    REGION = "us-east-1"

    def __init__(self, endpoint_url: str, speed: float, region: str = REGION) -> None:
        self.endpoint_url = endpoint_url.rstrip("/")
        self.speed = speed if speed > 0 else 1.0
        self.region = region

    @classmethod
    def probe(cls, endpoint_url: str) -> DemoServer | None:
        """The demo server at this endpoint, or None (not loopback, or not a demo server)."""
        if not is_loopback_url(endpoint_url):
            return None
        server = cls(endpoint_url, 1.0)
        info = server._get("info", timeout=0.5)
        if not isinstance(info, dict) or info.get("demo") is not True:
            return None
        if isinstance(info.get("region"), str) and info["region"]:
            server.region = info["region"]
        try:
            server.speed = float(info.get("speed") or 1.0)
        except (TypeError, ValueError):
            server.speed = 1.0
        if not server.speed > 0:
            server.speed = 1.0
        return server

    def _get(self, what: str, timeout: float | None = None, **query: str) -> Any:
        """One GET of the demo's info path; None when it does not answer as a demo server does."""
        import urllib.error
        import urllib.parse
        import urllib.request

        url = f"{self.endpoint_url}{DEMO_INFO_PATH}/{what}"
        if query:
            url += "?" + urllib.parse.urlencode(query)
        try:
            # No proxy: the server is on this machine, and a proxy from the environment would not reach it.
            opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
            with opener.open(url, timeout=timeout or self.TIMEOUT_S) as answer:
                return json.loads(answer.read(MAX_INFO_BYTES).decode())
        except (OSError, ValueError, urllib.error.URLError):
            return None

    def resolve(self, host: str) -> list[str]:
        """What a demo endpoint name resolves to now (asked every time: it moves with a failover); other
        names go to the system resolver."""
        answer = self._get("resolve", host=host)
        if isinstance(answer, dict) and answer.get("addresses"):
            return [str(a) for a in answer["addresses"]]
        if isinstance(answer, dict) and _looks_like_rds_name(host):
            return []  # a demo name with no node yet (still creating), like NXDOMAIN
        return system_resolve(host)

    def notices(self) -> list[str]:
        """The demo server's notices (simulated databases, a database that did not start)."""
        info = self._get("info")
        if isinstance(info, dict) and isinstance(info.get("notices"), list):
            return [str(n) for n in info["notices"]]
        return []


def _looks_like_rds_name(host: str) -> bool:
    return host.lower().rstrip(".").endswith(".rds.amazonaws.com")


def _open_demo(opts: ConnectionOptions) -> Gateway:
    """A gateway to the embedded demo, isolated from the user's AWS config and credentials."""
    from wizard.demo import start_demo

    demo = start_demo(opts.demo_speed)
    try:
        return _demo_gateway(demo)
    except BaseException:
        demo.stop()
        raise


def _isolated_session(credentials: tuple[str, str], region: str) -> Any:
    """A boto3 session with these keys and nothing of the user's AWS set-up: a profile or config file
    must not leak into a demo (a missing AWS_PROFILE would even make the session fail), so those
    settings are read from nowhere."""
    import boto3
    import botocore.session

    core = botocore.session.Session(session_vars={
        "profile": (None, None, None, None),
        "config_file": (None, None, os.devnull, None),
        "credentials_file": (None, None, os.devnull, None),
    })
    access_key, secret_key = credentials
    return boto3.Session(botocore_session=core, aws_access_key_id=access_key,
                         aws_secret_access_key=secret_key, region_name=region)


def _demo_gateway(demo: Any) -> Gateway:
    session = _isolated_session(demo.credentials, demo.region)
    return Gateway(session, region=demo.region, profile=None, endpoint_url=demo.endpoint_url,
                   label=LABEL_DEMO, resolver=demo.resolve, on_close=demo.stop,
                   time_scale=float(demo.speed), notices=lambda: [*demo.notices, *demo.problems],
                   programs=demo.program, target="demo", drills=demo.drills)

