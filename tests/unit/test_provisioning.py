"""Following a create: the adaptive polling schedule, event dedupe, stages, problems, placement warnings."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError

from wizard.aws.provisioning import (
    MULTI_AZ_STAGES,
    SINGLE_AZ_STAGES,
    Follower,
    RdsEvent,
    connection_summary,
    dedupe_events,
    follow,
)
from wizard.aws.timing import PollSchedule, is_transient

T0 = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def client_error(code: str, status: int = 400, op: str = "DescribeDBInstances") -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": f"{code} happened"},
                        "ResponseMetadata": {"HTTPStatusCode": status}}, op)


# -- the schedule ----------------------------------------------------------------------------------

def test_real_aws_never_polls_more_than_once_per_5_seconds() -> None:
    schedule = PollSchedule(scale=1.0, floor=5.0)
    waits = [schedule.interval(t) for t in range(0, 3600, 7)]
    assert min(waits) >= 5.0
    assert schedule.interval(0) == 5.0
    assert schedule.interval(30 * 60) == 30.0


def test_polling_slows_down_as_the_create_drags_on() -> None:
    schedule = PollSchedule(scale=1.0, floor=5.0)
    waits = [schedule.interval(t) for t in (0, 59, 61, 299, 301, 1199, 1201, 5000)]
    assert waits == sorted(waits)
    assert waits[0] < waits[-1]


def test_the_demo_scales_the_schedule_but_keeps_its_floor() -> None:
    schedule = PollSchedule(scale=30.0, floor=5.0 / 30)
    assert schedule.interval(0) == pytest.approx(5.0 / 30)
    assert schedule.interval(20 * 60 / 30 + 1) == pytest.approx(30.0 / 30)
    fastest = PollSchedule(scale=1e6, floor=5.0 / 1e6)
    assert fastest.interval(0) >= 0.02  # even the fastest demo leaves the simulator some CPU


def test_transient_errors_back_off_within_a_cap() -> None:
    schedule = PollSchedule(scale=1.0, floor=5.0)
    waits = [schedule.interval(0, errors) for errors in range(0, 10)]
    assert waits == sorted(waits)
    assert waits[1] > waits[0]
    assert max(waits) == 60.0


def test_which_errors_are_transient() -> None:
    assert is_transient(client_error("Throttling"))
    assert is_transient(client_error("InternalFailure", 500))
    assert is_transient(EndpointConnectionError(endpoint_url="http://x"))
    assert not is_transient(client_error("AccessDenied", 403))
    assert not is_transient(ValueError("x"))


# -- events ----------------------------------------------------------------------------------------

def test_events_are_deduplicated_by_date_and_message_and_sorted() -> None:
    seen: set[tuple[str, str]] = set()
    a = RdsEvent(T0, "DB instance created")
    b = RdsEvent(T0 + timedelta(seconds=5), "Backing up DB instance")
    same_text_later = RdsEvent(T0 + timedelta(seconds=9), "Backing up DB instance")
    assert dedupe_events(seen, [b, a]) == [a, b]
    assert dedupe_events(seen, [a, b, same_text_later]) == [same_text_later]
    assert dedupe_events(seen, [a, b, same_text_later]) == []


# -- the follower against a scripted RDS -----------------------------------------------------------

class ScriptedRds:
    """Answers DescribeDBInstances from a script of states (or exceptions); events accumulate."""

    def __init__(self, script: list[dict[str, Any] | BaseException]) -> None:
        self.script: Iterator[dict[str, Any] | BaseException] = iter(script)
        self.current: dict[str, Any] | BaseException = {}
        self.events: list[dict[str, Any]] = []
        self.describes = 0

    def describe_db_instances(self, **_: Any) -> dict[str, Any]:
        self.describes += 1
        previous, self.current = self.current, next(self.script, self.current)
        if isinstance(self.current, BaseException):
            raise self.current
        state = dict(self.current)
        new_messages = state.pop("_events", []) if self.current is not previous else []
        for message in new_messages:
            self.events.append({"Date": T0 + timedelta(seconds=len(self.events)), "Message": message,
                                "SourceIdentifier": "db1"})
        return {"DBInstances": [state]}

    def describe_events(self, **kwargs: Any) -> dict[str, Any]:
        assert kwargs["SourceType"] == "db-instance" and kwargs["SourceIdentifier"] == "db1"
        # RDS may repeat events across polls; the follower must not.
        return {"Events": list(self.events)}


class FakeGateway:
    time_scale = 200.0
    poll_floor_seconds = 0.0
    is_demo = True

    def __init__(self, rds: Any) -> None:
        self.rds = rds

    def client(self, name: str) -> Any:
        assert name == "rds"
        return self.rds

    def resolve(self, host: str) -> list[str]:
        return ["127.0.0.9"] if host.startswith("db1.") else []


def inst(status: str, **more: Any) -> dict[str, Any]:
    return {"DBInstanceIdentifier": "db1", "DBInstanceStatus": status, "Engine": "postgres",
            "MasterUsername": "postgres", **more}


ENDPOINT = {"Address": "db1.abc.us-east-1.rds.amazonaws.com", "Port": 5432}


def run(script: list[dict[str, Any] | BaseException], **kwargs: Any) -> tuple[list[Any], Any]:
    rds = ScriptedRds(script)
    follower = Follower(FakeGateway(rds), "db1", events_since=T0 - timedelta(minutes=1), **kwargs)
    seen: list[Any] = []
    final = follow(follower, seen.append)
    return seen, final


def test_a_multi_az_create_walks_the_stage_line_and_reports_each_change_once() -> None:
    seen, final = run([
        inst("creating", MultiAZ=True, AvailabilityZone="us-east-1a", _events=["DB instance created"]),
        inst("creating", MultiAZ=True, AvailabilityZone="us-east-1a"),
        inst("modifying", MultiAZ=True, AvailabilityZone="us-east-1a", Endpoint=ENDPOINT,
             _events=["Applying modification to convert to a Multi-AZ DB instance"]),
        inst("backing-up", MultiAZ=True, AvailabilityZone="us-east-1a", Endpoint=ENDPOINT,
             SecondaryAvailabilityZone="us-east-1c", _events=["Backing up DB instance"]),
        inst("available", MultiAZ=True, AvailabilityZone="us-east-1a", Endpoint=ENDPOINT,
             SecondaryAvailabilityZone="us-east-1c", MasterUserSecret={"SecretArn": "arn:secret"},
             _events=["Finished DB instance backup"]),
    ])
    assert final.outcome == "available" and final.finished
    assert final.stages == MULTI_AZ_STAGES and final.stage == "available"
    assert [p.stage for p in seen] == ["creating", "creating", "modifying", "backing-up", "available"]
    lines = [(u.kind, u.message) for p in seen for u in p.updates]
    assert [m for k, m in lines if k == "status"] == ["status: creating", "status: modifying",
                                                      "status: backing-up", "status: available"]
    assert [m for k, m in lines if k == "event"] == [
        "DB instance created", "Applying modification to convert to a Multi-AZ DB instance",
        "Backing up DB instance", "Finished DB instance backup"]
    assert ("placement", "primary AZ: us-east-1a") in lines
    assert ("placement", "standby AZ: us-east-1c") in lines
    assert ("endpoint", "endpoint: db1.abc.us-east-1.rds.amazonaws.com:5432") in lines
    assert final.secret_arn == "arn:secret" and final.standby_az == "us-east-1c"
    assert not final.warnings


def test_a_single_az_stage_line_skips_modifying() -> None:
    _, final = run([inst("creating", MultiAZ=False), inst("available", MultiAZ=False, Endpoint=ENDPOINT)],
                   expect_multi_az=False)
    assert final.stages == SINGLE_AZ_STAGES
    assert not final.warnings


def test_transient_errors_become_notices_and_following_continues() -> None:
    seen, final = run([
        inst("creating", MultiAZ=True),
        client_error("Throttling"),
        EndpointConnectionError(endpoint_url="http://rds"),
        inst("available", MultiAZ=True, SecondaryAvailabilityZone="us-east-1b", Endpoint=ENDPOINT),
    ])
    assert final.outcome == "available"
    notices = [u.message for p in seen for u in p.updates if u.kind == "notice"]
    assert len(notices) == 2 and all("still following" in n for n in notices)
    assert final.transient_errors == 2
    assert seen[2].next_poll_in > seen[0].next_poll_in  # backed off after two errors in a row


@pytest.mark.parametrize("status", ["failed", "incompatible-network", "incompatible-parameters",
                                    "insufficient-capacity", "inaccessible-encryption-credentials",
                                    "storage-full"])
def test_problem_statuses_stop_following_with_what_to_do(status: str) -> None:
    seen, final = run([inst("creating"), inst(status)])
    assert final.outcome == "problem"
    [notice] = final.notices
    assert status in notice.title and notice.next_step
    assert any(u.kind == "warning" and u.next_step for u in seen[-1].updates)


def test_a_multi_az_request_that_ended_single_az_is_a_warning() -> None:
    _, final = run([
        inst("creating", MultiAZ=True),
        inst("available", MultiAZ=False, Endpoint=ENDPOINT,
             _events=["Insufficient instance capacity ... putting database instance into available"]),
    ], expect_multi_az=True)
    assert final.outcome == "available"
    [warning] = final.warnings
    assert "single-AZ" in warning.title and "--multi-az" in warning.next_step


def test_the_requested_deployment_tag_tells_watch_what_was_asked_for() -> None:
    tags = [{"Key": "rds-wizard:deployment", "Value": "multi-az-instance"}]
    _, final = run([inst("available", MultiAZ=False, Endpoint=ENDPOINT, TagList=tags)])
    assert final.expect_multi_az is True
    assert final.warnings and "single-AZ" in final.warnings[0].title


def test_not_found_right_after_a_create_is_waited_out_but_later_means_gone() -> None:
    not_found = client_error("DBInstanceNotFound", 404)
    _, final = run([not_found, inst("available", MultiAZ=False, Endpoint=ENDPOINT)], just_created=True)
    assert final.outcome == "available"
    _, final = run([not_found])
    assert final.outcome == "gone"


def test_should_stop_ends_following_without_finishing() -> None:
    rds = ScriptedRds([inst("creating")])
    follower = Follower(FakeGateway(rds), "db1")
    final = follow(follower, lambda _p: None, should_stop=lambda: True, sleep=lambda _s: None)
    assert final.outcome == "progressing" and rds.describes == 1


def test_estimates_are_scaled_by_the_demo_speed() -> None:
    _, final = run([inst("available", MultiAZ=True, SecondaryAvailabilityZone="b", Endpoint=ENDPOINT)])
    assert final.estimate == (15 * 60 / 200.0, 20 * 60 / 200.0)


def test_the_summary_never_holds_a_password_and_uses_the_demo_address() -> None:
    _, final = run([inst("available", MultiAZ=True, SecondaryAvailabilityZone="b", Endpoint=ENDPOINT,
                         MasterUserSecret={"SecretArn": "arn:aws:secretsmanager:x"})])
    summary = connection_summary(final, FakeGateway(None))
    assert summary.resolved_address == "127.0.0.9"
    assert summary.examples == ("psql 'host=127.0.0.9 port=5432 user=postgres dbname=postgres'",)
    assert "arn:aws:secretsmanager:x" in summary.password_location
    text = "\n".join(summary.lines())
    assert "password=" not in text.lower()


def test_events_that_cannot_be_read_come_with_a_later_poll_and_the_status_is_still_news() -> None:
    class FlakyEvents(ScriptedRds):
        failures = 2

        def describe_events(self, **kwargs: Any) -> dict[str, Any]:
            if self.failures:
                self.failures -= 1
                raise client_error("Throttling", op="DescribeEvents")
            return super().describe_events(**kwargs)

    rds = FlakyEvents([inst("creating", MultiAZ=True, _events=["DB instance created"]),
                       inst("modifying", MultiAZ=True),
                       inst("available", MultiAZ=True, SecondaryAvailabilityZone="b", Endpoint=ENDPOINT)])
    seen: list[Any] = []
    follow(Follower(FakeGateway(rds), "db1", events_since=T0 - timedelta(minutes=1)), seen.append)
    assert [p.status for p in seen] == ["creating", "modifying", "available"]
    assert [u.kind for u in seen[0].updates].count("notice") == 1
    events = [u.message for p in seen for u in p.updates if u.kind == "event"]
    assert events == ["DB instance created"]


def test_finishing_waits_for_events_that_could_not_be_read() -> None:
    class EventsDownAtTheEnd(ScriptedRds):
        failures = 1

        def describe_events(self, **kwargs: Any) -> dict[str, Any]:
            if self.describes >= 2 and self.failures:
                self.failures -= 1
                raise client_error("Throttling", op="DescribeEvents")
            return super().describe_events(**kwargs)

    rds = EventsDownAtTheEnd([
        inst("creating", MultiAZ=True),
        inst("available", MultiAZ=False, Endpoint=ENDPOINT,
             _events=["Insufficient instance capacity ... putting database instance into available"])])
    seen: list[Any] = []
    final = follow(Follower(FakeGateway(rds), "db1", events_since=T0 - timedelta(minutes=1)), seen.append)
    assert [p.outcome for p in seen] == ["progressing", "progressing", "available"]
    assert final.warnings and "single-AZ" in final.warnings[0].title
    assert [u.message for u in final.updates if u.kind == "event"] == [
        "Insufficient instance capacity ... putting database instance into available"]


class LateEventsRds(ScriptedRds):
    """An RDS that lists an event only on the read after the one that first saw `available`."""

    def __init__(self, script: list[dict[str, Any] | BaseException], late: str) -> None:
        super().__init__(script)
        self.late = late
        self.reads = 0

    def describe_events(self, **kwargs: Any) -> dict[str, Any]:
        answer = super().describe_events(**kwargs)
        self.reads += 1
        if self.current and not isinstance(self.current, BaseException) and \
                self.current.get("DBInstanceStatus") == "available" and self.late not in \
                [e["Message"] for e in self.events]:
            self.events.append({"Date": T0 + timedelta(minutes=5), "Message": self.late,
                                "SourceIdentifier": "db1"})
        return answer


def test_the_final_poll_reads_the_events_once_more_so_none_is_missed() -> None:
    rds = LateEventsRds([inst("creating", MultiAZ=False),
                         inst("available", MultiAZ=False, Endpoint=ENDPOINT)], "Finished DB instance backup")
    follower = Follower(FakeGateway(rds), "db1", events_since=T0 - timedelta(minutes=1),
                        expect_multi_az=False)
    seen: list[Any] = []
    final = follow(follower, seen.append)
    assert final.outcome == "available"
    assert [u.message for u in final.updates if u.kind == "event"] == ["Finished DB instance backup"]
    assert rds.reads == 3  # one per poll, plus the last one once the status said "available"


def test_the_connection_example_uses_the_program_the_gateway_names() -> None:
    class WithProgram(FakeGateway):
        def client_program(self, name: str) -> str:
            return f"/opt/demo tools/bin/{name}"

    rds = ScriptedRds([inst("available", MultiAZ=False, Endpoint=ENDPOINT, DBName="appdb")])
    final = follow(Follower(WithProgram(rds), "db1"), lambda _p: None)
    summary = connection_summary(final, WithProgram(rds))
    assert summary.examples == (
        "'/opt/demo tools/bin/psql' 'host=127.0.0.9 port=5432 user=postgres dbname=appdb'",)
