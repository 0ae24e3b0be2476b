"""What every day-2 action shares: a problem that stops it, a plan the user confirms, sending it to AWS."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from wizard.aws.timing import GatewayLike, is_demo, time_scale
from wizard.day2.inventory import DatabaseRow, describe_row


@dataclass(frozen=True)
class Problem:
    """Why an action cannot run as asked, and the fix."""

    message: str
    fix: str
    command: str | None = None  # the exact AWS CLI command that fixes it, offered as its own action

    def render(self) -> str:
        """Plain text: the problem, then the fix (and the command) on their own lines."""
        text = f"{self.message}\nNext: {self.fix}"
        return text + (f"\n  {self.command}" if self.command else "")


def wait_until_available(name: str, status: str) -> str:
    """The fix for an action that needs an available DB instance: start a stopped one, follow the rest."""
    if status == "stopped":
        return (f"Start it first (`aws rds start-db-instance --db-instance-identifier {name}`), then follow "
                f"it (`rds-wizard watch {name}`) and run this again.")
    return f"Wait until it is available (`rds-wizard watch {name}`), then run this again."


@dataclass
class ActionPlan:
    """One confirmed change: what will happen, what stops it, and the request to send."""

    action: str  # "modify", "reboot", "delete", "disable-deletion-protection"
    identifier: str
    row: DatabaseRow | None
    operation: str = ""  # the boto3 method
    params: dict[str, Any] = field(default_factory=dict)
    what_will_happen: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    cli: str = ""

    @property
    def can_run(self) -> bool:
        """No problem stops it."""
        return not self.problems and self.row is not None


class ActionFailed(Exception):
    """AWS refused the request: what happened and what to do, in the user's terms."""

    def __init__(self, message: str, fix: str) -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix

    def render(self) -> str:
        """The message and the next step."""
        return f"{self.message}\nNext: {self.fix}"


def error_code(exc: BaseException) -> str:
    """AWS's error code of a botocore ClientError ('' for anything else)."""
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        return str(response.get("Error", {}).get("Code", ""))
    return ""


def load_row(gateway: GatewayLike, identifier: str, plan: ActionPlan) -> DatabaseRow | None:
    """The database's row, or None after adding the "not found" problem to the plan."""
    row = describe_row(gateway, identifier)
    if row is None:
        demo = " (the demo starts empty: `rds-wizard launch --demo --preset ...` creates one)" \
            if is_demo(gateway) else ""
        plan.problems.append(Problem(
            f"There is no DB instance or Multi-AZ DB cluster named {identifier} here.",
            f"Check the identifier (`rds-wizard list` shows every database) and the region{demo}."))
    return row


def send(gateway: GatewayLike, plan: ActionPlan) -> dict[str, Any]:
    """Send the plan's one request; AWS's refusal becomes an ActionFailed saying what to do."""
    from wizard.aws.errors import explain

    if not plan.can_run:
        raise ActionFailed(plan.problems[0].message if plan.problems else "Nothing to do.",
                           plan.problems[0].fix if plan.problems else "")
    method: Callable[..., dict[str, Any]] = getattr(gateway.client("rds"), plan.operation)
    try:
        return method(**plan.params)
    except Exception as exc:
        err = explain(exc, identifier=plan.identifier)
        detail = f" ({err.detail})" if err.detail else ""
        verb = ("turn off deletion protection of" if plan.action == "disable-deletion-protection"
                else plan.action)
        raise ActionFailed(f"AWS refused to {verb} {plan.identifier}: {err.title}{detail}",
                           err.next_step) from exc


def aws_minutes(gateway: GatewayLike, minutes: float) -> str:
    """"about N minutes", and in the demo how long that really takes."""
    scale = time_scale(gateway)
    text = f"about {minutes:g} minutes"
    if scale > 1:
        text += f" (the demo runs {scale:g}x faster: about {minutes * 60 / scale:.0f} s)"
    return text
