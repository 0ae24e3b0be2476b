"""The drill choice in plain mode (issue 16): asked in the demo, forced first; the chosen drill runs."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from presets import load_preset
from wizard.aws.provisioning import follow
from wizard.launch import launch
from wizard.plain import LinePrompter, ask_drill
from wizard.plain_progress import failover_lines

pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]


def test_plain_mode_asks_for_the_drill_and_runs_the_az_outage(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RDS_WIZARD_HOME", str(tmp_path))
    monkeypatch.setenv("RDS_WIZARD_DEMO_SIMULATED_DB", "1")
    monkeypatch.delenv("RDS_WIZARD_DEMO_FAULTS", raising=False)
    from wizard.aws.gateway import ConnectionOptions, open_gateway

    out = io.StringIO()
    prompter = LinePrompter(io.StringIO("3\nplain-drill-db\n"), out)
    said: list[str] = []
    with open_gateway(ConnectionOptions(demo=True, demo_speed=100)) as gateway:
        spec = load_preset("teaching-demo")
        spec.settings.identifier = "plain-drill-db"
        assert follow(launch(spec, gateway).follower(gateway), lambda _p: None).outcome == "available"
        code = failover_lines("plain-drill-db", "instance", gateway, prompter.typed, said.append,
                              choose_drill=lambda drills: ask_drill(prompter, drills))
    transcript = out.getvalue()
    assert code == 0, said
    assert "1) Forced failover" in transcript and "3) AZ outage" in transcript
    assert "Which failover drill? [1) Forced failover" in transcript  # forced is the default
    assert any("Demo drill az-outage" in line for line in said)
    assert "  Drill: AZ outage (demo: the primary's AZ unreachable; RDS had to notice)" in said
    assert "  Verdict: PASS" in said


def test_plain_mode_does_not_ask_on_aws(monkeypatch: pytest.MonkeyPatch) -> None:
    import wizard.aws.failover as core
    from wizard.aws.failover import Check, Preflight, Target

    class Aws:
        is_demo = False
        target = "aws"

    target = Target("prod-db", "instance", "postgres", "available", False, "us-east-1a", (), None, 5432, None,
                    "postgres", None)
    preflights: list[str] = []

    def scripted(*_a: object, drill: str = "forced", **_k: object) -> Preflight:
        preflights.append(drill)
        checks = [Check("multi-az", "Multi-AZ", "fail", "prod-db is single-AZ.")]
        return Preflight(target, checks, False, None, 1.0, False, [])

    monkeypatch.setattr(core, "preflight", scripted)
    asked: list[object] = []
    said: list[str] = []
    def chooser(drills: tuple[str, ...]) -> str:
        asked.append(drills)
        return "az-outage"

    code = failover_lines("prod-db", "instance", Aws(), lambda _q: "", said.append,  # type: ignore[arg-type]
                          choose_drill=chooser)  # type: ignore[arg-type]
    assert code == 1 and asked == [] and preflights == ["forced"]
