"""Where the demo changes moto 5.2.5 (pinned exactly): RDS handlers, validation, lifecycle hooks.

Every patch checks whether the request's account belongs to a running demo (`register`); for any other
account (a plain `mock_aws` in the same process) moto behaves as shipped, except for corrections that
only make moto more like AWS: maintenance windows that cross midnight are accepted, DescribeOptionGroups
answers without arguments, DescribeDBEngineVersions exists, and an instance in `creating` (a status
only the demo sets) has no endpoint. tests/unit/test_demo_moto_contract.py fails if the moto
internals used here change.
"""

from __future__ import annotations

import json
import secrets
import string
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import moto.rds.models as rds_models
from moto.core.responses import ActionResult, PaginatedResult
from moto.rds.exceptions import RDSClientError
from moto.rds.models import DBCluster, DBInstance, MasterUserSecret, rds_backends
from moto.rds.responses import RDSResponse

from wizard.aws import error_codes
from wizard.demo import catalogdata, replicapatches
from wizard.demo.simulator import DemoApiError, Simulator
from wizard.demo.windows import check_maintenance_window, seconds_until_window

_SIMULATORS: dict[str, Simulator] = {}
_INSTALL_LOCK = threading.Lock()
_installed = False
_COVERAGE = ("The DB subnet group doesn't meet Availability Zone (AZ) coverage requirement. Current AZ "
             "coverage: {zones}. Add subnets to cover at least {needed} AZs.")
# A Multi-AZ DB cluster (not Aurora) is made of a DB cluster instance class and storage.
_MULTI_AZ_CLUSTER_ENGINES = ("mysql", "postgres")
# Printable ASCII RDS accepts in a master password: no '/', '"', '@' or space.
_PASSWORD_ALPHABET = "".join(c for c in string.ascii_letters + string.digits + "!#$%&()*+,-.:;<=>?[]^_{|}~")


def register(account_id: str, simulator: Simulator) -> None:
    """Requests for this account are now handled by this demo's simulator."""
    install()
    _SIMULATORS[account_id] = simulator


def unregister(account_id: str) -> None:
    """The demo of this account stopped."""
    _SIMULATORS.pop(account_id, None)


def _params(response: Any, *names: str) -> dict[str, Any]:
    """Request parameters by their API names (moto's own dict is keyed in snake_case)."""
    return {name: response.params.get(name) for name in names if response.params.get(name) is not None}


def _simulator(response: Any) -> Simulator | None:
    return _SIMULATORS.get(response.current_account)


def _named_instance(response: Any) -> Any:
    """The DB instance a request names; without a name moto would pick the account's first one."""
    identifier = response.params.get("DBInstanceIdentifier")
    if not identifier:
        raise RDSClientError("MissingParameter",
                             "The request must contain the parameter DBInstanceIdentifier")
    return response.backend.describe_db_instances(identifier)[0]


def _api_error(error: DemoApiError) -> RDSClientError:
    return RDSClientError(error.code, error.message)


def _subnet_zones(backend: Any, group_name: str | None) -> list[str] | None:
    """The AZs a DB subnet group covers, None if there is no such group (moto reports that)."""
    group = backend.subnet_groups.get((group_name or "default").lower())
    if group is None:
        return None
    return sorted({subnet["SubnetAvailabilityZone"]["Name"] for subnet in group.subnets})


def _check_coverage(zones: list[str], needed: int) -> None:
    if len(zones) < needed:
        raise RDSClientError("DBSubnetGroupDoesNotCoverEnoughAZs",
                             _COVERAGE.format(zones=", ".join(zones), needed=needed))


# MasterUserPassword lengths by engine [API]; printable ASCII except / " @ and space.
_PASSWORD_LENGTHS = {"mysql": (8, 41), "mariadb": (8, 41), "postgres": (8, 128)}
_PASSWORD_CHARACTERS = ("The parameter MasterUserPassword is not a valid password. Only printable ASCII "
                        "characters besides '/', '@', '\"', ' ' may be used.")
_RESERVED_USERNAMES = {"postgres": ("rdsadmin", "admin"), "mysql": ("rdsadmin",), "mariadb": ("rdsadmin",)}


def _check_credentials(engine: str, params: Any) -> None:
    """The master user checks RDS makes for the engines the demo offers."""
    username = params.get("MasterUsername")
    if username and username.lower() in _RESERVED_USERNAMES.get(engine, ()):
        raise RDSClientError("InvalidParameterValue", f"MasterUsername {username} cannot be used as it is a "
                                                      "reserved word used by the engine")
    password = params.get("MasterUserPassword")
    if password is None:
        return
    if params.get("ManageMasterUserPassword"):
        raise RDSClientError("InvalidParameterCombination", "You can't specify MasterUserPassword when "
                                                            "ManageMasterUserPassword is turned on.")
    if any(c in '/@" ' or not 32 < ord(c) < 127 for c in password):
        raise RDSClientError("InvalidParameterValue", _PASSWORD_CHARACTERS)
    shortest, longest = _PASSWORD_LENGTHS.get(engine, (8, 128))
    invalid = "The parameter MasterUserPassword is not a valid password because it is"
    if len(password) < shortest:
        raise RDSClientError("InvalidParameterValue", f"{invalid} shorter than {shortest} characters.")
    if len(password) > longest:
        raise RDSClientError("InvalidParameterValue", f"{invalid} longer than {longest} characters.")


def _check_combination(engine: str, version: str, instance_class: str, license_model: str | None,
                       *, cluster: bool) -> None:
    data = catalogdata.engines().get(engine)
    if data is None:
        return  # an engine the demo has no catalog for: moto decides
    if data.family(version) is None:
        raise RDSClientError("InvalidParameterCombination", f"Cannot find version {version} for {engine}")
    if not catalogdata.class_supported(engine, version, instance_class, cluster=cluster):
        kind = "DB cluster" if cluster else "DB instance"
        raise RDSClientError(
            "InvalidParameterCombination",
            f"RDS does not support creating a {kind} with the following combination: "
            f"DBInstanceClass={instance_class}, Engine={engine}, EngineVersion={version}, "
            f"LicenseModel={license_model or data.license_model}. For supported combinations of instance "
            "class and database engine version, see the documentation.")


def _default_option_group(engine: str, version: str) -> str:
    data = catalogdata.engines()[engine]
    return f"default:{engine}-{data.major_version(version).replace('.', '-')}"


# -- handlers ---------------------------------------------------------------------------------------
def _describe_db_engine_versions(self: Any) -> ActionResult:
    return PaginatedResult({"DBEngineVersions": catalogdata.describe_engine_versions(
        _params(self, "Engine", "EngineVersion", "DBParameterGroupFamily", "DefaultOnly"))})


def _wrap_describe_orderable(original: Callable[[Any], ActionResult]) -> Callable[[Any], ActionResult]:
    def handler(self: Any) -> ActionResult:
        if self.params.get("Engine") not in catalogdata.engines():
            return original(self)
        options = catalogdata.describe_orderable(
            _params(self, "Engine", "EngineVersion", "DBInstanceClass", "LicenseModel", "Vpc"))
        return PaginatedResult({"OrderableDBInstanceOptions": options})
    return handler


def _describe_option_groups(self: Any) -> ActionResult:
    name = self.params.get("OptionGroupName")
    engine = self.params.get("EngineName")
    major = self.params.get("MajorEngineVersion")
    groups = [
        g for g in self.backend.option_groups.values()
        if (not name or g.name == name.lower()) and (not engine or g.engine_name == engine)
        and (not major or g.major_engine_version == major)
    ]
    if name and not groups:
        raise RDSClientError("OptionGroupNotFoundFault", f"Specified OptionGroupName: {name} not found.")
    return PaginatedResult({"OptionGroupsList": groups})


def _wrap_create_db_instance(original: Callable[[Any], ActionResult]) -> Callable[[Any], ActionResult]:
    def handler(self: Any) -> ActionResult:
        simulator = _simulator(self)
        if simulator is None:
            return original(self)
        params = self.params
        engine = params.get("Engine")
        if params.get("MultiAZ") and params.get("AvailabilityZone"):
            raise RDSClientError(
                "InvalidParameterCombination",
                "Requesting a specific availability zone is not valid for Multi-AZ instances.")
        zones = _subnet_zones(self.backend, params.get("DBSubnetGroupName"))
        if zones is not None:
            _check_coverage(zones, 2)
        data = catalogdata.engines().get(engine or "")
        if data is not None:
            if not params.get("EngineVersion"):
                params["EngineVersion"] = data.default_version
            _check_combination(engine, params["EngineVersion"], params.get("DBInstanceClass", ""),
                               params.get("LicenseModel"), cluster=False)
            _check_credentials(engine, params)
            if not params.get("LicenseModel"):
                params["LicenseModel"] = data.license_model
        result = original(self)
        db = self.backend.databases[params["DBInstanceIdentifier"].lower()]
        if data is not None and not params.get("OptionGroupName"):
            db.option_group_name = _default_option_group(engine, db.engine_version)
        db._demo_requested_az = params.get("AvailabilityZone")
        simulator.instance_created(db, zones or [f"{self.region}a", f"{self.region}b"])
        return result
    return handler


def _wrap_reboot(original: Callable[[Any], ActionResult]) -> Callable[[Any], ActionResult]:
    def handler(self: Any) -> ActionResult:
        simulator = _simulator(self)
        if simulator is None:
            return original(self)
        db = _named_instance(self)
        try:
            simulator.reboot(db, bool(self.params.get("ForceFailover")))
        except DemoApiError as error:
            raise _api_error(error) from None
        return ActionResult({"DBInstance": db})
    return handler


def _wrap_modify_db_instance(original: Callable[[Any], ActionResult]) -> Callable[[Any], ActionResult]:
    def handler(self: Any) -> ActionResult:
        simulator = _simulator(self)
        if simulator is None:
            return original(self)
        db = _named_instance(self)
        try:
            simulator.check_modifiable(db)
        except DemoApiError as error:
            raise _api_error(error) from None
        was_multi_az = bool(db.multi_az)
        password = self.params.get("MasterUserPassword")
        replicapatches.check_modify(db, self.params)
        if password is not None:
            _check_credentials(db.engine, {"MasterUserPassword": password})
        immediately = _is_true(self.params.get("ApplyImmediately"))
        result = original(self)
        if bool(db.multi_az) != was_multi_az:
            if immediately:
                db.pending_modified_values = None
                simulator.multi_az_changed(db)
            else:  # RDS waits for the maintenance window and shows it as pending meanwhile
                wanted = bool(db.multi_az)
                db.multi_az = was_multi_az
                simulator.multi_az_pending(db, wanted, seconds_until_window(db.preferred_maintenance_window,
                                                                            datetime.now(UTC)))
                result = ActionResult({"DBInstance": db})
        elif immediately and getattr(db, "pending_modified_values", None):
            simulator.apply_pending(db)
        if password is not None:
            simulator.master_password_changed(db, str(password))
        return result
    return handler


def _wrap_stop_start(original: Callable[[Any], ActionResult],
                     stopping: bool) -> Callable[[Any], ActionResult]:
    def handler(self: Any) -> ActionResult:
        simulator = _simulator(self)
        if simulator is not None:
            if stopping:
                replicapatches.check_stop(_named_instance(self))
            try:
                simulator.check_standby_idle(_named_instance(self).db_instance_identifier)
            except DemoApiError as error:
                raise _api_error(error) from None
        result = original(self)
        if simulator is not None:
            db = _named_instance(self)
            if stopping:
                simulator.stopped(db)
            else:
                simulator.started(db)
        return result
    return handler


def _wrap_delete_db_instance(original: Callable[[Any], ActionResult]) -> Callable[[Any], ActionResult]:
    def handler(self: Any) -> ActionResult:
        identifier = str(self.params.get("DBInstanceIdentifier", "")).lower()
        backend = self.backend
        database = backend.databases.get(identifier)
        arn = database.db_instance_arn if database is not None else ""
        simulator = _simulator(self)
        if simulator is not None and database is not None and database.status == "deleting":
            raise RDSClientError(error_codes.INVALID_DB_INSTANCE_STATE,
                                 f"Instance {identifier} is already being deleted.")
        if simulator is not None:
            replicapatches.before_delete(simulator, backend, database)
        result = original(self)
        if simulator is not None:
            simulator.instance_deleted(identifier, arn)
            snapshot = backend.database_snapshots.get(str(self.params.get("FinalDBSnapshotIdentifier") or ""))
            if snapshot is not None:
                simulator.snapshot_creating(snapshot)
            if database is not None:  # the record lingers as `deleting`, as RDS shows it for minutes
                backend.databases[identifier] = database
                simulator.deleting(database, lambda: _forget(backend.databases, identifier, database))
        return result
    return handler


def _forget(records: dict[str, Any], identifier: str, record: Any) -> None:
    if records.get(identifier) is record:
        del records[identifier]


def _is_true(value: Any) -> bool:
    return value is True or str(value).lower() == "true"


def _wrap_create_db_cluster(original: Callable[[Any], ActionResult]) -> Callable[[Any], ActionResult]:
    def handler(self: Any) -> ActionResult:
        simulator = _simulator(self)
        params = self.params
        engine = params.get("Engine")
        if simulator is None or engine not in _MULTI_AZ_CLUSTER_ENGINES:
            return original(self)
        instance_class = params.get("DBClusterInstanceClass")
        if not instance_class:
            raise RDSClientError("InvalidParameterCombination",
                                 "A Multi-AZ DB cluster needs a DBClusterInstanceClass and storage "
                                 "(AllocatedStorage, StorageType, Iops).")
        zones = _subnet_zones(self.backend, params.get("DBSubnetGroupName"))
        if zones is not None:
            _check_coverage(zones, 3)
        data = catalogdata.engines()[engine]
        if not params.get("EngineVersion"):
            params["EngineVersion"] = data.default_version
        _check_combination(engine, params["EngineVersion"], instance_class, None, cluster=True)
        _check_credentials(engine, params)
        result = original(self)
        cluster = self.backend.clusters[params["DBClusterIdentifier"].lower()]
        cluster._demo_managed = True
        cluster.option_group_name = _default_option_group(engine, cluster.engine_version)
        member_zones = (zones or [f"{self.region}{x}" for x in "abc"])[:3]
        cluster.availability_zones = list(member_zones)
        members = []
        for number, zone in enumerate(member_zones, start=1):
            member = self.backend.create_db_instance({
                "db_instance_identifier": f"{cluster.db_cluster_identifier}-instance-{number}",
                "db_cluster_identifier": cluster.db_cluster_identifier,
                "db_instance_class": instance_class,
                "engine": engine,
                "engine_version": cluster.engine_version,
                "availability_zone": zone,
                "db_subnet_group_name": params.get("DBSubnetGroupName"),
                "port": cluster.port,
                "multi_az": False,
            })
            members.append(member)
        simulator.cluster_created(cluster, members)
        return result
    return handler


def _wrap_failover_db_cluster(original: Callable[[Any], ActionResult]) -> Callable[[Any], ActionResult]:
    def handler(self: Any) -> ActionResult:
        simulator = _simulator(self)
        identifier = str(self.params.get("DBClusterIdentifier", "")).lower()
        if simulator is None or not simulator.is_managed_cluster(identifier):
            return original(self)
        cluster = self.backend.clusters[identifier]
        try:
            simulator.failover_cluster(cluster, self.params.get("TargetDBInstanceIdentifier"))
        except DemoApiError as error:
            raise _api_error(error) from None
        return ActionResult({"DBCluster": cluster})
    return handler


def _wrap_delete_db_cluster(original: Callable[[Any], ActionResult]) -> Callable[[Any], ActionResult]:
    def handler(self: Any) -> ActionResult:
        identifier = str(self.params.get("DBClusterIdentifier", "")).lower()
        simulator = _simulator(self)
        backend = self.backend
        cluster = backend.clusters.get(identifier)
        if simulator is None or cluster is None or not simulator.is_managed_cluster(identifier):
            return original(self)
        if cluster.status == "deleting":
            raise RDSClientError(error_codes.INVALID_DB_CLUSTER_STATE_FAULT,
                                 f"DB cluster {identifier} is already being deleted.")
        if cluster.deletion_protection:
            raise RDSClientError("InvalidParameterCombination",
                                 "Cannot delete protected Cluster, please disable deletion protection and "
                                 "try again.")
        # A Multi-AZ DB cluster's members go with it (DeleteDBCluster); moto wants them deleted first.
        for member in list(cluster.members):
            name = member.db_instance_identifier
            backend.delete_db_instance(name, skip_final_snapshot=True)
            simulator.instance_deleted(name, member.db_instance_arn)
        result = original(self)
        simulator.cluster_deleted(identifier)
        snapshot = backend.cluster_snapshots.get(str(self.params.get("FinalDBSnapshotIdentifier") or ""))
        if snapshot is not None:
            simulator.snapshot_creating(snapshot)
        backend.clusters[identifier] = cluster
        simulator.deleting(cluster, lambda: _forget(backend.clusters, identifier, cluster), cluster=True)
        return result
    return handler


def _wrap_describe_events(original: Callable[[Any], ActionResult]) -> Callable[[Any], ActionResult]:
    def handler(self: Any) -> ActionResult:
        simulator = _simulator(self)
        if simulator is None:
            return original(self)
        params = _params(self, "SourceIdentifier", "SourceType", "StartTime", "EndTime", "Duration",
                         "EventCategories", "MaxRecords", "Marker")
        if params.get("SourceIdentifier") and not params.get("SourceType"):
            raise RDSClientError("InvalidParameterCombination",
                                 "Cannot specify source identifier without source type")
        events = simulator.describe_events(params)
        start = int(params.get("Marker") or 0)
        size = int(params.get("MaxRecords") or 100)
        page = events[start:start + size]
        result: dict[str, Any] = {"Events": page}
        if start + size < len(events):
            result["Marker"] = str(start + size)
        return ActionResult(result)
    return handler


# -- model corrections -------------------------------------------------------------------------------
def _endpoint_property(original: property) -> property:
    def endpoint(self: Any) -> Any:
        # RDS has no endpoint for an instance until it leaves `creating`.
        return None if self.status == "creating" else original.fget(self)  # type: ignore[misc]
    return property(endpoint)


def _cluster_status_property(original: property) -> property:
    def status(self: Any) -> str:
        # moto flips `creating` to `available` on first read; a demo cluster follows the simulator.
        if getattr(self, "_demo_managed", False):
            return str(self._status)
        return str(original.fget(self))  # type: ignore[misc]
    return property(status, original.fset)


def _wrap_secret_string(original: Callable[[Any], str]) -> Callable[[Any], str]:
    def generate(self: Any) -> str:
        if self.resource.account_id not in _SIMULATORS:
            return original(self)
        return _secret_string(self)
    return generate


def _secret_string(self: Any) -> str:
    """The managed secret as RDS makes it: the real master username and a generated password."""
    username = getattr(self.resource, "master_username", None) or "admin"
    password = "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(28))
    return json.dumps({"username": username, "password": password})


def install() -> None:
    """Apply the patches once per process (idempotent)."""
    global _installed
    with _INSTALL_LOCK:
        if _installed:
            return
        models: Any = rds_models
        models.valid_preferred_maintenance_window = check_maintenance_window
        response: Any = RDSResponse
        response.describe_db_engine_versions = _describe_db_engine_versions
        response.describe_orderable_db_instance_options = _wrap_describe_orderable(
            RDSResponse.describe_orderable_db_instance_options)
        response.describe_option_groups = _describe_option_groups
        response.create_db_instance = _wrap_create_db_instance(RDSResponse.create_db_instance)
        response.reboot_db_instance = _wrap_reboot(RDSResponse.reboot_db_instance)
        response.delete_db_instance = _wrap_delete_db_instance(RDSResponse.delete_db_instance)
        response.modify_db_instance = _wrap_modify_db_instance(RDSResponse.modify_db_instance)
        response.stop_db_instance = _wrap_stop_start(RDSResponse.stop_db_instance, stopping=True)
        response.start_db_instance = _wrap_stop_start(RDSResponse.start_db_instance, stopping=False)
        response.create_db_cluster = _wrap_create_db_cluster(RDSResponse.create_db_cluster)
        response.failover_db_cluster = _wrap_failover_db_cluster(RDSResponse.failover_db_cluster)
        response.delete_db_cluster = _wrap_delete_db_cluster(RDSResponse.delete_db_cluster)
        response.describe_events = _wrap_describe_events(RDSResponse.describe_events)
        response.create_db_instance_read_replica = replicapatches.wrap_create_read_replica(
            RDSResponse.create_db_instance_read_replica)
        response.promote_read_replica = replicapatches.wrap_promote_read_replica(
            RDSResponse.promote_read_replica)
        instance: Any = DBInstance
        instance.endpoint = _endpoint_property(DBInstance.__dict__["endpoint"])
        cluster: Any = DBCluster
        cluster.status = _cluster_status_property(DBCluster.__dict__["status"])
        secret: Any = MasterUserSecret
        secret._generate_secret_string = _wrap_secret_string(MasterUserSecret._generate_secret_string)
        _installed = True


def rds_backend(account_id: str, region: str) -> Any:
    """moto's RDS backend of an account and region (for seeding)."""
    return rds_backends[account_id][region]
