"""The one description of the database to create, grouped like the console's create page.

Every front end (Textual screens, plain prompts, presets, `lint`, `plan`, launch, exports) reads and
writes this model. Its fields hold what the user chose, valid or not: the rules that say whether the
choice will work live in `wizard.spec.rules` and report problems instead of raising, so a half-typed
answer is never lost.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, SecretStr

CredentialsMode = Literal["secrets-manager", "self-managed", "auto-generated"]
Deployment = Literal["single-az", "multi-az-instance", "multi-az-cluster"]
StorageType = Literal["gp3", "gp2", "io1", "io2", "standard"]

CREDENTIALS_MODES: tuple[CredentialsMode, ...] = ("secrets-manager", "self-managed", "auto-generated")
DEPLOYMENTS: tuple[Deployment, ...] = ("single-az", "multi-az-instance", "multi-az-cluster")
STORAGE_TYPES: tuple[StorageType, ...] = ("gp3", "gp2", "io1", "io2", "standard")


class Section(BaseModel):
    """A group of settings; unknown keys are refused so a typo in a preset is reported, not ignored."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class EngineSection(Section):
    """Engine options: engine, version and license model (edition is part of the engine name)."""

    engine: str = "postgres"
    version: str | None = None
    license_model: str | None = None


class SettingsSection(Section):
    """Settings: the instance identifier and the master credentials."""

    identifier: str = ""
    master_username: str = "postgres"
    credentials: CredentialsMode = "secrets-manager"
    secret_kms_key_id: str | None = None
    # Excluded from every dump: a password never reaches a preset, draft, report or export.
    master_password: SecretStr | None = Field(default=None, exclude=True, repr=False)


class InstanceSection(Section):
    """Instance configuration: the DB instance class."""

    instance_class: str = "db.m6g.large"


class StorageSection(Section):
    """Storage: type, size, provisioned performance and the autoscaling ceiling."""

    type: StorageType = "gp3"
    allocated_gib: int = 100
    iops: int | None = None
    throughput_mibps: int | None = None
    max_allocated_gib: int | None = None


class AvailabilitySection(Section):
    """Availability and durability: single-AZ, a Multi-AZ DB instance, or a Multi-AZ DB cluster."""

    deployment: Deployment = "multi-az-instance"


class ConnectivitySection(Section):
    """Connectivity: where the database lives in the network and who may reach it."""

    vpc_id: str | None = None
    subnet_group: str | None = None
    public_access: bool = False
    security_group_ids: list[str] = Field(default_factory=list)
    port: int | None = None
    availability_zone: str | None = None
    ca_certificate: str | None = None


class DatabaseSection(Section):
    """Database options: the initial database and the parameter and option groups."""

    name: str | None = None
    parameter_group: str | None = None
    option_group: str | None = None


class BackupSection(Section):
    """Automated backups: retention, the daily window (UTC) and tag copying."""

    retention_days: int = 7
    window: str | None = None
    copy_tags_to_snapshot: bool = True


class MaintenanceSection(Section):
    """Maintenance: the weekly window (UTC) and automatic minor version upgrades."""

    window: str | None = None
    auto_minor_version_upgrade: bool = True


class ProtectionSection(Section):
    """Protection: deletion protection and encryption at rest."""

    deletion_protection: bool = True
    encrypted: bool = True
    kms_key_id: str | None = None


class MonitoringSection(Section):
    """Monitoring: Performance Insights, Enhanced Monitoring, log exports and IAM auth."""

    performance_insights: bool = False
    performance_insights_retention_days: int | None = None
    performance_insights_kms_key_id: str | None = None
    monitoring_interval: int = 0
    monitoring_role_arn: str | None = None
    log_exports: list[str] = Field(default_factory=list)
    iam_database_authentication: bool = False


class DatabaseSpec(Section):
    """The whole database to create, as the console's sections group it."""

    engine: EngineSection = Field(default_factory=EngineSection)
    settings: SettingsSection = Field(default_factory=SettingsSection)
    instance: InstanceSection = Field(default_factory=InstanceSection)
    storage: StorageSection = Field(default_factory=StorageSection)
    availability: AvailabilitySection = Field(default_factory=AvailabilitySection)
    connectivity: ConnectivitySection = Field(default_factory=ConnectivitySection)
    database: DatabaseSection = Field(default_factory=DatabaseSection)
    backup: BackupSection = Field(default_factory=BackupSection)
    maintenance: MaintenanceSection = Field(default_factory=MaintenanceSection)
    protection: ProtectionSection = Field(default_factory=ProtectionSection)
    monitoring: MonitoringSection = Field(default_factory=MonitoringSection)
    tags: dict[str, str] = Field(default_factory=dict)
    # CreateDBInstance parameters AWS accepts that the wizard does not model (CharacterSetName,
    # Timezone, Domain, ...): carried through unchanged so a request round-trips exactly.
    extra_parameters: dict[str, Any] = Field(default_factory=dict)

    # Request parameters that were written out in the request this spec came from, even where they
    # equal AWS's default, so spec -> request gives back exactly what was read.
    _explicit_parameters: set[str] = PrivateAttr(default_factory=set)

    @property
    def is_multi_az(self) -> bool:
        """True for both Multi-AZ deployments (one standby instance, or a cluster of three)."""
        return self.availability.deployment != "single-az"

    @property
    def is_cluster(self) -> bool:
        """True for a Multi-AZ DB cluster, created with CreateDBCluster rather than CreateDBInstance."""
        return self.availability.deployment == "multi-az-cluster"
