"""Promote a read replica to a standalone DB instance (PromoteReadReplica), checked first.

"Promoting a read replica to be a standalone DB instance"
(https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReadRepl.Promote.html): replication stops for
good, the instance reboots and becomes writable; whatever it had not replayed from the source is not there.
"""

from __future__ import annotations

from wizard.aws.timing import GatewayLike
from wizard.day2.common import ActionPlan, Problem, aws_minutes, wait_until_available
from wizard.day2.inventory import instance_row
from wizard.replicas.create import describe_source


def is_promoted(gateway: GatewayLike, identifier: str) -> bool:
    """Whether the instance is no longer anyone's replica (the promotion reached DescribeDBInstances)."""
    record = describe_source(gateway, identifier)
    return record is not None and not record.get("ReadReplicaSourceDBInstanceIdentifier")


def plan_promote(gateway: GatewayLike, identifier: str) -> ActionPlan:
    """The checked plan for promoting a replica; blocks on AWS: call it from a worker."""
    plan = ActionPlan("promote", identifier, None, "promote_read_replica")
    record = describe_source(gateway, identifier)
    if record is None:
        plan.problems.append(Problem(f"There is no DB instance named {identifier} here.",
                                     "Check the identifier (`rds-wizard list` shows every database)."))
        return plan
    row = instance_row(record)
    plan.row = row
    name = row.identifier
    source = record.get("ReadReplicaSourceDBInstanceIdentifier")
    plan.params = {"DBInstanceIdentifier": name}
    plan.cli = f"aws rds promote-read-replica --db-instance-identifier {name}"
    if not source:
        plan.problems.append(Problem(f"{name} is not a read replica: there is nothing to promote.",
                                     "Choose a replica (`rds-wizard list` shows `read replica of ...`)."))
        return plan
    if row.status != "available":
        plan.problems.append(Problem(f"{name} is `{row.status}`; RDS promotes only an available replica.",
                                     wait_until_available(name, row.status)))
        return plan
    plan.what_will_happen = [
        f"Replication from {source} to {name} stops for good: {name} becomes a standalone, writable DB "
        "instance with its own endpoint (unchanged) and can never be a replica again.",
        f"Anything {source} committed that {name} had not replayed yet is NOT on {name}: replication is "
        "asynchronous, so a promotion can lose recent writes (its RPO can be above zero). Stop writes on "
        "the source first if every write matters.",
        f"{name} reboots once (a short outage on its endpoint); {aws_minutes(gateway, 5)} in all.",
        f"{source} carries on unchanged; your applications still write there until you point them at {name}.",
        f"Same as: {plan.cli}",
    ]
    return plan
