"""The demo's maintenance window check: RDS's rules on minutes of the week (moto measured without days)."""

from __future__ import annotations

import pytest

from wizard.demo.windows import check_maintenance_window

OVERLAP = "The backup window and maintenance window must not overlap."


@pytest.mark.parametrize("window", ["sun:23:30-mon:00:30", "Sun:23:45-Mon:00:15", "mon:03:00-mon:04:00",
                                    "sat:22:00-sun:01:00"])
def test_accepted(window: str) -> None:
    assert check_maintenance_window(window, "05:00-05:30") is None


@pytest.mark.parametrize(("window", "backup", "message"), [
    ("mon:03:00-mon:03:20", None, "The maintenance window must be at least 30 minutes."),
    ("mon:03:00-tue:04:00", None, "Maintenance window must be less than 24 hours."),
    ("sun:23:30-mon:00:30", "00:00-00:30", OVERLAP),
    ("mon:00:00-mon:00:30", "23:45-00:15", OVERLAP),
    ("wed:10:00-wed:11:00", "10:30-11:00", OVERLAP),
])
def test_refused_with_rds_messages(window: str, backup: str | None, message: str) -> None:
    assert check_maintenance_window(window, backup) == message


@pytest.mark.parametrize("window", ["mon:3:00-mon:04:00", "monday:03:00-monday:04:00", ""])
def test_bad_format(window: str) -> None:
    assert (check_maintenance_window(window, None) or "").startswith("Invalid maintenance window format")


def test_bad_day_or_hour() -> None:
    assert check_maintenance_window("mon:25:00-tue:01:00", None) == "Invalid day:hour:minute value: " \
        "mon:25:00-tue:01:00"
    assert check_maintenance_window("xyz:01:00-xyz:02:00", None) == "Invalid day:hour:minute value: " \
        "xyz:01:00-xyz:02:00"
