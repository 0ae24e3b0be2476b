"""The failover test's arithmetic: outage from a probe timeline, application RTO, DNS switch, verdicts,
and the saved report (Markdown + JSON, never a password)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pydantic import SecretStr

from wizard.aws.failover import (
    AppProbeReport,
    FailoverReport,
    TimelineEntry,
    classify_event,
    decide_verdict,
    writes_around,
)
from wizard.aws.probes import (
    ConnectSample,
    DnsSample,
    Outage,
    WriteAttempt,
    application_rto,
    compute_outage,
    dns_switch,
)
from wizard.reports import render_markdown, save_report, summary_rows


def tcp(pattern: str, start: float = 100.0, step: float = 0.1) -> list[ConnectSample]:
    """Samples from a pattern such as '++--+': one attempt per step, each taking 10 ms."""
    return [ConnectSample(start + i * step, start + i * step + 0.01, c == "+") for i, c in enumerate(pattern)]


def test_the_outage_runs_from_the_first_failure_to_the_first_success_after_it() -> None:
    outage = compute_outage(tcp("+++----++"))
    assert outage is not None
    assert outage.start == pytest.approx(100.3)
    assert outage.end == pytest.approx(100.71)
    assert outage.duration == pytest.approx(0.41)
    assert outage.failed_attempts == 4 and outage.windows == 1
    assert outage.last_ok_before == pytest.approx(100.21)


def test_no_failure_means_no_outage_and_no_recovery_means_an_open_one() -> None:
    assert compute_outage(tcp("+++++")) is None
    open_ended = compute_outage(tcp("++---"))
    assert open_ended is not None and open_ended.end is None and open_ended.duration is None


def test_a_flapping_endpoint_counts_its_separate_outages() -> None:
    outage = compute_outage(tcp("+--+-+"))
    assert outage is not None and outage.windows == 2 and outage.failed_attempts == 2


def test_failures_before_the_failover_request_are_ignored() -> None:
    outage = compute_outage(tcp("-++--+"), after=100.05)
    assert outage is not None and outage.start == pytest.approx(100.3)


def test_application_rto_is_last_commit_before_to_first_commit_after() -> None:
    attempts = [WriteAttempt(0.0, 0.01, True, 1), WriteAttempt(0.05, 0.06, True, 2),
                WriteAttempt(0.10, 0.30, False, 3, "server closed the connection"),
                WriteAttempt(0.35, 0.40, False, None, "connection refused"),
                WriteAttempt(1.00, 1.02, True, 4)]
    before, after, rto = application_rto(attempts)
    assert (before, after) == (0.06, 1.02)
    assert rto == pytest.approx(0.96)
    assert application_rto(attempts[:2]) == (None, None, None)


def test_dns_switch_is_the_first_changed_answer() -> None:
    samples = [DnsSample(1.0, ("10.0.0.1",)), DnsSample(2.0, ("10.0.0.1",)), DnsSample(3.0, ()),
               DnsSample(4.0, ("10.0.1.7",))]
    switched = dns_switch(samples, after=1.5)
    assert switched is not None and switched.at == 4.0 and switched.addresses == ("10.0.1.7",)
    assert dns_switch(samples[:2]) is None


def app_report(missing: tuple[int, ...] = (), rto: float | None = 1.0) -> AppProbeReport:
    return AppProbeReport("postgres", 100, 98, 2, 1.0, 2.0, rto, True, 98 - len(missing), missing, 1)


@pytest.mark.parametrize(("kwargs", "verdict"), [
    ({}, "pass"),
    ({"outage_aws_seconds": 121.0}, "warning"),
    ({"outage_aws_seconds": 119.0}, "pass"),
    ({"az_swapped": False}, "fail"),
    ({"available_after": False}, "fail"),
    ({"abandoned": True}, "fail"),
    ({"stopped_early": True}, "fail"),
    ({"app": app_report(missing=(41,))}, "fail"),
    ({"app": app_report(rto=200.0), "outage_aws_seconds": None}, "warning"),
    ({"completed": False}, "pass"),
])
def test_verdict_rules(kwargs: dict[str, object], verdict: str) -> None:
    args: dict[str, object] = {"az_swapped": True, "available_after": True, "abandoned": False,
                               "completed": True, "outage_aws_seconds": 90.0, "app": app_report()}
    args.update(kwargs)
    got, reasons = decide_verdict(**args)  # type: ignore[arg-type]
    assert got == verdict
    assert reasons


def test_writes_around_collapse_failures_into_runs() -> None:
    attempts = [WriteAttempt(10.0 + i * 0.05, 10.01 + i * 0.05, True, i + 1) for i in range(10)]
    attempts.append(WriteAttempt(10.45, 10.46, False, 11, "server closed the connection"))
    attempts += [WriteAttempt(10.5 + i * 0.05, 10.51 + i * 0.05, False, None, "refused") for i in range(20)]
    attempts += [WriteAttempt(11.5 + i * 0.05, 11.51 + i * 0.05, True, 12 + i) for i in range(10)]
    lines = writes_around(attempts, requested_at=10.4)
    assert len(lines) == 8
    assert "heartbeat 11 FAILED, outcome unknown" in lines[3] and "server closed" in lines[3]
    assert "20 reconnect attempt(s) failed" in lines[4] and "refused" in lines[4]
    assert "heartbeat 12 committed" in lines[5]
    assert lines[0].strip().startswith("+0.") or lines[0].strip().startswith("-0.")


def report(tmp_path: Path) -> FailoverReport:
    now = datetime(2026, 11, 25, 21, 0, tzinfo=UTC)
    requested = now.timestamp()
    return FailoverReport(
        identifier="db1", kind="instance", engine="postgres", demo=True, time_scale=30.0,
        requested_at=requested, finished_at=requested + 5, primary_az_before="us-east-1a",
        primary_az_after="us-east-1b", standby_azs_before=("us-east-1b",), standby_azs_after=("us-east-1a",),
        status_after="available", completed=True, abandoned=False, stopped_early=False,
        failover_event="Multi-AZ instance failover completed.", failover_event_offset=3.0,
        failover_event_seen_offset=3.2, tcp_measured=True,
        outage=Outage(requested + 0.1, requested + 2.6, 20, requested + 0.05), dns_before=("127.0.0.2",),
        dns_after=("127.0.0.3",), dns_switch_offset=2.7, app=app_report(), measurement_notes=["a note"],
        verdict="pass", verdict_reasons=["moved"], advice=["reconnect"], replication_line="RPO = 0.",
        timeline=[TimelineEntry(0.0, now, "action", "RebootDBInstance db1 ForceFailover=True")],
        writes_around=["+0.000 s  heartbeat 1 committed"])


def test_the_report_is_saved_as_markdown_and_json_with_timestamped_names(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RDS_WIZARD_HOME", str(tmp_path))
    monkeypatch.delenv("RDS_WIZARD_REPORTS", raising=False)
    r = report(tmp_path)
    md, js = save_report(r)
    assert md.parent == tmp_path / "data" / "reports"
    assert md.name == "failover-db1-20261125-210000.md" and js.suffix == ".json"
    md2, _ = save_report(r)
    assert md2 != md  # a second run in the same second does not overwrite the first
    data = json.loads(js.read_text())
    assert data["verdict"] == "pass" and data["az_swapped"] is True
    assert data["outage"]["duration"] == pytest.approx(2.5)
    assert data["outage_aws_seconds"] == pytest.approx(75.0)
    assert data["app"]["rpo_zero"] is True
    text = md.read_text()
    assert "us-east-1a -> us-east-1b" in text and "RebootDBInstance" in text
    assert "about 1 min 15 s at real RDS speed" in text


def test_secrets_given_to_save_report_are_scrubbed(tmp_path: Path) -> None:
    r = report(tmp_path)
    r.measurement_notes.append("driver said: password Canary-Rep-1 rejected")
    md, js = save_report(r, secrets=[SecretStr("Canary-Rep-1")], folder=tmp_path)
    assert "Canary-Rep-1" not in md.read_text() and "Canary-Rep-1" not in js.read_text()


def test_summary_rows_say_what_was_not_measured(tmp_path: Path) -> None:
    r = report(tmp_path)
    r.tcp_measured, r.outage, r.app = False, None, None
    rows = dict(summary_rows(r))
    assert "not measured" in rows["Client-visible outage (TCP connect)"]
    assert "did not run" in rows["Application probe"]
    assert render_markdown(r).startswith("# Failover test: db1")


def test_summary_rows_sign_offsets_once(tmp_path: Path) -> None:
    r = report(tmp_path)
    r.outage = Outage(r.requested_at - 0.004, r.requested_at + 2.6, 20, r.requested_at - 0.05)
    outage = dict(summary_rows(r))["Client-visible outage (TCP connect)"]
    assert "from -0.00 s to +2.60 s" in outage and "+-" not in outage
    assert dict(summary_rows(r))["DNS switched"].startswith("+2.70 s")


@pytest.mark.parametrize(("message", "meaning"), [
    ("Multi-AZ instance failover started.", "started"),
    ("Multi-AZ failover to standby complete - DNS propagation may take a few minutes.", "completed"),
    ("Multi-AZ instance failover completed.", "completed"),
    ("Started cross AZ failover to DB instance: db1-instance-2", "started"),
    ("Completed failover to DB instance: db1-instance-2", "completed"),
    ("Amazon RDS is not attempting a requested failover because a failover recently occurred on the DB "
     "instance.", "abandoned"),
    ("Finished DB instance backup", None),
    ("DB instance restarted", None),
])
def test_failover_events_are_recognised(message: str, meaning: str | None) -> None:
    assert classify_event(message) == meaning


@pytest.mark.parametrize("identifier", ["../../etc/passwd", "/abs/path", ".hidden", "a\x1b[2Jb", "x" * 300])
def test_a_report_file_is_named_only_by_the_identifiers_safe_letters(tmp_path: Path, identifier: str) -> None:
    r = report(tmp_path)
    r.identifier = identifier
    md, js = save_report(r, folder=tmp_path)
    assert md.parent == tmp_path and js.parent == tmp_path
    assert md.name.startswith("failover-") and not any(c in md.name for c in "/\x1b")
    assert len(md.name) < 120
