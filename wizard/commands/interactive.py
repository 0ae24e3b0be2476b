"""`rds-wizard` with no subcommand: the full-screen Textual wizard, or plain prompts where that cannot run.

Plain prompts (questionary) are used with --plain, TERM=dumb, or when standard input or output is not a
terminal. Textual is imported only on the full-screen path, and boto3 only once the screen is up.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from typing import TYPE_CHECKING

from wizard.exit_codes import EXIT_OK, EXIT_USAGE

if TYPE_CHECKING:
    from screens.app import GatewayLike


def wants_plain(args: argparse.Namespace) -> bool:
    """Whether to use the line-by-line prompts instead of the full-screen wizard."""
    if getattr(args, "plain", False) or os.environ.get("TERM") == "dumb":
        return True
    if os.environ.get("TEXTUAL_DRIVER", "").startswith("textual.drivers.web_driver"):
        # A browser tab of `rds-wizard serve`: Textual speaks to it over pipes, never a terminal.
        return False
    return not (sys.stdin.isatty() and sys.stdout.isatty())


def run(args: argparse.Namespace) -> int:
    """Start the wizard; the exit code is 0 unless the preset could not be read (2)."""
    if wants_plain(args):
        if getattr(args, "databases", False):
            from wizard.plain_databases import run_plain_databases

            return run_plain_databases(args)
        from wizard.plain import run_plain

        return run_plain(args)
    # A start makes a great many objects that all live on, and the cyclic garbage collector would scan
    # them again and again: about a fifth of the time to the first frame. The app (freeze_gc) turns it
    # back on once its first frame is drawn (WizardScreen.first_frame_shown); this is the way out otherwise.
    gc.disable()
    try:
        from screens.app import make_app
        from screens.running import run_until_quit

        def open_gateway() -> GatewayLike:
            """The gateway for these arguments (run in the app's worker, after the first frame)."""
            from wizard.aws.gateway import ConnectionOptions, open_gateway

            return open_gateway(ConnectionOptions.from_args(args))

        try:
            app = make_app(open_gateway, demo=bool(args.demo), preset=args.preset, freeze_gc=True,
                           start_databases=bool(getattr(args, "databases", False)))
        except Exception as exc:  # a preset that cannot be read is a usage error, said plainly
            print(f"rds-wizard: cannot use preset {args.preset!r}: {exc}", file=sys.stderr)
            return EXIT_USAGE
        run_until_quit(app, app.gateways, demo=app.demo)
    finally:
        gc.enable()
    return int(app.return_code or EXIT_OK)
