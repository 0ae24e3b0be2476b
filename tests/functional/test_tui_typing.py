"""Keys typed faster than the app handles them (a fast typist, a password manager's auto-type) still take
effect in the order they were typed."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.widgets import Input
from tui_support import MemoryCatalog, field_input, settle

from screens.app import make_app
from screens.dialogs import QuitDialog
from screens.widgets.ordered_input import OrderedInput

TYPED = ["end", *["backspace"] * 14, *"1bad--"]


class BusyForm(App[None]):
    """An input whose every edit keeps the app busy a moment, as the wizard's checks do."""

    def __init__(self, input_class: type[Input]) -> None:
        super().__init__()
        self.input_class = input_class

    def compose(self) -> ComposeResult:
        with Vertical():
            yield self.input_class("dev-postgres")

    def on_input_changed(self) -> None:
        time.sleep(0.004)


async def _type_at_once(input_class: type[Input]) -> str:
    app = BusyForm(input_class)
    async with app.run_test() as pilot:
        field = app.query_one(Input)
        field.focus()
        await pilot.pause()
        _post_at_once(app, TYPED)
        for _ in range(50):
            await pilot.pause(0.02)
        return field.value


async def test_backspaces_land_before_the_letters_typed_after_them() -> None:
    assert await _type_at_once(OrderedInput) == "1bad--"


@pytest.mark.xfail(reason="Textual 8.2.8's own Input: shows why OrderedInput exists", strict=True)
async def test_textuals_input_reorders_them() -> None:
    assert await _type_at_once(Input) == "1bad--"


@pytest.fixture
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RDS_WIZARD_HOME", str(tmp_path))


def _post_at_once(app: App[Any], keys: list[str]) -> None:
    """Queue every key before the app handles any, as a burst from the terminal arrives."""
    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else None))


@pytest.mark.usefixtures("_home")
async def test_an_arrow_then_enter_at_once_presses_the_button_the_arrow_moved_to() -> None:
    from wizard.drafts import load_draft

    app = make_app(catalog=MemoryCatalog(), demo=True, resume=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert isinstance(app.screen, QuitDialog)
        _post_at_once(app, ["right", "enter"])  # from "Keep draft and quit" to "Discard and quit"
        await settle(pilot)
    assert app.return_code == 0
    assert load_draft() is None  # "Keep draft and quit" would have saved one


@pytest.mark.usefixtures("_home")
async def test_letters_typed_after_tab_and_enter_go_to_the_next_field() -> None:
    # As a password manager's auto-type sends them: the identifier, Tab, the username, Enter, more letters.
    app = make_app(catalog=MemoryCatalog(), demo=True, resume=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        field_input(app, "settings.identifier").focus()
        await settle(pilot)
        _post_at_once(app, [*"orders-db", "tab", "end", *["backspace"] * 8, *"dbadmin", "enter", *"typed-on"])
        await settle(pilot)
        assert field_input(app, "settings.identifier").value == "orders-db"
        assert field_input(app, "settings.master_username").value == "dbadmin"  # Enter moved on first
        assert app.spec.settings.master_username == "dbadmin"
