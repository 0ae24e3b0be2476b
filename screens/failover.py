"""The guided failover test: preflight checklist, what will happen, typed confirmation, live timeline, report.

The measuring is `wizard.aws.failover` (preflight, `FailoverTest`) and the saving `wizard.reports`; both
block, so they run in thread workers and report back with messages. The screen renders the checklist,
the timeline as it arrives (status, events, DNS answers, TCP and application probe edges), the AZ diagram
flipping, and the report with its verdict and the paths of the saved files.

In the demo a drill choice comes first (forced, host-failure, az-outage; only forced on AWS): for an
unplanned drill the diagram marks the node that failed, says when RDS noticed (the detection gap), and
swaps the roles when the standby takes over.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, RadioButton, RadioSet, RichLog, Static
from textual.worker import get_current_worker

from screens import messages as m
from screens.dialogs import TypedConfirmScreen
from screens.widgets.compact_button import CompactButton
from screens.widgets.live_topology import LiveTopology
from wizard.aws.drills import DRILL_LABELS, DRILLS, UNPLANNED, Drill
from wizard.targets import reattach_command

if TYPE_CHECKING:
    from pathlib import Path

    from pydantic import SecretStr

    from wizard.aws.failover import FailoverReport, Preflight, TimelineEntry
    from wizard.aws.probes import DbCredentials
    from wizard.aws.provisioning import Kind
    from wizard.aws.timing import GatewayLike

CHECK_MARKS = {"ok": "✓", "warning": "!", "fail": "✗", "info": "i"}


def checklist_text(pre: Preflight) -> Text:
    """The preflight checklist: one mark and line per check (the mark is a character, not a colour)."""
    styles = {"ok": "green", "warning": "yellow", "fail": "bold red", "info": "dim"}
    text = Text()
    for index, check in enumerate(pre.checks):
        if index:
            text.append("\n")
        text.append(f" {CHECK_MARKS[check.status]} {check.label}: ", style=styles[check.status])
        text.append(check.detail)
    return text


def entry_line(entry: TimelineEntry) -> Text:
    """One timeline line: seconds from the request, the source, what happened."""
    style = {"warning": "bold yellow", "az": "bold", "action": "bold"}.get(entry.kind, "")
    return Text(f"{entry.t:+8.2f} s  {entry.kind:<6} {entry.message}", style=style)


def report_text(report: FailoverReport, paths: Sequence[Path]) -> str:
    """The report as the screen shows it: verdict, figures, the replication line, writes, advice, files."""
    from wizard.reports import summary_rows

    rows = summary_rows(report)
    lines = [m.FO_VERDICT.format(verdict=report.verdict.upper()),
             *(f"  {reason}" for reason in report.verdict_reasons), ""]
    lines += [f"{label}: {value}" for label, value in rows[1:]]
    lines += ["", report.replication_line]
    if report.writes_around:
        lines += ["", m.FO_WRITES,
                  *(f"  {line}" for line in report.writes_around)]
    if report.measurement_notes:
        lines += ["", m.FO_NOTES, *(f"  - {note}" for note in report.measurement_notes)]
    lines += ["", m.FO_ADVICE, *(f"  - {item}" for item in report.advice)]
    if paths:
        lines += ["", m.FO_SAVED, *(f"  {path}" for path in paths)]
    return "\n".join(lines)


class FailoverScreen(Screen["FailoverReport | None"]):
    """Checks, confirms by the typed identifier, forces a failover, and shows what clients saw."""

    CSS_PATH = "launch.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "start", "Start the test", show=True),
        Binding("r", "recheck", "Check again", show=True),
        Binding("escape", "back", "Back", show=True),
    ]

    class Checked(Message):
        """The preflight finished (from the worker thread), with the drills this target offers."""

        def __init__(self, preflight: Preflight, offered: tuple[Drill, ...] = ("forced",)) -> None:
            super().__init__()
            self.preflight = preflight
            self.offered = offered

    class Refused(Message):
        """The test cannot run or AWS refused the failover: why, and what to do."""

        def __init__(self, reason: str, next_step: str) -> None:
            super().__init__()
            self.reason = reason
            self.next_step = next_step

    class Entry(Message):
        """One timeline entry (from one of the test's threads)."""

        def __init__(self, entry: TimelineEntry) -> None:
            super().__init__()
            self.entry = entry

    class Finished(Message):
        """The report, and where it was saved (or why it could not be)."""

        def __init__(self, report: FailoverReport, paths: tuple[Path, ...], save_error: str) -> None:
            super().__init__()
            self.report = report
            self.paths = paths
            self.save_error = save_error

    def __init__(self, gateway: GatewayLike, identifier: str, *, kind: Kind | None = None,
                 credentials: DbCredentials | None = None, secrets: Sequence[SecretStr] = (),
                 drill: Drill = "forced") -> None:
        super().__init__(classes="failover")
        self.drill: Drill = drill
        self.offered: tuple[Drill, ...] = ("forced",)
        self.gateway = gateway
        self.identifier = identifier
        self.kind = kind
        self._credentials = credentials
        self._secrets = tuple(secrets)
        self.preflight: Preflight | None = None
        self.report: FailoverReport | None = None
        self.paths: tuple[Path, ...] = ()
        self.phase = "checking"
        self.timeline: list[TimelineEntry] = []

    def compose(self) -> ComposeResult:
        """Title, phase, checklist, briefing, start button, diagram, timeline and the report."""
        yield Header()
        with VerticalScroll(id="fo-body"):
            yield Static(m.FO_TITLE.format(identifier=self.identifier), id="fo-title", markup=False)
            yield Static(m.FO_CHECKING, id="fo-phase", markup=False)
            yield Static("", id="fo-report", classes="report-panel", markup=False)
            yield Static(m.FO_DRILL_TITLE, id="fo-drill-title", markup=False)
            with RadioSet(id="fo-drill"):
                for drill in DRILLS:
                    yield RadioButton(DRILL_LABELS[drill], value=drill == self.drill, id=f"fo-drill-{drill}")
            yield Static("", id="fo-checks")
            yield Static("", id="fo-what", classes="note", markup=False)
            yield CompactButton(m.FO_START_BUTTON, id="fo-start", classes="launch-action")
            yield LiveTopology(id="fo-topology")
            yield Static(m.FO_TIMELINE, id="fo-timeline-title", classes="section-title", markup=False)
            yield RichLog(id="fo-timeline", wrap=True, markup=False, highlight=False, max_lines=5000,
                          min_width=20)
        yield Footer()

    def on_mount(self) -> None:
        """Hide what has nothing to show yet and run the preflight."""
        for selector in ("#fo-report", "#fo-start", "#fo-drill-title", "#fo-drill"):
            self.query_one(selector).display = False
        self._preflight()

    # ---- workers -----------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="failover", exit_on_error=False)
    def _preflight(self) -> None:
        from wizard.aws.drills import offered
        from wizard.aws.failover import FailoverRefused, preflight

        try:
            pre = preflight(self.gateway, self.identifier, kind=self.kind, credentials=self._credentials,
                            drill=self.drill)
            drills = offered(self.gateway)
        except FailoverRefused as refused:
            self.post_message(self.Refused(refused.reason, refused.next_step))
            return
        except Exception as exc:  # unexpected: shown as a message, never a traceback
            self.post_message(self.Refused(m.FO_PREFLIGHT_CRASHED.format(text=f"{type(exc).__name__}: {exc}"),
                                           m.FO_PREFLIGHT_CRASHED_NEXT))
            return
        self.post_message(self.Checked(pre, drills))

    @work(thread=True, exclusive=True, group="failover", exit_on_error=False)
    def _run_test(self, pre: Preflight, confirmation: str) -> None:
        from wizard.aws.failover import FailoverRefused, FailoverTest
        from wizard.reports import save_report

        worker = get_current_worker()
        test = FailoverTest(self.gateway, pre, on_entry=lambda entry: self.post_message(self.Entry(entry)),
                            should_stop=lambda: worker.is_cancelled, drill=self.drill)
        try:
            report = test.run(confirmation)
        except FailoverRefused as refused:
            self.post_message(self.Refused(refused.reason, refused.next_step))
            return
        except Exception as exc:  # unexpected: shown as a message, never a traceback
            self.post_message(self.Refused(m.FO_TEST_CRASHED.format(text=f"{type(exc).__name__}: {exc}"),
                                           m.FO_TEST_CRASHED_NEXT.format(
                                               command=reattach_command(self.gateway, self.identifier))))
            return
        secrets = [*self._secrets]
        if pre.credentials is not None:
            secrets.append(pre.credentials.password)
        try:
            paths: tuple[Path, ...] = save_report(report, secrets=secrets)
            error = ""
        except OSError as exc:
            paths, error = (), m.FO_SAVE_FAILED.format(reason=exc)
        self.post_message(self.Finished(report, paths, error))

    # ---- messages ----------------------------------------------------------------------------------

    @on(Checked)
    def _on_checked(self, message: Checked) -> None:
        pre = message.preflight
        self.preflight = pre
        self.offered = message.offered
        for selector in ("#fo-drill-title", "#fo-drill"):
            self.query_one(selector).display = len(self.offered) > 1
        target = pre.target
        self.kind = target.kind
        self.query_one("#fo-checks", Static).update(checklist_text(pre))
        self.query_one("#fo-topology", LiveTopology).show(
            kind=target.kind, primary_az=target.primary_az, standby_azs=target.standby_azs,
            endpoint=target.endpoint, port=target.port, status=target.status, multi_az=target.multi_az)
        if pre.can_run:
            self.phase = "ready"
            where = m.FO_WHERE_DEMO if pre.demo else m.FO_WHERE_AWS
            self.query_one("#fo-phase", Static).update(
                m.FO_READY_DRILL.format(drill=self.drill) if self.drill in UNPLANNED else
                m.FO_READY.format(where=where))
            self.query_one("#fo-what", Static).update(
                "\n".join([m.FO_WHAT, *(f" - {line}" for line in pre.what_will_happen)]))
            start = self.query_one("#fo-start", CompactButton)
            start.display = True
            self.set_focus(start, scroll_visible=False)
        else:
            self.phase = "refused"
            self.query_one("#fo-phase", Static).update(m.FO_REFUSED.format(reason=pre.refusal))
        self.refresh_bindings()

    @on(Refused)
    def _on_refused(self, message: Refused) -> None:
        self.phase = "refused"
        text = message.reason + (m.FO_WHAT_TO_DO.format(next_step=message.next_step) if message.next_step
                                 else "")
        self.query_one("#fo-phase", Static).update(text)
        self.query_one("#fo-start").display = False
        self.refresh_bindings()

    @on(RadioSet.Changed, "#fo-drill")
    def _on_drill_chosen(self, message: RadioSet.Changed) -> None:
        chosen = str(message.pressed.id or "").removeprefix("fo-drill-")
        drill = next((d for d in DRILLS if d == chosen), None)
        if drill is None or drill == self.drill or self.phase in ("running", "checking"):
            return
        self.drill = drill
        self.action_recheck()  # the checklist and the briefing depend on the drill

    def _teach(self, entry: TimelineEntry, topology: LiveTopology) -> None:
        """An unplanned drill on the diagram: who failed, when RDS noticed, the old primary coming back."""
        from wizard.aws.failover import classify_event

        failed_az = self.preflight.target.primary_az if self.preflight is not None else None
        if entry.kind == "action" and failed_az:
            topology.mark_failed(failed_az, m.FO_DOWN[self.drill], m.FO_NOT_NOTICED.format(az=failed_az))
        elif entry.kind == "event" and classify_event(entry.message) == "started":
            topology.set_note(m.FO_NOTICED.format(seconds=max(0.0, entry.t)))
        elif entry.kind == "event" and classify_event(entry.message) == "completed" \
                and self.drill == "host-failure" and "DNS" not in entry.message:
            topology.clear_failed(m.FO_REJOINED)

    @on(Entry)
    def _on_entry(self, message: Entry) -> None:
        entry = message.entry
        self.timeline.append(entry)
        self.query_one("#fo-timeline", RichLog).write(entry_line(entry))
        topology = self.query_one("#fo-topology", LiveTopology)
        if self.drill in UNPLANNED:
            self._teach(entry, topology)
        if entry.kind == "status":
            status = entry.message.removeprefix("status:").strip()
            topology.show(kind=topology.kind, primary_az=topology.primary_az,
                          standby_azs=topology.standby_azs, endpoint=topology.endpoint, port=topology.port,
                          status=status, multi_az=topology.multi_az)
        elif entry.kind == "az" and "->" in entry.message:
            old = topology.primary_az
            new = entry.message.rsplit("->", 1)[1].strip()
            standbys = [az for az in topology.standby_azs if az != new]
            if old and old not in standbys:
                standbys.insert(0, old)
            topology.show(kind=topology.kind, primary_az=new, standby_azs=standbys,
                          endpoint=topology.endpoint, port=topology.port, status=topology.status,
                          multi_az=topology.multi_az, note=self._swapped_note(old))

    def _swapped_note(self, old_primary: str | None) -> str:
        if self.drill == "az-outage":
            return m.FO_SWAPPED_AZ_DARK.format(az=old_primary or "the old AZ")
        if self.drill == "host-failure":
            return m.FO_SWAPPED_REJOINING
        return m.FO_SWAPPED_CLUSTER if self.kind == "cluster" else m.FO_SWAPPED

    @on(Finished)
    def _on_finished(self, message: Finished) -> None:
        report = message.report
        self.report, self.paths, self.phase = report, message.paths, "done"
        body = report_text(report, message.paths)
        if message.save_error:
            body += f"\n\n{message.save_error}"
        panel = self.query_one("#fo-report", Static)
        panel.update(body)
        for verdict in ("pass", "warning", "fail"):
            panel.set_class(report.verdict == verdict, f"-{verdict}")
        panel.display = True
        self.query_one("#fo-phase", Static).update(m.FO_DONE.format(verdict=report.verdict.upper()))
        scroller = self.query_one("#fo-body", VerticalScroll)
        self.set_focus(scroller, scroll_visible=False)
        # After the next refresh, once the report panel has its size; scrolling now would be undone.
        self.call_after_refresh(scroller.scroll_home, animate=False, immediate=True)
        self.refresh_bindings()

    # ---- actions -----------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Start only when the checklist passed; check again or go back only when nothing runs."""
        if action == "start":
            return self.phase == "ready"
        if action in ("recheck", "back"):
            return self.phase != "running"
        return True

    @on(Button.Pressed, "#fo-start")
    def action_start(self) -> None:
        """Ask for the identifier, then force the failover and follow it."""
        pre = self.preflight
        if pre is None or self.phase != "ready":
            return
        body = "\n".join([m.FO_WHAT, *(f" - {line}" for line in pre.what_will_happen)])
        unplanned = self.drill in UNPLANNED

        def answered(confirmed: bool | None) -> None:
            if not confirmed:
                return
            self.phase = "running"
            # Focus moves before the focused button hides, or Textual would move it (and scroll) itself.
            self.set_focus(self.query_one("#fo-timeline", RichLog), scroll_visible=False)
            # The checklist makes way, so the diagram and the timeline fill the screen while it runs.
            for selector in ("#fo-start", "#fo-what", "#fo-checks", "#fo-drill-title", "#fo-drill"):
                self.query_one(selector).display = False
            self.query_one("#fo-phase", Static).update(m.FO_RUNNING_DRILL if unplanned else m.FO_RUNNING)
            self.query_one("#fo-timeline-title", Static).update(
                m.FO_TIMELINE_DRILL if unplanned else m.FO_TIMELINE)
            self.query_one("#fo-body", VerticalScroll).scroll_home(animate=False, immediate=True)
            self.refresh_bindings()
            self._run_test(pre, pre.target.identifier)

        title = (m.FO_CONFIRM_TITLE_DRILL.format(drill=self.drill, identifier=pre.target.identifier)
                 if unplanned else m.FO_CONFIRM_TITLE.format(identifier=pre.target.identifier))
        label = m.FO_CONFIRM_DRILL if unplanned else m.FO_CONFIRM_DEMO if pre.demo else m.FO_CONFIRM_AWS
        self.app.push_screen(TypedConfirmScreen(title=title, body=body, identifier=pre.target.identifier,
                                                action_label=label, danger=not pre.demo), answered)

    def action_recheck(self) -> None:
        """Run the preflight again (after a refusal, or for another test after a report)."""
        self.phase = "checking"
        self.query_one("#fo-phase", Static).update(m.FO_CHECKING)
        for selector in ("#fo-what", "#fo-checks"):
            self.query_one(selector).display = True
        for selector in ("#fo-drill-title", "#fo-drill"):
            self.query_one(selector).display = len(self.offered) > 1
        for selector in ("#fo-start", "#fo-report"):
            self.query_one(selector).display = False
        self.query_one("#fo-topology", LiveTopology).clear_failed("")
        self.query_one("#fo-timeline", RichLog).clear()
        self.timeline = []
        self.refresh_bindings()
        self._preflight()

    def action_back(self) -> None:
        """Leave the test screen (only when no failover is being measured), handing back the report."""
        if self.phase != "running":
            self.dismiss(self.report)
