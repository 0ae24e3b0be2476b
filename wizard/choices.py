"""What each choice field offers, for the spec as it stands: the menus of both front ends.

Every `source` named in `wizard.steps` has a producer here. Choices that AWS would refuse for this spec
stay in the list with a `disabled_reason` that names the rule and the fix, so a user learns why instead
of wondering where an option went. Blocking (the catalog may call AWS): call from a worker thread.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from wizard.aws.catalog import class_key
from wizard.catalog import (
    AccountFacts,
    Catalog,
    EngineVersion,
    OptionGroup,
    OrderableOption,
    ParameterGroup,
    SecurityGroup,
    SubnetGroup,
    Vpc,
)
from wizard.spec.engines import (
    CLUSTER_STORAGE_TYPES,
    ENGINE_ORDER,
    ENGINES,
    MAGNETIC_STORAGE_END,
    MONITORING_INTERVALS,
    PI_RETENTION_DAYS,
    STANDARD_SUPPORT_ENDS,
    EngineRules,
    major_version,
)
from wizard.spec.model import STORAGE_TYPES, DatabaseSpec, InstanceSection
from wizard.steps import StepField

ChoiceValue = str | int


@dataclass(frozen=True)
class Choice:
    """One option of a choice field; a disabled one says why and what to do instead."""

    value: ChoiceValue
    label: str
    description: str = ""
    group: str = ""
    disabled_reason: str | None = None

    @property
    def enabled(self) -> bool:
        """Whether the option can be picked for this spec."""
        return self.disabled_reason is None


FAMILY_ORDER: tuple[str, ...] = ("standard", "memory optimized", "burstable")

STORAGE_LABELS: dict[str, str] = {
    "gp3": "General Purpose SSD (gp3)",
    "gp2": "General Purpose SSD (gp2)",
    "io2": "Provisioned IOPS SSD (io2)",
    "io1": "Provisioned IOPS SSD (io1)",
    "standard": "Magnetic (standard)",
}

LICENSE_LABELS: dict[str, str] = {
    "postgresql-license": "PostgreSQL License",
    "general-public-license": "General Public License",
    "license-included": "License included",
    "bring-your-own-license": "Bring your own license (BYOL)",
    "bring-your-own-media": "Bring your own media",
    "marketplace-license": "AWS Marketplace license",
}

DEPLOYMENT_TEXT: dict[str, tuple[str, str]] = {
    "single-az": ("Single-AZ DB instance",
                  "One instance in one AZ, no standby: an AZ failure means downtime until it is restored."),
    "multi-az-instance": ("Multi-AZ DB instance",
                          "A primary plus a synchronous standby in another AZ; failover typically in "
                          "60-120 s. About twice the cost of single-AZ."),
    "multi-az-cluster": ("Multi-AZ DB cluster",
                         "A writer and two readable standbys in three AZs; failover typically under 35 s. "
                         "MySQL and PostgreSQL only."),
}

CREDENTIALS_TEXT: dict[str, tuple[str, str]] = {
    "secrets-manager": ("Managed in AWS Secrets Manager",
                        "RDS creates the password, keeps it in a secret and rotates it (recommended)."),
    "self-managed": ("Self managed: type a password", "You type the password and keep it safe yourself."),
    "auto-generated": ("Self managed: auto-generate a password",
                       "A strong password is generated and shown once, after the database is created."),
}

LOG_TEXT: dict[str, str] = {
    "postgresql": "the PostgreSQL log (errors, slow statements if configured)",
    "upgrade": "engine upgrade log",
    "iam-db-auth-error": "IAM database authentication failures",
    "audit": "audit log",
    "error": "error log",
    "general": "general query log (every statement: verbose)",
    "slowquery": "slow query log",
    "alert": "alert log",
    "listener": "listener log",
    "trace": "trace files",
    "oemagent": "Oracle Enterprise Manager agent log",
    "agent": "SQL Server Agent log",
    "diag.log": "Db2 diagnostic log",
    "notify.log": "Db2 notification log",
}


class _NoCatalog:
    """The catalog before the gateway is ready: knows nothing, so only the offline choices are offered."""

    def engine_versions(self, engine: str) -> list[EngineVersion]:
        return []

    def orderable_options(self, engine: str, version: str) -> list[OrderableOption]:
        return []

    def vpcs(self) -> list[Vpc]:
        return []

    def subnet_groups(self) -> list[SubnetGroup]:
        return []

    def security_groups(self, vpc_id: str | None) -> list[SecurityGroup]:
        return []

    def parameter_groups(self, family: str) -> list[ParameterGroup]:
        return []

    def cluster_parameter_groups(self, family: str) -> list[ParameterGroup]:
        return []

    def option_groups(self, engine: str, major_version: str) -> list[OptionGroup]:
        return []


# Sources whose choices come from the spec rules and local files alone (no AWS call): a front end can show
# them at once, before the gateway (or the demo) is ready.
OFFLINE_SOURCES: frozenset[str] = frozenset({
    "templates", "engines", "license_models", "credentials", "pi_retention", "monitoring_intervals",
    "log_exports"})


def needs_catalog(field: StepField) -> bool:
    """Whether the field's choices need the account's catalog (so a gateway, and a worker thread)."""
    return field.source is not None and field.source not in OFFLINE_SOURCES


def _rules(spec: DatabaseSpec) -> EngineRules | None:
    return ENGINES.get(spec.engine.engine)


def _engine_label(spec: DatabaseSpec) -> str:
    rules = _rules(spec)
    return rules.label if rules else spec.engine.engine


def effective_version(spec: DatabaseSpec, catalog: Catalog) -> EngineVersion | None:
    """The spec's engine version from the catalog, or RDS's default when the spec names none."""
    versions = catalog.engine_versions(spec.engine.engine)
    if spec.engine.version:
        return next((v for v in versions if v.version == spec.engine.version), None)
    return next((v for v in versions if v.is_default), versions[0] if versions else None)


def _version_text(spec: DatabaseSpec, catalog: Catalog) -> str | None:
    if spec.engine.version:
        return spec.engine.version
    version = effective_version(spec, catalog)
    return version.version if version else None


def _orderable(spec: DatabaseSpec, catalog: Catalog) -> list[OrderableOption]:
    version = _version_text(spec, catalog)
    return catalog.orderable_options(spec.engine.engine, version) if version else []


def _templates(spec: DatabaseSpec, catalog: Catalog) -> list[Choice]:
    from presets import list_presets

    return [Choice(p.name, p.title, p.description, group="built-in" if p.builtin else "saved")
            for p in list_presets()]


def _engines(spec: DatabaseSpec, catalog: Catalog) -> list[Choice]:
    choices = []
    for engine in ENGINE_ORDER:
        rules = ENGINES[engine]
        if rules.supports_multi_az_cluster:
            note = "Multi-AZ DB instance or Multi-AZ DB cluster"
        elif rules.supports_multi_az_instance:
            note = "Multi-AZ DB instance"
        else:
            note = "single-AZ only (no Multi-AZ)"
        choices.append(Choice(engine, rules.label, note, group=_engine_group(engine)))
    return choices


def _engine_group(engine: str) -> str:
    for prefix, group in (("oracle", "Oracle"), ("sqlserver", "Microsoft SQL Server"), ("db2", "IBM Db2")):
        if engine.startswith(prefix):
            return group
    return "Open source"


def _engine_versions(spec: DatabaseSpec, catalog: Catalog) -> list[Choice]:
    versions = catalog.engine_versions(spec.engine.engine)
    ordered = [v for v in versions if v.is_default] + [v for v in versions if not v.is_default]
    return [Choice(v.version, f"{v.version} (default)" if v.is_default else v.version,
                   "; ".join(text for text in (v.description, _support_note(v)) if text))
            for v in ordered]


def _support_note(version: EngineVersion) -> str:
    """Where the version's major has left (or will leave) RDS standard support: what that costs."""
    ends = STANDARD_SUPPORT_ENDS.get((version.engine, major_version(version.engine, version.version)))
    if ends is None:
        return ""
    verb = "ended" if date.today() > ends else "ends"
    return f"standard support {verb} {ends.isoformat()}: paid RDS Extended Support unless disabled"


def _license_models(spec: DatabaseSpec, catalog: Catalog) -> list[Choice]:
    rules = _rules(spec)
    if rules is None:
        return []
    return [Choice(model, LICENSE_LABELS.get(model, model) + (" (default)" if i == 0 else ""))
            for i, model in enumerate(rules.license_models)]


def _credentials(spec: DatabaseSpec, catalog: Catalog) -> list[Choice]:
    return [Choice(mode, label, text) for mode, (label, text) in CREDENTIALS_TEXT.items()]


def _instance_classes(spec: DatabaseSpec, catalog: Catalog) -> list[Choice]:
    options = _orderable(spec, catalog)
    by_class: dict[str, list[OrderableOption]] = {}
    for option in options:
        by_class.setdefault(option.instance_class, []).append(option)
    where = f"{_engine_label(spec)} {_version_text(spec, catalog) or ''}".strip()
    choices = []
    for family in FAMILY_ORDER:
        for cls, offers in sorted(by_class.items(), key=lambda item: class_key(item[0])):
            if offers[0].family != family:
                continue
            storage = ", ".join(t for t in STORAGE_TYPES if any(o.storage_type == t for o in offers))
            description = f"storage: {storage}"
            if family == "burstable":
                description += "; suits dev/test more than production"
            choices.append(Choice(cls, cls, description, group=family,
                                  disabled_reason=_class_refusal(spec, cls, offers, where)))
    current = spec.instance.instance_class
    if options and current and current not in by_class:
        choices.append(Choice(current, current, group="not offered",
                              disabled_reason=f"{current} is not offered for {where} in this region; "
                                              f"choose one of the classes listed."))
    return choices


def _class_refusal(spec: DatabaseSpec, cls: str, offers: Sequence[OrderableOption], where: str) -> str | None:
    if spec.is_cluster and not any(o.supports_clusters for o in offers):
        return (f"{cls} cannot run a Multi-AZ DB cluster of {where}; choose a class marked for clusters or "
                f"a Multi-AZ DB instance.")
    if spec.availability.deployment == "multi-az-instance" and not any(o.multi_az_capable for o in offers):
        return f"{cls} is not offered Multi-AZ for {where}; choose another class or a single-AZ deployment."
    return None


def _storage_types(spec: DatabaseSpec, catalog: Catalog) -> list[Choice]:
    rules = _rules(spec)
    offered_types = rules.storage_types if rules else STORAGE_TYPES
    options = _orderable(spec, catalog)
    cls = spec.instance.instance_class
    for_class = [o for o in options if o.instance_class == cls]
    choices = []
    for storage in offered_types:
        match = next((o for o in for_class if o.storage_type == storage), None)
        reason = None
        if spec.is_cluster and storage not in CLUSTER_STORAGE_TYPES:
            reason = (f"Multi-AZ DB clusters use {', '.join(CLUSTER_STORAGE_TYPES)} storage; choose one of "
                      f"those.")
        elif for_class and match is None:
            reason = f"{cls} is not offered with {storage} storage; choose another storage type or class."
        elif storage == "standard" and match is None:
            # Deprecated (MAGNETIC_STORAGE_END): offered only where the account's catalog still orders it.
            reason = (f"Magnetic storage is deprecated (AWS ends it on {MAGNETIC_STORAGE_END.isoformat()}) "
                      "and the region's catalog does not offer it here; choose gp3.")
        low, high = _storage_range(match, rules, storage)
        description = f"{low:,}-{high:,} GiB" if low is not None and high is not None else ""
        choices.append(Choice(storage, STORAGE_LABELS.get(storage, storage), description,
                              disabled_reason=reason))
    return choices


def _storage_range(option: OrderableOption | None, rules: EngineRules | None,
                   storage: str) -> tuple[int | None, int | None]:
    if option is not None and option.min_storage_gib is not None and option.max_storage_gib is not None:
        return option.min_storage_gib, option.max_storage_gib
    if rules is not None and storage in rules.storage_ranges:
        return rules.storage_ranges[storage]
    return None, None


def _deployments(spec: DatabaseSpec, catalog: Catalog) -> list[Choice]:
    rules = _rules(spec)
    label = _engine_label(spec)
    options = _orderable(spec, catalog)
    version = _version_text(spec, catalog) or ""
    reasons: dict[str, str | None] = {"single-az": None, "multi-az-instance": None, "multi-az-cluster": None}
    if rules is not None and not rules.supports_multi_az_cluster:
        reasons["multi-az-cluster"] = (f"Multi-AZ DB clusters run only MySQL and PostgreSQL; choose a "
                                       f"Multi-AZ DB instance for {label}.")
    elif options and not any(o.supports_clusters for o in options):
        reasons["multi-az-cluster"] = (f"No instance class runs a Multi-AZ DB cluster of {label} {version}; "
                                       f"choose a newer version or a Multi-AZ DB instance.")
    if rules is not None and not rules.supports_multi_az_instance:
        reasons["multi-az-instance"] = (f"{label} has no Multi-AZ; choose SQL Server Standard or Enterprise "
                                        f"edition, or a single-AZ deployment.")
    elif options and not any(o.multi_az_capable for o in options):
        reasons["multi-az-instance"] = (f"No instance class is offered Multi-AZ for {label} {version}; "
                                        f"choose another version.")
    return [Choice(value, *DEPLOYMENT_TEXT[value], disabled_reason=reason)
            for value, reason in reasons.items()]


def _vpcs(spec: DatabaseSpec, catalog: Catalog) -> list[Choice]:
    choices = []
    for vpc in catalog.vpcs():
        label = vpc.vpc_id + (" (default)" if vpc.is_default else "") + (f" {vpc.name}" if vpc.name else "")
        choices.append(Choice(vpc.vpc_id, label, vpc.cidr))
    return choices


def _min_azs(spec: DatabaseSpec) -> int:
    return 3 if spec.is_cluster else 2 if spec.is_multi_az else 1


def _subnet_groups(spec: DatabaseSpec, catalog: Catalog) -> list[Choice]:
    vpc_id = spec.connectivity.vpc_id
    needed = _min_azs(spec)
    choices = []
    for group in catalog.subnet_groups():
        if vpc_id and group.vpc_id != vpc_id:
            continue
        zones = group.availability_zones
        count = f"{len(zones)} AZ" + ("" if len(zones) == 1 else "s")
        label = f"{group.name} ({count}: {', '.join(zones) or 'no subnets'})"
        reason = None
        if len(zones) < needed:
            kind = "A Multi-AZ DB cluster" if spec.is_cluster else "Multi-AZ"
            covered = ", ".join(zones) or "no Availability Zone"
            reason = (f"{group.name} covers only {covered}; {kind} needs subnets in at least {needed} "
                      f"Availability Zones. Add subnets in other AZs to it (aws rds modify-db-subnet-group) "
                      f"or choose another group.")
        description = group.description
        if reason is None and len(zones) < 2:
            description = "RDS asks for subnets in two AZs even for a single-AZ instance; " + description
        choices.append(Choice(group.name, label, description.strip(), group=group.vpc_id,
                              disabled_reason=reason))
    return choices


def _chosen_subnet_group(spec: DatabaseSpec, catalog: Catalog) -> SubnetGroup | None:
    name = spec.connectivity.subnet_group
    if not name:
        return None
    return next((g for g in catalog.subnet_groups() if g.name == name), None)


def _security_groups(spec: DatabaseSpec, catalog: Catalog) -> list[Choice]:
    vpc_id = spec.connectivity.vpc_id
    if not vpc_id:
        group = _chosen_subnet_group(spec, catalog)
        vpc_id = group.vpc_id if group else next((v.vpc_id for v in catalog.vpcs() if v.is_default), None)
    return [Choice(sg.group_id, f"{sg.name} ({sg.group_id})", sg.description, group=sg.vpc_id)
            for sg in catalog.security_groups(vpc_id)]


def _availability_zones(spec: DatabaseSpec, catalog: Catalog) -> list[Choice]:
    group = _chosen_subnet_group(spec, catalog)
    cls = spec.instance.instance_class
    offered: set[str] = set()
    for option in _orderable(spec, catalog):
        if option.instance_class == cls:
            offered.update(option.availability_zones)
    zones = group.availability_zones if group else tuple(sorted(offered))
    return [Choice(zone, zone, disabled_reason=None if not offered or zone in offered else
                   f"{cls} is not offered in {zone}; choose another AZ or no preference.")
            for zone in zones]


def default_parameter_group(family: str) -> str:
    """The name of RDS's default DB parameter group for a family."""
    return f"default.{family}"


def default_option_group(engine: str, major_version: str) -> str:
    """The name of RDS's default option group for an engine's major version."""
    return f"default:{engine}-{major_version.replace('.', '-')}"


def _parameter_groups(spec: DatabaseSpec, catalog: Catalog) -> list[Choice]:
    version = effective_version(spec, catalog)
    if version is None or not version.parameter_group_family:
        return []
    family = version.parameter_group_family
    default = default_parameter_group(family)
    # RDS creates a family's default group on first use, so it may not be listed yet; it is still valid.
    choices = [Choice(default, f"{default} (default)", "RDS's default settings for " + family)]
    # A Multi-AZ DB cluster takes a DB cluster parameter group (CreateDBCluster refuses a DB one).
    groups = catalog.cluster_parameter_groups(family) if spec.is_cluster else catalog.parameter_groups(family)
    choices += [Choice(g.name, g.name, g.description) for g in groups if g.name != default]
    return choices


def _option_groups(spec: DatabaseSpec, catalog: Catalog) -> list[Choice]:
    version = effective_version(spec, catalog)
    if version is None:
        return []
    engine, major = spec.engine.engine, version.major_version
    default = default_option_group(engine, major)
    choices = [Choice(default, f"{default} (default)",
                      f"RDS's default options for {_engine_label(spec)} {major}")]
    choices += [Choice(g.name, g.name, g.description) for g in catalog.option_groups(engine, major)
                if g.name != default]
    return choices


def _pi_retention(spec: DatabaseSpec, catalog: Catalog) -> list[Choice]:
    choices = []
    for days in PI_RETENTION_DAYS:
        if days == 7:
            label = "7 days (free)"
        elif days == 731:
            label = "2 years (731 days)"
        else:
            months = days // 31
            label = f"{months} month{'s' if months > 1 else ''} ({days} days)"
        choices.append(Choice(days, label))
    return choices


def _monitoring_intervals(spec: DatabaseSpec, catalog: Catalog) -> list[Choice]:
    return [Choice(s, "Off" if s == 0 else "Every second" if s == 1 else f"Every {s} seconds")
            for s in MONITORING_INTERVALS]


def _log_exports(spec: DatabaseSpec, catalog: Catalog) -> list[Choice]:
    rules = _rules(spec)
    if rules is None:
        return []
    logs = rules.cluster_log_exports if spec.is_cluster else rules.log_exports
    return [Choice(log, log, LOG_TEXT.get(log, "")) for log in logs]


_SOURCES: dict[str, Callable[[DatabaseSpec, Catalog], list[Choice]]] = {
    "templates": _templates,
    "engines": _engines,
    "engine_versions": _engine_versions,
    "license_models": _license_models,
    "credentials": _credentials,
    "instance_classes": _instance_classes,
    "storage_types": _storage_types,
    "deployments": _deployments,
    "vpcs": _vpcs,
    "subnet_groups": _subnet_groups,
    "security_groups": _security_groups,
    "availability_zones": _availability_zones,
    "parameter_groups": _parameter_groups,
    "option_groups": _option_groups,
    "pi_retention": _pi_retention,
    "monitoring_intervals": _monitoring_intervals,
    "log_exports": _log_exports,
}

SOURCES: tuple[str, ...] = tuple(_SOURCES)


def choices_for(field: StepField, spec: DatabaseSpec, catalog: Catalog | None) -> list[Choice]:
    """The options a field offers for this spec (empty for a field without a source).

    Blocking when the source needs the catalog. Without a catalog (None: the gateway is not ready yet)
    the offline sources are complete and the others offer what the rules alone know, often nothing.
    """
    if field.source is None:
        return []
    try:
        producer = _SOURCES[field.source]
    except KeyError:
        raise ValueError(f"no choices are defined for source {field.source!r} ({field.path})") from None
    return producer(spec, catalog if catalog is not None else _NoCatalog())


# The value preselected when the user has not chosen, where it is not simply the first enabled choice.
_PREFERRED: dict[str, ChoiceValue] = {
    "engines": "postgres",
    "deployments": "multi-az-instance",
    "credentials": "secrets-manager",
    "storage_types": "gp3",
    "instance_classes": InstanceSection().instance_class,
    "pi_retention": 7,
    "monitoring_intervals": 0,
}
# Where "no choice" is the right default (RDS picks, or nothing is exported).
_NO_DEFAULT = frozenset({"templates", "availability_zones", "log_exports"})


def default_choice(field: StepField, spec: DatabaseSpec, catalog: Catalog | None) -> Choice | None:
    """What to preselect for a field: RDS's default version and groups, the engine's port and username..."""
    rules = _rules(spec)
    if field.path == "connectivity.port":
        return Choice(rules.default_port, f"{rules.default_port} ({rules.label} default)") if rules else None
    if field.path == "settings.master_username":
        return Choice(rules.default_username, rules.default_username) if rules else None
    if field.source is None or field.source in _NO_DEFAULT:
        return None
    choices = [c for c in choices_for(field, spec, catalog) if c.enabled]
    if field.source == "vpcs":
        return next((c for c in choices if "(default)" in c.label), choices[0] if choices else None)
    if field.source == "security_groups":
        return next((c for c in choices if c.label.startswith("default ")), choices[0] if choices else None)
    preferred = _PREFERRED.get(field.source)
    return next((c for c in choices if c.value == preferred), choices[0] if choices else None)


def account_facts(spec: DatabaseSpec, catalog: Catalog) -> AccountFacts:
    """What the rules may check against the account for this spec: subnet groups, versions, classes."""
    if spec.engine.engine not in ENGINES:
        return AccountFacts(subnet_groups=catalog.subnet_groups())
    versions = catalog.engine_versions(spec.engine.engine)
    version = effective_version(spec, catalog)
    # A version the catalog does not know is the version rule's to report; its classes are not looked up.
    orderable = catalog.orderable_options(spec.engine.engine, version.version) if version else None
    group = _chosen_subnet_group(spec, catalog)
    vpc_id = spec.connectivity.vpc_id or (group.vpc_id if group else None)
    security_groups = catalog.security_groups(vpc_id) if spec.connectivity.security_group_ids else None
    return AccountFacts(subnet_groups=catalog.subnet_groups(), orderable_options=orderable,
                        engine_versions=versions, security_groups=security_groups)
