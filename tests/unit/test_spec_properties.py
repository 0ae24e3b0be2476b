"""Property tests: whatever arrives (a request, typed text, a file), the result is problems, not a crash."""

from __future__ import annotations

import json
import os
import tempfile
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wizard.cli import main
from wizard.spec.fields import set_value
from wizard.spec.model import DatabaseSpec
from wizard.spec.problems import Problem
from wizard.spec.request import CREATE_DB_INSTANCE_MEMBERS, from_request, to_request
from wizard.spec.rules import validate
from wizard.steps import STEPS

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)
PLAUSIBLE = st.one_of(
    st.integers(min_value=-5, max_value=70000),
    st.booleans(),
    st.sampled_from(["postgres", "mysql", "mariadb", "oracle-ee", "sqlserver-ex", "db2-se", "aurora-mysql",
                     "gp3", "io1", "io2", "gp2", "standard", "db.m6g.large", "db.t3.micro", "admin",
                     "03:00-03:30", "23:45-00:15", "sun:23:45-mon:00:15", "mon:03:00-mon:03:30", "orders-db",
                     "P@ss word", "us-east-1a", "default", "postgresql", "error"]),
    st.lists(st.sampled_from(["sg-1", "postgresql", "audit", "error"]), max_size=3),
    st.just([{"Key": "aws:x", "Value": "1"}]),
)
KEYS = st.sampled_from(sorted(CREATE_DB_INSTANCE_MEMBERS)) | st.text(max_size=12)
REQUESTS = st.dictionaries(KEYS, PLAUSIBLE | JSON, max_size=25)
FIELD_PATHS = [f.path for step in STEPS for f in step.fields if f.path != "template"]


@settings(max_examples=300, deadline=None)
@given(REQUESTS)
def test_any_request_gives_problems_and_round_trips(request: dict[str, Any]) -> None:
    spec = from_request(request)
    problems = validate(spec)
    assert all(isinstance(p, Problem) and p.message for p in problems)
    assert to_request(spec, include_password=True) == request
    to_request(spec)  # a request with a cluster-only choice still renders


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(FIELD_PATHS), st.text(max_size=20)), max_size=12))
def test_any_typed_text_gives_a_value_or_a_problem(edits: list[tuple[str, str]]) -> None:
    spec = DatabaseSpec()
    for path, text in edits:
        before = spec.model_dump()
        problem = set_value(spec, path, text)
        if problem is not None:
            assert problem.field == path and spec.model_dump() == before
    assert all(isinstance(p, Problem) for p in validate(spec))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(REQUESTS.map(json.dumps), st.text(max_size=40), st.binary(max_size=40).map(repr)))
def test_lint_exits_0_1_or_2_on_any_file(content: str) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "request.json")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(content)
        for fmt in ("text", "json"):
            assert main(["lint", path, "--format", fmt]) in (0, 1, 2)


SECTION_VALUES = st.dictionaries(
    st.sampled_from(["engine", "version", "identifier", "master_username", "credentials", "instance_class",
                     "type", "allocated_gib", "iops", "throughput_mibps", "max_allocated_gib", "deployment",
                     "port", "availability_zone", "name", "retention_days", "window", "monitoring_interval",
                     "log_exports", "performance_insights_retention_days", "nope"]),
    PLAUSIBLE | JSON, max_size=6)
MODEL_INPUT = st.dictionaries(
    st.sampled_from(["engine", "settings", "instance", "storage", "availability", "connectivity", "database",
                     "backup", "maintenance", "protection", "monitoring", "tags", "extra_parameters"]),
    SECTION_VALUES, max_size=8)


@settings(max_examples=300, deadline=None)
@given(MODEL_INPUT)
def test_any_model_input_is_refused_cleanly_or_validates(data: dict[str, Any]) -> None:
    from pydantic import ValidationError

    try:
        spec = DatabaseSpec.model_validate(data)
    except ValidationError:
        return
    assert all(isinstance(p, Problem) for p in validate(spec))
    to_request(spec)
