"""Presets: a whole set of answers to the wizard, as TOML files (the format is in presets/README.md).

Built-in presets live beside this module; presets a user saves live in `wizard.paths.user_presets_dir()`.
A preset never holds a password: the loader refuses a file with one, and the saver never writes it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from wizard.spec.model import DatabaseSpec
from wizard.spec.request import SECRET_PARAMETERS

BUILTIN_DIR = Path(__file__).resolve().parent
SUFFIX = ".toml"
# Keys that would hold a password, refused wherever they appear in a preset.
_PASSWORD_KEYS = frozenset({"master_password", "master_user_password", "password", *SECRET_PARAMETERS})


class PresetError(ValueError):
    """A preset that cannot be found, read or used; the message says which file and what to do."""


@dataclass(frozen=True)
class PresetInfo:
    """A preset as the lists show it."""

    name: str
    title: str
    description: str
    path: Path
    builtin: bool = True


def _user_dir() -> Path:
    from wizard.paths import user_presets_dir

    return user_presets_dir()


def _is_path(name_or_path: str | Path) -> bool:
    text = str(name_or_path)
    return isinstance(name_or_path, Path) or "/" in text or "\\" in text or text.endswith(SUFFIX)


def _names(directory: Path) -> list[str]:
    return sorted(p.stem for p in directory.glob(f"*{SUFFIX}")) if directory.is_dir() else []


def builtin_names() -> list[str]:
    """The names of the built-in presets."""
    return _names(BUILTIN_DIR)


def resolve_preset(name_or_path: str | Path) -> Path:
    """The file a preset name (built-in first, then the user's) or path refers to."""
    if _is_path(name_or_path):
        path = Path(name_or_path).expanduser()
        if not path.is_file():
            raise PresetError(f"Preset file {path} does not exist: check the path.")
        return path
    name = str(name_or_path)
    for directory in (BUILTIN_DIR, _user_dir()):
        candidate = directory / f"{name}{SUFFIX}"
        if candidate.is_file():
            return candidate
    available = builtin_names() + [n for n in _names(_user_dir()) if n not in builtin_names()]
    raise PresetError(f"No preset named '{name}'. Available presets: {', '.join(available)} "
                      "(or give a path to a .toml file).")


def _find_password(data: Any, where: str = "") -> str | None:
    if isinstance(data, dict):
        for key, value in data.items():
            here = f"{where}.{key}" if where else str(key)
            if key in _PASSWORD_KEYS:
                return here
            found = _find_password(value, here)
            if found:
                return found
    return None


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise PresetError(f"Preset file {path} cannot be read: {exc.strerror or exc}.") from exc
    except tomllib.TOMLDecodeError as exc:
        raise PresetError(f"Preset file {path} is not valid TOML: {exc}.") from exc


def spec_from_preset_data(data: dict[str, Any], source: str) -> DatabaseSpec:
    """The spec a preset's parsed TOML describes; PresetError naming `source` and the bad key."""
    password_key = _find_password(data)
    if password_key is not None:
        raise PresetError(f"Preset {source} contains a password ('{password_key}'): presets never hold "
                          "passwords. Remove that line; use Secrets Manager, or give the password when "
                          "launching (RDS_WIZARD_MASTER_PASSWORD).")
    body = {k: v for k, v in data.items() if k != "preset"}
    try:
        return DatabaseSpec.model_validate(body)
    except ValidationError as exc:
        details = []
        for error in exc.errors():
            key = ".".join(str(part) for part in error["loc"])
            if error["type"] == "extra_forbidden":
                details.append(f"unknown key '{key}'")
            else:
                details.append(f"'{key}': {str(error['msg']).lower()}")
        raise PresetError(f"Preset {source}: {'; '.join(details)}. See presets/README.md for the keys "
                          "a preset may have.") from exc


def load_preset(name_or_path: str | Path) -> DatabaseSpec:
    """The spec a preset describes, by built-in name, saved name or path."""
    path = resolve_preset(name_or_path)
    return spec_from_preset_data(_read(path), str(path))


def preset_info(path: Path, builtin: bool) -> PresetInfo:
    """A preset's name, title and description (from its [preset] table)."""
    try:
        meta = _read(path).get("preset", {})
    except PresetError:
        meta = {"title": path.stem, "description": "(this file cannot be read)"}
    if not isinstance(meta, dict):
        meta = {}
    return PresetInfo(name=path.stem, title=str(meta.get("title", path.stem)),
                      description=str(meta.get("description", "")), path=path, builtin=builtin)


def list_presets() -> list[PresetInfo]:
    """The built-in presets, then those the user saved (a saved one never hides a built-in)."""
    infos = [preset_info(BUILTIN_DIR / f"{name}{SUFFIX}", builtin=True) for name in builtin_names()]
    builtin = {info.name for info in infos}
    user_dir = _user_dir()
    infos += [preset_info(user_dir / f"{name}{SUFFIX}", builtin=False)
              for name in _names(user_dir) if name not in builtin]
    return infos


def preset_data(spec: DatabaseSpec, title: str = "", description: str = "") -> dict[str, Any]:
    """The TOML-ready content of a preset for this spec: no password, no unset values."""
    body = spec.model_dump(mode="json", exclude_none=True)
    body["extra_parameters"] = {k: v for k, v in body.get("extra_parameters", {}).items()
                                if k not in _PASSWORD_KEYS and v is not None}
    for key in ("tags", "extra_parameters"):
        if not body.get(key):
            body.pop(key, None)
    meta = {"title": title, "description": description} if title or description else {}
    return ({"preset": meta} if meta else {}) | body


def save_preset(spec: DatabaseSpec, name_or_path: str | Path, title: str = "", description: str = "") -> Path:
    """Write the spec as a preset (a name goes to the user's presets folder); returns the file."""
    import tomli_w

    if _is_path(name_or_path):
        path = Path(name_or_path).expanduser()
    else:
        name = str(name_or_path)
        if not name or any(c in name for c in "/\\.") or name.startswith("-"):
            raise PresetError(f"Preset name '{name}' cannot be a file name: use letters, digits and hyphens.")
        if name in builtin_names():
            raise PresetError(f"'{name}' is a built-in preset: save yours under another name.")
        path = _user_dir() / f"{name}{SUFFIX}"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = tomli_w.dumps(preset_data(spec, title or path.stem, description))
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise PresetError(f"Preset file {path} cannot be written: {exc.strerror or exc}.") from exc
    return path
