"""The replica drill and the promotion probe: heartbeats written on the source, read on the replica.

The drill measures lag as a client sees it: each heartbeat is committed on the source (acknowledged),
then the replica is read until the row is there; the time between the two is that row's lag (to within
the read interval). A Multi-AZ standby is synchronous: a commit is acknowledged only once the standby has
it, so its lag is zero by construction ("Multi-AZ DB instance deployments",
https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.MultiAZSingleStandby.html).

The promotion probe keeps committing heartbeats on the source while a replica is promoted, then counts
the acknowledged commits the promoted instance does not have: the promotion's RPO in rows.
Drivers (psycopg, PyMySQL) load only when a drill starts. The password stays in DbCredentials.
"""

from __future__ import annotations

import contextlib
import json
import re
import statistics
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from wizard.aws.timing import GatewayLike

READ_INTERVAL_S = 0.02
HEARTBEAT_INTERVAL_S = 0.2
SEEN_TIMEOUT_S = 10.0
PROMOTED_CONNECT_TIMEOUT_S = 120.0
STANDBY_LINE = ("Multi-AZ standby: 0 s by construction (synchronous: a commit is acknowledged only once "
                "the standby has it), but it takes no reads.")


@dataclass
class ReplicaPair:
    """How to reach the source and the replica with the same (master) credentials."""

    source_name: str
    replica_name: str
    source: Any  # a wizard.aws.probes driver
    replica: Any
    source_endpoint: str
    replica_endpoint: str
    resolve: Callable[[str], list[str]]
    secret: SecretStr = field(repr=False)

    def connect(self, which: str) -> Any:
        """A new autocommit connection to "source" or "replica"."""
        driver, endpoint = ((self.source, self.source_endpoint) if which == "source"
                            else (self.replica, self.replica_endpoint))
        addresses = self.resolve(endpoint)
        if not addresses:
            raise ConnectionError(f"{endpoint} did not resolve")
        return driver.connect(addresses[0])

    def short(self, exc: BaseException) -> str:
        """An error text without the password, on one line."""
        text = " ".join(str(exc).split()) or type(exc).__name__
        password = self.secret.get_secret_value()
        return (text.replace(password, "********") if password else text)[:160]


def connection_pair(gateway: GatewayLike, replica_id: str, password: str,
                    database: str | None = None) -> ReplicaPair | str:
    """The pair for a replica, or why there is none (a sentence); blocks on AWS."""
    from wizard.aws.probes import DbCredentials, driver_for
    from wizard.replicas.create import describe_source

    replica = describe_source(gateway, replica_id)
    if replica is None:
        return f"there is no DB instance named {replica_id} here."
    source_id = replica.get("ReadReplicaSourceDBInstanceIdentifier")
    if not source_id:
        return f"{replica_id} is not a read replica (it has no source to write heartbeats on)."
    source = describe_source(gateway, str(source_id))
    if source is None:
        return f"the source {source_id} of {replica_id} is not in this region (cross-region is not handled)."
    ends = []
    for record in (source, replica):
        endpoint = record.get("Endpoint") or {}
        if not endpoint.get("Address"):
            return f"{record.get('DBInstanceIdentifier')} has no endpoint yet: wait until it is available."
        ends.append((str(endpoint["Address"]), int(endpoint.get("Port") or 0)))
    creds = DbCredentials(str(source.get("MasterUsername") or ""), SecretStr(password),
                          database or source.get("DBName") or None)
    engine = str(source.get("Engine", ""))
    source_driver, why = driver_for(engine, ends[0][0], ends[0][1], creds)
    replica_driver, _ = driver_for(engine, ends[1][0], ends[1][1], creds)
    if source_driver is None or replica_driver is None:
        return why
    resolver = getattr(gateway, "resolve", None)
    if resolver is None:
        import socket

        def resolver(host: str) -> list[str]:
            return [str(info[4][0]) for info in socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)]
    return ReplicaPair(str(source_id), replica_id, source_driver, replica_driver, ends[0][0], ends[1][0],
                       resolver, SecretStr(password))


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (share in 0..1) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-share * len(ordered) // 1))))
    return ordered[rank - 1]


@dataclass
class DrillReport:
    """What the drill saw: each heartbeat's lag, the misses, whether the replica refused a write."""

    source: str
    replica: str
    started_at: float
    seconds: float
    samples: list[float] = field(default_factory=list)
    missed: int = 0
    replica_refused_write: bool | None = None
    replica_write_error: str = ""
    notes: list[str] = field(default_factory=list)

    def figures(self) -> dict[str, float | None]:
        """Median, p95 and max lag in seconds (None without samples)."""
        if not self.samples:
            return {"median_s": None, "p95_s": None, "max_s": None}
        return {"median_s": statistics.median(self.samples), "p95_s": percentile(self.samples, 0.95),
                "max_s": max(self.samples)}

    def lines(self) -> list[str]:
        """The report in a few lines."""
        fig = self.figures()
        out = [f"Replica drill: {self.replica} (read replica of {self.source}), {len(self.samples)} "
               f"heartbeats over {self.seconds:g} s."]
        if self.samples:
            out.append(f"Read replica lag as a client sees it: median {fig['median_s']:.3f} s, "
                       f"p95 {fig['p95_s']:.3f} s, max {fig['max_s']:.3f} s (read every "
                       f"{READ_INTERVAL_S * 1000:.0f} ms).")
        if self.missed:
            out.append(f"{self.missed} heartbeat(s) were not on the replica within {SEEN_TIMEOUT_S:g} s.")
        out.append(STANDBY_LINE)
        if self.replica_refused_write is True:
            out.append(f"A write on {self.replica} was refused: it is read-only "
                       f"({self.replica_write_error}).")
        elif self.replica_refused_write is False:
            out.append(f"A write on {self.replica} was accepted: it is not read-only (promoted?).")
        out.extend(f"note: {note}" for note in self.notes)
        return out

    def to_dict(self) -> dict[str, Any]:
        """The JSON report."""
        return {"schema": 1, "kind": "replica-drill", "source": self.source, "replica": self.replica,
                "started_at": datetime.fromtimestamp(self.started_at, UTC).isoformat(),
                "seconds": self.seconds, "heartbeats": len(self.samples), "missed": self.missed,
                **self.figures(), "standby_lag_s": 0.0, "lags_s": self.samples,
                "replica_refused_write": self.replica_refused_write, "notes": self.notes}

    def markdown(self) -> str:
        """The Markdown report."""
        fig = self.figures()

        def cell(value: float | None) -> str:
            return "-" if value is None else f"{value:.3f} s"
        rows = ["| | Read replica | Multi-AZ standby |", "|---|---|---|",
                f"| Median lag | {cell(fig['median_s'])} | 0 s (synchronous) |",
                f"| p95 lag | {cell(fig['p95_s'])} | 0 s |",
                f"| Max lag | {cell(fig['max_s'])} | 0 s |",
                "| Takes reads | yes | no |"]
        return "\n".join([f"# Replica drill: {self.replica}", "", *self.lines(), "", *rows, ""])


def run_drill(pair: ReplicaPair, *, seconds: float, on_line: Callable[[str], object] = lambda _l: None,
              sleep: Callable[[float], None] = time.sleep) -> DrillReport:
    """Commit a heartbeat on the source every 0.2 s for `seconds`, timing when each appears on the replica."""
    report = DrillReport(pair.source_name, pair.replica_name, time.time(), seconds)
    run_id = f"drill-{uuid.uuid4().hex[:12]}"
    try:
        source = pair.connect("source")
        pair.source.prepare(source)
        replica = pair.connect("replica")
    except Exception as exc:
        report.notes.append(f"could not connect: {pair.short(exc)}")
        return report
    try:
        end = time.monotonic() + seconds
        seq = 0
        while time.monotonic() < end:
            seq += 1
            pair.source.insert(source, run_id, seq, time.time())
            acked = time.monotonic()
            lag = _seen_after(pair, replica, run_id, seq, acked, sleep)
            if lag is None:
                report.missed += 1
                on_line(f"heartbeat {seq}: not on the replica after {SEEN_TIMEOUT_S:g} s")
            else:
                report.samples.append(lag)
                on_line(f"heartbeat {seq}: on the replica after {lag:.3f} s")
            sleep(max(0.0, HEARTBEAT_INTERVAL_S - (time.monotonic() - acked)))
        report.replica_refused_write, report.replica_write_error = _write_refused(pair, replica)
    except Exception as exc:
        report.notes.append(f"the drill stopped early: {pair.short(exc)}")
    finally:
        for conn in (source, replica):
            with contextlib.suppress(Exception):
                conn.close()
    return report


def _seen_after(pair: ReplicaPair, replica: Any, run_id: str, seq: int, acked: float,
                sleep: Callable[[float], None]) -> float | None:
    while True:
        try:
            if seq in pair.replica.read(replica, run_id):
                return time.monotonic() - acked
        except Exception as exc:
            # The heartbeat table itself may not have replicated yet: keep reading until the timeout.
            with contextlib.suppress(Exception):
                replica.rollback()
            if time.monotonic() - acked > SEEN_TIMEOUT_S:
                raise exc
        if time.monotonic() - acked > SEEN_TIMEOUT_S:
            return None
        sleep(READ_INTERVAL_S)


def _write_refused(pair: ReplicaPair, replica: Any) -> tuple[bool, str]:
    """Try one heartbeat on the replica: a read replica must refuse it."""
    try:
        pair.replica.insert(replica, "replica-write-check", int(time.time() * 1000), time.time())
    except Exception as exc:
        return True, pair.short(exc)
    return False, ""


def save_drill_report(report: DrillReport, folder: Path | None = None) -> tuple[Path, Path]:
    """Write the drill report as Markdown and JSON next to the failover reports; returns both paths."""
    from wizard.paths import reports_dir

    target = folder or reports_dir()
    target.mkdir(parents=True, exist_ok=True)
    stamp = datetime.fromtimestamp(report.started_at, UTC).strftime("%Y%m%d-%H%M%S")
    name = re.sub(r"[^A-Za-z0-9-]", "_", report.replica)[:63] or "replica"
    base, n = f"replica-drill-{name}-{stamp}", 1
    while (target / f"{base}.md").exists() or (target / f"{base}.json").exists():
        n += 1
        base = f"replica-drill-{name}-{stamp}-{n}"
    md_path, json_path = target / f"{base}.md", target / f"{base}.json"
    md_path.write_text(report.markdown(), encoding="utf-8")
    json_path.write_text(json.dumps(report.to_dict(), indent=2) + "\n", encoding="utf-8")
    return md_path, json_path


@dataclass
class PromotionOutcome:
    """What the probe found once the promoted instance answered."""

    acknowledged: int
    missing: int
    writable: bool
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The RPO and the writability, said plainly."""
        out = [f"Source commits acknowledged before the promotion was requested: {self.acknowledged}."]
        if self.missing:
            out.append(f"RPO > 0: {self.missing} acknowledged source commit(s) are NOT on the promoted "
                       "instance (replication is asynchronous; what it had not replayed is lost to it).")
        else:
            out.append("RPO 0 this time: every acknowledged source commit is on the promoted instance.")
        out.append("The promoted instance accepted a write: it is writable." if self.writable
                   else "The promoted instance did NOT accept a write.")
        out.extend(f"note: {note}" for note in self.notes)
        return out


class PromotionProbe:
    """Commits heartbeats on the source in a thread while a replica is promoted."""

    def __init__(self, pair: ReplicaPair) -> None:
        self.pair = pair
        self.run_id = f"promote-{uuid.uuid4().hex[:12]}"
        self.acknowledged: list[int] = []
        self.errors: list[str] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.cutoff: int | None = None  # the last commit acknowledged before PromoteReadReplica was sent

    def start(self) -> str:
        """Connect and start writing; a sentence on why not ('' when running)."""
        try:
            conn = self.pair.connect("source")
            self.pair.source.prepare(conn)
        except Exception as exc:
            return self.pair.short(exc)
        self._thread = threading.Thread(target=self._run, args=(conn,), name="promotion-probe", daemon=True)
        self._thread.start()
        return ""

    def _run(self, conn: Any) -> None:
        seq = 0
        try:
            while not self._stop.is_set():
                seq += 1
                try:
                    self.pair.source.insert(conn, self.run_id, seq, time.time())
                    self.acknowledged.append(seq)
                except Exception as exc:
                    self.errors.append(self.pair.short(exc))
                    return
                self._stop.wait(HEARTBEAT_INTERVAL_S / 4)
        finally:
            with contextlib.suppress(Exception):
                conn.close()

    def mark_request(self) -> None:
        """The promotion request is about to go: commits acknowledged so far are the ones that count.

        Later commits go on to the source while RDS promotes; whether they reach the replica depends on
        when RDS stops replication, so they are written (the source stays busy) but not counted."""
        self.cutoff = self.acknowledged[-1] if self.acknowledged else 0

    def stop(self) -> None:
        """Stop writing."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def finish(self, sleep: Callable[[float], None] = time.sleep) -> PromotionOutcome:
        """Stop writing; count the acknowledged commits missing on the promoted instance; try one write."""
        self.stop()
        last = self.acknowledged[-1] if self.acknowledged else 0
        cutoff = self.cutoff if self.cutoff is not None else last
        acked = {seq for seq in self.acknowledged if seq <= cutoff}
        notes = [f"the probe stopped writing early: {self.errors[0]}"] if self.errors else []
        deadline = time.monotonic() + PROMOTED_CONNECT_TIMEOUT_S
        while True:
            try:
                conn = self.pair.connect("replica")
                break
            except Exception as exc:
                if time.monotonic() > deadline:
                    notes.append(f"could not connect to the promoted instance: {self.pair.short(exc)}")
                    return PromotionOutcome(len(acked), len(acked), False, notes)
                sleep(1.0)
        try:
            present = self.pair.replica.read(conn, self.run_id)
            writable, error = True, ""
            try:
                self.pair.replica.insert(conn, f"{self.run_id}-after", 1, time.time())
            except Exception as exc:
                writable, error = False, self.pair.short(exc)
            if error:
                notes.append(f"the write was refused: {error}")
            return PromotionOutcome(len(acked), len(acked - present), writable, notes)
        finally:
            with contextlib.suppress(Exception):
                conn.close()
