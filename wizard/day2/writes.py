"""The application probe during a change that promises no downtime: does every commit get through?

It commits a heartbeat row every 50 ms through the whole conversion (the failover test's probe), then
reads the rows back. The summary is the "no downtime" promise, measured: failed commits, the longest
gap between two commits, the worst commit latency, and whether any acknowledged row is missing.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from wizard.aws.probes import AppProbe, DbCredentials, WriteAttempt, driver_for
from wizard.aws.timing import GatewayLike


@dataclass(frozen=True)
class WriteSummary:
    """What the application saw during the change."""

    attempts: int
    committed: int
    failed: int
    worst_commit_seconds: float | None
    longest_gap_seconds: float | None
    verified: bool
    missing: tuple[int, ...]
    note: str = ""

    @property
    def interrupted(self) -> bool:
        """True when any commit failed (the application would have seen an error)."""
        return self.failed > 0

    def lines(self) -> list[str]:
        """The summary as the user reads it."""
        if self.attempts == 0:
            return [f"Writes were not measured: {self.note or 'no application probe ran'}."]
        verdict = "were interrupted" if self.interrupted else "were never interrupted"
        lines = [f"Writes {verdict}: {self.committed} of {self.attempts} commits succeeded"
                 + (f", {self.failed} failed" if self.failed else "") + "."]
        if self.worst_commit_seconds is not None:
            lines.append(f"Worst commit latency: {self.worst_commit_seconds * 1000:.0f} ms; longest gap "
                         f"between two commits: {(self.longest_gap_seconds or 0) * 1000:.0f} ms.")
        if not self.verified:
            lines.append(f"The rows could not be read back ({self.note}); data loss was not checked.")
        elif self.missing:
            lines.append(f"{len(self.missing)} acknowledged commit(s) are MISSING afterwards.")
        else:
            lines.append("Every acknowledged commit was read back afterwards: no committed row was lost.")
        return lines


def summarize(attempts: list[WriteAttempt], found: set[int] | None, note: str = "") -> WriteSummary:
    """The summary of these attempts, given the rows read back (None: could not read them)."""
    ok = [a for a in attempts if a.ok]
    acknowledged = {a.seq for a in ok if a.seq is not None}
    worst = max((a.ended - a.started for a in ok), default=None)
    gaps = [b.ended - a.ended for a, b in itertools.pairwise(ok)]
    missing = tuple(sorted(acknowledged - found)) if found is not None else ()
    return WriteSummary(len(attempts), len(ok), len(attempts) - len(ok), worst, max(gaps, default=None),
                        found is not None, missing, note)


class WriteWatch:
    """Starts the probe before a change and summarizes it after; without credentials it says why."""

    def __init__(self, gateway: GatewayLike, endpoint: str | None, port: int | None, engine: str,
                 credentials: DbCredentials | None,
                 on_change: Callable[[str, str], None] | None = None) -> None:
        self.note = ""
        self._probe: AppProbe | None = None
        if credentials is None:
            self.note = "no database credentials (RDS_WIZARD_MASTER_PASSWORD or a readable secret)"
            return
        if not endpoint or not port:
            self.note = "the database has no endpoint yet"
            return
        driver, why = driver_for(engine, endpoint, int(port), credentials)
        if driver is None:
            self.note = why
            return
        self._probe = AppProbe(driver, endpoint, gateway.resolve, uuid.uuid4().hex[:16], credentials,
                               on_change)

    def start(self) -> bool:
        """Log in and start writing; False (with `note` set) when it cannot."""
        if self._probe is None:
            return False
        error = self._probe.start_checked()
        if error:
            self.note = f"the probe could not log in and write ({error})"
            self._probe = None
            return False
        return True

    @property
    def running(self) -> bool:
        """Whether the probe is writing."""
        return self._probe is not None

    def stop(self, read_back_seconds: float = 30.0) -> WriteSummary:
        """Stop writing, read the rows back, summarize."""
        probe = self._probe
        if probe is None:
            return summarize([], None, self.note)
        probe.stop()
        probe.join(timeout=5)
        found, error = probe.verify(deadline_seconds=read_back_seconds)
        return summarize(probe.snapshot(), found, error)


def credentials_for(gateway: GatewayLike, identifier: str, password: Any) -> tuple[DbCredentials | None, str]:
    """The master credentials: the RDS-managed secret where readable, else the given password (or None)."""
    from wizard.aws.failover import credentials_from_secret, find_target

    try:
        target = find_target(gateway, identifier)
    except Exception as exc:  # the change itself reports a missing target properly
        return None, f"the database could not be read ({type(exc).__name__})"
    creds: DbCredentials | None = None
    note = ""
    if target.secret_arn:
        creds, note = credentials_from_secret(gateway, target.secret_arn)
    if creds is None and password is not None and target.master_username:
        creds = DbCredentials(target.master_username, password, target.database_name,
                              source="RDS_WIZARD_MASTER_PASSWORD")
    if creds is not None and creds.database is None and target.database_name:
        creds = DbCredentials(creds.username, creds.password, target.database_name, creds.source)
    return creds, note
