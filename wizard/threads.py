"""An executor whose threads never hold up the program's exit.

Textual runs thread workers on the event loop's default executor, and the interpreter waits at exit for
a ThreadPoolExecutor's threads to finish their work. An AWS call on a slow or dead link can take minutes
(timeouts times retries): the wizard seemed to hang after Ctrl+Q. Work still running when the user
quits is abandoned instead; what must finish (the demo's start, to be stopped) is waited for by name.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

ResultT = TypeVar("ResultT")


class DaemonThreadExecutor(ThreadPoolExecutor):
    """Runs each call on a daemon thread of its own (asyncio's default executor must be a
    ThreadPoolExecutor, hence the base class; nothing is pooled)."""

    def submit(self, fn: Callable[..., ResultT], /, *args: Any, **kwargs: Any) -> Future[ResultT]:
        """Start `fn(*args, **kwargs)` on a new daemon thread; its future."""
        future: Future[ResultT] = Future()

        def run() -> None:
            """Run the call and settle the future with its result or exception."""
            if not future.set_running_or_notify_cancel():
                return
            try:
                result = fn(*args, **kwargs)
            except BaseException as exc:  # handed to whoever awaits the future
                future.set_exception(exc)
            else:
                future.set_result(result)

        threading.Thread(target=run, name="rds-wizard-worker", daemon=True).start()
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Nothing to shut down: each call has its own thread, left to finish or to die with the process."""
