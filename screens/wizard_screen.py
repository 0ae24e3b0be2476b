"""The wizard screen: banner, step list, the current step's body, its problems, Back/Next.

It renders the app's `wizard.session.WizardSession` (the answers, problems, reached and current step,
Review's rows) and sends it every edit; it keeps no wizard state of its own. Lists of choices come
through `wizard.choices` in a thread worker.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.css.query import NoMatches
from textual.css.scalar import Unit
from textual.screen import Screen
from textual.visual import visualize
from textual.widget import Widget
from textual.widgets import Button, ContentSwitcher, OptionList, Static
from textual.worker import Worker, WorkerCancelled, WorkerFailed, get_current_worker

from screens import messages
from screens.step_view import StepView
from screens.widgets.banner import Banner
from screens.widgets.compact_button import CompactButton
from screens.widgets.field_factory import FieldWidget
from screens.widgets.quiet import QuietButton, QuietStatic, QuietSwitcher
from screens.widgets.step_header import StepHeader
from screens.widgets.step_list import StepList
from wizard.session import TEMPLATE_PATH
from wizard.steps import STEP_KEYS, STEPS, Step, StepField, step_for_field

# Review's view (and the cost estimate it imports) is imported when Review is first built.
if TYPE_CHECKING:
    from textual.css.styles import RulesMap

    from screens.app import WizardApp
    from screens.review_view import ReviewView
    from wizard.catalog import AccountFacts
    from wizard.choices import Choice
    from wizard.session import WizardSession
    from wizard.spec.problems import Problem

# Long enough for the step on screen to paint and settle before the next one is built behind it.
PREFETCH_DELAY_S = 0.3
MOUNT_POLL_S = 0.005
# Event loop turns a step change waits (at most) for the new control to take focus, then for it and its
# parts to restyle: a handful, with no time in between; found by tracing which repaints came late.
SETTLE_TURNS = 20
SETTLE_AFTER_FOCUS = 3
# A step built ahead is laid out once out of sight: in a layer of its own (not sharing the height of the
# step on screen), moved this many lines down (past any screen), for at most this many refreshes.
UNSEEN_LAYER = "unseen"
UNSEEN_OFFSET = 1000
UNSEEN_REFRESHES = 5
# Edits of these kinds never change what another field may offer, so they do not reload choices.
_TYPED_KINDS = frozenset({"text", "integer", "password", "window", "tags"})


def _max_lines(widget: Widget) -> int:
    """A widget's max-height in lines (the status and help lines have one)."""
    cap = widget.styles.max_height
    return int(cap.value) if cap is not None and cap.unit == Unit.CELLS else 1_000


class WizardScreen(Screen[None]):
    """The six steps, one at a time, with the step list beside them."""

    # No automatic focus: `go_to` focuses the step's first control. Textual's would focus the step list
    # first (restyling it), then lose it again to that control, before the first frame.
    AUTO_FOCUS = ""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("ctrl+n", "next", "Next"),
        Binding("f1", "toggle_help", "Help"),
        Binding("ctrl+s", "save_preset", "Save preset"),
        Binding("ctrl+r", "retry", "Retry", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.blocked_attempt = False
        self._keys_shown = ""  # the keys line's text (see `_show_keys`)
        self._views: dict[str, StepView | ReviewView] = {}
        # Steps whose body has been laid out (shown, or laid out out of sight): a hidden widget keeps the
        # sizes of its last layout, so showing it again lays nothing out anew.
        self._laid_out: set[str] = set()
        # Whether the spec has been checked since the screen was made (not before the first paint).
        self._checked = False
        # Whether the first frame has been asked for, and what it waits for (see `draw_first_frame`).
        self._drawn = False
        self._first_step_shown = False
        self._app_ready = False
        # Review's own buttons, mounted (before Next) when Review is first shown: hidden on every other
        # step, they would only be styled before the first frame.
        self._save_button = QuietButton(messages.BUTTON_SAVE_PRESET, id="save-preset")
        self._launch_button = QuietButton(messages.BUTTON_LAUNCH, variant="success", id="launch")

    @property
    def wizard(self) -> WizardApp:
        """The app, typed."""
        return cast("WizardApp", self.app)

    @property
    def session(self) -> WizardSession:
        """The wizard's state, which this screen renders."""
        return self.wizard.session

    @property
    def current(self) -> int:
        """The index of the step on screen (the session's)."""
        return self.session.current

    @property
    def reached(self) -> int:
        """The furthest step reached (the session's)."""
        return self.session.reached

    @property
    def problems(self) -> list[Problem]:
        """Every problem the session finds."""
        return self.session.problems

    def compose(self) -> ComposeResult:
        """Banner, step list, step header, the switcher of step bodies, status, navigation, footer."""
        yield Banner(demo=self.wizard.demo, id="banner")
        # One column: the step list docked at its left, the step's parts down the rest of it.
        with Vertical(id="main"):
            steps = StepList(compact=True, id="steps")
            steps.border_title = messages.STEPS_HEADING
            yield steps
            yield StepHeader(id="step-header")
            yield QuietStatic("", id="step-help")
            yield QuietSwitcher(id="switcher")
            yield QuietStatic("", id="step-status")
            with Horizontal(id="nav"):
                # Disabled as made on the first step (go_to sets it): not restyled before the first frame.
                yield QuietButton(messages.BUTTON_BACK, id="back", disabled=self.current == 0)
                yield QuietButton(messages.BUTTON_NEXT, variant="primary", id="next")
        keys = self._keys_line()
        self._keys_shown = keys.plain
        yield Static(keys, id="keys")

    def _keys_line(self) -> Content:
        """The keys that work on this step, clickable; set as the step changes, not as the focus moves
        (a footer rebuilt on every focus change restyled on every key)."""
        parts = [f"[b]{key}[/b] [@click={action}]{label}[/]" for key, action, label in messages.KEYS
                 if self._key_works(action)]
        return Content.from_markup("  ".join(parts))

    def _key_works(self, action: str) -> bool:
        """Whether an action of the keys line ("screen.next", "app.quit") does something on this step."""
        namespace, _, name = action.partition(".")
        return namespace != "screen" or self.check_action(name, ()) is True

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Back has nowhere to go on the first step, nor Next on Review: their keys are off there, and
        the keys line leaves them out."""
        if action == "back":
            return self.current > 0
        if action == "next":
            return self.step.key != "review"
        return True

    def _show_keys(self) -> None:
        """Show the keys that work on the step now on screen (only when they differ: an update lays the
        screen out again)."""
        line = self._keys_line()
        if line.plain != self._keys_shown:
            self._keys_shown = line.plain
            self.query_one("#keys", Static).update(line)
        self.refresh_bindings()

    def app_ready(self) -> None:
        """The app's start-up is over (its batch of updates, in which Textual draws nothing, has ended)."""
        self._app_ready = True
        self.draw_first_frame()

    def draw_first_frame(self) -> None:
        """Once both the first step is in place and the app's start-up is over, whichever comes last,
        load what the first frame did not need (`first_frame_shown`) after that frame. Textual lays out
        and draws the screen as its parts arrive; through its public API only, that may cost a frame
        more than the settled picture (see docs/performance.md)."""
        if self._drawn or not (self._first_step_shown and self._app_ready):
            return
        self._drawn = True
        self.call_after_refresh(self.first_frame_shown)
        self.refresh(layout=True)

    async def on_mount(self) -> None:
        """Show the first step at once; the model, then AWS, load once it is on screen."""
        await self.go_to(self.current)
        self._first_step_shown = True
        self.draw_first_frame()

    def first_frame_shown(self) -> None:
        """Load what the first frame did not need: the model (pydantic), then the gateway (boto3, the
        demo). Both are a large part of a start; loaded any earlier, they would delay the first paint."""
        if not self._checked:
            self.spec_changed()  # makes the spec: fields shown for it, its problems, choices waiting
        self.wizard.open_gateway()
        if self.wizard.freeze_gc:
            # What the start made lives on: later collections need not scan it again. (Its few cycles
            # of garbage stay too, ~15 MB: collecting them first would stall this moment ~0.1 s.)
            gc.freeze()
            gc.enable()  # paused by the command line for the start

    @property
    def is_up(self) -> bool:
        """Whether the screen is still up: work that arrives from a thread, or after an await, finds its
        widgets gone once the app is quitting or shutting down (the DOM still links the screen then)."""
        return self.is_attached and self.app.is_running

    # ----- navigation -----

    @property
    def step(self) -> Step:
        """The step on screen."""
        return self.session.step

    def _view(self) -> StepView | ReviewView | None:
        return self._views.get(self.step.key)

    def step_view(self, key: str) -> StepView | None:
        """The body of a step if it has been built (steps are built on first visit or just before)."""
        view = self._views.get(key)
        return view if isinstance(view, StepView) else None

    async def _build_step(self, step: Step) -> StepView | ReviewView:
        """The body of `step`, built and mounted once even when Next and the prefetch race for it."""
        view = self._views.get(step.key)
        if view is None:
            if step.key == "review":
                from screens.review_view import ReviewView

                view = ReviewView()
            else:
                view = StepView(step, self.value_of)
            self._views[step.key] = view
            self.load_choices(step.key, start=False)  # fields waiting for choices are made saying so
            switcher = self.query_one(ContentSwitcher)
            view.display = False  # as ContentSwitcher.add_content does
            # Newest first. The step laid out ahead (see _lay_out_unseen) is always the newest: placed
            # before the one on screen, it leaves that one's painting order as it was, which Textual
            # would otherwise see as a change of every widget in it and redraw the whole step.
            await switcher.mount(view, before=0 if switcher.children else None)
        while not view.is_mounted:
            await asyncio.sleep(MOUNT_POLL_S)
        return view

    async def go_to(self, index: int, focus_path: str | None = None) -> None:
        """Show step `index` (built on first visit), refresh it, and load its choices."""
        self.session.go_to(index)
        self.blocked_attempt = False
        step = self.step
        view = await self._build_step(step)
        if step.key == "review" and not self._launch_button.is_attached:
            await self.query_one("#nav").mount(self._save_button, self._launch_button, before="#next")
        # One frame per step change: without the batch the screen is laid out and drawn as soon as it
        # is idle, before the focused control (and the one that lost focus) have restyled themselves,
        # and those restyles then cost a second frame some 20 ms later.
        with self.app.batch_update():
            self._show(index, step, view)
            if self.wizard.spec_loaded:
                self.refresh_problems()
            else:
                self._show_steps({})
            self.load_choices(start=False)
            # Focus at once, so keys typed right after Next land in the new step; scroll once laid out.
            widget = view.field_widget(focus_path) if focus_path and isinstance(view, StepView) else None
            if widget is not None and isinstance(view, StepView):
                target = await view.reveal(widget)
            else:
                target = self._focus_first(view)
                self.call_after_refresh(view.scroll_home, animate=False, immediate=True)
            await self._settle(target)
        self.check_idle()  # the screen may have gone idle during the batch: lay it out and draw it now
        # Both after the step's frame (a callback in the batch would run before it). The choices worker
        # is a thread that holds the interpreter lock for long stretches (10,000 orderable options):
        # started earlier, it slowed the settling and the layout of the step it loads for. Building the
        # next step, and laying it out, must not crowd one that took long to draw.
        self.call_after_refresh(self.load_choices)
        self.call_after_refresh(self.set_timer, PREFETCH_DELAY_S, self._prefetch_next)

    @staticmethod
    async def _settle(target: Widget | None) -> None:
        """Let the widgets handle their Focus and Blur (and restyle) before the batch ends."""
        for _ in range(SETTLE_TURNS):
            if target is None or target.has_focus:
                break
            await asyncio.sleep(0)
        for _ in range(SETTLE_AFTER_FOCUS):
            await asyncio.sleep(0)

    def _show(self, index: int, step: Step, view: StepView | ReviewView) -> None:
        """Switch to the step's body and set the header, help, buttons and the body's fields for it."""
        self._bring_in(view)
        self._laid_out.add(step.key)
        self.query_one(ContentSwitcher).current = view.id
        self.query_one(StepHeader).show(f"Step {index + 1} of {len(STEPS)} · {step.title}", step.docs_url)
        self.query_one("#step-help", Static).update(step.purpose)
        self.query_one("#back", CompactButton).disabled = index == 0
        on_review = step.key == "review"
        self.query_one("#next", CompactButton).display = not on_review
        self._save_button.display = on_review
        self._launch_button.display = on_review
        self._show_keys()
        if self.wizard.spec_loaded and isinstance(view, StepView):
            view.sync(self.wizard.spec)

    def _focus_first(self, view: StepView | ReviewView) -> Widget | None:
        """Focus the step's first shown control, or the step's body where that control would be out of
        sight (Review's settings, cost and command; a step that opens with its picture); returns it.

        A focused body answers the arrows, PageUp/PageDown and Home/End from the moment it shows (a
        focused button below it did not: Review's settings four screens down could not be reached);
        Tab goes on to its controls.
        """
        target: Widget | None = None
        if isinstance(view, StepView) and not view.opens_with_picture:
            for widget in view.field_widgets():
                if widget.display:
                    target = widget.focus_target()
                    break
        else:
            target = view
        if target is not None:
            # Set here rather than through Widget.focus (which asks the app to do it later), so the
            # focus styles are settled in the step's first frame, not repainted in a second one. The
            # step opens at its top (its picture or first label), not scrolled to the field.
            self.set_focus(target, scroll_visible=False)
        return target

    async def action_next(self) -> None:
        """Go on, unless this step has errors: then say why and put the cursor on the first one."""
        if self.step.key == "review":
            return
        self._collect_local_problems()
        if not self.session.can_leave():
            errors = [p for p in self.step_problems(self.step.key) if p.is_error]
            self.blocked_attempt = True
            self._show_status()
            self.app.bell()
            view = self._view()
            if isinstance(view, StepView):
                widget = view.field_widget(errors[0].field) or self._widget_for(view, errors[0].field)
                if widget is not None:
                    await view.reveal(widget)
            return
        self.wizard.autosave(STEP_KEYS[self.current + 1])
        await self.go_to(self.current + 1)

    async def action_back(self) -> None:
        """One step back (nothing is lost)."""
        if self.current > 0:
            await self.go_to(self.current - 1)

    async def jump(self, key: str, focus_path: str | None = None) -> None:
        """Jump to a reached step (from the step list, the palette or a Review problem)."""
        index = STEP_KEYS.index(key)
        if not self.session.may_jump(key):
            self.notify(messages.JUMP_NOT_REACHED.format(title=STEPS[index].title), severity="warning")
            return
        await self.go_to(index, focus_path)

    def action_toggle_help(self) -> None:
        """Show or hide the step explanations and the per-field help lines."""
        self.toggle_class("-no-help")
        for field_widget in self.query(FieldWidget):
            field_widget.show_notes()  # a line saying its choices are loading stays

    def action_save_preset(self) -> None:
        """Ask for a name and save the answers as a preset."""
        self.wizard.action_save_preset()

    def action_retry(self) -> None:
        """Reconnect if the connection failed, else reload this step's choices."""
        if self.wizard.gateway is None:
            self.wizard.open_gateway()
        else:
            self.load_choices()
            self.load_facts()

    @on(Button.Pressed, "#next")
    async def _next_pressed(self) -> None:
        await self.action_next()

    @on(Button.Pressed, "#back")
    async def _back_pressed(self) -> None:
        await self.action_back()

    @on(OptionList.OptionSelected, "#steps")
    async def _step_picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            await self.jump(event.option.id)

    # ----- values and problems -----

    def value_of(self, path: str) -> Any:
        """The value a field shows (the session's)."""
        return self.session.value_of(path)

    @on(FieldWidget.Edited)
    def _edited(self, event: FieldWidget.Edited) -> None:
        event.stop()
        step_field = event.field_widget.step_field
        if step_field.path == TEMPLATE_PATH:
            if event.raw:
                self.wizard.apply_template(str(event.raw))
            return
        self.session.edit(step_field.path, event.raw)
        if step_field.path == "engine.engine":  # the username and port may have followed the engine
            for key in ("instance", "network"):
                view = self.step_view(key)
                if view is not None:
                    view.load_values(self.wizard.spec)
        self.spec_changed(reload=step_field.kind not in _TYPED_KINDS)
        if step_field.path.startswith("engine.") or step_field.path == "connectivity.vpc_id":
            self.load_facts()

    @on(FieldWidget.RetryRequested)
    def _retry_requested(self, event: FieldWidget.RetryRequested) -> None:
        event.stop()
        self.action_retry()

    def spec_changed(self, reload: bool = True) -> None:
        """Re-show fields, pictures and problems after the spec changed; reload choices if asked."""
        view = self._view()
        if isinstance(view, StepView):
            view.sync(self.wizard.spec)
        self.refresh_problems()
        if reload:
            self.load_choices()

    def reload_all(self) -> None:
        """After a template or preset replaced the spec: put its values in every built step."""
        for step in STEPS:
            view = self.step_view(step.key)
            if view is not None:
                view.load_values(self.wizard.spec)
        self.spec_changed()
        self.load_facts()

    def _collect_local_problems(self) -> None:
        """Tell the session what only a widget sees (a password confirmation that differs)."""
        local: dict[str, list[Problem]] = {}
        spec = self.session.spec
        for key in STEP_KEYS:
            view = self.step_view(key)
            for widget in view.field_widgets() if view is not None else ():
                # A field the spec does not ask for (yet) may not have composed its controls.
                if widget.is_mounted and widget.step_field.is_visible(spec):
                    found = widget.local_problems()
                    if found:
                        local[widget.step_field.path] = found
        if local != self.session.local_problems:
            self.session.local_problems = local
            self.session.invalidate()

    def step_problems(self, key: str) -> list[Problem]:
        """The problems that belong to one step."""
        return self.session.step_problems(key)

    def refresh_problems(self) -> None:
        """Validate, then show each problem under its field, in the status line and in the step list."""
        self._collect_local_problems()
        self.session.invalidate()  # the spec may have changed under the session (a default picked)
        self._checked = True
        view = self._view()
        if view is not None:
            self._show_problems_in(view)
        errors = self.session.step_errors()
        try:
            # query_one, not a query's truth: that walks the whole screen (some 400 widgets) each time.
            step_list = self.query_one(StepList)
        except NoMatches:
            return  # torn down while a worker's result was on its way
        step_list.show_steps(STEP_KEYS, self.current, self.reached, errors)
        self._launch_button.disabled = any(errors.values())
        self._show_status()

    def _show_problems_in(self, view: StepView | ReviewView) -> None:
        """Each problem under its field (a step), or the whole Review."""
        if isinstance(view, StepView):
            for widget in view.field_widgets():
                widget.show_problems(self.session.field_problems(widget.step_field.path))
        else:
            self._show_review(view)

    def _show_steps(self, errors: dict[str, int]) -> None:
        self.query_one(StepList).show_steps(STEP_KEYS, self.current, self.reached, errors)

    @staticmethod
    def _widget_for(view: StepView, path: str) -> FieldWidget | None:
        for widget in view.field_widgets():
            if path.startswith(widget.step_field.path + "."):
                return widget
        return None

    def _show_status(self) -> None:
        status = self.query_one("#step-status", Static)
        text = self._status_text(self.step.key, self._view())
        if text is None:
            status.update("")
            status.display = False
            return
        status.display = True
        status.update(text)
        status.set_class(any(p.is_error for p in self.step_problems(self.step.key)), "-error")

    def _status_text(self, key: str, view: StepView | ReviewView | None) -> Text | None:
        """The status line under a step's body (None on Review, which has none)."""
        if key == "review":
            return None
        problems = self.step_problems(key)
        errors = [p for p in problems if p.is_error]
        warnings = [p for p in problems if not p.is_error]
        shown = set()
        if isinstance(view, StepView):
            shown = {w.step_field.path for w in view.field_widgets() if w.display}
        text = Text()
        if errors:
            head = messages.STEP_BLOCKED if self.blocked_attempt else messages.STEP_ERRORS
            head = head.format(problems=messages.count(len(errors), "problem"))
            text.append(f"{messages.PROBLEM_ERROR} {head}", style="bold red")
        elif warnings:
            head = messages.STEP_WARNINGS.format(warnings=messages.count(len(warnings), "warning"))
            text.append(f"{messages.PROBLEM_WARNING} {head}", style="yellow")
        else:
            text.append(f"{messages.STEP_DONE} {messages.STEP_OK}", style="green")
        # Problems no field on screen shows (e.g. a rule about a combination) are spelled out here; else
        # the first one is quoted, since its field may be scrolled out of sight.
        unshown = self.session.unshown_errors(key, shown)
        for problem in unshown or (errors or warnings)[:1]:
            glyph = messages.PROBLEM_ERROR if problem.is_error else messages.PROBLEM_WARNING
            text.append(f"\n{glyph} {problem.message}", style="red" if problem.is_error else "yellow")
        return text

    def _body_height(self, step: Step, view: StepView | ReviewView) -> int | None:
        """How tall the body of `step` will be on screen: as the body shown now, give or take the lines
        by which its help text and status line are shorter or longer than the ones shown now."""
        current = self._view()
        if current is None or not current.outer_size:
            return None
        help_line = self.query_one("#step-help", Static)
        status = self.query_one("#step-status", Static)
        help_height = 0
        if help_line.display:
            purpose = visualize(help_line, step.purpose)
            # Textual measures a widget's visual with its styles just so (Widget.get_content_height).
            help_height = purpose.get_height(cast("RulesMap", help_line.styles), help_line.size.width)
        status_text = self._status_text(step.key, view)
        status_height = 0 if status_text is None else status_text.plain.count("\n") + 1
        height = current.outer_size.height
        height += help_line.outer_size.height - min(help_height, _max_lines(help_line))
        height += status.outer_size.height - min(status_height, _max_lines(status))
        return height

    # ----- review -----

    def _show_review(self, view: ReviewView) -> None:
        view.show_review(self.session.spec, self.problems, self.session.review_rows(),
                         self.session.problem_step_numbers(), self._cli_text())

    def _cli_text(self) -> str:
        try:
            from wizard.exports import export

            return export(self.wizard.spec, "cli")
        except Exception as exc:  # an export failure must not take Review down
            return messages.REVIEW_CLI_UNAVAILABLE.format(reason=exc)

    async def on_review_view_jump_requested(self, event: ReviewView.JumpRequested) -> None:
        """Jump to the step and field of a problem picked on Review (a handler by name: Review's view is
        imported only once Review is built)."""
        await self.jump(step_for_field(event.path).key, focus_path=event.path)

    @on(Button.Pressed, "#save-preset")
    def _save_pressed(self) -> None:
        self.wizard.action_save_preset()

    @on(Button.Pressed, "#launch")
    def _launch_pressed(self) -> None:
        self.wizard.action_launch()

    # ----- choices and account facts (thread workers) -----

    def load_choices(self, key: str | None = None, start: bool = True) -> Worker[None] | None:
        """Load the choices of a built step (the one on screen by default), off the UI thread; the
        worker, if one was started (with `start` False, only say which fields are waiting)."""
        key = key or self.step.key
        view = self.step_view(key)
        if view is None:
            return None
        spec = self.wizard.spec if self.wizard.spec_loaded else None
        fields = [f for f in view.step.fields if f.source and (spec is None or f.is_visible(spec))]
        for step_field in fields:
            widget = view.field_widget(step_field.path)
            if widget is not None and widget.choices is None:
                waiting = messages.LOADING_WAIT_DEMO if self.wizard.demo else messages.LOADING_WAIT_GATEWAY
                widget.show_loading(messages.LOADING if self.wizard.gateway else waiting)
        if self.wizard.gateway is None or not fields or spec is None or not start:
            return None
        work = partial(self._choices_worker, key, fields, spec.model_copy(deep=True))
        return self.run_worker(work, thread=True, exclusive=True, group=f"choices-{key}")

    async def _prefetch_next(self) -> None:
        """Build the next step, load its choices and lay it out while the user reads this one, so Next
        is quick."""
        index = self.current + 1
        if index >= len(STEPS) or self.wizard.gateway is None or not self.is_up:
            return
        step = STEPS[index]
        if step.key not in self._views:
            view = await self._build_step(step)
            if not self.is_up:
                return
            if isinstance(view, StepView):
                view.sync(self.wizard.spec)
        view = self._views[step.key]
        loading = self.load_choices(step.key)
        if step.key not in self._laid_out and self._checked:
            # Its problems (and, for Review, everything it shows) as they would be shown on arrival, so
            # that it is laid out as it will look; an edit meanwhile is shown by Next as always.
            self._show_problems_in(view)
            async def lay_out() -> None:
                """Lay the step out unseen (see `_lay_out_unseen`)."""
                await self._lay_out_unseen(step.key, view, loading)

            # A callable, not a coroutine: a worker cancelled before it starts leaves none unawaited.
            # (Textual types it as returning Coroutine[None, None, T]; an async def's is [Any, Any, T].)
            self.run_worker(lay_out, group=f"lay-out-{step.key}", exclusive=True)  # type: ignore[arg-type]

    async def _lay_out_unseen(self, key: str, view: StepView | ReviewView,
                              loading: Worker[None] | None) -> None:
        """Lay out a step never shown, out of sight (below the screen, out of the focus chain), with its
        choices in: shown the first time, every widget in it would get its first size and the step
        its scrollbar, and each of those lays the whole screen out again (three frames, not one)."""
        if loading is not None:
            with contextlib.suppress(WorkerCancelled, WorkerFailed):
                await loading.wait()
        # A newer prefetch of this step cancelled this lay-out, or its load of the choices: laid out now,
        # the step would miss the choices that load brings, and the newer lay-out would find it done.
        if get_current_worker().is_cancelled or (loading is not None and loading.is_cancelled):
            return
        if key in self._laid_out or self._view() is view or not self.is_up:
            return
        view.can_focus_children = False
        view.styles.layer = UNSEEN_LAYER
        view.styles.offset = (0, UNSEEN_OFFSET)
        height = self._body_height(STEPS[STEP_KEYS.index(key)], view)
        if height is not None:  # the height it will have, so that its scrollbar is sized for it too
            view.styles.height = height
        view.display = True
        try:
            settled = None
            for _ in range(UNSEEN_REFRESHES):
                await self.wait_for_refresh()
                if not self.is_up:
                    return
                state = (view.size, view.virtual_size, view.show_vertical_scrollbar)
                if state == settled:
                    break
                settled = state
        finally:
            if self._view() is not view:  # else Next was pressed meanwhile: it stays on screen
                view.display = False
            self._bring_in(view)
        self._laid_out.add(key)
        # The step's widgets live as long as the screen: the cyclic collector need not scan them (nor
        # what was there before) again. A full collection over the whole app takes ~100 ms on a small
        # machine, and it fell on step changes.
        if self.wizard.freeze_gc:
            gc.freeze()

    @staticmethod
    def _bring_in(view: StepView | ReviewView) -> None:
        """Undo `_lay_out_unseen`'s placement (nothing if the step was not being laid out)."""
        if not view.can_focus_children:
            view.styles.clear_rule("offset")
            view.styles.clear_rule("layer")
            view.styles.clear_rule("height")
            view.can_focus_children = True

    def _choices_worker(self, step_key: str, fields: list[StepField], spec: Any) -> None:
        from wizard.choices import choices_for, default_choice

        worker = get_current_worker()
        gateway = self.wizard.gateway
        catalog = gateway.catalog if gateway is not None else None
        for step_field in fields:
            if worker.is_cancelled:
                return
            try:
                choices = choices_for(step_field, spec, catalog)
                default = default_choice(step_field, spec, catalog)
            except Exception as exc:  # shown to the user with a Retry
                self.app.call_from_thread(self._choices_failed, step_key, step_field, exc)
                continue
            self.app.call_from_thread(self._choices_loaded, step_key, step_field, choices, default)

    def _choices_failed(self, step_key: str, step_field: StepField, exc: BaseException) -> None:
        if not self.is_up:
            return
        from wizard.aws.errors import explain

        view = self.step_view(step_key)
        widget = view.field_widget(step_field.path) if view else None
        if widget is None:
            return
        error = explain(exc)
        widget.set_failed(messages.LOAD_FAILED.format(label=step_field.label, title=error.title,
                                                      detail=error.detail, next_step=error.next_step))

    def _choices_loaded(self, step_key: str, step_field: StepField, choices: list[Choice],
                        default: Choice | None) -> None:
        if not self.is_up:
            return
        view = self.step_view(step_key)
        widget = view.field_widget(step_field.path) if view else None
        if widget is None:
            return
        self.session.remember_choices(step_field.path, choices)
        value = self.value_of(step_field.path)
        known = {str(c.value) for c in choices}
        # A value the list does not know at all (a version of the previous engine) is replaced by the
        # default; a known but refused one stays, so its rule explains what to change.
        stale = value is not None and str(value) not in known
        if (step_field.path != TEMPLATE_PATH and step_field.kind != "multi-choice" and default is not None
                and (value is None or stale) and str(default.value) != str(value)
                and self.session.edit(step_field.path, str(default.value)) is None):
            widget.set_choices(choices, default.value)
            self.spec_changed(reload=True)
            if step_field.path.startswith("engine."):
                self.load_facts()
            return
        widget.set_choices(choices, value)

    def load_facts(self) -> None:
        """Look up what the rules may check against the account (versions, classes, subnet groups)."""
        if self.wizard.gateway is not None:
            self._facts_worker(self.wizard.spec.model_copy(deep=True))

    @work(thread=True, exclusive=True, group="facts")
    def _facts_worker(self, spec: Any) -> None:
        from wizard.choices import account_facts

        gateway = self.wizard.gateway
        if gateway is None:
            return
        try:
            facts = account_facts(spec, gateway.catalog)
        except Exception:  # without facts the rules still check everything offline
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._facts_loaded, facts)

    def _facts_loaded(self, facts: AccountFacts) -> None:
        if not self.is_up:
            return
        self.session.set_facts(facts)
        self.refresh_problems()

    def connection_failed(self, title: str) -> None:
        """Say in each waiting field why nothing loads, with a Retry that reconnects."""
        for key in STEP_KEYS:
            view = self.step_view(key)
            for widget in view.field_widgets() if view else ():
                if widget.step_field.source and widget.choices is None:
                    widget.set_failed(messages.NOT_CONNECTED.format(title=title))

    def gateway_ready(self) -> None:
        """The connection is open: load what the current step and the rules need."""
        self.load_choices()
        self.load_facts()
        self.set_timer(PREFETCH_DELAY_S, self._prefetch_next)
