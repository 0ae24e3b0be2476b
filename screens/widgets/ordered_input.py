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

    async def _on_key(self, event: events.Key) -> None:
        focused = self.app.focused
        if focused is not None and focused is not self:
            # The app hands each key to the widget focused when it reads it; an earlier key in the same
            # burst (Tab, Enter) has moved the focus on since: the key belongs there.
            event.stop()
            event.prevent_default()
            focused.post_message(events.Key(event.key, event.character))
            return
        # The app's (private) check of the bindings from the focused widget up, as it runs them for a key
        # that bubbled up to it.
        if event.key in FOCUS_KEYS and await self.app._check_bindings(event.key):
            event.stop()
            event.prevent_default()
            return
        if not event.is_printable:
            for binding in self._bindings.key_to_bindings.get(event.key, ()):
                # Priority bindings ran before the key got here; the app's own check skips them too.
                if not binding.priority and await self.app.run_action(binding.action, self):
                    event.stop()
                    event.prevent_default()
                    return
        await super()._on_key(event)
