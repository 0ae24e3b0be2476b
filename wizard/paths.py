"""Where rds-wizard keeps its files: drafts, user presets, reports and the catalog cache.

`RDS_WIZARD_HOME` puts them all under one folder (tests and classrooms use it); otherwise they follow
the platform's conventions (XDG on Linux).
"""

from __future__ import annotations

import os
from pathlib import Path

_APP = "rds-wizard"
DRAFT_FILE = "draft.json"


def _home_override() -> Path | None:
    value = os.environ.get("RDS_WIZARD_HOME")
    return Path(value).expanduser() if value else None


def _dir(kind: str) -> Path:
    override = _home_override()
    if override is not None:
        path = override / kind
    else:
        import platformdirs  # only when a path is first needed

        path = Path({
            "state": platformdirs.user_state_dir,
            "config": platformdirs.user_config_dir,
            "cache": platformdirs.user_cache_dir,
            "data": platformdirs.user_data_dir,
        }[kind](_APP))
    path.mkdir(parents=True, exist_ok=True)
    return path


def drafts_dir() -> Path:
    """Where an unfinished wizard's answers are kept (never a password)."""
    return _dir("state")


def draft_path() -> Path:
    """The file of the unfinished wizard's answers (read and written by `wizard.drafts`)."""
    return drafts_dir() / DRAFT_FILE


def has_draft() -> bool:
    """Whether a draft is kept: asked as the wizard starts, so without importing how drafts are read."""
    return draft_path().exists()


def user_presets_dir() -> Path:
    """Where presets the user saved live."""
    return _dir("config") / "presets"


def cache_dir() -> Path:
    """Where catalog look-ups against real AWS are cached, with a time to live."""
    return _dir("cache")


def reports_dir() -> Path:
    """Where failover test reports (Markdown and JSON) are written."""
    override = os.environ.get("RDS_WIZARD_REPORTS")
    if override:
        path = Path(override).expanduser()
        path.mkdir(parents=True, exist_ok=True)
        return path
    return _dir("data") / "reports"
