"""Helpers for the spec tests: a valid spec per engine, and the problems a spec has by parameter."""

from __future__ import annotations

from pydantic import SecretStr

from wizard.catalog import AccountFacts
from wizard.spec.engines import ENGINES
from wizard.spec.model import DatabaseSpec
from wizard.spec.problems import Problem
from wizard.spec.rules import validate

# A password every engine accepts; tests that look for leaks use their own canary.
GOOD_PASSWORD = "Corr3ct-Horse"


def valid_spec(engine: str = "postgres", *, deployment: str | None = None) -> DatabaseSpec:
    """A spec with no error for this engine: Multi-AZ where the engine supports it."""
    rules = ENGINES[engine]
    spec = DatabaseSpec()
    spec.engine.engine = engine
    spec.settings.identifier = "orders-db"
    spec.settings.master_username = "dbadmin"
    spec.instance.instance_class = "db.m6i.large"
    spec.storage.type = "gp3"
    spec.storage.allocated_gib = 100
    spec.availability.deployment = deployment or (
        "multi-az-instance" if rules.supports_multi_az_instance else "single-az")
    spec.backup.window = "03:00-03:30"
    spec.maintenance.window = "sun:05:00-sun:05:30"
    return spec


def self_managed(spec: DatabaseSpec, password: str = GOOD_PASSWORD) -> DatabaseSpec:
    """The spec with a self-managed password."""
    spec.settings.credentials = "self-managed"
    spec.settings.master_password = SecretStr(password)
    return spec


def errors(spec: DatabaseSpec, facts: AccountFacts | None = None, **kwargs: bool) -> list[Problem]:
    """The blocking problems."""
    return [p for p in validate(spec, facts, **kwargs) if p.is_error]


def error_parameters(spec: DatabaseSpec, facts: AccountFacts | None = None, **kwargs: bool) -> set[str]:
    """The parameters named by blocking problems."""
    return {p.parameter for p in errors(spec, facts, **kwargs)}


def warning_parameters(spec: DatabaseSpec) -> set[str]:
    """The parameters named by warnings."""
    return {p.parameter for p in validate(spec) if not p.is_error}
