"""The Review step: every setting grouped as the console shows it, the problems with a jump to their
step, a monthly cost estimate and the equivalent AWS CLI command (Save and Launch sit in the nav bar)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual import on
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Static

from screens import messages
from screens.widgets.compact_button import CompactButton
from wizard.cost import COST_NOTE, NO_ESTIMATE, estimate_spec
from wizard.escaping import shown, shown_lines

if TYPE_CHECKING:
    from wizard.session import ReviewRow
    from wizard.spec.model import DatabaseSpec
    from wizard.spec.problems import Problem

# The console's create page sections, in its order, and which spec paths each shows.
CONSOLE_SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Engine options", ("engine.",)),
    ("Availability and durability", ("availability.",)),
    ("Settings", ("settings.",)),
    ("Instance configuration", ("instance.",)),
    ("Storage", ("storage.",)),
    ("Connectivity", ("connectivity.",)),
    ("Database authentication", ("monitoring.iam_database_authentication",)),
    ("Monitoring", ("monitoring.",)),
    ("Additional configuration", ("database.", "backup.", "maintenance.", "protection.", "tags")),
)


def _section_of(path: str) -> str:
    for title, prefixes in CONSOLE_SECTIONS:
        if any(path == p or path.startswith(p) for p in prefixes):
            return title
    return CONSOLE_SECTIONS[-1][0]


class ReviewView(VerticalScroll):
    """The Review step's body; `show_review` rebuilds it from the spec and its problems."""

    class JumpRequested(Message):
        """The user asked to go and fix the field at `path`."""

        def __init__(self, path: str) -> None:
            super().__init__()
            self.path = path

    def __init__(self) -> None:
        super().__init__(id="step-review", classes="step-view")
        self._shown: tuple[object, ...] | None = None

    def show_review(self, spec: DatabaseSpec, problems: Sequence[Problem],
                    rows: Sequence[ReviewRow], step_titles: dict[str, str], cli_text: str) -> None:
        """Rebuild from the session's rows, grouped as the console does; `step_titles` names each
        problem's step."""
        cost = self._cost_text(spec)
        shown = (tuple((p.field, p.message, p.is_error) for p in problems), tuple(rows),
                 tuple(sorted(step_titles.items())), cli_text, cost.plain)
        if shown == self._shown:  # rebuilding some thirty widgets unchanged made each visit slower
            return
        self._shown = shown
        self.remove_children()
        heading = Static(messages.REVIEW_PROBLEMS, classes="review-heading -first")
        widgets: list[Static | Horizontal] = [heading]
        errors = [p for p in problems if p.is_error]
        if not problems:
            widgets.append(Static(messages.REVIEW_NO_PROBLEMS, classes="review-ok"))
        for index, problem in enumerate(sorted(problems, key=lambda p: not p.is_error)):
            glyph = messages.PROBLEM_ERROR if problem.is_error else messages.PROBLEM_WARNING
            text = Text(f"{glyph} {problem.message}", style="red" if problem.is_error else "yellow")
            button = CompactButton(messages.BUTTON_GO.format(step=step_titles.get(problem.field, "")),
                                   name=problem.field, id=f"fix-{index}", classes="review-fix")
            row = Horizontal(Static(text, classes="review-problem"), button, classes="review-problem-row")
            widgets.append(row)
        widgets.append(Static(messages.REVIEW_SETTINGS, classes="review-heading"))
        widgets.append(Static(self._settings_table(rows), classes="review-settings"))
        widgets.append(Static(messages.REVIEW_COST, classes="review-heading"))
        widgets.append(Static(cost, classes="review-cost"))
        widgets.append(Static(messages.REVIEW_CLI, classes="review-heading"))
        widgets.append(Static(Text(shown_lines(cli_text)), classes="review-cli"))
        if errors:
            widgets.append(Static(messages.REVIEW_LAUNCH_BLOCKED, classes="review-blocked"))
        self.mount_all(widgets)

    @staticmethod
    def _settings_table(rows: Sequence[ReviewRow]) -> Table:
        table = Table.grid(padding=(0, 1))
        table.add_column(style="dim", no_wrap=True, max_width=28)
        table.add_column()
        current = None
        order = [title for title, _ in CONSOLE_SECTIONS]
        for row in sorted(rows, key=lambda r: order.index(_section_of(r.path))):
            section = _section_of(row.path)
            if section != current:
                table.add_row(Text(section, style="bold underline"), "")
                current = section
            # Plain Text: a value is shown as typed, escaped, never read as Rich markup.
            table.add_row(Text(row.label), Text(shown(row.value)))
        return table

    @staticmethod
    def _cost_text(spec: DatabaseSpec) -> Text:
        cost = estimate_spec(spec)
        if cost is None:
            return Text(NO_ESTIMATE.format(instance_class=spec.instance.instance_class))
        text = Text(cost.headline, style="bold")
        text.append(f"  ({cost.breakdown})\n")
        text.append(COST_NOTE, style="dim")
        return text

    @on(Button.Pressed, ".review-fix")
    def _fix(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.JumpRequested(event.button.name or ""))
