"""The typed confirmation before anything is created or failed over: type the identifier to go ahead.

A yes/no button is too easy to press by reflex before an action that bills money or drops connections,
so both the launch and the failover test ask for the identifier, the way the console asks for "delete me".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from screens import messages as m
from screens.widgets.button_row import ButtonRow
from screens.widgets.compact_button import CompactButton
from screens.widgets.ordered_input import OrderedInput
from wizard.confirmation import identifier_confirmed
from wizard.spec.model import DatabaseSpec

if TYPE_CHECKING:
    from screens.app import WizardApp

class TypedConfirmScreen(ModalScreen[bool]):
    """Asks the user to type an identifier before a consequential action; dismisses True only on a match."""

    CSS_PATH = "launch.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]
    # Start in the field, so typing the identifier and Enter is all it takes.
    AUTO_FOCUS = "#confirm-input"

    def __init__(self, *, title: str, body: str, identifier: str, action_label: str,
                 danger: bool = True) -> None:
        super().__init__(classes="typed-confirm")
        self._title_text = title
        self._body = body
        self._identifier = identifier
        self._action_label = action_label
        self._danger = danger

    def compose(self) -> ComposeResult:
        """A dialog: what happens, the field to type into, and the two buttons."""
        with Vertical(id="confirm-dialog", classes="dialog"):
            yield Static(self._title_text, id="confirm-title", classes="dialog-title", markup=False)
            with VerticalScroll(id="confirm-body-scroll"):
                yield Static(self._body, id="confirm-body", markup=False)
            yield Static(m.CONFIRM_PROMPT.format(identifier=self._identifier), id="confirm-prompt",
                         markup=False)
            yield OrderedInput(placeholder=m.CONFIRM_PLACEHOLDER, id="confirm-input", compact=True)
            yield Static("", id="confirm-error", markup=False)
            with ButtonRow(id="confirm-buttons", classes="dialog-buttons"):
                yield CompactButton(self._action_label, id="confirm-go",
                                    variant="error" if self._danger else "primary")
                yield CompactButton(m.CONFIRM_CANCEL, id="confirm-cancel")

    @on(Input.Submitted, "#confirm-input")
    @on(Button.Pressed, "#confirm-go")
    def _try_confirm(self) -> None:
        typed = self.query_one("#confirm-input", Input).value.strip()
        if identifier_confirmed(typed, self._identifier):
            self.dismiss(True)
            return
        error = self.query_one("#confirm-error", Static)
        if typed:
            error.update(m.CONFIRM_MISMATCH.format(typed=typed, identifier=self._identifier))
        else:
            error.update(m.CONFIRM_EMPTY.format(identifier=self._identifier))
        self.query_one("#confirm-input", Input).focus()

    @on(Button.Pressed, "#confirm-cancel")
    def action_cancel(self) -> None:
        """Go back without doing anything."""
        self.dismiss(False)


def launch_summary(spec: DatabaseSpec, target: str, is_demo: bool) -> str:
    """What the launch will create, where, and what it costs, as plain text lines."""
    storage = f"{spec.storage.allocated_gib} GiB {spec.storage.type}"
    if spec.storage.iops:
        storage += f", {spec.storage.iops} IOPS"
    if spec.storage.max_allocated_gib:
        storage += f", autoscaling to {spec.storage.max_allocated_gib} GiB"
    version = spec.engine.version or "the default version"
    credentials = m.LAUNCH_CREDENTIALS[spec.settings.credentials]
    access = m.LAUNCH_PUBLIC if spec.connectivity.public_access else m.LAUNCH_PRIVATE
    deployment = spec.availability.deployment
    lines = [
        f"Identifier:  {spec.settings.identifier}",
        f"Engine:      {spec.engine.engine} {version}",
        f"Class:       {spec.instance.instance_class}",
        f"Storage:     {storage}",
        f"Deployment:  {m.LAUNCH_DEPLOYMENTS.get(deployment, deployment)}",
        f"Access:      {access}",
        f"Password:    {credentials}",
        f"Where:       {target}",
        "",
    ]
    if is_demo:
        lines.append(m.LAUNCH_DEMO)
    else:
        lines.append(m.LAUNCH_BILLED)
        if spec.is_multi_az:
            lines.append(m.LAUNCH_BILLED_MULTI_AZ)
        if spec.protection.deletion_protection:
            lines.append(m.LAUNCH_DELETION_PROTECTION)
    lines.append((m.LAUNCH_DURATION_MULTI_AZ if spec.is_multi_az else m.LAUNCH_DURATION_SINGLE)
                 + (m.LAUNCH_DURATION_DEMO if is_demo else m.LAUNCH_DURATION_AWS))
    return "\n".join(lines)


class LaunchConfirmScreen(TypedConfirmScreen):
    """The launch confirmation: what will be created, that it is billed, and the identifier to type."""

    def __init__(self, spec: DatabaseSpec, *, target: str, is_demo: bool) -> None:
        operation = "CreateDBCluster" if spec.is_cluster else "CreateDBInstance"
        super().__init__(
            title=m.LAUNCH_TITLE.format(identifier=spec.settings.identifier, operation=operation),
            body=launch_summary(spec, target, is_demo),
            identifier=spec.settings.identifier,
            action_label=m.LAUNCH_BUTTON_DEMO if is_demo else m.LAUNCH_BUTTON_AWS,
            danger=not is_demo,
        )


def start_launch(app: WizardApp) -> None:
    """The Review step's Launch: confirm by the typed identifier, then open the provisioning screen."""
    gateway = app.gateway
    if gateway is None or not hasattr(gateway, "client"):
        app.notify(m.LAUNCH_NOT_CONNECTED, severity="warning")
        return
    spec = app.spec.model_copy(deep=True)
    identity = app.identity
    target = identity.summary() if identity is not None else m.LAUNCH_TARGET_UNKNOWN
    is_demo = app.demo or (identity is not None and identity.label == "DEMO")

    def answered(confirmed: bool | None) -> None:
        if confirmed:
            from screens.provisioning import ProvisioningScreen

            app.push_screen(ProvisioningScreen(gateway, spec=spec, demo=is_demo))  # type: ignore[arg-type]

    app.push_screen(LaunchConfirmScreen(spec, target=target, is_demo=is_demo), answered)
