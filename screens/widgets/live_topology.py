"""The live diagram of a running database: which AZ holds the primary and the standby, and where DNS points.

`screens.widgets.topology.TopologyDiagram` draws the plan (AZ 1, AZ 2) before anything exists; this one
draws what AWS reports while the database is created and failed over. The AZ boxes keep their place once
seen, so after a failover the roles visibly swap between the same two boxes and the DNS arrow moves.
During an unplanned drill (demo) the AZ that failed is marked in its box ("✗ HOST DOWN", "✗ AZ UNREACHABLE")
until it is back, so who failed stays visible while the roles swap.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.text import Text
from textual.widgets import Static

_WIDTH = 76
_INSTANCE_BOX = 30
_CLUSTER_BOX = 24


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _box(az: str, lines: Sequence[str], width: int) -> list[str]:
    title = _clip(f" {az} ", width - 4)
    top = "┌─" + title + "─" * (width - 3 - len(title)) + "┐"
    middle = ["│ " + _clip(line, width - 4).ljust(width - 4) + " │" for line in lines]
    return [top, *middle, "└" + "─" * (width - 2) + "┘"]


def _endpoint_line(endpoint: str | None, port: int | None) -> str:
    if not endpoint:
        return " your app ──▶ (the endpoint appears once RDS assigns it)"
    where = f"{endpoint}:{port}" if port else endpoint
    return _clip(f" your app ──▶ {where}", _WIDTH)


def render_live_topology(*, kind: str, az_order: Sequence[str], primary_az: str | None,
                         standby_azs: Sequence[str], endpoint: str | None, port: int | None,
                         status: str | None, multi_az: bool | None, note: str = "",
                         failed: Mapping[str, str] | None = None) -> Text:
    """The diagram as text that reads the same without colour (roles are words, not colours).

    `failed` marks AZs whose node is down (AZ -> a short word such as "✗ HOST DOWN") in place of its state.
    """
    down = dict(failed or {})
    lines = [_endpoint_line(endpoint, port)]
    state = status or "unknown"
    if kind == "cluster":
        # Three slots in the order the AZs were first seen, so a failover moves the WRITER label, not boxes.
        seen = [az for az in az_order if az][:3] or ([primary_az] if primary_az else [])
        slots: list[str | None] = [*seen, None, None, None][:3]
        boxes: list[tuple[str, list[str]]] = []
        for az in slots:
            if az is not None and az == primary_az:
                boxes.append((az, ["WRITER", state]))
            elif az is not None and az in standby_azs:
                boxes.append((az, ["READER", "readable standby"]))
            elif az is None and primary_az is None and not boxes:
                boxes.append(("AZ ?", ["WRITER", state]))
            else:
                boxes.append((az or "AZ ?", ["READER", "being added…"]))
        writer = next((i for i, (_, body) in enumerate(boxes) if body[0] == "WRITER"), 0)
        column = 1 + writer * (_CLUSTER_BOX + 1) + _CLUSTER_BOX // 2
        label = "the writer endpoint points here"
        lines.append(" " * column + "│ " + label if column + len(label) + 2 <= _WIDTH
                     else " " * (column - len(label) - 1) + label + " │")
        drawn = [_box(az, body, _CLUSTER_BOX) for az, body in boxes]
        for row in zip(*drawn, strict=True):
            lines.append(" " + " ".join(row))
        lines.append("  ══ semi-synchronous replication: a commit waits for one reader")
    else:
        standby_az = standby_azs[0] if standby_azs else None
        if multi_az is False:
            standby_text = ["(no standby)", "single-AZ"]
        elif standby_az and standby_az in down:
            standby_text = ["STANDBY", down[standby_az]]
        elif standby_az:
            standby_text = ["STANDBY", "synchronous copy, no reads"]
        else:
            standby_text = ["STANDBY", "being added…"]
        # Keep boxes where they were first seen, so a failover swaps the roles, not the boxes.
        left_az, right_az = [*az_order, None, None][:2]
        primary_left = primary_az is None or left_az is None or primary_az == left_az
        primary_box = ["PRIMARY", down.get(primary_az or "", state)]
        if primary_left:
            left = _box(primary_az or "AZ ?", primary_box, _INSTANCE_BOX)
            right = _box(standby_az or right_az or "AZ ?", standby_text, _INSTANCE_BOX)
            arrow = "══sync═▶" if standby_az else "        "
        else:
            left = _box(standby_az or left_az or "AZ ?", standby_text, _INSTANCE_BOX)
            right = _box(primary_az or "AZ ?", primary_box, _INSTANCE_BOX)
            arrow = "◀═sync══" if standby_az else "        "
        if standby_az and standby_az in down:
            arrow = "═══✗════"  # replication to a node that is down is broken
        gap = 10
        dns_column = 1 + (_INSTANCE_BOX // 2 if primary_left else _INSTANCE_BOX + gap + _INSTANCE_BOX // 2)
        label = "DNS points at the primary"
        lines.append(" " * dns_column + "│ " + label if primary_left
                     else " " * (dns_column - len(label) - 1) + label + " │")
        for index, (a, b) in enumerate(zip(left, right, strict=True)):
            middle = f" {arrow} " if index == 1 else " " * gap
            lines.append(" " + a + middle + b)
    if note:
        lines.append(_clip(f" {note}", _WIDTH))
    text = Text("\n".join(lines))
    text.highlight_words(["PRIMARY", "WRITER"], style="bold green")
    text.highlight_words(["STANDBY", "READER"], style="bold cyan")
    text.highlight_regex(r"◀?═+sync═+▶?", style="yellow")
    text.highlight_regex(r"✗ [A-Z ]+", style="bold red")
    return text


class LiveTopology(Static):
    """Primary and standby AZs (or a cluster's writer and readers) as AWS reports them, updated live."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.kind = "instance"
        self.az_order: list[str] = []
        self.primary_az: str | None = None
        self.standby_azs: tuple[str, ...] = ()
        self.endpoint: str | None = None
        self.port: int | None = None
        self.status: str | None = None
        self.multi_az: bool | None = None
        self.note = ""
        self.failed: dict[str, str] = {}

    def on_mount(self) -> None:
        """Draw the empty diagram (AZs unknown) until the first report arrives."""
        self._redraw()

    def show(self, *, kind: str, primary_az: str | None, standby_azs: Sequence[str], endpoint: str | None,
             port: int | None, status: str | None, multi_az: bool | None, note: str = "") -> None:
        """Update from what AWS reports now; AZs first seen keep their place in the drawing."""
        self.kind = kind
        for az in (primary_az, *standby_azs):
            if az and az not in self.az_order:
                self.az_order.append(az)
        self.primary_az = primary_az
        self.standby_azs = tuple(standby_azs)
        self.endpoint = endpoint or self.endpoint
        self.port = port or self.port
        self.status = status
        self.multi_az = multi_az
        self.note = note
        self._redraw()

    def mark_failed(self, az: str, word: str, note: str = "") -> None:
        """Show the node in `az` as down (a drill's failure) until `clear_failed`; `note` says what now."""
        self.failed[az] = word
        self.note = note or self.note
        self._redraw()

    def clear_failed(self, note: str = "") -> None:
        """Every node is back."""
        self.failed.clear()
        self.note = note or self.note
        self._redraw()

    def set_note(self, note: str) -> None:
        """The line under the diagram (what is happening now)."""
        self.note = note
        self._redraw()

    def _redraw(self) -> None:
        self.update(render_live_topology(
            kind=self.kind, az_order=self.az_order, primary_az=self.primary_az,
            standby_azs=self.standby_azs, endpoint=self.endpoint, port=self.port, status=self.status,
            multi_az=self.multi_az, note=self.note, failed=self.failed))
