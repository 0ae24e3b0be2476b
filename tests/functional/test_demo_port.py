"""The demo's HTTP port serves AWS and its info path, nothing else: hostile requests from a local user or
a web page the user visits, against `demo-server` and the in-process demo."""

from __future__ import annotations

import http.client
import os
import queue
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from demo_support import wait_for

EVIL = "http://evil.example"
RDS_SIGNED = ("AWS4-HMAC-SHA256 Credential=AKIADEMODEMODEMODEMO/20260101/us-east-1/rds/aws4_request, "
              "SignedHeaders=host;x-amz-date, Signature=0000")
LAMBDA_SIGNED = RDS_SIGNED.replace("/rds/", "/lambda/")
FORM = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
DELETE_BODY = "Action=DeleteDBInstance&Version=2014-10-31&DBInstanceIdentifier=kept-db&SkipFinalSnapshot=true"

# (what, method, path, headers, body): each must get 404, no CORS header, no traceback, no effect.
HOSTILE = [
    ("moto reset", "POST", "/moto-api/reset", {}, ""),
    ("moto reset, GET", "GET", "/moto-api/reset", {}, ""),
    ("moto reset with a signed RDS header", "POST", "/moto-api/reset", {"Authorization": RDS_SIGNED}, ""),
    ("moto data.json", "GET", "/moto-api/data.json", {}, ""),
    ("moto recorder start", "POST", "/moto-api/recorder/start-recording", {}, ""),
    ("moto recorder download", "GET", "/moto-api/recorder/download-recording", {}, ""),
    ("moto recorder upload", "POST", "/moto-api/recorder/upload-recording", {}, "x"),
    ("moto dashboard", "GET", "/moto-api/dashboard", {}, ""),
    ("moto dashboard root", "GET", "/moto-api/", {}, ""),
    ("moto seed", "POST", "/moto-api/seed?a=42", {}, ""),
    ("favicon", "GET", "/favicon.ico", {}, ""),
    ("instance metadata", "GET", "/latest/meta-data/iam/security-credentials/", {}, ""),
    ("a random path", "GET", "/etc/passwd", {}, ""),
    ("a random path, signed", "POST", "/admin", {"Authorization": RDS_SIGNED}, ""),
    ("unsigned form post from a web page", "POST", "/", {**FORM, "Origin": EVIL}, DELETE_BODY),
    ("query-string presigned GET", "GET",
     "/?Action=DeleteDBInstance&Version=2014-10-31&DBInstanceIdentifier=kept-db&SkipFinalSnapshot=true"
     "&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F20260101%2Fus-east-1%2Frds%2Faws4_request"
     "&X-Amz-Signature=00", {"Origin": EVIL}, ""),
    ("a service the demo does not implement", "POST", "/", {**FORM, "Authorization": LAMBDA_SIGNED},
     "Action=ListFunctions"),
    ("CORS preflight", "OPTIONS", "/", {"Origin": EVIL, "Access-Control-Request-Method": "POST",
                                        "Access-Control-Request-Headers": "authorization"}, ""),
    ("CORS preflight on moto's reset", "OPTIONS", "/moto-api/reset",
     {"Origin": EVIL, "Access-Control-Request-Method": "POST"}, ""),
    ("PUT", "PUT", "/", {"Authorization": RDS_SIGNED}, "x"),
    ("DELETE", "DELETE", "/", {"Authorization": RDS_SIGNED}, ""),
]


def _request(url: str, method: str, path: str, headers: dict[str, str],
             body: str) -> tuple[int, dict[str, str], bytes]:
    host, port = url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        conn.request(method, path, body=body.encode() or None, headers=headers)
        answer = conn.getresponse()
        return answer.status, {k.lower(): v for k, v in answer.getheaders()}, answer.read()
    finally:
        conn.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _rds(url: str, **config: Any) -> Any:
    return boto3.client("rds", endpoint_url=url, region_name="us-east-1", aws_access_key_id="anything",
                        aws_secret_access_key="anything", config=Config(**config) if config else None)


class _Server:
    """`rds-wizard demo-server` in its own process, with moto's recorder asked for by the environment."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.recording = home / "recording.jsonl"
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "RDS_WIZARD_HOME": str(home), "PYTHONUNBUFFERED": "1",
               "RDS_WIZARD_DEMO_SIMULATED_DB": "1", "MOTO_ENABLE_RECORDING": "1",
               "MOTO_RECORDER_FILEPATH": str(self.recording)}
        env.pop("RDS_WIZARD_DEMO_FAULTS", None)
        # cwd: where moto would write its default `moto_recording` file.
        self.process = subprocess.Popen(
            [sys.executable, "-m", "wizard", "demo-server", "--port", str(self.port), "--demo-speed", "600"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=home,
            )
        self.output: list[str] = []
        self._line_queue: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line)
            self._line_queue.put(line)

    def wait_ready(self) -> None:
        wait_for("the demo server to be ready", lambda: any("Ctrl+C stops" in line for line in self.output)
                 or (self.process.poll() is not None and _died(self.output)))

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _died(output: list[str]) -> bool:
    raise AssertionError("the demo server exited:\n" + "".join(output))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[_Server]:
    running = _Server(tmp_path_factory.mktemp("demo-port"))
    try:
        running.wait_ready()
        rds = _rds(running.url)
        rds.create_db_instance(DBInstanceIdentifier="kept-db", DBInstanceClass="db.t4g.medium",
                               Engine="mysql", MasterUsername="admin", MasterUserPassword="Recorded-pw-5519",
                               AllocatedStorage=20, DBSubnetGroupName="demo-multi-az")
        yield running
    finally:
        running.stop()


@pytest.mark.parametrize(("what", "method", "path", "headers", "body"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_a_hostile_request_gets_404_and_changes_nothing(server: _Server, what: str, method: str, path: str,
                                                       headers: dict[str, str], body: str) -> None:
    status, answer_headers, content = _request(server.url, method, path, headers, body)
    assert status == 404, (what, content)
    assert not [h for h in answer_headers if h.startswith("access-control-")], answer_headers
    assert b"Traceback" not in content and b"moto" not in content.lower()
    [db] = _rds(server.url).describe_db_instances()["DBInstances"]
    assert db["DBInstanceIdentifier"] == "kept-db" and db["DBInstanceStatus"] != "deleting"


def test_nothing_was_recorded_and_no_traceback_was_printed(server: _Server) -> None:
    for _, method, path, headers, body in HOSTILE:
        _request(server.url, method, path, headers, body)
    rds = _rds(server.url)
    rds.create_db_instance(DBInstanceIdentifier="second-db", DBInstanceClass="db.t4g.medium", Engine="mysql",
                           MasterUsername="admin", MasterUserPassword="Recorded-pw-5520", AllocatedStorage=20,
                           DBSubnetGroupName="demo-multi-az")
    assert {d["DBInstanceIdentifier"] for d in rds.describe_db_instances()["DBInstances"]} == {
        "kept-db", "second-db"}
    assert not server.recording.exists()
    assert not (server.home / "moto_recording").exists()
    assert not list(server.home.rglob("*recording*"))
    printed = "".join(server.output)
    assert "Traceback" not in printed and "Recorded-pw" not in printed


def _signed(url: str, service: str, body: str, origin: str,
            headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """A SigV4-signed request as the AWS CLI would send it, plus an Origin header."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    request = AWSRequest("POST", f"{url}/", data=body, headers={**(headers or FORM), "Origin": origin})
    SigV4Auth(Credentials("AKIADEMODEMODEMODEMO", "anything"), service, "us-east-1").add_auth(request)
    return _request(url, "POST", "/", dict(request.headers.items()), body)


def test_aws_answers_and_the_info_path_carry_no_cors_header_for_a_foreign_origin(server: _Server) -> None:
    status, headers, content = _signed(server.url, "rds", "Action=DescribeDBSubnetGroups&Version=2014-10-31",
                                       EVIL)
    assert status == 200 and b"demo-multi-az" in content
    assert not [h for h in headers if h.startswith("access-control-")], headers
    status, headers, content = _request(server.url, "GET", "/rds-wizard-demo/info", {"Origin": EVIL}, "")
    assert status == 200 and b'"demo": true' in content
    assert not [h for h in headers if h.startswith("access-control-")]


JSON = {"Content-Type": "application/x-amz-json-1.1"}
SECRETS_CALL = "secretsmanager.GetSecretValue"
# Signed calls moto itself (or a handler of the demo's) could fail on: each gets an AWS error.
MALFORMED = [
    ("secretsmanager", "not json", {**JSON, "X-Amz-Target": SECRETS_CALL}, 500, "InternalFailure"),
    ("secretsmanager", "{}", {**JSON, "X-Amz-Target": "secretsmanager.NoSuchOp"}, 500, "InternalFailure"),
    ("rds", "Action=CreateDBInstance&Version=2014-10-31", FORM, 500, "<Code>InternalFailure</Code>"),
    ("rds", "Action=RebootDBInstance&Version=2014-10-31", FORM, 400, "<Code>MissingParameter</Code>"),
    ("rds", "Action=StopDBInstance&Version=2014-10-31", FORM, 400, "<Code>MissingParameter</Code>"),
]


@pytest.mark.parametrize(("service", "body", "headers", "status", "code"), MALFORMED,
                         ids=[f"{c[0]}:{c[1][:30]}" for c in MALFORMED])
def test_a_malformed_call_is_an_aws_error_not_a_traceback(
        server: _Server, service: str, body: str, headers: dict[str, str], status: int, code: str) -> None:
    answer, answer_headers, content = _signed(server.url, service, body, EVIL, headers)
    assert answer == status and code.encode() in content, content
    assert b"Traceback" not in content
    assert not [h for h in answer_headers if h.startswith("access-control-")]
    time.sleep(0.2)  # the server's output is read on another thread
    assert "Traceback" not in "".join(server.output)


# -- seeded before it answers ----------------------------------------------------------------------
def _first_connection(port: int, started: subprocess.Popen[str] | threading.Thread) -> None:
    """Return the instant a TCP connection to the port is accepted."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if isinstance(started, subprocess.Popen) and started.poll() is not None:
                raise AssertionError("the demo server exited before its port opened") from None
            time.sleep(0.002)
    raise AssertionError("the port never opened")


def _seeded_groups(port: int) -> set[str]:
    # No retries: the very first answer must be the seeded account.
    rds = _rds(f"http://127.0.0.1:{port}", retries={"max_attempts": 1, "mode": "standard"},
               read_timeout=120)
    return {g["DBSubnetGroupName"] for g in rds.describe_db_subnet_groups()["DBSubnetGroups"]}


def test_demo_server_answers_a_client_that_connects_the_instant_its_port_opens_with_the_seeded_account(
        tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "RDS_WIZARD_HOME": str(tmp_path), "RDS_WIZARD_DEMO_SIMULATED_DB": "1"}
    process = subprocess.Popen([sys.executable, "-m", "wizard", "demo-server", "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    try:
        _first_connection(port, process)
        assert _seeded_groups(port) == {"default", "demo-multi-az", "demo-single-az"}
    finally:
        process.terminate()
        _, err = process.communicate(timeout=30)
    assert "Traceback" not in err


def test_the_in_process_demo_answers_an_early_client_with_the_seeded_account(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RDS_WIZARD_DEMO_SIMULATED_DB", "1")
    from wizard.demo import start_demo

    port = _free_port()
    demos: list[Any] = []
    starting = threading.Thread(target=lambda: demos.append(start_demo(speed=600, port=port)), daemon=True)
    starting.start()
    try:
        _first_connection(port, starting)
        assert _seeded_groups(port) == {"default", "demo-multi-az", "demo-single-az"}
    finally:
        starting.join(timeout=60)
        for demo in demos:
            demo.stop()


def test_demo_server_help_states_what_the_port_serves() -> None:
    from wizard.cli import build_parser
    from wizard.demo.server import SERVED_SERVICES

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    text = " ".join(sub.choices["demo-server"].format_help().split())  # type: ignore[union-attr]
    names = {"rds": "RDS", "ec2": "EC2", "secretsmanager": "Secrets Manager", "sts": "STS",
             "monitoring": "CloudWatch"}
    assert set(names) == set(SERVED_SERVICES)
    for label in names.values():
        assert label in text
    assert "loopback only" in text and "nothing else (404)" in text and "no CORS" in text
    assert "records nothing" in text
