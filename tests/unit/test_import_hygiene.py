"""The core stays headless: no wizard module pulls in a UI toolkit, and `lint` pulls in no AWS SDK."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import wizard

UI_TOOLKITS = ("textual", "questionary")


def _core_modules() -> list[str]:
    return sorted(m.name for m in pkgutil.walk_packages(wizard.__path__, prefix="wizard.")
                  if m.name != "wizard.__main__")


def _modules_loaded_by(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys\nprint('\\n'.join(sys.modules))"],
                         capture_output=True, text=True, check=True)
    return {line.split(".")[0] for line in out.stdout.splitlines()}


def test_no_core_module_imports_a_ui_toolkit_at_module_level() -> None:
    modules = _core_modules()
    assert "wizard.spec.model" in modules  # the walk found the package, so the check below means something
    loaded = _modules_loaded_by("\n".join(f"import {name}" for name in modules))
    imported_toolkits = loaded & set(UI_TOOLKITS)
    assert not imported_toolkits, f"a wizard module imports {imported_toolkits} at import time"


def test_lint_needs_no_aws_sdk_or_ui(tmp_path) -> None:
    request = tmp_path / "request.json"
    request.write_text('{"DBInstanceIdentifier": "a", "DBInstanceClass": "db.m6g.large", '
                       '"Engine": "postgres"}')
    loaded = _modules_loaded_by(
        "from wizard.cli import main\n"
        f"try:\n    main(['lint', {str(request)!r}])\nexcept SystemExit:\n    pass\n"
    )
    assert "wizard" in loaded
    assert not loaded & {"boto3", "botocore", "moto", *UI_TOOLKITS}
