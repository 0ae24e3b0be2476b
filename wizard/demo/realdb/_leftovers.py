"""Ownership records and cleanup of the servers a wizard process starts (stdlib only).

Every wizard process that starts servers gets one registry folder under
``<tmp>/rds-wizard-realdb-<uid>/<pid>-<token>/`` holding an ``owner`` file (pid and kernel start time, so
a reused pid is not mistaken for the owner) and a ``paths`` file listing every data folder and
scratch folder it created. Whatever a dead owner left behind (server processes, SysV shared
memory, folders) is removed by `clean_dead_owners`, which runs before a process starts its first
server, and by the watchdog: this file run as a script (``python -I -S _leftovers.py --watch
DIR``) blocks on a pipe from its owner and cleans that owner's folder once the pipe closes, which
also covers a wizard killed with SIGKILL. Only the standard library is imported, so the watchdog
starts fast and never imports the wizard.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

# One per OS user: another user's folders are neither writable nor theirs to clean.
REGISTRY_NAME = f"rds-wizard-realdb-{os.getuid()}"
IPC_RMID = 0


def registry_base() -> Path:
    """Return the folder that holds one registry folder per wizard process."""
    return Path(tempfile.gettempdir()) / REGISTRY_NAME


def process_start_time(pid: int) -> str | None:
    """Return the kernel start time of `pid` (field 22 of /proc/pid/stat), or None if it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name (field 2) may contain spaces and parentheses; fields after it are plain.
    fields = stat.rsplit(")", 1)[1].split()
    return None if fields[0] in ("Z", "X") else fields[19]


def owner_alive(folder: Path) -> bool:
    """Tell whether the process recorded in `folder`/owner still runs (same pid, same start time)."""
    try:
        pid_text, started = (folder / "owner").read_text().split()
    except (OSError, ValueError):
        # A folder is made a moment before its owner file: young ones are being set up right now.
        try:
            return time.time() - folder.stat().st_mtime < 60
        except OSError:
            return False
    return process_start_time(int(pid_text)) == started


def _proc_cwd(pid: int) -> str | None:
    try:
        return os.readlink(f"/proc/{pid}/cwd")
    except OSError:
        return None


def processes_in(data_dir: Path) -> list[int]:
    """Return the pids whose working folder is `data_dir` (every PostgreSQL process chdirs there)."""
    target = str(data_dir)
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and _proc_cwd(int(entry)) == target:
            found.append(int(entry))
    return found


def postmaster_pid(data_dir: Path) -> int | None:
    """Return the pid recorded in `data_dir`/postmaster.pid, if the file exists."""
    try:
        return int((data_dir / "postmaster.pid").read_text().split("\n", 1)[0])
    except (OSError, ValueError):
        return None


def shared_memory_id(data_dir: Path) -> tuple[int, int] | None:
    """Return (key, shmid) of the SysV segment recorded in `data_dir`/postmaster.pid, if any."""
    try:
        lines = (data_dir / "postmaster.pid").read_text().splitlines()
        key, shmid = lines[6].split()
        return int(key), int(shmid)
    except (OSError, ValueError, IndexError):
        return None


def remove_shared_memory(key: int, shmid: int) -> bool:
    """Remove SysV segment `shmid` if it still has `key` and nobody is attached; True if removed."""
    try:
        table = Path("/proc/sysvipc/shm").read_text().splitlines()[1:]
    except OSError:
        return False
    for row in table:
        cols = row.split()
        if int(cols[0]) == key and int(cols[1]) == shmid and int(cols[6]) == 0:
            libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
            return int(libc.shmctl(shmid, IPC_RMID, None)) == 0
    return False


def _stat_fields(pid: int) -> tuple[str, list[str]] | None:
    """Return (command name, fields after it) of /proc/pid/stat, or None if it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat[stat.find("(") + 1 : stat.rfind(")")], stat.rsplit(")", 1)[1].split()


def children_of(parent: int) -> list[int]:
    """Return the pids whose parent is `parent`."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            stat = _stat_fields(int(entry))
            if stat is not None and int(stat[1][1]) == parent:
                found.append(int(entry))
    return found


def reap_postgres_zombies(skip: frozenset[int] = frozenset()) -> None:
    """Reap exited ``postgres`` processes handed to us as subreaper, except pids in `skip`.

    A killed server's children may exit on their own before anyone looks for them; as zombies they
    have no working folder left to be found by.
    """
    for pid in children_of(os.getpid()):
        stat = _stat_fields(pid)
        if pid not in skip and stat is not None and stat[0] == "postgres" and stat[1][0] == "Z":
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)


def kill_processes_in(data_dir: Path, timeout: float = 10.0, also: frozenset[int] = frozenset()) -> None:
    """SIGKILL the postmaster of `data_dir` and every process working there; wait until all are gone.

    The postmaster goes first so it cannot fork replacements. Those that are our children (orphans
    handed to us as subreaper) are reaped here; others are reaped by whoever is their parent now.
    `also` names a dead postmaster's former children to reap too: they may have exited already.
    """
    killed: set[int] = set(also)
    pid = postmaster_pid(data_dir)
    if pid is not None and _proc_cwd(pid) == str(data_dir):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
            killed.add(pid)
    deadline = time.monotonic() + timeout
    while True:
        remaining = processes_in(data_dir)
        for child in remaining:
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signal.SIGKILL)
                killed.add(child)
        if not remaining or time.monotonic() > deadline:
            break
        time.sleep(0.005)
    _reap(killed, deadline)


def _reap(pids: set[int], deadline: float) -> None:
    """Wait until every pid is gone: reaped by us, or a zombie or gone if someone else's child."""
    pending = set(pids)
    while pending and time.monotonic() < deadline:
        for pid in list(pending):
            try:
                done = os.waitpid(pid, os.WNOHANG)[0] == pid
            except ChildProcessError:
                stat = _stat_fields(pid)
                done = stat is None or stat[1][0] in ("Z", "X")
            if done:
                pending.discard(pid)
        if pending:
            time.sleep(0.002)


def recorded_paths(folder: Path) -> tuple[list[Path], list[Path]]:
    """Return the (data folders, other folders) listed in `folder`/paths."""
    data: list[Path] = []
    other: list[Path] = []
    try:
        lines = (folder / "paths").read_text().splitlines()
    except OSError:
        return data, other
    for line in lines:
        kind, _, path = line.partition(" ")
        (data if kind == "data" else other).append(Path(path))
    return data, other


def clean_data_dir(data_dir: Path) -> None:
    """Stop whatever still runs in `data_dir`, free its shared memory and delete it."""
    if data_dir.exists():
        kill_processes_in(data_dir)
        shm = shared_memory_id(data_dir)
        if shm is not None:
            remove_shared_memory(*shm)
    shutil.rmtree(data_dir, ignore_errors=True)


def clean_folder(folder: Path) -> None:
    """Remove everything recorded in registry `folder`, then the folder itself."""
    data, other = recorded_paths(folder)
    for data_dir in data:
        clean_data_dir(data_dir)
    for path in [*other, folder]:
        shutil.rmtree(path, ignore_errors=True)
        if path.parent.name == REGISTRY_NAME:
            # Only if empty: other wizard processes may be using it.
            with contextlib.suppress(OSError):
                path.parent.rmdir()


def clean_dead_owners(base: Path | None = None) -> list[Path]:
    """Clean the registry folders of wizard processes that no longer run; return those cleaned."""
    base = base or registry_base()
    cleaned: list[Path] = []
    try:
        folders = list(base.iterdir())
    except OSError:
        return cleaned
    for folder in folders:
        if folder.is_dir() and not owner_alive(folder):
            clean_folder(folder)
            cleaned.append(folder)
    return cleaned


def watch(folder: Path) -> None:
    """Block until the owner closes our stdin (exit or death), then clean `folder` if it remains."""
    with contextlib.suppress(OSError):
        while sys.stdin.buffer.read(4096):
            pass
    # A dying owner closes the pipe a moment before it is gone; a live owner keeps its folder.
    deadline = time.monotonic() + 5.0
    while folder.exists() and owner_alive(folder) and time.monotonic() < deadline:
        time.sleep(0.05)
    if folder.exists() and not owner_alive(folder):
        clean_folder(folder)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--watch":
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        watch(Path(sys.argv[2]))
