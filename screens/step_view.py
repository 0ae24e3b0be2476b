"""One step's body: its fields from `wizard.steps`, plus the pictures some steps teach with.

Availability adds the explanation, the topology diagram and the cost note; Backup adds the week chart
and folds the console's "Additional configuration" into a collapsed section; other steps fold their
advanced fields into "More options". Nothing here decides what is valid.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widget import AwaitMount, Widget
from textual.widgets import Collapsible, Static

from screens import messages
from screens.widgets.field_factory import FieldWidget, make_field
from screens.widgets.quiet import ScrollbarsDrawnWithLayout, laid_out_virtual_size
from wizard.teaching import step_teaching

# The pictures (topology, week chart) are imported where used: the first screen shows neither.
if TYPE_CHECKING:
    from wizard.spec.model import DatabaseSpec
    from wizard.steps import Step, StepField

# In the Backup step everything after this field is the console's "Additional configuration".
_LAST_BACKUP_FIELD = "maintenance.auto_minor_version_upgrade"
_CHART_AFTER = "maintenance.window"


class FoldedSection(Collapsible):
    """A collapsed section ("More options") whose fields are mounted the first time it opens.

    Folded, its fields are not seen; mounted, each would be styled and laid out before the step's first
    frame all the same. Until then they exist unmounted: values, choices and problems given to them are
    kept (see `FieldWidget`) and shown as they mount. Collapsible composes its (empty) body; the fields
    go into it through public calls only (`Expanded`, `query_one`, `mount_all`).
    """

    def __init__(self, fields: list[FieldWidget], title: str) -> None:
        # Born with its collapsed class: Collapsible adds it as it mounts, restyling every widget in it.
        super().__init__(title=title, collapsed=True, classes="more -collapsed")
        self.fields = fields
        self._fields_unmounted = list(fields)
        self._fields_mounting: AwaitMount | None = None

    def on_mount(self) -> None:
        """A section made open mounts its fields at once."""
        if not self.collapsed:
            self._mount_fields()

    def on_collapsible_expanded(self, event: Collapsible.Expanded) -> None:
        """Opened (by the keyboard or the mouse): mount the fields."""
        if event.collapsible is self:
            self._mount_fields()

    def _mount_fields(self) -> None:
        if self._fields_unmounted and self.is_mounted:
            fields, self._fields_unmounted = self._fields_unmounted, []
            self._fields_mounting = self.query_one(Collapsible.Contents).mount_all(fields)

    async def unfold(self) -> None:
        """Open the section and wait until its fields are mounted."""
        self.collapsed = False
        self._mount_fields()
        if self._fields_mounting is not None:
            await self._fields_mounting


class StepView(ScrollbarsDrawnWithLayout, VerticalScroll):
    """The scrollable body of one step."""

    virtual_size: Reactive[Size] = laid_out_virtual_size()

    def __init__(self, step: Step, value_of: Callable[[str], Any]) -> None:
        super().__init__(id=f"step-{step.key}", classes="step-view")
        self.step = step
        self._value_of = value_of
        self._spec_pending: DatabaseSpec | None = None
        main, folded = self._split_fields()
        self._main = [make_field(f, value_of(f.path)) for f in main]
        self._fold: FoldedSection | None = None
        if folded:
            title = messages.ADDITIONAL_CONFIGURATION if step.key == "backup" else messages.ADVANCED
            self._fold = FoldedSection([make_field(f, value_of(f.path)) for f in folded], title)
        # Every field, in order, whether mounted yet or not (a folded one is mounted once opened).
        folded_widgets = self._fold.fields if self._fold else []
        self._by_path = {w.step_field.path: w for w in [*self._main, *folded_widgets]}

    def compose(self) -> ComposeResult:
        """Fields in the step's order, with the step's extras and folded sections."""
        if self.opens_with_picture:
            from screens.widgets.topology import TopologyDiagram

            # The picture first: it is what this step teaches, and it follows the choice below it.
            yield TopologyDiagram(id="topology")
        for widget in self._main:
            yield widget
            if widget.step_field.path == _CHART_AFTER:
                from screens.widgets.window_chart import WindowChart

                yield WindowChart(classes="window-chart")
        if self._fold is not None:
            yield self._fold
        teaching = step_teaching(self.step.key)
        if teaching is not None:
            title, lines = teaching
            # Folded, after the fields: it answers a question some have, not one every step asks.
            yield Collapsible(Static("\n".join(lines), markup=False, classes="teaching-table"),
                              title=title, collapsed=True, classes="more teaching")

    def _split_fields(self) -> tuple[list[StepField], list[StepField]]:
        if self.step.key == "backup":
            paths = [f.path for f in self.step.fields]
            cut = paths.index(_LAST_BACKUP_FIELD) + 1 if _LAST_BACKUP_FIELD in paths else len(paths)
            return list(self.step.fields[:cut]), list(self.step.fields[cut:])
        return ([f for f in self.step.fields if not f.advanced], [f for f in self.step.fields if f.advanced])

    @property
    def opens_with_picture(self) -> bool:
        """Whether the step shows a picture above its first field (Availability's topology), which
        pushes that field below the first screenful at 80x24."""
        return self.step.key == "availability"

    def field_widgets(self) -> Iterator[FieldWidget]:
        """Every field widget of this step, in order (a folded one may not be mounted yet)."""
        yield from self._by_path.values()

    def field_widget(self, path: str) -> FieldWidget | None:
        """The widget for a spec path, if this step has it."""
        return self._by_path.get(path)

    async def reveal(self, widget: FieldWidget) -> Widget | None:
        """Open the folded section holding `widget` (if any), scroll to it and focus it (unless the focus
        is in it already); returns the control that has the focus.

        A text box is focused with its text left unselected: Textual selects it all on focus, and the
        next key, typed for the problem's fix or out of habit, replaced it (a password typed twice).
        """
        if self._fold is not None and widget in self._fold.fields:
            await self._fold.unfold()
        from screens.widgets.text_fields import FieldInput

        target = widget.focus_target()
        focused = self.screen.focused
        # The focus stays where it is in the field, unless the field points to an empty box to fill (the
        # password's confirmation): nothing typed is in the way there.
        to_fill = isinstance(target, FieldInput) and not target.value
        if focused is not None and widget in focused.ancestors_with_self and not to_fill:
            target = focused
        elif target is not None:
            if isinstance(target, FieldInput):
                target.keep_text_on_next_focus()
            self.screen.set_focus(target)  # at once, not later through the app (see WizardScreen.go_to)
        self.call_after_refresh(self.scroll_to_widget, widget)
        return target

    def on_mount(self) -> None:
        """Apply a sync that arrived while the step was still being built."""
        if self._spec_pending is not None:
            spec, self._spec_pending = self._spec_pending, None
            self.sync(spec)

    def sync(self, spec: DatabaseSpec) -> None:
        """Show or hide fields for this spec and redraw the step's pictures."""
        if not self.is_mounted:
            self._spec_pending = spec
            return
        for widget in self.field_widgets():
            visible = widget.step_field.is_visible(spec)
            if widget.display != visible:
                widget.display = visible
        if self.step.key == "availability":
            from screens.widgets.topology import TopologyDiagram

            diagram = self.query_one(TopologyDiagram)
            diagram.deployment = spec.availability.deployment
            diagram.identifier = spec.settings.identifier
        if self.step.key == "backup":
            self._draw_chart(spec)

    def load_values(self, spec: DatabaseSpec) -> None:
        """Put the spec's values into every field (after a template or preset replaced them)."""
        for widget in self.field_widgets():
            widget.show_value(self._value_of(widget.step_field.path))
        self.sync(spec)

    def _draw_chart(self, spec: DatabaseSpec) -> None:
        from wizard.spec.windows import (
            WindowError,
            parse_backup_window,
            parse_maintenance_window,
            week_occupancy,
        )

        labels = {f.path: f.label for f in self.step.fields}
        notes = []
        for path, text, parse in (("backup.window", spec.backup.window, parse_backup_window),
                                  ("maintenance.window", spec.maintenance.window, parse_maintenance_window)):
            label = labels.get(path, path)
            if not text:
                notes.append(messages.WINDOW_NO_PREFERENCE.format(label=label))
                continue
            try:
                parse(text)
            except WindowError as exc:
                notes.append(messages.WINDOW_UNPARSED.format(label=label, reason=str(exc).split(":")[0]))
        occupancy = week_occupancy(spec.backup.window, spec.maintenance.window)
        from screens.widgets.window_chart import WindowChart

        self.query_one(WindowChart).show(occupancy["backup"], occupancy["maintenance"], notes)
