"""Maintenance and backup window checks for the demo, as RDS makes them.

moto measures a maintenance window without its days, so it refuses `sun:23:30-mon:00:30`, which RDS
accepts. This replacement works on minutes of the week and keeps moto's error messages.
"""

from __future__ import annotations

import re
from datetime import datetime

_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEK = 7 * 24 * 60
_DAY = 24 * 60
_MAINTENANCE = re.compile(r"^([a-z]{3}):(\d{2}):(\d{2})-([a-z]{3}):(\d{2}):(\d{2})$")
_BACKUP = re.compile(r"^(\d{2}):(\d{2})-(\d{2}):(\d{2})$")
_FORMAT_HELP = ("Should be specified as a range ddd:hh24:mi-ddd:hh24:mi (24H Clock UTC). "
                "Example: Sun:23:45-Mon:00:15")


def _minute_of_week(day: str, hour: str, minute: str) -> int:
    if day not in _DAYS or not (0 <= int(hour) < 24 and 0 <= int(minute) < 60):
        raise ValueError(day)
    return _DAYS.index(day) * _DAY + int(hour) * 60 + int(minute)


def _intervals(start: int, length: int, period: int) -> list[tuple[int, int]]:
    """A recurring interval as plain intervals over two weeks, so wrapping ones can be compared."""
    return [(start + k * period, start + k * period + length) for k in range(-1, (2 * _WEEK) // period + 1)]


def check_maintenance_window(maintenance_window: str, backup_window: str | None) -> str | None:
    """The error message RDS would give for this maintenance window (and backup window), or None."""
    window = maintenance_window.lower()
    match = _MAINTENANCE.match(window)
    if match is None:
        return f"Invalid maintenance window format: {maintenance_window}. {_FORMAT_HELP}"
    try:
        start = _minute_of_week(*match.group(1, 2, 3))
        end = _minute_of_week(*match.group(4, 5, 6))
    except ValueError:
        return f"Invalid day:hour:minute value: {maintenance_window}"
    length = (end - start) % _WEEK
    if length < 30:
        return "The maintenance window must be at least 30 minutes."
    if length > _DAY:
        return "Maintenance window must be less than 24 hours."
    if backup_window:
        backup = _BACKUP.match(backup_window)
        if backup is None:
            return None  # the backup window's own check reports its format
        b_start = int(backup.group(1)) * 60 + int(backup.group(2))
        b_end = int(backup.group(3)) * 60 + int(backup.group(4))
        b_length = (b_end - b_start) % _DAY
        for m0, m1 in _intervals(start, length, _WEEK):
            for b0, b1 in _intervals(b_start, b_length, _DAY):
                if m0 < b1 and b0 < m1:
                    return "The backup window and maintenance window must not overlap."
    return None


def seconds_until_window(maintenance_window: str | None, now: datetime) -> float:
    """Real seconds from `now` (UTC) until the maintenance window next opens (a day if it is unreadable)."""
    match = _MAINTENANCE.match((maintenance_window or "").lower())
    if match is None:
        return float(_DAY * 60)
    try:
        start = _minute_of_week(*match.group(1, 2, 3))
    except ValueError:
        return float(_DAY * 60)
    current = now.weekday() * _DAY + now.hour * 60 + now.minute + now.second / 60
    return ((start - current) % _WEEK) * 60.0
