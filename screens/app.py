"""The Textual app and `make_app`, the one factory the CLI, the tests and the snapshots share.

A backend is injected as a `gateway_factory` (real AWS, the demo, an endpoint) or as a bare
`wizard.catalog.Catalog` (tests). The gateway is opened in a thread worker, so the first screen paints
before boto3 (or the demo) is even imported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel
from textual.screen import Screen

from screens import messages
from screens.widgets.banner import Banner
from screens.wizard_screen import WizardScreen
from wizard.escaping import shown, shown_lines
from wizard.gateway_holder import GatewayHolder
from wizard.session import WizardSession, draft_step
from wizard.steps import STEP_KEYS, STEPS

if TYPE_CHECKING:
    from wizard.aws.gateway import ConnectionOptions, Identity
    from wizard.catalog import Catalog
    from wizard.spec.model import DatabaseSpec


class GatewayLike(Protocol):
    """What the wizard needs of a `wizard.aws.Gateway`."""

    @property
    def catalog(self) -> Catalog:
        """The account's catalog."""
        ...

    def identity(self) -> Identity:
        """Account, region, profile and label (DEMO for the demo)."""
        ...

    def notices(self) -> list[str]:
        """What the user should know about this target (e.g. the demo's databases being simulated)."""
        ...

    def close(self) -> None:
        """Release what the gateway started."""
        ...


class CatalogGateway:
    """A gateway over a bare catalog (tests, snapshots, benchmarks): no clients, a fixed identity."""

    def __init__(self, catalog: Catalog, label: str = "TEST") -> None:
        self._catalog = catalog
        self._identity_label = label

    @property
    def catalog(self) -> Catalog:
        """The injected catalog."""
        return self._catalog

    def identity(self) -> Identity:
        """A fixed, recognisable identity."""
        from wizard.aws.gateway import Identity

        return Identity(account="000000000000", region="test-region-1", profile=None, endpoint="memory",
                        label=self._identity_label)

    def notices(self) -> list[str]:
        """Nothing to tell."""
        return []

    def close(self) -> None:
        """Nothing to release."""


class WizardApp(App[int]):
    """The create wizard: one `WizardScreen`, dialogs on top, and (from F2) launch screens."""

    CSS_PATH = "wizard.tcss"
    TITLE = messages.APP_TITLE
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+q", "quit", "Quit", priority=True),
                                             Binding("f3", "databases", "Databases")]

    def __init__(self, gateway_factory: Callable[[], GatewayLike], *, spec: DatabaseSpec | None = None,
                 demo: bool = False, resume: bool = True, start_reached: int = 0,
                 freeze_gc: bool = False, start_databases: bool = False) -> None:
        super().__init__()
        self.start_databases = start_databases
        self.gateway_factory = gateway_factory
        # Whether this app owns the process's cyclic garbage collector (the command line's app does; an app
        # in a test process must not): it is paused until the first frame, then what lives on is frozen.
        self.freeze_gc = freeze_gc
        # The wizard's state: the screens render it and send it edits.
        self.session = WizardSession(spec, reached=start_reached)
        self.demo = demo
        self.resume = resume
        self.gateway: GatewayLike | None = None
        # Owns each gateway from the moment it exists: a quit while the demo starts still stops it.
        self.gateways = GatewayHolder()
        self.identity: Identity | None = None

    @property
    def spec(self) -> DatabaseSpec:
        """The answers so far (the session's; made on first use, as the model loads after the first
        frame)."""
        return self.session.spec

    @property
    def spec_loaded(self) -> bool:
        """Whether the spec (and so the model) exists yet."""
        return self.session.spec_loaded

    @property
    def wizard_screen(self) -> WizardScreen:
        """The wizard's own screen (under any dialog or launch screen)."""
        for screen in self.screen_stack:
            if isinstance(screen, WizardScreen):
                return screen
        raise LookupError("the wizard screen is not installed")

    def get_default_screen(self) -> Screen[Any]:
        """The wizard's screen, as the app's first: Textual's blank default screen, with the wizard pushed
        over it, was styled and resumed before the first frame for nothing."""
        return WizardScreen()

    def on_mount(self) -> None:
        """Offer to resume a draft (the wizard's screen shows itself and starts connecting)."""
        from wizard.paths import has_draft

        if self.start_databases:  # `rds-wizard --databases`: the list first, the wizard under it
            self.action_databases()
            return
        if self.resume and has_draft():
            self._offer_resume()

    def on_ready(self) -> None:
        """The start's batch of updates is over: the wizard's screen may draw its first frame."""
        self.wizard_screen.app_ready()

    def on_resize(self, event: events.Resize) -> None:
        """Below 80x24 say so instead of drawing cut-off boxes (see screens.too_small)."""
        from screens.too_small import guard_size

        guard_size(self, event.size)

    # ----- connection -----

    @work(thread=True, exclusive=True, group="gateway")
    def open_gateway(self) -> None:
        """Open the gateway (starts the demo in demo mode), then learn who we are."""
        try:
            gateway = self.gateways.open(self.gateway_factory)
        except Exception as exc:  # explained in the banner, with a retry
            self.call_from_thread(self._gateway_failed, exc)
            return
        if gateway is None or not self.is_running:  # quit meanwhile: the holder closes it
            return
        self.call_from_thread(self._gateway_opened, gateway)
        try:
            identity = gateway.identity()
        except Exception as exc:
            self.call_from_thread(self._gateway_failed, exc)
            return
        self.call_from_thread(self._identity_known, identity)
        notices = gateway.notices()  # may ask a demo server over HTTP: kept in this worker
        if notices:
            self.call_from_thread(self._show_notices, notices)

    def _gateway_opened(self, gateway: GatewayLike) -> None:
        if not self.is_running:  # quitting: the holder closes it
            return
        self.gateway = gateway
        if screen := self._screen_up():
            screen.gateway_ready()

    def _identity_known(self, identity: Identity) -> None:
        self.identity = identity
        if screen := self._screen_up():
            screen.query_one(Banner).show_identity(identity.label, identity.summary())

    def _screen_up(self) -> WizardScreen | None:
        """The wizard's screen, unless the app is closing (its widgets may be gone by then)."""
        try:
            screen = self.wizard_screen
        except LookupError:
            return None
        return screen if screen.is_up else None

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = False) -> None:
        """Textual's toast, but plain text and escaped: notices quote preset names, file paths and AWS
        errors, and `[bold]` or an escape sequence in one must show as typed, not be obeyed.

        `markup` is ignored: widgets pass Textual's default (True) on, and no notice here uses markup.
        """
        super().notify(shown_lines(message), title=shown(title), severity=severity, timeout=timeout,
                       markup=False)

    def _show_notices(self, notices: list[str]) -> None:
        self.notify("\n".join(notices), title=messages.NOTICES_TITLE, timeout=20)

    def _gateway_failed(self, exc: BaseException) -> None:
        if not self.is_running:
            return
        from wizard.aws.errors import explain

        error = explain(exc)
        if screen := self._screen_up():
            screen.query_one(Banner).show_failed(error.title)
            screen.connection_failed(error.title)
        body = "\n".join(part for part in (error.detail, f"Next: {error.next_step}") if part)
        self.notify(body, title=error.title, severity="error", timeout=15)

    def on_unmount(self) -> None:
        """Stop the demo (or whatever the gateway started), also one still starting once it is up."""
        self.gateways.stop()

    # ----- drafts and presets -----

    def _offer_resume(self) -> None:
        from screens.dialogs import ResumeDialog
        from wizard.drafts import load_draft

        draft = load_draft()
        if draft is None:
            return
        step = draft_step(draft.step_key)
        spec = draft.spec
        summary = f"{spec.engine.engine}, {spec.settings.identifier or 'no identifier yet'}"

        async def answered(resume: bool | None) -> None:
            """Resume the draft, or discard it and start over."""
            from wizard.drafts import discard_draft

            if not resume:
                discard_draft()
                return
            self.session.restore(draft.spec, step.key)
            screen = self.wizard_screen
            screen.reload_all()
            await screen.go_to(STEP_KEYS.index(step.key))

        self.push_screen(ResumeDialog(str(draft.saved_at)[:16], step.title, summary), answered)

    def autosave(self, step_key: str) -> None:
        """Keep the answers as a draft (never the password) as the user moves on."""
        try:
            self.session.save_draft(step_key)
        except OSError as exc:
            self.notify(str(exc), severity="warning")

    def apply_template(self, name: str) -> None:
        """Fill the later steps from a template (a preset), keeping what identifies this database."""
        self._load_preset(name, keep_identity=True)

    def _load_preset(self, name: str, keep_identity: bool) -> bool:
        try:
            if keep_identity:
                self.session.apply_template(name)
            else:
                self.session.load_preset(name)
        except Exception as exc:  # a bad preset is reported, the answers stay
            self.notify(messages.LOAD_PRESET_FAILED.format(name=name, reason=exc), severity="error")
            return False
        self.wizard_screen.reload_all()
        notice = messages.TEMPLATE_APPLIED if keep_identity else messages.LOADED_PRESET
        self.notify(notice.format(name=name))
        return True

    def load_preset(self, name: str) -> None:
        """Replace every answer with a preset; every step becomes reachable."""
        if self._load_preset(name, keep_identity=False):
            self.wizard_screen.refresh_problems()

    def action_save_preset(self) -> None:
        """Ask for a name, then save the answers (never the password) as a preset."""
        from screens.dialogs import SavePresetDialog

        def answered(name: str | None) -> None:
            """Save under the name given (nothing when cancelled)."""
            if not name:
                return
            from presets import save_preset

            try:
                path = save_preset(self.spec, name)
            except Exception as exc:
                self.notify(messages.SAVE_FAILED.format(reason=exc), severity="error")
                return
            self.notify(messages.SAVED_PRESET.format(path=path))

        self.push_screen(SavePresetDialog(self.spec.settings.identifier), answered)

    # ----- launch (the hook F2's screens plug into) -----

    def action_launch(self) -> None:
        """Launch from Review: hands over to `screens.launch_confirm.start_launch(app)`."""
        screen = self.wizard_screen
        screen.refresh_problems()
        if any(p.is_error for p in screen.problems):
            self.notify(messages.REVIEW_LAUNCH_BLOCKED, severity="error")
            return
        try:
            from screens.launch_confirm import start_launch
        except ImportError:
            self.notify(messages.LAUNCH_UNAVAILABLE, severity="warning")
            return
        start_launch(self)

    # ----- day 2 -----

    def action_databases(self) -> None:
        """The Databases screen (every instance and Multi-AZ DB cluster; modify, reboot, delete)."""
        from screens.databases import DatabasesScreen

        if any(isinstance(screen, DatabasesScreen) for screen in self.screen_stack):
            return
        self.push_screen(DatabasesScreen(lambda: self.gateway, demo=self.demo))

    # ----- quitting -----

    async def action_quit(self) -> None:
        """Ask whether to keep a draft, then quit (or stay); after a launch, say what quitting means for
        the database instead."""
        from screens.dialogs import QuitDialog
        from screens.provisioning import ProvisioningScreen

        if isinstance(self.screen, QuitDialog):
            return
        notes = [note for screen in self.screen_stack
                 if isinstance(screen, ProvisioningScreen) and (note := screen.quit_note())]
        if notes:  # a database was launched (a refused launch created nothing: the draft question stands)
            self.push_screen(QuitDialog(notes[0]), lambda choice: self.exit(0) if choice == "quit" else None)
            return

        def answered(choice: str | None) -> None:
            """Keep or discard the draft and quit; None stays."""
            if choice is None:
                return
            from wizard.drafts import discard_draft

            if choice == "keep":
                try:
                    self.session.save_draft()
                except OSError as exc:
                    self.notify(messages.DRAFT_FAILED.format(reason=exc), severity="error")
                    return
            else:
                discard_draft()
            self.exit(0)

        self.push_screen(QuitDialog(), answered)

    # ----- command palette -----

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The palette: load or save a preset, jump to a step, toggle help, launch, retry; then Textual's."""
        from presets import list_presets

        wizard = self.wizard_screen
        try:
            presets = list_presets()
        except OSError:  # an unreadable presets folder must not take the palette down
            presets = []
        for info in presets:
            yield SystemCommand(messages.CMD_LOAD_PRESET.format(name=info.name),
                                f"{info.title}: {messages.CMD_LOAD_PRESET_HELP}",
                                lambda name=info.name: self.load_preset(name))
        yield SystemCommand(messages.CMD_SAVE_PRESET, messages.CMD_SAVE_PRESET_HELP, self.action_save_preset)
        for index, step in enumerate(STEPS):
            if index <= wizard.reached:
                yield SystemCommand(messages.CMD_JUMP.format(title=step.title), messages.CMD_JUMP_HELP,
                                    lambda key=step.key: self.call_later(wizard.jump, key))
        yield SystemCommand(messages.CMD_TOGGLE_HELP, messages.CMD_TOGGLE_HELP_HELP,
                            wizard.action_toggle_help)
        yield SystemCommand(messages.CMD_RETRY, messages.CMD_RETRY_HELP, wizard.action_retry)
        yield SystemCommand("Databases",
                            "Every DB instance and Multi-AZ DB cluster: Multi-AZ, reboot, delete "
                            "(F3)", self.action_databases)
        if wizard.step.key == "review":
            yield SystemCommand(messages.CMD_LAUNCH, messages.CMD_LAUNCH_HELP, self.action_launch)
        yield from super().get_system_commands(screen)


def make_app(gateway_factory: Callable[[], GatewayLike] | None = None, *, catalog: Catalog | None = None,
             connection: ConnectionOptions | None = None, preset: str | None = None,
             spec: DatabaseSpec | None = None, demo: bool | None = None, resume: bool = True,
             freeze_gc: bool = False, start_databases: bool = False) -> WizardApp:
    """The wizard app with its backend: a gateway factory, a bare catalog, or connection options.

    `preset` (a name or file) starts with every step filled in and reachable; it raises if the preset
    cannot be read, so the CLI can say why before the screen opens. `resume=False` skips the draft offer.
    `freeze_gc`: the app owns the process (the command line): see `WizardApp.freeze_gc`.
    """
    if gateway_factory is None:
        if catalog is not None:
            label = "DEMO" if demo else "TEST"
            gateway_factory = lambda: CatalogGateway(catalog, label)  # noqa: E731
        else:
            options = connection

            def open_real() -> GatewayLike:
                """Open the gateway for the command line's connection options (boto3 imported here)."""
                from wizard.aws import ConnectionOptions, open_gateway

                return open_gateway(options or ConnectionOptions())

            gateway_factory = open_real
    if demo is None:
        demo = bool(connection is not None and connection.demo)
    start_reached = 0
    if preset is not None:
        from presets import load_preset

        spec = load_preset(preset)
        start_reached = len(STEPS) - 1
    return WizardApp(gateway_factory, spec=spec, demo=demo, resume=resume and preset is None,
                     start_reached=start_reached, freeze_gc=freeze_gc, start_databases=start_databases)
