"""The replica screen: one read replica's lag (CloudWatch ReplicaLag, live), the standby/replica table,
and promotion with a typed confirmation. Rules and requests live in wizard/replicas/; AWS is only called
from thread workers. Textual's public widgets only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Log, Static

from wizard.teaching import standby_vs_replica_lines

# RDS publishes ReplicaLag once a minute: reading more often only repeats the same point.
LAG_REFRESH_AWS_SECONDS = 60.0


def _safe(text: object) -> str:
    from wizard.day2.inventory import printable

    return printable(text)


class ReplicaScreen(Screen[None]):
    """A read replica: lag, how it differs from a standby, promote."""

    DEFAULT_CSS = """
    ReplicaScreen #replica-title { height: 1; text-style: bold; }
    ReplicaScreen #replica-lag { height: 2; }
    ReplicaScreen #replica-table { height: 8; }
    ReplicaScreen #replica-log { height: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("l", "lag", "Lag now"),
        Binding("p", "promote", "Promote"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, gateway: Callable[[], Any], identifier: str, *, demo: bool = False) -> None:
        super().__init__()
        self._gateway = gateway
        self.identifier = identifier
        self.demo = demo
        self.lag_text = "Replica lag: reading CloudWatch..."
        self.log_lines: list[str] = []
        self._lag_timer: Timer | None = None
        self.busy = False

    def compose(self) -> ComposeResult:
        """Title, lag, the teaching table, the log, the footer."""
        yield Static(f"Read replica {_safe(self.identifier)}", id="replica-title", markup=False)
        yield Static(self.lag_text, id="replica-lag", markup=False)
        yield Static("\n".join(standby_vs_replica_lines()), id="replica-table", markup=False)
        yield Log(id="replica-log", max_lines=200)
        yield Footer()

    def on_mount(self) -> None:
        """Read the lag now, then once a (demo-scaled) minute."""
        self.action_lag()

    def say(self, line: str) -> None:
        """One line in the log."""
        self.log_lines.append(line)
        if self.is_attached:
            self.query_one("#replica-log", Log).write_line(_safe(line))

    def action_back(self) -> None:
        """Back to the Databases list."""
        self.app.pop_screen()

    def action_lag(self) -> None:
        """Read ReplicaLag now."""
        if self._lag_timer is not None:
            self._lag_timer.stop()
            self._lag_timer = None
        self._read_lag()

    @work(thread=True, exclusive=True, group="replica-lag", exit_on_error=False)
    def _read_lag(self) -> None:
        from wizard.aws.timing import time_scale
        from wizard.replicas.lag import read_lag

        gateway = self._gateway()
        text = read_lag(gateway, self.identifier).render()  # never raises: errors become its note
        seconds = max(LAG_REFRESH_AWS_SECONDS / max(time_scale(gateway), 1.0), 2.0)
        self.app.call_from_thread(self._show_lag, text, seconds)

    def _show_lag(self, text: str, next_in: float) -> None:
        if not self.is_attached:
            return
        self.lag_text = text
        self.query_one("#replica-lag", Static).update(_safe(text))
        self._lag_timer = self.set_timer(next_in, self.action_lag)

    def action_promote(self) -> None:
        """Plan the promotion (checked), then ask for the identifier typed."""
        if self.busy:
            self.notify("The promotion is running.", severity="warning")
            return
        self._plan_promote()

    @work(thread=True, group="replica-plan", exit_on_error=False)
    def _plan_promote(self) -> None:
        from wizard.replicas.promote import plan_promote

        try:
            plan = plan_promote(self._gateway(), self.identifier)
        except Exception as exc:
            from wizard.aws.errors import explain

            self.app.call_from_thread(self.say, explain(exc, identifier=self.identifier).render())
            return
        self.app.call_from_thread(self._planned, plan)

    def _planned(self, plan: Any) -> None:
        from screens.databases import typed_confirmation

        if not plan.can_run:
            for problem in plan.problems:
                self.say(f"Refused, nothing changed: {problem.message}")
                self.say(f"  Next: {problem.fix}")
            self.notify(plan.problems[0].message, severity="error", timeout=8)
            return

        def answered(confirmed: bool | None) -> None:
            if confirmed:
                self._promote(plan)
            else:
                self.say(f"Cancelled: nothing was sent for {self.identifier}.")

        self.app.push_screen(typed_confirmation(f"PROMOTE {self.identifier} (replication stops for good)",
                                                plan.what_will_happen, self.identifier), answered)

    @work(thread=True, group="replica-promote", exit_on_error=False)
    def _promote(self, plan: Any) -> None:
        from datetime import UTC, datetime, timedelta

        from wizard.day2.common import ActionFailed, send
        from wizard.day2.follow import follow_change
        from wizard.replicas.promote import is_promoted

        gateway = self._gateway()
        post = self.app.call_from_thread
        self.busy = True
        sent_at = datetime.now(UTC) - timedelta(seconds=1)
        try:
            try:
                send(gateway, plan)
            except ActionFailed as failed:
                post(self.say, failed.render())
                return
            post(self.say, f"Sent: {plan.cli}")

            def show(progress: Any) -> None:
                for update in progress.updates:
                    post(self.say, update.message)

            progress = follow_change(gateway, plan, show, should_stop=lambda: not self.app.is_running,
                                     events_since=sent_at,
                                     done=lambda _p: is_promoted(gateway, self.identifier))
            if progress.outcome == "available":
                post(self.say, f"{self.identifier} is a standalone DB instance now: replication has stopped. "
                     "(`rds-wizard replica promote` with credentials also proves a write and the RPO.)")
        except Exception as exc:  # said in the log: a background failure never dies silently
            from wizard.aws.errors import explain

            post(self.say, f"{self.identifier}: following stopped: {explain(exc).render()}")
        finally:
            self.busy = False
