"""Create a read replica (CreateDBInstanceReadReplica), every rule checked first, and the one fix offered.

A read replica is a copy of a source DB instance kept by asynchronous replication, with its own endpoint,
taking reads ("Working with DB instance read replicas",
https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReadRepl.html). Same region only here.
"""

from __future__ import annotations

from typing import Any

from wizard.aws.timing import GatewayLike
from wizard.day2.common import ActionPlan, Problem, aws_minutes, error_code
from wizard.day2.inventory import NOT_FOUND_CODES, describe_row, instance_row
from wizard.replicas.rules import ReplicaSource, check_source, is_managed_password_problem
from wizard.spec.engines import engine_rules
from wizard.spec.rules import identifier_problems

# Engines whose read replicas can themselves be Multi-AZ ("Working with DB instance read replicas").
MULTI_AZ_REPLICA_ENGINE_PREFIXES = ("mysql", "mariadb", "postgres", "oracle", "sqlserver")
IDENTIFIER_MAX = 63


def describe_source(gateway: GatewayLike, identifier: str) -> dict[str, Any] | None:
    """The DescribeDBInstances record of a DB instance, or None when there is none of that name."""
    try:
        found = gateway.client("rds").describe_db_instances(DBInstanceIdentifier=identifier)
    except Exception as exc:
        if error_code(exc) in NOT_FOUND_CODES:
            return None
        raise
    records: list[dict[str, Any]] = found.get("DBInstances", [])
    return records[0] if records else None


def catalog_supports_read_replica(gateway: GatewayLike, engine: str, version: str) -> bool | None:
    """DescribeDBEngineVersions' SupportsReadReplica for the version (None: not said, or not asked)."""
    try:
        found = gateway.client("rds").describe_db_engine_versions(Engine=engine, EngineVersion=version)
    except Exception:
        return None  # the engine's row still applies; the catalog only sharpens it
    for raw in found.get("DBEngineVersions", []):
        if "SupportsReadReplica" in raw:
            return bool(raw["SupportsReadReplica"])
    return None


def default_replica_name(source: str, taken: set[str]) -> str:
    """`SOURCE-replica`, then `SOURCE-replica-2`, ... : the first name not taken, within 63 characters."""
    for number in range(1, 100):
        suffix = "-replica" if number == 1 else f"-replica-{number}"
        name = source[:IDENTIFIER_MAX - len(suffix)].rstrip("-") + suffix
        if name not in taken:
            return name
    return source[:IDENTIFIER_MAX - 8] + "-replica"


def plan_create_replica(gateway: GatewayLike, source_id: str, *, identifier: str | None = None,
                        instance_class: str | None = None, availability_zone: str | None = None,
                        multi_az: bool = False) -> ActionPlan:
    """The checked plan for a read replica of `source_id`; blocks on AWS: call it from a worker."""
    plan = ActionPlan("create-replica", identifier or source_id, None, "create_db_instance_read_replica")
    record = describe_source(gateway, source_id)
    if record is None:
        plan.problems.append(Problem(
            f"There is no DB instance named {source_id} here to copy.",
            "Check the identifier (`rds-wizard list` shows every database) and the region."))
        return plan
    row = instance_row(record)
    plan.row = row
    source = ReplicaSource.from_record(record)
    supported = catalog_supports_read_replica(gateway, source.engine, source.engine_version)
    plan.problems.extend(check_source(source, supports_read_replica=supported))
    name = identifier or default_replica_name(source.identifier, {source.identifier, *source.replicas})
    plan.identifier = name
    plan.problems.extend(Problem(message, "Choose another name with --identifier.")
                         for message in identifier_problems(name, "Replica identifier (--identifier)"))
    if identifier and describe_row(gateway, name) is not None:
        plan.problems.append(Problem(f"Replica identifier (--identifier): a database named {name} exists "
                                     "already; identifiers are unique in a region.",
                                     "Choose another name with --identifier."))
    replica_class = instance_class or row.instance_class
    plan.problems.extend(_placement_problems(gateway, row.engine, row.engine_version, replica_class,
                                             availability_zone, multi_az, row.subnet_zones))
    plan.params = {"DBInstanceIdentifier": name, "SourceDBInstanceIdentifier": source.identifier,
                   "DBInstanceClass": replica_class}
    cli = (f"aws rds create-db-instance-read-replica --db-instance-identifier {name} "
           f"--source-db-instance-identifier {source.identifier} --db-instance-class {replica_class}")
    if availability_zone:
        plan.params["AvailabilityZone"] = availability_zone
        cli += f" --availability-zone {availability_zone}"
    if multi_az:
        plan.params["MultiAZ"] = True
        cli += " --multi-az"
    plan.cli = cli
    if plan.problems:
        return plan
    where = availability_zone or "an Availability Zone RDS chooses from the source's subnet group"
    plan.what_will_happen = [
        f"RDS takes a snapshot of {source.identifier} (a brief I/O pause on a Single-AZ source; none on a "
        f"Multi-AZ one, which snapshots its standby), restores {name} from it in {where}, then keeps "
        "it up to date with asynchronous replication.",
        f"{name} gets its own endpoint and takes reads only; writes still go to {source.identifier}. It "
        "lags behind the source (CloudWatch ReplicaLag); a Multi-AZ standby never does.",
        f"The status is `creating` for {aws_minutes(gateway, 15)}, longer for a large database.",
        f"Cost: {name} bills as its own DB instance ({replica_class}"
        + (", Multi-AZ: twice that" if multi_az else "") + ") plus its storage.",
        f"Same as: {cli}",
    ]
    return plan


def _placement_problems(gateway: GatewayLike, engine: str, version: str, instance_class: str,
                        availability_zone: str | None, multi_az: bool,
                        subnet_zones: tuple[str, ...]) -> list[Problem]:
    problems: list[Problem] = []
    rules = engine_rules(engine)
    label = rules.label if rules else engine
    if multi_az and not engine.startswith(MULTI_AZ_REPLICA_ENGINE_PREFIXES):
        problems.append(Problem(f"MultiAZ (--multi-az): {label} read replicas cannot be Multi-AZ.",
                                "Leave out --multi-az."))
    if multi_az and availability_zone:
        problems.append(Problem("AvailabilityZone (--availability-zone): a Multi-AZ replica's zones are "
                                "chosen by RDS; the two options cannot go together.",
                                "Leave out --availability-zone or --multi-az."))
    if availability_zone and subnet_zones and availability_zone not in subnet_zones:
        problems.append(Problem(
            f"AvailabilityZone (--availability-zone): {availability_zone} is not in the source's subnet "
            f"group (zones: {', '.join(subnet_zones)}).",
            f"Choose one of {', '.join(subnet_zones)}, or leave it out."))
    catalog = getattr(gateway, "catalog", None)  # a unit fake may have none: RDS checks the class itself
    try:
        options = catalog().orderable_options(engine, version) if catalog is not None else []
    except Exception:
        options = []  # the catalog could not answer: RDS checks the class itself
    if options:
        classes = {o.instance_class for o in options}
        if instance_class not in classes:
            problems.append(Problem(
                f"DBInstanceClass (--class): {instance_class} is not orderable for {label} {version} here.",
                "Choose one of: " + ", ".join(sorted(classes)[:8]) + ("..." if len(classes) > 8 else "")))
        elif multi_az and not any(o.multi_az_capable for o in options if o.instance_class == instance_class):
            problems.append(Problem(f"MultiAZ (--multi-az): {instance_class} cannot be Multi-AZ for {label}.",
                                    "Choose another class, or leave out --multi-az."))
    return problems


def managed_password_blocks(plan: ActionPlan) -> bool:
    """Whether the Secrets Manager limitation is among the plan's problems (the wizard can fix that one)."""
    return any(is_managed_password_problem(problem) for problem in plan.problems)


def plan_self_managed_password(gateway: GatewayLike, source_id: str) -> ActionPlan:
    """The confirmed modify that moves a source's master password out of Secrets Manager.

    The password itself joins the request only when it is sent (`send_self_managed_password`), so the
    plan can be shown, logged or kept without it.
    """
    plan = ActionPlan("modify", source_id, None, "modify_db_instance")
    plan.row = describe_row(gateway, source_id)
    plan.params = {"DBInstanceIdentifier": source_id, "ManageMasterUserPassword": False,
                   "ApplyImmediately": True}
    plan.cli = (f"aws rds modify-db-instance --db-instance-identifier {source_id} "
                "--no-manage-master-user-password --master-user-password ... --apply-immediately")
    plan.what_will_happen = [
        f"RDS stops managing the master password of {source_id} in Secrets Manager and sets the one you "
        "type now; the secret RDS managed is deleted, so anything that read it needs the new password.",
        "The change applies now; connections stay up (the password changes, the instance does not restart).",
        "You keep the password yourself from now on: it is not shown, logged or saved by rds-wizard.",
        f"Same as: {plan.cli}",
    ]
    return plan


def password_problems(engine: str, password: str) -> list[str]:
    """What RDS would refuse in a master password for this engine (the text never holds the password)."""
    rules = engine_rules(engine)
    if rules is None:
        return [] if password else ["The password is empty: type one."]
    low, high = rules.password_length
    problems = []
    if not low <= len(password) <= high:
        problems.append(f"Master password: {rules.label} needs {low}-{high} characters; this one has "
                        f"{len(password)}. Type another.")
    bad = sorted({c for c in password if c in rules.forbidden_password_chars or not c.isprintable()})
    if bad:
        shown = " ".join("space" if c == " " else (c if c.isprintable() else "a control character")
                         for c in bad)
        problems.append(f"Master password: RDS refuses {shown} in a password. Type another.")
    return problems


def send_self_managed_password(gateway: GatewayLike, plan: ActionPlan, password: str) -> None:
    """Send the modify with the password; an AWS refusal becomes an ActionFailed (without the password)."""
    from wizard.day2.common import send

    with_password = ActionPlan(plan.action, plan.identifier, plan.row, plan.operation,
                               {**plan.params, "MasterUserPassword": password})
    send(gateway, with_password)
