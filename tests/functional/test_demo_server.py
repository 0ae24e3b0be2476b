"""`rds-wizard demo-server` in its own process, driven and observed by a plain boto3 client from outside."""

from __future__ import annotations

import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from botocore.exceptions import ClientError
from demo_support import connects, follow_statuses, wait_for


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class _Server:
    def __init__(self, tmp_path: Path, speed: float) -> None:
        self.port = _free_port()
        env = {**os.environ, "RDS_WIZARD_HOME": str(tmp_path), "PYTHONUNBUFFERED": "1"}
        env.pop("RDS_WIZARD_DEMO_FAULTS", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "wizard", "demo-server", "--port", str(self.port),
             "--demo-speed", str(speed)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
        self.lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.port}"

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line)
            self.lines.put(line)

    def wait_for_line(self, text: str) -> str:
        def found() -> str | None:
            try:
                line = self.lines.get(timeout=0.1)
            except queue.Empty:
                if self.process.poll() is not None:
                    raise AssertionError("the demo server exited:\n" + "".join(self.output)) from None
                return None
            return line if text in line else None

        return wait_for(f"'{text}' from the demo server", found)

    def resolve(self, host: str) -> list[str]:
        query = urllib.parse.urlencode({"host": host})
        with urllib.request.urlopen(f"{self.url}/rds-wizard-demo/resolve?{query}", timeout=5) as answer:
            addresses: list[str] = json.load(answer)["addresses"]
            return addresses


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[_Server]:
    server = _Server(tmp_path, speed=600)
    try:
        yield server
    finally:
        if server.process.poll() is None:
            server.process.kill()
            server.process.wait()


@pytest.mark.slow
def test_demo_server_driven_by_a_plain_boto3_script(server: _Server) -> None:
    server.wait_for_line("Ctrl+C stops the server")
    assert f"serving at {server.url}" in "".join(server.output)
    rds = boto3.client("rds", endpoint_url=server.url, region_name="us-east-1",
                       aws_access_key_id="anything", aws_secret_access_key="anything")

    created = rds.create_db_instance(
        DBInstanceIdentifier="class-db", DBInstanceClass="db.t4g.medium", Engine="mysql", MultiAZ=True,
        MasterUsername="admin", MasterUserPassword="not-a-real-pw-1", AllocatedStorage=20,
        DBSubnetGroupName="demo-multi-az")["DBInstance"]
    assert created["DBInstanceStatus"] == "creating"
    history = follow_statuses(rds, "class-db")
    assert list(dict.fromkeys(db["DBInstanceStatus"] for db in history)) == [
        "creating", "modifying", "backing-up", "available"]
    before = history[-1]
    assert before["AvailabilityZone"] != before["SecondaryAvailabilityZone"]
    host, port = before["Endpoint"]["Address"], before["Endpoint"]["Port"]
    [old_address] = server.resolve(host)
    assert connects(old_address, port)
    server.wait_for_line("class-db: Finished DB instance backup")  # the server prints events as they happen

    with pytest.raises(ClientError) as info:
        rds.create_db_instance(DBInstanceIdentifier="bad-db", DBInstanceClass="db.t4g.medium", Engine="mysql",
                               MultiAZ=True, MasterUsername="admin", MasterUserPassword="not-a-real-pw-1",
                               AllocatedStorage=20, DBSubnetGroupName="demo-single-az")
    assert info.value.response["Error"]["Code"] == "DBSubnetGroupDoesNotCoverEnoughAZs"

    rds.reboot_db_instance(DBInstanceIdentifier="class-db", ForceFailover=True)
    after = follow_statuses(rds, "class-db")[-1]
    assert (after["AvailabilityZone"], after["SecondaryAvailabilityZone"]) == (
        before["SecondaryAvailabilityZone"], before["AvailabilityZone"])
    [new_address] = server.resolve(host)
    assert new_address != old_address and connects(new_address, port)
    messages = [e["Message"] for e in rds.describe_events(SourceIdentifier="class-db",
                                                         SourceType="db-instance")["Events"]]
    assert messages[-3:] == [
        "Multi-AZ instance failover started.",
        "Multi-AZ failover to standby complete - DNS propagation may take a few minutes.",
        "Multi-AZ instance failover completed."]

    server.process.send_signal(signal.SIGINT)
    assert server.process.wait(timeout=30) == 0
    assert "Demo server stopped" in "".join(server.output)
    assert not connects(new_address, port)


def test_demo_server_refuses_a_port_in_use(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "wizard", "demo-server", "--port", str(port)],
            capture_output=True, text=True, timeout=120,
            env={**os.environ, "RDS_WIZARD_HOME": str(tmp_path)})
    assert result.returncode == 2
    assert f"127.0.0.1:{port}" in result.stderr and "--port" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_a_second_rds_wizard_watches_and_fails_over_through_the_demo_server(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """--endpoint-url at a demo server: the gateway resolves its endpoint names through it and runs at
    its speed, so `watch` prints a working address and `failover-test` sees the DNS move and the outage."""
    from presets import load_preset
    from wizard.aws.gateway import ConnectionOptions, open_gateway
    from wizard.cli import main
    from wizard.demo.realdb import realdb_available
    from wizard.launch import launch

    server = _Server(tmp_path, speed=120)
    try:
        server.wait_for_line("Ctrl+C stops the server")
        for name, value in {"AWS_ACCESS_KEY_ID": "AKIADEMODEMODEMODEMO",
                            "AWS_SECRET_ACCESS_KEY": "demo-secret",
                            "RDS_WIZARD_HOME": str(tmp_path / "client")}.items():
            monkeypatch.setenv(name, value)
        for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "RDS_WIZARD_MASTER_PASSWORD"):
            monkeypatch.delenv(name, raising=False)
        options = ConnectionOptions(endpoint_url=server.url, region="us-east-1")
        with open_gateway(options) as gateway:
            assert gateway.identity().label == "DEMO"
            assert gateway.time_scale == 120 and gateway.poll_floor_seconds == pytest.approx(5 / 120)
            spec = load_preset("teaching-demo")
            spec.settings.identifier = "remote-db"
            launch(spec, gateway)
        args = ["--endpoint-url", server.url, "--region", "us-east-1"]
        assert main(["watch", "remote-db", *args]) == 0
        out = capsys.readouterr().out
        endpoint = next(line.split()[1] for line in out.splitlines() if line.startswith("Endpoint: "))
        [address] = server.resolve(endpoint)
        assert f"'host={address} port=5432 user=postgres dbname=postgres'" in out
        code = main(["failover-test", "remote-db", "--yes", *args])
        out = capsys.readouterr().out
        assert code == 0, out
        [new_address] = server.resolve(endpoint)
        assert new_address != address
        assert "DNS switched: " in out and f"{address} -> {new_address}" in out
        assert "Client-visible outage (TCP connect): " in out
        if realdb_available()[0]:
            assert "credentials: secret" in out and "RPO: 0" in out
    finally:
        server.process.send_signal(signal.SIGINT)
        try:
            server.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()
