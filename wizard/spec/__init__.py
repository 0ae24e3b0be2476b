"""The spec: the one model of the database to create, its rules, and its mapping to AWS requests.

The names below are loaded on first use: importing a light module of this package (the step data, the
engine tables) must not import pydantic, so the wizard's first screen paints before the model loads.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wizard.spec.model import DatabaseSpec
    from wizard.spec.problems import Problem, Severity

__all__ = ["DatabaseSpec", "Problem", "Severity"]

_HOMES = {"DatabaseSpec": "wizard.spec.model", "Problem": "wizard.spec.problems",
          "Severity": "wizard.spec.problems"}


def __getattr__(name: str) -> Any:
    """Load `DatabaseSpec`, `Problem` or `Severity` from its module when first asked for."""
    if name in _HOMES:
        return getattr(import_module(_HOMES[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
