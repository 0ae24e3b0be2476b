"""Keys typed while the plain wizard was busy (a create being followed, a look-up) never answer the next
yes/no or typed confirmation: they are dropped first, on a real pseudo-terminal here. Piped answers are
never dropped: they are meant for the questions, in order."""

from __future__ import annotations

import io
import os
import pty
import select
from collections.abc import Iterator
from typing import Any, TextIO

import pytest

import wizard.plain as plain
from wizard.plain import LinePrompter, QuestionaryPrompter, drop_typed_ahead


@pytest.fixture()
def terminal() -> Iterator[tuple[int, TextIO]]:
    """A pseudo-terminal: the fd keys are typed into, and the terminal end the wizard reads."""
    master, slave = pty.openpty()
    reader = os.fdopen(slave, "r", encoding="utf-8", buffering=1)
    try:
        yield master, reader
    finally:
        reader.close()
        os.close(master)


def _pending(stream: TextIO) -> bool:
    return bool(select.select([stream.fileno()], [], [], 0.2)[0])


def test_keys_typed_at_a_terminal_are_dropped(terminal: tuple[int, TextIO]) -> None:
    master, reader = terminal
    os.write(master, b"\r\r")
    assert _pending(reader)  # two Enters waiting to be read
    assert drop_typed_ahead(reader) is True
    assert not _pending(reader)


def test_piped_answers_are_never_dropped() -> None:
    answers = io.StringIO("y\n")
    assert drop_typed_ahead(answers) is False
    assert answers.read() == "y\n"


def _typed_after_the_drop(monkeypatch: pytest.MonkeyPatch, send: Any, keys: str) -> list[str]:
    """Make the prompters' drop also type `keys` right after it: what the user types once the question
    shows. Returns the record of drops."""
    real = plain.drop_typed_ahead
    drops: list[str] = []

    def drop_then_type(stream: TextIO | None = None) -> bool:
        dropped = real(stream)
        drops.append("drop")
        send(keys)
        return dropped

    monkeypatch.setattr(plain, "drop_typed_ahead", drop_then_type)
    return drops


def test_a_line_yes_no_on_a_terminal_ignores_lines_typed_before_it(
        terminal: tuple[int, TextIO], monkeypatch: pytest.MonkeyPatch) -> None:
    master, reader = terminal
    out = io.StringIO()
    prompter = LinePrompter(reader, out)
    drops = _typed_after_the_drop(monkeypatch, lambda keys: os.write(master, keys.encode()), "n\n")
    os.write(master, b"y\n")  # typed while the database was being created
    assert prompter.confirm("Run the failover test now?", True) is False
    os.write(master, b"\n")
    assert prompter.typed("Type orders-db to confirm:") == "n"  # the drop typed "n" again, then Enter
    assert drops == ["drop", "drop"]


def test_a_questionary_yes_no_ignores_keys_typed_before_it(
        terminal: tuple[int, TextIO], monkeypatch: pytest.MonkeyPatch) -> None:
    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    _master, reader = terminal
    prompter = QuestionaryPrompter(terminal=reader)
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        drops = _typed_after_the_drop(monkeypatch, pipe.send_text, "n")
        # One read takes all of it: "abc" and Enter answer the first question, and prompt_toolkit keeps
        # the "y" typed past it for the next one, unless it is dropped.
        pipe.send_text("abc\ry")
        assert prompter.text("Identifier", "") == "abc"
        assert drops == []  # an ordinary question keeps what was typed ahead
        assert prompter.confirm("Create it?", True) is False
        assert drops == ["drop"]

        monkeypatch.undo()
        pipe.send_text("x\r\r")  # a name, and an Enter too many
        assert prompter.text("Name", "") == "x"
        _typed_after_the_drop(monkeypatch, pipe.send_text, "orders-db\r")
        assert prompter.typed("Type orders-db to confirm:") == "orders-db"


def test_two_enters_at_review_no_longer_create_a_database(monkeypatch: pytest.MonkeyPatch) -> None:
    """Enter on "What next?" picks Launch; a second Enter used to accept "Create it?". Now the identifier
    must be typed: an empty line goes back to Review and nothing is created."""
    from presets import load_preset
    from wizard.plain import PlainWizard

    launched: list[object] = []
    monkeypatch.setattr("wizard.launch.launch", lambda *a, **k: launched.append(a))
    identity = type("Identity", (), {"label": "DEMO", "summary": lambda self: "DEMO · us-east-1"})()
    gateway = type("Gateway", (), {"identity": lambda self: identity})()
    out: list[str] = []
    wizard = PlainWizard(load_preset("teaching-demo"), gateway,  # type: ignore[arg-type]
                         LinePrompter(io.StringIO("\n\n"), io.StringIO()), out.append)
    assert wizard.launch() is None
    assert launched == [] and "Not created." in out

    wizard.prompter = LinePrompter(io.StringIO("demo-dbx\ndemo-db\n"), io.StringIO())
    monkeypatch.setattr("wizard.launch.launch", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("sent")))
    with pytest.raises(RuntimeError, match="sent"):
        wizard.launch()  # a wrong identifier is refused, then the right one goes ahead
    assert any("'demo-dbx' is not demo-db" in line for line in out)
