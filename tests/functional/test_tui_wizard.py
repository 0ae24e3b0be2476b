"""The Textual wizard at 80x24 with Pilot: every step with valid and invalid input, Next blocked per kind
of error, drafts, presets, the palette, and a failed load with retry. Backend: the in-memory catalog."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, Input, OptionList, RadioSet, Select, Static
from tui_support import FailingCatalog, MemoryCatalog, SlowlyOpeningGateway, settle, until

from screens.app import CatalogGateway, WizardApp, make_app
from screens.dialogs import QuitDialog, ResumeDialog, SavePresetDialog
from screens.widgets.class_picker import ClassPicker
from screens.widgets.compact_button import CompactButton
from screens.widgets.field_factory import FieldWidget
from screens.widgets.topology import TopologyDiagram
from screens.widgets.window_chart import WindowChart
from screens.wizard_screen import WizardScreen

SIZE = (80, 24)


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("RDS_WIZARD_HOME", str(tmp_path))
    return tmp_path


def _app(catalog: Any = None, **kwargs: Any) -> WizardApp:
    kwargs.setdefault("resume", False)
    return make_app(catalog=catalog or MemoryCatalog(), demo=True, **kwargs)


def field(app: WizardApp, path: str) -> FieldWidget:
    """The widget of the field at `path` on the current step."""
    return app.screen.query_one(f"#field-{path.replace('.', '-')}", FieldWidget)


async def type_into(pilot: Pilot[int], path: str, text: str, css: str = ".field-input") -> None:
    """Focus a field's input, empty it and type `text` key by key."""
    box = field(pilot.app, path).query_one(css, Input)  # type: ignore[arg-type]
    box.focus()
    box.value = ""
    await pilot.press(*text) if text else None
    await settle(pilot)


async def choose(pilot: Pilot[int], path: str, value: str) -> None:
    """Pick `value` in a field's drop-down, as a user would after opening it."""
    select = field(pilot.app, path).query_one(Select)  # type: ignore[arg-type]
    select.value = value
    await settle(pilot)


async def press_radio(pilot: Pilot[int], path: str, value: str) -> None:
    """Press the radio button for `value` with the keyboard."""
    radio_set = field(pilot.app, path).query_one(RadioSet)  # type: ignore[arg-type]
    radio_set.focus()
    buttons = list(radio_set.query("RadioButton"))
    names = [b.name for b in buttons]
    # The highlighted button carries RadioSet's "-selected" class (its index is private).
    start = next((i for i, b in enumerate(buttons) if b.has_class("-selected")), 0)
    target = names.index(value)
    moves = ["down"] * (target - start) if target >= start else ["up"] * (start - target)
    await pilot.press(*moves, "enter")
    await settle(pilot)


def messages_of(app: WizardApp, path: str) -> str:
    """The message text under a field."""
    return str(field(app, path).query_one(".field-message", Static).render())


def status(app: WizardApp) -> str:
    """The step's status line."""
    return str(app.screen.query_one("#step-status", Static).render())


def current(app: WizardApp) -> str:
    """The key of the step on screen."""
    return app.wizard_screen.step.key


async def next_step(pilot: Pilot[int]) -> None:
    """Press ctrl+n and let the next step load."""
    await pilot.press("ctrl+n")
    await settle(pilot)


async def walk_to(pilot: Pilot[int], key: str) -> None:
    """From the Engine step, give an identifier and press Next until step `key`."""
    app = pilot.app
    await settle(pilot)
    while current(app) != key:  # type: ignore[arg-type]
        if current(app) == "instance" and not app.spec.settings.identifier:  # type: ignore[attr-defined]
            await type_into(pilot, "settings.identifier", "orders-db")
        before = current(app)  # type: ignore[arg-type]
        await next_step(pilot)
        assert current(app) != before, status(app)  # type: ignore[arg-type]
    if key == "instance" and not app.spec.settings.identifier:  # type: ignore[attr-defined]
        await type_into(pilot, "settings.identifier", "orders-db")


async def test_first_screen_paints_before_the_gateway_is_ready() -> None:
    factory = SlowlyOpeningGateway(lambda: CatalogGateway(MemoryCatalog(), "DEMO"))
    app = make_app(factory, demo=True, resume=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.gateway is None
        assert current(app) == "engine"
        waiting = field(app, "engine.version").query_one(".field-help", Static)
        assert "Starting the demo AWS" in str(waiting.render())
        await pilot.press("f1")  # help hidden: the line saying the choices are loading stays
        await pilot.pause()
        assert waiting.display and str(waiting.render()).startswith("Starting the demo AWS")
        template_notes = field(app, "template").query_one(".field-help", Static)
        assert "Production, Dev/Test" not in str(template_notes.render())
        assert "DEMO" in str(app.screen.query_one("#banner", Static).render())
        factory.release.set()
        await settle(pilot)
        assert app.gateway is not None
        select = field(app, "engine.version").query_one(Select)
        assert select.value == "16.4"


async def test_quitting_while_the_next_step_is_laid_out_unseen_ends_cleanly() -> None:
    # The out-of-sight layout and the choices it waits for arrive after the screen's widgets are gone.
    app = _app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, WizardScreen)
        screen._laid_out.discard("instance")
        await screen._prefetch_next()
        assert "instance" not in screen._laid_out  # still being laid out as the app shuts down
    # (run_test re-raises a worker's failure on the way out: NoMatches here before the fix.)


async def test_a_gateway_that_opens_after_quitting_is_closed() -> None:
    # The demo's servers must not outlive a Ctrl+Q pressed while they were starting.
    factory = SlowlyOpeningGateway(lambda: CatalogGateway(MemoryCatalog(), "DEMO"))
    app = make_app(factory, demo=True, resume=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.gateway is None
    factory.release.set()
    assert await factory.wait_until_closed()
    assert app.gateway is None


async def test_walk_every_step_with_valid_input() -> None:
    app = _app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # Engine: switching engine brings that engine's default version, username and groups.
        await choose(pilot, "engine.engine", "mysql")
        assert app.spec.engine.version == "8.0.39"
        assert app.spec.settings.master_username == "admin"
        await next_step(pilot)
        assert current(app) == "instance"
        # Instance details: identifier, class from the filtered picker, storage size.
        await type_into(pilot, "settings.identifier", "orders-db")
        await type_into(pilot, "instance.instance_class", "r6g", css=".class-filter")
        await pilot.press("enter")
        await settle(pilot)
        assert app.spec.instance.instance_class == "db.r6g.large"
        await type_into(pilot, "storage.allocated_gib", "200")
        assert app.spec.storage.allocated_gib == 200
        await next_step(pilot)
        # Availability: the diagram follows the choice.
        assert current(app) == "availability"
        diagram = app.screen.query_one(TopologyDiagram)
        assert "STANDBY" in diagram.render().plain
        await press_radio(pilot, "availability.deployment", "single-az")
        assert app.spec.availability.deployment == "single-az"
        assert "(nothing here)" in diagram.render().plain
        await press_radio(pilot, "availability.deployment", "multi-az-cluster")
        assert "READER 2" in diagram.render().plain
        await press_radio(pilot, "availability.deployment", "multi-az-instance")
        await next_step(pilot)
        # Network: the three-AZ subnet group is preselected; the AZ field is hidden for Multi-AZ.
        assert current(app) == "network"
        assert app.spec.connectivity.subnet_group == "three-az-subnets"
        assert not field(app, "connectivity.availability_zone").display
        await next_step(pilot)
        # Backup: both windows drawn in the week chart.
        assert current(app) == "backup"
        await type_into(pilot, "backup.window", "03:00-03:30")
        await type_into(pilot, "maintenance.window", "sun:05:00-sun:05:30")
        chart = app.screen.query_one(WindowChart).render()
        assert "B" in str(chart) and "M" in str(chart)
        await next_step(pilot)
        # Review: settings, the CLI command, Launch enabled.
        assert current(app) == "review"
        review = " ".join(str(s.render()) for s in app.screen.query("#step-review Static"))
        assert "orders-db" in review
        assert "create-db-instance" in review
        assert "db.r6g.large" in review
        assert not app.screen.query_one("#launch", Button).disabled


async def test_back_and_escape_keep_answers_and_the_step_list_jumps_back() -> None:
    app = _app()
    async with app.run_test(size=SIZE) as pilot:
        await walk_to(pilot, "network")
        await pilot.press("escape")
        await settle(pilot)
        assert current(app) == "availability"
        await app.wizard_screen.jump("instance")
        await settle(pilot)
        assert field(app, "settings.identifier").query_one(Input).value == "orders-db"
        # A step not reached yet cannot be jumped to.
        await app.wizard_screen.jump("review")
        await settle(pilot)
        assert current(app) == "instance"


async def test_parse_error_blocks_next_and_names_the_setting() -> None:
    app = _app()
    async with app.run_test(size=SIZE) as pilot:
        await walk_to(pilot, "instance")
        await type_into(pilot, "storage.allocated_gib", "lots")
        assert "Allocated storage" in messages_of(app, "storage.allocated_gib")
        await next_step(pilot)
        assert current(app) == "instance"
        assert "Next is blocked" in status(app)
        await type_into(pilot, "storage.allocated_gib", "100")
        await next_step(pilot)
        assert current(app) == "availability"


async def test_rule_error_appears_as_typed_and_blocks_next() -> None:
    app = _app()
    async with app.run_test(size=SIZE) as pilot:
        await walk_to(pilot, "instance")
        await type_into(pilot, "settings.identifier", "1bad--name")
        text = messages_of(app, "settings.identifier")
        assert "DB instance identifier" in text and "letter" in text
        await next_step(pilot)
        assert current(app) == "instance"
        assert app.focused is field(app, "settings.identifier").query_one(Input)


async def test_password_typed_twice_must_match() -> None:
    app = _app()
    async with app.run_test(size=SIZE) as pilot:
        await walk_to(pilot, "instance")
        await press_radio(pilot, "settings.credentials", "self-managed")
        assert field(app, "settings.master_password").display
        await type_into(pilot, "settings.master_password", "Str0ng-Passw0rd", css=".password-first")
        await type_into(pilot, "settings.master_password", "Str0ng-Passw0rX", css=".password-confirm")
        assert "differ" in messages_of(app, "settings.master_password")
        await next_step(pilot)
        assert current(app) == "instance"
        await type_into(pilot, "settings.master_password", "Str0ng-Passw0rd", css=".password-confirm")
        await next_step(pilot)
        assert current(app) == "availability"


async def test_one_az_subnet_group_is_refused_for_multi_az_with_the_fix() -> None:
    app = _app()
    async with app.run_test(size=SIZE) as pilot:
        await walk_to(pilot, "network")
        await choose(pilot, "connectivity.subnet_group", "one-az-subnets")
        text = messages_of(app, "connectivity.subnet_group")
        assert "test-region-1a" in text and "Add subnets" in text
        await next_step(pilot)
        assert current(app) == "network"
        await choose(pilot, "connectivity.subnet_group", "three-az-subnets")
        await next_step(pilot)
        assert current(app) == "backup"


async def test_public_access_warns_but_does_not_block() -> None:
    app = _app()
    async with app.run_test(size=SIZE) as pilot:
        await walk_to(pilot, "network")
        checkbox = field(app, "connectivity.public_access").query_one(".field-toggle")
        checkbox.focus()
        await pilot.press("space")
        await settle(pilot)
        assert app.spec.connectivity.public_access is True
        assert "public" in messages_of(app, "connectivity.public_access").lower()
        await next_step(pilot)
        assert current(app) == "backup"


async def test_overlapping_windows_show_in_the_chart_and_block_next() -> None:
    app = _app()
    async with app.run_test(size=SIZE) as pilot:
        await walk_to(pilot, "backup")
        await type_into(pilot, "backup.window", "05:00-05:30")
        await type_into(pilot, "maintenance.window", "sun:05:00-sun:05:30")
        assert "X" in str(app.screen.query_one(WindowChart).render())
        assert "overlap" in status(app).lower() or "overlap" in messages_of(app, "backup.window").lower() \
            or "overlap" in messages_of(app, "maintenance.window").lower()
        await next_step(pilot)
        assert current(app) == "backup"


async def test_an_error_in_the_folded_section_opens_it_on_next() -> None:
    app = _app()
    async with app.run_test(size=SIZE) as pilot:
        await walk_to(pilot, "backup")
        from textual.widgets import Collapsible

        collapsible = app.screen.query_one("#step-backup Collapsible", Collapsible)
        assert collapsible.collapsed
        app.spec.monitoring.monitoring_interval = 60  # without a role ARN: a rule error in the fold
        app.wizard_screen.spec_changed()
        await next_step(pilot)
        assert current(app) == "backup"
        assert not collapsible.collapsed


async def test_class_picker_hides_classes_that_cannot_run_multi_az() -> None:
    app = _app()
    async with app.run_test(size=SIZE) as pilot:
        await walk_to(pilot, "instance")
        picker = app.screen.query_one(ClassPicker)
        shown = [o.id for o in picker.query_one(".class-options").options if o.id]  # type: ignore[attr-defined]
        assert "db.t3.micro" not in shown and "db.m6g.large" in shown
        assert "hidden" in str(picker.query_one(".class-status", Static).render())
        await type_into(pilot, "instance.instance_class", "xlarge", css=".class-filter")
        shown = [o.id for o in picker.query_one(".class-options").options if o.id]  # type: ignore[attr-defined]
        assert shown == ["db.m6g.xlarge"]


async def test_failed_load_says_why_and_retry_recovers() -> None:
    catalog = FailingCatalog()
    app = _app(catalog)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = str(field(app, "engine.version").query_one(".field-status-text", Static).render())
        assert "Could not load Version" in text
        catalog.healthy = True
        retry = field(app, "engine.version").query_one(".field-retry", Button)
        assert retry.display
        retry.press()
        await settle(pilot)
        assert field(app, "engine.version").query_one(Select).value == "16.4"


async def test_review_lists_problems_with_a_jump_to_their_step() -> None:
    app = _app()
    async with app.run_test(size=SIZE) as pilot:
        await walk_to(pilot, "review")
        app.spec.backup.retention_days = 99
        app.wizard_screen.refresh_problems()
        await settle(pilot)
        assert app.screen.query_one("#launch", Button).disabled
        fixes = app.screen.query(".review-fix").results(Button)
        fix = next(b for b in fixes if b.name == "backup.retention_days")
        fix.press()
        await settle(pilot)
        assert current(app) == "backup"
        assert app.focused is field(app, "backup.retention_days").query_one(Input)


async def test_template_fills_later_steps_and_keeps_the_identifier() -> None:
    app = _app()
    async with app.run_test(size=SIZE) as pilot:
        await walk_to(pilot, "instance")
        await type_into(pilot, "settings.identifier", "keep-me")
        await pilot.press("escape")
        await settle(pilot)
        await choose(pilot, "template", "dev-test-postgres")
        assert app.spec.availability.deployment == "single-az"
        assert app.spec.settings.identifier == "keep-me"


async def test_quit_keeps_a_draft_without_the_password_and_a_relaunch_resumes(_home: Path) -> None:
    app = _app()
    async with app.run_test(size=SIZE) as pilot:
        await walk_to(pilot, "instance")
        await type_into(pilot, "settings.identifier", "draft-db")
        await press_radio(pilot, "settings.credentials", "self-managed")
        await type_into(pilot, "settings.master_password", "Canary-Secret-1", css=".password-first")
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert isinstance(app.screen, QuitDialog)
        await pilot.press("enter")  # "Keep draft and quit" has the focus
        await settle(pilot)
    assert app.return_code == 0
    files = [p for p in _home.rglob("*") if p.is_file()]
    assert files and not any("Canary-Secret-1" in p.read_text(errors="ignore") for p in files)

    again = make_app(catalog=MemoryCatalog(), demo=True)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(again.screen, ResumeDialog)
        await pilot.press("enter")
        await settle(pilot)
        assert current(again) == "instance"
        assert again.spec.settings.identifier == "draft-db"
        assert field(again, "settings.identifier").query_one(Input).value == "draft-db"
        assert again.spec.settings.master_password is None


async def test_start_over_discards_the_draft() -> None:
    from wizard.drafts import load_draft, save_draft
    from wizard.spec.model import DatabaseSpec

    spec = DatabaseSpec()
    spec.settings.identifier = "old-db"
    save_draft(spec, "network")
    app = make_app(catalog=MemoryCatalog(), demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ResumeDialog)
        await pilot.press("escape")
        await settle(pilot)
        assert current(app) == "engine" and app.spec.settings.identifier == ""
    assert load_draft() is None


async def test_arrow_keys_move_between_a_dialogs_buttons() -> None:
    from wizard.drafts import load_draft, save_draft
    from wizard.spec.model import DatabaseSpec

    save_draft(DatabaseSpec(), "network")
    app = make_app(catalog=MemoryCatalog(), demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ResumeDialog)
        await pilot.press("right")
        assert app.screen.focused is not None and app.screen.focused.id == "start-over"
        await pilot.press("right")  # wraps round
        assert app.screen.focused is not None and app.screen.focused.id == "resume"
        await pilot.press("left", "enter")  # Start over
        await settle(pilot)
        assert current(app) == "engine"
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert isinstance(app.screen, QuitDialog)
        await pilot.press("right", "enter")  # from "Keep draft and quit" to "Discard and quit"
        await settle(pilot)
    assert app.return_code == 0
    assert load_draft() is None


@pytest.mark.parametrize("demo", [True, False])
async def test_after_a_launch_quitting_says_what_happens_to_the_database(demo: bool) -> None:
    from screens.provisioning import ProvisioningScreen
    from wizard.drafts import load_draft

    app = make_app(catalog=MemoryCatalog(), demo=demo, resume=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        gateway = app.gateway
        assert gateway is not None
        await app.push_screen(ProvisioningScreen(gateway, identifier="orders-db", kind=None, demo=demo))
        await pilot.press("ctrl+q")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, QuitDialog)
        body = " ".join(str(s.render()) for s in dialog.query(Static))
        assert ("lives inside the wizard: quitting ends it" in body) is demo
        assert ("stops nothing in AWS: orders-db carries on" in body) is not demo
        assert "rds-wizard watch orders-db" in body
        assert "draft" not in body
        assert [b.id for b in dialog.query(CompactButton)] == ["quit", "stay"]
        await pilot.press("enter")
        await settle(pilot)
    assert app.return_code == 0
    assert load_draft() is None


async def test_after_a_refused_launch_quitting_asks_about_the_draft() -> None:
    from screens.provisioning import ProvisioningScreen
    from wizard.launch import LaunchError

    app = make_app(catalog=MemoryCatalog(), demo=True, resume=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        gateway = app.gateway
        assert gateway is not None
        screen = ProvisioningScreen(gateway, identifier="orders-db", kind=None, demo=True)
        await app.push_screen(screen)
        screen.post_message(ProvisioningScreen.LaunchRefused(LaunchError("The launch was refused.")))
        await settle(pilot)
        assert screen.quit_note() is None  # nothing was created
        await pilot.press("ctrl+q")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, QuitDialog)
        assert [b.id for b in dialog.query(CompactButton)] == ["keep", "discard", "stay"]


async def test_save_as_preset_from_review_never_writes_the_password(_home: Path) -> None:
    from pydantic import SecretStr

    app = _app()
    async with app.run_test(size=SIZE) as pilot:
        await walk_to(pilot, "review")
        app.spec.settings.master_password = SecretStr("Canary-Secret-2")
        app.screen.query_one("#save-preset", Button).press()
        await settle(pilot)
        assert isinstance(app.screen, SavePresetDialog)
        await pilot.press("end", *"-mine")
        await pilot.press("enter")
        await settle(pilot)
    saved = [p for p in _home.rglob("*.toml")]
    assert [p.name for p in saved] == ["orders-db-mine.toml"]
    assert "Canary-Secret-2" not in saved[0].read_text()


async def test_palette_offers_presets_steps_and_help() -> None:
    app = _app()
    async with app.run_test(size=SIZE) as pilot:
        await walk_to(pilot, "availability")
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        assert "Load preset: production-postgres" in commands
        assert "Save as preset…" in commands
        assert "Go to step: Instance details" in commands
        assert "Go to step: Review" not in commands
        commands["Toggle help"].callback()
        await settle(pilot)
        assert app.wizard_screen.has_class("-no-help")
        commands["Load preset: dev-test-postgres"].callback()
        await settle(pilot)
        assert app.spec.availability.deployment == "single-az"
        assert "Go to step: Review" in {c.title for c in app.get_system_commands(app.screen)}


async def test_launch_hook_is_refused_while_errors_remain() -> None:
    app = _app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await walk_to(pilot, "review")
        app.spec.settings.identifier = "-bad"
        app.action_launch()
        await settle(pilot)
        assert current(app) == "review" and app.screen is app.wizard_screen


def test_the_first_screen_imports_neither_boto3_nor_moto_nor_pydantic() -> None:
    # pydantic (the spec model) loads just after the first frame: see WizardScreen.first_frame_shown.
    code = ("import sys; import screens.app, wizard.commands.interactive; "
            "bad = [m for m in ('boto3', 'botocore', 'moto', 'pydantic') if m in sys.modules]; print(bad); "
            "sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
@pytest.mark.timeout(300)
async def test_walk_against_the_real_demo() -> None:
    from wizard.aws.gateway import ConnectionOptions

    app = make_app(connection=ConnectionOptions(demo=True, demo_speed=600.0), resume=False)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.gateway is not None and app.identity is not None, "the demo to start",
                    timeout_s=180)
        await settle(pilot)
        assert "DEMO" in str(app.screen.query_one("#banner", Static).render())
        assert app.spec.engine.version
        await walk_to(pilot, "instance")
        picker = app.screen.query_one(ClassPicker)
        assert [o.id for o in picker.query_one(".class-options").options if o.id]  # type: ignore[attr-defined]
        await walk_to(pilot, "review")
        assert not [p for p in app.wizard_screen.problems if p.is_error]
        assert not app.screen.query_one("#launch", Button).disabled


async def test_the_step_list_jumps_back_with_the_mouse_and_escape_closes_a_menu_first() -> None:
    app = _app()
    async with app.run_test(size=SIZE) as pilot:
        await walk_to(pilot, "network")
        await pilot.click("#steps", offset=(3, 1))  # under the heading: step 1
        await settle(pilot)
        assert current(app) == "engine"
        select = field(app, "engine.engine").query_one(Select)
        select.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert select.expanded
        await pilot.press("escape")
        await settle(pilot)
        assert not select.expanded and current(app) == "engine"
        await pilot.click("#steps", offset=(3, 4))  # step 4, reached before
        await settle(pilot)
        assert current(app) == "network"


async def test_banner_names_account_and_region_outside_the_demo() -> None:
    app = make_app(catalog=MemoryCatalog(), resume=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        banner = str(app.screen.query_one("#banner", Static).render())
        assert "account 000000000000" in banner and "test-region-1" in banner and "DEMO" not in banner


async def test_a_drop_down_opens_and_picks_with_the_keyboard_and_the_mouse() -> None:
    app = _app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        select = field(app, "engine.engine").query_one(Select)
        select.focus()
        await pilot.press("enter")  # its list is mounted on this first opening
        await settle(pilot)
        assert select.expanded
        await pilot.press("down", "enter")
        await settle(pilot)
        assert not select.expanded
        assert app.spec.engine.engine == select.value != "postgres"
        await pilot.click(select)
        await settle(pilot)
        assert select.expanded
        await pilot.press("escape")
        await settle(pilot)
        assert not select.expanded and current(app) == "engine"


async def test_a_drop_down_opens_under_its_value_and_picks_with_a_click_in_its_list() -> None:
    app = _app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        select = field(app, "template").query_one(Select)  # high enough for its list to open below it
        await pilot.click(select)  # its list is mounted on this first opening
        await settle(pilot)
        assert select.expanded
        overlay = select.query_one(OptionList)  # Select's list
        current_line = select.query_one("SelectCurrent")
        assert overlay.region.y == current_line.region.bottom  # under the value, not over it
        before = select.value
        assert overlay.scroll_offset.y == 0
        await pilot.click(overlay, offset=(2, 1))  # the first template, under the one-line "no preference"
        await settle(pilot)
        assert not select.expanded
        assert select.value != before and select.value is not Select.NULL
        assert select.value == app.session.template


async def test_a_folded_field_is_filled_before_it_is_first_opened_and_set_once_opened() -> None:
    from textual.widgets import Collapsible
    from textual.widgets.collapsible import CollapsibleTitle

    app = _app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.load_preset("production-mysql")  # fills every step, the folded license model included
        await settle(pilot)
        fold = app.screen.query_one("#step-engine Collapsible", Collapsible)
        assert fold.collapsed
        fold.scroll_visible(animate=False)  # below the fields at 80x24
        await settle(pilot)
        await pilot.click(fold.query_one(CollapsibleTitle))
        await settle(pilot)
        assert not fold.collapsed
        select = field(app, "engine.license_model").query_one(Select)
        assert select.value == app.spec.engine.license_model is not None
        await walk_to(pilot, "backup")
        fold = app.screen.query_one("#step-backup Collapsible", Collapsible)
        fold.query_one(CollapsibleTitle).focus()
        await pilot.press("enter")
        await settle(pilot)
        before = app.spec.backup.copy_tags_to_snapshot
        field(app, "backup.copy_tags_to_snapshot").focus_control()
        await pilot.press("space")
        await settle(pilot)
        assert app.spec.backup.copy_tags_to_snapshot is not before


async def test_next_pressed_the_moment_the_first_screen_shows_is_answered() -> None:
    app = _app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+n")  # before the model has loaded after the first frame
        shown = lambda: bool(app.wizard_screen.step_view("instance")) and current(app) == "instance"  # noqa: E731
        await until(pilot, shown, "the Instance step", timeout_s=20)
        await settle(pilot)
        assert app.spec_loaded and app.screen.query_one("#step-instance").region


async def test_availability_folds_the_standby_and_read_replica_table_after_its_fields() -> None:
    from textual.widgets import Collapsible, Static

    app = _app()
    async with app.run_test(size=SIZE) as pilot:
        await walk_to(pilot, "availability")
        fold = app.screen.query_one("#step-availability Collapsible.teaching", Collapsible)
        assert fold.collapsed and fold.title == "Standby or read replica?"
        fold.collapsed = False
        await settle(pilot)
        table = str(fold.query_one(".teaching-table", Static).render())
        assert "Multi-AZ standby" in table and "Read replica" in table and "RPO 0" in table
        assert all(len(line) <= 78 for line in table.splitlines())
