"""Hostile values and passwords, in process: the escaper, the password detector, drafts, presets, reports,
plain mode's echo and the reader's refusals that need no subprocess (permission, stdin replaced).

The command-line runs of the same hostile cases (FIFO, /dev/zero, /dev/full, ...) are in
tests/functional/test_hostile_input.py.
"""

from __future__ import annotations

import dataclasses
import errno
import io
import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest
from test_failover_analysis import report as sample_report

from presets import PresetError, list_presets, load_preset, preset_data, save_preset, spec_from_preset_data
from wizard.drafts import load_draft, save_draft
from wizard.escaping import shown, shown_lines
from wizard.passwords import MASK, find_passwords, is_password_key, masked, password_values, without_passwords
from wizard.plain import LinePrompter
from wizard.reports import render_markdown, summary_rows
from wizard.spec.model import DatabaseSpec
from wizard.spec.problems import Problem
from wizard.textfiles import MAX_BYTES, UnreadableFile, nesting_depth, parse_json, read_text_bounded

SECRET = "Canary-Secret-7f3a"

# (raw text, how it must be shown)
ESCAPES = [
    ("\x1b[2J", "\\x1b[2J"),                 # clear screen
    ("\x1b]0;owned\x07", "\\x1b]0;owned\\x07"),  # retitle the window
    ("a\nerror: forged", "a\\nerror: forged"),  # a forged second line
    ("tab\there", "tab\\there"),
    ("cr\rover", "cr\\rover"),
    ("nul\x00", "nul\\x00"),
    ("del\x7f", "del\\x7f"),
    ("c1\x9b31m", "c1\\x9b31m"),             # the one-byte CSI
    ("c1\x85", "c1\\x85"),
    ("bidi\u202etxt.exe", "bidi\\u202etxt.exe"),
    ("isolate\u2066x\u2069", "isolate\\u2066x\\u2069"),
    ("zero\u200bwidth", "zero\\u200bwidth"),
    ("line\u2028sep", "line\\u2028sep"),
    ("[bold]markup[/bold]", "[bold]markup[/bold]"),  # not a control: kept, the TUI shows it as text
    ("Zoë 数据库 🚀 ok", "Zoë 数据库 🚀 ok"),         # printable text is left alone
    ("back\\x1b", "back\\x1b"),                # a typed backslash stays as typed
]


@pytest.mark.parametrize(("raw", "expected"), ESCAPES)
def test_shown_escapes_every_control_and_nothing_else(raw: str, expected: str) -> None:
    assert shown(raw) == expected
    assert shown(shown(raw)) == expected  # escaping twice changes nothing
    assert all(c.isprintable() or c == " " for c in shown(raw))


def test_shown_lines_keeps_the_line_breaks_only() -> None:
    assert shown_lines("one\x1b[2J\ntwo\rthree") == "one\\x1b[2J\ntwo\\rthree"


@pytest.mark.parametrize(("raw", "expected"), ESCAPES[:13])
def test_a_problem_never_holds_a_raw_control(raw: str, expected: str) -> None:
    problem = Problem(field=f"extra_parameters.{raw}", parameter=raw, message=f"Unknown parameter '{raw}'")
    assert problem.parameter == expected
    assert problem.message == f"Unknown parameter '{expected}'"
    assert problem.field == f"extra_parameters.{expected}"


# -- passwords ------------------------------------------------------------------------------------

PASSWORD_PLACES: list[tuple[dict[str, Any], str]] = [
    ({"password": SECRET}, "password"),
    ({"Password": SECRET}, "Password"),
    ({"settings": {"master_password": SECRET}}, "settings.master_password"),
    ({"extra_parameters": {"MasterUserPassword": SECRET}}, "extra_parameters.MasterUserPassword"),
    ({"extra_parameters": {"masteruserpassword": SECRET}}, "extra_parameters.masteruserpassword"),
    ({"extra_parameters": {"MASTER-USER-PASSWORD": SECRET}}, "extra_parameters.MASTER-USER-PASSWORD"),
    ({"extra_parameters": {"TdeCredentialPassword": SECRET}}, "extra_parameters.TdeCredentialPassword"),
    ({"extra_parameters": {"ProcessorFeatures": [{"Name": "coreCount", "MasterUserPassword": SECRET}]}},
     "extra_parameters.ProcessorFeatures[0].MasterUserPassword"),
    ({"extra_parameters": {"Deep": [[{"x": {"db_passwd": SECRET}}]]}},
     "extra_parameters.Deep[0][0].x.db_passwd"),
    ({"tags": {"a": "b"}, "extra_parameters": {"S": {"Password": 12345678}}}, "extra_parameters.S.Password"),
]


@pytest.mark.parametrize(("data", "path"), PASSWORD_PLACES)
def test_a_password_is_found_at_any_depth_and_in_any_spelling(data: dict[str, Any], path: str) -> None:
    assert find_passwords(data) == [path]
    assert find_passwords(without_passwords(data)) == []
    assert SECRET not in json.dumps(without_passwords(data)) and SECRET not in json.dumps(masked(data))
    assert MASK in json.dumps(masked(data))


@pytest.mark.parametrize("data", [d for d, _ in PASSWORD_PLACES])
def test_a_preset_with_a_password_anywhere_is_refused_naming_where(data: dict[str, Any]) -> None:
    with pytest.raises(PresetError) as refused:
        spec_from_preset_data(data, "mine.toml")
    message = str(refused.value)
    assert find_passwords(data)[0] in message and "never hold passwords" in message
    assert SECRET not in message and "12345678" not in message


@pytest.mark.parametrize("key", ["ManageMasterUserPassword", "manage_master_user_password", "PasswordPolicy",
                                 "MasterUserSecretKmsKeyId", "DomainAuthSecretArn"])
def test_keys_that_are_not_passwords_are_kept(key: str) -> None:
    assert not is_password_key(key)
    data = {"extra_parameters": {key: True}}
    assert find_passwords(data) == []


def test_a_switch_named_like_a_password_is_not_one() -> None:
    assert find_passwords({"password": True}) == []


def test_password_values_skip_texts_too_short_to_mask_safely() -> None:
    assert password_values({"a": {"password": "ab"}, "b": [{"Password": SECRET}]}) == [SECRET]


def test_a_draft_never_keeps_a_nested_password_and_one_that_holds_one_is_set_aside(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv("RDS_WIZARD_HOME", str(tmp_path))
    spec = DatabaseSpec()
    spec.settings.identifier = "orders-db"
    spec.extra_parameters = {"ProcessorFeatures": [{"Name": "coreCount", "MasterUserPassword": SECRET}]}
    path = save_draft(spec, "settings")
    assert SECRET not in path.read_text() and "coreCount" in path.read_text()
    content = json.loads(path.read_text())
    content["spec"]["extra_parameters"]["Nested"] = [{"password": SECRET}]
    path.write_text(json.dumps(content))
    assert load_draft() is None
    assert "extra_parameters.Nested[0].password" in caplog.text and SECRET not in caplog.text
    assert not path.exists()  # set aside, so the next start is fresh


def test_a_draft_that_is_a_fifo_is_set_aside_without_waiting(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RDS_WIZARD_HOME", str(tmp_path))
    from wizard.paths import draft_path

    os.mkfifo(draft_path())
    assert load_draft() is None


def test_saving_a_preset_drops_every_password(tmp_path: Path) -> None:
    spec = DatabaseSpec()
    spec.extra_parameters = {"ProcessorFeatures": [{"Name": "coreCount", "Value": "2", "Password": SECRET}],
                             "MasterUserPassword": SECRET}
    assert SECRET not in json.dumps(preset_data(spec))
    path = save_preset(spec, tmp_path / "mine.toml")
    assert SECRET not in path.read_text() and "coreCount" in path.read_text()


# -- the reader, in process ---------------------------------------------------------------------------

def test_an_unreadable_file_says_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "secret.json"
    target.write_text("{}")

    def refuse(*_: object, **__: object) -> int:
        raise PermissionError(errno.EACCES, "Permission denied", str(target))

    monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(UnreadableFile, match="cannot be read: permission denied"):
        read_text_bounded(target)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file whatever its mode")
def test_a_file_without_read_permission_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "secret.json"
    target.write_text("{}")
    target.chmod(0)
    with pytest.raises(UnreadableFile, match="permission denied"):
        read_text_bounded(target)


def test_standard_input_replaced_by_a_text_stream_is_read_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("{}"))
    assert read_text_bounded("-") == "{}"
    monkeypatch.setattr(sys, "stdin", io.StringIO("x" * (MAX_BYTES + 10)))
    with pytest.raises(UnreadableFile, match="standard input is larger than 1 MiB"):
        read_text_bounded("-")


def test_depth_is_counted_without_recursion() -> None:
    deep: Any = 1
    for _ in range(100_000):
        deep = [deep]
    assert nesting_depth(deep) == 65  # stops counting once past the limit
    with pytest.raises(UnreadableFile, match="nested more than 64 levels"):
        parse_json("[" * 65 + "]" * 65, "x.json")
    assert parse_json("[" * 64 + "]" * 64, "x.json")


# -- values out: presets, reports, plain mode ------------------------------------------------------

def test_preset_errors_and_listing_escape_what_the_file_says(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RDS_WIZARD_HOME", str(tmp_path))
    bad = tmp_path / "bad.toml"
    bad.write_text('"unknown\\u001b[2J" = 1\n'
                   '[preset]\ntitle = "t\\u009b"\ndescription = "d\\u001b]0;x\\u0007"\n')
    with pytest.raises(PresetError) as refused:
        load_preset(bad)
    assert "unknown\\x1b[2J" in str(refused.value) and "\x1b" not in str(refused.value)
    save_dir = tmp_path / "config" / "presets"
    save_dir.mkdir(parents=True)
    (save_dir / "hostile.toml").write_text(bad.read_text())
    info = next(i for i in list_presets() if i.name == "hostile")
    assert info.title == "t\\x9b" and info.description == "d\\x1b]0;x\\x07"


def test_reports_escape_what_aws_and_the_network_said(tmp_path: Path) -> None:
    hostile = dataclasses.replace(sample_report(tmp_path), identifier="db1\x1b[2J",
                                  primary_az_after="us-east-1b\x1b]0;x\x07",
                                  advice=["reconnect\x9b31m"], measurement_notes=["note\u202e"])
    markdown = render_markdown(hostile)
    assert "\x1b" not in markdown and "\x9b" not in markdown and "\u202e" not in markdown
    assert "db1\\x1b[2J" in markdown and "us-east-1b\\x1b]0;x\\x07" in markdown
    assert "reconnect\\x9b31m" in markdown
    rows = dict(summary_rows(hostile))
    assert "\\x1b]0;x\\x07" in rows["Primary AZ before -> after"]


@pytest.mark.parametrize(("typed", "echoed"), [("orders\x1b[2J", "orders\\x1b[2J"), ("a\x9bb", "a\\x9bb"),
                                              ("x\u202ey", "x\\u202ey")])
def test_plain_mode_echoes_piped_answers_escaped(typed: str, echoed: str) -> None:
    out = io.StringIO()
    prompter = LinePrompter(stdin=io.StringIO(typed + "\n"), stdout=out)
    assert prompter.text("Identifier", "default\x1b[31m") == typed  # the answer itself is kept as typed
    assert echoed in out.getvalue() and "default\\x1b[31m" in out.getvalue()
    assert "\x1b" not in out.getvalue() and "\x9b" not in out.getvalue() and "\u202e" not in out.getvalue()


@pytest.mark.parametrize("fmt", ["cli", "cloudformation", "terraform"])
def test_an_export_never_carries_a_nested_password(fmt: str) -> None:
    from wizard.exports import export
    from wizard.spec.request import from_request, to_request

    feature = {"Name": "coreCount", "Value": "2", "MasterUserPassword": SECRET}
    spec = from_request({"DBInstanceIdentifier": "orders-db", "Engine": "postgres",
                         "ProcessorFeatures": [feature]})
    assert SECRET not in json.dumps(to_request(spec)) and "coreCount" in json.dumps(to_request(spec))
    assert SECRET in json.dumps(to_request(spec, include_password=True))  # what AWS is sent stays whole
    assert SECRET not in export(spec, fmt)


def test_a_line_printing_command_cannot_print_a_raw_control_even_unescaped_at_the_source() -> None:
    from wizard.cli import _WatchedOutput

    target = io.StringIO()
    out = _WatchedOutput(target)
    print("event: db1\x1b]0;owned\x07 is\tready", file=out)  # type: ignore[arg-type]
    assert target.getvalue() == "event: db1\\x1b]0;owned\\x07 is\\tready\n"
