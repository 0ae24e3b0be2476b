"""The list of steps down the side: where you are, what is done, what has problems; pick one to jump."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from screens import messages
from screens.widgets.quiet import StyledWhenAttached

# Short names so the list fits a narrow side bar at 80 columns.
SHORT_TITLES = {
    "engine": "Engine",
    "instance": "Instance",
    "availability": "Availability",
    "network": "Network",
    "backup": "Backup & more",
    "review": "Review",
}


class StepList(StyledWhenAttached, OptionList):
    """One line per step; steps not reached yet are disabled."""

    _shown: list[tuple[str, bool]] | None = None

    def show_steps(self, keys: Sequence[str], current: int, reached: int, errors: Mapping[str, int]) -> None:
        """Redraw: `current` and `reached` are step indexes, `errors` counts errors per step key."""
        options = []
        for index, key in enumerate(keys):
            if index == current:
                glyph, style = messages.STEP_CURRENT, "bold"
            elif errors.get(key) and index <= reached:
                glyph, style = messages.PROBLEM_ERROR, "red"
            elif index < reached or (index <= reached and index != current):
                glyph, style = messages.STEP_DONE, "green"
            else:
                glyph, style = messages.STEP_TODO, "dim"
            prompt = Text(f"{glyph} {index + 1} ", style=style)
            prompt.append(SHORT_TITLES.get(key, key), style="bold" if index == current else "")
            options.append(Option(prompt, id=key, disabled=index > reached))
        signature = [(str(o.prompt), o.disabled) for o in options]
        if signature == self._shown:
            return
        self._shown = signature
        highlighted = self.highlighted
        self.set_options(options)
        self.highlighted = current if highlighted is None or not self.has_focus else highlighted
