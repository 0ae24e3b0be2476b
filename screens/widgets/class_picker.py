"""The DB instance class picker: type to filter, classes grouped by family (standard, memory, burstable)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from screens import messages
from screens.widgets.quiet import laid_out_virtual_size
from screens.widgets.quiet_input import QuietInput
from screens.widgets.quiet_lists import QuietOptionList

if TYPE_CHECKING:
    from wizard.choices import Choice

# Enough to scroll through; more only slows each keystroke, and typing narrows the list anyway.
MAX_SHOWN = 60
_GROUP_ORDER = ("standard", "memory optimized", "burstable")


class _FilterInput(QuietInput):
    """The filter box; the list follows its text in the same frame as the text itself.

    Filtering on `Input.Changed` let the screen draw the typed character first and the new list one frame
    later: Textual draws at most one frame per 1/60 s tick and, after a pause, waits one to two ticks for
    the next, so every keystroke cost two frames and some 17-33 ms. The watcher runs as the value is set,
    before the box's own repaint reaches the screen, so both are drawn together.
    """

    def watch_value(self, value: str) -> None:
        """Refilter the picker's list as the text changes."""
        picker = self.parent
        if isinstance(picker, ClassPicker) and picker.is_mounted:
            picker._refilter(value)


class ClassPicker(Vertical):
    """A filter box over a grouped list of instance classes; posts `Picked` when one is chosen."""

    virtual_size: Reactive[Size] = laid_out_virtual_size()

    class Picked(Message):
        """The user chose a class."""

        def __init__(self, picker: ClassPicker, value: str) -> None:
            super().__init__()
            self.picker = picker
            self.value = value

        @property
        def control(self) -> ClassPicker:
            """The picker that sent this."""
            return self.picker

    def __init__(self, value: str | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="class-picker")
        self.value = value
        self._choices: list[Choice] = []
        self._keyed: list[tuple[str, Choice]] = []
        # The matches of the text typed so far and of each shorter text it was typed through: each is a
        # subset of the one before, so a key typed filters the last matches, and a backspace finds them.
        self._narrowed: list[tuple[str, list[tuple[str, Choice]]]] = []
        self._option_cache: dict[str, Option] = {}
        self._hidden: list[Choice] = []
        self._status_text = ""

    def compose(self) -> ComposeResult:
        """The filter, the list and a status line."""
        yield _FilterInput(placeholder=messages.CLASS_FILTER_PLACEHOLDER, compact=True,
                           classes="class-filter")
        yield QuietOptionList(compact=True, classes="class-options")
        yield Static("", classes="class-status")

    def set_choices(self, choices: Sequence[Choice]) -> None:
        """Replace the classes offered; those with a disabled reason are hidden and counted."""
        self._choices = [c for c in choices if not c.disabled_reason]
        self._hidden = [c for c in choices if c.disabled_reason]
        self._keyed = [(f"{c.value} {c.label} {c.description} {c.group}".lower(), c) for c in self._choices]
        self._narrowed = []
        self._option_cache = {}
        self._refilter(self.query_one(".class-filter", Input).value)

    def select(self, value: str | None) -> None:
        """Show `value` as the chosen class without posting a message."""
        self.value = value
        self._update_status()
        self._highlight_value()

    def _matches(self, text: str) -> list[Choice]:
        text = text.lower()
        narrowed = self._narrowed
        while narrowed and not text.startswith(narrowed[-1][0]):
            narrowed.pop()
        if not narrowed or narrowed[-1][0] != text:
            # Every word of a shorter text is part of a word of this one: only its matches can match.
            keyed = narrowed[-1][1] if narrowed else self._keyed
            for word in text.split():
                keyed = [pair for pair in keyed if word in pair[0]]
            narrowed.append((text, keyed))
        return [choice for _, choice in narrowed[-1][1]]

    def _option(self, choice: Choice) -> Option:
        # One Option per class, kept while the choices stay: its text is built and measured once.
        value = str(choice.value)
        option = self._option_cache.get(value)
        if option is None:
            prompt = Text(f"  {choice.value:<18}", style="bold")
            prompt.append(choice.description)
            option = self._option_cache[value] = Option(prompt, id=value)
        return option

    def _heading(self, group: str) -> Option:
        key = f"\0{group}"  # not a class name
        option = self._option_cache.get(key)
        if option is None:
            option = self._option_cache[key] = Option(Text(group.capitalize(), style="bold underline"),
                                                 disabled=True)
        return option

    def _refilter(self, text: str) -> None:
        matches = self._matches(text)
        groups: dict[str, list[Choice]] = {}
        for choice in matches[:MAX_SHOWN]:
            groups.setdefault(choice.group or "", []).append(choice)
        order = sorted(groups, key=lambda g: (_GROUP_ORDER.index(g) if g in _GROUP_ORDER else 99, g))
        options: list[Option] = []
        for group in order:
            if group:
                options.append(self._heading(group))
            options.extend(self._option(choice) for choice in groups[group])
        if len(matches) > MAX_SHOWN:
            options.append(Option(Text(f"… {len(matches) - MAX_SHOWN} more: keep typing", style="dim"),
                                  disabled=True))
        if not matches and text:
            none = Text(messages.CLASS_NONE_MATCH.format(text=text), style="dim")
            options.append(Option(none, disabled=True))
        option_list = self.query_one(".class-options", QuietOptionList)
        option_list.set_options(options)
        self._highlight_value()
        self._update_status()

    def _highlight_value(self) -> None:
        option_list = self.query_one(".class-options", OptionList)
        if self.value:
            try:
                option_list.highlighted = option_list.get_option_index(self.value)
                return
            except Exception:  # the chosen class is filtered out: highlight nothing special
                pass
        for index in range(option_list.option_count):
            if not option_list.get_option_at_index(index).disabled:
                option_list.highlighted = index
                return

    def _update_status(self) -> None:
        parts = [messages.CLASS_SELECTED.format(value=self.value or "-")]
        if self._hidden:
            reasons = sorted({c.disabled_reason or "" for c in self._hidden})
            parts.append(messages.CLASS_HIDDEN.format(count=len(self._hidden), reason="; ".join(reasons)))
        text = "  ·  ".join(parts)
        if text != self._status_text:  # an unchanged line would still cost the screen a layout
            self._status_text = text
            self.query_one(".class-status", Static).update(text)

    @on(Input.Changed, ".class-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()  # already filtered by the box's watcher

    @on(Input.Submitted, ".class-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        option_list = self.query_one(".class-options", OptionList)
        if option_list.highlighted is not None:
            option = option_list.get_option_at_index(option_list.highlighted)
            if option.id is not None:
                self._pick(option.id)

    @on(OptionList.OptionHighlighted, ".class-options")
    def _option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()  # nothing above listens: each key's new list would send it up through eight widgets

    @on(OptionList.OptionSelected, ".class-options")
    def _option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self._pick(event.option.id)

    def _pick(self, value: str) -> None:
        self.value = value
        self._update_status()
        self.post_message(self.Picked(self, value))

    def key_down(self) -> None:
        """Down in the filter box moves into the list."""
        option_list = self.query_one(".class-options", OptionList)
        if self.query_one(".class-filter", Input).has_focus:
            # At once (Widget.focus waits for the app's queue): an Enter typed right after must pick.
            self.screen.set_focus(option_list)
