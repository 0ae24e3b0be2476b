"""Values as text, and the engine step's defaults, without importing the model (pydantic).

The wizard's first screen is the engine step. It paints from here, and the model (about a tenth of a
second of imports) loads right after that first frame; `tests/unit/test_spec_values.py` holds
`ENGINE_STEP_DEFAULTS` equal to what `DatabaseSpec()` says.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

PASSWORD_MASK = "********"

# The engine step's fields as a new `DatabaseSpec()` holds them (the template lives beside the spec).
ENGINE_STEP_DEFAULTS: Mapping[str, Any] = MappingProxyType({
    "engine.engine": "postgres",
    "engine.version": None,
    "engine.license_model": None,
})


def format_value(value: Any) -> str:
    """A value as the text a user would type for it ('' for nothing); a password shows as a mask."""
    if value is None:
        return ""
    if hasattr(value, "get_secret_value"):  # pydantic's SecretStr, told apart without importing it
        return PASSWORD_MASK
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in value.items())
    return str(value)
