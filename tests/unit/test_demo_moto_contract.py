"""The moto internals the demo relies on (wizard/demo/motopatches.py). If moto changes, this fails first.

moto is pinned exactly in pyproject.toml; upgrading it means re-reading motopatches.py against these.
"""

from __future__ import annotations

import inspect
from importlib.metadata import version
from pathlib import Path

import pytest


def test_moto_is_the_pinned_version() -> None:
    assert version("moto") == "5.2.5"


def test_rds_response_handlers_the_demo_wraps_exist() -> None:
    from moto.rds.responses import RDSResponse

    for name in ("describe_orderable_db_instance_options", "describe_option_groups", "create_db_instance",
                 "reboot_db_instance", "delete_db_instance", "create_db_cluster", "failover_db_cluster",
                 "delete_db_cluster", "describe_events", "modify_db_instance", "stop_db_instance",
                 "start_db_instance"):
        assert callable(getattr(RDSResponse, name)), name


def test_read_replica_internals_the_demo_corrects() -> None:
    # wizard/demo/replicapatches.py: moto copies the source, keeps a list of replica names on it, and
    # marks the copy with is_replica / source_db_instance_identifier; CloudWatch's backend takes datapoints.
    from moto.cloudwatch.models import CloudWatchBackend
    from moto.rds.models import DBInstance, RDSBackend
    from moto.rds.responses import RDSResponse

    assert callable(RDSResponse.create_db_instance_read_replica)
    assert callable(RDSResponse.promote_read_replica)
    copy_source = inspect.getsource(RDSBackend.create_db_instance_read_replica)
    assert "copy.copy(primary)" in copy_source and "add_replica" in copy_source
    assert "remove_replica" in inspect.getsource(RDSBackend.delete_db_instance)
    for name in ("add_replica", "remove_replica", "set_as_replica", "read_replica_db_instance_identifiers",
                 "read_replica_source_db_instance_identifier"):
        assert name in dir(DBInstance), name
    assert list(inspect.signature(CloudWatchBackend.put_metric_data).parameters) == [
        "self", "namespace", "metric_data"]
    assert "find_db_from_id" in dir(RDSBackend)


def test_moto_has_no_engine_versions_handler_of_its_own() -> None:
    # The demo adds it; if moto grows one, compare the two before keeping ours.
    from moto.rds.responses import RDSResponse

    original = RDSResponse.__dict__.get("describe_db_engine_versions")
    assert original is None or original.__module__ == "wizard.demo.motopatches"


def test_model_attributes_the_simulator_sets() -> None:
    from moto.rds.models import DBCluster, DBInstance, DBInstanceClustered

    assert isinstance(DBInstance.__dict__["endpoint"], property)
    status = DBCluster.__dict__["status"]
    assert isinstance(status, property) and status.fset is not None
    for name in ("endpoint", "reader_endpoint", "members", "db_cluster_arn"):
        assert name in dir(DBCluster), name
    init = inspect.signature(DBInstance.__init__).parameters
    for name in ("availability_zone", "multi_az", "db_subnet_group_name", "preferred_maintenance_window"):
        assert name in init, name
    assert "promotion_tier" in inspect.signature(DBInstanceClustered.__init__).parameters


def test_maintenance_window_check_is_looked_up_on_the_models_module() -> None:
    import moto.rds.models as models

    assert "valid_preferred_maintenance_window" in vars(models)
    source = (inspect.getsource(models.DBInstance.__init__)
              + inspect.getsource(models.RDSBackend.modify_db_instance))
    assert source.count("valid_preferred_maintenance_window(") == 2


def test_managed_secret_string_is_generated_by_one_method() -> None:
    from moto.rds.models import MasterUserSecret
    from moto.secretsmanager.models import FakeSecret

    assert "_generate_secret_string()" in inspect.getsource(MasterUserSecret._create_secret)
    assert "self.secret_string" in inspect.getsource(FakeSecret.__init__)


def test_master_password_is_kept_behind_a_refusing_property() -> None:
    from moto.rds.models import DBInstance

    assert "self._master_user_password = value" in inspect.getsource(DBInstance.__dict__[
        "master_user_password"].fset)


def test_backend_collections_and_option_group_constructor() -> None:
    from moto.rds.models import OptionGroup, RDSBackend

    backend = RDSBackend("us-east-1", "123456789012")
    for name in ("databases", "clusters", "subnet_groups", "option_groups", "db_parameter_groups"):
        collection = getattr(backend, name)
        assert hasattr(collection, "get") and hasattr(collection, "values"), name
    params = inspect.signature(OptionGroup.__init__).parameters
    wanted = {"option_group_name", "engine_name", "major_engine_version", "option_group_description"}
    assert wanted <= set(params)


def test_server_app_and_account_header() -> None:
    from moto.core.responses import BaseResponse
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    assert callable(DomainDispatcherApplication) and callable(create_backend_app)
    assert "x-moto-account-id" in inspect.getsource(BaseResponse.get_current_account)


@pytest.mark.parametrize("window", ["sun:23:30-mon:00:30"])
def test_stock_moto_still_refuses_a_window_across_midnight(window: str) -> None:
    # The reason the demo replaces the check; when this fails, moto fixed it and the patch can go.
    from moto.rds.utils import valid_preferred_maintenance_window

    assert valid_preferred_maintenance_window(window, "03:00-03:30") is not None


def test_an_account_without_a_demo_keeps_stock_moto_behaviour() -> None:
    import json

    import boto3
    from moto import mock_aws

    from wizard.demo import motopatches

    motopatches.install()
    with mock_aws():
        rds = boto3.client("rds", region_name="us-east-1")
        db = rds.create_db_instance(DBInstanceIdentifier="plain", DBInstanceClass="db.t3.micro",
                                    Engine="postgres", MasterUsername="someone", AllocatedStorage=20,
                                    ManageMasterUserPassword=True)["DBInstance"]
        assert db["DBInstanceStatus"] == "available"  # no simulator for this account
        secret = boto3.client("secretsmanager", region_name="us-east-1").get_secret_value(
            SecretId=db["MasterUserSecret"]["SecretArn"])
        assert json.loads(secret["SecretString"])["username"] == "admin"  # moto's own fixed secret
        rds.reboot_db_instance(DBInstanceIdentifier="plain", ForceFailover=True)  # stock moto: accepted


def test_the_recorder_the_demo_switches_off_is_the_one_requests_go_through() -> None:
    # wizard/demo/server.py stops moto's recorder (public API) so MOTO_ENABLE_RECORDING records nothing.
    import moto.core.utils
    from moto.moto_api import recorder

    assert callable(recorder.stop_recording) and callable(recorder.start_recording)
    assert "from moto.moto_api import recorder" in inspect.getsource(moto.core.utils)
    assert "MOTO_ENABLE_RECORDING" in inspect.getsource(type(recorder).__init__)


def test_the_demo_switches_the_recorder_off_even_when_the_environment_asks_for_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from moto.moto_api import recorder

    from wizard.demo import start_demo

    monkeypatch.setenv("RDS_WIZARD_DEMO_SIMULATED_DB", "1")
    monkeypatch.setattr(recorder, "_location", str(tmp_path / "recording"))
    recorder.start_recording()  # what MOTO_ENABLE_RECORDING=1 does at import
    demo = start_demo(speed=600)
    try:
        demo.client("rds").describe_db_instances()
    finally:
        demo.stop()
    assert not (tmp_path / "recording").exists()
