"""What differs between RDS engines, as data: one `EngineRules` row per engine.

The rules in `wizard.spec.rules` read these rows and never branch on an engine's name, so supporting
another engine is one more row here. Figures come from the botocore 1.44.8 CreateDBInstance
documentation and the RDS User Guide
(https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html); where a figure
is not known for sure the row leaves it out (None) and no rule rejects on its account.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Literal

# Characters no engine accepts in a master password ([API] plus the space the guide and the real error
# message add).
PASSWORD_FORBIDDEN_CHARS = '/"@ '
MONITORING_INTERVALS: tuple[int, ...] = (0, 1, 5, 10, 15, 30, 60)
PI_RETENTION_DAYS: tuple[int, ...] = (7, *(31 * months for months in range(1, 24)), 731)
PORT_RANGE = (1150, 65535)
# A Multi-AZ DB cluster's storage: CreateDBCluster takes only these [API: CreateDBCluster StorageType].
CLUSTER_STORAGE_TYPES: tuple[str, ...] = ("io1", "io2", "gp3")
# gp3: provisioned throughput may be at most a quarter of the IOPS (MiB/s per IOPS) [UG:CHAP_Storage].
GP3_MAX_THROUGHPUT_PER_IOPS = 0.25
GP3_MAX_IOPS_PER_GIB = 500.0
# What gp3 includes: 3,000 IOPS and 125 MiB/s, and from the engine's threshold (400 GiB, 200 GiB on
# Oracle) 12,000 IOPS and 500 MiB/s; a cost estimate must not charge for these.
GP3_PERFORMANCE_URL = "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Storage.html#gp3-storage"
GP3_SMALL_BASELINE = (3000, 125)
GP3_LARGE_BASELINE = (12000, 500)

# Engines the API accepts that the wizard has no rule row for: lint does not call them unknown, it
# only says their engine-specific rules were not checked.
OTHER_API_ENGINES: tuple[str, ...] = (
    "aurora-mysql", "aurora-postgresql", "custom-oracle-ee", "custom-oracle-ee-cdb", "custom-oracle-se2",
    "custom-oracle-se2-cdb", "custom-sqlserver-ee", "custom-sqlserver-se", "custom-sqlserver-web",
    "custom-sqlserver-dev", "db2-ce", "sqlserver-dev-ee",
)


IamAuthSupport = Literal["yes", "no", "unverified"]

# -- limits every engine shares, each with the AWS page that documents it -----------------------------

QUOTAS_URL = "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Limits.html"
TAG_URL = "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_Tag.html"
VPC_QUOTAS_URL = "https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html"
STORAGE_URL = "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Storage.html"
IAM_DB_AUTH_URL = "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.IAMDBAuth.html"
DATABASE_INSIGHTS_URL = (
    "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_DatabaseInsights.Considerations.html")
EXTENDED_SUPPORT_URL = "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/extended-support.html"
SSL_URL = "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.SSL.html"
CREATE_DB_INSTANCE_URL = "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html"
KMS_KEY_ID_URL = "https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-id"
ARN_URL = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html"
READ_REPLICAS_URL = "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReadRepl.html"
SECRETS_LIMITS_URL = ("https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html"
                      "#rds-secrets-manager-limitations")

# Tags [QUOTAS_URL: "Tags per resource 50", not adjustable; TAG_URL: key 1-128 and value 0-256 Unicode
# characters, letters, digits, white space and _ . : / = + - @, not prefixed with aws: or rds:].
TAGS_PER_RESOURCE = 50
TAG_KEY_LENGTH = (1, 128)
TAG_VALUE_MAX = 256
TAG_ALLOWED_PUNCTUATION = "_.:/=+-@"
# aws: is reserved everywhere in AWS (an error); rds: is reserved by the RDS Tag page only, and for
# values the same page's wording may be loose, so those are warnings.
TAG_RESERVED_KEY_PREFIX = "aws:"
TAG_DOCUMENTED_PREFIXES = ("aws:", "rds:")

# VPC security groups on one DB instance (one network interface): RDS's quota "Security groups (VPC)" is
# 5 [QUOTAS_URL]; the VPC quota "Security groups per network interface" is 5 by default, adjustable to
# at most 16 [VPC_QUOTAS_URL]. Above 5 may work on a raised quota (a warning); above 16 never does.
SECURITY_GROUPS_DEFAULT_QUOTA = 5
SECURITY_GROUPS_MAX = 16

# Magnetic storage is deprecated: the storage page announces its end on 2026-04-30, with migration to
# gp3 [STORAGE_URL]. A warning; the menus offer it only where the account's catalog still orders it.
MAGNETIC_STORAGE_END = date(2026, 4, 30)

# Database Insights: the Advanced mode needs Performance Insights on with at least 465 days (15 months)
# of retention [DATABASE_INSIGHTS_URL].
DATABASE_INSIGHTS_ADVANCED_MIN_RETENTION = 465

# RDS end of standard support per major version, where the wizard knows the date [EXTENDED_SUPPORT_URL
# for MySQL 5.7; the MySQL major-versions table for 8.0; the RDS for PostgreSQL release calendar and
# https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/extended-support-charges.html for 11 and 12].
# EngineLifecycleSupport defaults to enrolling in paid Extended Support after that date.
STANDARD_SUPPORT_ENDS: Mapping[tuple[str, str], date] = MappingProxyType({
    ("mysql", "5.7"): date(2024, 2, 29),
    ("mysql", "8.0"): date(2026, 7, 31),
    ("postgres", "11"): date(2024, 2, 29),
    ("postgres", "12"): date(2025, 2, 28),
})
EXTENDED_SUPPORT_DISABLED = "open-source-rds-extended-support-disabled"

# CA identifiers RDS documents [SSL_URL]; rds-ca-2019 expired on 2024-08-22. Another name is a warning
# (AWS adds CAs), not an error.
CA_IDENTIFIERS: tuple[str, ...] = ("rds-ca-rsa2048-g1", "rds-ca-rsa4096-g1", "rds-ca-ecc384-g1")
EXPIRED_CA_IDENTIFIERS: tuple[str, ...] = ("rds-ca-2019",)


def major_version(engine: str, version: str) -> str:
    """The major version support dates are kept for: "16" for PostgreSQL 16.4, "8.0" for MySQL 8.0.39."""
    parts = version.split(".")
    return parts[0] if engine == "postgres" else ".".join(parts[:2])


@dataclass(frozen=True)
class DbNameRule:
    """What the initial database name (DBName) may be for an engine."""

    must_be_empty: bool = False
    max_length: int = 64
    pattern: str | None = r"[A-Za-z][A-Za-z0-9_]*"
    pattern_text: str = "start with a letter, then letters, digits or underscores"
    forbidden: frozenset[str] = frozenset()

    def matches(self, name: str) -> bool:
        """Whether the name has the allowed characters (length and reserved words are checked apart)."""
        return self.pattern is None or re.fullmatch(self.pattern, name) is not None


@dataclass(frozen=True)
class Gp3Rules:
    """gp3 performance limits: what can be provisioned above the baseline, and from what size."""

    # Below this size nothing can be provisioned; None means the same limits at any size (SQL Server).
    threshold_gib: int | None
    iops_range: tuple[int, int]
    throughput_range: tuple[int, int]
    min_iops_per_gib: float = 0.0
    max_iops_per_gib: float = GP3_MAX_IOPS_PER_GIB
    # Above this many IOPS, throughput must rise with them: at least IOPS / per_iops MiB/s (MySQL and
    # MariaDB: 40,000 IOPS needs 625 MiB/s) [GP3_PERFORMANCE_URL].
    throughput_floor: tuple[int, int] | None = None

    def included(self, size_gib: int) -> tuple[int, int]:
        """The IOPS and MiB/s a volume of this size gets without paying for them."""
        if self.threshold_gib is not None and size_gib >= self.threshold_gib:
            return GP3_LARGE_BASELINE
        return GP3_SMALL_BASELINE


@dataclass(frozen=True)
class EngineRules:
    """Everything the rules and menus need to know about one engine."""

    engine: str
    label: str
    default_port: int
    default_username: str
    license_models: tuple[str, ...]
    log_exports: tuple[str, ...]
    supports_multi_az_instance: bool
    supports_multi_az_cluster: bool
    password_length: tuple[int, int]
    storage_ranges: Mapping[str, tuple[int, int]]
    io1_iops_per_gib: tuple[float, float]
    io1_iops_range: tuple[int, int]
    gp3: Gp3Rules
    db_name: DbNameRule
    parameter_group_family_prefix: str
    password_forbidden_extra: str = ""
    username_max_length: int = 16
    reserved_usernames: frozenset[str] = frozenset({"rdsadmin"})
    forbidden_ports: frozenset[int] = frozenset()
    cluster_log_exports: tuple[str, ...] = ()
    # Multi-AZ that only some versions support (SQL Server Web: 2022 and later); a warning, not an error.
    multi_az_min_version: str | None = None
    # IAM database authentication: "yes", "no", or "unverified" where AWS's pages disagree (Db2: the
    # IAM page leaves it out, yet botocore lists an iam-db-auth-error log for it) [IAM_DB_AUTH_URL].
    iam_database_auth: IamAuthSupport = "no"
    # Where the storage page allows more than botocore's CreateDBInstance text (SQL Server io1/io2 from
    # 20 GiB, io2 to 65,536), `storage_ranges` holds the storage page's range and this botocore's: a size
    # only the storage page allows is a warning, and the catalog's orderable options decide
    # [STORAGE_URL].
    storage_ranges_botocore: Mapping[str, tuple[int, int]] = field(
        default_factory=lambda: MappingProxyType({}))
    # Read replicas [READ_REPLICAS_URL]: whether the engine has them ("unverified": no rule refuses), how
    # many one source may have (None: not known for sure, nothing refused), whether a replica may itself
    # be a source and from which version, and whether a Secrets Manager-managed master password on the
    # source blocks them [SECRETS_LIMITS_URL: every engine except SQL Server].
    read_replicas: IamAuthSupport = "yes"
    max_read_replicas: int | None = None
    cascading_replicas: bool = False
    cascading_min_version: str | None = None
    managed_password_blocks_replicas: bool = True

    @property
    def default_license_model(self) -> str:
        """The license model RDS uses when none is given."""
        return self.license_models[0]

    @property
    def storage_types(self) -> tuple[str, ...]:
        """The storage types this engine offers, in the console's order."""
        return tuple(t for t in ("gp3", "gp2", "io2", "io1", "standard") if t in self.storage_ranges)

    @property
    def forbidden_password_chars(self) -> str:
        """Every character a master password may not contain on this engine."""
        return PASSWORD_FORBIDDEN_CHARS + self.password_forbidden_extra


def _ranges(**ranges: tuple[int, int]) -> Mapping[str, tuple[int, int]]:
    return MappingProxyType(dict(ranges))


_OPEN_SOURCE_STORAGE = _ranges(gp3=(20, 65536), gp2=(20, 65536), io1=(100, 65536), io2=(100, 65536),
                               standard=(5, 3072))
_ORACLE_STORAGE = _ranges(gp3=(20, 65536), gp2=(20, 65536), io1=(100, 65536), io2=(100, 65536),
                          standard=(10, 3072))
_SQLSERVER_STORAGE = _ranges(gp3=(20, 16384), gp2=(20, 16384), io1=(20, 16384), io2=(20, 65536),
                             standard=(20, 1024))
_SQLSERVER_STORAGE_BOTOCORE = _ranges(io1=(100, 16384), io2=(100, 16384))
_DB2_STORAGE = _ranges(gp3=(20, 65536), io1=(100, 65536), io2=(100, 65536))

_GP3_DEFAULT = Gp3Rules(threshold_gib=400, iops_range=(12000, 64000), throughput_range=(500, 4000))
_GP3_MYSQL = Gp3Rules(threshold_gib=400, iops_range=(12000, 64000), throughput_range=(500, 4000),
                      throughput_floor=(32000, 64))
_GP3_ORACLE = Gp3Rules(threshold_gib=200, iops_range=(12000, 64000), throughput_range=(500, 4000))
_GP3_SQLSERVER = Gp3Rules(threshold_gib=None, iops_range=(3000, 16000), throughput_range=(125, 1000),
                          min_iops_per_gib=0.5)

_MYSQL_NAME = DbNameRule(max_length=64)
_POSTGRES_NAME = DbNameRule(max_length=63)
_ORACLE_NAME = DbNameRule(max_length=8, pattern=None, pattern_text="", forbidden=frozenset({"null"}))
_NO_NAME = DbNameRule(must_be_empty=True)

_MYSQL_LOGS = ("audit", "error", "general", "slowquery", "iam-db-auth-error")
_ORACLE_LOGS = ("alert", "audit", "listener", "trace", "oemagent")
_SQLSERVER_LOGS = ("agent", "error")
_DB2_LOGS = ("diag.log", "notify.log", "iam-db-auth-error")
_ORACLE_LICENSES = ("license-included", "bring-your-own-license")
_SQLSERVER_LICENSES = ("license-included", "bring-your-own-media")
_DB2_LICENSES = ("bring-your-own-license", "marketplace-license")
_SQLSERVER_PORTS = frozenset({1234, 1434, 3260, 3343, 3389, 47001, *range(49152, 49157)})


def _oracle(engine: str, label: str) -> EngineRules:
    return EngineRules(
        engine=engine, label=label, default_port=1521, default_username="admin",
        license_models=_ORACLE_LICENSES, log_exports=_ORACLE_LOGS, supports_multi_az_instance=True,
        supports_multi_az_cluster=False, password_length=(8, 30), password_forbidden_extra="&'",
        storage_ranges=_ORACLE_STORAGE, io1_iops_per_gib=(0.5, 50), io1_iops_range=(1000, 256000),
        gp3=_GP3_ORACLE, db_name=_ORACLE_NAME, parameter_group_family_prefix=engine,
        read_replicas="yes" if "-ee" in engine else "unverified", max_read_replicas=5,
    )


def _sqlserver(engine: str, label: str, multi_az: bool, min_version: str | None = None,
               read_replicas: IamAuthSupport = "no") -> EngineRules:
    return EngineRules(
        engine=engine, label=label, default_port=1433, default_username="admin",
        license_models=_SQLSERVER_LICENSES, log_exports=_SQLSERVER_LOGS, supports_multi_az_instance=multi_az,
        supports_multi_az_cluster=False, password_length=(8, 128), storage_ranges=_SQLSERVER_STORAGE,
        io1_iops_per_gib=(1, 50), io1_iops_range=(1000, 64000), gp3=_GP3_SQLSERVER, db_name=_NO_NAME,
        parameter_group_family_prefix=engine, forbidden_ports=_SQLSERVER_PORTS,
        multi_az_min_version=min_version, storage_ranges_botocore=_SQLSERVER_STORAGE_BOTOCORE,
        read_replicas=read_replicas, managed_password_blocks_replicas=False,
    )


def _db2(engine: str, label: str) -> EngineRules:
    return EngineRules(
        engine=engine, label=label, default_port=50000, default_username="admin",
        license_models=_DB2_LICENSES, log_exports=_DB2_LOGS, supports_multi_az_instance=True,
        supports_multi_az_cluster=False, password_length=(8, 255), storage_ranges=_DB2_STORAGE,
        io1_iops_per_gib=(0.5, 50), io1_iops_range=(1000, 256000), gp3=_GP3_DEFAULT, db_name=_MYSQL_NAME,
        parameter_group_family_prefix=engine, iam_database_auth="unverified", read_replicas="unverified",
    )


_ROWS: tuple[EngineRules, ...] = (
    EngineRules(
        engine="postgres", label="PostgreSQL", default_port=5432, default_username="postgres",
        license_models=("postgresql-license",), log_exports=("postgresql", "upgrade", "iam-db-auth-error"),
        cluster_log_exports=("postgresql", "upgrade", "iam-db-auth-error"),
        supports_multi_az_instance=True, supports_multi_az_cluster=True, password_length=(8, 128),
        storage_ranges=_OPEN_SOURCE_STORAGE, io1_iops_per_gib=(0.5, 50), io1_iops_range=(1000, 256000),
        gp3=_GP3_DEFAULT, db_name=_POSTGRES_NAME, parameter_group_family_prefix="postgres",
        iam_database_auth="yes",
        # `admin` is reserved by PostgreSQL on RDS (verified against live stacks, cfn-lint PR #4425).
        reserved_usernames=frozenset({"rdsadmin", "admin"}),
        max_read_replicas=15, cascading_replicas=True, cascading_min_version="14.1",
    ),
    EngineRules(
        engine="mysql", label="MySQL", default_port=3306, default_username="admin",
        license_models=("general-public-license",), log_exports=_MYSQL_LOGS,
        cluster_log_exports=("error", "general", "slowquery", "iam-db-auth-error"),
        supports_multi_az_instance=True, supports_multi_az_cluster=True, password_length=(8, 41),
        storage_ranges=_OPEN_SOURCE_STORAGE, io1_iops_per_gib=(0.5, 50), io1_iops_range=(1000, 256000),
        gp3=_GP3_MYSQL, db_name=_MYSQL_NAME, parameter_group_family_prefix="mysql", iam_database_auth="yes",
        max_read_replicas=15, cascading_replicas=True,
    ),
    EngineRules(
        engine="mariadb", label="MariaDB", default_port=3306, default_username="admin",
        license_models=("general-public-license",), log_exports=_MYSQL_LOGS,
        supports_multi_az_instance=True, supports_multi_az_cluster=False, password_length=(8, 41),
        storage_ranges=_OPEN_SOURCE_STORAGE, io1_iops_per_gib=(0.5, 50), io1_iops_range=(1000, 256000),
        gp3=_GP3_MYSQL, db_name=_MYSQL_NAME, parameter_group_family_prefix="mariadb", iam_database_auth="yes",
        max_read_replicas=15, cascading_replicas=True,
    ),
    _oracle("oracle-ee", "Oracle Enterprise Edition"),
    _oracle("oracle-ee-cdb", "Oracle Enterprise Edition (multitenant CDB)"),
    _oracle("oracle-se2", "Oracle Standard Edition 2"),
    _oracle("oracle-se2-cdb", "Oracle Standard Edition 2 (multitenant CDB)"),
    # SQL Server read replicas: Enterprise Edition only [READ_REPLICAS_URL, SQL Server section].
    _sqlserver("sqlserver-ee", "SQL Server Enterprise Edition", multi_az=True, read_replicas="yes"),
    _sqlserver("sqlserver-se", "SQL Server Standard Edition", multi_az=True),
    _sqlserver("sqlserver-ex", "SQL Server Express Edition", multi_az=False),
    # Web edition Multi-AZ uses block-level replication, from SQL Server 2022 Web 16.00.4215.2.
    _sqlserver("sqlserver-web", "SQL Server Web Edition", multi_az=True, min_version="16.00.4215.2"),
    _db2("db2-se", "IBM Db2 Standard Edition"),
    _db2("db2-ae", "IBM Db2 Advanced Edition"),
)

ENGINES: Mapping[str, EngineRules] = MappingProxyType({row.engine: row for row in _ROWS})
# The order menus offer engines in: the two Multi-AZ DB cluster engines and MariaDB first.
ENGINE_ORDER: tuple[str, ...] = (
    "postgres", "mysql", "mariadb", "oracle-ee", "oracle-ee-cdb", "oracle-se2", "oracle-se2-cdb",
    "sqlserver-ee", "sqlserver-se", "sqlserver-web", "sqlserver-ex", "db2-se", "db2-ae",
)


def engine_rules(engine: str) -> EngineRules | None:
    """The rule row for an engine, or None for an engine the wizard has no rules for."""
    return ENGINES.get(engine)


def is_api_engine(engine: str) -> bool:
    """Whether CreateDBInstance accepts this Engine value at all (with or without a rule row here)."""
    return engine in ENGINES or engine in OTHER_API_ENGINES
