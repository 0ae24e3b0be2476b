"""The keyboard at 80x24, as a new user meets it: focus always shows and always answers the keys the
footer names, every step scrolls by keyboard from the moment it shows, a list of several values shows
ticked and unticked by shape, a blocked Next never puts the cursor where the next key replaces a value,
and a terminal smaller than 80x24 is told so."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.segment import Segment
from test_tui_wizard import _app, field, walk_to
from textual.widgets import RadioSet, SelectionList
from tui_support import settle

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

