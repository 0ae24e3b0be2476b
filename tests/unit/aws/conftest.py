"""An AWS environment of the test's own: no user config, no real credentials, no instance metadata."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Clear every AWS_* variable, point the config files at empty temp files, home at tmp_path."""
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    config = tmp_path / "aws-config"
    credentials = tmp_path / "aws-credentials"
    config.write_text("")
    credentials.write_text("")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("RDS_WIZARD_HOME", str(tmp_path / "home"))
    return tmp_path


@pytest.fixture
def fake_keys(aws_env: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Static fake credentials and a region, enough to build clients that a Stubber answers."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIATESTTESTTESTTEST")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test-secret")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    return aws_env
