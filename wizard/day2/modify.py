"""Convert a DB instance between Single-AZ and Multi-AZ (ModifyDBInstance MultiAZ), checked first.

What RDS does, from "Modifying a DB instance to be a Multi-AZ DB instance deployment"
(https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.MultiAZ.Migrating.html): it takes a
snapshot of the primary, restores a standby from it in another Availability Zone, then synchronises the
two. No downtime, but I/O latency can rise while it synchronises.
"""

from __future__ import annotations

from wizard.aws.timing import GatewayLike
from wizard.day2.common import ActionPlan, Problem, aws_minutes, load_row, wait_until_available
from wizard.day2.inventory import DatabaseRow

# Engines whose read replicas can be Multi-AZ ("Working with DB instance read replicas").
MULTI_AZ_REPLICA_ENGINES = ("mysql", "mariadb", "postgres", "oracle", "sqlserver")


def plan_availability(gateway: GatewayLike, identifier: str, multi_az: bool, *,
                      apply_immediately: bool) -> ActionPlan:
    """The checked plan for turning Multi-AZ on (or off); blocks on AWS: call it from a worker."""
    plan = ActionPlan("modify", identifier, None, "modify_db_instance")
    row = load_row(gateway, identifier, plan)
    plan.row = row
    if row is None:
        return plan
    flag = "--multi-az" if multi_az else "--no-multi-az"
    plan.params = {"DBInstanceIdentifier": row.identifier, "MultiAZ": multi_az,
                   "ApplyImmediately": apply_immediately}
    plan.cli = (f"aws rds modify-db-instance --db-instance-identifier {row.identifier} {flag} "
                + ("--apply-immediately" if apply_immediately else "--no-apply-immediately"))
    plan.problems.extend(_problems(gateway, row, multi_az))
    if plan.problems:
        return plan
    others = ", ".join(z for z in row.subnet_zones if z != row.availability_zone) or "its subnet group's AZs"
    standby = row.secondary_availability_zone or "its other AZ"
    if multi_az:
        plan.what_will_happen = [
            f"RDS takes a snapshot of {row.identifier}, restores a standby from it in another Availability "
            f"Zone (one of {others}), then keeps it in sync with synchronous replication.",
            "No downtime: the primary keeps serving reads and writes. While the standby catches up, I/O "
            "latency and commit times can be higher than usual.",
            f"The status is `modifying` for the whole conversion: {aws_minutes(gateway, 10)}, longer "
            "for a large database.",
            "Cost: a Multi-AZ DB instance bills the standby too, about twice the instance and storage "
            "price of a Single-AZ one.",
        ]
    else:
        plan.what_will_happen = [
            f"RDS removes the standby of {row.identifier} (in {standby}); the primary keeps running.",
            "No downtime, but from then on a failure of the primary's Availability Zone takes the database "
            "down until RDS replaces the host, and a failover test is no longer possible.",
            "Cost: the standby's instance and storage charges stop.",
        ]
    if apply_immediately:
        plan.what_will_happen.append("Applied now (--apply-immediately), with any other pending change.")
    else:
        plan.what_will_happen.append(
            f"Applied in the next maintenance window, not now: until then it shows as a pending "
            f"modification (MultiAZ={multi_az}). Use --apply-immediately to convert now.")
    plan.what_will_happen.append(f"Same as: {plan.cli}")
    return plan


def _problems(gateway: GatewayLike, row: DatabaseRow, multi_az: bool) -> list[Problem]:
    from wizard.spec.engines import ENGINES

    name = row.identifier
    if row.kind == "cluster" or row.cluster:
        return [Problem(f"{name} is part of a Multi-AZ DB cluster, which always keeps two readable standbys "
                        "in other AZs; there is no Single-AZ/Multi-AZ switch for it.",
                        "Choose a DB instance; to leave the cluster, restore a snapshot as a DB instance.")]
    if row.multi_az == multi_az:
        now = "Multi-AZ" if multi_az else "Single-AZ"
        return [Problem(f"{name} is already a {now} DB instance; nothing to change.",
                        "Choose the other direction, or another database (`rds-wizard list`).")]
    if any(p.startswith("MultiAZ=") for p in row.pending):
        return [Problem(f"{name} already has a pending Multi-AZ change ({', '.join(row.pending)}).",
                        f"Let it apply in the maintenance window, or apply it now: `rds-wizard modify {name} "
                        f"{'--multi-az' if multi_az else '--single-az'} --apply-immediately`.")]
    problems: list[Problem] = []
    if row.status != "available":
        problems.append(Problem(f"{name} is `{row.status}`; RDS changes only an available DB instance.",
                                wait_until_available(name, row.status)))
    if not multi_az:
        return problems
    rules = ENGINES.get(row.engine)
    if rules is not None and not rules.supports_multi_az_instance:
        problems.append(Problem(f"{rules.label} ({row.engine}) does not support Multi-AZ.",
                                "Move to an edition that does (SQL Server Standard or Enterprise), e.g. by "
                                "restoring a snapshot into it."))
    if row.replica_source and row.engine not in MULTI_AZ_REPLICA_ENGINES:
        problems.append(Problem(f"{name} is a read replica of {row.replica_source}; RDS offers Multi-AZ read "
                                f"replicas only for {', '.join(MULTI_AZ_REPLICA_ENGINES)}.",
                                f"Make the source {row.replica_source} Multi-AZ instead, or promote the "
                                "replica first."))
    others = [z for z in row.subnet_zones if z != row.availability_zone]
    if row.subnet_zones and not others:
        group = row.subnet_group or "its DB subnet group"
        problems.append(Problem(
            f"The DB subnet group {group} has subnets in only one Availability Zone "
            f"({', '.join(row.subnet_zones)}), so there is nowhere to put a standby.",
            f"Add a subnet in another AZ of the same VPC to {group} (aws rds modify-db-subnet-group "
            f"--db-subnet-group-name {group} --subnet-ids <existing ids> <new subnet id>), then run this "
            "again."))
    if not _class_allows_multi_az(gateway, row):
        problems.append(Problem(f"RDS does not offer {row.instance_class} as Multi-AZ for {row.engine} "
                                f"{row.engine_version}.",
                                "Change the instance class first (aws rds modify-db-instance "
                                "--db-instance-class ...) to one offered Multi-AZ."))
    return problems


def _class_allows_multi_az(gateway: GatewayLike, row: DatabaseRow) -> bool:
    """False only when the orderable options say no; an unreadable catalog is not a refusal."""
    catalog = getattr(gateway, "catalog", None)
    if catalog is None:
        return True
    try:
        options = [o for o in catalog.orderable_options(row.engine, row.engine_version)
                   if o.instance_class == row.instance_class]
    except Exception:  # AWS decides; an unreadable catalog must not reject what AWS may accept
        return True
    return not options or any(o.multi_az_capable for o in options)
