"""Where the demo changes moto 5.2.5's read replica handlers (installed by motopatches.install).

moto's CreateDBInstanceReadReplica makes the replica a shallow copy of the source (shared tag, log
export and security group lists; the source's AZ, Multi-AZ setting, backups and status) and checks
nothing; its PromoteReadReplica leaves ReadReplicaSourceDBInstanceIdentifier set and the source's list
unchanged; deleting a source leaves its replicas pointing at it. Here the demo's account gets RDS's
checks and fields instead, and its simulator drives the replica (wizard.demo.replicas). Other accounts
keep moto as shipped. tests/unit/test_demo_moto_contract.py covers the moto internals used.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from moto.cloudwatch.models import cloudwatch_backends
from moto.core.responses import ActionResult
from moto.rds.exceptions import RDSClientError

from wizard.demo.replicas import NAMESPACE, ReplicaRefused, check_create, metric_datum

Handler = Callable[[Any], ActionResult]


def _simulator(response: Any) -> Any:
    from wizard.demo.motopatches import _simulator as find

    return find(response)


def _refused(error: ReplicaRefused) -> RDSClientError:
    return RDSClientError(error.code, error.message)


def _publish(db: Any, lag: float) -> None:
    """ReplicaLag into the moto CloudWatch of the replica's account and region (AWS/RDS namespace)."""
    cloudwatch_backends[db.account_id][db.region].put_metric_data(NAMESPACE, [metric_datum(db, lag)])


def _zones(db: Any, region: str) -> list[str]:
    """The AZs the replica's DB subnet group (the source's, by default) covers."""
    group = getattr(db, "db_subnet_group", None)
    zones = sorted({s["SubnetAvailabilityZone"]["Name"] for s in getattr(group, "subnets", None) or []})
    return zones or [f"{region}a", f"{region}b"]


def _separate(replica: Any, source: Any) -> None:
    """Give the copied replica lists and dicts of its own, so a change to one never shows on the other."""
    for name, value in list(vars(replica).items()):
        if value is not getattr(source, name, None):
            continue
        if isinstance(value, list):
            setattr(replica, name, list(value))
        elif isinstance(value, dict):
            setattr(replica, name, dict(value))


def wrap_create_read_replica(original: Handler) -> Handler:
    """CreateDBInstanceReadReplica: RDS's refusals, a replica of its own, the simulator's lifecycle."""
    def handler(self: Any) -> ActionResult:
        simulator = _simulator(self)
        if simulator is None:
            return original(self)
        params = self.params
        source_id = str(params.get("SourceDBInstanceIdentifier") or "")
        if not source_id:
            raise RDSClientError("MissingParameter",
                                 "The request must contain the parameter SourceDBInstanceIdentifier")
        source = self.backend.find_db_from_id(source_id)  # DBInstanceNotFound as moto (and RDS) say it
        if params.get("MultiAZ") and params.get("AvailabilityZone"):
            raise RDSClientError(
                "InvalidParameterCombination",
                "Requesting a specific availability zone is not valid for Multi-AZ instances.")
        try:
            check_create(source, len(source.replicas))
        except ReplicaRefused as error:
            raise _refused(error) from None
        result = original(self)
        replica = self.backend.databases[str(params["DBInstanceIdentifier"]).lower()]
        _separate(replica, source)
        replica.source_db_instance_identifier = source.db_instance_identifier
        replica.backup_retention_period = 0  # "RDS creates read replicas with backups disabled"
        replica.multi_az = _is_true(params.get("MultiAZ"))  # not the source's: a replica's own choice
        replica.pending_modified_values = None
        replica._demo_requested_az = params.get("AvailabilityZone")
        simulator.replicas.publish = _publish
        simulator.replicas.created(source, replica, _zones(replica, self.region))
        return result
    return handler


def wrap_promote_read_replica(original: Handler) -> Handler:
    """PromoteReadReplica: RDS's refusals, then the simulator's promotion (modifying, rebooting,
    available)."""
    def handler(self: Any) -> ActionResult:
        simulator = _simulator(self)
        if simulator is None:
            return original(self)
        from wizard.demo.motopatches import _named_instance

        db = _named_instance(self)
        try:
            simulator.replicas.check_promote(db)
        except ReplicaRefused as error:
            raise _refused(error) from None
        # The API's default: a promoted replica has one day of automated backups unless told otherwise.
        retention = self.params.get("BackupRetentionPeriod")
        db.backup_retention_period = int(retention) if retention is not None else 1
        source = self.backend.databases.get(str(db.source_db_instance_identifier or "").lower())
        simulator.replicas.promote(db, source)
        return ActionResult({"DBInstance": db})
    return handler


def check_modify(db: Any, params: Any) -> None:
    """ModifyDBInstance cannot give a PostgreSQL read replica a password of its own: physical replication
    copies the source's roles (RDS's words, terraform-aws-modules/terraform-aws-rds issue 526)."""
    if getattr(db, "is_replica", False) and db.engine == "postgres" and params.get("MasterUserPassword"):
        raise RDSClientError("InvalidParameterCombination",
                             "Cannot change master user password on an RDS postgres Read Replica because it "
                             "uses physical replication and therefore cannot differ from its parent.")


def check_stop(db: Any) -> None:
    """StopDBInstance refuses a read replica and a source of one ("Stopping an Amazon RDS DB instance
    temporarily", limitations: https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_StopInstance.html).
    The code is RDS's for a state it cannot act in; the exact message is unverified."""
    identifier = db.db_instance_identifier
    if getattr(db, "is_replica", False):
        raise RDSClientError("InvalidDBInstanceState",
                             f"Cannot stop DB instance {identifier}: it is a read replica.")
    if db.replicas:
        raise RDSClientError("InvalidDBInstanceState",
                             f"Cannot stop DB instance {identifier}: it has read replicas.")


def before_delete(simulator: Any, backend: Any, database: Any) -> None:
    """DeleteDBInstance of a replica detaches it; of a source, promotes its replicas (as RDS does)."""
    if database is None:
        return
    if database.replicas:
        simulator.replicas.source_deleted(backend, database)
    if getattr(database, "is_replica", False):
        simulator.replicas.replica_deleted(database.db_instance_identifier)


def _is_true(value: Any) -> bool:
    return value is True or str(value).lower() == "true"
