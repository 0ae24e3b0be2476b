"""Reboot a DB instance (RebootDBInstance), optionally forcing a Multi-AZ failover, checked first.

"Rebooting a DB instance" (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_RebootInstance.html):
the database is unavailable while it restarts; with failover, the standby becomes the primary.
"""

from __future__ import annotations

from wizard.aws.timing import GatewayLike
from wizard.day2.common import ActionPlan, Problem, load_row, wait_until_available


def plan_reboot(gateway: GatewayLike, identifier: str, *, failover: bool) -> ActionPlan:
    """The checked plan for a reboot (with or without failover); blocks on AWS: call it from a worker."""
    plan = ActionPlan("reboot", identifier, None, "reboot_db_instance")
    row = load_row(gateway, identifier, plan)
    plan.row = row
    if row is None:
        return plan
    name = row.identifier
    plan.params = {"DBInstanceIdentifier": name}
    if failover:
        plan.params["ForceFailover"] = True
    plan.cli = f"aws rds reboot-db-instance --db-instance-identifier {name}" + (" --force-failover"
                                                                                   if failover else "")
    if row.kind == "cluster":
        plan.problems.append(Problem(f"{name} is a Multi-AZ DB cluster; reboot its members one by one.",
                                     f"Choose a member of {name} in the list, or use "
                                     f"`rds-wizard failover-test {name}` to move the writer."))
        return plan
    if row.status != "available":
        plan.problems.append(Problem(f"{name} is `{row.status}`; RDS reboots only an available DB instance.",
                                     wait_until_available(name, row.status)))
    if failover and not row.multi_az:
        plan.problems.append(Problem(f"{name} is Single-AZ: there is no standby to fail over to.",
                                     "Reboot without --failover, or make it Multi-AZ first "
                                     f"(`rds-wizard modify {name} --multi-az --apply-immediately`)."))
    if plan.problems:
        return plan
    if failover:
        plan.what_will_happen = [
            f"RDS restarts {name} and promotes the standby in {row.secondary_availability_zone} to primary; "
            f"the old primary in {row.availability_zone} becomes the standby.",
            "Connections drop; the endpoint's DNS moves to the new primary, typically within 60-120 s.",
        ]
    else:
        plan.what_will_happen = [
            f"RDS restarts the database engine of {name} in place ({row.availability_zone}).",
            "Connections drop while it restarts (usually under a minute), then it is `available` again.",
        ]
    plan.what_will_happen.append(f"Same as: {plan.cli}")
    return plan
