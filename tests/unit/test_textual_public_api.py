"""The TUI and the tests use Textual through its public API only (issue 13).

A private Textual use is an import from a Textual module any of whose dotted parts starts with `_`, or any
use, override or definition of a name starting with a single `_` that Textual itself defines as a member
of one of its classes. The private names are read from the installed Textual's source, so a release that
adds one is checked against at once. A private name of our own that is also Textual's is flagged too: on
a Textual class it would override Textual's by accident.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import textual

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("screens", "tests")

# Prefixes of the methods Textual calls by name for a reactive `x` (`watch_x`...): with a private
# reactive `_x` they are `watch__x`, a use of `_x`.
REACTIVE_HOOKS = ("watch_", "validate_", "compute_")
NAME_CALLS = frozenset({"getattr", "setattr", "hasattr", "delattr"})


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__") and len(name) > 1


def _class_members(tree: ast.Module) -> Iterator[str]:
    """The private member names that the classes of a module define: methods and class attributes in a
    class body, and `self._x` / `cls._x` assigned anywhere in it."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.ClassDef):
            continue
        for item in node.body:
            if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                yield item.name
            elif isinstance(item, ast.Assign):
                yield from (target.id for target in item.targets if isinstance(target, ast.Name))
            elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                yield item.target.id
        for inner in ast.walk(node):
            if (isinstance(inner, ast.Attribute) and isinstance(inner.ctx, ast.Store)
                    and isinstance(inner.value, ast.Name) and inner.value.id in ("self", "cls")):
                yield inner.attr


@cache
def textual_private_members() -> frozenset[str]:
    """Every private member name defined on a class in the installed Textual package."""
    names: set[str] = set()
    for path in Path(textual.__file__).parent.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        names.update(name for name in _class_members(tree) if _is_private(name))
    return frozenset(names)


def _private_textual_module(module: str) -> bool:
    parts = module.split(".")
    return parts[0] == "textual" and any(_is_private(part) for part in parts)


def private_uses(source: str, private: frozenset[str]) -> list[tuple[int, str]]:
    """(line, what) for each private Textual use in `source`."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, f"import {alias.name}") for alias in node.names
                         if _private_textual_module(alias.name))
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if _private_textual_module(node.module):
                found.append((node.lineno, f"from {node.module} import"))
            elif node.module.split(".")[0] == "textual":
                found.extend((node.lineno, f"from {node.module} import {alias.name}")
                             for alias in node.names if _is_private(alias.name))
        elif isinstance(node, ast.Attribute) and node.attr in private:
            found.append((node.lineno, f".{node.attr}"))
        elif isinstance(node, ast.Call) and _called_name(node) in NAME_CALLS:
            # getattr(obj, "_x"), monkeypatch.setattr(obj, "_x", ...) or ("module.Class._x", ...)
            for arg in node.args[:2]:
                if (isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                        and arg.value.rsplit(".", 1)[-1] in private):
                    found.append((node.lineno, f"{_called_name(node)}(..., {arg.value!r})"))
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                for line, name in _defined_names(item):
                    hooked = next((name[len(hook):] for hook in REACTIVE_HOOKS
                                   if name.startswith(hook + "_")), None)
                    if name in private or hooked in private:
                        found.append((line, f"defines {name} in class {node.name}"))
    return sorted(found)


def _called_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def _defined_names(item: ast.stmt) -> Iterator[tuple[int, str]]:
    if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
        yield item.lineno, item.name
    elif isinstance(item, ast.Assign):
        yield from ((item.lineno, t.id) for t in item.targets if isinstance(t, ast.Name))
    elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
        yield item.lineno, item.target.id


def _scanned_files() -> Iterator[Path]:
    for folder in SCANNED:
        yield from sorted((ROOT / folder).rglob("*.py"))


def test_screens_and_tests_use_no_private_textual_module_or_member() -> None:
    private = textual_private_members()
    uses = []
    for path in _scanned_files():
        relative = path.relative_to(ROOT).as_posix()
        uses.extend(f"{relative}:{line}: {what}"
                    for line, what in private_uses(path.read_text(encoding="utf-8"), private))
    assert not uses, "private Textual uses (see tests/unit/test_textual_public_api.py):\n" + "\n".join(uses)


def test_private_members_are_read_from_the_installed_textual() -> None:
    private = textual_private_members()
    # A few that the wizard once reached for, each defined on a Textual class today.
    assert {"_check_bindings", "_refresh_layout", "_on_key", "_bindings", "_selected"} <= private
    assert not any(name.startswith("__") or not name.startswith("_") for name in private)


PLANTED = '''
import textual._xterm_parser
from textual.widgets._select import SelectOverlay
from textual.widgets import _select
from textual.widgets import Select


class Mine(Select):
    _bindings = None

    async def _on_key(self, event):
        self.app._check_bindings(event.key)

    def watch__selected(self):
        return getattr(self, "_refresh_layout")


def use(radio, monkeypatch):
    radio._selected = 1
    monkeypatch.setattr(radio, "_button", None)
    monkeypatch.setattr("textual.widgets.Input._toggle_cursor", None)
'''

CLEAN = '''
from textual.widgets import Select
from textual.widgets.option_list import Option


class Mine(Select):
    _our_own_flag = False

    def _our_own_helper(self):
        self._our_own_flag = True
        return self.options


def _module_helper(monkeypatch):
    monkeypatch.setattr(Mine, "_our_own_flag", True)
    return getattr(Option("x"), "prompt")
'''


def test_the_scanner_finds_each_kind_of_planted_use() -> None:
    found = private_uses(PLANTED, textual_private_members())
    assert found == [
        (2, "import textual._xterm_parser"),
        (3, "from textual.widgets._select import"),
        (4, "from textual.widgets import _select"),
        (9, "defines _bindings in class Mine"),
        (11, "defines _on_key in class Mine"),
        (12, "._check_bindings"),
        (14, "defines watch__selected in class Mine"),
        (15, "getattr(..., '_refresh_layout')"),
        (19, "._selected"),
        (20, "setattr(..., '_button')"),
        (21, "setattr(..., 'textual.widgets.Input._toggle_cursor')"),
    ]


def test_the_scanner_passes_our_own_private_names_and_public_imports() -> None:
    assert private_uses(CLEAN, textual_private_members()) == []
