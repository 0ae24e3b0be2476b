"""An Input whose editing keys take effect in the order they were typed.

Textual 8.2.8 inserts a printable key as soon as it reaches the focused Input, but runs the Input's own
key bindings (Backspace, Delete, the arrows, Home, End...) only once the key has bubbled up to the app
through every ancestor's message queue. With an ancestor busy, as the wizard's screen is while it checks
the previous keystroke's edit, a fast typist's Backspaces landed after the letters typed after them:
"dev-postgres", End, 14 x Backspace, "1bad--" became "de1b" (measured in tmux; a bare Textual app with a
4 ms Changed handler loses keys the same way). Tab is the same: bound on the screen, it moved the focus
only after the letters typed after it had gone into the field it was leaving ("short", Tab, "shorter"
gave one password "shortshorter"), as a password manager's auto-type or a fast typist sends them.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input

# Keys whose bindings only move the focus (synchronously), so they are safe to run from here.
FOCUS_KEYS = frozenset({"tab", "shift+tab"})


class OrderedInput(Input):
    """An Input that runs its own key bindings, and Tab's, as each key arrives, not after the key has
    bubbled up."""

    async def on_key(self, event: events.Key) -> None:
        """Run the key's binding here when it is Tab's or one of this Input's own (not a printable key);
        hand a key that arrived after the focus moved on to the widget focused now. Anything else goes
        on to Input's own key handling (this handler runs before it)."""
        focused = self.app.focused
        if focused is not None and focused is not self:
            # The app hands each key to the widget focused when it reads it; an earlier key in the same
            # burst (Tab, Enter) has moved the focus on since: the key belongs there.
            event.stop()
            event.prevent_default()
            focused.post_message(events.Key(event.key, event.character))
            return
        if event.key not in FOCUS_KEYS and event.is_printable:
            return
        # The binding the app would run for this key once it bubbled up: from the focused widget up.
        active = self.screen.active_bindings.get(event.key)
        if active is None or active.binding.priority or not active.enabled:
            return  # priority bindings ran before the key got here
        if (event.key in FOCUS_KEYS or active.node is self) and await self.app.run_action(
                active.binding.action, active.node):
            event.stop()
            event.prevent_default()
