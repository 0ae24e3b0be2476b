"""The terminal driver on Linux and macOS: Textual's, with an Escape key delivered when ESCDELAY says.

A lone ESC byte may be the Escape key or the start of an escape sequence (an arrow key, a mouse report, a
terminal's answer), so the parser waits ESCDELAY (default 100 ms) for more. But Textual 8.2.8's input
thread only looks at that deadline when its 0.1 s `select` returns: the Escape key is delivered ~100 ms
after it arrives whatever ESCDELAY is, and up to 200 ms when the poll and the deadline fall badly. Here
the thread sleeps until the deadline instead, so the wait is ESCDELAY, and a user who lowers it (a local
terminal) gets the lower value.

The default is left at 100 ms on purpose. Escape sequences can reach the program in pieces: a pty is a
byte stream that knows nothing of sequences, and Windows Terminal with Windows OpenSSH is known to send a
terminal's answers split over several packets (tmux 3.5 moved to a 10 ms wait and had to go back to
500 ms while it waits for such answers). Over a slow link the second piece can come tens of ms later; a
short wait would then read Escape plus text: a step back, and characters typed into a field, or at the
resume prompt, where Escape means "start over", the saved draft thrown away.
"""

from __future__ import annotations

import os
import selectors
from codecs import getincrementaldecoder

from textual._loop import loop_last
from textual._parser import ParseError
from textual._time import get_time
from textual._xterm_parser import XTermParser
from textual.drivers.linux_driver import LinuxDriver

# Textual's own poll: how often the input thread looks at `exit_event` when nothing arrives.
POLL_S = 0.1


class PromptEscapeDriver(LinuxDriver):
    """LinuxDriver whose input thread wakes when a pending Escape is due, not at its next poll."""

    def run_input_thread(self) -> None:
        """Wait for input and dispatch events: Textual 8.2.8's loop, with the wait in `select` cut short
        while the parser holds an ESC (re-check on a Textual upgrade)."""
        selector = selectors.SelectSelector()
        selector.register(self.fileno, selectors.EVENT_READ)
        fileno = self.fileno
        parser = XTermParser(self._debug)
        decode = getincrementaldecoder("utf-8")().decode

        def process_selector_events(selector_events: list[tuple[selectors.SelectorKey, int]],
                                    final: bool = False) -> None:
            for last, (_selector_key, mask) in loop_last(selector_events):
                if mask & selectors.EVENT_READ:
                    unicode_data = decode(os.read(fileno, 1024 * 4), final=final and last)
                    if not unicode_data:
                        break  # stdin is a pipe
                    for event in parser.feed(unicode_data):
                        self.process_message(event)
            for event in parser.tick():
                self.process_message(event)

        try:
            while not self.exit_event.is_set():
                process_selector_events(selector.select(_wait(parser)))
            selector.unregister(fileno)
            process_selector_events(selector.select(POLL_S), final=True)
        finally:
            selector.close()
            try:
                for _event in parser.feed(""):
                    pass
            except (EOFError, ParseError):
                pass


def _wait(parser: XTermParser) -> float:
    """Seconds until the parser's pending timeout (a lone ESC's), or the usual poll when none is."""
    deadline: float | None = getattr(parser, "_timeout_time", None)
    if deadline is None:
        return POLL_S
    return min(POLL_S, max(0.0, deadline - get_time()))
