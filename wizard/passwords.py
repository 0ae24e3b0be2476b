"""Finding passwords anywhere in a preset, a request or a draft, so they are refused, dropped or hidden.

One detector for every place that reads or writes such data: it walks every level (tables, lists,
lists of tables) and knows a password key in any spelling (MasterUserPassword, masteruserpassword,
master_password, Password, TdeCredentialPassword, ...). A path names where one was found, as
`extra_parameters.ProcessorFeatures[0].MasterUserPassword`; the value itself is never part of it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from wizard.escaping import shown

MASK = "********"
# Keys that end in "password" but hold a switch, not a secret.
_NOT_SECRETS = frozenset({"managemasteruserpassword"})
_SECRET_ENDINGS = ("password", "passwd")
_NOT_LETTERS = re.compile(r"[^a-z0-9]")


def is_password_key(key: object) -> bool:
    """Whether a key names a password, in any case and with or without separators."""
    folded = _NOT_LETTERS.sub("", str(key).lower())
    return folded not in _NOT_SECRETS and folded.endswith(_SECRET_ENDINGS)


def _holds_secret(key: object, value: Any) -> bool:
    # `password = true` switches something on; it is not a secret to hide.
    return is_password_key(key) and not isinstance(value, bool)


def _walk(data: Any, where: str) -> Iterator[tuple[str, Any]]:
    """(path, value) for every password in `data`, depth first, in the data's order."""
    if isinstance(data, dict):
        for key, value in data.items():
            here = f"{where}.{shown(key)}" if where else shown(key)
            if _holds_secret(key, value):
                yield here, value
            else:
                yield from _walk(value, here)
    elif isinstance(data, list):
        for index, item in enumerate(data):
            yield from _walk(item, f"{where}[{index}]")


def find_passwords(data: Any, where: str = "") -> list[str]:
    """The paths of every password in `data` (empty when there is none)."""
    return [path for path, _ in _walk(data, where)]


# Shorter values would match ordinary words in the text being masked; no message quotes a password
# anyway, masking is the second line of defence.
_MIN_MASKED = 4


def password_values(data: Any) -> list[str]:
    """The password texts in `data`, longest first (to mask them in anything printed from it)."""
    found = {str(value) for _, value in _walk(data, "")
             if value is not None and len(str(value)) >= _MIN_MASKED}
    return sorted(found, key=len, reverse=True)


def _rebuilt(data: Any, replace: bool) -> Any:
    if isinstance(data, dict):
        return {key: (MASK if replace else None) if _holds_secret(key, value) else _rebuilt(value, replace)
                for key, value in data.items() if replace or not _holds_secret(key, value)}
    if isinstance(data, list):
        return [_rebuilt(item, replace) for item in data]
    return data


def without_passwords(data: Any) -> Any:
    """A copy of `data` with every password entry removed, at every level."""
    return _rebuilt(data, replace=False)


def masked(data: Any) -> Any:
    """A copy of `data` with every password value replaced by MASK (the keys stay, for the rules)."""
    return _rebuilt(data, replace=True)


def mask_text(text: str, values: list[str]) -> str:
    """`text` with each of these password values replaced by MASK."""
    for value in values:
        text = text.replace(value, MASK)
    return text


def refusal(what: str, paths: list[str]) -> str:
    """The sentence refusing a preset or draft that holds passwords, naming where (never the value)."""
    where = ", ".join(f"'{path}'" for path in paths[:5]) + (f" and {len(paths) - 5} more"
                                                            if len(paths) > 5 else "")
    return (f"{what} contains a password ({where}): presets and drafts never hold passwords. Remove "
            f"{'that entry' if len(paths) == 1 else 'those entries'}; use Secrets Manager, or give the "
            "password when launching (RDS_WIZARD_MASTER_PASSWORD).")
