"""The Databases screen: every DB instance and Multi-AZ DB cluster, and what to do with the selected one.

It renders `wizard.day2.screen_state.DatabasesState` and asks the day-2 core (wizard/day2/) for every
plan; AWS is only ever called from thread workers. Built on Textual's public widgets only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.timer import Timer
from textual.widgets import Button, Checkbox, DataTable, Footer, Input, Label, Log, Static

from screens.dialogs import TypedConfirmScreen
from wizard.day2.screen_state import DatabasesState

if TYPE_CHECKING:
    from wizard.day2.common import ActionPlan

COLUMNS = ("Identifier", "Engine", "Class", "Status", "Deployment", "AZs", "Role", "Pending")


def _safe(text: object) -> str:
    """A value from AWS with control characters made visible (never sent raw to the terminal)."""
    from wizard.day2.inventory import printable

    return printable(text)


def typed_confirmation(title: str, what_will_happen: list[str], identifier: str) -> TypedConfirmScreen:
    """A day-2 action's confirmation: what will happen, as a list, then the identifier typed."""
    body = "\n".join(f"- {_safe(line)}" for line in what_will_happen)
    return TypedConfirmScreen(title=_safe(title), body=body, identifier=identifier, action_label="Confirm")


class DeleteDialog(ModalScreen["tuple[str | None, bool] | None"]):
    """The final snapshot's name (proposed, editable) or an explicit skip, and the automated backups."""

    DEFAULT_CSS = """
    DeleteDialog { align: center middle; }
    DeleteDialog > Vertical { width: 76; height: auto; border: thick $error; background: $surface;
                              padding: 0 1; }
    DeleteDialog Horizontal { height: auto; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, identifier: str, proposed: str) -> None:
        super().__init__()
        self._identifier = identifier
        self._proposed = proposed

    def compose(self) -> ComposeResult:
        """Snapshot name, the skip choice, the backups choice."""
        with Vertical():
            yield Label(f"Delete {_safe(self._identifier)}: final snapshot name")
            yield Input(self._proposed, id="snapshot-name")
            yield Checkbox("Skip the final snapshot (the data is lost for good)", id="skip")
            yield Checkbox("Delete automated backups", value=True, id="backups")
            with Horizontal():
                yield Button("Next", variant="primary", id="next")
                yield Button("Cancel", id="cancel")

    @on(Input.Submitted, "#snapshot-name")
    @on(Button.Pressed, "#next")
    def _next(self) -> None:
        skip = self.query_one("#skip", Checkbox).value
        name = self.query_one("#snapshot-name", Input).value.strip()
        self.dismiss((None if skip else name, self.query_one("#backups", Checkbox).value))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Nothing is sent."""
        self.dismiss(None)


class DatabasesScreen(Screen[None]):
    """The list, the selected database's details, its actions, and the log of the running action."""

    DEFAULT_CSS = """
    DatabasesScreen #db-title { height: 1; background: $primary; color: $text; padding: 0 1; }
    DatabasesScreen #db-table { height: 1fr; min-height: 5; }
    DatabasesScreen #db-detail { height: auto; max-height: 4; padding: 0 1; }
    DatabasesScreen #db-log { height: 7; border-top: solid $primary; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "reload", "Refresh"),
        Binding("w", "watch", "Watch"),
        Binding("t", "failover", "Failover"),
        Binding("m", "availability", "Multi-AZ"),
        Binding("b", "reboot", "Reboot"),
        Binding("d", "delete", "Delete"),
        Binding("c", "create", "Create"),
        Binding("n", "replica", "Replica", show=False),
        Binding("p", "replica_view", "Replica screen", show=False),
        Binding("escape", "back", "Back", show=False),
    ]

    def __init__(self, gateway: Callable[[], Any], *, demo: bool = False) -> None:
        super().__init__()
        self._gateway = gateway
        self.demo = demo
        self.state = DatabasesState()
        self._reload_timer: Timer | None = None
        self.refreshes = 0

    def compose(self) -> ComposeResult:
        """Title line, table, details, log, footer."""
        yield Static("Databases: loading...", id="db-title", markup=False)
        table: DataTable[str] = DataTable(id="db-table", cursor_type="row", zebra_stripes=True)
        table.add_columns(*COLUMNS)
        yield table
        yield Static("", id="db-detail", markup=False)
        yield Log(id="db-log", max_lines=200)
        yield Footer()

    def on_mount(self) -> None:
        """Load the list."""
        self.action_reload()

    # ----- loading -----

    def _gateway_or_none(self) -> Any:
        return self._gateway()

    def action_reload(self) -> None:
        """Refresh now."""
        if self._reload_timer is not None:
            self._reload_timer.stop()
            self._reload_timer = None
        if self._gateway_or_none() is None:
            self.query_one("#db-title", Static).update("Databases: connecting...")
            self._reload_timer = self.set_timer(0.3, self.action_reload)
            return
        self._load()

    @work(thread=True, exclusive=True, group="db-list", exit_on_error=False)
    def _load(self) -> None:
        from wizard.day2.inventory import list_databases

        gateway = self._gateway_or_none()
        try:
            rows = list_databases(gateway)
        except Exception as exc:  # said on screen; the next refresh tries again
            from wizard.aws.errors import explain

            self.app.call_from_thread(self._load_failed, explain(exc).render())
            return
        self.app.call_from_thread(self._loaded, rows)

    def _loaded(self, rows: list[Any]) -> None:
        if not self.is_attached:
            return
        self.refreshes += 1
        self.state.set_rows(rows)
        self._render_rows()
        self._schedule()

    def _load_failed(self, text: str) -> None:
        if not self.is_attached:
            return
        self.state.load_error = text
        self.query_one("#db-title", Static).update(f"Databases: could not be read: {text.splitlines()[0]}")
        self._schedule()

    def _schedule(self) -> None:
        from wizard.aws.timing import time_scale

        if self._reload_timer is not None:
            self._reload_timer.stop()
        scale = time_scale(self._gateway_or_none())
        self._reload_timer = self.set_timer(self.state.refresh_seconds(scale), self.action_reload)

    def _render_rows(self) -> None:
        table: DataTable[str] = self.query_one("#db-table", DataTable)
        selected = self.state.selected
        table.clear()
        for row in self.state.rows:
            table.add_row(_safe(row.identifier), _safe(f"{row.engine} {row.engine_version}"),
                          _safe(row.instance_class), _safe(row.status), row.deployment, _safe(row.placement),
                          _safe(row.role), _safe(", ".join(row.pending)) or "-", key=row.identifier)
        changing = " (refreshing while something changes)" if self.state.anything_changing else ""
        self.query_one("#db-title", Static).update(
            f"Databases: {len(self.state.rows)} in this region{changing}")
        if selected is not None:
            for index, row in enumerate(self.state.rows):
                if row.identifier == selected:
                    table.move_cursor(row=index)
                    break
        self._render_detail()

    @on(DataTable.RowHighlighted, "#db-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value is not None:
            self.state.selected = str(event.row_key.value)
            self._render_detail()

    def _render_detail(self) -> None:
        row = self.state.row
        if row is None:
            text = "No databases here yet. Press c to create one."
        else:
            actions = "  ".join(f"{a.key}:{a.label}" + (f" ({a.unavailable})" if a.unavailable else "")
                                for a in self.state.actions())
            text = (f"{_safe(row.identifier)}: {row.deployment}, {_safe(row.status)}, {_safe(row.placement)}"
                    + (", deletion protection on" if row.deletion_protection else "") + f"\n{actions}")
        self.query_one("#db-detail", Static).update(text)

    def say(self, line: str) -> None:
        """One line in the action log (kept in the state, shown in the log widget)."""
        self.state.note(line)
        if self.is_attached:
            self.query_one("#db-log", Log).write_line(_safe(line))

    # ----- actions -----

    def _usable(self, name: str) -> Any:
        row = self.state.row
        choice = next((a for a in self.state.actions() if a.name == name), None)
        if row is None or choice is None:
            self.notify("Select a database first.", severity="warning")
            return None
        if choice.unavailable:
            self.notify(f"{choice.label}: not now, {choice.unavailable}.", severity="warning")
            return None
        return row

    def action_back(self) -> None:
        """Back to the wizard (when the list was opened from it)."""
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()

    def action_create(self) -> None:
        """The six-step create wizard (under this screen)."""
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()

    def action_watch(self) -> None:
        """Follow the selected database in the provisioning screen."""
        from screens.provisioning import ProvisioningScreen

        row = self._usable("watch")
        if row is not None:
            self.app.push_screen(ProvisioningScreen(self._gateway_or_none(), identifier=row.identifier,
                                                    kind=None, demo=self.demo))

    def action_failover(self) -> None:
        """The guided failover test on the selected database."""
        row = self._usable("failover")
        if row is not None:
            self._open_failover(row.identifier)

    def _open_failover(self, identifier: str) -> None:
        from screens.failover import FailoverScreen

        self.app.push_screen(FailoverScreen(self._gateway_or_none(), identifier),
                             lambda _report: self.action_reload())

    def action_availability(self) -> None:
        """Single-AZ to Multi-AZ (or back), applied now."""
        row = self._usable("availability")
        if row is not None:
            self._plan("modify", row.identifier, multi_az=not row.multi_az)

    def action_reboot(self) -> None:
        """Reboot, with failover when it is Multi-AZ."""
        row = self._usable("reboot")
        if row is not None:
            self._plan("reboot", row.identifier, failover=row.multi_az)

    def action_replica(self) -> None:
        """A read replica of the selected instance, every rule checked first (wizard.replicas)."""
        row = self._usable("replica")
        if row is not None:
            self._plan("create-replica", row.identifier)

    def action_replica_view(self) -> None:
        """The selected read replica's screen: lag, standby vs replica, promote."""
        from screens.replica import ReplicaScreen

        selected = self.state.row
        if selected is not None and not selected.replica_source:
            self.notify(f"{selected.identifier} is not a read replica (n creates one).", severity="warning")
            return
        row = self._usable("replica-view")
        if row is not None:
            self.app.push_screen(ReplicaScreen(self._gateway, row.identifier, demo=self.demo),
                                 lambda _result: self.action_reload())

    def action_delete(self) -> None:
        """Ask for the final snapshot, then plan the delete."""
        from wizard.day2.delete import proposed_snapshot_name

        row = self._usable("delete")
        if row is None:
            return
        identifier = row.identifier

        def chosen(answer: tuple[str | None, bool] | None) -> None:
            if answer is not None:
                self._plan("delete", identifier, final_snapshot=answer[0], delete_automated_backups=answer[1])

        self.app.push_screen(DeleteDialog(identifier, proposed_snapshot_name(identifier)), chosen)

    @work(thread=True, group="db-plan", exit_on_error=False)
    def _plan(self, action: str, identifier: str, **options: Any) -> None:
        from wizard.day2 import delete, modify, reboot

        gateway = self._gateway_or_none()
        try:
            if action == "modify":
                plan = modify.plan_availability(gateway, identifier, options["multi_az"],
                                                apply_immediately=True)
            elif action == "reboot":
                plan = reboot.plan_reboot(gateway, identifier, failover=options["failover"])
            elif action == "create-replica":
                from wizard.replicas.create import plan_create_replica

                plan = plan_create_replica(gateway, identifier)
            elif action == "unprotect":
                plan = delete.plan_disable_deletion_protection(gateway, identifier)
            else:
                plan = delete.plan_delete(gateway, identifier, final_snapshot=options["final_snapshot"],
                                          delete_automated_backups=options["delete_automated_backups"])
        except Exception as exc:
            from wizard.aws.errors import explain

            self.app.call_from_thread(self.say, explain(exc, identifier=identifier).render())
            return
        self.app.call_from_thread(self._planned, plan, options)

    def _planned(self, plan: ActionPlan, options: dict[str, Any]) -> None:
        self.state.plan = plan
        if not plan.can_run:
            for problem in plan.problems:
                self.say(f"Refused, nothing changed: {problem.message}")
                self.say(f"  Next: {problem.fix}")
            self.notify(plan.problems[0].message, severity="error", timeout=8)
            protected = next((p for p in plan.problems if p.command and "deletion-protection" in p.command),
                             None)
            if protected is not None:
                self._offer_unprotect(plan.identifier)
            return
        titles = {"modify": "Change availability of", "reboot": "Reboot", "delete": "DELETE",
                  "create-replica": "Create read replica",
                  "disable-deletion-protection": "Turn off deletion protection of"}

        def answered(confirmed: bool | None) -> None:
            if confirmed:
                self._run_action(plan, options)
            else:
                self.say(f"Cancelled: nothing was sent for {plan.identifier}.")

        self.app.push_screen(typed_confirmation(f"{titles.get(plan.action, plan.action)} {plan.identifier}",
                                                plan.what_will_happen, plan.identifier), answered)

    def _offer_unprotect(self, identifier: str) -> None:
        """Deletion protection: turning it off is its own confirmed change; the delete is asked again."""
        self.say("Deletion protection can be turned off as its own confirmed change.")
        self._plan("unprotect", identifier)

    @work(thread=True, group="db-action", exit_on_error=False)
    def _run_action(self, plan: ActionPlan, options: dict[str, Any]) -> None:
        from datetime import UTC, datetime, timedelta

        from wizard.day2.common import ActionFailed, send
        from wizard.day2.follow import follow_change, follow_delete

        gateway = self._gateway_or_none()
        post = self.app.call_from_thread
        post(self._set_running, True)
        watch = None
        # Events from just before the request on: RDS's clock may run a little behind this machine's.
        sent_at = datetime.now(UTC) - timedelta(seconds=0 if self.demo else 1)
        try:
            if plan.action == "modify":
                watch = self._start_writes(gateway, plan.identifier)
            try:
                send(gateway, plan)
            except ActionFailed as failed:
                post(self.say, failed.render())
                return
            post(self.say, f"Sent: {plan.cli}")
            post(self.action_reload)
            if plan.action == "delete":
                outcome = follow_delete(gateway, plan, lambda u: post(self.say, u.message),
                                        should_stop=lambda: not self.app.is_running, events_since=sent_at)
                post(self.say, f"{plan.identifier} is deleted." if outcome.gone else
                     f"{plan.identifier} is not gone yet.")
            elif plan.action == "disable-deletion-protection":
                post(self.say, f"Deletion protection is off for {plan.identifier}; press d to delete it.")
            else:
                def show(progress: Any) -> None:
                    for update in progress.updates:
                        post(self.say, update.message)

                progress = follow_change(gateway, plan, show,
                                         should_stop=lambda: not self.app.is_running, events_since=sent_at)
                if watch is not None:
                    for line in watch.stop().lines():
                        post(self.say, line)
                    watch = None
                if plan.action == "modify" and plan.params.get("MultiAZ") and progress.outcome == "available":
                    post(self.say, "Next: press t to run the failover test on it.")
        except Exception as exc:  # said in the log: a background failure never dies silently
            from wizard.aws.errors import explain

            post(self.say, f"{plan.identifier}: following stopped: {explain(exc).render()}")
        finally:
            if watch is not None:
                watch.stop(read_back_seconds=5)
            post(self._set_running, False)
            post(self.action_reload)

    def _start_writes(self, gateway: Any, identifier: str) -> Any:
        from wizard.aws.failover import find_target
        from wizard.day2.writes import WriteWatch, credentials_for

        post = self.app.call_from_thread
        try:
            creds, note = credentials_for(gateway, identifier, None)
            target = find_target(gateway, identifier)
        except Exception:  # the change itself reports an unreadable target
            return None
        watch = WriteWatch(gateway, target.endpoint, target.port, target.engine, creds)
        if creds is None and note:
            watch.note = note
        if watch.start():
            post(self.say, "Application probe: committing a row every 50 ms during the conversion.")
            return watch
        post(self.say, f"Writes are not measured: {watch.note}.")
        return None

    def _set_running(self, running: bool) -> None:
        self.state.running = running
        if self.is_attached:
            self._render_detail()
