"""Benchmarks of the Textual wizard (not in the default test run): `python tests/benchmarks/bench_tui.py`.

1. Time to the first interactive screen of `rds-wizard --demo`, against a minimal Textual app measured the
   same way in the same run (fresh processes, interpreter start included). Goal: at most 1.3x.
2. Step transitions (Next/Back/jump, first visits included): median (goal 50 ms) and p95.
3. With a synthetic catalog of 10,000 orderable options: time from entering the Instance step until the
   class list shows (goal 300 ms), and per keystroke of its filter (goal 30 ms).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "functional"))

RUNS = 5

_FIRST_SCREEN = r"""
import os, sys, time
start = float(sys.argv[1])
kind = sys.argv[2]
if kind == "minimal":
    from textual.app import App
    from textual.widgets import Footer, Label

    class Minimal(App):
        def compose(self):
            yield Label("hello")
            yield Footer()

    app = Minimal()

    async def ready(pilot):
        while not pilot.app.screen.query("Label"):
            await pilot.pause()
        print(time.time() - start, flush=True)
        os._exit(0)
else:
    from screens.app import make_app
    from wizard.aws.gateway import ConnectionOptions

    app = make_app(connection=ConnectionOptions(demo=True), resume=False)

    async def ready(pilot):
        while not pilot.app.screen.query("#step-engine Select"):
            await pilot.pause()
        print(time.time() - start, flush=True)
        os._exit(0)

app.run(headless=True, size=(80, 24), auto_pilot=ready)
"""


def first_screen(kind: str) -> float:
    """Seconds from spawning a fresh interpreter to the first interactive screen."""
    env = dict(os.environ, RDS_WIZARD_HOME=tempfile.mkdtemp())
    start = time.time()
    out = subprocess.run([sys.executable, "-c", _FIRST_SCREEN, str(start), kind], capture_output=True,
                         text=True, timeout=120, env=env, cwd=ROOT)
    return float(out.stdout.strip().splitlines()[-1])


class BigCatalog:
    """The in-memory catalog with 10,000 orderable options (2,500 classes x 4 storage types)."""

    def __init__(self) -> None:
        from tui_support import MemoryCatalog

        families = ("m", "r", "t", "x", "c")
        sizes = ("large", "xlarge", "2xlarge", "4xlarge", "8xlarge")
        classes = tuple((f"db.{fam}{gen}g{variant}.{size}", True, True)
                        for fam in families for gen in range(1, 21) for variant in ("", "d", "n", "e", "i")
                        for size in sizes)
        self._base = MemoryCatalog(classes=classes)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._base, name)


async def _no_prefetch(_screen: Any) -> None:
    """Stands in for the wizard's prefetch of the next step."""


async def _time_class_list(pilot: Any, screen: Any) -> float:
    """Seconds from entering the Instance step until its class list has options."""
    from screens.widgets.class_picker import ClassPicker

    screen.reached = 1
    start = time.perf_counter()
    await screen.go_to(1)
    options = screen.query_one(ClassPicker).query_one(".class-options")
    while options.option_count == 0:
        await pilot.pause(0.001)
    return time.perf_counter() - start


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


async def in_process() -> dict[str, float]:
    """Step transitions, class list time and filter keystrokes, in one headless app."""
    os.environ["RDS_WIZARD_HOME"] = tempfile.mkdtemp()
    from tui_support import MemoryCatalog

    from screens.app import make_app
    from screens.widgets.class_picker import ClassPicker
    from wizard.steps import STEP_KEYS

    results: dict[str, float] = {}
    app = make_app(catalog=MemoryCatalog(), demo=True, resume=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        screen = app.wizard_screen
        app.spec.settings.identifier = "bench-db"
        screen.reached = len(STEP_KEYS) - 1
        timings = []
        order = list(range(1, len(STEP_KEYS))) + list(range(len(STEP_KEYS) - 2, -1, -1))
        for _ in range(4):
            for index in order:
                start = time.perf_counter()
                await screen.go_to(index)
                await pilot.pause()
                timings.append(time.perf_counter() - start)
                await app.workers.wait_for_complete()
        results["step median"] = statistics.median(timings)
        results["step p95"] = percentile(timings, 95)

    # Cold: the Instance step is neither built nor loaded before it is entered.
    from screens.wizard_screen import WizardScreen

    prefetch = WizardScreen._prefetch_next
    WizardScreen._prefetch_next = _no_prefetch  # type: ignore[assignment, method-assign]
    try:
        app = make_app(catalog=BigCatalog(), demo=True, resume=False)  # type: ignore[arg-type]
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            results["class list cold"] = await _time_class_list(pilot, app.wizard_screen)
    finally:
        WizardScreen._prefetch_next = prefetch  # type: ignore[method-assign]

    # As used: the wizard builds the next step and loads its choices while the user reads this one.
    app = make_app(catalog=BigCatalog(), demo=True, resume=False)  # type: ignore[arg-type]
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause(0.5)
        await app.workers.wait_for_complete()
        screen = app.wizard_screen
        results["class list"] = await _time_class_list(pilot, screen)
        picker = app.screen.query_one(ClassPicker)
        await app.workers.wait_for_complete()
        await pilot.pause()
        keys = [*"m1g.2xl", "backspace", "backspace", "backspace", *"8xlarge"]
        picker.query_one(".class-filter").focus()
        keystrokes = []
        for key in keys:
            start = time.perf_counter()
            await pilot.press(key)
            keystrokes.append(time.perf_counter() - start)
        # The same keys into an input nobody listens to: Pilot's own cost per key, to subtract.
        from textual.widgets import Input

        plain = Input(id="bench-plain")
        await app.screen.mount(plain)
        plain.focus()
        baseline = []
        for key in keys:
            start = time.perf_counter()
            await pilot.press(key)
            baseline.append(time.perf_counter() - start)
        results["keystroke median"] = statistics.median(keystrokes)
        results["keystroke p95"] = percentile(keystrokes, 95)
        results["keystroke baseline"] = statistics.median(baseline)
    return results


def main() -> None:
    """Run everything and print a table."""
    minimal = [first_screen("minimal") for _ in range(RUNS)]
    wizard = [first_screen("wizard") for _ in range(RUNS)]
    inproc = asyncio.run(in_process())
    m_min, m_wiz = statistics.median(minimal), statistics.median(wizard)
    rows = [
        ("first screen: minimal Textual app", f"{m_min * 1000:.0f} ms", "", ""),
        ("first screen: rds-wizard --demo", f"{m_wiz * 1000:.0f} ms", "", ""),
        ("first screen ratio", f"{m_wiz / m_min:.2f}x", "<= 1.3x", m_wiz / m_min <= 1.3),
        ("step transition median", f"{inproc['step median'] * 1000:.1f} ms", "<= 50 ms",
         inproc["step median"] <= 0.05),
        ("step transition p95", f"{inproc['step p95'] * 1000:.1f} ms", "", ""),
        ("class list shows (10,000 options)", f"{inproc['class list'] * 1000:.0f} ms", "<= 300 ms",
         inproc["class list"] <= 0.3),
        ("  same, step not prefetched (cold)", f"{inproc['class list cold'] * 1000:.0f} ms", "", ""),
        ("filter keystroke median", f"{inproc['keystroke median'] * 1000:.1f} ms", "<= 30 ms",
         inproc["keystroke median"] <= 0.03),
        ("filter keystroke p95", f"{inproc['keystroke p95'] * 1000:.1f} ms", "", ""),
        ("  same keys, input with no listener", f"{inproc['keystroke baseline'] * 1000:.1f} ms", "", ""),
        ("  filter's own cost per keystroke",
         f"{(inproc['keystroke median'] - inproc['keystroke baseline']) * 1000:.1f} ms", "<= 30 ms",
         inproc["keystroke median"] - inproc["keystroke baseline"] <= 0.03),
    ]
    print(f"{'measure':<36} {'value':>10}  {'goal':<10} met")
    for name, value, goal, met in rows:
        print(f"{name:<36} {value:>10}  {goal:<10} {'' if met == '' else ('yes' if met else 'NO')}")
    load = os.getloadavg()[0]
    print(f"(first screen: median of {RUNS} fresh processes each; load average {load:.1f} on "
          f"{os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
