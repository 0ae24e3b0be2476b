"""The typed confirmation before anything is created or failed over: type the identifier to go ahead.

A yes/no button is too easy to press by reflex before an action that bills money or drops connections,
so both the launch and the failover test ask for the identifier, the way the console asks for "delete me".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from wizard.spec.model import DatabaseSpec

if TYPE_CHECKING:
    from screens.app import WizardApp

DEPLOYMENT_LABELS = {
    "single-az": "Single-AZ DB instance (no standby)",
    "multi-az-instance": "Multi-AZ DB instance (a primary and a synchronous standby in another AZ)",
    "multi-az-cluster": "Multi-AZ DB cluster (a writer and two readable standbys in three AZs)",
}


class TypedConfirmScreen(ModalScreen[bool]):
    """Asks the user to type an identifier before a consequential action; dismisses True only on a match."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, *, title: str, body: str, identifier: str, action_label: str,
                 danger: bool = True) -> None:
        super().__init__(classes="typed-confirm")
        self._title = title
        self._body = body
        self._identifier = identifier
        self._action_label = action_label
        self._danger = danger

    def compose(self) -> ComposeResult:
        """A dialog: what happens, the field to type into, and the two buttons."""
        with Vertical(id="confirm-dialog", classes="dialog"):
            yield Static(self._title, id="confirm-title", classes="dialog-title", markup=False)
            with VerticalScroll(id="confirm-body-scroll"):
                yield Static(self._body, id="confirm-body", markup=False)
            yield Static(f"Type {self._identifier} to confirm:", id="confirm-prompt", markup=False)
            yield Input(placeholder="type the identifier here", id="confirm-input", compact=True)
            yield Static("", id="confirm-error", markup=False)
            with Horizontal(id="confirm-buttons", classes="dialog-buttons"):
                yield Button(self._action_label, id="confirm-go", compact=True,
                             variant="error" if self._danger else "primary")
                yield Button("Cancel (Esc)", id="confirm-cancel", compact=True)

    def on_mount(self) -> None:
        """Start in the field, so typing the identifier and Enter is all it takes."""
        self.query_one("#confirm-input", Input).focus()

    @on(Input.Submitted, "#confirm-input")
    @on(Button.Pressed, "#confirm-go")
    def _try_confirm(self) -> None:
        typed = self.query_one("#confirm-input", Input).value.strip()
        if typed == self._identifier:
            self.dismiss(True)
            return
        error = self.query_one("#confirm-error", Static)
        if typed:
            error.update(f"'{typed}' is not {self._identifier}: type the identifier exactly, "
                         "or press Esc to go back.")
        else:
            error.update(f"Type {self._identifier} to confirm, or press Esc to go back.")
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
    credentials = {
        "secrets-manager": "kept in AWS Secrets Manager (rotated every 7 days by default)",
        "self-managed": "the one you typed (not shown, not stored by the wizard)",
        "auto-generated": "generated now and shown to you once when the database is ready",
    }[spec.settings.credentials]
    access = ("PUBLIC (reachable from the internet)" if spec.connectivity.public_access
              else "private to the VPC")
    lines = [
        f"Identifier:  {spec.settings.identifier}",
        f"Engine:      {spec.engine.engine} {version}",
        f"Class:       {spec.instance.instance_class}",
        f"Storage:     {storage}",
        f"Deployment:  {DEPLOYMENT_LABELS.get(spec.availability.deployment, spec.availability.deployment)}",
        f"Access:      {access}",
        f"Password:    {credentials}",
        f"Where:       {target}",
        "",
    ]
    if is_demo:
        lines.append("This is the demo: nothing is created in AWS and nothing is billed.")
    else:
        lines.append("This creates a REAL database on AWS, billed by the hour until you delete it.")
        if spec.is_multi_az:
            lines.append("Multi-AZ bills the standby too: about twice a single-AZ instance.")
        if spec.protection.deletion_protection:
            lines.append("Deletion protection is on: turn it off before you can delete it.")
    lines.append(("On real AWS creating a Multi-AZ database takes 15-40 minutes" if spec.is_multi_az else
                  "On real AWS creating takes 5-10 minutes")
                 + ("; the demo runs faster." if is_demo else "; quitting the wizard does not stop it."))
    return "\n".join(lines)


class LaunchConfirmScreen(TypedConfirmScreen):
    """The launch confirmation: what will be created, that it is billed, and the identifier to type."""

    def __init__(self, spec: DatabaseSpec, *, target: str, is_demo: bool) -> None:
        operation = "CreateDBCluster" if spec.is_cluster else "CreateDBInstance"
        super().__init__(
            title=f"Launch {spec.settings.identifier}? ({operation})",
            body=launch_summary(spec, target, is_demo),
            identifier=spec.settings.identifier,
            action_label="Launch (demo)" if is_demo else "Launch on AWS",
            danger=not is_demo,
        )


def start_launch(app: WizardApp) -> None:
    """The Review step's Launch: confirm by the typed identifier, then open the provisioning screen."""
    gateway = app.gateway
    if gateway is None or not hasattr(gateway, "client"):
        app.notify("Not connected to AWS yet: wait for the banner to show the account, then launch.",
                   severity="warning")
        return
    spec = app.spec.model_copy(deep=True)
    identity = app.identity
    target = identity.summary() if identity is not None else "the connected AWS account"
    is_demo = app.demo or (identity is not None and identity.label == "DEMO")

    def answered(confirmed: bool | None) -> None:
        if confirmed:
            from screens.provisioning import ProvisioningScreen

            app.push_screen(ProvisioningScreen(gateway, spec=spec, demo=is_demo))  # type: ignore[arg-type]

    app.push_screen(LaunchConfirmScreen(spec, target=target, is_demo=is_demo), answered)
