"""What the `modify`, `reboot` and `delete` commands share: showing a plan, confirming, following."""

from __future__ import annotations

import sys
from typing import Any

from wizard.commands import _live
from wizard.exit_codes import EXIT_PROBLEMS


def clean(text: str) -> str:
    """A value from AWS made safe to echo (see wizard.day2.inventory.printable)."""
    from wizard.day2.inventory import printable

    return printable(text)


def refuse(plan: Any) -> int:
    """Print every problem of the plan with its fix; exit code 1, nothing was sent."""
    for problem in plan.problems:
        print(f"rds-wizard: {clean(problem.render())}", file=sys.stderr)
    print("Nothing was changed.", file=sys.stderr)
    return EXIT_PROBLEMS


def show_plan(title: str, plan: Any) -> None:
    """The plan as a list of what will happen."""
    _live.say(title)
    for line in plan.what_will_happen:
        _live.say(f"  - {clean(line)}")


def print_update(update: Any) -> None:
    """One line of a followed change."""
    _live.emit(f"{update.kind:<9} {clean(update.message)}"
               + (f"\n          what to do: {clean(update.next_step)}" if update.next_step else ""),
               at=update.at if update.kind == "event" else None)


def print_progress(progress: Any) -> None:
    """Each update of a progress snapshot, one line each."""
    for update in progress.updates:
        print_update(update)
