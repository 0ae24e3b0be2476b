"""Launch: refuses a spec with errors, picks the password by mode, sends the create once, adopts its own."""

from __future__ import annotations

import string
from typing import Any

import pytest
from botocore.exceptions import ClientError, ConnectionClosedError
from pydantic import SecretStr

from presets import load_preset
from wizard.launch import PASSWORD_ENV, LaunchError, generate_password, launch
from wizard.spec.engines import ENGINES

CANARY = "Canary-Unit-Pw-42x"


class FakeRds:
    """Records creates; can lose the answer of the first one, or hold an instance somebody else made."""

    def __init__(self, *, lose_answer: bool = False, existing_token: str | None = None) -> None:
        self.creates: list[dict[str, Any]] = []
        self.lose_answer = lose_answer
        self.tags: list[dict[str, str]] | None = (
            [{"Key": "rds-wizard:launch-token", "Value": existing_token}] if existing_token else None)

    def create_db_instance(self, **request: Any) -> dict[str, Any]:
        if self.tags is not None:
            raise ClientError({"Error": {"Code": "DBInstanceAlreadyExists", "Message": "exists"},
                               "ResponseMetadata": {"HTTPStatusCode": 400}}, "CreateDBInstance")
        self.creates.append(request)
        self.tags = request["Tags"]
        if self.lose_answer:
            raise ConnectionClosedError(endpoint_url="https://rds.us-east-1.amazonaws.com")
        return {"DBInstance": {"DBInstanceIdentifier": request["DBInstanceIdentifier"]}}

    create_db_cluster = create_db_instance

    def describe_db_instances(self, **_: Any) -> dict[str, Any]:
        return {"DBInstances": [{"TagList": self.tags or []}]}


class FakeGateway:
    def __init__(self, rds: FakeRds) -> None:
        self.rds = rds

    def client(self, name: str) -> Any:
        return self.rds

    def resolve(self, host: str) -> list[str]:
        return []


def spec(credentials: str = "secrets-manager") -> Any:
    s = load_preset("teaching-demo")
    s.settings.credentials = credentials  # type: ignore[assignment]
    return s


def test_a_spec_with_errors_is_refused_before_anything_is_sent() -> None:
    rds = FakeRds()
    bad = spec()
    bad.settings.identifier = "1-not-valid"
    with pytest.raises(LaunchError) as refused:
        launch(bad, FakeGateway(rds))
    assert refused.value.problems and rds.creates == []
    assert "settings.identifier" in refused.value.render()


def test_secrets_manager_mode_sends_no_password_and_tags_the_launch() -> None:
    rds = FakeRds()
    result = launch(spec(), FakeGateway(rds), token="tok")
    [request] = rds.creates
    assert request["ManageMasterUserPassword"] is True and "MasterUserPassword" not in request
    tags = {t["Key"]: t["Value"] for t in request["Tags"]}
    assert tags["rds-wizard:launch-token"] == "tok"
    assert tags["rds-wizard:deployment"] == "multi-az-instance"
    assert tags["purpose"] == "teaching-demo"
    assert result.password is None and result.expect_multi_az


def test_self_managed_in_non_interactive_mode_reads_only_the_environment() -> None:
    rds = FakeRds()
    result = launch(spec("self-managed"), FakeGateway(rds), non_interactive=True,
                    environ={PASSWORD_ENV: CANARY})
    assert rds.creates[0]["MasterUserPassword"] == CANARY
    assert "ManageMasterUserPassword" not in rds.creates[0]
    assert result.password is not None and not result.password_generated
    assert CANARY not in repr(result)


def test_self_managed_without_a_password_says_where_it_comes_from() -> None:
    rds = FakeRds()
    with pytest.raises(LaunchError) as refused:
        launch(spec("self-managed"), FakeGateway(rds), non_interactive=True, environ={})
    assert PASSWORD_ENV in refused.value.render() and rds.creates == []


def test_a_password_the_engine_refuses_is_caught_before_the_call() -> None:
    rds = FakeRds()
    with pytest.raises(LaunchError) as refused:
        launch(spec("self-managed"), FakeGateway(rds), non_interactive=True, environ={PASSWORD_ENV: "a@b"})
    assert rds.creates == []
    assert "a@b" not in refused.value.render()


def test_interactive_self_managed_uses_the_specs_password() -> None:
    rds = FakeRds()
    s = spec("self-managed")
    s.settings.master_password = SecretStr(CANARY)
    launch(s, FakeGateway(rds))
    assert rds.creates[0]["MasterUserPassword"] == CANARY


def test_auto_generated_passwords_are_sent_and_returned_once() -> None:
    rds = FakeRds()
    result = launch(spec("auto-generated"), FakeGateway(rds))
    assert result.password_generated and result.password is not None
    assert rds.creates[0]["MasterUserPassword"] == result.password.get_secret_value()


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_generated_passwords_satisfy_every_engines_rules(engine: str) -> None:
    rules = ENGINES[engine]
    low, high = rules.password_length
    for _ in range(20):
        password = generate_password(engine)
        assert low <= len(password) <= high
        assert not set(password) & set(rules.forbidden_password_chars)
        assert password[0] in string.ascii_letters
        assert all(c in string.printable and not c.isspace() for c in password)


def test_a_resent_create_whose_answer_was_lost_is_adopted_not_repeated() -> None:
    rds = FakeRds(lose_answer=True)
    result = launch(spec(), FakeGateway(rds), token="mine")
    assert result.adopted_own_retry and len(rds.creates) == 1


def test_an_instance_somebody_else_created_is_offered_to_follow() -> None:
    rds = FakeRds(existing_token="theirs")
    with pytest.raises(LaunchError) as refused:
        launch(spec(), FakeGateway(rds), token="mine")
    assert refused.value.existing == "demo-db" and refused.value.existing_kind == "instance"
    assert "rds-wizard watch demo-db" in refused.value.next_step
    assert rds.creates == []


def test_a_lost_answer_is_rechecked_while_the_instance_is_not_listed_yet(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import wizard.launch

    monkeypatch.setattr(wizard.launch, "RECHECK_SECONDS", 0.0)

    class SlowToList(FakeRds):
        hidden = 2

        def describe_db_instances(self, **kwargs: Any) -> dict[str, Any]:
            if self.hidden:
                self.hidden -= 1
                raise ClientError({"Error": {"Code": "DBInstanceNotFound", "Message": "not yet"},
                                   "ResponseMetadata": {"HTTPStatusCode": 404}}, "DescribeDBInstances")
            return super().describe_db_instances(**kwargs)

    rds = SlowToList(lose_answer=True)
    result = launch(spec(), FakeGateway(rds), token="mine")
    assert result.adopted_own_retry and len(rds.creates) == 1


def test_a_create_that_never_arrived_is_reported_as_not_created(monkeypatch: pytest.MonkeyPatch) -> None:
    import wizard.launch

    monkeypatch.setattr(wizard.launch, "RECHECK_SECONDS", 0.0)

    class Unreachable(FakeRds):
        def create_db_instance(self, **request: Any) -> dict[str, Any]:
            raise ConnectionClosedError(endpoint_url="https://rds.us-east-1.amazonaws.com")

        def describe_db_instances(self, **_: Any) -> dict[str, Any]:
            raise ClientError({"Error": {"Code": "DBInstanceNotFound", "Message": "no"},
                               "ResponseMetadata": {"HTTPStatusCode": 404}}, "DescribeDBInstances")

    with pytest.raises(LaunchError) as failed:
        launch(spec(), FakeGateway(Unreachable()), token="mine")
    assert failed.value.existing is None and failed.value.error is not None
