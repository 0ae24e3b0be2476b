"""A problem the rules found: which setting, which rule, how to fix it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One broken rule (an error, which blocks) or a caution (a warning, which informs).

    `field` is the spec path ("backup.window") the front ends attach the message to; `parameter` is the
    request parameter as AWS spells it ("PreferredBackupWindow"); `message` names the rule and the fix.
    """

    field: str
    parameter: str
    message: str
    severity: Severity = "error"

    @property
    def is_error(self) -> bool:
        """True when this problem blocks the create."""
        return self.severity == "error"
