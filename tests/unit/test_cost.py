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


def _gp3(size: int, iops: int | None, throughput: int | None = None, engine: str = "postgres") -> float:
    spec = _spec("single-az", engine=engine)
    spec.storage.type = "gp3"
    spec.storage.allocated_gib = size
    spec.storage.iops = iops
    spec.storage.throughput_mibps = throughput
    estimate = estimate_spec(spec)
    assert estimate is not None
    return estimate.storage


@pytest.mark.parametrize(("size", "iops", "throughput", "charged_iops", "charged_throughput"), [
    (100, 3000, None, 0, 0),          # below 400 GiB: 3,000 IOPS and 125 MiB/s included
    (100, 3500, 200, 500, 75),
    (399, 12000, 500, 9000, 375),     # one GiB short of the larger baseline
    (400, 12000, 500, 0, 0),          # from 400 GiB: 12,000 IOPS and 500 MiB/s included
    (1000, 16000, 1000, 4000, 500),
])
def test_gp3_charges_only_above_the_included_baseline(size: int, iops: int, throughput: int | None,
                                                      charged_iops: int, charged_throughput: int) -> None:
    expected = size * 0.115 + charged_iops * 0.02 + charged_throughput * 0.08
    assert _gp3(size, iops, throughput) == pytest.approx(expected)


def test_io1_iops_are_all_charged() -> None:
    spec = _spec("single-az")
    spec.storage.type = "io1"
    spec.storage.allocated_gib = 400
    spec.storage.iops = 12000
    estimate = estimate_spec(spec)
    assert estimate is not None and estimate.storage == pytest.approx(400 * 0.125 + 12000 * 0.10)
