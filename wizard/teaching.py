"""Teaching text the screens and the plain front end render: plain data, no UI.

The standby/replica table follows "Multi-AZ DB instance deployments"
(https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.MultiAZSingleStandby.html) and "Working
with DB instance read replicas" (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReadRepl.html).
"""

from __future__ import annotations

# (aspect, Multi-AZ standby, read replica): each cell short enough for an 80-column terminal.
STANDBY_VS_REPLICA: tuple[tuple[str, str, str], ...] = (
    ("Replication", "synchronous (block level)", "asynchronous (engine native)"),
    ("Takes reads", "no", "yes, read-only"),
    ("Endpoint", "the primary's (same DNS name)", "its own"),
    ("On failure", "automatic failover, 60-120 s", "none: you promote it"),
    ("Data loss", "RPO 0 (commits wait for it)", "what it had not replayed"),
    ("Cost", "about 2x the instance+storage", "one more instance+storage"),
)


def standby_vs_replica_lines() -> list[str]:
    """The table as fixed-width lines (at most 78 columns, 8 lines)."""
    widths = (12, 31, 31)
    header = ("", "Multi-AZ standby", "Read replica")
    rows = [header, *STANDBY_VS_REPLICA]
    lines = []
    for index, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
        if index == 0:
            lines.append("  ".join("-" * width for width in widths))
    return lines


STANDBY_VS_REPLICA_TITLE = "Standby or read replica?"


def step_teaching(step_key: str) -> tuple[str, list[str]] | None:
    """The table a wizard step teaches with beside its fields (title, lines), if it has one: the
    Availability step sets the standby against the read replica newcomers confuse it with."""
    if step_key == "availability":
        return STANDBY_VS_REPLICA_TITLE, standby_vs_replica_lines()
    return None
