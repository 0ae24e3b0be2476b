"""The Databases screen's state, headless: rows, selection, the action being confirmed and its log.

A Textual screen renders it and a plain front end prompts from it; neither holds any rule of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from wizard.day2.common import ActionPlan
from wizard.day2.inventory import DatabaseRow, find_row

# Real seconds between refreshes: quick while RDS is working on something, slow when all is settled.
FAST_REFRESH_AWS_SECONDS = 10.0
SLOW_REFRESH_AWS_SECONDS = 60.0


@dataclass(frozen=True)
class ActionChoice:
    """One action on the selected row: its key, its label, and why it is not possible now ('' if it is)."""

    key: str
    name: str
    label: str
    unavailable: str = ""


@dataclass
class DatabasesState:
    """What the Databases screen shows and what it is in the middle of."""

    rows: list[DatabaseRow] = field(default_factory=list)
    selected: str | None = None
    loaded: bool = False
    load_error: str = ""
    plan: ActionPlan | None = None  # the action waiting for confirmation (or running)
    running: bool = False
    log: list[str] = field(default_factory=list)

    def set_rows(self, rows: list[DatabaseRow]) -> None:
        """A refresh's rows; the selection stays on the same identifier while it exists."""
        self.rows = rows
        self.loaded = True
        self.load_error = ""
        if self.selected is None or find_row(rows, self.selected) is None:
            self.selected = rows[0].identifier if rows else None

    @property
    def row(self) -> DatabaseRow | None:
        """The selected row."""
        return find_row(self.rows, self.selected) if self.selected else None

    @property
    def anything_changing(self) -> bool:
        """Whether a row's status says RDS is working on it."""
        return any(row.is_changing for row in self.rows)

    def refresh_seconds(self, time_scale: float) -> float:
        """Real seconds until the next refresh."""
        aws = FAST_REFRESH_AWS_SECONDS if self.anything_changing or self.running else SLOW_REFRESH_AWS_SECONDS
        return max(aws / max(time_scale, 1.0), 0.2)

    def actions(self) -> list[ActionChoice]:
        """What can be done with the selected row, and why not where it cannot."""
        row = self.row
        busy = "another action is running" if self.running else ""
        if row is None:
            return [ActionChoice("c", "create", "Create database")]
        instance = row.kind == "instance" and not row.cluster
        multi = row.multi_az and instance
        return [
            ActionChoice("w", "watch", "Watch", busy),
            ActionChoice("t", "failover", "Failover test",
                         busy or ("" if row.multi_az or row.kind == "cluster" else "it is Single-AZ")),
            ActionChoice("m", "availability", "Single-AZ" if multi else "Multi-AZ",
                         busy or ("" if instance else "not a DB instance")),
            ActionChoice("b", "reboot", "Reboot", busy or ("" if instance else "reboot the members")),
            ActionChoice("d", "delete", "Delete", busy),
            ActionChoice("n", "replica", "Read replica", busy or ("" if instance else "not a DB instance")),
            *([ActionChoice("p", "replica-view", "Replica: lag, promote")] if row.replica_source else []),
            ActionChoice("c", "create", "Create database"),
        ]

    def note(self, line: str) -> None:
        """Add a line to the action log (the newest last; the oldest dropped beyond 200)."""
        self.log.append(line)
        del self.log[:-200]
