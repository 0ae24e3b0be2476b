"""The provisioning screen: launch (optionally), then follow the database live until it is available.

All AWS work happens in one thread worker that runs `wizard.launch.launch` and `wizard.aws.provisioning.
follow`; it reports back with messages (thread-safe), so the UI thread only renders. The follower decides
stages, estimates, warnings and what to do; this screen only shows them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, RichLog, Static
from textual.worker import get_current_worker

from screens import messages as m
from screens.widgets.compact_button import CompactButton
from screens.widgets.live_topology import LiveTopology
from wizard.aws.provisioning import Progress, RdsEvent, Update, follow, format_duration
from wizard.aws.waits import NoAnswer, Stopped
from wizard.targets import quit_note, reattach_command, target_of

if TYPE_CHECKING:
    from pydantic import SecretStr

    from wizard.aws.failover import FailoverReport
    from wizard.aws.provisioning import ConnectionSummary, Follower, Kind
    from wizard.aws.timing import GatewayLike
    from wizard.launch import LaunchError, LaunchResult
    from wizard.spec.model import DatabaseSpec

PASSWORD_MASK = "●" * 12


def _clock_time(at: datetime) -> str:
    # Local time, like the line-mode `launch` and `watch` output, so the two can be compared.
    return at.astimezone().strftime("%H:%M:%S")


def stage_line(progress: Progress) -> Text:
    """The stage line: done stages ticked, the current one marked, later ones open."""
    text = Text()
    for index, stage in enumerate(progress.stages):
        if index:
            text.append(" ── ", style="dim")
        done = index < progress.stage_index or progress.outcome == "available"
        if progress.outcome == "problem" and index == progress.stage_index:
            text.append(f"✗ {progress.status}", style="bold red")
        elif done:
            text.append(f"✓ {stage}", style="green")
        elif index == progress.stage_index:
            text.append(f"● {stage}", style="bold reverse")
        else:
            text.append(f"○ {stage}", style="dim")
    if progress.status and progress.status not in progress.stages and progress.outcome != "problem":
        text.append(f"   (status: {progress.status})", style="dim")
    return text


def time_line(progress: Progress, elapsed: float) -> str:
    """Elapsed time and the typical range for this kind of create (scaled in the demo)."""
    low, high = progress.estimate
    line = m.PROV_ELAPSED.format(elapsed=format_duration(elapsed))
    if progress.outcome == "available":
        return line + m.PROV_READY
    if progress.finished:
        return line
    line += m.PROV_USUALLY.format(low=format_duration(low), high=format_duration(high))
    if progress.time_scale != 1:
        line += m.PROV_DEMO_SPEED.format(scale=progress.time_scale)
    if elapsed > high:
        line += m.PROV_SLOW
    return line


class ProvisioningScreen(Screen[None]):
    """Creates the database (when given a spec) and follows it live: stages, events, topology, endpoint."""

    CSS_PATH = "launch.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f", "failover", "Failover test", show=True),
        Binding("p", "toggle_password", "Show password", show=True),
        Binding("w", "watch_existing", "Follow it", show=True),
        Binding("escape", "back", "Back", show=True),
    ]

    class Launched(Message):
        """The create call was accepted (sent from the worker thread)."""

        def __init__(self, result: LaunchResult) -> None:
            super().__init__()
            self.result = result

    class LaunchRefused(Message):
        """The launch did not happen: problems, a missing password or an AWS refusal."""

        def __init__(self, error: LaunchError) -> None:
            super().__init__()
            self.error = error

    class ProgressArrived(Message):
        """One poll's snapshot, with the connection summary once available (sent from the worker thread)."""

        def __init__(self, progress: Progress, summary: ConnectionSummary | None = None,
                     summary_error: str = "") -> None:
            super().__init__()
            self.progress = progress
            self.summary = summary
            self.summary_error = summary_error

    class NotFound(Message):
        """There is no instance or Multi-AZ DB cluster with the identifier to follow."""

    class Waiting(Message):
        """What to say while AWS does not answer, before following begins (sent from the worker thread)."""

        def __init__(self, line: str) -> None:
            super().__init__()
            self.line = line

    class Crashed(Message):
        """Something unexpected stopped the worker; shown as a message, never a traceback."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, gateway: GatewayLike, *, spec: DatabaseSpec | None = None,
                 identifier: str | None = None, kind: Kind | None = "instance",
                 follower: Follower | None = None, demo: bool = False,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(classes="provisioning")
        if spec is None and identifier is None and follower is None:
            raise ValueError("ProvisioningScreen needs a spec to launch, an identifier or a follower")
        self.gateway = gateway
        self.spec = spec
        self.identifier = (spec.settings.identifier.lower() if spec is not None
                           else identifier or (follower.identifier if follower else ""))
        # None: find out in the worker whether the identifier names an instance or a cluster.
        self.kind: Kind | None = ("cluster" if spec.is_cluster else "instance") if spec is not None else kind
        self._follower = follower
        self.demo = demo
        self._now = clock
        self.result: LaunchResult | None = None
        self.progress: Progress | None = None
        self._progress_at = 0.0
        self._shown_events: set[tuple[str, str]] = set()
        self.event_lines: list[str] = []
        self._password_visible = False
        self._existing: tuple[str, Kind] | None = None
        self._refused = False  # the launch was refused: nothing was created
        self._summary: ConnectionSummary | None = None

    # ---- layout -------------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        """Stage line, time, the quit note, warnings, the ready panel, the topology and the events."""
        yield Header()
        with VerticalScroll(id="prov-body"):
            yield Static(self._title_text(), id="prov-title", markup=False)
            yield Static("", id="prov-stages")
            yield Static(m.PROV_STARTING, id="prov-time", markup=False)
            yield Static(self.quit_note() or "", id="prov-note", classes="note", markup=False)
            yield Static("", id="prov-warning", classes="warning-panel", markup=False)
            yield Static("", id="prov-ready", classes="ready-panel", markup=False)
            yield CompactButton(m.PROV_FAILOVER_BUTTON, id="prov-failover", classes="launch-action")
            yield LiveTopology(id="prov-topology")
            yield Static(m.PROV_EVENTS, classes="section-title", markup=False)
            yield RichLog(id="prov-events", wrap=True, markup=False, highlight=False, max_lines=2000,
                          min_width=20)
        yield Footer()

    def _title_text(self) -> str:
        template = m.PROV_TITLE_CREATE if self.spec is not None else m.PROV_TITLE_FOLLOW
        what = {"cluster": "Multi-AZ DB cluster", "instance": "DB instance", None: "database"}[self.kind]
        return template.format(what=what, identifier=self.identifier)

    def quit_note(self) -> str | None:
        """What quitting the wizard means for the database followed here (None: nothing was created)."""
        if self._refused:
            return None
        return quit_note(self.gateway, self.identifier, key="Ctrl+Q", demo=self.demo)

    def _reattach(self) -> str | None:
        """The command that follows this database again from a fresh shell; None in the embedded demo,
        which ends with the wizard."""
        if target_of(self.gateway, demo=self.demo) == "demo":
            return None
        return reattach_command(self.gateway, self.identifier, demo=self.demo)

    def on_mount(self) -> None:
        """Hide what has nothing to show yet, start the worker and the elapsed-time tick."""
        for selector in ("#prov-warning", "#prov-ready", "#prov-failover"):
            self.query_one(selector).display = False
        self.set_interval(1.0, self._tick_elapsed)
        self._start_following()

    # ---- the worker (a thread: every call in it may block on the network) --------------------------

    @work(thread=True, exclusive=True, group="provision", exit_on_error=False)
    def _start_following(self) -> None:
        worker = get_current_worker()
        result: LaunchResult | None = None
        try:
            follower = self._follower
            if follower is None and self.spec is not None:
                from wizard.launch import LaunchError, launch

                try:
                    result = launch(self.spec, self.gateway,
                                    on_wait=lambda line: self.post_message(self.Waiting(line)))
                except LaunchError as error:
                    self.post_message(self.LaunchRefused(error))
                    return
                self.post_message(self.Launched(result))
                follower = result.follower(self.gateway)
            elif follower is None:
                from wizard.aws.provisioning import Follower, detect_kind
                from wizard.aws.waits import ride_out

                kind = self.kind or ride_out(lambda: detect_kind(self.gateway, self.identifier),
                                             lambda line: self.post_message(self.Waiting(line)),
                                             should_stop=lambda: worker.is_cancelled)
                if kind is None:
                    self.post_message(self.NotFound())
                    return
                follower = Follower(self.gateway, self.identifier, kind)

            def arrived(progress: Progress) -> None:
                self.post_message(self._arrival(progress, result))

            follow(follower, arrived, should_stop=lambda: worker.is_cancelled)
        except (NoAnswer, Stopped) as exc:  # AWS stayed silent, or the screen was left meanwhile
            if isinstance(exc, NoAnswer):
                from wizard.aws.errors import explain

                self.post_message(self.Crashed(explain(exc).render()))
        except Exception as exc:  # a bug or an unexpected library error: say so, never a traceback
            self.post_message(self.Crashed(f"{type(exc).__name__}: {exc}"))

    def _arrival(self, progress: Progress, result: LaunchResult | None) -> ProgressArrived:
        """The message for one snapshot, with the connection summary once the database is available."""
        # Built here in the worker: the demo check and the resolver may touch the network.
        if progress.outcome != "available":
            return self.ProgressArrived(progress)
        from wizard.aws.provisioning import connection_summary

        try:
            summary = connection_summary(
                progress, self.gateway, password_shown_once=bool(result and result.password_generated),
                username=result.master_username if result else None,
                database=result.database_name if result else None)
        except Exception as exc:  # the summary is a convenience; following must not fail over it
            return self.ProgressArrived(progress, summary_error=m.PROV_SUMMARY_FAILED.format(reason=exc))
        return self.ProgressArrived(progress, summary)

    # ---- messages from the worker -------------------------------------------------------------------

    @on(Launched)
    def _on_launched(self, message: Launched) -> None:
        self.result = message.result
        note = m.PROV_ACCEPTED_RETRY if message.result.adopted_own_retry else ""
        self._add_log_line(m.PROV_ACCEPTED.format(operation=message.result.operation, note=note,
                                         identifier=message.result.identifier))

    @on(LaunchRefused)
    def _on_refused(self, message: LaunchRefused) -> None:
        error = message.error
        self._refused = True
        self._show_warning(error.render(), severity="error")
        self.query_one("#prov-time", Static).update(m.PROV_NOTHING_CREATED)
        self.query_one("#prov-note", Static).update(m.PROV_REFUSED_NOTE)
        if error.existing:
            self._existing = (error.existing, error.existing_kind)
            self._add_log_line(m.PROV_FOLLOW_EXISTING.format(identifier=error.existing))
        self.refresh_bindings()

    @on(NotFound)
    def _on_not_found(self) -> None:
        self._show_warning(m.PROV_NOT_FOUND.format(identifier=self.identifier), severity="error")
        self.query_one("#prov-time", Static).update("")
        self.query_one("#prov-note", Static).update(m.PROV_NOT_FOUND_NEXT)

    @on(Waiting)
    def _on_waiting(self, message: Waiting) -> None:
        self._add_log_line(message.line)

    @on(Crashed)
    def _on_crashed(self, message: Crashed) -> None:
        text = m.PROV_CRASHED.format(text=message.text)
        if (again := self._reattach()) is not None:
            text += m.PROV_CRASHED_WATCH.format(command=again)
        self._show_warning(text, severity="error")

    @on(ProgressArrived)
    def _on_progress(self, message: ProgressArrived) -> None:
        if message.summary_error:
            self._add_log_line(message.summary_error)
        self.show_progress(message.progress, message.summary)

    def show_progress(self, progress: Progress, summary: ConnectionSummary | None = None) -> None:
        """Render one snapshot: stage line, time, topology, new events and updates, warnings, ready panel."""
        first_available = progress.outcome == "available" and (
            self.progress is None or self.progress.outcome != "available")
        self.progress = progress
        if self.kind != progress.kind:
            self.kind = progress.kind
            self.query_one("#prov-title", Static).update(self._title_text())
        self._progress_at = self._now()
        self.query_one("#prov-stages", Static).update(stage_line(progress))
        self._tick_elapsed()
        self.query_one("#prov-topology", LiveTopology).show(
            primary_az=progress.primary_az, standby_azs=progress.standby_azs, endpoint=progress.endpoint,
            port=progress.port, status=progress.status, multi_az=progress.multi_az, kind=progress.kind)
        for update in progress.updates:
            self._log_update(update)
        for event in progress.new_events:
            self._remember_event(event)
        if progress.notices:
            self._show_warning("\n".join(m.PROV_WHAT_TO_DO.format(title=n.title, next_step=n.next_step)
                                         for n in progress.notices),
                               severity=max((n.severity for n in progress.notices),
                                            key=("info", "warning", "error").index))
        if first_available and summary is not None:
            self._show_ready(summary)
        if progress.finished:
            again = self._reattach()
            self.query_one("#prov-note", Static).update(
                m.PROV_ENDED + ("" if again is None else m.PROV_ENDED_WATCH.format(command=again)))
        self.refresh_bindings()

    # ---- rendering helpers --------------------------------------------------------------------------

    def _tick_elapsed(self) -> None:
        progress = self.progress
        if progress is None:
            return
        elapsed = progress.elapsed
        if not progress.finished:
            elapsed += self._now() - self._progress_at
        self.query_one("#prov-time", Static).update(time_line(progress, elapsed))

    def _add_log_line(self, line: str, at: datetime | None = None) -> None:
        stamp = _clock_time(at or datetime.now(UTC))
        self.query_one("#prov-events", RichLog).write(Text(f"{stamp}  {line}"))

    def _log_update(self, update: Update) -> None:
        if update.kind == "event":
            key = (update.at.isoformat(), update.message)
            if key in self._shown_events:
                return
            self._shown_events.add(key)
            self.event_lines.append(update.message)
            self._add_log_line(f"event: {update.message}", update.at)
            return
        line = update.message
        if update.kind == "warning":
            line = f"WARNING: {line}"
        if update.next_step:
            line += f" ({update.next_step})"
        self._add_log_line(line, update.at)

    def _remember_event(self, event: RdsEvent) -> None:
        # The follower reports each new event as an "event" update too; this covers a follower that
        # lists an event only in `new_events`, so every event is shown exactly once either way.
        if event.key not in self._shown_events:
            self._shown_events.add(event.key)
            self.event_lines.append(event.message)
            self._add_log_line(f"event: {event.message}", event.date)

    def _show_warning(self, text: str, *, severity: str = "warning") -> None:
        panel = self.query_one("#prov-warning", Static)
        panel.update(m.PROV_SEVERITY.get(severity, m.PROV_SEVERITY["warning"]) + text)
        panel.set_class(severity == "error", "-error")
        panel.display = True

    def _show_ready(self, summary: ConnectionSummary) -> None:
        self._summary = summary
        self._render_ready()
        self.query_one("#prov-ready").display = True
        self.query_one("#prov-failover").display = self._can_failover()
        # After the next refresh, once the ready panel has its size; scrolling now would be undone.
        self.call_after_refresh(self.query_one("#prov-body", VerticalScroll).scroll_home, animate=False,
                                immediate=True)

    def _render_ready(self) -> None:
        if self._summary is None:
            return
        lines = [m.PROV_AVAILABLE.format(identifier=self.identifier)]
        if self.result is not None and self.result.password_generated and self.result.password is not None:
            shown = self.result.password.get_secret_value() if self._password_visible else PASSWORD_MASK
            hint = m.PROV_PASSWORD_HIDE if self._password_visible else m.PROV_PASSWORD_SHOW
            lines.append(m.PROV_PASSWORD.format(shown=shown, hint=hint))
        lines.extend(self._summary.lines())
        self.query_one("#prov-ready", Static).update("\n".join(lines))

    def _can_failover(self) -> bool:
        progress = self.progress
        return bool(progress and progress.outcome == "available" and progress.multi_az)

    # ---- actions ------------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer each key only when it applies (the failover test once available and Multi-AZ)."""
        if action == "failover":
            return self._can_failover()
        if action == "toggle_password":
            return bool(self._summary and self.result and self.result.password_generated)
        if action == "watch_existing":
            return self._existing is not None
        return True

    @on(Button.Pressed, "#prov-failover")
    def action_failover(self) -> None:
        """Open the guided failover test for this database (it runs its own checks first)."""
        if not self._can_failover():
            return
        from screens.failover import FailoverScreen
        from wizard.aws.probes import DbCredentials

        credentials = None
        secrets: list[SecretStr] = []
        if self.result is not None and self.result.password is not None:
            # The password the launch sent lets the failover test write through the failover.
            credentials = DbCredentials(self.result.master_username, self.result.password,
                                        self.result.database_name, source="launch")
            secrets.append(self.result.password)
        self.app.push_screen(FailoverScreen(self.gateway, self.identifier, kind=self.kind,
                                            credentials=credentials, secrets=secrets), self._after_failover)

    def _after_failover(self, report: FailoverReport | None) -> None:
        """Show where the primary is now, so the diagram here does not contradict the test's report."""
        if report is None or not report.primary_az_after:
            return
        topology = self.query_one("#prov-topology", LiveTopology)
        topology.show(kind=topology.kind, primary_az=report.primary_az_after,
                      standby_azs=report.standby_azs_after, endpoint=topology.endpoint, port=topology.port,
                      status=report.status_after, multi_az=topology.multi_az)
        self._add_log_line(m.PROV_AFTER_FAILOVER.format(verdict=report.verdict.upper(),
                                                        az=report.primary_az_after))

    def action_back(self) -> None:
        """Back to the wizard; following stops here, the database carries on in AWS."""
        progress = self.progress
        again = self._reattach()
        if progress is not None and not progress.finished and again is not None:
            self.app.notify(m.PROV_LEFT_WHILE_CREATING.format(identifier=self.identifier, command=again),
                            timeout=10)
        self.dismiss(None)

    def action_toggle_password(self) -> None:
        """Show or hide the generated password (only in this panel, only while this screen lives)."""
        self._password_visible = not self._password_visible
        self._render_ready()

    def action_watch_existing(self) -> None:
        """Follow the database that already had the requested name, instead of creating one."""
        if self._existing is None:
            return
        identifier, kind = self._existing
        self._existing = None
        self.spec = None
        self.identifier, self.kind = identifier, kind
        self.query_one("#prov-warning").display = False
        self.query_one("#prov-title", Static).update(self._title_text())
        self._refused = False  # following the existing database instead
        self.query_one("#prov-note", Static).update(self.quit_note() or "")
        self._start_following()
        self.refresh_bindings()

