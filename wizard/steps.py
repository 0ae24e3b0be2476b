"""The wizard's six steps as data: which fields each asks, in what order, with what help.

Both front ends (the Textual screens and the plain prompts) render these, so the steps, their order,
their help lines and the conditions under which a field is asked exist once. Choices that come from
the account are named by `source` and produced by `wizard.choices`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Literal, NamedTuple

if TYPE_CHECKING:
    from wizard.spec.model import DatabaseSpec

# What a field is, which is also how it is asked: "choice" one value from a list, "radio" one of a few
# values each worth a description (shown side by side), "class" one of a long list to filter by typing
# (the instance classes), "template" a preset to fill the later steps from.
FieldKind = Literal["text", "integer", "choice", "radio", "class", "multi-choice", "toggle", "password",
                    "window", "tags", "template"]
# The kinds that pick one value from a list of choices.
SINGLE_CHOICE_KINDS: frozenset[str] = frozenset({"choice", "radio", "class", "template"})


def _always(_spec: DatabaseSpec) -> bool:
    return True


# Named tuples, not dataclasses: the steps are read before the wizard's first frame, and making the two
# dataclass types took ~1 ms of it (each generated method is compiled as the class is made).
class StepField(NamedTuple):
    """One setting a step asks for."""

    path: str
    label: str
    help: str
    kind: FieldKind
    source: str | None = None
    optional: bool = False
    advanced: bool = False
    placeholder: str = ""
    visible_when: Callable[[DatabaseSpec], bool] = _always

    def is_visible(self, spec: DatabaseSpec) -> bool:
        """Whether this field applies to the spec as it stands (e.g. the AZ only for single-AZ)."""
        return self.visible_when(spec)


class Step(NamedTuple):
    """One step of the wizard, in the console's order."""

    key: str
    title: str
    purpose: str
    docs_url: str
    fields: tuple[StepField, ...]

    def visible_fields(self, spec: DatabaseSpec) -> list[StepField]:
        """The fields that apply to this spec, in order."""
        return [f for f in self.fields if f.is_visible(spec)]


_DOCS = "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/"

STEPS: tuple[Step, ...] = (
    Step(
        key="engine",
        title="Engine",
        purpose="Which database engine RDS runs for you, and which version of it. A template fills in "
                "sensible answers for the later steps; you can change any of them.",
        docs_url=_DOCS + "USER_CreateDBInstance.html",
        fields=(
            StepField("template", "Template", "Production, Dev/Test or the teaching demo: fills in the "
                      "later steps.", "template", source="templates", optional=True),
            StepField("engine.engine", "Engine", "The database software. Multi-AZ works for all of these "
                      "except SQL Server Express.", "choice", source="engines"),
            StepField("engine.version", "Version", "The engine version; RDS's default is preselected.",
                      "choice", source="engine_versions"),
            StepField("engine.license_model", "License model", "How the engine is licensed; only some "
                      "engines offer a choice.", "choice", source="license_models", optional=True,
                      advanced=True),
        ),
    ),
    Step(
        key="instance",
        title="Instance details",
        purpose="The name of the instance, who its administrator is and where the password lives, how "
                "big the machine is and what storage it gets.",
        docs_url=_DOCS + "Concepts.DBInstanceClass.html",
        fields=(
            StepField("settings.identifier", "DB instance identifier", "A name unique in this account and "
                      "region: letters, digits and hyphens, starting with a letter.", "text",
                      placeholder="orders-db"),
            StepField("settings.master_username", "Master username", "The administrator's login: letters, "
                      "digits and underscores, starting with a letter.", "text"),
            StepField("settings.credentials", "Credentials", "Secrets Manager keeps and rotates the "
                      "password for you (recommended).", "radio", source="credentials"),
            StepField("settings.master_password", "Master password", "Typed twice, never stored by the "
                      "wizard. 8+ printable characters, no / \" @ or space.", "password",
                      visible_when=lambda s: s.settings.credentials == "self-managed"),
            StepField("settings.secret_kms_key_id", "Secret KMS key", "The KMS key that encrypts the "
                      "secret; empty uses aws/secretsmanager.", "text", optional=True, advanced=True,
                      visible_when=lambda s: s.settings.credentials == "secrets-manager"),
            StepField("instance.instance_class", "DB instance class", "CPU and memory. Burstable (db.t*) "
                      "classes suit dev/test, not production Multi-AZ.", "class",
                      source="instance_classes"),
            StepField("storage.type", "Storage type", "gp3 gives a 3,000 IOPS baseline at any size; io1/io2 "
                      "provision IOPS for heavy I/O.", "choice", source="storage_types"),
            StepField("storage.allocated_gib", "Allocated storage (GiB)", "Storage can grow later but "
                      "never shrink.", "integer"),
            StepField("storage.iops", "Provisioned IOPS", "io1/io2: required. gp3: only from 400 GiB "
                      "(200 on Oracle); empty keeps the baseline.", "integer", optional=True,
                      visible_when=lambda s: s.storage.type in ("io1", "io2", "gp3")),
            StepField("storage.throughput_mibps", "Storage throughput (MiB/s)", "gp3 only, with "
                      "provisioned IOPS; empty keeps the baseline.", "integer", optional=True, advanced=True,
                      visible_when=lambda s: s.storage.type == "gp3"),
            StepField("storage.max_allocated_gib", "Autoscaling maximum (GiB)", "Lets RDS grow storage "
                      "when it runs low; at least 10% above allocated. Empty: off.", "integer",
                      optional=True),
        ),
    ),
    Step(
        key="availability",
        title="Availability and durability",
        purpose="Multi-AZ keeps a synchronous standby in a second Availability Zone. If the primary "
                "fails, RDS points the same DNS name at the standby, typically within 60-120 s.",
        docs_url=_DOCS + "Concepts.MultiAZ.html",
        fields=(
            StepField("availability.deployment", "Deployment", "Multi-AZ costs about twice a single-AZ "
                      "instance: you pay for the standby too.", "radio", source="deployments"),
        ),
    ),
    Step(
        key="network",
        title="Network",
        purpose="Which VPC and subnets the database lives in, and who can reach it. Multi-AZ needs a "
                "DB subnet group with subnets in at least two Availability Zones.",
        docs_url=_DOCS + "USER_VPC.WorkingWithRDSInstanceinaVPC.html",
        fields=(
            StepField("connectivity.vpc_id", "VPC", "The virtual network the database joins.", "choice",
                      source="vpcs", optional=True),
            StepField("connectivity.subnet_group", "DB subnet group", "Which subnets (and so which AZs) "
                      "RDS may place the primary and standby in.", "choice", source="subnet_groups",
                      optional=True),
            StepField("connectivity.public_access", "Public access", "Off keeps the database reachable "
                      "only from inside the VPC (recommended).", "toggle"),
            StepField("connectivity.security_group_ids", "Security groups", "Firewall rules: which "
                      "addresses may connect to the port.", "multi-choice", source="security_groups",
                      optional=True),
            StepField("connectivity.port", "Port", "The port the database listens on; empty uses the "
                      "engine's default.", "integer", optional=True),
            StepField("connectivity.availability_zone", "Availability Zone", "Single-AZ only: pin the "
                      "instance to one AZ, or leave no preference.", "choice", source="availability_zones",
                      optional=True, visible_when=lambda s: not s.is_multi_az),
            StepField("connectivity.ca_certificate", "Certificate authority", "The CA for TLS "
                      "connections; empty uses the region's default.", "text", optional=True, advanced=True),
        ),
    ),
    Step(
        key="backup",
        title="Backup, maintenance and more",
        purpose="When RDS backs up (daily) and patches (weekly), in UTC. The two windows must not "
                "overlap. Below: the initial database, groups, protection and monitoring.",
        docs_url=_DOCS + "USER_WorkingWithAutomatedBackups.html",
        fields=(
            StepField("backup.retention_days", "Backup retention (days)", "0 turns automated backups off; "
                      "up to 35 days of point-in-time recovery.", "integer"),
            StepField("backup.window", "Backup window (UTC)", "hh24:mi-hh24:mi, at least 30 minutes; empty "
                      "lets RDS choose.", "window", optional=True, placeholder="03:00-03:30"),
            StepField("maintenance.window", "Maintenance window (UTC)", "ddd:hh24:mi-ddd:hh24:mi, at least "
                      "30 minutes; empty lets RDS choose.", "window", optional=True,
                      placeholder="sun:05:00-sun:05:30"),
            StepField("maintenance.auto_minor_version_upgrade", "Auto minor version upgrade", "Apply minor "
                      "engine upgrades in the maintenance window.", "toggle"),
            StepField("database.name", "Initial database name", "A database created at launch; empty "
                      "creates none (PostgreSQL still has 'postgres').", "text", optional=True,
                      visible_when=lambda s: not s.engine.engine.startswith("sqlserver")),
            StepField("database.parameter_group", "DB parameter group", "Engine settings (a DB cluster "
                      "parameter group for a Multi-AZ DB cluster); the default is preselected.", "choice",
                      source="parameter_groups", optional=True, advanced=True),
            StepField("database.option_group", "Option group", "Extra engine features; the default group "
                      "is preselected.", "choice", source="option_groups", optional=True, advanced=True,
                      visible_when=lambda s: not s.is_cluster),
            StepField("protection.deletion_protection", "Deletion protection", "Refuse deletes until it is "
                      "turned off: guards against accidents.", "toggle"),
            StepField("protection.encrypted", "Encryption at rest", "Encrypts storage, backups and the "
                      "standby. Cannot be turned on later.", "toggle"),
            StepField("protection.kms_key_id", "KMS key", "Empty uses the account's aws/rds key.", "text",
                      optional=True, advanced=True, visible_when=lambda s: s.protection.encrypted),
            StepField("backup.copy_tags_to_snapshot", "Copy tags to snapshots", "Snapshots carry the "
                      "instance's tags (for cost and ownership).", "toggle", advanced=True),
            StepField("monitoring.performance_insights", "Performance Insights", "Query-level load "
                      "monitoring; 7 days of history are free.", "toggle", advanced=True),
            StepField("monitoring.performance_insights_retention_days", "Insights retention (days)",
                      "7 (free), 31 x months (1-23), or 731.", "choice", source="pi_retention",
                      optional=True, advanced=True,
                      visible_when=lambda s: s.monitoring.performance_insights),
            StepField("monitoring.monitoring_interval", "Enhanced Monitoring interval (s)", "OS metrics "
                      "every N seconds; 0 is off.", "choice", source="monitoring_intervals", advanced=True),
            StepField("monitoring.monitoring_role_arn", "Monitoring role ARN", "The IAM role RDS uses to "
                      "send OS metrics (rds-monitoring-role).", "text", optional=True, advanced=True,
                      visible_when=lambda s: s.monitoring.monitoring_interval > 0),
            StepField("monitoring.log_exports", "Log exports", "Engine logs to publish to CloudWatch "
                      "Logs.", "multi-choice", source="log_exports", optional=True, advanced=True),
            StepField("monitoring.iam_database_authentication", "IAM database authentication", "Also "
                      "allow logins with IAM tokens.", "toggle", advanced=True),
            StepField("tags", "Tags", "key=value pairs, comma-separated (Name=orders,team=payments).",
                      "tags", optional=True, advanced=True),
        ),
    ),
    Step(
        key="review",
        title="Review",
        purpose="Everything you chose, grouped as the console shows it, with any problem left to fix "
                "and the equivalent AWS CLI command.",
        docs_url=_DOCS + "USER_CreateDBInstance.html",
        fields=(),
    ),
)

STEP_KEYS: tuple[str, ...] = tuple(step.key for step in STEPS)


def step_by_key(key: str) -> Step:
    """The step with this key."""
    for step in STEPS:
        if step.key == key:
            return step
    raise KeyError(key)


def step_for_field(path: str) -> Step:
    """The step that asks for a spec field, so an error can offer a jump to it.

    A path inside a field (`tags.Name`) belongs to the field's step; anything unknown goes to Review.
    """
    for step in STEPS:
        for field in step.fields:
            if path == field.path or path.startswith(field.path + "."):
                return step
    section = path.split(".", 1)[0]
    for step in STEPS:
        if any(f.path.split(".", 1)[0] == section for f in step.fields):
            return step
    return STEPS[-1]
