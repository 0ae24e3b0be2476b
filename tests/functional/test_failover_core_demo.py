"""The failover core on the demo through the same API the TUI uses: refusals, a failover there and back,
and the timeline entries arriving through the callback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from presets import load_preset
from wizard.aws.failover import FailoverRefused, FailoverTest, TimelineEntry, preflight
from wizard.aws.provisioning import follow
from wizard.launch import launch

pytestmark = [pytest.mark.slow, pytest.mark.timeout(240)]


@pytest.fixture
def gateway(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.setenv("RDS_WIZARD_HOME", str(tmp_path))
    monkeypatch.delenv("RDS_WIZARD_DEMO_FAULTS", raising=False)
    from wizard.aws.gateway import ConnectionOptions, open_gateway

    with open_gateway(ConnectionOptions(demo=True, demo_speed=300)) as gw:
        yield gw


def _create(gateway: Any, preset: str, identifier: str) -> None:
    spec = load_preset(preset)
    spec.settings.identifier = identifier
    result = launch(spec, gateway)
    final = follow(result.follower(gateway), lambda _p: None)
    assert final.outcome == "available", final


def test_a_single_az_instance_is_refused_with_the_reason(gateway: Any) -> None:
    _create(gateway, "dev-test-postgres", "single-db")
    pre = preflight(gateway, "single-db")
    assert not pre.can_run
    assert pre.refusal is not None and "single-AZ" in pre.refusal
    with pytest.raises(FailoverRefused):
        FailoverTest(gateway, pre).run(confirmation="single-db")


def test_a_creating_instance_is_refused_until_available(gateway: Any) -> None:
    spec = load_preset("teaching-demo")
    spec.settings.identifier = "young-db"
    launch(spec, gateway)
    pre = preflight(gateway, "young-db")
    assert not pre.can_run and pre.refusal is not None and "available" in pre.refusal


def test_fail_over_and_back_with_a_live_timeline(gateway: Any) -> None:
    _create(gateway, "teaching-demo", "there-back")
    pre = preflight(gateway, "there-back")
    assert pre.can_run, pre.checks
    first_primary = pre.target.primary_az
    with pytest.raises(FailoverRefused):
        FailoverTest(gateway, pre).run(confirmation="not-the-name")
    entries: list[TimelineEntry] = []
    report = FailoverTest(gateway, pre, on_entry=entries.append).run(confirmation="there-back")
    assert report.verdict in ("pass", "warning"), report.verdict_reasons
    assert report.primary_az_before == first_primary and report.az_swapped
    kinds = {e.kind for e in entries}
    assert {"action", "status", "event", "tcp", "dns", "az"} <= kinds
    again = preflight(gateway, "there-back")
    assert {c.key: c.status for c in again.checks}["recent"] == "warning"  # a failover moments ago
    back = FailoverTest(gateway, again).run(confirmation="there-back")
    assert back.primary_az_after == first_primary and back.verdict in ("pass", "warning")
