"""The gateway, catalog and choices against the embedded demo, through the same boto3 path as real AWS."""

from __future__ import annotations

import os
import types
from collections.abc import Iterator
from pathlib import Path

import botocore.endpoint
import pytest

from wizard.aws import ConnectionOptions, Gateway, open_gateway
from wizard.choices import account_facts, choices_for, default_choice
from wizard.spec.model import DatabaseSpec
from wizard.steps import STEPS


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gateway]:
    with pytest.MonkeyPatch.context() as env:
        for name in list(os.environ):
            if name.startswith("AWS_"):
                env.delenv(name)
        env.setenv("RDS_WIZARD_HOME", str(tmp_path_factory.mktemp("home")))
        # The user's own AWS settings must not reach the demo: another region, endpoint and keys.
        config = tmp_path_factory.mktemp("aws") / "config"
        config.write_text("[profile work]\nregion = ap-south-1\nendpoint_url = http://127.0.0.1:9\n"
                          "aws_access_key_id = AKIAWORK\naws_secret_access_key = s\n")
        env.setenv("AWS_CONFIG_FILE", str(config))
        env.setenv("AWS_PROFILE", "work")
        env.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
        env.setenv("AWS_REGION", "eu-north-1")
        gateway = open_gateway(ConnectionOptions(demo=True, demo_speed=1000))
        try:
            yield gateway
        finally:
            gateway.close()


def test_identity_says_demo(gateway: Gateway) -> None:
    identity = gateway.identity()
    assert identity.label == "DEMO"
    assert identity.account.isdigit() and len(identity.account) == 12
    assert identity.region == gateway.region not in ("ap-south-1", "eu-north-1")
    assert identity.profile is None
    assert identity.endpoint.startswith("http://127.")


def test_catalog_from_the_demo(gateway: Gateway) -> None:
    catalog = gateway.catalog
    versions = catalog.engine_versions("postgres")
    defaults = [v for v in versions if v.is_default]
    assert len(defaults) == 1 and defaults[0].parameter_group_family.startswith("postgres")
    options = catalog.orderable_options("postgres", defaults[0].version)
    assert any(o.multi_az_capable for o in options)
    assert {o.family for o in options} >= {"standard", "burstable"}
    groups = {g.name: g for g in catalog.subnet_groups()}
    assert any(len(g.availability_zones) >= 3 for g in groups.values())
    assert any(len(g.availability_zones) == 1 for g in groups.values())
    vpc = next(v for v in catalog.vpcs() if v.is_default)
    assert catalog.security_groups(vpc.vpc_id)
    family = defaults[0].parameter_group_family
    assert all(g.family == family for g in catalog.parameter_groups(family))
    assert all(g.engine == "postgres" for g in catalog.option_groups("postgres", defaults[0].major_version))


def test_choices_for_a_whole_journey_repeat_no_call(gateway: Gateway) -> None:
    specs = [DatabaseSpec(),
             DatabaseSpec.model_validate({"engine": {"engine": "mysql"},
                                          "availability": {"deployment": "multi-az-cluster"}}),
             DatabaseSpec.model_validate({"engine": {"engine": "mariadb"},
                                          "availability": {"deployment": "single-az"}})]
    for _ in range(2):  # going back and forth through the steps
        for spec in specs:
            for step in STEPS:
                for field in step.fields:
                    choices_for(field, spec, gateway.catalog)
                    default_choice(field, spec, gateway.catalog)
            account_facts(spec, gateway.catalog)
    assert gateway.repeated_calls() == {}
    counts = gateway.call_counts()
    assert counts["rds:DescribeDBSubnetGroups"] == 1
    assert counts["rds:DescribeDBParameterGroups"] == 1


def test_one_az_subnet_group_is_refused_for_multi_az(gateway: Gateway) -> None:
    field = next(f for s in STEPS for f in s.fields if f.path == "connectivity.subnet_group")
    choices = choices_for(field, DatabaseSpec(), gateway.catalog)
    one_az = [c for c in choices if c.label.split("(")[1].startswith("1 AZ")]
    assert one_az and all(c.disabled_reason and "at least 2" in c.disabled_reason for c in one_az)
    assert any(c.enabled for c in choices)


def test_default_version_is_preselected(gateway: Gateway) -> None:
    field = next(f for s in STEPS for f in s.fields if f.path == "engine.version")
    choice = default_choice(field, DatabaseSpec(), gateway.catalog)
    default = next(v for v in gateway.catalog.engine_versions("postgres") if v.is_default)
    assert choice is not None and choice.value == default.version and choice.label.endswith("(default)")


@pytest.mark.slow
def test_demo_faults_are_ridden_out_by_botocore(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RDS_WIZARD_HOME", str(tmp_path))
    monkeypatch.setenv("RDS_WIZARD_DEMO_FAULTS", "throttle:DescribeDBSubnetGroups:2,drop:DescribeVpcs:1")
    sleeps: list[float] = []
    monkeypatch.setattr(botocore.endpoint, "time", types.SimpleNamespace(sleep=sleeps.append))
    with open_gateway(ConnectionOptions(demo=True, demo_speed=1000)) as gateway:
        assert gateway.catalog.subnet_groups()
        assert gateway.catalog.vpcs()
        assert gateway.call_counts()["rds:DescribeDBSubnetGroups"] == 1
        assert gateway.call_counts()["ec2:DescribeVpcs"] == 1
    assert len(sleeps) == 3  # two throttles and one dropped connection, each retried after a backoff
