"""A rough monthly cost hint for Review, in both front ends: a small static price table, an estimate.

Prices are approximate on-demand list prices for PostgreSQL/MySQL in us-east-1 (USD per hour for a
single-AZ instance, per GiB-month for storage). They age; the Review step says so and points at the
pricing page. Engines with licence costs (Oracle, SQL Server, Db2) get no estimate.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from wizard.spec.engines import GP3_SMALL_BASELINE, engine_rules

if TYPE_CHECKING:
    from wizard.spec.model import DatabaseSpec

HOURS_PER_MONTH = 730

_HOURLY = {
    "db.t3.micro": 0.018, "db.t3.small": 0.036, "db.t3.medium": 0.072, "db.t3.large": 0.145,
    "db.t4g.micro": 0.016, "db.t4g.small": 0.032, "db.t4g.medium": 0.065, "db.t4g.large": 0.129,
    "db.m5.large": 0.178, "db.m5.xlarge": 0.356, "db.m5.2xlarge": 0.712,
    "db.m6g.large": 0.159, "db.m6g.xlarge": 0.318, "db.m6g.2xlarge": 0.636,
    "db.m6i.large": 0.178, "db.m6i.xlarge": 0.356, "db.m6i.2xlarge": 0.712,
    "db.m7g.large": 0.168, "db.m7g.xlarge": 0.337, "db.m7g.2xlarge": 0.674,
    "db.r5.large": 0.250, "db.r5.xlarge": 0.500, "db.r6g.large": 0.225, "db.r6g.xlarge": 0.450,
    "db.r6i.large": 0.250, "db.r6i.xlarge": 0.500, "db.r7g.large": 0.239, "db.r7g.xlarge": 0.478,
}
_STORAGE_GIB_MONTH = {"gp3": 0.115, "gp2": 0.115, "io1": 0.125, "io2": 0.125, "standard": 0.10}
_IOPS_MONTH = {"io1": 0.10, "io2": 0.10, "gp3": 0.02}
# gp3 throughput above what the volume includes, per MiB/s-month.
_GP3_THROUGHPUT_MONTH = 0.08
_COPIES = {"single-az": 1, "multi-az-instance": 2, "multi-az-cluster": 3}
_PRICED_ENGINES = ("postgres", "mysql", "mariadb")


@dataclass(frozen=True)
class CostEstimate:
    """Monthly compute and storage in USD for the whole deployment (all copies)."""

    compute: float
    storage: float
    copies: int

    @property
    def total(self) -> float:
        """Compute plus storage."""
        return self.compute + self.storage

    @property
    def headline(self) -> str:
        """The figure a reader looks for first."""
        return f"about ${self.total:,.0f} / month"

    @property
    def breakdown(self) -> str:
        """Where the figure comes from."""
        return (f"compute ${self.compute:,.0f} + storage ${self.storage:,.0f}, {self.copies} "
                f"cop{'y' if self.copies == 1 else 'ies'}")


def estimate(engine: str, instance_class: str, deployment: str, storage_type: str, allocated_gib: int,
             iops: int | None, *, throughput_mibps: int | None = None) -> CostEstimate | None:
    """The estimate, or None where the table has no price (unknown class or a licensed engine).

    gp3 includes 3,000 IOPS and 125 MiB/s, and from the engine's threshold (400 GiB) 12,000 IOPS and
    500 MiB/s (wizard.spec.engines, GP3_PERFORMANCE_URL): only what is provisioned above that is charged.
    """
    hourly = _HOURLY.get(instance_class)
    if hourly is None or engine not in _PRICED_ENGINES:
        return None
    copies = _COPIES.get(deployment, 1)
    storage = allocated_gib * _STORAGE_GIB_MONTH.get(storage_type, 0.115)
    rules = engine_rules(engine)
    included_iops, included_throughput = (
        rules.gp3.included(allocated_gib) if rules is not None else GP3_SMALL_BASELINE)
    if iops:
        billable = iops - included_iops if storage_type == "gp3" else iops
        storage += max(billable, 0) * _IOPS_MONTH.get(storage_type, 0.0)
    if throughput_mibps and storage_type == "gp3":
        storage += max(throughput_mibps - included_throughput, 0) * _GP3_THROUGHPUT_MONTH
    return CostEstimate(compute=hourly * HOURS_PER_MONTH * copies, storage=storage * copies, copies=copies)


COST_NOTE = (
    "Rough estimate: on-demand, us-east-1 list prices, 730 hours, compute and storage only; backups beyond "
    "the free allowance, I/O and data transfer are extra. Check the AWS pricing page."
)
NO_ESTIMATE = "No estimate for {instance_class}: see the AWS pricing page."


def estimate_spec(spec: DatabaseSpec) -> CostEstimate | None:
    """The estimate for a whole spec, or None where the table has no price."""
    return estimate(spec.engine.engine, spec.instance.instance_class, spec.availability.deployment,
                    spec.storage.type, spec.storage.allocated_gib, spec.storage.iops,
                    throughput_mibps=spec.storage.throughput_mibps)
