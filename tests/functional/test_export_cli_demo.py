"""The exported AWS CLI command, run as printed against `rds-wizard demo-server`, then described."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from presets import builtin_names, load_preset
from wizard.exports import PASSWORD_ENV_VAR, export
from wizard.spec.request import to_request

pytestmark = pytest.mark.slow

CANARY = "Canary-Pw-5e1d0b"
VENV_BIN = Path(sys.executable).parent


def _aws() -> str:
    found = shutil.which("aws", path=str(VENV_BIN)) or shutil.which("aws")
    if found is None and Path("/root/.pyenv/shims/aws").exists():
        found = "/root/.pyenv/shims/aws"
    if found is None:
        pytest.skip("the AWS CLI is not installed (awscli is in the test extras)")
    return found


class DemoServer:
    """A running `rds-wizard demo-server` and what the AWS CLI needs to talk to it."""

    def __init__(self, process: subprocess.Popen[str], url: str, region: str, key: str, secret: str,
                 home: Path) -> None:
        self.process = process
        self.url = url
        self.region = region
        self.home = home
        self.env = {
            "PATH": f"{Path(_aws()).parent}{os.pathsep}{os.environ.get('PATH', '')}",
            "HOME": str(home),
            "AWS_ACCESS_KEY_ID": key, "AWS_SECRET_ACCESS_KEY": secret, "AWS_DEFAULT_REGION": region,
            # Keep any real AWS configuration out of it.
            "AWS_CONFIG_FILE": str(home / "aws-config"),
            "AWS_SHARED_CREDENTIALS_FILE": str(home / "aws-creds"),
            "RDS_WIZARD_HOME": str(home),
        }

    def aws(self, *args: str, extra_env: dict[str, str] | None = None) -> Any:
        """Run the AWS CLI against the demo; its JSON output."""
        done = subprocess.run([_aws(), *args, "--endpoint-url", self.url, "--output", "json"],
                              env=self.env | (extra_env or {}), capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    """`rds-wizard demo-server` on a free port, fast enough that nothing waits."""
    home = tmp_path_factory.mktemp("demo-home")
    process = subprocess.Popen(
        [str(VENV_BIN / "rds-wizard"), "demo-server", "--port", "0", "--demo-speed", "500"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env=os.environ | {"RDS_WIZARD_HOME": str(home), "PYTHONUNBUFFERED": "1"})
    assert process.stdout is not None
    url = region = key = secret = None
    lines = []
    for line in process.stdout:
        lines.append(line)
        if match := re.search(r"serving at (\S+) \(region (\S+)\)", line):
            url, region = match.group(1), match.group(2)
        if match := re.search(r"AWS_ACCESS_KEY_ID=(\S+) AWS_SECRET_ACCESS_KEY=(\S+)", line):
            key, secret = match.group(1), match.group(2)
        if "Ctrl+C stops the server" in line or len(lines) > 60:
            break
    assert url and region and key and secret, "".join(lines)
    server = DemoServer(process, url, region, key, secret, home)
    try:
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def _cases() -> list[Any]:
    cases = [pytest.param(name, False, id=name) for name in builtin_names()]
    cases.append(pytest.param("production-postgres", True, id="production-postgres-self-managed"))
    return cases


@pytest.mark.timeout(240)
@pytest.mark.parametrize(("preset", "self_managed"), _cases())
def test_exported_command_runs_against_the_demo(demo: DemoServer, preset: str, self_managed: bool) -> None:
    spec = load_preset(preset)
    spec.settings.identifier = f"cli-{preset}" + ("-sm" if self_managed else "")
    if self_managed:
        spec.settings.credentials = "self-managed"
    command = export(spec, "cli", endpoint_url=demo.url, region=demo.region)
    assert CANARY not in command
    env = demo.env | ({PASSWORD_ENV_VAR: CANARY} if self_managed else {})
    done = subprocess.run(["bash", "-c", command], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"{command}\n{done.stderr}"
    request = to_request(spec)
    if spec.is_cluster:
        created = json.loads(done.stdout)["DBCluster"]
        (described,) = demo.aws("rds", "describe-db-clusters", "--db-cluster-identifier",
                                spec.settings.identifier)["DBClusters"]
        assert described["DBClusterIdentifier"] == created["DBClusterIdentifier"] == spec.settings.identifier
        assert described["DBClusterInstanceClass"] == request["DBClusterInstanceClass"]
        assert described["AllocatedStorage"] == request["AllocatedStorage"]
        assert described.get("Iops") == request.get("Iops")
        assert described["StorageType"] == request["StorageType"]
    else:
        created = json.loads(done.stdout)["DBInstance"]
        (described,) = demo.aws("rds", "describe-db-instances", "--db-instance-identifier",
                                spec.settings.identifier)["DBInstances"]
        assert described["DBInstanceIdentifier"] == created["DBInstanceIdentifier"]
        assert described["DBInstanceIdentifier"] == spec.settings.identifier
        assert described["DBInstanceClass"] == request["DBInstanceClass"]
        assert described["MultiAZ"] == request.get("MultiAZ", False)
        assert described["AllocatedStorage"] == request["AllocatedStorage"]
        for parameter in ("MaxAllocatedStorage", "PreferredBackupWindow", "PreferredMaintenanceWindow"):
            if parameter in request:
                assert described[parameter] == request[parameter], parameter
    assert described["Engine"] == request["Engine"]
    assert described["MasterUsername"] == request["MasterUsername"]
    assert described["BackupRetentionPeriod"] == request["BackupRetentionPeriod"]
    assert described["DeletionProtection"] == request["DeletionProtection"]
    assert described["StorageEncrypted"] == request["StorageEncrypted"]
    assert bool(described.get("MasterUserSecret")) == (not self_managed)
    tags = {t["Key"]: t["Value"] for t in described.get("TagList", [])}
    assert {t["Key"]: t["Value"] for t in request.get("Tags", [])}.items() <= tags.items()
    assert CANARY not in json.dumps(described)
