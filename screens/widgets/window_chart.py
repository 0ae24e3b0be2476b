"""A week-by-24-hour chart of the backup and maintenance windows: an overlap shows before it is an error."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

from screens import messages

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_CELL_MINUTES = 30
_CELLS_PER_DAY = 24 * 60 // _CELL_MINUTES
_WEEK = 7 * 24 * 60

# A window as minutes since Monday 00:00 UTC: (start, end), end > start, may run past the week's end.
Interval = tuple[int, int]


def _covers(intervals: Sequence[Interval], start: int, end: int) -> bool:
    for lo, hi in intervals:
        for shift in (0, -_WEEK):
            if lo + shift < end and start < hi + shift:
                return True
    return False


def render_chart(backup: Sequence[Interval], maintenance: Sequence[Interval],
                 notes: Sequence[str] = ()) -> Text:
    """The chart as text: one row per weekday, one cell per half hour; B, M, or X where both fall."""
    text = Text()
    text.append(messages.WINDOW_CHART_TITLE + "\n", style="bold")
    text.append("    0     3     6     9     12    15    18    21\n", style="dim")
    for day_index, day in enumerate(DAYS):
        text.append(f"{day.capitalize()} ")
        for cell in range(_CELLS_PER_DAY):
            start = day_index * 24 * 60 + cell * _CELL_MINUTES
            end = start + _CELL_MINUTES
            in_backup = _covers(backup, start, end)
            in_maintenance = _covers(maintenance, start, end)
            if in_backup and in_maintenance:
                text.append("X", style="bold reverse red")
            elif in_backup:
                text.append("B", style="bold blue")
            elif in_maintenance:
                text.append("M", style="bold magenta")
            else:
                text.append("·" if cell % 6 else "┊", style="dim")
        text.append("\n")
    text.append(messages.WINDOW_LEGEND, style="dim")
    for note in notes:
        text.append("\n" + note, style="italic")
    return text


class WindowChart(Static):
    """The week chart; `show(backup, maintenance, notes)` redraws it."""

    def show(self, backup: Sequence[Interval], maintenance: Sequence[Interval],
             notes: Sequence[str] = ()) -> None:
        """Redraw with these windows (minutes since Monday 00:00 UTC)."""
        self.update(render_chart(backup, maintenance, notes))
