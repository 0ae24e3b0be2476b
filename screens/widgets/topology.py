"""A diagram of the chosen deployment: where the instances live, how they replicate, where DNS points."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

_SINGLE = r"""
 your app ──▶ {dns}
                │ one DNS name, one instance
 ┌ AZ 1 ────────▼─────┐          ┌ AZ 2 ──────────────┐
 │  ┌──────────────┐  │          │                    │
 │  │ PRIMARY      │  │          │   (nothing here)   │
 │  │ reads+writes │  │          │                    │
 │  └──────────────┘  │          │                    │
 └────────────────────┘          └────────────────────┘
  If AZ 1 or the host fails, the database is down until
  RDS replaces it.
"""

_MULTI_AZ = r"""
 your app ──▶ {dns}
                │ one DNS name, points at the primary
 ┌ AZ 1 ────────▼─────┐          ┌ AZ 2 ──────────────┐
 │  ┌──────────────┐  │          │  ┌──────────────┐  │
 │  │ PRIMARY      │══════════════▶│ STANDBY      │  │
 │  │ reads+writes │  │          │  │ no reads     │  │
 │  └──────────────┘  │          │  └──────────────┘  │
 └────────────────────┘          └────────────────────┘
  ══▶ synchronous replication: a write commits on both.
  On failure RDS points the same DNS name at the standby
  (typically 60-120 s); apps reconnect to the same name.
"""

_CLUSTER = r"""
 writer endpoint ▶ {dns}
 reader endpoint ▶ READER 1 and READER 2
 ┌ AZ 1 ──────────┐ ┌ AZ 2 ──────────┐ ┌ AZ 3 ──────────┐
 │ WRITER         │ │ READER 1       │ │ READER 2       │
 │ reads+writes   │ │ reads only     │ │ reads only     │
 └───────╥────────┘ └───────▲────────┘ └───────▲────────┘
         ╚══════════════════╩═══════════════════╝
  ══▶ semi-synchronous replication: a commit waits for
  one reader. On failure a reader becomes the writer
  (typically under 35 s).
"""

_TEMPLATES = {"single-az": _SINGLE, "multi-az-instance": _MULTI_AZ, "multi-az-cluster": _CLUSTER}
_DNS_WIDTH = 40


def dns_name(identifier: str) -> str:
    """The endpoint name shown in the diagram, shortened to fit 80 columns."""
    name = f"{identifier or 'your-db'}.xxxx.region.rds.amazonaws.com"
    return name if len(name) <= _DNS_WIDTH else name[: _DNS_WIDTH - 1] + "…"


def render_topology(deployment: str, identifier: str) -> Text:
    """The diagram for one deployment as styled text (meaningful without colour too)."""
    template = _TEMPLATES.get(deployment, _MULTI_AZ)
    text = Text(template.strip("\n").format(dns=dns_name(identifier)))
    text.highlight_words(["PRIMARY", "WRITER"], style="bold green")
    text.highlight_words(["STANDBY", "READER 1", "READER 2"], style="bold cyan")
    text.highlight_regex(r"[═╚╩╝╥]+▶?|▲", style="yellow")
    return text


class TopologyDiagram(Static):
    """Primary, standby (or readers), replication and the DNS endpoint for the chosen deployment."""

    deployment: reactive[str] = reactive("multi-az-instance")
    identifier: reactive[str] = reactive("")

    def render(self) -> Text:
        """Draw the diagram for the current deployment."""
        return render_topology(self.deployment, self.identifier)
