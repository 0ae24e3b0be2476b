"""Benchmarks of the Textual wizard (not in the default test run): `python tests/benchmarks/bench_tui.py`.

Everything is measured as a user sees it: the app runs in a real pseudo-terminal at 80x24 (the real
driver, the real escape sequences written), and a time is taken when the bytes of the frame arrive.

1. Time to the first interactive screen of `rds-wizard --demo` (the installed command), against a minimal
   Textual app measured the same way in the same run, the two started in turns. Goal: at most 1.3x.
   Beside it, when Next pressed the moment the screen shows is answered (the spec model loads just after
   the first frame).
2. Step transitions (ctrl+n Next and esc Back over every step, first visits included): median (goal
   50 ms) and p95, from the key written to the last byte of the new step's frame. The keys are sent
   both ways a terminal sends them: as a terminal with the kitty keyboard protocol (which Textual asks
   for: kitty, foot, Ghostty, Alacritty; WezTerm, iTerm2 when enabled) sends them, where Escape is a whole
   sequence (CSI 27 u), and as a legacy terminal (xterm, tmux, most SSH clients) does, where Escape is a
   lone ESC byte that Textual must wait ESCDELAY (100 ms) on before it knows it is not the start of a
   sequence. Each is reported; the ESCDELAY wait is Textual's input parsing, the same in every app: a
   trivial app that redraws a label on the same keys is measured beside it.
3. With a synthetic catalog of 10,000 orderable options: from Next on Engine until the class list is
   drawn (goal 300 ms), and per keystroke of its filter (goal 30 ms), from the key written to the last
   byte of the redrawn list.

A reply is over when the app has written nothing for `QUIET_S`; the time taken is that of its last byte,
so the quiet wait itself is not counted. The same keys sent to a trivial app (one Input) give the cost
of the terminal round trip and of Textual's own key handling, shown beside the raw figures.
"""

from __future__ import annotations

import fcntl
import os
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[2]
T = TypeVar("T")

RUNS = 5
FIRST_SCREEN_RUNS = 9
QUIET_S = 0.15
# Time the user spends reading a step before the next key: lets the wizard's own background work (the
# prefetch of the next step, 0.3 s after a step shows) happen as it would.
READ_S = 0.6
ESC = b"\x1b"
# The same keys as a terminal speaking the kitty keyboard protocol sends them (Textual enables it).
KITTY_ESC = b"\x1b[27u"
KITTY_CTRL_N = b"\x1b[110;5u"
# A lone ESC byte may start an escape sequence: Textual waits this long (ESCDELAY, default 100 ms) for more
# bytes before it takes it as the Escape key. Every Textual app pays it; it is shown apart.
ESCAPE_DELAY_S = int(os.environ.get("ESCDELAY", "100")) / 1000
CTRL_N = b"\x0e"
F12 = b"\x1b[24~"
FILTER_KEYS = [*b"m1g.2xl", 127, 127, 127, *b"8xlarge"]  # 127: backspace
TALL = 60

_MINIMAL = r"""
from textual.app import App
from textual.widgets import Footer, Label


class Minimal(App):
    def compose(self):
        yield Label("hello-minimal")
        yield Footer()


Minimal().run()
"""

_TRIVIAL_INPUT = r"""
from textual.app import App
from textual.widgets import Input
_made = Input.__init__
def _made_still(self, *args, **kwargs):
    _made(self, *args, **kwargs)
    self.cursor_blink = False  # Input's public switch; each blink would be a frame
Input.__init__ = _made_still


class Trivial(App):
    def compose(self):
        yield Input(placeholder="trivial-ready")


Trivial().run()
"""

# A trivial app that redraws a label on Escape or ctrl+n: what any Textual app takes to answer those keys.
_TRIVIAL_KEYS = r"""
from textual.app import App
from textual.widgets import Label


class TrivialKeys(App):
    BINDINGS = [("escape", "count", "Count"), ("ctrl+n", "count", "Count")]
    count = 0

    def compose(self):
        yield Label("keys-ready 0", id="n")

    def action_count(self):
        self.count += 1
        self.query_one("#n", Label).update(f"keys-ready {self.count}")


TrivialKeys().run()
"""

# The wizard on an in-memory catalog, every step filled from a preset. The cursor does not blink (its
# redraws would be read as part of a reply); F12 (pressed before any timing) focuses the class filter.
_WIZARD = r"""
import gc
import sys
gc.disable()  # as the command line starts the wizard (freeze_gc below)
sys.path.insert(0, "tests/functional")
sys.path.insert(0, "tests/benchmarks")
from textual.widgets import Input
_made = Input.__init__
def _made_still(self, *args, **kwargs):
    _made(self, *args, **kwargs)
    self.cursor_blink = False  # Input's public switch; each blink would be a frame
Input.__init__ = _made_still
from screens.app import make_app
from screens.wizard_screen import WizardScreen
import bench_tui

if "cold" in sys.argv:
    async def no_prefetch(screen):
        pass
    WizardScreen._prefetch_next = no_prefetch

catalog = bench_tui.big_catalog() if "big" in sys.argv else __import__("tui_support").MemoryCatalog()
app = make_app(catalog=catalog, demo=True, resume=False, preset="production-postgres", freeze_gc=True)

def focus_filter():
    app.screen.query_one(".class-filter", Input).focus()

app.bind("f12", "bench_focus", show=False)
app.action_bench_focus = focus_filter
app.run()
"""


def big_catalog() -> object:
    """The in-memory catalog with 10,000 orderable options (2,500 classes x 4 storage types)."""
    from tui_support import MemoryCatalog

    families = ("m", "r", "t", "x", "c")
    sizes = ("large", "xlarge", "2xlarge", "4xlarge", "8xlarge")
    classes = tuple((f"db.{fam}{gen}g{variant}.{size}", True, True)
                    for fam in families for gen in range(1, 21) for variant in ("", "d", "n", "e", "i")
                    for size in sizes)
    return MemoryCatalog(classes=classes)


def _die_with_parent() -> None:
    """In the child: be killed when the benchmark dies (a killed run left apps spinning on a closed
    terminal, skewing every later measurement on the machine)."""
    import ctypes

    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)


class Terminal:
    """A program running in a pseudo-terminal (80x24 unless told), with what it wrote."""

    def __init__(self, argv: list[str], rows: int = 24) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, 80, 0, 0))
        env = dict(os.environ, RDS_WIZARD_HOME=tempfile.mkdtemp(), TERM="xterm-256color")
        self.start = time.perf_counter()
        self.process = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=ROOT,
                                        start_new_session=True, preexec_fn=_die_with_parent)
        os.close(slave)
        self.master = master
        self.output = b""

    def _read(self, timeout: float) -> float | None:
        """Read what is there within `timeout`; the time the bytes arrived, None if none did."""
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return None
        try:
            chunk = os.read(self.master, 1 << 16)
        except OSError:
            return None
        self.output += chunk
        return time.perf_counter()

    def wait_for(self, *markers: bytes, timeout: float = 60.0) -> float:
        """Seconds from the start until every marker has been written (since the last send)."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            arrived = self._read(0.5)
            if arrived is not None and all(m in self.output for m in markers):
                return arrived - self.start
        raise TimeoutError(f"never saw {markers!r}")

    def settle(self, timeout: float = 10.0) -> float | None:
        """Read until quiet for QUIET_S; the time of the last byte (None if nothing came)."""
        last = self._read(QUIET_S)
        deadline = time.perf_counter() + timeout
        while last is not None and time.perf_counter() < deadline:
            arrived = self._read(QUIET_S)
            if arrived is None:
                return last
            last = arrived
        return last

    def reply(self, data: bytes, *markers: bytes) -> float:
        """Seconds from writing `data` to the last byte of the app's answer: once every marker has been
        written, the answer ends at the last byte before QUIET_S of silence."""
        self.settle()
        self.output = b""
        sent = time.perf_counter()
        os.write(self.master, data)
        last = None
        deadline = sent + 10.0
        while (last is None or not all(m in self.output for m in markers)) and time.perf_counter() < deadline:
            last = self._read(0.5) or last
        if last is None or not all(m in self.output for m in markers):
            raise RuntimeError(f"no answer with {markers!r} to {data!r}: {self.output[-300:]!r}")
        return (self.settle() or last) - sent

    def close(self) -> None:
        """Kill the program."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        os.close(self.master)


def first_screen(kind: str) -> float:
    """Seconds from spawning the program to its first interactive screen having been written."""
    if kind == "minimal":
        terminal = Terminal([sys.executable, "-c", _MINIMAL])
        markers: tuple[bytes, ...] = (b"hello-minimal",)
    else:
        terminal = Terminal([str(Path(sys.executable).parent / "rds-wizard"), "--demo"])
        markers = (b"Step 1 of 6", b"Version")
    try:
        return terminal.wait_for(*markers)
    finally:
        terminal.close()


def first_next() -> tuple[float, float]:
    """Seconds from spawning `rds-wizard --demo` to its first screen, and to its answer to Next pressed the
    moment that screen shows: the model (pydantic) loads just after the first frame, and this is when a
    user who does not stop to read would see it."""
    terminal = Terminal([str(Path(sys.executable).parent / "rds-wizard"), "--demo"])
    try:
        shown = terminal.wait_for(b"Step 1 of 6", b"Version")
        terminal.output = b""
        os.write(terminal.master, CTRL_N)
        return shown, terminal.wait_for(b"Step 2 of 6")
    finally:
        terminal.close()


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def _wizard(*flags: str, rows: int = 24) -> Terminal:
    terminal = Terminal([sys.executable, "-c", _WIZARD, *flags], rows)
    terminal.wait_for(b"Step 1 of 6", b"Version")
    time.sleep(1.0)  # the catalog's choices load and the next step is prefetched, as while reading
    terminal.settle()
    return terminal


def step_transitions(next_key: bytes, back_key: bytes, rounds: int = 3) -> tuple[list[float], list[float]]:
    """Seconds per Next and per Back, walking to Review and back `rounds` times with these keys."""
    terminal = _wizard()
    forward, back = [], []
    try:
        for _ in range(rounds):
            for step in range(2, 7):
                forward.append(terminal.reply(next_key, f"Step {step} of 6".encode()))
                time.sleep(READ_S)
            for step in range(5, 0, -1):
                back.append(terminal.reply(back_key, f"Step {step} of 6".encode()))
                time.sleep(READ_S)
    finally:
        terminal.close()
    return forward, back


def class_list(cold: bool) -> tuple[float, list[float]]:
    """Seconds from Next on Engine until the 10,000-option class list is drawn (on a terminal tall enough
    to show it without scrolling); then per filter key at 80x24."""
    terminal = _wizard("big", *(["cold"] if cold else []), rows=TALL)
    try:
        shown = terminal.reply(CTRL_N, b"Step 2 of 6", b"storage: gp3")
    finally:
        terminal.close()
    keys: list[float] = []
    if not cold:
        terminal = _wizard("big")
        try:
            terminal.reply(CTRL_N, b"Step 2 of 6")
            time.sleep(READ_S)
            terminal.reply(F12)
            keys = [terminal.reply(bytes([key])) for key in FILTER_KEYS]
        finally:
            terminal.close()
    return shown, keys


def trivial_keys() -> list[float]:
    """Seconds per key for the same keys typed into a trivial app's only Input."""
    terminal = Terminal([sys.executable, "-c", _TRIVIAL_INPUT])
    try:
        terminal.wait_for(b"rivial-ready")  # the cursor sits on the "t"
        return [terminal.reply(bytes([key])) for key in FILTER_KEYS]
    finally:
        terminal.close()


def trivial_step_keys(next_key: bytes, back_key: bytes, rounds: int = 5) -> tuple[list[float], list[float]]:
    """Seconds per Next key and per Back key for a trivial app that redraws a label on each."""
    terminal = Terminal([sys.executable, "-c", _TRIVIAL_KEYS])
    forward, back = [], []
    try:
        terminal.wait_for(b"keys-ready 0")
        count = 0
        for _ in range(rounds):
            for key, times in ((next_key, forward), (back_key, back)):
                count += 1
                times.append(terminal.reply(key, f"keys-ready {count}".encode()))
                time.sleep(READ_S)
    finally:
        terminal.close()
    return forward, back


def _again_once(measure: Callable[[], T]) -> T:
    """Run a measure; once more if the pseudo-terminal misbehaved (rarely a key is echoed back as ^N,
    as if the terminal were not in raw mode: a harness hiccup, said on stderr, not an app delay)."""
    try:
        return measure()
    except RuntimeError as exc:
        print(f"retrying once after: {str(exc)[:120]}", file=sys.stderr)
        return measure()


def main() -> None:
    """Run everything and print a table."""
    # Measure the program as installed: an install compiles it, but this checkout may have run with
    # PYTHONDONTWRITEBYTECODE set, and each start would then compile the project again.
    sources = ["wizard", "screens", "presets", "tests/benchmarks", "tests/functional"]
    subprocess.run([sys.executable, "-m", "compileall", "-q", *sources], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    minimal, wizard = [], []
    for _ in range(FIRST_SCREEN_RUNS):  # in turns, so a change in the machine's load touches both alike
        minimal.append(first_screen("minimal"))
        wizard.append(first_screen("wizard"))
    answered = [first_next()[1] for _ in range(RUNS)]
    forward, back = _again_once(lambda: step_transitions(KITTY_CTRL_N, KITTY_ESC))
    steps = forward + back
    legacy_forward, legacy_back = _again_once(lambda: step_transitions(CTRL_N, ESC))
    legacy_steps = legacy_forward + legacy_back
    shown, keys = _again_once(lambda: class_list(cold=False))
    cold, _ = _again_once(lambda: class_list(cold=True))
    trivial = _again_once(trivial_keys)
    _, trivial_kitty_back = _again_once(lambda: trivial_step_keys(KITTY_CTRL_N, KITTY_ESC))
    trivial_legacy_next, trivial_legacy_back = _again_once(lambda: trivial_step_keys(CTRL_N, ESC))
    m_min, m_wiz = statistics.median(minimal), statistics.median(wizard)
    k_med, t_med = statistics.median(keys), statistics.median(trivial)
    ms = 1000
    rows = [
        ("first screen: minimal Textual app", f"{m_min * ms:.0f} ms", "", ""),
        ("first screen: rds-wizard --demo", f"{m_wiz * ms:.0f} ms", "", ""),
        ("first screen ratio", f"{m_wiz / m_min:.2f}x", "<= 1.3x", m_wiz / m_min <= 1.3),
        ("  Next pressed as it shows: answered", f"{statistics.median(answered) * ms:.0f} ms", "", ""),
        ("step transition median (kitty keys)", f"{statistics.median(steps) * ms:.1f} ms", "<= 50 ms",
         statistics.median(steps) <= 0.05),
        ("step transition p95 (kitty keys)", f"{percentile(steps, 95) * ms:.1f} ms", "", ""),
        ("  Next (ctrl+n) median", f"{statistics.median(forward) * ms:.1f} ms", "", ""),
        ("  Back (esc) median", f"{statistics.median(back) * ms:.1f} ms", "", ""),
        ("step transition median (legacy keys)", f"{statistics.median(legacy_steps) * ms:.1f} ms", "<= 50 ms",
         statistics.median(legacy_steps) <= 0.05),
        ("step transition p95 (legacy keys)", f"{percentile(legacy_steps, 95) * ms:.1f} ms", "", ""),
        ("  Next (ctrl+n) median", f"{statistics.median(legacy_forward) * ms:.1f} ms", "", ""),
        ("  Back (lone ESC byte) median", f"{statistics.median(legacy_back) * ms:.1f} ms", "", ""),
        ("  Back less the ESCDELAY wait",
         f"{(statistics.median(legacy_back) - ESCAPE_DELAY_S) * ms:.1f} ms", "", ""),
        ("  trivial app: ctrl+n / kitty Esc", f"{statistics.median(trivial_legacy_next) * ms:.0f} / "
         f"{statistics.median(trivial_kitty_back) * ms:.0f} ms", "", ""),
        ("  trivial app: lone ESC byte", f"{statistics.median(trivial_legacy_back) * ms:.1f} ms", "", ""),
        ("class list shows (10,000 options)", f"{shown * ms:.0f} ms", "<= 300 ms", shown <= 0.3),
        ("  same, step not prefetched (cold)", f"{cold * ms:.0f} ms", "", ""),
        ("filter keystroke median (raw)", f"{k_med * ms:.1f} ms", "<= 30 ms", k_med <= 0.03),
        ("filter keystroke p95 (raw)", f"{percentile(keys, 95) * ms:.1f} ms", "", ""),
        ("  same keys, trivial app's Input", f"{t_med * ms:.1f} ms", "", ""),
        ("  filter keystroke net of that", f"{(k_med - t_med) * ms:.1f} ms", "", ""),
    ]
    print(f"{'measure':<36} {'value':>10}  {'goal':<10} met")
    for name, value, goal, met in rows:
        print(f"{name:<36} {value:>10}  {goal:<10} {'' if met == '' else ('yes' if met else 'NO')}")
    load = os.getloadavg()[0]
    print(f"(pty 80x24; first screen: median of {FIRST_SCREEN_RUNS} fresh processes each, in turns; kitty "
          f"keys: as a terminal with the kitty keyboard protocol sends them; legacy: a lone ESC byte, which "
          f"waits Textual's ESCDELAY {ESCAPE_DELAY_S * 1000:.0f} ms; load average {load:.1f} on "
          f"{os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
