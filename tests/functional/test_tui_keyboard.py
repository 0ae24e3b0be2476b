"""The keyboard at 80x24, as a new user meets it: focus always shows and always answers the keys the
footer names, every step scrolls by keyboard from the moment it shows, a list of several values shows
ticked and unticked by shape, a blocked Next never puts the cursor where the next key replaces a value,
and a terminal smaller than 80x24 is told so."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rich.segment import Segment
from test_tui_wizard import _app, current, field, press_radio, type_into, walk_to
from textual.pilot import Pilot
from textual.widgets import Input, RadioSet, Select, SelectionList, Static
from tui_support import settle

from screens.too_small import TooSmallScreen

SIZE = (80, 24)


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("RDS_WIZARD_HOME", str(tmp_path))
    return tmp_path


def _marks(selection: SelectionList[str]) -> list[str]:
    """The mark drawn in each option's box (the cell between its two sides)."""
    marks = []
    for y in range(selection.option_count):
        segments: list[Segment] = list(selection.render_line(y))
        marks.append(segments[1].text)
    return marks


async def test_a_multi_select_marks_ticked_by_shape_and_space_ticks_the_focused_row() -> None:
    app = _app()
    async with app.run_test(size=SIZE) as pilot:
        await walk_to(pilot, "network")
        selection = field(app, "connectivity.security_group_ids").query_one(SelectionList)
        assert selection.option_count == 2
        assert selection.selected == []
        assert _marks(selection) == [" ", " "]
        while app.focused is not selection:
            await pilot.press("tab")
        await settle(pilot)
        assert selection.highlighted == 0  # the focused row shows, so Space has a target
        await pilot.press("down", "space")
        await settle(pilot)
        assert selection.selected == ["sg-0app"]
        assert _marks(selection) == [" ", "X"]
        assert app.spec.connectivity.security_group_ids == ["sg-0app"]


async def test_review_scrolls_by_keyboard_the_moment_it_shows() -> None:
    app = _app()
    async with app.run_test(size=SIZE) as pilot:
        await walk_to(pilot, "review")
        view = app.screen.query_one("#step-review")
        assert app.focused is view  # the body itself: it answers the keys at once
        assert view.max_scroll_y > 0  # at 80x24 the settings, cost and command are below
        await pilot.press("pagedown")
        await settle(pilot)
        assert view.scroll_y > 0
        await pilot.press("end")
        await settle(pilot)
        assert view.scroll_y == view.max_scroll_y
        await pilot.press("home")
        await settle(pilot)
        assert view.scroll_y == 0
        await pilot.press("down")
        await settle(pilot)
        assert view.scroll_y == 1
        await pilot.press("tab")  # Tab goes on to the problem's jump button inside it
        assert app.focused is not None and "review-fix" in app.focused.classes


async def test_a_step_that_opens_with_its_picture_focuses_its_body_and_tab_reaches_the_choice() -> None:
    app = _app()
    async with app.run_test(size=SIZE) as pilot:
        await walk_to(pilot, "availability")
        view = app.screen.query_one("#step-availability")
        assert app.focused is view
        await pilot.press("pagedown")
        await settle(pilot)
        assert view.scroll_y > 0
        await pilot.press("tab")
        await settle(pilot)
        assert app.focused is field(app, "availability.deployment").query_one(RadioSet)


async def test_a_blocked_next_never_leaves_a_password_selected_for_the_next_key_to_replace() -> None:
    app = _app()
    async with app.run_test(size=SIZE) as pilot:
        await walk_to(pilot, "instance")
        await press_radio(pilot, "settings.credentials", "self-managed")
        await type_into(pilot, "settings.master_password", "Str0ng-Passw0rd", css=".password-first")
        first = field(app, "settings.master_password").query_one(".password-first", Input)
        confirm = field(app, "settings.master_password").query_one(".password-confirm", Input)
        # Next with the confirmation still empty: the focus goes there, where the fix is typed.
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert current(app) == "instance"
        assert app.focused is confirm
        assert first.value == "Str0ng-Passw0rd"
        await pilot.press(*"Str0ng-Passw0rX")
        await settle(pilot)
        # Next with a wrong confirmation, from that box: the focus stays, the text is not selected.
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert app.focused is confirm and confirm.selection.is_empty
        await pilot.press("backspace", "d")
        await settle(pilot)
        assert first.value == confirm.value == "Str0ng-Passw0rd"
        # Mismatched again, Next from the button: the focus goes to the password, its text not selected.
        await pilot.press("!")
        app.screen.query_one("#next").focus()
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.focused is first and first.selection.is_empty
        await pilot.press("!")
        await settle(pilot)
        assert first.value == confirm.value == "Str0ng-Passw0rd!"  # typed on, not typed over
        await pilot.press("shift+tab", "tab")  # a Tab into it selects its text, as Textual always does
        await settle(pilot)
        assert app.focused is first and not first.selection.is_empty


def _keys(app: Any) -> str:
    return str(app.screen.query_one("#keys", Static).render())


async def test_the_keys_line_shows_only_the_keys_that_work_on_the_step() -> None:
    app = _app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Back" not in _keys(app) and "Next" in _keys(app)  # nothing to go back to
        await pilot.press("escape")
        await settle(pilot)
        assert current(app) == "engine"
        await walk_to(pilot, "instance")
        assert "Back" in _keys(app) and "Next" in _keys(app)
        await walk_to(pilot, "review")
        assert "Back" in _keys(app) and "Next" not in _keys(app)  # Review launches, it has no Next
        assert "Save preset" in _keys(app) and "Quit" in _keys(app)
        await pilot.press("escape")
        await settle(pilot)
        assert current(app) == "backup" and "Next" in _keys(app)


async def test_below_80x24_the_app_says_it_needs_80x24_and_comes_back_as_it_was() -> None:
    app = _app()
    async with app.run_test(size=(70, 20)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, TooSmallScreen)
        said = str(app.screen.query_one("#too-small", Static).render())
        assert "at least 80x24" in said and "70x20" in said
        await pilot.resize_terminal(79, 30)
        await settle(pilot)
        assert isinstance(app.screen, TooSmallScreen)
        assert "79x30" in str(app.screen.query_one("#too-small", Static).render())
        await pilot.resize_terminal(*SIZE)
        await settle(pilot)
        assert app.screen is app.wizard_screen
        await walk_to(pilot, "instance")
        await type_into(pilot, "settings.identifier", "orders-db")
        await pilot.resize_terminal(80, 23)
        await settle(pilot)
        assert isinstance(app.screen, TooSmallScreen)
        await pilot.resize_terminal(*SIZE)
        await settle(pilot)
        assert app.screen is app.wizard_screen and current(app) == "instance"
        box = field(app, "settings.identifier").query_one(Input)
        assert app.focused is box and box.value == "orders-db"  # nothing lost, the focus where it was


async def test_the_too_small_message_goes_when_a_dialog_over_it_closes_on_a_large_enough_terminal() -> None:
    app = _app()
    async with app.run_test(size=(70, 20)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, TooSmallScreen)
        await pilot.press("ctrl+q")  # Ctrl+Q still quits: it asks first
        await settle(pilot)
        assert not isinstance(app.screen, TooSmallScreen)
        await pilot.resize_terminal(*SIZE)
        await settle(pilot)
        await pilot.press("escape")  # stay
        await settle(pilot)
        assert app.screen is app.wizard_screen


async def _palette_jump(pilot: Pilot[Any], title: str) -> None:
    await pilot.press("ctrl+p")
    await settle(pilot)
    await pilot.press(*f"go to step: {title}")
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


async def test_after_a_palette_jump_the_arrows_act_in_the_focused_control_in_sight() -> None:
    app = _app()
    async with app.run_test(size=SIZE) as pilot:
        await walk_to(pilot, "review")
        await _palette_jump(pilot, "availability")
        assert current(app) == "availability"
        body = app.screen.query_one("#step-availability")
        assert app.focused is body
        await pilot.press("down")
        await settle(pilot)
        assert body.scroll_y == 1
        await _palette_jump(pilot, "network")
        assert current(app) == "network"
        body = app.screen.query_one("#step-network")
        first = field(app, "connectivity.vpc_id").query_one(Select)
        assert app.focused is first and body.region.contains_region(first.region)
        selection = field(app, "connectivity.security_group_ids").query_one(SelectionList)
        while app.focused is not selection:
            await pilot.press("tab")
        await settle(pilot)
        top = body.scroll_y
        await pilot.press("down")
        await settle(pilot)
        assert selection.highlighted == 1 and body.scroll_y == top  # the list's row moved, not the page
        await _palette_jump(pilot, "review")
        body = app.screen.query_one("#step-review")
        assert app.focused is body
        await pilot.press("end")
        await settle(pilot)
        assert body.scroll_y == body.max_scroll_y > 0


async def test_the_field_with_the_focus_is_marked_and_the_mark_follows_tab() -> None:
    app = _app()
    async with app.run_test(size=SIZE) as pilot:
        await walk_to(pilot, "instance")
        identifier = field(app, "settings.identifier")
        username = field(app, "settings.master_username")
        assert app.focused is identifier.query_one(Input)
        assert identifier.has_class("-focused") and not username.has_class("-focused")
        assert "underline" in str(identifier.query_one(".field-label").styles.text_style)
        await pilot.press("tab")
        await settle(pilot)
        assert app.focused is username.query_one(Input)
        assert username.has_class("-focused") and not identifier.has_class("-focused")
        assert "underline" not in str(identifier.query_one(".field-label").styles.text_style)
