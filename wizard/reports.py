"""Failover test reports as Markdown (to read) and JSON (to compare runs), saved in the reports folder.

A report holds measurements, events and advice; it never holds a password. `save_report` can also be
given secrets to scrub, as a second line of defence for messages that came from a driver or AWS.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import SecretStr

from wizard.aws.provisioning import format_duration
from wizard.escaping import shown, shown_lines
from wizard.paths import reports_dir

if TYPE_CHECKING:
    from wizard.aws.failover import FailoverReport


def _seconds(value: float | None, scale: float) -> str:
    if value is None:
        return "not seen"
    text = f"{value:.2f} s"
    if scale != 1:
        text += f" (about {format_duration(value * scale)} at real RDS speed)"
    return text


DRILL_NAMES = {"forced": "forced (a requested failover)",
               "host-failure": "host failure (demo: the primary's server killed; RDS had to notice)",
               "az-outage": "AZ outage (demo: the primary's AZ unreachable; RDS had to notice)"}
# The timeline in three parts: what the client saw, what RDS said, and what the test did.
TIMELINE_PARTS = (
    ("What the client saw (DNS, TCP, committed writes)", frozenset({"dns", "tcp", "app"})),
    ("What RDS said (events, statuses, AZs)", frozenset({"event", "status", "az"})),
    ("What the test did and noted", frozenset({"action", "note", "warning"})),
)


def summary_rows(report: FailoverReport) -> list[tuple[str, str]]:
    """The report's key figures as (label, value) rows: shared by Markdown, the TUI and plain mode."""
    scale = report.time_scale
    rows = [("Verdict", report.verdict.upper()), ("Drill", DRILL_NAMES.get(report.drill, report.drill))]
    label = "Writer AZ" if report.kind == "cluster" else "Primary AZ"
    rows.append((f"{label} before -> after",
                 f"{report.primary_az_before or '?'} -> {report.primary_az_after or '?'}"
                 + ("" if report.az_swapped else " (did not change)")))
    if report.standby_azs_before or report.standby_azs_after:
        rows.append(("Standby AZ before -> after", f"{', '.join(report.standby_azs_before) or '?'} -> "
                                                   f"{', '.join(report.standby_azs_after) or '?'}"))
    if report.drill != "forced":
        rows.append(("Detection (failure to RDS's failover-started event)",
                     _seconds(report.detection_seconds, scale)))
    rows.append(("Time to the failover-completed event", _seconds(report.failover_event_offset, scale)))
    if report.tcp_measured:
        if report.outage is None:
            rows.append(("Client-visible outage (TCP connect)", "no failed connect seen"))
        elif report.outage.duration is None:
            rows.append(("Client-visible outage (TCP connect)",
                         f"started at {report.outage.start - report.requested_at:+.2f} s and had not ended"))
        else:
            o = report.outage
            rows.append(("Client-visible outage (TCP connect)",
                         f"{_seconds(o.duration, scale)}: from {o.start - report.requested_at:+.2f} s to "
                         f"{(o.end or o.start) - report.requested_at:+.2f} s, "
                         f"{o.failed_attempts} failed connects"
                         + (f", {o.windows} separate outages" if o.windows > 1 else "")))
    else:
        rows.append(("Client-visible outage (TCP connect)", "not measured: not reachable from this machine"))
    if report.dns_switch_offset is not None:
        before, after = ", ".join(report.dns_before) or "?", ", ".join(report.dns_after) or "?"
        rows.append(("DNS switched", f"{report.dns_switch_offset:+.2f} s: {before} -> {after}"))
    else:
        rows.append(("DNS switched", "no change seen" + (f" (answer: {', '.join(report.dns_after)})"
                                                         if report.dns_after else "")))
    app = report.app
    if app is not None:
        rto = _seconds(app.rto_seconds, scale) if app.rto_seconds is not None else "no failed commit"
        rows.append((f"Application RTO ({app.driver})", rto))
        rows.append(("Application writes",
                     f"{app.committed} committed, {app.failed_attempts} failed attempts"))
        if app.verified:
            rpo = "0: every acknowledged commit was found" if not app.missing else \
                f"{len(app.missing)} acknowledged commits missing: {', '.join(map(str, app.missing[:20]))}"
            rows.append(("RPO", rpo))
        else:
            rows.append(("RPO", f"not verified ({app.note})"))
    else:
        rows.append(("Application probe", "did not run (see the notes)"))
    # AZ names, DNS answers and driver names come from AWS and the network: shown, never obeyed.
    return [(label, shown(value)) for label, value in rows]


def render_markdown(report: FailoverReport) -> str:
    """The report as a Markdown document."""
    when = datetime.fromtimestamp(report.requested_at, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    what = "Multi-AZ DB cluster" if report.kind == "cluster" else "Multi-AZ DB instance"
    where = f"the demo at {report.time_scale:g}x speed" if report.demo else "AWS"
    started = "failover requested" if report.drill == "forced" else f"{report.drill} drill started"
    lines = [f"# Failover test: {report.identifier} — {report.verdict.upper()}", "",
             f"{what}, engine {report.engine or '?'}, on {where}; {started} {when}.", "",
             "## Verdict", ""]
    lines += [f"- {reason}" for reason in report.verdict_reasons]
    lines += ["", "## Measurements", "", "| What | Result |", "|---|---|"]
    lines += [f"| {label} | {value} |" for label, value in summary_rows(report)[1:]]
    lines += ["", report.replication_line, ""]
    if report.measurement_notes:
        lines += ["## Notes", "", *(f"- {note}" for note in report.measurement_notes), ""]
    if report.writes_around:
        lines += ["## Writes around the failover", "", "```", *report.writes_around, "```", ""]
    lines += ["## Advice", "", *(f"- {item}" for item in report.advice), ""]
    origin = "the failover request" if report.drill == "forced" else "the failure"
    lines += ["## Timeline", "", f"Seconds from {origin}.", ""]
    for title, kinds in TIMELINE_PARTS:
        lines += [f"### {title}", "", "| t (s) | Source | What |", "|---:|---|---|"]
        for entry in report.timeline:
            if entry.kind in kinds:
                lines.append(f"| {entry.t:+.2f} | {entry.kind} | {entry.message.replace('|', '/')} |")
        lines.append("")
    # Identifiers, events and notes come from AWS and the network; a report read with `cat` must not
    # drive the terminal.
    return shown_lines("\n".join(lines))


def _scrub(text: str, secrets: Iterable[SecretStr]) -> str:
    for secret in secrets:
        value = secret.get_secret_value()
        if value:
            text = text.replace(value, "********")
    return text


def save_report(report: FailoverReport, *, secrets: Iterable[SecretStr] = (),
                folder: Path | None = None) -> tuple[Path, Path]:
    """Write the report as Markdown and JSON with timestamped names; returns (markdown, json) paths."""
    target = folder or reports_dir()
    target.mkdir(parents=True, exist_ok=True)
    stamp = datetime.fromtimestamp(report.requested_at, UTC).strftime("%Y%m%d-%H%M%S")
    # The identifier came from AWS or the user: only its safe letters name a file, so that no value can
    # reach outside the reports folder or hide as a dot file.
    name = re.sub(r"[^A-Za-z0-9-]", "_", report.identifier)[:63] or "database"
    base = f"failover-{name}-{stamp}"
    n = 1
    while (target / f"{base}.md").exists() or (target / f"{base}.json").exists():
        n += 1
        base = f"failover-{name}-{stamp}-{n}"
    secret_list = list(secrets)
    markdown = _scrub(render_markdown(report), secret_list)
    data = _scrub(json.dumps({"schema": 1, **report.to_dict()}, indent=2, default=str), secret_list)
    md_path, json_path = target / f"{base}.md", target / f"{base}.json"
    md_path.write_text(markdown, encoding="utf-8")
    json_path.write_text(data + "\n", encoding="utf-8")
    return md_path, json_path
