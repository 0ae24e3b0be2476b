"""The Review step's cost hint, shared by the screens and the plain prompts."""

from __future__ import annotations

import pytest

from wizard.cost import estimate_spec
from wizard.spec.model import DatabaseSpec


def _spec(deployment: str, instance_class: str = "db.m6g.large", engine: str = "postgres") -> DatabaseSpec:
    spec = DatabaseSpec()
    spec.engine.engine = engine
    spec.instance.instance_class = instance_class
    spec.availability.deployment = deployment  # type: ignore[assignment]
    return spec


def test_multi_az_pays_for_the_standby_too() -> None:
    single, multi = estimate_spec(_spec("single-az")), estimate_spec(_spec("multi-az-instance"))
    assert single is not None and multi is not None
    assert (single.copies, multi.copies) == (1, 2)
    assert multi.total == pytest.approx(2 * single.total)
    assert multi.headline == f"about ${multi.total:,.0f} / month"
    assert multi.breakdown.endswith("2 copies") and single.breakdown.endswith("1 copy")


@pytest.mark.parametrize(("instance_class", "engine"), [("db.x9.mystery", "postgres"),
                                                        ("db.m6g.large", "oracle-ee")])
def test_no_estimate_where_the_table_has_no_price(instance_class: str, engine: str) -> None:
    assert estimate_spec(_spec("single-az", instance_class, engine)) is None
