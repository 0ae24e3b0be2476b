"""Every RDS create rule, checked before any API call: which setting, which rule, how to fix it.

`validate(spec)` returns problems instead of raising. Errors are what AWS would refuse (the CreateDBInstance
API reference, https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html);
warnings are choices that work but deserve a second look (public access, no deletion protection, ...). Rules
that differ by engine read `wizard.spec.engines`; what is not known for sure produces no error, because
refusing what AWS accepts is as bad as missing what it refuses.
With `AccountFacts` the rules also check what only the account knows: subnet group coverage, whether a
class is orderable for the engine and version, and Multi-AZ capability.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Sequence
from datetime import date

from wizard.catalog import AccountFacts, OrderableOption, SubnetGroup
from wizard.spec.engines import (
    CA_IDENTIFIERS,
    CLUSTER_STORAGE_TYPES,
    DATABASE_INSIGHTS_ADVANCED_MIN_RETENTION,
    ENGINE_ORDER,
    ENGINES,
    EXPIRED_CA_IDENTIFIERS,
    EXTENDED_SUPPORT_DISABLED,
    GP3_MAX_THROUGHPUT_PER_IOPS,
    MAGNETIC_STORAGE_END,
    MONITORING_INTERVALS,
    PI_RETENTION_DAYS,
    PORT_RANGE,
    SECURITY_GROUPS_DEFAULT_QUOTA,
    SECURITY_GROUPS_MAX,
    STANDARD_SUPPORT_ENDS,
    TAG_ALLOWED_PUNCTUATION,
    TAG_DOCUMENTED_PREFIXES,
    TAG_KEY_LENGTH,
    TAG_RESERVED_KEY_PREFIX,
    TAG_VALUE_MAX,
    TAGS_PER_RESOURCE,
    EngineRules,
    engine_rules,
    is_api_engine,
    major_version,
)
from wizard.spec.model import STORAGE_TYPES, DatabaseSpec
from wizard.spec.problems import Problem, Severity
from wizard.spec.reach import PARAMETER_REACH, ParameterReach
from wizard.spec.request import (
    CREATE_DB_CLUSTER_MEMBERS,
    CREATE_DB_INSTANCE_MEMBERS,
    MAPPINGS,
    MODELLED_PARAMETERS,
    SECRET_PARAMETERS,
    parameter_for,
    to_request,
    type_error,
)
from wizard.spec.windows import (
    MIN_WINDOW_MINUTES,
    WindowError,
    format_duration,
    format_minute_of_week,
    overlap,
    parse_backup_window,
    parse_maintenance_window,
)

_IDENTIFIER_RE = re.compile(r"[A-Za-z][A-Za-z0-9-]*")
_USERNAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_IDENTIFIER_MAX = 63
_CLUSTER_IDENTIFIER_MAX = 52
_RETENTION_MAX = 35
# The CreateDBCluster documentation limits the master password to 41 characters; for a PostgreSQL
# Multi-AZ DB cluster that may be an Aurora MySQL leftover, so it is a warning, not an error.
_CLUSTER_PASSWORD_MAX = 41
_TAG_KEY_MAX = TAG_KEY_LENGTH[1]
_TAG_VALUE_MAX = TAG_VALUE_MAX


def _q(text: object) -> str:
    """User text quoted for a message, shortened so a pasted essay does not become the message."""
    shown = str(text)
    return repr(shown if len(shown) <= 60 else shown[:57] + "...")


def _n(value: float) -> str:
    """A number as people read it: 65,536 and 0.5."""
    return f"{value:,}" if isinstance(value, int) or value != int(value) else f"{int(value):,}"


def identifier_problems(ident: str | None, what: str = "DB identifier", limit: int = _IDENTIFIER_MAX,
                        *, fix: str | None = None) -> list[str]:
    """What is wrong with an RDS identifier (DBInstanceIdentifier, DBClusterIdentifier): 1 to `limit`
    letters, digits and hyphens, starting with a letter, no trailing or doubled hyphen. `fix` replaces
    the advice for a new name, for an identifier typed to find a database that exists already."""
    if not ident:
        return [f"{what} is required: " + (fix or "name it with letters, digits and hyphens, starting with "
                                                  "a letter (e.g. orders-db).")]
    problems: list[str] = []
    if len(ident) > limit:
        problems.append(f"{what} {_q(ident)} is {len(ident)} characters long: the limit is {limit}. "
                        + (fix or "Shorten it."))
    if not _IDENTIFIER_RE.fullmatch(ident):
        problems.append(f"{what} {_q(ident)} may contain only letters, digits and hyphens and must start "
                        "with a letter: " + (fix or "rename it (e.g. orders-db)."))
    if ident.endswith("-") or "--" in ident:
        problems.append(f"{what} {_q(ident)} may not end with a hyphen or contain two hyphens in a row: "
                        + (fix or "remove the extra hyphen."))
    return problems


class _Checker:
    """Collects the problems of one spec; each `_check_*` method is one group of rules."""

    def __init__(self, spec: DatabaseSpec, facts: AccountFacts | None, check_password: bool) -> None:
        self.spec = spec
        self.facts = facts
        self.check_password = check_password
        # RDS folds the engine name's case (CloudFormation's own samples say "MySQL").
        self.rules: EngineRules | None = engine_rules(spec.engine.engine.lower())
        self.problems: list[Problem] = []

    def add(self, path: str, message: str, severity: Severity = "error",
            parameter: str | None = None) -> None:
        """Record a problem on a spec path; the parameter defaults to the one the path is sent as."""
        if parameter is not None:
            name = parameter
        elif path.startswith("extra_parameters."):
            name = path.removeprefix("extra_parameters.")
        else:
            name = parameter_for(path, self.spec)
        self.problems.append(Problem(field=path, parameter=name, message=message, severity=severity))

    def warn(self, path: str, message: str) -> None:
        """Record a warning."""
        self.add(path, message, severity="warning")

    @property
    def engine_label(self) -> str:
        """The engine as people name it."""
        return self.rules.label if self.rules is not None else self.spec.engine.engine

    # -- engine, identifier, credentials -------------------------------------------------------------

    def check_engine(self) -> None:
        """Engine: known to RDS, and a license model the engine offers."""
        engine = self.spec.engine.engine
        if not engine:
            self.add("engine.engine", f"Engine is required: choose one of {', '.join(ENGINE_ORDER)}.")
        elif self.rules is not None and engine != self.rules.engine:
            self.warn("engine.engine",
                      f"Engine {_q(engine)}: AWS spells it '{self.rules.engine}'; write it in lowercase.")
        elif self.rules is None and is_api_engine(engine.lower()):
            self.warn("engine.engine",
                      f"Engine {_q(engine)} is accepted by RDS but this wizard has no rules for "
                      "it: only the engine-independent rules were checked.")
        elif self.rules is None:
            close = difflib.get_close_matches(engine, ENGINE_ORDER, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            self.add("engine.engine", f"Engine {_q(engine)} is not an RDS engine{hint}: use one of "
                                      f"{', '.join(ENGINE_ORDER)}.")
        license_model = self.spec.engine.license_model
        if self.rules is not None and license_model is not None and not self.spec.is_cluster \
                and license_model not in self.rules.license_models:
            self.add("engine.license_model",
                     f"License model {_q(license_model)} is not offered for "
                     f"{self.rules.label}: use {' or '.join(self.rules.license_models)}.")

    def check_identifier(self) -> None:
        """DBInstanceIdentifier (DBClusterIdentifier): 1-63 (52) letters, digits, hyphens."""
        what = "DB cluster identifier" if self.spec.is_cluster else "DB instance identifier"
        limit = _CLUSTER_IDENTIFIER_MAX if self.spec.is_cluster else _IDENTIFIER_MAX
        for message in identifier_problems(self.spec.settings.identifier, what, limit):
            self.add("settings.identifier", message)

    def check_username(self) -> None:
        """MasterUsername: 1-16 letters, digits, underscores, starting with a letter, not reserved."""
        name = self.spec.settings.master_username
        path = "settings.master_username"
        if self.rules is None:
            return
        if not name:
            self.add(path, f"Master username is required for {self.rules.label}: for example "
                           f"'{self.rules.default_username}'.")
            return
        limit = self.rules.username_max_length
        if len(name) > limit:
            self.add(path, f"Master username {_q(name)} is {len(name)} characters long: RDS allows at most "
                           f"{limit}. Shorten it.")
        if not _USERNAME_RE.fullmatch(name):
            self.add(path, f"Master username {_q(name)} may contain only letters, digits and underscores and "
                           "must start with a letter: rename it (e.g. "
                           f"'{self.rules.default_username}').")
        if name.lower() in self.rules.reserved_usernames:
            self.add(path, f"Master username {_q(name)} is a reserved word on {self.rules.label}: choose "
                           f"another name (e.g. 'dbadmin').")

    def check_credentials(self) -> None:
        """The password: not with Secrets Manager, required when self-managed, allowed characters."""
        settings = self.spec.settings
        password = settings.master_password.get_secret_value() if settings.master_password else None
        if settings.credentials == "secrets-manager" and password is not None:
            for path, parameter in (("settings.master_password", "MasterUserPassword"),
                                    ("settings.credentials", "ManageMasterUserPassword")):
                self.add(path, "A master password cannot be given when Secrets Manager manages the "
                               "password (MasterUserPassword with ManageMasterUserPassword=true): remove "
                               "the password, or choose self-managed credentials.", parameter=parameter)
        if settings.credentials == "self-managed" and password is None and self.check_password \
                and self.rules is not None:
            self.add("settings.master_password", "Master password is required with self-managed "
                                                 "credentials: type one, or let Secrets Manager manage it "
                                                 "(ManageMasterUserPassword).")
        if settings.secret_kms_key_id is not None and settings.credentials != "secrets-manager":
            self.warn("settings.secret_kms_key_id", "The secret's KMS key is used only when Secrets Manager "
                                                    "manages the password: it is ignored here; clear it.")
        if password is None or self.rules is None:
            return
        low, high = self.rules.password_length
        path = "settings.master_password"
        if not low <= len(password) <= high:
            self.add(path, f"Master password must be {low}-{high} characters long on {self.rules.label}; it "
                           f"has {len(password)}. Choose another.")
        if self.spec.is_cluster and len(password) > _CLUSTER_PASSWORD_MAX:
            self.warn(path, f"CreateDBCluster documents a master password of at most {_CLUSTER_PASSWORD_MAX} "
                            "characters: a shorter one is safer.")
        forbidden = sorted({c for c in password if c in self.rules.forbidden_password_chars})
        if forbidden:
            names = ["a space" if c == " " else f"'{c}'" for c in forbidden]
            shown = " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
            allowed = "any printable ASCII character except / \" @ and space" + (
                " (and " + " ".join(f"'{c}'" for c in self.rules.password_forbidden_extra) + " on "
                + self.rules.label + ")" if self.rules.password_forbidden_extra else "")
            self.add(path, f"Master password contains {shown}, which RDS refuses: use {allowed}.")
        if any(not 32 <= ord(c) <= 126 for c in password):
            self.add(path, "Master password may contain only printable ASCII characters (no accents, emoji, "
                           "tabs or line breaks): choose another.")

    def check_instance_class(self) -> None:
        """DBInstanceClass: given, and shaped like db.<family>.<size>."""
        cls = self.spec.instance.instance_class
        path = "instance.instance_class"
        if not cls:
            self.add(path, "DB instance class is required: choose one, e.g. db.m6g.large.")
        elif not cls.startswith("db.") or (self.rules is not None and cls.count(".") < 2):
            self.add(path, f"DB instance class {_q(cls)} is not an RDS class name: RDS classes look like "
                           "db.m6g.large (note the 'db.' prefix).")

    # -- storage ---------------------------------------------------------------------------------------

    def check_storage(self) -> None:
        """Storage type per engine, size ranges, IOPS, gp3 limits and the autoscaling maximum."""
        storage = self.spec.storage
        rules = self.rules
        kind = storage.type
        size = storage.allocated_gib
        if storage.iops is not None and kind in ("gp2", "standard"):
            self.add("storage.iops", f"Provisioned IOPS can only be set for io1, io2 or gp3 storage, not "
                                     f"{kind}: clear the IOPS or choose io1, io2 or gp3.")
        if storage.throughput_mibps is not None and kind != "gp3":
            self.add("storage.throughput_mibps",
                     f"Storage throughput applies only to gp3 storage, not {kind}: "
                     "clear it or choose gp3.")
        if kind in ("io1", "io2") and storage.iops is None:
            self.add("storage.iops", f"{kind} storage needs a Provisioned IOPS value: enter one (at least "
                                     "1,000).")
        if self.spec.is_cluster:
            self._check_cluster_storage()
        if rules is None:
            return
        bounds = rules.storage_ranges.get(kind)
        if bounds is None:
            self.add("storage.type", f"Storage type {kind} is not offered for {rules.label}: choose "
                                     f"{' or '.join(rules.storage_types)}.")
            return
        low, high = bounds
        if size == 0:
            self.add("storage.allocated_gib", f"Allocated storage is required for {rules.label}: "
                                              f"{_n(low)}-{_n(high)} GiB on {kind}.")
        elif not low <= size <= high:
            self.add("storage.allocated_gib",
                     f"Allocated storage {_n(size)} GiB is outside what {rules.label} "
                     f"allows on {kind}: {_n(low)}-{_n(high)} GiB.")
        iops = storage.iops
        if kind == "io1" and iops is not None:
            self._check_io1(rules, size, iops)
        if kind == "gp3":
            self._check_gp3(rules, size, iops, storage.throughput_mibps)
        self._check_autoscaling(high)

    def _check_cluster_storage(self) -> None:
        storage = self.spec.storage
        if storage.type not in CLUSTER_STORAGE_TYPES:
            self.add("storage.type",
                     f"A Multi-AZ DB cluster takes {', '.join(CLUSTER_STORAGE_TYPES)} storage, "
                     f"not {storage.type}: choose one of those.")
        if storage.throughput_mibps is not None:
            self.add("storage.throughput_mibps", "A Multi-AZ DB cluster cannot set storage throughput "
                                                 "(CreateDBCluster has no StorageThroughput): clear it.",
                     parameter="StorageThroughput")
        if storage.max_allocated_gib is not None:
            self.add("storage.max_allocated_gib",
                     "A Multi-AZ DB cluster cannot set an autoscaling maximum at "
                     "create time (CreateDBCluster has no MaxAllocatedStorage): "
                     "clear it.", parameter="MaxAllocatedStorage")

    def _check_io1(self, rules: EngineRules, size: int, iops: int) -> None:
        low, high = rules.io1_iops_range
        if not low <= iops <= high:
            self.add("storage.iops",
                     f"Provisioned IOPS {_n(iops)} is outside io1's range on {rules.label}: "
                     f"{_n(low)}-{_n(high)}.")
        ratio_low, ratio_high = rules.io1_iops_per_gib
        if size > 0 and not ratio_low * size <= iops <= ratio_high * size:
            self.add("storage.iops",
                     f"Provisioned IOPS {_n(iops)} for {_n(size)} GiB breaks io1's ratio on "
                     f"{rules.label}: IOPS must be {_n(ratio_low)}-{_n(ratio_high)} times the "
                     f"storage, so {_n(ratio_low * size)}-{_n(ratio_high * size)} here. Change "
                     "the IOPS or the storage size.")

    def _check_gp3(self, rules: EngineRules, size: int, iops: int | None, throughput: int | None) -> None:
        gp3 = rules.gp3
        threshold = gp3.threshold_gib
        if threshold is not None and size < threshold:
            for path, value, what in (("storage.iops", iops, "IOPS"),
                                      ("storage.throughput_mibps", throughput, "throughput")):
                if value is not None:
                    self.add(path, f"gp3 storage below {_n(threshold)} GiB on {rules.label} has a fixed "
                                   f"baseline (3,000 IOPS, 125 MiB/s): {what} cannot be provisioned. Clear "
                                   f"it, or allocate at least {_n(threshold)} GiB.")
            return
        if iops is not None:
            low, high = gp3.iops_range
            if not low <= iops <= high:
                self.add("storage.iops",
                         f"Provisioned IOPS {_n(iops)} is outside gp3's range on {rules.label}: "
                         f"{_n(low)}-{_n(high)}.")
            if size > 0 and iops > gp3.max_iops_per_gib * size:
                self.add("storage.iops",
                         f"Provisioned IOPS {_n(iops)} is more than {_n(gp3.max_iops_per_gib)} "
                         f"per GiB of {_n(size)} GiB gp3 storage: lower it to at most "
                         f"{_n(gp3.max_iops_per_gib * size)} or add storage.")
            if size > 0 and iops < gp3.min_iops_per_gib * size:
                self.add("storage.iops",
                         f"Provisioned IOPS {_n(iops)} is less than {_n(gp3.min_iops_per_gib)} "
                         f"per GiB of {_n(size)} GiB gp3 storage on {rules.label}: raise it to "
                         f"at least {_n(gp3.min_iops_per_gib * size)}.")
        if throughput is not None:
            low, high = gp3.throughput_range
            if not low <= throughput <= high:
                self.add("storage.throughput_mibps",
                         f"Storage throughput {_n(throughput)} MiB/s is outside "
                         f"gp3's range on {rules.label}: {_n(low)}-{_n(high)} MiB/s.")
            if iops is not None and throughput > GP3_MAX_THROUGHPUT_PER_IOPS * iops:
                self.add("storage.throughput_mibps",
                         f"Storage throughput {_n(throughput)} MiB/s is more than "
                         f"{GP3_MAX_THROUGHPUT_PER_IOPS} MiB/s per provisioned IOPS "
                         f"({_n(iops)}): lower it to at most "
                         f"{_n(GP3_MAX_THROUGHPUT_PER_IOPS * iops)} or raise the IOPS.")

    def _check_autoscaling(self, type_max: int) -> None:
        storage = self.spec.storage
        ceiling = storage.max_allocated_gib
        if ceiling is None or self.spec.is_cluster:
            return
        path = "storage.max_allocated_gib"
        if ceiling * 10 < storage.allocated_gib * 11:
            self.add(path,
                     f"Autoscaling maximum {_n(ceiling)} GiB must be at least 10% above the allocated "
                     f"{_n(storage.allocated_gib)} GiB: raise it to at least "
                     f"{_n(-(-storage.allocated_gib * 11 // 10))} GiB, or clear it to turn autoscaling off.")
        if ceiling > type_max:
            self.add(path, f"Autoscaling maximum {_n(ceiling)} GiB is above the {_n(type_max)} GiB "
                           f"{self.engine_label} allows on {storage.type}: lower it.")

    # -- availability and network ----------------------------------------------------------------------

    def check_availability(self) -> None:
        """Multi-AZ support per engine, the cluster engines, and no AZ with Multi-AZ."""
        spec = self.spec
        rules = self.rules
        deployment = spec.availability.deployment
        if rules is not None and deployment == "multi-az-instance":
            if not rules.supports_multi_az_instance:
                self.add("availability.deployment", f"{rules.label} does not support Multi-AZ: choose a "
                                                    "single-AZ deployment or another edition.")
            elif rules.multi_az_min_version and spec.engine.version \
                    and _version_key(spec.engine.version) < _version_key(rules.multi_az_min_version):
                self.warn("availability.deployment", f"{rules.label} supports Multi-AZ only from version "
                                                     f"{rules.multi_az_min_version}: choose that or a later "
                                                     "version.")
        if rules is not None and deployment == "multi-az-cluster" and not rules.supports_multi_az_cluster:
            self.add("availability.deployment", f"Multi-AZ DB clusters run only MySQL and PostgreSQL, not "
                                                f"{rules.label}: choose a Multi-AZ DB instance instead.",
                     parameter="Engine")
        if spec.is_multi_az and spec.connectivity.availability_zone:
            message = (f"An Availability Zone ({spec.connectivity.availability_zone}) cannot be chosen for a "
                       "Multi-AZ deployment (RDS places the primary and standby itself): clear the "
                       "Availability Zone, or choose single-AZ.")
            self.add("connectivity.availability_zone", message, parameter="AvailabilityZone")
            self.add("availability.deployment",
                     message, parameter="MultiAZ")
        if spec.is_multi_az:
            cls = spec.instance.instance_class
            if cls.startswith("db.t"):
                self.warn("instance.instance_class",
                          f"{cls} is a burstable class: under sustained load it runs "
                          "out of CPU credits, which a Multi-AZ production database "
                          "should not. Consider a db.m or db.r class.")
            self.warn("availability.deployment", "Multi-AZ costs about twice a single-AZ instance (a "
                                                 "Multi-AZ DB cluster about three times): you also pay for "
                                                 "the standby's compute and storage.")

    def check_connectivity(self) -> None:
        """Port range and forbidden ports, and public access."""
        port = self.spec.connectivity.port
        low, high = PORT_RANGE
        if port is not None:
            if not low <= port <= high:
                self.add("connectivity.port",
                         f"Port {port} is outside {low}-{high}: choose a port in that range "
                         "(or leave it empty for the engine's default"
                         + (f", {self.rules.default_port}" if self.rules else "") + ").")
            elif self.rules is not None and port in self.rules.forbidden_ports:
                self.add("connectivity.port", f"Port {port} is reserved on {self.rules.label} (1234, 1434, "
                                              "3260, 3343, 3389, 47001 and 49152-49156 are): use another, "
                                              f"e.g. {self.rules.default_port}.")
        if self.spec.connectivity.public_access:
            self.warn("connectivity.public_access", "Public access is on: the database gets a public address "
                                                    "and only its security groups stand between it and the "
                                                    "internet. Turn it off unless clients outside the VPC "
                                                    "must connect.")

    # -- database, backup, maintenance, protection, monitoring, tags -------------------------------------

    def check_database_name(self) -> None:
        """DBName per engine: SQL Server none; the others length, characters and reserved words."""
        name = self.spec.database.name
        if name is None or self.rules is None:
            return
        rule = self.rules.db_name
        path = "database.name"
        if rule.must_be_empty:
            self.add(path, f"{self.rules.label} takes no initial database name (DBName must be empty): clear "
                           "it and create databases after launch.")
            return
        if not 1 <= len(name) <= rule.max_length:
            self.add(path, f"Initial database name {_q(name)} must be 1-{rule.max_length} characters on "
                           f"{self.rules.label}: shorten it.")
        if name and not rule.matches(name):
            self.add(path, f"Initial database name {_q(name)} must {rule.pattern_text} on "
                           f"{self.rules.label}: rename it.")
        if name.lower() in rule.forbidden:
            self.add(path, f"Initial database name {_q(name)} is reserved on {self.rules.label}: choose "
                           "another (the default is ORCL).")

    def check_backup_and_maintenance(self) -> None:
        """Retention range, window formats and lengths, and no overlap."""
        spec = self.spec
        retention = spec.backup.retention_days
        low = 1 if spec.is_cluster else 0
        if not low <= retention <= _RETENTION_MAX:
            what = "A Multi-AZ DB cluster keeps" if spec.is_cluster else "RDS keeps"
            self.add("backup.retention_days", f"Backup retention {retention} days: {what} automated backups "
                                              f"{low}-{_RETENTION_MAX} days. Choose a value in that range.")
        elif retention == 0:
            self.warn("backup.retention_days", "Automated backups are off (retention 0): no point-in-time "
                                               "recovery. Set 1-35 days, 7 is common.")
        backup = maintenance = None
        if spec.backup.window is not None:
            try:
                backup = parse_backup_window(spec.backup.window)
            except WindowError as exc:
                self.add("backup.window", f"Backup window {exc}.")
            else:
                self._check_length("backup.window", "Backup window", spec.backup.window, backup.length)
        if spec.maintenance.window is not None:
            try:
                maintenance = parse_maintenance_window(spec.maintenance.window)
            except WindowError as exc:
                self.add("maintenance.window", f"Maintenance window {exc}.")
            else:
                self._check_length("maintenance.window", "Maintenance window", spec.maintenance.window,
                                   maintenance.length)
        shared = overlap(backup, maintenance) if backup is not None and maintenance is not None else None
        if shared is not None:
            message = (f"The backup window ({spec.backup.window}, every day) overlaps the maintenance window "
                       f"({spec.maintenance.window}) from {format_minute_of_week(shared[0])} to "
                       f"{format_minute_of_week(shared[1])}: RDS refuses overlapping windows. Move one of "
                       "them.")
            self.add("backup.window", message)
            self.add("maintenance.window", message)
        elif (spec.backup.window is None) != (spec.maintenance.window is None):
            unset = "backup" if spec.backup.window is None else "maintenance"
            self.warn(f"{unset}.window",
                      f"The {unset} window is left to RDS while the other is set: the random "
                      "window RDS picks may collide with yours. Set both.")

    def _check_length(self, path: str, label: str, text: str, length: int) -> None:
        if length < MIN_WINDOW_MINUTES:
            self.add(path, f"{label} {text} lasts {format_duration(length)}: it must last at least "
                           f"{MIN_WINDOW_MINUTES} minutes. Move its end later.")

    def check_protection(self) -> None:
        """Warnings for deletion protection and encryption off."""
        protection = self.spec.protection
        if not protection.deletion_protection:
            self.warn("protection.deletion_protection",
                      "Deletion protection is off: one delete call (or a "
                      "cleanup script) removes the database. Turn it on for "
                      "anything you would miss.")
        if not protection.encrypted:
            self.warn("protection.encrypted", "Encryption at rest is off, and it cannot be turned on later "
                                              "without a snapshot and restore: turn it on.")
            if protection.kms_key_id is not None:
                self.warn("protection.kms_key_id", "A KMS key is set but encryption at rest is off: turn "
                                                   "encryption on or clear the key.")

    def check_monitoring(self) -> None:
        """Performance Insights retention, Enhanced Monitoring interval and role, log export names."""
        monitoring = self.spec.monitoring
        retention = monitoring.performance_insights_retention_days
        if retention is not None and retention not in PI_RETENTION_DAYS:
            self.add("monitoring.performance_insights_retention_days",
                     f"Performance Insights retention {retention} days is not offered: use 7, 31 × months "
                     "(31, 62, ... 713) or 731.")
        if retention is not None and not monitoring.performance_insights:
            self.warn("monitoring.performance_insights_retention_days",
                      "A Performance Insights retention is set but Performance Insights is off: turn it on, "
                      "or clear the retention.")
        cls = self.spec.instance.instance_class
        if monitoring.performance_insights and cls.endswith((".micro", ".small")):
            self.warn("monitoring.performance_insights",
                      f"Performance Insights is not offered on most {cls} "
                      "configurations: choose a larger class or turn it off.")
        interval = monitoring.monitoring_interval
        role_arn = monitoring.monitoring_role_arn
        if role_arn and not role_arn.startswith("arn:"):
            self.warn("monitoring.monitoring_role_arn",
                      f"Monitoring role {_q(role_arn)} is not an ARN: give the role's ARN, e.g. "
                      "arn:aws:iam::123456789012:role/rds-monitoring-role.")
        if interval not in MONITORING_INTERVALS:
            self.add("monitoring.monitoring_interval", f"Enhanced Monitoring interval {interval} s is not "
                                                       "offered: use 0 (off), 1, 5, 10, 15, 30 or 60.")
        role = monitoring.monitoring_role_arn
        if role and interval == 0:
            message = ("A monitoring role is set but the Enhanced Monitoring interval is 0 (off): choose an "
                       "interval (1-60 s), or clear the role.")
            self.add("monitoring.monitoring_interval", message)
            self.add("monitoring.monitoring_role_arn", message)
        elif not role and interval != 0:
            message = (f"Enhanced Monitoring every {interval} s needs a monitoring role ARN (e.g. "
                       "arn:aws:iam::123456789012:role/rds-monitoring-role): give one, or set the interval "
                       "to 0.")
            self.add("monitoring.monitoring_role_arn", message)
            self.add("monitoring.monitoring_interval", message)
        if self.rules is None:
            return
        allowed = self.rules.cluster_log_exports if self.spec.is_cluster else self.rules.log_exports
        for log in monitoring.log_exports:
            if log not in allowed:
                where = self.rules.label + (" Multi-AZ DB clusters" if self.spec.is_cluster else "")
                self.add("monitoring.log_exports", f"Log export {_q(log)} does not exist for {where}: use "
                                                   f"{', '.join(allowed) or 'none'}.")

    def check_tags(self) -> None:
        """Tag keys: 1-128 characters, not starting with aws:; values at most 256 characters."""
        self._check_tag_items(self.spec.tags, "tags")

    def _check_tag_items(self, tags: dict[str, str], path: str) -> None:
        for key, value in tags.items():
            if key.lower().startswith("aws:"):
                self.add(path, f"Tag key {_q(key)} starts with 'aws:', which AWS reserves for itself: rename "
                               "the key.")
            if not 1 <= len(key) <= _TAG_KEY_MAX:
                self.add(path, f"Tag key {_q(key)} must be 1-{_TAG_KEY_MAX} characters: shorten it.")
            if len(value) > _TAG_VALUE_MAX:
                self.add(path,
                         f"Tag {_q(key)} has a value longer than {_TAG_VALUE_MAX} characters: shorten it.")

    def check_extra_parameters(self) -> None:
        """Parameters the wizard does not model: real ones of the right type, for the right call."""
        members = CREATE_DB_CLUSTER_MEMBERS if self.spec.is_cluster else CREATE_DB_INSTANCE_MEMBERS
        operation = "CreateDBCluster" if self.spec.is_cluster else "CreateDBInstance"
        for key, value in self.spec.extra_parameters.items():
            path = f"extra_parameters.{key}"
            if key not in members:
                close = difflib.get_close_matches(key, list(members), n=1)
                hint = f" (did you mean {close[0]}?)" if close else ""
                self.add(path, f"Unknown parameter {_q(key)}: it is not a {operation} parameter{hint}. "
                               "Remove it or correct its name.", parameter=key)
                continue
            error = type_error(key, value, members)
            if error is not None:
                self.add(path, f"{error}.", parameter=key)
            elif key == "Tags":
                self._check_tag_items({tag["Key"]: tag.get("Value", "") for tag in value}, path)
            elif key == "StorageType" and str(value).lower() in STORAGE_TYPES:
                self.warn(path, f"StorageType '{value}': AWS spells it '{str(value).lower()}'; write it in "
                                "lowercase.")
            elif key == "StorageType":
                self.add(path, f"StorageType '{value}' is not a storage type: use one of "
                               f"{', '.join(STORAGE_TYPES)}.", parameter=key)
            elif key in MODELLED_PARAMETERS:
                self.add(path, f"{key} {value!r} is not a value this setting can take.", parameter=key)

    # -- AWS's documented limits and each parameter's documented reach ---------------------------------
    # Each limit's page is cited where its figure lives (wizard.spec.engines, wizard.spec.reach).

    def _sent_tags(self) -> list[tuple[str, str, str]]:
        """Every tag the request sends, as (spec path, key, value)."""
        tags = [("tags", key, value) for key, value in self.spec.tags.items()]
        extra = self.spec.extra_parameters.get("Tags")
        if isinstance(extra, list) and type_error("Tags", extra) is None:
            tags += [("extra_parameters.Tags", tag["Key"], tag.get("Value", "")) for tag in extra]
        return tags

    def check_tag_limits(self) -> None:
        """Tags: at most 50 per resource, documented characters only, aws:/rds: prefixes documented."""
        tags = self._sent_tags()
        if len(tags) > TAGS_PER_RESOURCE:
            self.add(tags[-1][0], f"Tags has {len(tags)} tags: RDS allows at most {TAGS_PER_RESOURCE} per "
                                  "resource (a quota AWS does not raise). Remove "
                                  f"{len(tags) - TAGS_PER_RESOURCE} of them.", parameter="Tags")
        for path, key, value in tags:
            for what, text in (("key", key), ("value", value)):
                bad = _tag_disallowed(text)
                if bad:
                    self.add(path, f"Tag {what} {_q(text)} contains {bad}: tag keys and values may hold only "
                                   "letters, digits, spaces and _ . : / = + - @. Remove or replace it.",
                             parameter="Tags")
            lowered = key.lower()
            if lowered.startswith(TAG_DOCUMENTED_PREFIXES) \
                    and not lowered.startswith(TAG_RESERVED_KEY_PREFIX):
                self.warn(path, f"Tag key {_q(key)} starts with {key[:4]!r}, a prefix the RDS Tag "
                                "documentation reserves: AWS may refuse it. Rename the key.")
            if value.lower().startswith(TAG_DOCUMENTED_PREFIXES):
                self.warn(path, f"Tag {_q(key)} has a value starting with {value[:4]!r}, a prefix the RDS "
                                "Tag documentation reserves: AWS may refuse it. Change the value.")

    def check_security_group_count(self) -> None:
        """VPC security groups: more than 5 needs a raised quota; more than 16 never works."""
        count = len(self.spec.connectivity.security_group_ids)
        path = "connectivity.security_group_ids"
        if count > SECURITY_GROUPS_MAX:
            self.add(path, f"VpcSecurityGroupIds lists {count} security groups: a DB instance's network "
                           f"interface takes at most {SECURITY_GROUPS_MAX} (the VPC quota 'Security groups "
                           f"per network interface', default {SECURITY_GROUPS_DEFAULT_QUOTA}, cannot be "
                           "raised further). Combine their rules into fewer groups.")
        elif count > SECURITY_GROUPS_DEFAULT_QUOTA:
            self.warn(path, f"VpcSecurityGroupIds lists {count} security groups: the default quota is "
                            f"{SECURITY_GROUPS_DEFAULT_QUOTA} per network interface ('Security groups per "
                            "network interface'; RDS: 'Security groups (VPC)'). Unless your account's quota "
                            f"was raised (at most {SECURITY_GROUPS_MAX}), use at most "
                            f"{SECURITY_GROUPS_DEFAULT_QUOTA}.")

    def _request_path(self, parameter: str) -> str:
        """The spec path a request parameter comes from (extra_parameters.X where the spec has none)."""
        for mapping in MAPPINGS:
            if parameter in (mapping.parameter, mapping.cluster_parameter):
                return mapping.path
        return f"extra_parameters.{parameter}"

    def check_control_characters(self) -> None:
        """No control character in any name, identifier, ARN, key id or version the request sends."""
        for parameter, value in to_request(self.spec).items():
            if parameter in _OWN_CHARACTER_RULES:
                continue
            position = _first_control_character(value)
            if position is not None:
                code, index = position
                self.add(self._request_path(parameter),
                         f"{parameter} contains a control character (U+{code:04X}, character {index + 1}): "
                         "AWS refuses control characters in names, identifiers, ARNs and versions. Retype "
                         "the value without it.", parameter=parameter)

    def check_identifier_shapes(self) -> None:
        """KMS key ids, the CA and the engine version have documented shapes; others are warnings."""
        spec = self.spec
        monitoring = spec.monitoring
        keys = (("protection.kms_key_id", spec.protection.kms_key_id),
                ("monitoring.performance_insights_kms_key_id", monitoring.performance_insights_kms_key_id),
                ("settings.secret_kms_key_id", spec.settings.secret_kms_key_id))
        for path, key in keys:
            if key and _control_free(key) and not _KMS_KEY_RE.fullmatch(key):
                self.warn(path, f"{parameter_for(path)} {_q(key)} is not a KMS key id, key ARN, alias name "
                                "(alias/...) or alias ARN, the forms AWS documents: give one of those (e.g. "
                                "alias/aws/rds).")
        ca = spec.connectivity.ca_certificate
        if ca and _control_free(ca) and ca not in CA_IDENTIFIERS:
            expired = " has expired" if ca in EXPIRED_CA_IDENTIFIERS else " is not a CA RDS documents"
            self.warn("connectivity.ca_certificate",
                      f"CACertificateIdentifier {_q(ca)}{expired}: use {', '.join(CA_IDENTIFIERS)}, or leave "
                      "it empty for the region's default.")
        version = spec.engine.version
        if version and _control_free(version) and not _VERSION_RE.fullmatch(version):
            self.warn("engine.version", f"EngineVersion {_q(version)} has characters no RDS version has "
                                        "(versions are letters, digits, dots, hyphens and underscores, e.g. "
                                        "16.4): choose a version from the list.")

    def check_parameter_reach(self) -> None:
        """Each parameter only where AWS documents it applies, with a documented value, ARNs as ARNs."""
        if self.spec.is_cluster:
            return  # the reach table is CreateDBInstance's; CreateDBCluster documents its own
        engine = self.spec.engine.engine.lower()
        for parameter, value in to_request(self.spec).items():
            reach = PARAMETER_REACH.get(parameter)
            if reach is None:
                continue
            path = self._request_path(parameter)
            if reach.engines is not None and is_api_engine(engine) and engine not in reach.engines:
                where = _engine_list(reach.engines)
                self.add(path, f"{parameter} applies only to {where} (AWS: \"{reach.engines_source}\"), not "
                               f"{self.engine_label}: remove it, or choose one of those engines.",
                         parameter=parameter)
            left_out = [family for family in reach.left_out if engine.startswith(f"{family}-")]
            if left_out:
                what = "Amazon Aurora" if left_out[0] == "aurora" else "RDS Custom"
                self.warn(path, f"{parameter} doesn't apply to {what} DB instances, AWS documents: remove it "
                                "(set it on the DB cluster, or leave it out).")
            if parameter in MODELLED_PARAMETERS or type_error(parameter, value) is not None:
                continue  # the modelled settings have their own rules; a wrong type is reported already
            self._check_documented_value(path, parameter, value, reach)

    def _check_documented_value(self, path: str, parameter: str, value: object,
                                reach: ParameterReach) -> None:
        if reach.values is not None and isinstance(value, str) and value not in reach.values:
            folded = {v.lower(): v for v in reach.values}
            if value.lower() in folded:
                self.warn(path, f"{parameter} {_q(value)}: AWS documents it as '{folded[value.lower()]}'; "
                                "write it that way.")
            else:
                self.add(path, f"{parameter} {_q(value)} is not a value it takes: use "
                               f"{' or '.join(reach.values)}.", parameter=parameter)
        if reach.value_range is not None and isinstance(value, int) and not isinstance(value, bool):
            low, high = reach.value_range
            if not low <= value <= high:
                self.add(path, f"{parameter} {value} is outside {low}-{high}, the values AWS documents: "
                               "choose one in that range.", parameter=parameter)
        if reach.is_arn and isinstance(value, str) and _control_free(value) and not _ARN_RE.fullmatch(value):
            self.add(path, f"{parameter} {_q(value)} is not an ARN: give the full ARN "
                           "(arn:aws:service:region:account-id:resource).", parameter=parameter)

    def check_documented_drift(self) -> None:
        """Rules the AWS pages state newer than the API text: magnetic, gp3 floors, SQL Server io sizes."""
        storage = self.spec.storage
        rules = self.rules
        if storage.type == "standard":
            self.warn("storage.type", f"Magnetic storage (standard) is deprecated: AWS ends it on "
                                      f"{MAGNETIC_STORAGE_END.isoformat()} and moves volumes to gp3. Choose "
                                      "gp3.")
        if rules is None or self.spec.is_cluster:
            return
        floor = rules.gp3.throughput_floor
        if storage.type == "gp3" and floor is not None and storage.iops is not None \
                and storage.iops > floor[0]:
            needed = -(-storage.iops // floor[1])
            throughput = storage.throughput_mibps
            text = (f"on {rules.label}, gp3 above {_n(floor[0])} IOPS needs at least 1 MiB/s of throughput "
                    f"per {floor[1]} IOPS, so {_n(needed)} MiB/s for {_n(storage.iops)} IOPS")
            if throughput is None:
                self.warn("storage.throughput_mibps", f"Storage throughput is not set: {text}. Set it.")
            elif throughput < needed:
                self.add("storage.throughput_mibps", f"Storage throughput {_n(throughput)} MiB/s is too low: "
                                                     f"{text}. Raise it, or lower the IOPS.")
        botocore_range = rules.storage_ranges_botocore.get(storage.type)
        size = storage.allocated_gib
        if botocore_range is not None and not botocore_range[0] <= size <= botocore_range[1] \
                and not self._catalog_knows_storage():
            low, high = rules.storage_ranges[storage.type]
            self.warn("storage.allocated_gib",
                      f"Allocated storage {_n(size)} GiB on {storage.type}: the RDS storage page allows "
                      f"{_n(low)}-{_n(high)} GiB on {rules.label}, but the API documentation says "
                      f"{_n(botocore_range[0])}-{_n(botocore_range[1])}. The region's orderable options "
                      "decide: check them (the wizard does when it can reach the account), or stay within "
                      f"{_n(botocore_range[0])}-{_n(botocore_range[1])} GiB.")

    def _catalog_knows_storage(self) -> bool:
        """Whether the account's orderable options say what sizes this class takes on this storage type."""
        options = self.facts.orderable_options if self.facts is not None else None
        spec = self.spec
        return any(o.engine == spec.engine.engine and o.instance_class == spec.instance.instance_class
                   and o.storage_type == spec.storage.type and o.min_storage_gib is not None
                   for o in options or ())

    def check_engine_features(self) -> None:
        """IAM database authentication, Database Insights' Advanced mode and RDS Extended Support."""
        rules = self.rules
        monitoring = self.spec.monitoring
        if rules is not None and monitoring.iam_database_authentication and not self.spec.is_cluster:
            engines = ", ".join(r.label for r in ENGINES.values() if r.iam_database_auth == "yes")
            if rules.iam_database_auth == "no":
                self.add("monitoring.iam_database_authentication",
                         f"IAM database authentication is not available on {rules.label} (only {engines}): "
                         "turn it off, or use password or Kerberos authentication.")
            elif rules.iam_database_auth == "unverified":
                self.warn("monitoring.iam_database_authentication",
                          f"IAM database authentication on {rules.label} is not confirmed by AWS's IAM "
                          f"database authentication page (it lists {engines}): AWS may refuse it.")
        mode = self.spec.extra_parameters.get("DatabaseInsightsMode")
        if isinstance(mode, str) and mode.lower() == "advanced":
            self._check_database_insights_advanced()
        self._check_extended_support()

    def _check_database_insights_advanced(self) -> None:
        monitoring = self.spec.monitoring
        minimum = DATABASE_INSIGHTS_ADVANCED_MIN_RETENTION
        if not monitoring.performance_insights:
            self.add("extra_parameters.DatabaseInsightsMode",
                     f"DatabaseInsightsMode advanced needs Performance Insights on with at least {minimum} "
                     f"days (15 months) of retention: turn Performance Insights on with {minimum} days, or "
                     "use the standard mode.", parameter="DatabaseInsightsMode")
            return
        retention = monitoring.performance_insights_retention_days
        if retention is None or retention < minimum:
            shown = "the default 7" if retention is None else str(retention)
            self.add("monitoring.performance_insights_retention_days",
                     f"DatabaseInsightsMode advanced needs a Performance Insights retention of at least "
                     f"{minimum} days (15 months), not {shown}: set {minimum} or more (31 × months, or 731).")

    def _check_extended_support(self) -> None:
        engine, version = self.spec.engine.engine.lower(), self.spec.engine.version
        reach = PARAMETER_REACH["EngineLifecycleSupport"]
        if not version or reach.engines is None or engine not in reach.engines or self.spec.is_cluster:
            return
        major = major_version(engine, version)
        ends = STANDARD_SUPPORT_ENDS.get((engine, major))
        if ends is None:
            return
        lifecycle = self.spec.extra_parameters.get("EngineLifecycleSupport")
        past = date.today() > ends
        when = f"{'left' if past else 'leaves'} RDS standard support on {ends.isoformat()}"
        if lifecycle == EXTENDED_SUPPORT_DISABLED:
            if past:
                self.add("engine.version",
                         f"{self.engine_label} {major} {when}, and EngineLifecycleSupport is "
                         f"{EXTENDED_SUPPORT_DISABLED}: RDS refuses to create it. Choose a newer major "
                         "version, or allow Extended Support (paid).")
            return
        self.warn("engine.version", f"{self.engine_label} {major} {when}: RDS enrols this instance in paid "
                                    "RDS Extended Support (EngineLifecycleSupport defaults to "
                                    "open-source-rds-extended-support). Choose a newer major version, or set "
                                    f"EngineLifecycleSupport to {EXTENDED_SUPPORT_DISABLED} to refuse it.")

    # -- what only the account knows ------------------------------------------------------------------

    def check_facts(self) -> None:
        """With account facts: subnet group coverage, orderable class, Multi-AZ capability, versions."""
        facts = self.facts
        if facts is None:
            return
        if facts.subnet_groups is not None:
            self._check_subnet_group(facts)
        if facts.engine_versions is not None and self.spec.engine.version:
            versions = {v.version for v in facts.engine_versions if v.engine == self.spec.engine.engine}
            if versions and self.spec.engine.version not in versions:
                self.add("engine.version", f"{self.engine_label} version {self.spec.engine.version} is not "
                                           "available in this region: choose one the list offers.")
        if facts.orderable_options is not None:
            self._check_orderable(facts.orderable_options)
        if facts.security_groups is not None:
            known = {group.group_id for group in facts.security_groups}
            for group_id in self.spec.connectivity.security_group_ids:
                if group_id not in known:
                    self.add("connectivity.security_group_ids", f"Security group {group_id} was not found in "
                                                                "this region: choose an existing one.")

    def _check_subnet_group(self, facts: AccountFacts) -> None:
        name = self.spec.connectivity.subnet_group
        groups = {group.name: group for group in facts.subnet_groups or ()}
        path = "connectivity.subnet_group"
        if name is None:
            group = groups.get("default")
            if group is None:
                return
        elif name not in groups:
            self.add(path,
                     f"DB subnet group {_q(name)} was not found in this region: choose an existing one or "
                     "create it first.")
            return
        else:
            group = groups[name]
        self._check_group_placement(group, facts)
        needed = 3 if self.spec.is_cluster else 2
        azs = sorted(set(group.availability_zones))
        if len(azs) < needed:
            what = "A Multi-AZ DB cluster" if self.spec.is_cluster else "RDS"
            self.add(path, f"DB subnet group '{group.name}' covers {len(azs)} Availability Zone(s) "
                           f"({', '.join(azs) or 'none'}): {what} needs subnets in at least {needed}. Add "
                           "subnets in other AZs to the group, or choose another group "
                           "(DBSubnetGroupDoesNotCoverEnoughAZs).")

    def _check_group_placement(self, group: SubnetGroup, facts: AccountFacts) -> None:
        """The chosen AZ is one the group covers; the security groups are in the group's VPC."""
        zone = self.spec.connectivity.availability_zone
        if zone and not self.spec.is_multi_az and zone not in group.availability_zones:
            self.add("connectivity.availability_zone",
                     f"Availability Zone {zone} is not covered by DB subnet group '{group.name}' "
                     f"({', '.join(sorted(group.availability_zones)) or 'no AZs'}): choose one of those, or "
                     "no preference.")
        vpcs = {sg.group_id: sg.vpc_id for sg in facts.security_groups or ()}
        for group_id in self.spec.connectivity.security_group_ids:
            if group_id in vpcs and vpcs[group_id] != group.vpc_id:
                self.add("connectivity.security_group_ids",
                         f"Security group {group_id} is in {vpcs[group_id]}, but DB subnet group "
                         f"'{group.name}' is in {group.vpc_id}: choose security groups of {group.vpc_id}.")

    def _check_orderable(self, options: Sequence[OrderableOption]) -> None:
        spec = self.spec
        cls = spec.instance.instance_class
        version = spec.engine.version
        for_engine: list[OrderableOption] = [
            o for o in options if o.engine == spec.engine.engine and (not version or o.version == version)]
        if not for_engine or not cls:
            return
        for_class = [o for o in for_engine if o.instance_class == cls]
        where = f"{self.engine_label} {version}" if version else self.engine_label
        if not for_class:
            self.add("instance.instance_class",
                     f"DB instance class {cls} cannot be ordered for {where} in this "
                     "region: choose a class from the list.")
            return
        if spec.is_cluster and not any(o.supports_clusters for o in for_class):
            self.add("instance.instance_class",
                     f"DB instance class {cls} cannot run a Multi-AZ DB cluster for "
                     f"{where}: choose a class that can (e.g. db.m6gd.large).")
        elif spec.availability.deployment == "multi-az-instance" \
                and not any(o.multi_az_capable for o in for_class):
            self.add("instance.instance_class",
                     f"DB instance class {cls} is not Multi-AZ capable for {where}: "
                     "choose another class or a single-AZ deployment.")
        with_type = [o for o in for_class if o.storage_type == spec.storage.type]
        if not with_type:
            offered = sorted({o.storage_type for o in for_class})
            self.add("storage.type",
                     f"Storage type {spec.storage.type} is not offered with {cls} for {where}: "
                     f"choose {' or '.join(offered)}.")
            return
        self._check_option_limits(with_type[0])

    def _check_option_limits(self, option: OrderableOption) -> None:
        size = self.spec.storage.allocated_gib
        low, high = option.min_storage_gib, option.max_storage_gib
        if (low is not None and size < low) or (high is not None and size > high):
            self.add("storage.allocated_gib", f"Allocated storage {_n(size)} GiB is outside what "
                                              f"{option.instance_class} offers on {option.storage_type}: "
                                              f"{_n(low or 0)}-{_n(high or 0)} GiB.")
        ceiling = self.spec.storage.max_allocated_gib
        if ceiling is not None and not self.spec.is_cluster:
            if not option.supports_storage_autoscaling:
                self.add("storage.max_allocated_gib",
                         f"{option.instance_class} on {option.storage_type} does not support storage "
                         "autoscaling: clear the maximum.")
            elif high is not None and ceiling > high:
                self.add("storage.max_allocated_gib",
                         f"Autoscaling maximum {_n(ceiling)} GiB is above the {_n(high)} GiB "
                         f"{option.instance_class} offers on {option.storage_type}: lower it.")
        iops = self.spec.storage.iops
        if iops is not None:
            self._check_option_iops(option, size, iops)
        throughput = self.spec.storage.throughput_mibps
        low_t, high_t = option.min_throughput_mibps, option.max_throughput_mibps
        if throughput is not None and ((low_t is not None and throughput < low_t)
                                       or (high_t is not None and throughput > high_t)):
            self.add("storage.throughput_mibps", f"Storage throughput {_n(throughput)} MiB/s is outside what "
                                                 f"{option.instance_class} offers on {option.storage_type}: "
                                                 f"{_n(low_t or 0)}-{_n(high_t or 0)} MiB/s.")

    def _check_option_iops(self, option: OrderableOption, size: int, iops: int) -> None:
        if (option.min_iops is not None and iops < option.min_iops) or \
                (option.max_iops is not None and iops > option.max_iops):
            self.add("storage.iops", f"Provisioned IOPS {_n(iops)} is outside what {option.instance_class} "
                                     f"offers on {option.storage_type}: {_n(option.min_iops or 0)}-"
                                     f"{_n(option.max_iops or 0)}.")
        ratio_low, ratio_high = option.min_iops_per_gib, option.max_iops_per_gib
        if size > 0 and ((ratio_low is not None and iops < ratio_low * size)
                         or (ratio_high is not None and iops > ratio_high * size)):
            self.add("storage.iops", f"Provisioned IOPS {_n(iops)} for {_n(size)} GiB is outside the "
                                     f"{_n(ratio_low or 0)}-{_n(ratio_high or 0)} IOPS per GiB "
                                     f"{option.instance_class} offers on {option.storage_type}: change the "
                                     "IOPS or the storage size.")


# Every name, identifier, ARN and version CreateDBInstance documents is letters, digits and punctuation
# [CREATE_DB_INSTANCE_URL]: a control character is always refused. These parameters have a character
# rule of their own (or are secrets, never described), so the generic rule leaves them to it.
_OWN_CHARACTER_RULES = frozenset({"DBInstanceIdentifier", "DBClusterIdentifier", "MasterUsername", "Tags",
                                  *SECRET_PARAMETERS})
# KMS key forms [KMS_KEY_ID_URL]: key id (a UUID, or mrk- and 32 hex digits for a multi-Region key),
# key ARN, alias name, alias ARN.
_KMS_KEY_ID = r"(?:[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}|mrk-[0-9a-fA-F]{32})"
_KMS_ALIAS = r"alias/[A-Za-z0-9/_-]{1,250}"
_KMS_KEY_RE = re.compile(rf"{_KMS_KEY_ID}|{_KMS_ALIAS}|arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{{12}}:"
                         rf"(?:key/{_KMS_KEY_ID}|{_KMS_ALIAS})")
# An ARN [ARN_URL]: arn:partition:service:region:account-id:resource (region and account may be empty).
_ARN_RE = re.compile(r"arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(?:\d{12})?:[^\s]+")
_VERSION_RE = re.compile(r"[A-Za-z0-9._-]+")


def _is_control(char: str) -> bool:
    return unicodedata.category(char) == "Cc"


def _control_free(text: str) -> bool:
    return not any(_is_control(c) for c in text)


def _first_control_character(value: object) -> tuple[int, int] | None:
    """(code point, index) of the first control character in a string, or in the strings of a list/dict."""
    if isinstance(value, str):
        return next(((ord(c), i) for i, c in enumerate(value) if _is_control(c)), None)
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    return next((found for item in items if (found := _first_control_character(item)) is not None), None)


def _tag_disallowed(text: str) -> str:
    """What in a tag key or value is outside the documented set, described; '' when nothing is."""
    for char in text:
        if unicodedata.category(char)[0] in "LZN" or char in TAG_ALLOWED_PUNCTUATION:
            continue
        if _is_control(char):
            return f"a control character (U+{ord(char):04X})"
        return f"'{char}'" if char.isprintable() else f"U+{ord(char):04X}"
    return ""


# How messages name the engines a parameter is documented for.
_FAMILY_LABELS: tuple[tuple[str, str], ...] = (
    ("aurora-postgresql", "Aurora PostgreSQL"), ("aurora-mysql", "Aurora MySQL"), ("postgres", "PostgreSQL"),
    ("mysql", "MySQL"), ("mariadb", "MariaDB"), ("oracle-", "Oracle"), ("sqlserver-", "SQL Server"),
    ("db2-", "Db2"),
)


def _engine_list(engines: Sequence[str]) -> str:
    """Engine values as people name them, each family once: "MySQL and PostgreSQL"."""
    labels: list[str] = []
    for engine in engines:
        label = next((name for prefix, name in _FAMILY_LABELS if engine.startswith(prefix)), engine)
        if label == "Oracle" and all(e.endswith("-cdb") for e in engines if e.startswith("oracle-")):
            label = "Oracle (CDB only)"
        if label not in labels:
            labels.append(label)
    return " and ".join([", ".join(labels[:-1]), labels[-1]]) if len(labels) > 1 else labels[0]


def _version_key(version: str) -> tuple[int, ...]:
    """A version as comparable numbers: "16.00.4215.2" -> (16, 0, 4215, 2); non-numbers count as 0."""
    return tuple(int(part) if part.isdigit() else 0 for part in version.split("."))


_CHECKS: tuple[Callable[[_Checker], None], ...] = (
    _Checker.check_engine, _Checker.check_identifier, _Checker.check_username, _Checker.check_credentials,
    _Checker.check_instance_class, _Checker.check_storage, _Checker.check_availability,
    _Checker.check_connectivity, _Checker.check_database_name, _Checker.check_backup_and_maintenance,
    _Checker.check_protection, _Checker.check_monitoring, _Checker.check_tags,
    _Checker.check_extra_parameters, _Checker.check_facts,
    # AWS's documented limits and parameter reach (issue 12)
    _Checker.check_tag_limits, _Checker.check_security_group_count, _Checker.check_control_characters,
    _Checker.check_identifier_shapes, _Checker.check_parameter_reach, _Checker.check_documented_drift,
    _Checker.check_engine_features,
)


def validate(spec: DatabaseSpec, facts: AccountFacts | None = None, *,
             check_password: bool = True) -> list[Problem]:
    """Every problem with this spec: errors first, then warnings, each naming setting, rule and fix.

    `facts` adds the checks that need the account (None: offline, as `lint` is). `check_password=False`
    skips "self-managed needs a password" for callers that supply it later (`plan`, launch from a preset).
    """
    checker = _Checker(spec, facts, check_password)
    for check in _CHECKS:
        check(checker)
    # A value that did not fit the model is reported once, as such, not again by the rules that then
    # saw the setting's default in its place.
    broken = {key for key, value in spec.extra_parameters.items() if key in MODELLED_PARAMETERS
              and not (key == "StorageType" and str(value).lower() in STORAGE_TYPES)}
    problems = [p for p in checker.problems
                if p.parameter not in broken or p.field.startswith("extra_parameters.")]
    return [p for p in problems if p.is_error] + [p for p in problems if not p.is_error]
