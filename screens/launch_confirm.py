"""The launch confirmation: what will be created, where and what it costs, then the identifier typed
(the generic typed confirmation is `screens.dialogs.TypedConfirmScreen`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from screens import messages as m
from screens.dialogs import TypedConfirmScreen
from wizard.spec.model import DatabaseSpec

if TYPE_CHECKING:
    from screens.app import WizardApp

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
