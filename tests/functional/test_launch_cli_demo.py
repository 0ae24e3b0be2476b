"""End to end on the demo, in line mode: `rds-wizard launch --demo ... --yes --failover-test`.

The demo is started by the command itself (it lives only for the process); the tests keep a handle on it
by wrapping `wizard.demo.start_demo`, so the report can be compared with the demo's own outage window.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from wizard.cli import main

pytestmark = [pytest.mark.slow, pytest.mark.timeout(240)]

DEMO_SPEED = "300"
# For the failover tests: the TCP probe samples every 0.1 s, so the outage (60-120 s of RDS time for an
# instance, 15-35 s for a cluster) must last several samples for its measured length to be meaningful.
FAILOVER_SPEED = "100"
CANARY = "Canary-Pw-D3mo9xQ7"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("RDS_WIZARD_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("RDS_WIZARD_REPORTS", raising=False)
    monkeypatch.delenv("RDS_WIZARD_MASTER_PASSWORD", raising=False)
    monkeypatch.delenv("RDS_WIZARD_DEMO_FAULTS", raising=False)
    return tmp_path / "home"


@pytest.fixture
def demos(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every demo the command under test starts (still inspectable after it was stopped)."""
    import wizard.demo

    started: list[Any] = []
    original = wizard.demo.start_demo

    def recording(*args: Any, **kwargs: Any) -> Any:
        demo = original(*args, **kwargs)
        started.append(demo)
        return demo

    monkeypatch.setattr(wizard.demo, "start_demo", recording)
    return started


def _reports(home: Path) -> list[Path]:
    return sorted((home / "data" / "reports").glob("failover-*.json"))


def test_launch_failover_test_exits_0_and_reports_the_demos_outage(
        home: Path, demos: list[Any], capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["launch", "--demo", "--preset", "teaching-demo", "--yes", "--failover-test",
                 "--demo-speed", FAILOVER_SPEED])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    assert "Traceback" not in out + err
    assert "status: creating" in out and "status: available" in out
    assert "Verdict: PASS" in out
    [report_path] = _reports(home)
    report = json.loads(report_path.read_text())
    assert report_path.with_suffix(".md").exists()
    assert report["verdict"] == "pass" and report["az_swapped"] is True
    [demo] = demos
    [window] = [w for w in demo.outage_windows("demo-db") if w.kind == "failover"]
    assert window.ended_at is not None
    outage = report["outage"]
    assert outage is not None, "the TCP probe saw no outage"
    assert abs(outage["start"] - window.started_at.timestamp()) <= 0.5
    assert abs(outage["end"] - window.ended_at.timestamp()) <= 0.5
    assert abs(outage["duration"] - (window.ended_at - window.started_at).total_seconds()) <= 0.5
    assert report["primary_az_before"] == window.from_az and report["primary_az_after"] == window.to_az


def test_faults_during_provisioning_are_ridden_out_and_nothing_is_created_twice(
        home: Path, demos: list[Any], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    # More throttles than botocore's 5 attempts absorb, dropped connections on the create itself (never
    # processed, resent by botocore) and on events, and a window where every connection drops.
    monkeypatch.setenv("RDS_WIZARD_DEMO_FAULTS", "drop:CreateDBInstance:2,throttle:DescribeDBInstances:12,"
                                                 "drop:DescribeEvents:6")
    code = main(["launch", "--demo", "--preset", "teaching-demo", "--yes", "--demo-speed", "120",
                 "--identifier", "faulty-db"])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    assert "Traceback" not in out + err
    assert "still following" in out  # a throttle outlasted botocore's retries and was reported
    assert "status: available" in out
    [demo] = demos
    assert demo.faults.injected.get("drop:CreateDBInstance") == 2
    assert demo.faults.injected.get("throttle:DescribeDBInstances", 0) >= 6
    assert out.count("DB instance created") == 1  # events are not repeated after a failed poll


def test_launch_twice_with_the_same_token_adopts_its_own_create(home: Path) -> None:
    from presets import load_preset
    from wizard.aws.gateway import ConnectionOptions, open_gateway
    from wizard.launch import LaunchError, launch

    spec = load_preset("teaching-demo")
    spec.settings.identifier = "retry-db"
    with open_gateway(ConnectionOptions(demo=True, demo_speed=600)) as gateway:
        first = launch(spec, gateway, token="token-1")
        again = launch(spec, gateway, token="token-1")  # what a botocore resend looks like to us
        assert not first.adopted_own_retry and again.adopted_own_retry
        with pytest.raises(LaunchError) as refused:
            launch(spec, gateway, token="someone-else")
        assert refused.value.existing == "retry-db"
        assert "rds-wizard watch retry-db" in refused.value.render()
        listed = gateway.client("rds").describe_db_instances()["DBInstances"]
        assert [db["DBInstanceIdentifier"] for db in listed].count("retry-db") == 1


def _self_managed_preset(tmp_path: Path) -> Path:
    import presets

    source = Path(presets.__file__).with_name("teaching-demo.toml").read_text()
    assert 'credentials = "secrets-manager"' in source
    path = tmp_path / "canary.toml"
    path.write_text(source.replace('credentials = "secrets-manager"', 'credentials = "self-managed"'))
    return path


def test_a_canary_password_never_appears_in_output_or_files(
        home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("RDS_WIZARD_MASTER_PASSWORD", CANARY)
    preset = _self_managed_preset(tmp_path)
    code = main(["launch", "--demo", "--preset", str(preset), "--yes", "--failover-test",
                 "--demo-speed", DEMO_SPEED, "--identifier", "canary-db"])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    assert CANARY not in out and CANARY not in err
    written = [p for p in home.rglob("*") if p.is_file()]
    assert _reports(home), "the failover report was not written"
    for path in written:
        assert CANARY.encode() not in path.read_bytes(), path


def test_self_managed_without_the_variable_is_refused_before_anything_starts(
        home: Path, tmp_path: Path, demos: list[Any], capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["launch", "--demo", "--preset", str(_self_managed_preset(tmp_path)), "--yes"])
    err = capsys.readouterr().err
    assert code == 2
    assert "RDS_WIZARD_MASTER_PASSWORD" in err
    assert demos == []


def test_without_yes_and_without_a_terminal_launch_refuses(
        home: Path, demos: list[Any], capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["launch", "--demo", "--preset", "teaching-demo"])
    err = capsys.readouterr().err
    assert code == 2
    assert "--yes" in err and "not a terminal" in err
    assert demos == []


def test_watch_and_failover_test_name_a_missing_identifier(
        home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["watch", "nope-db", "--demo", "--demo-speed", DEMO_SPEED]) == 1
    assert "no DB instance or Multi-AZ DB cluster named nope-db" in capsys.readouterr().err
    assert main(["failover-test", "nope-db", "--yes", "--demo", "--demo-speed", DEMO_SPEED]) == 1
    assert "nope-db" in capsys.readouterr().err


def test_a_multi_az_cluster_launches_and_fails_over_its_writer(
        home: Path, demos: list[Any], capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["launch", "--demo", "--preset", "multi-az-cluster-postgres", "--yes", "--failover-test",
                 "--demo-speed", FAILOVER_SPEED])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    assert "FailoverDBCluster" in out and "writer AZ:" in out
    [report_path] = _reports(home)
    report = json.loads(report_path.read_text())
    assert report["kind"] == "cluster" and report["az_swapped"] is True
    [demo] = demos
    [window] = demo.outage_windows(report["identifier"])
    assert report["outage"] is not None
    assert abs(report["outage"]["start"] - window.started_at.timestamp()) <= 0.5


def test_quitting_mid_provisioning_says_how_to_reattach(
        home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from wizard.commands import _live

    shown: list[Any] = []

    def quit_after_first(progress: Any) -> None:
        shown.append(progress)
        raise KeyboardInterrupt

    monkeypatch.setattr(_live, "print_progress", quit_after_first)
    code = main(["launch", "--demo", "--preset", "teaching-demo", "--yes", "--demo-speed", "30"])
    out = capsys.readouterr().out
    assert code == 130
    assert len(shown) == 1 and shown[0].status == "creating"
    assert "rds-wizard watch demo-db" in out


def test_an_aws_refusal_of_the_create_is_explained_without_a_traceback(
        home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("RDS_WIZARD_DEMO_FAULTS", "fail:CreateDBInstance:1:InsufficientDBInstanceCapacity")
    code = main(["launch", "--demo", "--preset", "teaching-demo", "--yes", "--demo-speed", DEMO_SPEED])
    out, err = capsys.readouterr()
    assert code == 1
    assert "capacity" in err.lower() and "Next:" in err
    assert "Traceback" not in out + err and "status:" not in out
