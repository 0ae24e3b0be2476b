"""An Input whose editing keys take effect in the order they were typed.

Textual 8.2.8 inserts a printable key as soon as it reaches the focused Input, but runs the Input's own
key bindings (Backspace, Delete, the arrows, Home, End...) only once the key has bubbled up to the app
through every ancestor's message queue. With an ancestor busy, as the wizard's screen is while it checks
the previous keystroke's edit, a fast typist's Backspaces landed after the letters typed after them:
"dev-postgres", End, 14 x Backspace, "1bad--" became "de1b" (measured in tmux; a bare Textual app with a
4 ms Changed handler loses keys the same way).
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input


class OrderedInput(Input):
    """An Input that runs its own key bindings as each key arrives, not after the key has bubbled up."""

    async def _on_key(self, event: events.Key) -> None:
        if not event.is_printable:
            for binding in self._bindings.key_to_bindings.get(event.key, ()):
                # Priority bindings ran before the key got here; the app's own check skips them too.
                if not binding.priority and await self.app.run_action(binding.action, self):
                    event.stop()
                    event.prevent_default()
                    return
        await super()._on_key(event)
