"""What a client sees during a failover: DNS answers, TCP connects, and an application's commits.

Each probe runs on its own daemon thread and records samples with wall-clock times (`time.time()`), so
its figures can be compared with AWS's events and the demo's own timeline. The analysis functions are
pure and take the samples, so they are tested without any network.

Database drivers (psycopg, PyMySQL) are imported only when an application probe starts; without one the
failover test falls back to TCP, DNS and events and says so.
"""

from __future__ import annotations

import contextlib
import itertools
import socket
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from pydantic import SecretStr

TCP_INTERVAL_SECONDS = 0.1
DNS_INTERVAL_SECONDS = 1.0
APP_INTERVAL_SECONDS = 0.05
HEARTBEAT_TABLE = "rds_wizard_heartbeat"

Resolver = Callable[[str], list[str]]
Listener = Callable[[str, str], None]


@dataclass(frozen=True)
class ConnectSample:
    """One TCP connect attempt: when it started and ended, and whether it connected."""

    started: float
    ended: float
    ok: bool
    address: str | None = None
    error: str = ""


@dataclass(frozen=True)
class DnsSample:
    """What the endpoint resolved to at one moment."""

    at: float
    addresses: tuple[str, ...]


@dataclass(frozen=True)
class WriteAttempt:
    """One heartbeat commit attempt (`seq` None for a failed reconnect before any statement was sent)."""

    started: float
    ended: float
    ok: bool
    seq: int | None = None
    error: str = ""


@dataclass(frozen=True)
class Outage:
    """A client-visible outage: from the first failed attempt to the first success after it."""

    start: float
    end: float | None
    failed_attempts: int
    last_ok_before: float | None = None
    windows: int = 1

    @property
    def duration(self) -> float | None:
        """Seconds from the first failure to the recovery; None if it never recovered."""
        return None if self.end is None else max(0.0, self.end - self.start)


def tcp_connect(address: str, port: int, timeout: float) -> tuple[bool, str]:
    """Open and close one TCP connection; returns (connected, error text)."""
    try:
        with socket.create_connection((address, port), timeout=timeout):
            return True, ""
    except OSError as exc:
        return False, exc.strerror or type(exc).__name__


def compute_outage(samples: Sequence[ConnectSample | WriteAttempt],
                   after: float | None = None) -> Outage | None:
    """The first outage in these samples (after `after`, when given): None if nothing failed.

    Start: the first failed attempt's start. End: the end of the first successful attempt after it.
    `windows` counts separate failure runs (a flapping endpoint shows more than one).
    """
    ordered = sorted((s for s in samples if after is None or s.started >= after), key=lambda s: s.started)
    first_fail = next((i for i, s in enumerate(ordered) if not s.ok), None)
    if first_fail is None:
        return None
    last_ok_before = next((s.ended for s in reversed(ordered[:first_fail]) if s.ok), None)
    recovery = next((s for s in ordered[first_fail:] if s.ok), None)
    failures_before_recovery = sum(1 for s in ordered[first_fail:] if not s.ok
                                   and (recovery is None or s.started < recovery.started))
    windows = 0
    previous_ok = True
    for sample in ordered:
        if not sample.ok and previous_ok:
            windows += 1
        previous_ok = sample.ok
    return Outage(start=ordered[first_fail].started, end=recovery.ended if recovery else None,
                  failed_attempts=failures_before_recovery, last_ok_before=last_ok_before, windows=windows)


def application_rto(attempts: Sequence[WriteAttempt]) -> tuple[float | None, float | None, float | None]:
    """RTO as the application saw it: (last commit before, first commit after, seconds between).

    Taken around the first failed attempt; all None when no attempt failed.
    """
    ordered = sorted(attempts, key=lambda a: a.started)
    first_fail = next((i for i, a in enumerate(ordered) if not a.ok), None)
    if first_fail is None:
        return None, None, None
    before = next((a.ended for a in reversed(ordered[:first_fail]) if a.ok), None)
    after = next((a.ended for a in ordered[first_fail:] if a.ok), None)
    if before is None or after is None:
        return before, after, None
    return before, after, after - before


def dns_switch(samples: Sequence[DnsSample], after: float | None = None) -> DnsSample | None:
    """The first answer (after `after`) that differs from the answer before it; None if it never changed."""
    ordered = sorted(samples, key=lambda s: s.at)
    for previous, current in itertools.pairwise(ordered):
        if (after is None or current.at >= after) and current.addresses and \
                current.addresses != previous.addresses:
            return current
    return None


class _Loop(threading.Thread):
    """A daemon thread that calls `step()` every `interval` seconds until stopped."""

    def __init__(self, name: str, interval: float) -> None:
        super().__init__(name=name, daemon=True)
        self.interval = interval
        self._stop_event = threading.Event()
        self.lock = threading.Lock()

    def stop(self) -> None:
        """Ask the loop to stop after the current step."""
        self._stop_event.set()

    def step(self) -> None:
        """One round of the probe (overridden)."""
        raise NotImplementedError

    def run(self) -> None:
        """Step on a fixed cadence; a step that overruns starts the next at once."""
        next_at = time.monotonic()
        while not self._stop_event.is_set():
            self.step()
            next_at += self.interval
            delay = next_at - time.monotonic()
            if delay < 0:
                next_at = time.monotonic()
                delay = 0.0
            self._stop_event.wait(delay)


class DnsWatcher(_Loop):
    """Resolves the endpoint about once a second and reports each change of answer."""

    def __init__(self, endpoint: str, resolve: Resolver, on_change: Listener | None = None,
                 interval: float = DNS_INTERVAL_SECONDS) -> None:
        super().__init__("dns-watcher", interval)
        self.endpoint = endpoint
        self.resolve = resolve
        self.on_change = on_change
        self.samples: list[DnsSample] = []

    def step(self) -> None:
        """Resolve once; a resolver error counts as an empty answer."""
        try:
            answer = tuple(self.resolve(self.endpoint))
        except Exception:  # an unresolvable moment is a sample too
            answer = ()
        sample = DnsSample(time.time(), answer)
        with self.lock:
            changed = not self.samples or self.samples[-1].addresses != answer
            self.samples.append(sample)
        if changed and self.on_change is not None:
            self.on_change("dns", f"{self.endpoint} -> {', '.join(answer) or 'no answer'}")


class TcpProbe(_Loop):
    """Connects to the endpoint's current address at least every 250 ms; reports up/down edges."""

    def __init__(self, endpoint: str, port: int, resolve: Resolver, on_change: Listener | None = None,
                 interval: float = TCP_INTERVAL_SECONDS, timeout: float = 0.25) -> None:
        super().__init__("tcp-probe", interval)
        self.endpoint = endpoint
        self.port = port
        self.resolve = resolve
        self.on_change = on_change
        self.timeout = timeout
        self.samples: list[ConnectSample] = []

    def step(self) -> None:
        """Resolve (like a client without a DNS cache) and connect once."""
        started = time.time()
        try:
            addresses = self.resolve(self.endpoint)
        except Exception:  # no answer is a failed attempt
            addresses = []
        if addresses:
            ok, error = tcp_connect(addresses[0], self.port, self.timeout)
        else:
            ok, error = False, "the endpoint did not resolve"
        sample = ConnectSample(started, time.time(), ok, addresses[0] if addresses else None, error)
        with self.lock:
            previous = self.samples[-1] if self.samples else None
            self.samples.append(sample)
        if self.on_change is not None and (previous is None or previous.ok != ok):
            where = f"{sample.address}:{self.port}" if sample.address else self.endpoint
            self.on_change("tcp", f"connect to {where} " + ("succeeds" if ok else f"fails ({error})"))

    def snapshot(self) -> list[ConnectSample]:
        """A copy of the samples so far."""
        with self.lock:
            return list(self.samples)


@dataclass(frozen=True)
class DbCredentials:
    """What the application probe logs in with; the password never leaves this object."""

    username: str
    password: SecretStr = field(repr=False)
    database: str | None = None
    source: str = "given"


class _Driver(Protocol):
    """The few things the probe needs from a database driver."""

    def connect(self, address: str) -> Any:
        """A new autocommit connection to this address."""

    def prepare(self, conn: Any) -> None:
        """Create the heartbeat table if needed."""

    def insert(self, conn: Any, run_id: str, seq: int, client_time: float) -> None:
        """Commit one heartbeat row."""

    def read(self, conn: Any, run_id: str) -> set[int]:
        """Every heartbeat sequence number of this run that the database has."""


class _PostgresDriver:
    """psycopg 3, autocommit, short timeouts and TCP keepalives so a dead primary is noticed fast."""

    def __init__(self, module: Any, endpoint: str, port: int, creds: DbCredentials) -> None:
        self.psycopg = module
        self.endpoint = endpoint
        self.port = port
        self.creds = creds

    def connect(self, address: str) -> Any:
        """Connect to the address, naming the endpoint as host (for TLS and server logs)."""
        return self.psycopg.connect(
            host=self.endpoint, hostaddr=address, port=self.port, user=self.creds.username,
            password=self.creds.password.get_secret_value(), dbname=self.creds.database or "postgres",
            connect_timeout=2, autocommit=True, keepalives=1, keepalives_idle=1, keepalives_interval=1,
            keepalives_count=2, application_name="rds-wizard-failover-probe")

    def prepare(self, conn: Any) -> None:
        """The heartbeat table (kept afterwards, so a class can look at the rows)."""
        conn.execute(f"CREATE TABLE IF NOT EXISTS {HEARTBEAT_TABLE} (run_id text NOT NULL, seq bigint NOT "
                     "NULL, client_time timestamptz NOT NULL, PRIMARY KEY (run_id, seq))")

    def insert(self, conn: Any, run_id: str, seq: int, client_time: float) -> None:
        """One committed row (autocommit: the statement is the transaction)."""
        conn.execute(f"INSERT INTO {HEARTBEAT_TABLE} (run_id, seq, client_time) "
                     "VALUES (%s, %s, to_timestamp(%s))", (run_id, seq, client_time))

    def read(self, conn: Any, run_id: str) -> set[int]:
        """The sequence numbers stored for this run."""
        rows = conn.execute(f"SELECT seq FROM {HEARTBEAT_TABLE} WHERE run_id = %s", (run_id,)).fetchall()
        return {int(r[0]) for r in rows}


class _MysqlDriver:
    """PyMySQL with autocommit and short timeouts (MySQL and MariaDB)."""

    def __init__(self, module: Any, endpoint: str, port: int, creds: DbCredentials) -> None:
        self.pymysql = module
        self.endpoint = endpoint
        self.port = port
        self.creds = creds

    def connect(self, address: str) -> Any:
        """Connect, creating a probe database when the instance has none."""
        conn = self.pymysql.connect(host=address, port=self.port, user=self.creds.username,
                                    password=self.creds.password.get_secret_value(), connect_timeout=2,
                                    read_timeout=3, write_timeout=3, autocommit=True)
        with conn.cursor() as cur:
            database = self.creds.database or "rds_wizard"
            if not self.creds.database:
                cur.execute("CREATE DATABASE IF NOT EXISTS rds_wizard")
            cur.execute(f"USE `{database}`")
        return conn

    def prepare(self, conn: Any) -> None:
        """The heartbeat table (kept afterwards, so a class can look at the rows)."""
        with conn.cursor() as cur:
            cur.execute(f"CREATE TABLE IF NOT EXISTS {HEARTBEAT_TABLE} (run_id varchar(40) NOT NULL, seq "
                        "bigint NOT NULL, client_time datetime(6) NOT NULL, PRIMARY KEY (run_id, seq))")

    def insert(self, conn: Any, run_id: str, seq: int, client_time: float) -> None:
        """One committed row."""
        with conn.cursor() as cur:
            cur.execute(f"INSERT INTO {HEARTBEAT_TABLE} (run_id, seq, client_time) "
                        "VALUES (%s, %s, FROM_UNIXTIME(%s))", (run_id, seq, client_time))

    def read(self, conn: Any, run_id: str) -> set[int]:
        """The sequence numbers stored for this run."""
        with conn.cursor() as cur:
            cur.execute(f"SELECT seq FROM {HEARTBEAT_TABLE} WHERE run_id = %s", (run_id,))
            return {int(r[0]) for r in cur.fetchall()}


def driver_for(engine: str, endpoint: str, port: int, creds: DbCredentials) -> tuple[_Driver | None, str]:
    """The driver for this engine, or None and why not (engine without a probe, driver not installed)."""
    engine = engine.lower()
    if "postgres" in engine:
        try:
            import psycopg
        except ImportError:
            return None, ("the PostgreSQL driver psycopg is not installed "
                          "(pip install 'rds-multiaz-wizard[realdb]')")
        return _PostgresDriver(psycopg, endpoint, port, creds), ""
    if "mysql" in engine or "mariadb" in engine:
        try:
            import pymysql
        except ImportError:
            return None, "the MySQL driver PyMySQL is not installed (pip install 'rds-multiaz-wizard[mysql]')"
        return _MysqlDriver(pymysql, endpoint, port, creds), ""
    return None, f"there is no application probe for {engine} yet"


def _close(conn: Any) -> None:
    with contextlib.suppress(Exception):
        conn.close()


def _short(exc: BaseException, secret: SecretStr) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    password = secret.get_secret_value()
    if password:
        text = text.replace(password, "********")
    return text[:160]


class AppProbe(_Loop):
    """Commits a heartbeat row every 50 ms through the failover, reconnecting like an application should.

    Every commit the database acknowledged is remembered; `verify()` reads them back afterwards.
    """

    def __init__(self, driver: _Driver, endpoint: str, resolve: Resolver, run_id: str,
                 creds: DbCredentials, on_change: Listener | None = None,
                 interval: float = APP_INTERVAL_SECONDS) -> None:
        super().__init__("app-probe", interval)
        self.driver = driver
        self.endpoint = endpoint
        self.resolve = resolve
        self.run_id = run_id
        self.creds = creds
        self.on_change = on_change
        self.attempts: list[WriteAttempt] = []
        self._conn: Any = None
        self._seq = 0

    def _connect(self) -> Any:
        addresses = self.resolve(self.endpoint)
        if not addresses:
            raise ConnectionError("the endpoint did not resolve")
        return self.driver.connect(addresses[0])

    def start_checked(self) -> str:
        """Connect and create the table before the failover; '' when ready, else why the probe cannot run."""
        try:
            self._conn = self._connect()
            self.driver.prepare(self._conn)
        except Exception as exc:
            _close(self._conn)
            self._conn = None
            return _short(exc, self.creds.password)
        self.start()
        return ""

    def step(self) -> None:
        """One commit attempt; on any error drop the connection and reconnect on the next step."""
        started = time.time()
        seq: int | None = None
        try:
            if self._conn is None:
                self._conn = self._connect()
            self._seq += 1
            seq = self._seq
            self.driver.insert(self._conn, self.run_id, seq, started)
            attempt = WriteAttempt(started, time.time(), True, seq)
        except Exception as exc:
            _close(self._conn)
            self._conn = None
            attempt = WriteAttempt(started, time.time(), False, seq, _short(exc, self.creds.password))
        with self.lock:
            previous = self.attempts[-1] if self.attempts else None
            self.attempts.append(attempt)
        if self.on_change is not None and (previous is None or previous.ok != attempt.ok):
            if attempt.ok:
                self.on_change("app", f"commit of heartbeat {attempt.seq} succeeds")
            else:
                what = f"commit of heartbeat {seq}" if seq is not None else "reconnect"
                self.on_change("app", f"{what} fails: {attempt.error}")

    def run(self) -> None:
        """The write loop; the connection is closed when it ends."""
        try:
            super().run()
        finally:
            _close(self._conn)
            self._conn = None

    def snapshot(self) -> list[WriteAttempt]:
        """A copy of the attempts so far."""
        with self.lock:
            return list(self.attempts)

    def verify(self, deadline_seconds: float = 30.0) -> tuple[set[int] | None, str]:
        """Read back this run's rows through a fresh connection (retrying until the deadline)."""
        end = time.monotonic() + deadline_seconds
        last_error = ""
        while time.monotonic() < end:
            conn: Any = None
            try:
                conn = self._connect()
                found = self.driver.read(conn, self.run_id)
                return found, ""
            except Exception as exc:
                last_error = _short(exc, self.creds.password)
                time.sleep(0.2)
            finally:
                _close(conn)
        return None, last_error or "no connection within the deadline"


