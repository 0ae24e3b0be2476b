"""The plain front end's line prompts (piped answers) and its choice of prompter, without any AWS."""

from __future__ import annotations

import io

import pytest

from wizard.plain import LinePrompter, Option, QuestionaryPrompter, make_prompter

OPTIONS = [Option("PostgreSQL", "open source"), Option("SQL Server Express", disabled_reason="no Multi-AZ"),
           Option("MySQL")]


def prompter(*lines: str) -> tuple[LinePrompter, io.StringIO]:
    out = io.StringIO()
    return LinePrompter(io.StringIO("".join(f"{line}\n" for line in lines)), out), out


def test_text_keeps_the_default_on_enter_and_clears_on_dash() -> None:
    p, out = prompter("", "-", "orders-db")
    assert p.text("Identifier", "old") == "old"
    assert p.text("Identifier", "old") == ""
    assert p.text("Identifier", "old") == "orders-db"
    assert "Identifier [old]: orders-db" in out.getvalue()  # piped answers are echoed in order


def test_select_by_number_label_or_prefix_and_never_a_disabled_one() -> None:
    p, out = prompter("", "3", "mysql", "post", "2", "9", "1")
    assert p.select("Engine", OPTIONS, 2) == 2
    assert p.select("Engine", OPTIONS, 0) == 2
    assert p.select("Engine", OPTIONS, 0) == 2
    assert p.select("Engine", OPTIONS, 2) == 0
    assert p.select("Engine", OPTIONS, 2) == 0  # "2" (disabled) and "9" (none) are refused first
    text = out.getvalue()
    assert "SQL Server Express (unavailable: no Multi-AZ)" in text
    assert text.count("Type one of the available numbers 1-3") == 2


def test_checkbox_numbers_keep_or_none() -> None:
    p, _ = prompter("1,3", "", "-", "1,2", "3")
    assert p.checkbox("Logs", OPTIONS, []) == [0, 2]
    assert p.checkbox("Logs", OPTIONS, [2]) == [2]
    assert p.checkbox("Logs", OPTIONS, [2]) == []
    assert p.checkbox("Logs", OPTIONS, []) == [2]  # "1,2" names a disabled option: asked again


def test_confirm_and_password() -> None:
    p, out = prompter("", "maybe", "n", "Secret-pw-1")
    assert p.confirm("Public access", True) is True
    assert p.confirm("Public access", True) is False
    assert p.password("Master password") == "Secret-pw-1"
    assert "Secret-pw-1" not in out.getvalue()
    assert "Answer y or n." in out.getvalue()


def test_end_of_input_cancels() -> None:
    p, _ = prompter()
    with pytest.raises(EOFError):
        p.text("Identifier", "")


def test_pipes_get_line_prompts_and_a_terminal_gets_questionary(monkeypatch: pytest.MonkeyPatch) -> None:
    assert isinstance(make_prompter(io.StringIO("")), LinePrompter)

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("sys.stdout", Tty())
    assert isinstance(make_prompter(Tty("")), QuestionaryPrompter)


def test_an_unknown_preset_is_a_usage_error_before_any_connection(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    import argparse

    from wizard.plain import run_plain

    monkeypatch.setenv("RDS_WIZARD_HOME", str(tmp_path))

    def no_connection(*_: object) -> None:
        raise AssertionError("connected before the preset was read")

    monkeypatch.setattr("wizard.aws.open_gateway", no_connection)
    args = argparse.Namespace(demo=True, demo_speed=None, profile=None, region=None, endpoint_url=None,
                              preset="no-such-preset")
    assert run_plain(args, prompter=LinePrompter(io.StringIO(""), io.StringIO())) == 2
    assert "No preset named 'no-such-preset'" in capsys.readouterr().out
