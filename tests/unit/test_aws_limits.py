"""AWS's documented limits, each parameter's documented reach and the rules that drifted (issue 12).

Every rule has a request AWS refuses (or a warning case) and one it accepts. A refused case asserts the
problem's field, severity and that its message names the setting, the rule and the fix.
"""

from __future__ import annotations

from typing import Any

import pytest

from wizard.catalog import AccountFacts, OrderableOption
from wizard.spec.problems import Problem
from wizard.spec.request import from_request
from wizard.spec.rules import validate

Request = dict[str, Any]


def request(engine: str = "postgres", **changes: Any) -> Request:
    """A request every rule accepts for this engine, with changes (None removes a parameter)."""
    base: Request = {
        "DBInstanceIdentifier": "orders-db", "DBInstanceClass": "db.m6i.large", "Engine": engine,
        "MasterUsername": "dbadmin", "AllocatedStorage": 100, "StorageType": "gp3",
        "ManageMasterUserPassword": True, "MultiAZ": True, "DBSubnetGroupName": "app",
        "StorageEncrypted": True, "DeletionProtection": True,
        "PreferredBackupWindow": "03:00-03:30", "PreferredMaintenanceWindow": "sun:05:00-sun:05:30",
    }
    base.update(changes)
    return {key: value for key, value in base.items() if value is not None}


def problems(req: Request, facts: AccountFacts | None = None) -> list[Problem]:
    return validate(from_request(req), facts)


def tags(count: int) -> list[dict[str, str]]:
    return [{"Key": f"team-{i}", "Value": "payments"} for i in range(count)]


def sgs(count: int) -> list[str]:
    return [f"sg-{i:08x}" for i in range(count)]


# (request, field, parameter, severity, words the message must hold: the setting, the rule, the fix)
REFUSED: list[tuple[Request, str, str, str, tuple[str, ...]]] = [
    # -- item 5: tags ---------------------------------------------------------------------------------
    (request(Tags=tags(51)), "tags", "Tags", "error", ("Tags", "at most 50", "Remove 1")),
    (request(Tags=[*tags(50), {"Key": "no-value"}]), "extra_parameters.Tags", "Tags", "error",
     ("Tags", "at most 50", "Remove 1")),
    (request(Tags=[{"Key": "cost*centre", "Value": "x"}]), "tags", "Tags", "error",
     ("Tag key", "may hold only letters, digits", "Remove or replace")),
    (request(Tags=[{"Key": "team", "Value": "a\tb"}]), "tags", "Tags", "error",
     ("Tag value", "control character", "Remove or replace")),
    (request(Tags=[{"Key": "k" * 129, "Value": "x"}]), "tags", "Tags", "error",
     ("Tag key", "1-128", "shorten")),
    (request(Tags=[{"Key": "k", "Value": "v" * 257}]), "tags", "Tags", "error",
     ("Tag 'k'", "256", "shorten")),
    (request(Tags=[{"Key": "aws:team", "Value": "x"}]), "tags", "Tags", "error",
     ("Tag key", "reserves", "rename")),
    (request(Tags=[{"Key": "rds:team", "Value": "x"}]), "tags", "Tags", "warning",
     ("Tag key", "reserves", "Rename")),
    (request(Tags=[{"Key": "team", "Value": "aws:x"}]), "tags", "Tags", "warning",
     ("value", "reserves", "Change the value")),
    # -- item 5: security groups ----------------------------------------------------------------------
    (request(VpcSecurityGroupIds=sgs(6)), "connectivity.security_group_ids", "VpcSecurityGroupIds",
     "warning", ("VpcSecurityGroupIds", "default quota is 5", "use at most 5")),
    (request(VpcSecurityGroupIds=sgs(16)), "connectivity.security_group_ids", "VpcSecurityGroupIds",
     "warning", ("VpcSecurityGroupIds", "Security groups per network interface", "at most 16")),
    (request(VpcSecurityGroupIds=sgs(17)), "connectivity.security_group_ids", "VpcSecurityGroupIds",
     "error", ("VpcSecurityGroupIds", "at most 16", "fewer groups")),
    (request(VpcSecurityGroupIds=sgs(300)), "connectivity.security_group_ids", "VpcSecurityGroupIds",
     "error", ("VpcSecurityGroupIds", "at most 16", "fewer groups")),
    # -- item 5: control characters -------------------------------------------------------------------
    (request(EngineVersion="16.4\n"), "engine.version", "EngineVersion", "error",
     ("EngineVersion", "control character (U+000A", "Retype")),
    (request(KmsKeyId="alias/orders\x07"), "protection.kms_key_id", "KmsKeyId", "error",
     ("KmsKeyId", "control character (U+0007", "Retype")),
    (request(CACertificateIdentifier="rds-ca-rsa2048-g1\x1b[2J"), "connectivity.ca_certificate",
     "CACertificateIdentifier", "error", ("CACertificateIdentifier", "control character", "Retype")),
    (request(DBParameterGroupName="tuned\x7f"), "database.parameter_group", "DBParameterGroupName", "error",
     ("DBParameterGroupName", "control character (U+007F", "Retype")),
    (request(MonitoringInterval=60, MonitoringRoleArn="arn:aws:iam::123456789012:role/em\r"),
     "monitoring.monitoring_role_arn", "MonitoringRoleArn", "error",
     ("MonitoringRoleArn", "control character", "Retype")),
    (request(VpcSecurityGroupIds=["sg-1", "sg-2\x00"]), "connectivity.security_group_ids",
     "VpcSecurityGroupIds", "error", ("VpcSecurityGroupIds", "control character (U+0000", "Retype")),
    (request(Domain="d-1234567890\t"), "extra_parameters.Domain", "Domain", "error",
     ("Domain", "control character", "Retype")),
    # -- item 5: documented shapes (AWS may add forms: warnings) --------------------------------------
    (request(KmsKeyId="my orders key"), "protection.kms_key_id", "KmsKeyId", "warning",
     ("KmsKeyId", "alias ARN, the forms AWS documents", "give one of those")),
    (request(CACertificateIdentifier="rds-ca-2019"), "connectivity.ca_certificate",
     "CACertificateIdentifier", "warning",
     ("CACertificateIdentifier", "has expired", "use rds-ca-rsa2048-g1")),
    (request(EngineVersion="16.4 beta"), "engine.version", "EngineVersion", "warning",
     ("EngineVersion", "letters, digits, dots", "choose a version")),
    # -- item 10: each parameter's documented reach ---------------------------------------------------
    (request(NcharCharacterSetName="AL16UTF16"), "extra_parameters.NcharCharacterSetName",
     "NcharCharacterSetName", "error", ("NcharCharacterSetName", "applies only to Oracle", "remove it")),
    (request("mysql", Timezone="UTC"), "extra_parameters.Timezone", "Timezone", "error",
     ("Timezone", "applies only to Db2 and SQL Server", "remove it")),
    (request("aurora-mysql", MultiAZ=None, Timezone="UTC"), "extra_parameters.Timezone", "Timezone", "error",
     ("Timezone", "not aurora-mysql", "remove it")),
    (request("oracle-ee", MultiTenant=True), "extra_parameters.MultiTenant", "MultiTenant", "error",
     ("MultiTenant", "Oracle (CDB only)", "remove it")),
    (request("mariadb", EngineLifecycleSupport="open-source-rds-extended-support"),
     "extra_parameters.EngineLifecycleSupport", "EngineLifecycleSupport", "error",
     ("EngineLifecycleSupport", "applies only to MySQL and PostgreSQL", "remove it")),
    (request("mysql", MasterUserAuthenticationType="iam-db-auth"),
     "extra_parameters.MasterUserAuthenticationType", "MasterUserAuthenticationType", "error",
     ("MasterUserAuthenticationType", "only to PostgreSQL and Aurora PostgreSQL", "remove it")),
    (request("mariadb", Domain="d-1234567890"), "extra_parameters.Domain", "Domain", "error",
     ("Domain", "Active Directory Domain", "remove it")),
    (request(AdditionalStorageVolumes=[{"VolumeName": "rdsdbdata2"}]),
     "extra_parameters.AdditionalStorageVolumes", "AdditionalStorageVolumes", "error",
     ("AdditionalStorageVolumes", "Oracle and SQL Server", "remove it")),
    (request(NetworkType="IPV6"), "extra_parameters.NetworkType", "NetworkType", "error",
     ("NetworkType", "not a value it takes", "use IPV4 or DUAL")),
    (request(NetworkType="dual"), "extra_parameters.NetworkType", "NetworkType", "warning",
     ("NetworkType", "documents it as 'DUAL'", "write it that way")),
    (request(BackupTarget="cloud"), "extra_parameters.BackupTarget", "BackupTarget", "error",
     ("BackupTarget", "not a value it takes", "local or outposts or region")),
    (request(MasterUserAuthenticationType="kerberos"), "extra_parameters.MasterUserAuthenticationType",
     "MasterUserAuthenticationType", "error", ("MasterUserAuthenticationType", "not a value", "password")),
    (request(PromotionTier=16), "extra_parameters.PromotionTier", "PromotionTier", "error",
     ("PromotionTier", "outside 0-15", "choose one in that range")),
    (request(TdeCredentialArn="my-tde-key"), "extra_parameters.TdeCredentialArn", "TdeCredentialArn", "error",
     ("TdeCredentialArn", "is not an ARN", "give the full ARN")),
    (request(DomainAuthSecretArn="secret:ad-join"), "extra_parameters.DomainAuthSecretArn",
     "DomainAuthSecretArn", "error", ("DomainAuthSecretArn", "is not an ARN", "give the full ARN")),
    (request("aurora-postgresql", MultiAZ=None), "settings.master_username", "MasterUsername", "warning",
     ("MasterUsername", "doesn't apply to Amazon Aurora", "remove it")),
    # -- item 9: rules that drifted from the documentation --------------------------------------------
    (request(StorageType="standard"), "storage.type", "StorageType", "warning",
     ("Magnetic storage", "deprecated", "Choose gp3")),
    (request("mysql", AllocatedStorage=1000, Iops=40000, StorageThroughput=624), "storage.throughput_mibps",
     "StorageThroughput", "error", ("Storage throughput", "above 32,000 IOPS", "625 MiB/s")),
    (request("mariadb", AllocatedStorage=1000, Iops=40000), "storage.throughput_mibps", "StorageThroughput",
     "warning", ("Storage throughput", "above 32,000 IOPS", "Set it")),
    (request("sqlserver-se", StorageType="io1", AllocatedStorage=50, Iops=1000), "storage.allocated_gib",
     "AllocatedStorage", "warning", ("Allocated storage", "API documentation says 100-16,384", "orderable")),
    (request("sqlserver-ee", StorageType="io2", AllocatedStorage=20000, Iops=20000), "storage.allocated_gib",
     "AllocatedStorage", "warning", ("Allocated storage", "20-65,536", "stay within 100-16,384")),
    (request("sqlserver-ee", StorageType="io1", AllocatedStorage=19, Iops=1000), "storage.allocated_gib",
     "AllocatedStorage", "error", ("Allocated storage", "20-16,384", "GiB")),
    (request("oracle-ee", EnableIAMDatabaseAuthentication=True), "monitoring.iam_database_authentication",
     "EnableIAMDatabaseAuthentication", "error",
     ("IAM database authentication", "not available on Oracle", "turn it off")),
    (request("sqlserver-se", EnableIAMDatabaseAuthentication=True), "monitoring.iam_database_authentication",
     "EnableIAMDatabaseAuthentication", "error",
     ("IAM database authentication", "only PostgreSQL", "turn it off")),
    (request("db2-se", EnableIAMDatabaseAuthentication=True), "monitoring.iam_database_authentication",
     "EnableIAMDatabaseAuthentication", "warning",
     ("IAM database authentication", "not confirmed", "may refuse")),
    (request(DatabaseInsightsMode="advanced"), "extra_parameters.DatabaseInsightsMode",
     "DatabaseInsightsMode", "error",
     ("DatabaseInsightsMode", "at least 465", "turn Performance Insights on")),
    (request(DatabaseInsightsMode="advanced", EnablePerformanceInsights=True),
     "monitoring.performance_insights_retention_days", "PerformanceInsightsRetentionPeriod", "error",
     ("Performance Insights retention", "at least 465", "set 465 or more")),
    (request(DatabaseInsightsMode="advanced", EnablePerformanceInsights=True,
             PerformanceInsightsRetentionPeriod=434),
     "monitoring.performance_insights_retention_days", "PerformanceInsightsRetentionPeriod", "error",
     ("retention", "not 434", "set 465 or more")),
    (request(EngineVersion="11.22"), "engine.version", "EngineVersion", "warning",
     ("PostgreSQL 11", "paid RDS Extended Support", "Choose a newer major version")),
    (request("mysql", EngineVersion="5.7.44"), "engine.version", "EngineVersion", "warning",
     ("MySQL 5.7", "2024-02-29", "open-source-rds-extended-support-disabled")),
    (request(EngineVersion="12.22", EngineLifecycleSupport="open-source-rds-extended-support-disabled"),
     "engine.version", "EngineVersion", "error",
     ("PostgreSQL 12", "RDS refuses to create it", "Choose a newer major version")),
]

# (request, parameter): the same rules accept these, with no problem of any severity on the parameter.
ACCEPTED: list[tuple[Request, str]] = [
    (request(Tags=tags(50)), "Tags"),
    (request(Tags=[*tags(49), {"Key": "no-value"}]), "Tags"),
    (request(Tags=[{"Key": "Équipe de nuit_1.x:/=+-@", "Value": ""}]), "Tags"),
    (request(Tags=[{"Key": "k" * 128, "Value": "v" * 256}]), "Tags"),
    (request(Tags=[{"Key": "awsteam", "Value": "rdsx"}]), "Tags"),
    (request(VpcSecurityGroupIds=sgs(5)), "VpcSecurityGroupIds"),
    (request(EngineVersion="16.4"), "EngineVersion"),
    (request("oracle-ee", EngineVersion="19.0.0.0.ru-2024-01.rur-2024-01.r1"), "EngineVersion"),
    (request(KmsKeyId="alias/orders"), "KmsKeyId"),
    (request(KmsKeyId="1234abcd-12ab-34cd-56ef-1234567890ab"), "KmsKeyId"),
    (request(KmsKeyId="mrk-1234abcd12ab34cd56ef1234567890ab"), "KmsKeyId"),
    (request(KmsKeyId="arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
     "KmsKeyId"),
    (request(KmsKeyId="arn:aws-cn:kms:cn-north-1:123456789012:alias/orders"), "KmsKeyId"),
    (request(CACertificateIdentifier="rds-ca-ecc384-g1"), "CACertificateIdentifier"),
    (request(DBParameterGroupName="tuned-pg16"), "DBParameterGroupName"),
    (request(MonitoringInterval=60, MonitoringRoleArn="arn:aws:iam::123456789012:role/em"),
     "MonitoringRoleArn"),
    (request("oracle-ee", NcharCharacterSetName="AL16UTF16"), "NcharCharacterSetName"),
    (request("sqlserver-se", Timezone="UTC"), "Timezone"),
    (request("db2-se", Timezone="UTC"), "Timezone"),
    (request("oracle-ee-cdb", MultiTenant=True), "MultiTenant"),
    (request("mysql", EngineLifecycleSupport="open-source-rds-extended-support-disabled"),
     "EngineLifecycleSupport"),
    (request(MasterUserAuthenticationType="iam-db-auth"), "MasterUserAuthenticationType"),
    (request("mysql", Domain="d-1234567890"), "Domain"),
    (request("oracle-ee", AdditionalStorageVolumes=[{"VolumeName": "rdsdbdata2"}]),
     "AdditionalStorageVolumes"),
    (request(NetworkType="DUAL"), "NetworkType"),
    (request(BackupTarget="region"), "BackupTarget"),
    (request(PromotionTier=15), "PromotionTier"),
    (request(TdeCredentialArn="arn:aws:rds:us-east-1:123456789012:tde:orders"), "TdeCredentialArn"),
    (request(DomainAuthSecretArn="arn:aws:secretsmanager:us-east-1:123456789012:secret:ad-AbCdEf"),
     "DomainAuthSecretArn"),
    (request(), "MasterUsername"),
    (request(StorageType="gp3"), "StorageType"),
    (request("mysql", AllocatedStorage=1000, Iops=40000, StorageThroughput=625), "StorageThroughput"),
    (request("mysql", AllocatedStorage=1000, Iops=32000), "StorageThroughput"),
    (request(AllocatedStorage=1000, Iops=40000, StorageThroughput=600), "StorageThroughput"),
    (request("sqlserver-se", StorageType="io1", AllocatedStorage=100, Iops=1000), "AllocatedStorage"),
    (request("mariadb", EnableIAMDatabaseAuthentication=True), "EnableIAMDatabaseAuthentication"),
    (request(DatabaseInsightsMode="advanced", EnablePerformanceInsights=True,
             PerformanceInsightsRetentionPeriod=465), "PerformanceInsightsRetentionPeriod"),
    (request(DatabaseInsightsMode="advanced", EnablePerformanceInsights=True,
             PerformanceInsightsRetentionPeriod=731), "DatabaseInsightsMode"),
    (request(DatabaseInsightsMode="standard"), "DatabaseInsightsMode"),
    (request(EngineVersion="16.4", EngineLifecycleSupport="open-source-rds-extended-support-disabled"),
     "EngineVersion"),
    (request("oracle-ee", EngineVersion="19.0.0.0.ru-2024-01.rur-2024-01.r1"), "EngineVersion"),
]


@pytest.mark.parametrize(("req", "field", "parameter", "severity", "words"), REFUSED)
def test_refused_or_warned(req: Request, field: str, parameter: str, severity: str,
                           words: tuple[str, ...]) -> None:
    found = [p for p in problems(req) if p.field == field and p.parameter == parameter
             and p.severity == severity and all(w in p.message for w in words)]
    assert found, [(p.field, p.parameter, p.severity, p.message) for p in problems(req)]
    # no message echoes a control character raw (the rule names its code point instead)
    assert all(c.isprintable() for p in problems(req) for c in p.message)


@pytest.mark.parametrize(("req", "parameter"), ACCEPTED)
def test_accepted(req: Request, parameter: str) -> None:
    found = problems(req)
    assert [p for p in found if p.is_error] == []
    assert [p.message for p in found if p.parameter == parameter] == []


def test_sql_server_io_sizes_come_from_the_catalog_when_it_is_known() -> None:
    req = request("sqlserver-se", StorageType="io1", AllocatedStorage=50, Iops=1000)
    option = OrderableOption("sqlserver-se", "", "db.m6i.large", "io1", True, min_storage_gib=20,
                             max_storage_gib=16384, min_iops=1000, max_iops=64000)
    assert "AllocatedStorage" in {p.parameter for p in problems(req)}
    with_catalog = problems(req, AccountFacts(orderable_options=[option]))
    assert "AllocatedStorage" not in {p.parameter for p in with_catalog}
    narrower = OrderableOption("sqlserver-se", "", "db.m6i.large", "io1", True, min_storage_gib=100,
                               max_storage_gib=16384)
    refused = problems(req, AccountFacts(orderable_options=[narrower]))
    assert any(p.parameter == "AllocatedStorage" and p.is_error and "db.m6i.large" in p.message
               for p in refused)


def test_a_cluster_is_not_held_to_create_db_instance_reach() -> None:
    spec = from_request(request())
    spec.availability.deployment = "multi-az-cluster"
    spec.storage.type = "io1"
    spec.storage.iops = 3000
    spec.extra_parameters = {"NetworkType": "IPV4"}
    assert [p for p in validate(spec) if p.is_error] == []
