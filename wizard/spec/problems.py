"""A problem the rules found: which setting, which rule, how to fix it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from wizard.escaping import shown

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One broken rule (an error, which blocks) or a caution (a warning, which informs).

    `field` is the spec path ("backup.window") the front ends attach the message to; `parameter` is the
    request parameter as AWS spells it ("PreferredBackupWindow"); `message` names the rule and the fix.
    All three may quote what the user wrote (an unknown key, a value), so they are kept escaped: no
    front end can print a raw control character from a problem.
    """

    field: str
    parameter: str
    message: str
    severity: Severity = "error"

    def __post_init__(self) -> None:
        for name in ("field", "parameter", "message"):
            object.__setattr__(self, name, shown(getattr(self, name)))

    @property
    def is_error(self) -> bool:
        """True when this problem blocks the create."""
        return self.severity == "error"
