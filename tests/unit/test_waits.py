"""Waiting on AWS out loud: stall lines while it is silent, a drop ridden out, then the command that
resumes; for the follower, the create and the failover watch alike. Short policies keep these fast;
the real durations are measured in tests/benchmarks/bench_network_waits.py."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError, ConnectionClosedError, ReadTimeoutError

from wizard.aws import failover
from wizard.aws.errors import explain
from wizard.aws.failover import FailoverTest, preflight
from wizard.aws.provisioning import Follower, follow
from wizard.aws.waits import (
    NoAnswer,
    Silence,
    Stopped,
    WaitPolicy,
    call_out_loud,
    is_no_answer,
    ride_out,
    stall_line,
)

# Speaks every 0.2 s of silence, gives up after 1 s, asks again every 0.05 s.
QUICK = WaitPolicy(notice_every=0.2, ride_out=1.0, retry_every=0.05)
DROPPED = ConnectionClosedError(endpoint_url="https://rds.us-east-1.amazonaws.com")


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_stall_line_is_the_one_every_front_end_shows() -> None:
    assert stall_line(20) == "no answer from AWS for 20 s; still trying"


def test_silence_speaks_once_per_step_and_not_at_the_ride_out() -> None:
    clock = Clock()
    silence = Silence(WaitPolicy(notice_every=20, ride_out=60), clock)
    assert silence.due() is None and silence.silent_for() == 0  # nothing asked yet
    silence.asking()
    clock.now += 19
    assert silence.due() is None
    clock.now += 2
    assert silence.due() == stall_line(20)
    assert silence.due() is None  # said once
    silence.asking()  # a retry does not restart the silence
    clock.now += 20
    assert silence.due() == stall_line(40)
    clock.now += 20
    assert silence.due() is None and silence.exhausted()  # 60 s: giving up, not "still trying"
    assert silence.answered() == "AWS answers again after 61 s without an answer; carrying on."
    assert silence.silent_for() == 0 and silence.answered() is None


def test_an_answer_with_an_error_is_still_an_answer() -> None:
    throttled = ClientError({"Error": {"Code": "Throttling"}}, "DescribeDBInstances")
    assert not is_no_answer(throttled)
    assert is_no_answer(DROPPED)
    assert is_no_answer(ReadTimeoutError(endpoint_url="http://127.0.0.1:1"))


def test_a_call_that_hangs_is_spoken_about_then_given_up() -> None:
    said: list[str] = []
    release = threading.Event()
    with pytest.raises(NoAnswer) as raised:
        call_out_loud(lambda: release.wait(30), Silence(QUICK), said.append)
    release.set()
    assert said[:2] == [stall_line(0.2), stall_line(0.4)]
    assert raised.value.seconds >= QUICK.ride_out
    assert "check the endpoint" in explain(raised.value).next_step.lower()


def test_a_call_that_hangs_ends_when_told_to_stop_and_results_pass_through() -> None:
    release = threading.Event()
    with pytest.raises(Stopped):
        call_out_loud(lambda: release.wait(30), Silence(QUICK), print, should_stop=lambda: True)
    release.set()
    assert call_out_loud(lambda: 42, Silence(QUICK), print) == 42
    with pytest.raises(ZeroDivisionError):
        call_out_loud(lambda: 1 / 0, Silence(QUICK), print)


def test_ride_out_asks_again_until_the_drop_ends() -> None:
    said: list[str] = []
    failures = iter([DROPPED] * 8)

    def describe() -> str:
        error = next(failures, None)
        if error is not None:
            raise error
        return "instance"

    assert ride_out(describe, said.append, policy=WaitPolicy(0.1, 5.0, 0.05)) == "instance"
    assert stall_line(0.1) in said and said[-1].startswith("AWS answers again after")


def test_ride_out_gives_up_after_the_ride_out_and_raises_answers_at_once() -> None:
    def dropped() -> None:
        raise DROPPED

    with pytest.raises(NoAnswer):
        ride_out(dropped, print, policy=QUICK)

    def refused() -> None:
        raise ClientError({"Error": {"Code": "AccessDenied"}}, "DescribeDBInstances")

    with pytest.raises(ClientError):
        ride_out(refused, print, policy=QUICK)


# -- following a create -----------------------------------------------------------------------------

class FlakyRds:
    """Creating, then `silent` describes that get no answer (raised, or hung until released)."""

    def __init__(self, silent: int, *, hang: threading.Event | None = None) -> None:
        self.silent = silent
        self.hang = hang
        self.describes = 0

    def describe_db_instances(self, **_: Any) -> dict[str, Any]:
        self.describes += 1
        status = "creating"
        if self.describes > 1:
            if self.hang is not None:
                self.hang.wait(30)
                status = "available"
            elif self.silent:
                self.silent -= 1
                raise DROPPED
            else:
                status = "available"
        return {"DBInstances": [{"DBInstanceIdentifier": "db1", "DBInstanceStatus": status,
                                 "Engine": "postgres", "MultiAZ": False}]}

    def describe_events(self, **_: Any) -> dict[str, Any]:
        return {"Events": []}


class FakeGateway:
    time_scale = 200.0
    poll_floor_seconds = 0.0
    is_demo = True

    def __init__(self, rds: Any) -> None:
        self.rds = rds

    def client(self, name: str) -> Any:
        return self.rds

    def resolve(self, host: str) -> list[str]:
        return []


def _follow(rds: Any, policy: WaitPolicy) -> tuple[list[Any], Any]:
    follower = Follower(FakeGateway(rds), "db1", just_created=True, policy=policy,
                        events_since=datetime.now(UTC) - timedelta(minutes=1))
    seen: list[Any] = []
    return seen, follow(follower, seen.append)


def _lines(seen: list[Any], kind: str) -> list[str]:
    return [u.message for p in seen for u in p.updates if u.kind == kind]


def test_a_drop_while_following_is_said_out_loud_and_ridden_out() -> None:
    seen, final = _follow(FlakyRds(silent=12), WaitPolicy(0.1, 30.0, 0.05))
    assert final.outcome == "available"
    assert stall_line(0.1) in _lines(seen, "waiting")
    notices = _lines(seen, "notice")
    assert len([n for n in notices if "did not answer this time" in n]) == 1  # once, not per retry
    assert any(n.startswith("AWS answers again after") for n in notices)


def test_a_hung_describe_is_spoken_about_while_it_hangs() -> None:
    release = threading.Event()
    said: list[str] = []

    def on_update(progress: Any) -> None:
        said.extend(u.message for u in progress.updates if u.kind == "waiting")
        if len(said) >= 2:
            release.set()  # the network comes back after two stall lines

    follower = Follower(FakeGateway(FlakyRds(0, hang=release)), "db1", policy=WaitPolicy(0.1, 30.0, 0.05))
    final = follow(follower, on_update)
    assert final.outcome == "available"
    assert said[:2] == [stall_line(0.1), stall_line(0.2)]


def test_past_the_ride_out_following_ends_with_the_command_that_resumes() -> None:
    seen, final = _follow(FlakyRds(silent=10_000), QUICK)
    assert final.outcome == "no-answer" and final.finished
    [notice] = final.notices
    assert notice.title.startswith("No answer from AWS for")
    assert "`rds-wizard watch db1`" in notice.next_step and "keeps being created" in notice.next_step
    assert any(u.kind == "warning" and "rds-wizard watch db1" in u.next_step for u in seen[-1].updates)


# -- the create -------------------------------------------------------------------------------------

class DroppedCreates:
    """The first `lost` creates and every describe meanwhile get no answer; then AWS answers."""

    def __init__(self, lost: int) -> None:
        self.lost = lost
        self.creates: list[dict[str, Any]] = []

    def create_db_instance(self, **request: Any) -> dict[str, Any]:
        if self.lost:
            self.lost -= 1
            raise DROPPED
        self.creates.append(request)
        return {"DBInstance": {"DBInstanceIdentifier": request["DBInstanceIdentifier"]}}

    def describe_db_instances(self, **_: Any) -> dict[str, Any]:
        if self.lost:
            raise DROPPED
        raise ClientError({"Error": {"Code": "DBInstanceNotFound", "Message": "no"},
                           "ResponseMetadata": {"HTTPStatusCode": 404}}, "DescribeDBInstances")


def _launch(rds: DroppedCreates, policy: WaitPolicy) -> tuple[list[str], Any]:
    from test_launch import spec

    from wizard.launch import launch

    said: list[str] = []
    return said, launch(spec(), FakeGateway(rds), token="mine", on_wait=said.append, policy=policy)


def test_a_create_sent_into_a_drop_is_sent_again_once_aws_answers() -> None:
    rds = DroppedCreates(lost=6)
    said, result = _launch(rds, WaitPolicy(0.1, 30.0, 0.05))
    assert len(rds.creates) == 1 and not result.adopted_own_retry
    assert stall_line(0.1) in said and said[-1].startswith("AWS answers again after")


def test_a_create_that_gets_no_answer_past_the_ride_out_names_the_watch_command() -> None:
    from wizard.launch import LaunchError

    with pytest.raises(LaunchError) as failed:
        _launch(DroppedCreates(lost=10_000), QUICK)
    assert failed.value.title.startswith("No answer from AWS for")
    assert "rds-wizard watch demo-db" in failed.value.next_step


# -- the failover watch -----------------------------------------------------------------------------

def test_a_failover_watch_rides_out_a_drop_and_gives_up_past_the_ride_out(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from test_failover_flow import Gateway, ScriptedFailover

    monkeypatch.setattr(failover, "WARM_UP_SECONDS", 0.0)
    monkeypatch.setattr(failover, "POST_ROLL_SECONDS", 0.0)
    monkeypatch.setattr(failover, "MIN_AZ_GRACE_SECONDS", 0.2)

    class Dropping(ScriptedFailover):
        drops = 0

        def describe_events(self, **kwargs: Any) -> dict[str, Any]:
            if self.rebooted and self.drops:
                self.drops -= 1
                raise DROPPED
            return super().describe_events(**kwargs)

    def run(drops: int, policy: WaitPolicy) -> Any:
        rds = Dropping([("rebooting", "us-east-1a", []),
                        ("available", "us-east-1b", ["Multi-AZ instance failover completed."])])
        rds.drops = drops
        gateway = Gateway(rds)
        return FailoverTest(gateway, preflight(gateway, "db1"), policy=policy).run(confirmation="db1")

    report = run(25, WaitPolicy(0.1, 30.0, 0.05))
    notes = [e.message for e in report.timeline if e.kind == "note"]
    assert report.verdict == "pass" and report.az_swapped
    assert stall_line(0.1) in notes and any(n.startswith("AWS answers again after") for n in notes)

    report = run(10_000, QUICK)
    assert report.stopped_early and report.verdict == "fail"
    warnings = [e.message for e in report.timeline if e.kind == "warning"]
    assert any("stopped watching the failover" in w and "rds-wizard watch db1" in w for w in warnings)
    assert any("rds-wizard watch db1" in n for n in report.measurement_notes)


def test_a_failover_request_sent_into_a_drop_is_checked_then_sent_once(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from test_failover_flow import Gateway, ScriptedFailover

    monkeypatch.setattr(failover, "WARM_UP_SECONDS", 0.0)
    monkeypatch.setattr(failover, "POST_ROLL_SECONDS", 0.0)

    class LostAnswers(ScriptedFailover):
        """The first reboot gets no answer; `landed` says whether it reached RDS all the same."""

        def __init__(self, landed: bool) -> None:
            super().__init__([("rebooting", "us-east-1a", []),
                              ("available", "us-east-1b", ["Multi-AZ instance failover completed."])])
            self.landed, self.reboots = landed, 0

        def reboot_db_instance(self, **kwargs: Any) -> dict[str, Any]:
            self.reboots += 1
            if self.reboots == 1:
                if self.landed:
                    super().reboot_db_instance(**kwargs)
                raise DROPPED
            return super().reboot_db_instance(**kwargs)

    for landed, reboots in ((True, 1), (False, 2)):
        rds = LostAnswers(landed)
        gateway = Gateway(rds)
        report = FailoverTest(gateway, preflight(gateway, "db1"),
                              policy=WaitPolicy(0.1, 30.0, 0.05)).run(confirmation="db1")
        assert report.verdict == "pass" and rds.reboots == reboots
        assert any("did not answer the failover request" in e.message for e in report.timeline)


def test_plain_mode_says_the_stall_and_ends_with_the_command_that_resumes() -> None:
    from wizard.plain_progress import follow_lines

    class Result:
        identifier = "db1"
        password_generated = False
        password = None
        master_username = "postgres"
        database_name = None

        def follower(self, gateway: Any) -> Follower:
            return Follower(gateway, "db1", just_created=True, policy=QUICK)

    said: list[str] = []
    code = follow_lines(Result(), FakeGateway(FlakyRds(silent=10_000)), said.append)  # type: ignore[arg-type]
    assert code == 1
    assert any(line.endswith(stall_line(0.2)) for line in said)
    assert any("`rds-wizard watch db1`" in line for line in said)
    assert said[-1].startswith("✗ db1 did not become available: No answer from AWS for")
