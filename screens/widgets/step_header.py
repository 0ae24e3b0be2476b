"""The step's header line: where you are ("Step 2 of 6 · Instance details") and its AWS docs link."""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from screens import messages


class StepHeader(Widget):
    """The title on the left and the docs link at the right edge, drawn as one line by one widget (a
    title and a link side by side would be three widgets to style, lay out and draw on every start)."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"step-header--docs"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._step_title = ""
        self._docs_url = ""

    def show(self, title: str, docs_url: str) -> None:
        """Show this step's title and docs link."""
        if (title, docs_url) != (self._step_title, self._docs_url):
            self._step_title, self._docs_url = title, docs_url
            self.refresh()

    def render(self) -> Text:
        """The title, then the link pushed to the right edge (after the title when the line is short)."""
        line = Text()
        line.append(self._step_title, style="bold")
        if self._docs_url:
            link = Text(messages.DOCS, style=self.get_component_rich_style("step-header--docs")
                        + Style(link=self._docs_url))
            line.append(" " * max(1, self.content_size.width - line.cell_len - link.cell_len))
            line.append_text(link)
        return line
