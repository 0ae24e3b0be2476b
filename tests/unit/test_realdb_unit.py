"""The real-PostgreSQL module's checks that need no server."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest

from wizard.demo.realdb import _runtime, pair


@pytest.fixture
def fresh_availability() -> object:
    _runtime.realdb_available.cache_clear()
    yield
    _runtime.realdb_available.cache_clear()


def test_missing_package_is_reported_with_the_extra_to_install(
    monkeypatch: pytest.MonkeyPatch, fresh_availability: object
) -> None:
    monkeypatch.setattr(_runtime, "bin_dir", lambda: None)
    ok, reason = _runtime.realdb_available()
    assert not ok and "'realdb' extra" in reason


def test_other_platforms_are_reported(monkeypatch: pytest.MonkeyPatch, fresh_availability: object) -> None:
    monkeypatch.setattr(_runtime.platform, "system", lambda: "Darwin")
    assert _runtime.realdb_available() == (
        False,
        "real PostgreSQL servers run only on Linux here, not on Darwin",
    )


def test_scram_verifier_matches_the_rfc_5802_derivation() -> None:
    verifier = pair.scram_verifier("Pass-word1")
    method, rest = verifier.split("$", 1)
    iterations_salt, keys = rest.split("$")
    iterations, salt = iterations_salt.split(":")
    stored_key, server_key = (base64.b64decode(k) for k in keys.split(":"))
    salted = hashlib.pbkdf2_hmac("sha256", b"Pass-word1", base64.b64decode(salt), int(iterations))
    assert method == "SCRAM-SHA-256" and int(iterations) == 4096
    assert stored_key == hashlib.sha256(hmac.new(salted, b"Client Key", "sha256").digest()).digest()
    assert server_key == hmac.new(salted, b"Server Key", "sha256").digest()
    assert "Pass-word1" not in verifier
    assert pair.scram_verifier("Pass-word1") != verifier  # a fresh salt every time


@pytest.mark.parametrize(
    ("label", "name"),
    [("us-east-1a", "us_east_1a"), ("Node B", "node_b"), ("", "server")],
)
def test_server_names_are_usable_as_slot_names(label: str, name: str) -> None:
    assert pair._server_name(label) == name
