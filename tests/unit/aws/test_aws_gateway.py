"""The gateway resolves profile, region and endpoint as the AWS CLI v2 does, and makes clients once."""

from __future__ import annotations

import threading
import types
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import botocore.endpoint
import pytest
from botocore.exceptions import ClientError, NoRegionError, ProfileNotFound
from botocore.stub import Stubber

from wizard.aws import ConnectionOptions, Gateway, explain, open_gateway
from wizard.aws.gateway import MAX_ATTEMPTS, is_aws_endpoint, resolve_region, system_resolve
from wizard.cli import build_parser

CONFIG = """\
[default]
region = us-west-2

[profile dev]
region = eu-central-1

[profile noregion]
output = json
"""


@pytest.fixture
def configured(aws_env: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A config file with a default and a named profile, and static keys in the credentials file."""
    (aws_env / "aws-config").write_text(CONFIG)
    (aws_env / "aws-credentials").write_text(
        "[default]\naws_access_key_id = AKIADEFAULT\naws_secret_access_key = s\n"
        "[dev]\naws_access_key_id = AKIADEV\naws_secret_access_key = s\n"
        "[noregion]\naws_access_key_id = AKIANOREGION\naws_secret_access_key = s\n")
    return aws_env


def test_options_from_cli_arguments() -> None:
    args = build_parser().parse_args(["watch", "orders-db", "--profile", "dev", "--region", "eu-west-3",
                                      "--endpoint-url", "http://localhost:4566"])
    assert ConnectionOptions.from_args(args) == ConnectionOptions(
        profile="dev", region="eu-west-3", endpoint_url="http://localhost:4566", demo=False, demo_speed=None)
    demo = ConnectionOptions.from_args(build_parser().parse_args(["--demo", "--demo-speed", "500"]))
    assert demo.demo and demo.demo_speed == 500.0
    # A subcommand without connection options still gives the defaults.
    assert ConnectionOptions.from_args(build_parser().parse_args(["presets"])) == ConnectionOptions()


@pytest.mark.parametrize(("explicit", "env", "session", "expected"), [
    ("sa-east-1", {"AWS_REGION": "ca-central-1"}, "us-west-2", "sa-east-1"),
    (None, {"AWS_REGION": "ca-central-1"}, "us-west-2", "ca-central-1"),
    (None, {}, "us-west-2", "us-west-2"),
    (None, {"AWS_REGION": ""}, None, None),
])
def test_resolve_region_order(explicit: str | None, env: dict[str, str], session: str | None,
                              expected: str | None) -> None:
    assert resolve_region(explicit, env, session) == expected


def test_region_from_default_profile(configured: Path) -> None:
    gateway = open_gateway(ConnectionOptions())
    assert (gateway.region, gateway.profile) == ("us-west-2", "default")


def test_region_from_named_profile(configured: Path) -> None:
    assert open_gateway(ConnectionOptions(profile="dev")).region == "eu-central-1"


def test_profile_from_aws_profile(configured: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_PROFILE", "dev")
    gateway = open_gateway(ConnectionOptions())
    assert (gateway.region, gateway.profile) == ("eu-central-1", "dev")
    assert gateway.client("rds")._request_signer._credentials.access_key == "AKIADEV"


def test_aws_default_region_beats_profile(configured: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ap-south-1")
    assert open_gateway(ConnectionOptions(profile="dev")).region == "ap-south-1"


def test_aws_region_beats_aws_default_region(configured: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ap-south-1")
    monkeypatch.setenv("AWS_REGION", "ca-central-1")
    gateway = open_gateway(ConnectionOptions(profile="dev"))
    assert gateway.region == "ca-central-1"
    assert gateway.client("rds").meta.region_name == "ca-central-1"


def test_region_flag_beats_everything(configured: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ap-south-1")
    monkeypatch.setenv("AWS_REGION", "ca-central-1")
    assert open_gateway(ConnectionOptions(profile="dev", region="sa-east-1")).region == "sa-east-1"


def test_no_region_anywhere_is_explained(configured: Path) -> None:
    with pytest.raises(NoRegionError) as raised:
        open_gateway(ConnectionOptions(profile="noregion"))
    error = explain(raised.value, profile="noregion")
    assert "region" in error.title.lower()
    assert "--region" in error.next_step and "AWS_REGION" in error.next_step
    assert "aws configure set region eu-west-1 --profile noregion" in error.next_step


def test_missing_profile_is_explained(configured: Path) -> None:
    with pytest.raises(ProfileNotFound) as raised:
        open_gateway(ConnectionOptions(profile="nope"))
    error = explain(raised.value)
    assert "'nope'" in error.title
    assert "aws configure sso --profile nope" in error.next_step


def test_default_endpoint_is_aws(fake_keys: Path) -> None:
    gateway = open_gateway(ConnectionOptions())
    assert gateway.endpoint == "https://rds.eu-west-1.amazonaws.com"
    assert gateway.label == "AWS"


@pytest.mark.parametrize("variable", ["AWS_ENDPOINT_URL_RDS", "AWS_ENDPOINT_URL"])
def test_endpoint_from_environment(fake_keys: Path, monkeypatch: pytest.MonkeyPatch, variable: str) -> None:
    monkeypatch.setenv(variable, "http://localhost:4566")
    gateway = open_gateway(ConnectionOptions())
    assert gateway.endpoint == "http://localhost:4566"
    assert gateway.label == "ENDPOINT"


def test_endpoint_flag_beats_environment(fake_keys: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_RDS", "http://localhost:4566")
    gateway = open_gateway(ConnectionOptions(endpoint_url="http://127.0.0.1:5000"))
    assert gateway.endpoint == "http://127.0.0.1:5000"
    # The flag applies to every service the wizard calls (a demo server or LocalStack serves them all).
    assert gateway.client("ec2").meta.endpoint_url == "http://127.0.0.1:5000"


def test_is_aws_endpoint() -> None:
    assert is_aws_endpoint("https://rds.eu-west-1.amazonaws.com")
    assert is_aws_endpoint("https://rds.cn-north-1.amazonaws.com.cn")
    assert not is_aws_endpoint("http://localhost.localstack.cloud:4566")
    assert not is_aws_endpoint("http://127.0.0.1:4566")


def test_clients_are_made_once_with_retries_and_timeouts(fake_keys: Path) -> None:
    gateway = open_gateway(ConnectionOptions())
    rds = gateway.client("rds")
    assert gateway.client("rds") is rds
    config = rds.meta.config
    assert config.retries["mode"] == "standard"
    assert config.retries["total_max_attempts"] == MAX_ATTEMPTS
    assert config.connect_timeout <= 10 and config.read_timeout <= 60


def test_adaptive_retries_when_asked(fake_keys: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_RETRY_MODE", "adaptive")
    assert open_gateway(ConnectionOptions()).client("rds").meta.config.retries["mode"] == "adaptive"


def test_identity_asks_sts_once_and_counts_calls(fake_keys: Path) -> None:
    gateway = open_gateway(ConnectionOptions())
    with Stubber(gateway.client("sts")) as stub:
        stub.add_response("get_caller_identity", {"Account": "111122223333", "UserId": "AIDA",
                                                  "Arn": "arn:aws:iam::111122223333:user/me"})
        identity = gateway.identity()
        assert gateway.identity() is identity
    assert (identity.account, identity.region, identity.profile, identity.label) == (
        "111122223333", "eu-west-1", "default", "AWS")
    assert "111122223333" in identity.summary() and "eu-west-1" in identity.summary()
    assert gateway.call_counts() == {"sts:GetCallerIdentity": 1}
    assert gateway.repeated_calls() == {}


def test_repeated_calls_are_reported(fake_keys: Path) -> None:
    gateway = open_gateway(ConnectionOptions())
    rds = gateway.client("rds")
    with Stubber(rds) as stub:
        for _ in range(3):
            stub.add_response("describe_db_subnet_groups", {"DBSubnetGroups": []})
        rds.describe_db_subnet_groups()
        rds.describe_db_subnet_groups()
        rds.describe_db_subnet_groups(DBSubnetGroupName="other")
    assert gateway.call_counts() == {"rds:DescribeDBSubnetGroups": 3}
    assert gateway.repeated_calls() == {"rds:DescribeDBSubnetGroups": 1}


def test_resolve_uses_the_given_resolver() -> None:
    gateway = Gateway(object(), region="us-east-1", profile=None, resolver=lambda host: [f"10.0.0.1:{host}"])
    assert gateway.resolve("db.example") == ["10.0.0.1:db.example"]


def test_system_resolver_knows_localhost() -> None:
    assert set(system_resolve("localhost")) & {"127.0.0.1", "::1"}


def test_close_runs_once() -> None:
    closed: list[int] = []
    gateway = Gateway(object(), region="us-east-1", profile=None, on_close=lambda: closed.append(1))
    with gateway:
        pass
    gateway.close()
    assert closed == [1]


# A tiny RDS endpoint on loopback that throttles: botocore's retries (not ours) must get through.
_THROTTLED = (b'<ErrorResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><Error><Type>Sender</Type>'
              b"<Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r</RequestId>"
              b"</ErrorResponse>")
_SUBNET_GROUPS = (b'<DescribeDBSubnetGroupsResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/">'
                  b"<DescribeDBSubnetGroupsResult><DBSubnetGroups/></DescribeDBSubnetGroupsResult>"
                  b"<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DescribeDBSubnetGroupsResponse>")


class _ThrottlingServer:
    def __init__(self, throttle_first: int) -> None:
        self.throttle_first = throttle_first
        self.requests = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                outer.requests += 1
                throttled = outer.requests <= outer.throttle_first
                body = _THROTTLED if throttled else _SUBNET_GROUPS
                self.send_response(400 if throttled else 200)
                self.send_header("Content-Type", "text/xml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def no_backoff_sleep(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Record botocore's backoff sleeps instead of sleeping them."""
    sleeps: list[float] = []
    monkeypatch.setattr(botocore.endpoint, "time", types.SimpleNamespace(sleep=sleeps.append))
    return sleeps


@pytest.fixture
def throttling_server() -> Iterator[_ThrottlingServer]:
    server = _ThrottlingServer(throttle_first=2)
    yield server
    server.close()


def test_throttling_is_retried_by_botocore(fake_keys: Path, throttling_server: _ThrottlingServer,
                                           no_backoff_sleep: list[float]) -> None:
    gateway = open_gateway(ConnectionOptions(endpoint_url=throttling_server.url))
    assert gateway.catalog.subnet_groups() == []
    assert throttling_server.requests == 3
    assert len(no_backoff_sleep) == 2
    # One API call as far as the wizard is concerned; the retries are botocore's.
    assert gateway.call_counts() == {"rds:DescribeDBSubnetGroups": 1}


def test_throttling_that_outlasts_the_retries_is_explained(
        fake_keys: Path, throttling_server: _ThrottlingServer, no_backoff_sleep: list[float]) -> None:
    throttling_server.throttle_first = 100
    gateway = open_gateway(ConnectionOptions(endpoint_url=throttling_server.url))
    with pytest.raises(ClientError) as raised:
        gateway.catalog.subnet_groups()
    assert throttling_server.requests == MAX_ATTEMPTS
    error = explain(raised.value)
    assert error.code == "Throttling"
    assert f"after {MAX_ATTEMPTS} attempts" in error.title
    assert "wait" in error.next_step.lower()
    # An error is never cached: the next look-up asks again.
    throttling_server.throttle_first = 0
    assert gateway.catalog.subnet_groups() == []


class _FakeDemoServer:
    """Answers the demo's info path as `rds-wizard demo-server` does; `addresses` is what names resolve to."""

    def __init__(self, info: dict[str, object] | None) -> None:
        import json

        self.addresses: list[str] = ["127.10.0.1"]
        self.asked: list[str] = []
        self.signed: list[str] = []  # the Authorization header of each AWS call
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.asked.append(self.path)
                if info is None or not self.path.startswith("/rds-wizard-demo/"):
                    self.send_error(404)
                    return
                what = self.path.split("?")[0].rsplit("/", 1)[1]
                body = json.dumps(info if what == "info" else {"addresses": outer.addresses}).encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self) -> None:
                outer.signed.append(self.headers.get("Authorization", ""))
                self.send_error(400)

            def log_message(self, *_args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_a_demo_server_at_a_loopback_endpoint_lends_its_resolver_and_speed(fake_keys: Path) -> None:
    server = _FakeDemoServer({"demo": True, "speed": 60.0, "notices": ["simulated listeners here"]})
    try:
        gateway = open_gateway(ConnectionOptions(endpoint_url=server.url))
        assert gateway.label == "DEMO" and gateway.time_scale == 60.0
        assert gateway.poll_floor_seconds == pytest.approx(5.0 / 60)
        name = "db1.abc.us-east-1.rds.amazonaws.com"
        assert gateway.resolve(name) == ["127.10.0.1"]
        server.addresses = ["127.10.1.1"]  # a failover: asked again, never cached
        assert gateway.resolve(name) == ["127.10.1.1"]
        server.addresses = []
        assert gateway.resolve(name) == []  # not created yet: no answer, not the real DNS's
        assert gateway.notices() == ["simulated listeners here"]
        assert sum("resolve?host=db1.abc" in path for path in server.asked) == 3
    finally:
        server.close()


def test_a_demo_server_needs_no_account_credentials_region_or_profile(
        aws_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A fresh shell (nothing configured, even a stale AWS_PROFILE) reaches a demo server: the gateway signs
    with the demo's keys, never the user's, takes the demo's region, and has nothing to sign in to."""
    from wizard.aws.gateway import DemoServer

    monkeypatch.setenv("AWS_PROFILE", "not-configured-here")
    server = _FakeDemoServer({"demo": True, "speed": 30.0, "region": "us-east-1"})
    try:
        gateway = open_gateway(ConnectionOptions(endpoint_url=server.url))
        assert (gateway.target, gateway.region, gateway.profile) == ("demo-server", "us-east-1", None)
        from botocore.parsers import ResponseParserError

        with pytest.raises(ResponseParserError):  # the fake answers an AWS call with a 400 page, once signed
            gateway.client("rds").describe_db_instances()
        assert server.signed and all(f"Credential={DemoServer.CREDENTIALS[0]}/" in h for h in server.signed)
        assert "/us-east-1/rds/" in server.signed[0]
        moved = open_gateway(ConnectionOptions(endpoint_url=server.url, region="eu-west-2"))
        assert moved.region == "eu-west-2"  # only --region moves it off the demo's own
    finally:
        server.close()


def test_a_loopback_endpoint_where_nothing_listens_is_unreachable_not_unsigned(aws_env: Path) -> None:
    """Terminal 3 before terminal 1: the wizard says nothing answers there, not "aws sso login"."""
    import socket

    from botocore.exceptions import EndpointConnectionError

    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{closed.getsockname()[1]}"  # bound, never listening: refused
        with pytest.raises(EndpointConnectionError) as info:
            open_gateway(ConnectionOptions(endpoint_url=url))
    error = explain(info.value)
    assert error.title == f"Cannot reach {url}" and "rds-wizard demo-server" in error.next_step
    assert "sso" not in error.render() and "credentials" not in error.render()


def test_the_demo_servers_keys_are_the_ones_it_prints() -> None:
    from wizard.aws.gateway import DemoServer
    from wizard.demo import server

    assert DemoServer.CREDENTIALS == (server.ACCESS_KEY, server.SECRET_KEY)
    assert DemoServer.REGION == server.REGION


def test_other_endpoints_are_not_taken_for_a_demo_server(fake_keys: Path) -> None:
    server = _FakeDemoServer(None)  # LocalStack or any other RDS-compatible endpoint
    try:
        gateway = open_gateway(ConnectionOptions(endpoint_url=server.url))
        assert gateway.label == "ENDPOINT" and gateway.time_scale == 1.0 and gateway.notices() == []
    finally:
        server.close()
    from wizard.aws.gateway import DemoServer, is_loopback_url

    assert is_loopback_url("http://localhost:4566") and is_loopback_url("http://[::1]:4566")
    assert not is_loopback_url("https://rds.us-east-1.amazonaws.com")
    assert not is_loopback_url("http://10.0.0.5:4566")
    assert DemoServer.probe("http://10.0.0.5:4566") is None  # never asked: not this machine
