"""Benchmark of the network waits: how soon a silent endpoint is reported, and how soon following a
create and measuring a failover carry on after a network drop ends.

- Silent endpoint: `rds-wizard watch` against a loopback socket that accepts and never answers, from the
  start of the command to its exit with the explanation; the baseline, in the same run, is an endpoint
  that refuses connections (reported as fast as the machine can).
- Drop while following a create / measuring a failover: a DROP_SECONDS window of dropped connections is
  armed in the demo just after the create is accepted (or with the failover request, which is dropped
  too). Figures: when the first stall line was said (seconds into the drop), and the recovery lag, from
  the end of the window to the "AWS answers again" line; its baseline is how often the wizard asks while
  AWS is silent (the demo's scaled poll interval, or the 5 s retry interval).

Run: ``.venv/bin/python tests/benchmarks/bench_network_waits.py [DROP_SECONDS]`` (or with pytest -s).
"""

from __future__ import annotations

import contextlib
import io
import os
import socket
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "functional"))

from wizard.aws.waits import RETRY_WHILE_SILENT_SECONDS

DROP_SECONDS = 30.0
SPEED = 100.0


def _fake_aws_environment() -> None:
    for name in list(os.environ):
        if name.startswith("AWS_") or name.lower() in ("http_proxy", "https_proxy", "all_proxy"):
            del os.environ[name]
    os.environ.update(AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull,
                      AWS_ACCESS_KEY_ID="AKIATESTTESTTESTTEST", AWS_SECRET_ACCESS_KEY="test-secret")


def _time_watch(url: str) -> tuple[float, int, str]:
    from wizard.cli import main

    err = io.StringIO()
    began = time.monotonic()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["watch", "orders-db", "--endpoint-url", url, "--region", "eu-west-1"])
    return time.monotonic() - began, code, err.getvalue().splitlines()[0] if err.getvalue() else ""


def silent_endpoint() -> None:
    """Time to report an endpoint that never answers, against one that refuses connections."""
    from silent_endpoint import SilentEndpoint

    _fake_aws_environment()
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        refused_url = f"http://127.0.0.1:{unused.getsockname()[1]}"  # closed again before it is asked
    refused, _, _ = _time_watch(refused_url)
    with SilentEndpoint() as silent:
        seconds, code, first = _time_watch(silent.url)
    print(f"{'silent endpoint reported (watch, exit ' + str(code) + ')':46} {seconds:6.1f} s   "
          f"refused endpoint {refused:5.2f} s   ratio {seconds / max(refused, 1e-3):5.1f}x")
    print(f"{'':46} {first}")


def _gateway(speed: float) -> Any:
    from wizard.aws.gateway import ConnectionOptions, open_gateway

    return open_gateway(ConnectionOptions(demo=True, demo_speed=speed))


def _demo_of(gateway: Any) -> Any:
    import wizard.demo

    return wizard.demo.last_started  # set by the recording wrapper below


def drop_while_following(drop: float) -> None:
    """A drop just after the create: first stall line, recovery lag after the window ends."""
    from presets import load_preset
    from wizard.aws.provisioning import follow
    from wizard.launch import launch

    marks: dict[str, float] = {}
    with _gateway(SPEED) as gateway:
        demo = _demo_of(gateway)
        spec = load_preset("teaching-demo")
        spec.settings.identifier = "bench-drop-db"
        result = launch(spec, gateway)
        demo.faults.add(f"drop:{drop:g}s")
        marks["start"] = time.monotonic()

        def on_update(progress: Any) -> None:
            now = time.monotonic()
            for update in progress.updates:
                if update.kind == "waiting":
                    marks.setdefault("stall", now)
                if update.message.startswith("AWS answers again"):
                    marks.setdefault("back", now)

        final = follow(result.follower(gateway), on_update)
        poll = min(result.follower(gateway).schedule.interval(0.0, 1), RETRY_WHILE_SILENT_SECONDS)
    _report("drop while following a create", drop, marks, final.outcome, poll)


def drop_during_failover(drop: float) -> None:
    """A drop just after the failover request: first stall note, recovery lag after the window ends."""
    from presets import load_preset
    from wizard.aws.failover import FailoverTest, preflight
    from wizard.aws.provisioning import follow
    from wizard.launch import launch

    marks: dict[str, float] = {}
    with _gateway(SPEED) as gateway:
        demo = _demo_of(gateway)
        spec = load_preset("teaching-demo")
        spec.settings.identifier = "bench-failover-db"
        result = launch(spec, gateway)
        assert follow(result.follower(gateway), lambda _p: None).outcome == "available"

        def on_entry(entry: Any) -> None:
            now = time.monotonic()
            if entry.kind == "action":
                demo.faults.add(f"drop:{drop:g}s")
                marks["start"] = now
            elif entry.kind == "note" and entry.message.startswith("no answer from AWS"):
                marks.setdefault("stall", now)
            elif entry.kind == "note" and entry.message.startswith("AWS answers again"):
                marks.setdefault("back", now)

        pre = preflight(gateway, "bench-failover-db")
        report = FailoverTest(gateway, pre, on_entry=on_entry).run(confirmation="bench-failover-db")
    # The request itself is dropped: whether it got through is asked every RETRY_WHILE_SILENT_SECONDS.
    _report("drop from the failover request on", drop, marks, report.verdict, RETRY_WHILE_SILENT_SECONDS)


def _report(what: str, drop: float, marks: dict[str, float], outcome: str, poll: float) -> None:
    start = marks.get("start", float("nan"))
    stall = marks.get("stall", float("nan")) - start
    lag = marks.get("back", float("nan")) - (start + drop)
    print(f"{what + f' ({drop:g} s)':46} first stall line at {stall:5.1f} s; answers again {lag:5.2f} s "
          f"after the drop ended (asks every {poll:.2f} s while silent); outcome {outcome}")


def run(drop: float = DROP_SECONDS) -> None:
    """All three; prints one line each."""
    os.environ.setdefault("RDS_WIZARD_HOME", tempfile.mkdtemp(prefix="rds-wizard-bench-"))
    os.environ.pop("RDS_WIZARD_DEMO_FAULTS", None)
    import wizard.demo

    original = wizard.demo.start_demo

    def recording(*args: Any, **kwargs: Any) -> Any:
        demo = original(*args, **kwargs)
        wizard.demo.last_started = demo  # type: ignore[attr-defined]
        return demo

    wizard.demo.start_demo = recording  # type: ignore[assignment]
    try:
        drop_while_following(drop)
        drop_during_failover(drop)
    finally:
        wizard.demo.start_demo = original  # type: ignore[assignment]
    silent_endpoint()


def test_bench_network_waits() -> None:
    """pytest entry point (benchmarks are not in the default run)."""
    run()


if __name__ == "__main__":
    run(float(sys.argv[1]) if len(sys.argv) > 1 else DROP_SECONDS)
