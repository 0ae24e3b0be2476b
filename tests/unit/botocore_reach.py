"""Each CreateDBInstance parameter's reach, read from botocore's own documentation of it.

The RDS service model documents, in prose, which engines a parameter applies to ("This setting applies
only to RDS for MySQL and RDS for PostgreSQL"), which values it takes ("Valid Values: IPV4 | DUAL",
or per engine: "RDS for Oracle - alert | audit | ..."), whether Aurora or RDS Custom are left out, and
whether it is an ARN. `derive()` turns that prose into data by a few general readings (below), the same
for every parameter. `wizard/spec/reach.py` keeps the result, so `lint` needs no botocore;
`tests/unit/test_parameter_reach.py` derives again from the installed botocore and fails when the two
differ, so a botocore upgrade that changes the documentation shows up.

Run `python tests/unit/botocore_reach.py` to print the table for wizard/spec/reach.py.
"""

from __future__ import annotations

import html
import pprint
import re
from typing import Any

import botocore.session

# How the documentation names engines, longest first (so "Aurora PostgreSQL" is not read as
# "PostgreSQL"), and the Engine values each name stands for.
ENGINE_NAMES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Aurora PostgreSQL", ("aurora-postgresql",)),
    ("Aurora MySQL", ("aurora-mysql",)),
    ("Oracle container database (CDB)", ("oracle-ee-cdb", "oracle-se2-cdb")),
    ("Microsoft SQL Server", ("sqlserver-ee", "sqlserver-se", "sqlserver-ex", "sqlserver-web",
                              "sqlserver-dev-ee")),
    ("SQL Server", ("sqlserver-ee", "sqlserver-se", "sqlserver-ex", "sqlserver-web", "sqlserver-dev-ee")),
    ("PostgreSQL", ("postgres",)),
    ("MariaDB", ("mariadb",)),
    ("MySQL", ("mysql",)),
    ("Oracle", ("oracle-ee", "oracle-ee-cdb", "oracle-se2", "oracle-se2-cdb")),
    ("Db2", ("db2-se", "db2-ae", "db2-ce")),
)
_NAME_RE = re.compile("|".join(re.escape(name) for name, _ in ENGINE_NAMES))
_ENGINES_OF = dict(ENGINE_NAMES)
# A sentence that limits a parameter to the engines it names: "applies only to", "supported only by",
# "only valid for", "you can create only ... DB instances", "... DB instances only", and "for the
# <engine> DB instance" (NcharCharacterSetName).
_LIMITING_RE = re.compile(r"\bonly\b|\bfor the (?:" + _NAME_RE.pattern + r") DB instance\b")
_VALID_VALUES_RE = re.compile(r"Valid Values:\s*<code>([^<]+)</code>")
_PER_ENGINE_RE = re.compile(r"<li>\s*<p>\s*RDS for ([^<-]+?)\s*-\s*<code>([^<]+)</code>")
_PER_ENGINE_SECTION_RE = re.compile(
    r"(?:Valid Values:|values are valid for each DB engine:)\s*</p>\s*<ul>(.*?)</ul>", re.S)
_LIST_VALUES_RE = re.compile(r"Valid Values:\s*</p>\s*<ul>(.*?)</ul>", re.S)


def _text(doc: str) -> str:
    """Documentation HTML as plain text, a list's items joined to the paragraph that introduces it."""
    doc = re.sub(r"</p>\s*<ul>", " ", doc)
    doc = re.sub(r"<li>\s*<p>", "<li>", doc)
    doc = re.sub(r"</p>\s*</li>", "; ", doc)
    doc = re.sub(r"</p>|</ul>", "\n", doc)
    text = html.unescape(re.sub(r"[ \t]+", " ", re.sub(r"<[^>]+>", " ", doc)))
    return re.sub(r" +([.,;:)])", r"\1", text)


def _sentences(text: str) -> list[str]:
    return [s.strip() for paragraph in text.split("\n") for s in re.split(r"(?<=\.)\s+", paragraph)
            if s.strip()]


def _engines_named(sentence: str) -> list[str]:
    engines: list[str] = []
    for match in _NAME_RE.finditer(sentence):
        engines += [e for e in _ENGINES_OF[match.group(0)] if e not in engines]
    return engines


def _limited_to(text: str) -> tuple[tuple[str, ...] | None, str]:
    """The engines a limiting sentence names (None: no such sentence), and the sentence."""
    for sentence in _sentences(text):
        if "doesn't apply" in sentence or not _LIMITING_RE.search(sentence):
            continue
        engines = _engines_named(sentence)
        if engines:
            return tuple(engines), sentence.lstrip("; ")
    return None, ""


def _left_out(text: str) -> tuple[str, ...]:
    """"Aurora" and/or "RDS Custom" where the documentation says the parameter doesn't apply to them."""
    out: list[str] = []
    for paragraph in text.split("\n"):
        if "doesn't apply to" not in paragraph and "isn't supported for" not in paragraph:
            continue
        tail = paragraph.split("doesn't apply to", 1)[-1]
        if "Aurora" in tail and "aurora" not in out:
            out.append("aurora")
        if "RDS Custom" in tail and "custom" not in out:
            out.append("custom")
    return tuple(out)


def _split_values(codes: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in codes.split("|") if v.strip())


def _values(doc: str, enum: list[str] | None) -> tuple[str, ...] | None:
    """The one set of values documented for every engine, from the shape's enum or the prose."""
    if enum:
        return tuple(enum)
    match = _VALID_VALUES_RE.search(doc)
    if match and not re.fullmatch(r"\s*\d+\s*-\s*\d+\s*", match.group(1)):
        return _split_values(match.group(1))
    listed = _LIST_VALUES_RE.search(doc)
    if listed:
        items = re.findall(r"<li>(.*?)</li>", listed.group(1), re.S)
        codes = [re.match(r"\s*<p>\s*<code>([^<]+)</code>", item) for item in items]
        if items and all(codes):
            return tuple(c.group(1).strip() for c in codes if c)
    return None


def _value_range(doc: str) -> tuple[int, int] | None:
    match = _VALID_VALUES_RE.search(doc)
    numbers = re.fullmatch(r"\s*(\d+)\s*-\s*(\d+)\s*", match.group(1)) if match else None
    return (int(numbers.group(1)), int(numbers.group(2))) if numbers else None


def _values_by_engine(doc: str) -> dict[str, tuple[str, ...]]:
    """Values listed engine by engine after "Valid Values:" or "values are valid" (not "Default:")."""
    by_engine: dict[str, tuple[str, ...]] = {}
    section = _PER_ENGINE_SECTION_RE.search(doc)
    for name, codes in _PER_ENGINE_RE.findall(section.group(1) if section else ""):
        for engine in _ENGINES_OF.get(name.strip(), ()):
            by_engine[engine] = _split_values(codes)
    return by_engine


def derive(operation: str = "CreateDBInstance") -> dict[str, dict[str, Any]]:
    """Every input parameter of `operation` that the documentation limits, with what limits it."""
    model = botocore.session.get_session().get_service_model("rds").operation_model(operation)
    reach: dict[str, dict[str, Any]] = {}
    for name, shape in model.input_shape.members.items():
        doc = shape.documentation or ""
        text = _text(doc)
        # A value set documented for a list of structures describes a field inside them, not the
        # parameter (TagSpecifications' "Valid Values: auto-backup" is its ResourceType).
        takes_values = shape.type_name in ("string", "integer") or (
            shape.type_name == "list" and shape.member.type_name == "string")  # type: ignore[attr-defined]
        engines, sentence = _limited_to(text)
        entry: dict[str, Any] = {
            "engines": engines,
            "engines_source": sentence,
            "left_out": _left_out(text),
            "values": _values(doc, getattr(shape, "enum", None) or None) if takes_values else None,
            "value_range": _value_range(doc) if takes_values else None,
            "values_by_engine": _values_by_engine(doc) if takes_values else {},
            "is_arn": name.endswith("Arn"),
        }
        if any(v for k, v in entry.items() if k != "engines_source"):
            reach[name] = entry
    return reach


def render(reach: dict[str, dict[str, Any]]) -> str:
    """The table as Python source for wizard/spec/reach.py."""
    lines = ["PARAMETER_REACH: Mapping[str, ParameterReach] = MappingProxyType({"]
    for name, entry in sorted(reach.items()):
        lines.append(f"    {name!r}: ParameterReach(")
        for key, value in entry.items():
            if value in (None, (), {}, False, ""):
                continue
            shown = pprint.pformat(value, width=100 - len(key), sort_dicts=False)
            shown = shown.replace("\n", "\n" + " " * (9 + len(key)))
            lines.append(f"        {key}={shown},")
        lines.append("    ),")
    lines.append("})")
    return "\n".join(lines)


if __name__ == "__main__":
    print(render(derive()))
