"""The environment of every process the wizard starts: ours, without the secrets no child needs.

A child (the demo's cleanup watchdog, PostgreSQL servers and tools) lives on in /proc/PID/environ,
readable by its owner and by root for as long as it runs, and the watchdog can outlive the launch.
The master password the user handed over in RDS_WIZARD_MASTER_PASSWORD and the AWS secret keys are
for this process's own calls, so they never go further. Every subprocess the wizard starts gets its
`env` from here (tests/unit/test_child_environment.py checks each call site).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping

# launch.PASSWORD_ENV and the AWS secret keys (AWS_SECURITY_TOKEN is the old name of the session token).
SECRET_VARIABLES = frozenset({
    "RDS_WIZARD_MASTER_PASSWORD", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN",
})


def child_environment(keep: Iterable[str] | None = None,
                      base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for a child process: `base` (default os.environ) without SECRET_VARIABLES, and
    only the names in `keep` when given (a tool that must not see the user's settings at all)."""
    source = os.environ if base is None else base
    wanted = None if keep is None else frozenset(keep)
    return {name: value for name, value in source.items()
            if name not in SECRET_VARIABLES and (wanted is None or name in wanted)}
