"""The unfinished wizard's answers, kept between runs so a closed terminal loses nothing.

One draft at a time, as JSON in `wizard.paths.drafts_dir()`. Never a password: the model leaves it
out of every dump, and a password anywhere else (a list inside extra_parameters, say) is dropped before
writing. A draft that cannot be read, or that holds a password, is set aside (renamed) with a logged
warning and the wizard starts fresh, rather than failing.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from wizard.escaping import shown
from wizard.passwords import find_passwords, refusal, without_passwords
from wizard.paths import draft_path
from wizard.textfiles import parse_json, read_text_bounded

if TYPE_CHECKING:
    from wizard.spec.model import DatabaseSpec

log = logging.getLogger(__name__)

_FORMAT = 1


@dataclass(frozen=True)
class Draft:
    """A saved draft: the answers so far, the step the user was on, and when it was saved."""

    spec: DatabaseSpec
    step_key: str
    saved_at: datetime


def save_draft(spec: DatabaseSpec, step_key: str) -> Path:
    """Save the answers so far (never the password) and the current step; returns the file."""
    path = draft_path()
    dumped = without_passwords(spec.model_dump(mode="json"))
    content = {"format": _FORMAT, "saved_at": datetime.now(UTC).isoformat(), "step_key": step_key,
               "spec": dumped}
    # Write then rename, so a crash mid-write leaves the previous draft rather than half a file.
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(content, indent=2), encoding="utf-8")
    os.replace(temporary, path)
    return path


def load_draft() -> Draft | None:
    """The saved draft, or None when there is none or it cannot be read (then it is set aside)."""
    path = draft_path()
    if not path.exists():
        return None
    from wizard.spec.model import DatabaseSpec  # pydantic: only when there is a draft to read

    try:
        content = parse_json(read_text_bounded(path), path)
        if not isinstance(content, dict) or content.get("format") != _FORMAT:
            raise ValueError("not a draft this version of rds-wizard wrote")
        passwords = find_passwords(content)
        if passwords:
            raise ValueError(refusal("", passwords).lstrip())
        spec = DatabaseSpec.model_validate(content["spec"])
        saved_at = datetime.fromisoformat(str(content["saved_at"]))
        step_key = str(content["step_key"])
    # UnreadableFile and pydantic's ValidationError are ValueErrors.
    except (OSError, ValueError, KeyError, TypeError) as exc:
        aside = path.with_name("draft.unreadable.json")
        try:
            os.replace(path, aside)
        except OSError:
            aside = path
        reason = shown(str(exc).splitlines()[0]) if str(exc) else type(exc).__name__
        log.warning("The saved draft could not be read (%s); it was set aside as %s and the wizard starts "
                    "fresh.", reason, shown(aside))
        return None
    return Draft(spec=spec, step_key=step_key, saved_at=saved_at)


def discard_draft() -> None:
    """Forget the saved draft (after a launch, or when the user starts over)."""
    draft_path().unlink(missing_ok=True)
