"""Reading and writing one setting of the spec by its path ("backup.window"), from text a user typed.

Both front ends hand what the user typed to `set_value`, which parses it into the field's type
(whole numbers, optional fields where empty means "not set", toggles, comma lists, tags as
`k=v,k2=v2`). A parse failure comes back as a Problem naming the setting and the expected form, and the
spec is left as it was. `display_value` gives text that `set_value` reads back to the same value, and
never shows a password.
"""

from __future__ import annotations

import types
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, SecretStr, ValidationError

from wizard.spec.model import DatabaseSpec
from wizard.spec.problems import Problem
from wizard.spec.request import parameter_for
from wizard.spec.values import format_value

_TRUE = frozenset({"yes", "y", "true", "on", "1", "enabled", "enable"})
_FALSE = frozenset({"no", "n", "false", "off", "0", "disabled", "disable"})


def _resolve(spec: DatabaseSpec, path: str) -> tuple[BaseModel, str]:
    """The model that holds a path's last part, and that part; KeyError for a path the spec lacks."""
    *parents, last = path.split(".")
    obj: Any = spec
    for part in parents:
        if not isinstance(obj, BaseModel) or part not in type(obj).model_fields:
            raise KeyError(path)
        obj = getattr(obj, part)
    if not isinstance(obj, BaseModel) or last not in type(obj).model_fields:
        raise KeyError(path)
    return obj, last


def _annotation(model: BaseModel, name: str) -> tuple[Any, bool]:
    """A field's type without None, and whether None is allowed."""
    annotation = type(model).model_fields[name].annotation
    origin = get_origin(annotation)
    if origin is Union or origin is types.UnionType:
        args = [a for a in get_args(annotation) if a is not type(None)]
        return (args[0] if len(args) == 1 else annotation), len(args) < len(get_args(annotation))
    return annotation, False


def get_value(spec: DatabaseSpec, path: str) -> Any:
    """The current value of a setting; KeyError for a path the spec does not have."""
    model, name = _resolve(spec, path)
    return getattr(model, name)


def _label(path: str) -> str:
    from wizard.steps import STEPS  # steps imports the model; imported here to keep the layers apart

    for step in STEPS:
        for field in step.fields:
            if field.path == path:
                return field.label
    return path


def _parse(text: str, kind: Any, optional: bool) -> Any:
    """Turn typed text into a value of `kind`; ValueError with the expected form when it does not fit."""
    stripped = text.strip()
    if kind is SecretStr:
        return SecretStr(text) if text else None
    if optional and stripped == "":
        return None
    if kind is bool:
        lowered = stripped.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ValueError("answer yes or no")
    if kind is int:
        cleaned = stripped.replace(",", "").replace("_", "")
        if not cleaned.lstrip("-").isdigit():
            raise ValueError("enter a whole number" + (", or leave it empty" if optional else ""))
        return int(cleaned)
    if get_origin(kind) is Literal:
        choices = [str(c) for c in get_args(kind)]
        for choice in choices:
            if stripped.lower() == choice.lower():
                return choice
        raise ValueError(f"choose one of {', '.join(choices)}")
    if get_origin(kind) is list:
        return [item.strip() for item in stripped.split(",") if item.strip()]
    if get_origin(kind) is dict:
        return _parse_tags(stripped)
    return stripped


def _parse_tags(text: str) -> dict[str, str]:
    tags: dict[str, str] = {}
    for item in text.split(","):
        if not item.strip():
            continue
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"'{item.strip()}' is not key=value: write tags as key=value pairs separated by "
                             "commas (Name=orders,team=payments)")
        tags[key.strip()] = value.strip()
    return tags


def set_value(spec: DatabaseSpec, path: str, raw: Any) -> Problem | None:
    """Set a setting from what the user typed (or an already typed value: a toggle's bool, a list).

    Returns a Problem naming the setting and the expected form when the input does not parse, and then
    leaves the spec unchanged. KeyError for a path the spec does not have (a programming error).
    A new engine also brings its defaults to a username and port left at the old engine's.
    """
    model, name = _resolve(spec, path)
    kind, optional = _annotation(model, name)
    label = _label(path)
    old_engine = spec.engine.engine
    try:
        value = _parse(raw, kind, optional) if isinstance(raw, str) else raw
        setattr(model, name, value)
    except ValueError as exc:  # pydantic's ValidationError is a ValueError too
        reason = _validation_reason(exc) if isinstance(exc, ValidationError) else str(exc)
        shown = "" if kind is SecretStr else f" '{raw}'"
        return Problem(field=path, parameter=parameter_for(path, spec),
                       message=f"{label}{shown} was not understood: {reason}.")
    if path == "engine.engine":
        _follow_engine_defaults(spec, old_engine)
    return None


def _follow_engine_defaults(spec: DatabaseSpec, old_engine: str) -> None:
    """A username or port left at the old engine's default follows the new engine's default."""
    from wizard.spec.engines import ENGINES

    old, new = ENGINES.get(old_engine), ENGINES.get(spec.engine.engine)
    if old is None or new is None or old is new:
        return
    if spec.settings.master_username == old.default_username:
        spec.settings.master_username = new.default_username
    if spec.connectivity.port == old.default_port:
        spec.connectivity.port = None


def _validation_reason(exc: ValidationError) -> str:
    errors = exc.errors()
    return str(errors[0]["msg"]).rstrip(".").lower() if errors else "the value does not fit this setting"


def display_value(spec: DatabaseSpec, path: str) -> str:
    """A setting as text `set_value` reads back to the same value; a password shows as a mask."""
    return format_value(get_value(spec, path))
