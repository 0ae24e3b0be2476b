"""Network waits end to end, in line mode: a 30 s drop while a create is followed and while a failover
is measured is ridden out and said out loud; an endpoint that never answers is reported with what to
check. The durations themselves are measured in tests/benchmarks/bench_network_waits.py."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from silent_endpoint import SilentEndpoint

from wizard.aws.waits import stall_line
from wizard.cli import main

pytestmark = [pytest.mark.slow, pytest.mark.timeout(240)]

DROP = "30s"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("RDS_WIZARD_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("RDS_WIZARD_REPORTS", raising=False)
    monkeypatch.delenv("RDS_WIZARD_MASTER_PASSWORD", raising=False)
    monkeypatch.delenv("RDS_WIZARD_DEMO_FAULTS", raising=False)
    return tmp_path / "home"


@pytest.fixture
def demos(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every demo the command under test starts, to arm faults in it from the test."""
    import wizard.demo

    started: list[Any] = []
    original = wizard.demo.start_demo

    def recording(*args: Any, **kwargs: Any) -> Any:
        demo = original(*args, **kwargs)
        started.append(demo)
        return demo

    monkeypatch.setattr(wizard.demo, "start_demo", recording)
    return started


def test_a_30_s_drop_while_a_create_is_followed_is_said_and_ridden_out(
        home: Path, demos: list[Any], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    # The drop starts with the first DescribeEvents: the create was sent, following had begun.
    monkeypatch.setenv("RDS_WIZARD_DEMO_FAULTS", f"drop:{DROP}@DescribeEvents")
    code = main(["launch", "--demo", "--preset", "teaching-demo", "--yes", "--demo-speed", "120",
                 "--identifier", "drop-db"])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    assert "Traceback" not in out + err
    assert f"waiting   {stall_line(20)}" in out
    assert "AWS answers again after" in out
    assert "status: available" in out
    [demo] = demos
    assert demo.faults.injected.get("drop:DescribeEvents")  # the drop began while following
    assert demo.faults.injected.get("drop:DescribeDBInstances")  # and lasted over several polls


def test_a_30_s_drop_while_a_failover_is_measured_is_said_and_ridden_out(
        home: Path, demos: list[Any], capsys: pytest.CaptureFixture[str]) -> None:
    def arm_after_the_failover_request() -> None:
        while not demos:
            time.sleep(0.01)
        demo = demos[0]
        while not demo.calls.get("rds.RebootDBInstance"):
            time.sleep(0.01)
        demo.faults.add(f"drop:{DROP}")

    threading.Thread(target=arm_after_the_failover_request, daemon=True).start()
    code = main(["launch", "--demo", "--preset", "teaching-demo", "--yes", "--failover-test",
                 "--demo-speed", "100", "--identifier", "failover-drop-db"])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    assert "Traceback" not in out + err
    assert f"note    {stall_line(20)}" in out
    assert "AWS answers again after" in out
    assert "Verdict: PASS" in out
    [demo] = demos
    assert any(key.startswith("drop:") for key in demo.faults.injected)


def test_an_endpoint_that_never_answers_is_reported_with_what_to_check(
        home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    for name in list(os.environ):
        if name.startswith("AWS_") or name.lower() in ("http_proxy", "https_proxy", "all_proxy"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIATESTTESTTESTTEST")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test-secret")
    with SilentEndpoint() as silent:
        url = silent.url
        code = main(["watch", "orders-db", "--endpoint-url", url, "--region", "eu-west-1"])
    out, err = capsys.readouterr()
    assert code == 1, out + err
    assert "Traceback" not in out + err
    assert f"No answer from {url}" in err
    assert "--endpoint-url" in err and "(eu-west-1)" in err and "HTTPS_PROXY" in err
