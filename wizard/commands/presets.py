"""`rds-wizard presets`: one line per preset, built-in first, then the ones the user saved.

A saved preset that cannot be used (not TOML, too big, a pipe, holding a password, ...) is listed as
broken with the reason, and the others still list.
"""

from __future__ import annotations

import argparse

from wizard.escaping import shown


def run(args: argparse.Namespace) -> int:
    """Print the presets with a line each."""
    from presets import list_presets

    infos = list_presets()
    width = max((len(info.name) for info in infos), default=0) + 2
    builtin = [info for info in infos if info.builtin]
    saved = [info for info in infos if not info.builtin]
    for info in builtin:
        print(f"{info.name:<{width}}{info.description or info.title}")
    if saved:
        print(f"\nYour saved presets ({shown(saved[0].path.parent)}):")
        for info in saved:
            line = f"BROKEN: {info.broken}" if info.broken else info.description or info.title
            print(f"{info.name:<{width}}{line}")
    print("\nUse one with: rds-wizard --preset NAME, or rds-wizard plan --preset NAME")
    return 0
