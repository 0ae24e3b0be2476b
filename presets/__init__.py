"""Presets: a whole set of answers to the wizard, as TOML files (the format is in presets/README.md).

Built-in presets live beside this module; presets a user saves live in `wizard.paths.user_presets_dir()`.
A preset never holds a password: the loader refuses a file with one, and the saver never writes it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from wizard.escaping import shown
from wizard.passwords import find_passwords, refusal, without_passwords
from wizard.spec.model import DatabaseSpec
from wizard.textfiles import STDIN, UnreadableFile, parse_toml, read_text_bounded

BUILTIN_DIR = Path(__file__).resolve().parent
SUFFIX = ".toml"


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
    # Why the file cannot be used ("is not valid TOML (...)"); empty for a good preset.
    broken: str = ""


def _user_dir() -> Path:
    from wizard.paths import user_presets_dir

    return user_presets_dir()


def _is_path(name_or_path: str | Path) -> bool:
    text = str(name_or_path)
    return isinstance(name_or_path, Path) or text == STDIN or "/" in text or "\\" in text \
        or text.endswith(SUFFIX)


def _names(directory: Path) -> list[str]:
    # Every entry named *.toml, whatever it is: the reader refuses a folder or a pipe with a reason,
    # where skipping it would leave the user wondering where their preset went.
    return sorted(p.stem for p in directory.glob(f"*{SUFFIX}")) if directory.is_dir() else []


def builtin_names() -> list[str]:
    """The names of the built-in presets."""
    return _names(BUILTIN_DIR)


def resolve_preset(name_or_path: str | Path) -> Path:
    """The file a preset name (built-in first, then the user's) or path refers to."""
    if _is_path(name_or_path):
        # The reader says what a path that is there but not a regular file is (a folder, a pipe, ...).
        path = Path(name_or_path).expanduser()
        if str(name_or_path) != STDIN and not os.path.lexists(path):
            raise PresetError(f"Preset file {shown(path)} does not exist: check the path.")
        return path
    name = str(name_or_path)
    for directory in (BUILTIN_DIR, _user_dir()):
        candidate = directory / f"{name}{SUFFIX}"
        if os.path.lexists(candidate):
            return candidate
    available = builtin_names() + [n for n in _names(_user_dir()) if n not in builtin_names()]
    raise PresetError(f"No preset named '{shown(name)}'. Available presets: {shown(', '.join(available))} "
                      "(or give a path to a .toml file).")


def _read(path: Path) -> dict[str, Any]:
    try:
        return parse_toml(read_text_bounded(path), path)
    except UnreadableFile as exc:
        raise PresetError(f"Preset file {exc}.") from exc


def spec_from_preset_data(data: dict[str, Any], source: str) -> DatabaseSpec:
    """The spec a preset's parsed TOML describes; PresetError naming `source` and the bad key."""
    passwords = find_passwords(data)
    if passwords:
        raise PresetError(refusal(f"Preset {shown(source)}", passwords))
    body = {k: v for k, v in data.items() if k != "preset"}
    try:
        return DatabaseSpec.model_validate(body)
    except ValidationError as exc:
        details = []
        for error in exc.errors():
            key = shown(".".join(str(part) for part in error["loc"]))
            if error["type"] == "extra_forbidden":
                details.append(f"unknown key '{key}'")
            else:
                details.append(f"'{key}': {shown(str(error['msg']).lower())}")
        raise PresetError(f"Preset {shown(source)}: {'; '.join(details)}. See presets/README.md for the keys "
                          "a preset may have.") from exc


def load_preset(name_or_path: str | Path) -> DatabaseSpec:
    """The spec a preset describes, by built-in name, saved name or path."""
    path = resolve_preset(name_or_path)
    return spec_from_preset_data(_read(path), str(path))


def preset_info(path: Path, builtin: bool) -> PresetInfo:
    """A preset's name, title and description (from its [preset] table), or why it is broken.

    Every text is escaped: a list shows what is in the file, never lets it drive the terminal.
    """
    name = shown(path.stem)
    try:
        data = _read(path)
        passwords = find_passwords(data)
        if passwords:
            raise PresetError(refusal("", passwords).lstrip())
    except PresetError as exc:
        reason = str(exc).removeprefix(f"Preset file {shown(path)} ").removesuffix(".")
        return PresetInfo(name=name, title=name, description=f"(broken: {reason})", path=path,
                          builtin=builtin, broken=reason)
    meta = data.get("preset", {})
    if not isinstance(meta, dict):
        meta = {}
    return PresetInfo(name=name, title=shown(meta.get("title", name)),
                      description=shown(meta.get("description", "")), path=path, builtin=builtin)


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
    body: dict[str, Any] = without_passwords(spec.model_dump(mode="json", exclude_none=True))
    body["extra_parameters"] = {k: v for k, v in body.get("extra_parameters", {}).items() if v is not None}
    for key in ("tags", "extra_parameters"):
        if not body.get(key):
            body.pop(key, None)
    meta = {"title": title, "description": description} if title or description else {}
    return ({"preset": meta} if meta else {}) | body


def save_preset(spec: DatabaseSpec, name_or_path: str | Path, title: str = "", description: str = "") -> Path:
    """Write the spec as a preset (a name goes to the user's presets folder); returns the file."""
    import tomli_w

    if str(name_or_path) == STDIN:
        raise PresetError("A preset cannot be saved to standard input: give a name or a file path.")
    if _is_path(name_or_path):
        path = Path(name_or_path).expanduser()
    else:
        name = str(name_or_path)
        if not name or any(c in name for c in "/\\.") or name.startswith("-"):
            raise PresetError(f"Preset name '{shown(name)}' cannot be a file name: use letters, digits and "
                              "hyphens.")
        if name in builtin_names():
            raise PresetError(f"'{shown(name)}' is a built-in preset: save yours under another name.")
        path = _user_dir() / f"{name}{SUFFIX}"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = tomli_w.dumps(preset_data(spec, title or path.stem, description))
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise PresetError(f"Preset file {shown(path)} cannot be written: {exc.strerror or exc}.") from exc
    return path
