"""Which failover drills a target offers, and the refusals that come before anything is sent (issue 16.1)."""

from __future__ import annotations

from typing import Any

import pytest

from wizard.aws.drills import DRILLS, demo_only_sentence, offered, refusal
from wizard.cli import main


class _NoCalls:
    """A gateway to real AWS (or another endpoint) that fails the test if anything is asked of AWS."""

    def __init__(self, target: str) -> None:
        self.target = target
        self.is_demo = False
        self.drills = None
        self.region = "eu-west-1"

    def client(self, name: str) -> Any:
        raise AssertionError(f"an AWS call ({name}) was made before the refusal")

    def identity(self) -> Any:
        raise AssertionError("no identity is needed to refuse")

    def resolve(self, host: str) -> list[str]:
        raise AssertionError("nothing is resolved before the refusal")

    def notices(self) -> list[str]:
        return []

    def close(self) -> None:
        pass


class _EmbeddedDemo(_NoCalls):
    def __init__(self) -> None:
        super().__init__("demo")
        self.is_demo = True
        self.drills = object()


@pytest.mark.parametrize("target", ["aws", "endpoint"])
@pytest.mark.parametrize("drill", ["host-failure", "az-outage"])
def test_real_aws_refuses_the_demo_only_drills_with_exit_2_before_any_call(
        target: str, drill: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from wizard.commands import _live

    monkeypatch.setattr(_live, "open_gateway", lambda _args: _NoCalls(target))
    monkeypatch.setattr(_live, "say_target", lambda _gateway: None)
    code = main(["failover-test", "prod-db", "--drill", drill, "--yes"])
    err = capsys.readouterr().err
    assert code == 2
    assert f"The {drill} drill needs the demo" in err and "AWS Fault Injection Service" in err


def test_launch_refuses_a_demo_only_drill_on_aws_before_creating_anything(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from wizard.commands import _live

    monkeypatch.setattr(_live, "open_gateway", lambda _args: _NoCalls("aws"))
    code = main(["launch", "--preset", "teaching-demo", "--yes", "--failover-test", "--drill", "az-outage"])
    assert code == 2 and "az-outage drill needs the demo" in capsys.readouterr().err


def test_only_the_forced_drill_is_offered_on_aws_and_all_three_in_the_demo() -> None:
    assert offered(_NoCalls("aws")) == ("forced",)
    assert offered(_NoCalls("endpoint")) == ("forced",)
    assert offered(_EmbeddedDemo()) == DRILLS
    assert refusal(_NoCalls("aws"), "forced", kind="instance", multi_az=True) is None
    assert refusal(_NoCalls("aws"), "host-failure", kind="instance", multi_az=True) == \
        demo_only_sentence("host-failure")


def test_the_demo_refuses_what_cannot_fail_over() -> None:
    demo = _EmbeddedDemo()
    single = refusal(demo, "az-outage", kind="instance", multi_az=False)
    assert single is not None and "down until the AZ returns" in single and "Single-AZ" in single
    assert refusal(demo, "host-failure", kind="instance", multi_az=False) is not None
    assert refusal(demo, "az-outage", kind="cluster", multi_az=True) is not None
    assert refusal(demo, "az-outage", kind="instance", multi_az=True) is None
    assert refusal(demo, "meteor", kind="instance", multi_az=True) is not None
