"""Benchmark (not in the default run): the demo's ready time and the API calls of a wizard journey.

Run with `pytest tests/benchmarks/test_catalog_journey.py -s` to see the report. The journey asks every
choice of every step for three specs, twice (as a user going back and forth), plus the account facts
the rules check: each catalog question must reach AWS once.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from wizard.aws import ConnectionOptions, open_gateway
from wizard.choices import account_facts, choices_for, default_choice
from wizard.spec.model import DatabaseSpec
from wizard.steps import STEPS

SPECS = [
    {},
    {"engine": {"engine": "mysql"}, "availability": {"deployment": "multi-az-cluster"}},
    {"engine": {"engine": "mariadb"}, "availability": {"deployment": "single-az"},
     "connectivity": {"subnet_group": "demo-multi-az"}},
]


def test_demo_ready_time_and_catalog_calls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RDS_WIZARD_HOME", str(tmp_path))
    started = time.perf_counter()
    gateway = open_gateway(ConnectionOptions(demo=True, demo_speed=1000))
    ready = time.perf_counter() - started
    try:
        started = time.perf_counter()
        identity = gateway.identity()
        first_call = time.perf_counter() - started
        started = time.perf_counter()
        for _ in range(2):
            for raw in SPECS:
                spec = DatabaseSpec.model_validate(raw)
                for step in STEPS:
                    for field in step.fields:
                        choices_for(field, spec, gateway.catalog)
                        default_choice(field, spec, gateway.catalog)
                account_facts(spec, gateway.catalog)
        journey = time.perf_counter() - started
        counts = gateway.call_counts()
        repeats = gateway.repeated_calls()
    finally:
        gateway.close()

    print(f"\n{identity.summary()}")
    print(f"demo ready (open_gateway): {ready:.2f} s; first API call: {first_call * 1000:.0f} ms; "
          f"journey: {journey:.2f} s")
    print("API calls by operation:")
    for operation, count in sorted(counts.items()):
        print(f"  {operation:45} {count}")
    print(f"  {'total':45} {sum(counts.values())}")
    assert repeats == {}, f"catalog calls repeated within the run: {repeats}"
