"""What kind of AWS a gateway talks to, and what quitting the wizard means there: one rule for every
front end.

- the embedded demo (`--demo`) lives inside this process: quitting ends it and everything it created;
- a demo server (`rds-wizard demo-server`, reached with `--endpoint-url`) keeps its databases until that
  server stops, whatever the wizard does;
- another custom endpoint (LocalStack, a proxy) keeps them as it keeps anything;
- real AWS keeps creating the database, and bills it, until someone deletes it.

The full-screen wizard, the plain prompts and the line commands all phrase it from here.
"""

from __future__ import annotations

from typing import Literal, get_args

from wizard.shell import command

Target = Literal["demo", "demo-server", "endpoint", "aws"]
TARGETS: tuple[Target, ...] = get_args(Target)


def target_of(gateway: object, *, demo: bool = False) -> Target:
    """The gateway's own `target`; failing that (a stand-in gateway), the in-process demo when `demo`,
    else what its label says."""
    value = getattr(gateway, "target", None)
    if value in TARGETS:
        return value  # type: ignore[no-any-return]
    if demo:
        return "demo"
    label = getattr(gateway, "label", None)
    return {"DEMO": "demo", "ENDPOINT": "endpoint"}.get(str(label), "aws")  # type: ignore[return-value]


def _endpoint_of(gateway: object) -> str:
    try:
        return str(getattr(gateway, "endpoint", "") or "")
    except Exception:  # a stand-in gateway without clients: the command then goes without the option
        return ""


def reattach_command(gateway: object, identifier: str, *, demo: bool = False) -> str:
    """`rds-wizard watch ID`, with what it takes to reach the same target from a fresh shell."""
    return rerun_command(gateway, "watch", identifier, demo=demo)


def rerun_command(gateway: object, *subcommand: str, demo: bool = False) -> str:
    """`rds-wizard SUBCOMMAND...` aimed at the same target: its endpoint, profile and region."""
    target = target_of(gateway, demo=demo)
    words: list[str] = ["rds-wizard", *subcommand]
    endpoint = _endpoint_of(gateway) if target in ("demo-server", "endpoint") else ""
    if endpoint:
        words += ["--endpoint-url", endpoint]
    if target == "aws":
        profile = getattr(gateway, "profile", None)
        if isinstance(profile, str) and profile and profile != "default":
            words += ["--profile", profile]
    region = getattr(gateway, "region", None)
    if target != "demo" and isinstance(region, str) and region:
        words += ["--region", region]
    return command(*words)


def quit_note(gateway: object, identifier: str, *, key: str, demo: bool = False) -> str:
    """What quitting (by `key`: "Ctrl+Q", "Ctrl+C") does to the database `identifier` on this target."""
    target = target_of(gateway, demo=demo)
    if target == "demo":
        return ("This demo AWS lives inside the wizard: quitting ends it. "
                f"On real AWS quitting stops nothing and `rds-wizard watch {identifier}` re-attaches.")
    again = reattach_command(gateway, identifier, demo=demo)
    if target == "demo-server":
        return (f"Quitting ({key}) stops nothing on the demo server: {identifier} lives there until the "
                f"demo-server stops. Re-attach any time with: {again}")
    if target == "endpoint":
        return (f"Quitting ({key}) stops nothing at the endpoint: {identifier} carries on there. "
                f"Re-attach any time with: {again}")
    return (f"Quitting ({key}) stops nothing in AWS: {identifier} carries on there, billed until you delete "
            f"it. Re-attach any time with: {again}")
