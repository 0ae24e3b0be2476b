"""Backup and maintenance windows: parsing, length, and overlap, in minutes of the week (UTC).

The backup window (`hh24:mi-hh24:mi`) recurs every day; the maintenance window
(`ddd:hh24:mi-ddd:hh24:mi`) once a week. Both may cross midnight, and the maintenance window may cross
the end of the week (`sun:23:30-mon:00:30`): AWS accepts both, so these helpers work modulo a day or a
week instead of refusing an end before the start.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass

DAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MINUTES_PER_DAY = 24 * 60
MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY
MIN_WINDOW_MINUTES = 30

_TIME = r"([01]\d|2[0-3]):([0-5]\d)"
_BACKUP_RE = re.compile(rf"{_TIME}-{_TIME}")
# Day names are matched without regard to case: AWS stores them lowercase but accepts `Mon` (the
# Terraform documentation's own example).
_MAINTENANCE_RE = re.compile(rf"([A-Za-z]{{3}}):{_TIME}-([A-Za-z]{{3}}):{_TIME}")


class WindowError(ValueError):
    """A window that does not parse; the message says what the format is."""


@dataclass(frozen=True)
class BackupWindow:
    """A daily window: start minute of the day and length in minutes (it may cross midnight)."""

    start: int
    length: int

    def week_intervals(self) -> list[tuple[int, int]]:
        """The [start, end) minute-of-week intervals it occupies over a week, split at the week's end."""
        intervals: list[tuple[int, int]] = []
        for day in range(7):
            intervals.extend(_split(day * MINUTES_PER_DAY + self.start, self.length))
        return intervals


@dataclass(frozen=True)
class MaintenanceWindow:
    """A weekly window: start minute of the week (Monday 00:00 is 0) and length in minutes."""

    start: int
    length: int

    def week_intervals(self) -> list[tuple[int, int]]:
        """The [start, end) minute-of-week intervals it occupies, split at the week's end."""
        return _split(self.start, self.length)


def _split(start: int, length: int) -> list[tuple[int, int]]:
    """A window as [start, end) intervals inside one week, wrapping past Sunday 24:00."""
    start %= MINUTES_PER_WEEK
    end = start + length
    if end <= MINUTES_PER_WEEK:
        return [(start, end)]
    return [(start, MINUTES_PER_WEEK), (0, end - MINUTES_PER_WEEK)]


def parse_backup_window(text: str) -> BackupWindow:
    """Parse `hh24:mi-hh24:mi`; an end before the start means the window crosses midnight."""
    match = _BACKUP_RE.fullmatch(text.strip())
    if match is None:
        raise WindowError(f"'{text}' is not a daily window: use hh24:mi-hh24:mi in UTC, e.g. 03:00-03:30")
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    start, end = h1 * 60 + m1, h2 * 60 + m2
    return BackupWindow(start=start, length=(end - start) % MINUTES_PER_DAY)


def parse_maintenance_window(text: str) -> MaintenanceWindow:
    """Parse `ddd:hh24:mi-ddd:hh24:mi`; an end before the start means it crosses the end of the week."""
    match = _MAINTENANCE_RE.fullmatch(text.strip())
    bad = (f"'{text}' is not a weekly window: use ddd:hh24:mi-ddd:hh24:mi in UTC with days "
           f"{'|'.join(DAYS)}, e.g. sun:05:00-sun:05:30")
    if match is None:
        raise WindowError(bad)
    d1, h1, m1, d2, h2, m2 = match.groups()
    if d1.lower() not in DAYS or d2.lower() not in DAYS:
        raise WindowError(bad)
    start = DAYS.index(d1.lower()) * MINUTES_PER_DAY + int(h1) * 60 + int(m1)
    end = DAYS.index(d2.lower()) * MINUTES_PER_DAY + int(h2) * 60 + int(m2)
    return MaintenanceWindow(start=start, length=(end - start) % MINUTES_PER_WEEK)


def overlap(backup: BackupWindow, maintenance: MaintenanceWindow) -> tuple[int, int] | None:
    """The first stretch of the week (start, end minute) both windows occupy, or None.

    Intervals are half-open, so a backup window ending at 03:30 and a maintenance window starting at
    03:30 do not overlap (AWS accepts such adjacent windows).
    """
    shared = [(max(b_start, m_start), min(b_end, m_end))
              for b_start, b_end in backup.week_intervals()
              for m_start, m_end in maintenance.week_intervals()
              if b_start < m_end and m_start < b_end]
    return min(shared) if shared else None


def format_minute_of_week(minute: int) -> str:
    """`ddd:hh24:mi` for a minute of the week (Monday 00:00 is 0)."""
    minute %= MINUTES_PER_WEEK
    day, rest = divmod(minute, MINUTES_PER_DAY)
    return f"{DAYS[day]}:{rest // 60:02d}:{rest % 60:02d}"


def format_duration(minutes: int) -> str:
    """A length in minutes as people say it: `30 min`, `2 h`, `1 h 30 min`."""
    hours, mins = divmod(minutes, 60)
    if hours and mins:
        return f"{hours} h {mins} min"
    return f"{hours} h" if hours else f"{mins} min"


def week_occupancy(backup: str | None, maintenance: str | None) -> dict[str, list[tuple[int, int]]]:
    """The minute-of-week intervals each window occupies, for the week chart.

    Keys are "backup" and "maintenance"; a window that is unset or does not parse occupies nothing.
    """
    occupancy: dict[str, list[tuple[int, int]]] = {"backup": [], "maintenance": []}
    if backup:
        with contextlib.suppress(WindowError):
            occupancy["backup"] = parse_backup_window(backup).week_intervals()
    if maintenance:
        with contextlib.suppress(WindowError):
            occupancy["maintenance"] = parse_maintenance_window(maintenance).week_intervals()
    return occupancy
