"""Create the database a spec describes: one CreateDBInstance (or CreateDBCluster) call, sent once.

Refuses a spec with errors. Picks the master password by the spec's credentials mode:
- secrets-manager: RDS keeps it in Secrets Manager (ManageMasterUserPassword);
- self-managed: the spec's password, or in non-interactive mode the RDS_WIZARD_MASTER_PASSWORD variable
  (never a flag, preset or file);
- auto-generated: a password made here with `secrets`, sent once and returned to be shown once.
A password never appears in an error message, a log or a file.

Idempotence: every launch tags the resource with a launch token. botocore may resend a create whose
answer was lost (a dropped connection); the resend then fails with DBInstanceAlreadyExists, and the
token tells our own first attempt (carry on) from somebody else's database (offer to follow it).
When AWS does not answer the create at all (a network drop), it is asked again, out loud, for up to the
ride-out of `wizard.aws.waits`: first whether our create got through, then the create once more.

Blocking (network): call `launch()` from a worker thread.
"""

from __future__ import annotations

import os
import secrets
import string
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from pydantic import SecretStr

from wizard.aws import error_codes
from wizard.aws.provisioning import LAUNCH_TOKEN_TAG, REQUESTED_DEPLOYMENT_TAG, Follower, Kind
from wizard.aws.timing import GatewayLike, is_transient
from wizard.aws.waits import (
    DEFAULT_POLICY,
    NoAnswer,
    Silence,
    WaitPolicy,
    call_out_loud,
    is_no_answer,
    pause_out_loud,
    watch_command,
)
from wizard.shell import command
from wizard.spec.problems import Problem

if TYPE_CHECKING:
    from wizard.aws.errors import UserError
    from wizard.spec.model import DatabaseSpec

PASSWORD_ENV = "RDS_WIZARD_MASTER_PASSWORD"
GENERATED_PASSWORD_LENGTH = 24
# After a create whose answer was lost, RDS may list the new instance only after a moment.
RECHECKS = 3
RECHECK_SECONDS = 1.0
# Safe on every engine and in a shell or connection string: no quote, slash, at, space, ampersand, colon.
_PASSWORD_SYMBOLS = "-_.+=!#%^*~"


@dataclass(frozen=True)
class LaunchResult:
    """What was created and how to follow it; `password` is set for self-managed and generated ones."""

    identifier: str
    kind: Kind
    operation: str
    launch_token: str
    started_at: datetime
    credentials: str
    expect_multi_az: bool
    engine: str
    master_username: str
    database_name: str | None
    password: SecretStr | None = field(default=None, repr=False)
    password_generated: bool = False
    adopted_own_retry: bool = False

    def follower(self, gateway: GatewayLike) -> Follower:
        """A follower for what was just created (events from just before the create call)."""
        return Follower(gateway, self.identifier, self.kind, expect_multi_az=self.expect_multi_az,
                        events_since=self.started_at - timedelta(seconds=30), just_created=True)


class LaunchError(Exception):
    """The launch did not happen: rule problems, a missing password, or an AWS refusal.

    `existing` names a database with the requested identifier that is not ours: the front end can offer
    to follow it instead (`rds-wizard watch`).
    """

    def __init__(self, title: str, *, detail: str = "", next_step: str = "",
                 problems: list[Problem] | None = None, error: UserError | None = None,
                 existing: str | None = None, existing_kind: Kind = "instance") -> None:
        super().__init__(title)
        self.title = title
        self.detail = detail
        self.next_step = next_step
        self.problems = list(problems or [])
        self.error = error
        self.existing = existing
        self.existing_kind: Kind = existing_kind

    def render(self) -> str:
        """Plain text: title, detail, the problems, and the next step."""
        lines = [self.title]
        if self.detail:
            lines.append(self.detail)
        lines.extend(f"- {p.field}: {p.message}" for p in self.problems)
        if self.next_step:
            lines.append(f"Next: {self.next_step}")
        return "\n".join(lines)


def generate_password(engine: str) -> str:
    """A random master password that every rule of this engine accepts (length, forbidden characters)."""
    low, high = 8, 41
    forbidden = '/"@ '
    try:
        from wizard.spec.engines import ENGINES

        rules = ENGINES.get(engine)
        if rules is not None:
            low, high = rules.password_length
            forbidden = rules.forbidden_password_chars
    except ImportError:  # the engine table is optional here: the fallback suits every engine
        pass
    length = max(low, min(GENERATED_PASSWORD_LENGTH, high))
    symbols = "".join(c for c in _PASSWORD_SYMBOLS if c not in forbidden)
    alphabet = string.ascii_letters + string.digits + symbols
    while True:
        # Oracle wants a letter first; the other engines do not mind.
        candidate = secrets.choice(string.ascii_letters) + "".join(
            secrets.choice(alphabet) for _ in range(length - 1))
        classes = (string.ascii_lowercase, string.ascii_uppercase, string.digits, symbols)
        if all(any(c in group for c in candidate) for group in classes if group):
            return candidate


def scrub(text: str, password: SecretStr | None) -> str:
    """The text with any occurrence of the password replaced, for messages that echo a request."""
    if password is None:
        return text
    secret = password.get_secret_value()
    return text.replace(secret, "********") if secret else text


def choose_password(spec: DatabaseSpec, *, non_interactive: bool,
                    environ: Mapping[str, str] | None = None) -> tuple[SecretStr | None, bool]:
    """The master password to send, and whether it was generated; None when Secrets Manager keeps it."""
    mode = spec.settings.credentials
    if mode == "secrets-manager":
        return None, False
    if mode == "auto-generated":
        return SecretStr(generate_password(spec.engine.engine)), True
    env = os.environ if environ is None else environ
    if non_interactive:
        value = env.get(PASSWORD_ENV, "")
        if value:
            return SecretStr(value), False
        if spec.settings.master_password is not None:
            return spec.settings.master_password, False
        raise LaunchError(
            "A self-managed master password is needed", detail="The spec chooses a self-managed password "
            f"and none was given. In non-interactive mode it comes from the {PASSWORD_ENV} environment "
            "variable only (never a flag, preset or file, which would leave it in shell history or on disk).",
            next_step=f"Export {PASSWORD_ENV}, or choose credentials = \"secrets-manager\" or "
                      "\"auto-generated\" in the preset.")
    if spec.settings.master_password is None or not spec.settings.master_password.get_secret_value():
        raise LaunchError("A self-managed master password is needed",
                          detail="Settings: self-managed credentials need the master password.",
                          next_step="Type the password in Settings, or let RDS manage it in Secrets Manager.")
    return spec.settings.master_password, False


def _errors_of(spec: DatabaseSpec) -> list[Problem]:
    from wizard.spec.rules import validate

    return [p for p in validate(spec) if p.is_error]


def build_request(spec: DatabaseSpec, password: SecretStr | None, token: str) -> tuple[str, dict[str, Any]]:
    """The operation and its parameters, with the credentials and our launch tags added."""
    from wizard.spec.request import request_operation, to_request

    operation = request_operation(spec)
    request = dict(to_request(spec, include_password=False))
    request.pop("MasterUserPassword", None)
    if password is None:
        request["ManageMasterUserPassword"] = True
    else:
        request.pop("ManageMasterUserPassword", None)
        request.pop("MasterUserSecretKmsKeyId", None)
        request["MasterUserPassword"] = password.get_secret_value()
    tags = [t for t in request.get("Tags") or []
            if t.get("Key") not in (LAUNCH_TOKEN_TAG, REQUESTED_DEPLOYMENT_TAG)]
    tags.append({"Key": LAUNCH_TOKEN_TAG, "Value": token})
    tags.append({"Key": REQUESTED_DEPLOYMENT_TAG, "Value": spec.availability.deployment})
    request["Tags"] = tags
    return operation, request


def _existing_token(client: Any, identifier: str, kind: Kind) -> str | None:
    """The launch token on an existing resource (None when it has none or cannot be read)."""
    if kind == "cluster":
        records = client.describe_db_clusters(DBClusterIdentifier=identifier).get("DBClusters") or []
    else:
        records = client.describe_db_instances(DBInstanceIdentifier=identifier).get("DBInstances") or []
    for record in records[:1]:
        for tag in record.get("TagList") or []:
            if tag.get("Key") == LAUNCH_TOKEN_TAG:
                return str(tag.get("Value", ""))
    return None


def _token_after_create(client: Any, identifier: str, kind: Kind, tries: int) -> str | None:
    """The launch token on the resource, asking again while a just-created one may not be listed yet."""
    for attempt in range(tries):
        try:
            return _existing_token(client, identifier, kind)
        except Exception:  # not found yet, or unreadable: ask again, then give up and report
            if attempt + 1 < tries:
                time.sleep(RECHECK_SECONDS)
    return None


def _explain(exc: BaseException, identifier: str, password: SecretStr | None) -> UserError:
    from wizard.aws.errors import explain

    err = explain(exc, identifier=identifier)
    return replace(err, title=scrub(err.title, password), detail=scrub(err.detail, password),
                   next_step=scrub(err.next_step, password))


def _error_code(exc: BaseException) -> str:
    response = getattr(exc, "response", None)
    return str(response.get("Error", {}).get("Code", "")) if isinstance(response, dict) else ""


def _no_answer_error(identifier: str, kind: Kind, seconds: float, gateway: GatewayLike) -> LaunchError:
    from wizard.aws.errors import explain

    return LaunchError(
        f"No answer from AWS for {seconds:.0f} s while sending the create of {identifier}.",
        detail="AWS may have received it: the create then goes on there, whatever happens here.",
        next_step=f"Check your network, VPN or proxy, then run `{watch_command(identifier, gateway)}`: it "
                  f"follows the DB {kind} if it is being created, and says there is none if not (then launch "
                  "again).",
        error=explain(NoAnswer(seconds)))


def launch(spec: DatabaseSpec, gateway: GatewayLike, *, non_interactive: bool = False,
           environ: Mapping[str, str] | None = None, token: str | None = None,
           on_wait: Callable[[str], object] = lambda _line: None,
           policy: WaitPolicy = DEFAULT_POLICY) -> LaunchResult:
    """Validate, choose the password, send the create; raises `LaunchError` with what to do.

    `on_wait` receives what to say while AWS does not answer (from this thread).
    """
    password, generated = choose_password(spec, non_interactive=non_interactive, environ=environ)
    checked = spec.model_copy(deep=True)
    if password is not None:
        checked.settings.master_password = password
    problems = _errors_of(checked)
    if problems:
        raise LaunchError(
            f"The spec has {len(problems)} problem(s); nothing was sent to AWS.", problems=problems,
            next_step="Fix each setting named above (the wizard's Review step jumps to them), "
                      "then launch again.")
    kind: Kind = "cluster" if spec.is_cluster else "instance"
    identifier = spec.settings.identifier.lower()
    token = token or uuid.uuid4().hex
    operation, request = build_request(checked, password, token)
    client = gateway.client("rds")
    started = datetime.now(UTC)
    result = LaunchResult(
        identifier=identifier, kind=kind, operation=operation, launch_token=token, started_at=started,
        credentials=spec.settings.credentials, expect_multi_az=spec.is_multi_az, engine=spec.engine.engine,
        master_username=spec.settings.master_username, database_name=spec.database.name,
        password=password, password_generated=generated)
    call = client.create_db_cluster if kind == "cluster" else client.create_db_instance
    silence = Silence(policy)
    resent = False
    # Rounds in which AWS answered something yet the create did not go through: bounded by a count (a
    # silence is bounded by the ride-out instead).
    rounds_heard = 0
    silent_round = False  # the last round got no answer at all: the network is down, not just slow
    while True:
        try:
            call_out_loud(lambda: call(**request), silence, on_wait)
            _heard(silence, on_wait)
            return result
        except NoAnswer as exc:
            raise _no_answer_error(identifier, kind, exc.seconds, gateway) from None
        except Exception as exc:
            code = _error_code(exc).removesuffix("Fault")
            already = code in error_codes.ALREADY_EXISTS
            heard = not is_no_answer(exc)
            if heard:
                _heard(silence, on_wait)
            if already:
                # A resend of our own create, or somebody else's database: the token says which.
                found = _token_after_create(client, identifier, kind, tries=RECHECKS if resent else 1)
                if found == token:
                    return replace(result, adopted_own_retry=True)
            elif is_transient(exc) and rounds_heard < RECHECKS:
                # A create whose answer was lost may have got through: ask, and send it again only if not.
                if silence.exhausted():
                    raise _no_answer_error(identifier, kind, silence.silent_for(), gateway) from None
                # The first look comes soon (an answer lost once); during a longer silence, every few seconds.
                pause = RECHECK_SECONDS if not silent_round else min(policy.retry_every, silence.left())
                pause_out_loud(pause, silence, on_wait)
                try:
                    found = call_out_loud(lambda: _existing_token(client, identifier, kind), silence, on_wait)
                    heard = True
                except NoAnswer as lost:
                    raise _no_answer_error(identifier, kind, lost.seconds, gateway) from None
                except Exception as check:
                    heard = heard or not is_no_answer(check)
                    found = None
                if heard:
                    _heard(silence, on_wait)
                    rounds_heard += 1
                silent_round = not heard
                if found == token:
                    return replace(result, adopted_own_retry=True)
                resent = True
                continue
            err = _explain(exc, identifier, password)
            if already:
                raise LaunchError(
                    f"A DB {kind} named {identifier} already exists in this account and region.",
                    detail="It was not created by this launch, so nothing was sent to change it.",
                    next_step="Choose another identifier, or follow the existing one: "
                              + command("rds-wizard", "watch", identifier),
                    error=err, existing=identifier, existing_kind=kind) from None
            raise LaunchError(err.title, detail=err.detail, next_step=err.next_step, error=err) from None


def _heard(silence: Silence, on_wait: Callable[[str], object]) -> None:
    line = silence.answered()
    if line is not None:
        on_wait(line)
