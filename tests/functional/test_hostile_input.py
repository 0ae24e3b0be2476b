"""Hostile input through the real command line, each case in its own process: files that are not files
(FIFO, /dev/zero, a directory, a symbolic link to a device), too big, not UTF-8 or nested too deep;
output that cannot be written (/dev/full, a closed pipe); values carrying escape sequences; passwords
hidden in lists.

Every case asserts the exit code, the message, that no traceback was printed, and that nothing that
must not be printed was: no raw escape character, no password.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

pytestmark = pytest.mark.timeout(120)

REPO = Path(__file__).resolve().parents[2]
SECRET = "Canary-Secret-7f3a"
# A process still running after this long is hanging: the FIFO case would otherwise wait forever.
HANG_S = 30
RAW = ("\x1b", "\x07", "\x9b", "\x7f", "\u202e")

GOOD_REQUEST = {"DBInstanceIdentifier": "orders-db", "Engine": "postgres", "DBInstanceClass": "db.t3.micro",
                "AllocatedStorage": 20, "MasterUsername": "dbadmin", "ManageMasterUserPassword": True}
GOOD_PRESET = (REPO / "presets" / "production-postgres.toml").read_text()


def run(args: list[str], home: Path, stdin: int | None = None, stdout: int | None = None,
        input_text: str | None = None) -> subprocess.CompletedProcess[str]:
    """`rds-wizard ARGS` in a new process, with its home in `home`."""
    env = {**os.environ, "RDS_WIZARD_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "wizard", *args], cwd=REPO, env=env, text=True,
                          stdin=stdin if input_text is None else None, input=input_text,
                          stdout=stdout if stdout is not None else subprocess.PIPE, stderr=subprocess.PIPE,
                          timeout=HANG_S)


def assert_clean(done: subprocess.CompletedProcess[str]) -> None:
    """No traceback, no raw control character, no password anywhere in the output."""
    both = (done.stdout or "") + done.stderr
    assert "Traceback" not in both, both
    assert not any(raw in both for raw in RAW), repr(both)
    assert SECRET not in both


# -- files in -----------------------------------------------------------------------------------------

def _fifo(d: Path, suffix: str) -> Path:
    path = d / f"pipe{suffix}"
    os.mkfifo(path)
    return path


def _directory(d: Path, suffix: str) -> Path:
    path = d / f"folder{suffix}"
    path.mkdir()
    return path


def _link_to_device(d: Path, suffix: str) -> Path:
    path = d / f"zero{suffix}"
    path.symlink_to("/dev/zero")
    return path


def _loop(d: Path, suffix: str) -> Path:
    path = d / f"loop{suffix}"
    path.symlink_to(path)
    return path


def _dangling(d: Path, suffix: str) -> Path:
    path = d / f"dangling{suffix}"
    path.symlink_to(d / "nowhere")
    return path


def _write(name: str, content: bytes) -> Callable[[Path, str], Path]:
    def make(d: Path, suffix: str) -> Path:
        path = d / f"{name}{suffix}"
        path.write_bytes(content)
        return path
    return make


def _deep_json(depth: int) -> bytes:
    return ("[" * depth + "]" * depth).encode()


BIG = b"{" + b" " * (2 * 1024 * 1024) + b"}"
LATIN1 = b'{"DBInstanceIdentifier": "caf\xe9"}'

# (case, how to make it, message on standard error)
FILE_CASES: list[tuple[str, Callable[[Path, str], Path], str]] = [
    ("fifo", _fifo, "is a named pipe (FIFO), not a regular file"),
    ("dev-zero", lambda d, s: Path("/dev/zero"), "is a device, not a regular file"),
    ("symlink-to-device", _link_to_device, "is a device, not a regular file"),
    ("directory", _directory, "is a directory, not a file"),
    ("2-mib", _write("big", BIG), "is larger than 1 MiB"),
    ("not-utf-8", _write("latin1", LATIN1), "is not UTF-8 text (byte 0xe9"),
    ("missing", lambda d, s: d / f"missing{s}", "does not exist"),
    ("symlink-loop", _loop, "is a loop of symbolic links"),
    ("dangling-symlink", _dangling, "does not exist"),
]
JSON_ONLY: list[tuple[str, Callable[[Path, str], Path], str]] = [
    ("json-100000-deep", _write("deep", _deep_json(100_000)), "is nested more than 64 levels deep"),
    ("json-200-deep", _write("deep200", _deep_json(200)), "is nested more than 64 levels deep"),
    ("not-json", _write("text", b"DBInstanceIdentifier = orders"), "is not valid JSON (line 1 column 1"),
    ("json-not-an-object", _write("list", b"[1, 2]"), "holds JSON but not an object"),
    ("escape-in-the-name", lambda d, s: d / f"a\x1b[2Jb{s}", "a\\x1b[2Jb.json does not exist"),
]
TOML_ONLY: list[tuple[str, Callable[[Path, str], Path], str]] = [
    ("toml-arrays-100000-deep", _write("deep", b"a = " + _deep_json(100_000)), "nested more than 64 levels"),
    ("toml-inline-tables-deep", _write("tables", b"a = " + b"{b=" * 3000 + b"1" + b"}" * 3000),
     "nested more than 64 levels"),
    ("toml-dotted-key-100000-deep", _write("dotted", b".".join([b"a"] * 100_000) + b" = 1"),
     "nested more than 64 levels"),
    ("toml-table-header-deep", _write("header", b"[" + b".".join([b"a"] * 5000) + b"]\nx = 1"),
     "nested more than 64 levels"),
    ("not-toml", _write("broken", b"settings = {"), "is not valid TOML"),
    ("escape-in-the-name", lambda d, s: d / f"a\x1b]0;x\x07{s}", "a\\x1b]0;x\\x07.toml does not exist"),
]


@pytest.mark.parametrize(("case", "make", "message"), FILE_CASES + JSON_ONLY, ids=lambda v: v if isinstance(
    v, str) and " " not in v else "")
def test_lint_refuses_what_is_not_a_small_regular_text_file(tmp_path: Path, case: str,
                                                            make: Callable[[Path, str], Path],
                                                            message: str) -> None:
    path = make(tmp_path, ".json")
    done = run(["lint", str(path)], tmp_path)
    assert done.returncode == 2, (case, done.stderr)
    assert message in done.stderr and done.stderr.startswith("rds-wizard lint: ")
    assert done.stdout == ""
    assert_clean(done)


@pytest.mark.parametrize(("case", "make", "message"), FILE_CASES + TOML_ONLY, ids=lambda v: v if isinstance(
    v, str) and " " not in v else "")
def test_plan_refuses_a_preset_that_is_not_a_small_regular_text_file(tmp_path: Path, case: str,
                                                                    make: Callable[[Path, str], Path],
                                                                    message: str) -> None:
    path = make(tmp_path, ".toml")
    done = run(["plan", "--preset", str(path)], tmp_path)
    assert done.returncode == 2, (case, done.stderr)
    assert message in done.stderr and done.stderr.startswith("rds-wizard plan: ")
    assert done.stdout == ""
    assert_clean(done)


@pytest.mark.parametrize(("args", "feed", "message", "code"), [
    (["lint", "-"], "/dev/zero", "standard input is larger than 1 MiB", 2),
    (["lint", "-"], "deep.json", "standard input is nested more than 64 levels deep", 2),
    (["lint", "-"], "good.json", "standard input: no rule broken", 0),
    (["plan", "--preset", "-"], "/dev/zero", "standard input is larger than 1 MiB", 2),
    (["plan", "--preset", "-"], "good.toml", "CreateDBInstance request", 0),
])
def test_standard_input_is_read_bounded_too(tmp_path: Path, args: list[str], feed: str, message: str,
                                            code: int) -> None:
    (tmp_path / "deep.json").write_bytes(_deep_json(100_000))
    (tmp_path / "good.json").write_text(json.dumps(GOOD_REQUEST))
    (tmp_path / "good.toml").write_text(GOOD_PRESET)
    with open(feed if feed.startswith("/") else tmp_path / feed, "rb") as source:
        done = run(args, tmp_path, stdin=source.fileno())
    assert done.returncode == code, done.stderr
    assert message in done.stdout + done.stderr
    assert_clean(done)


def test_a_broken_file_in_the_presets_folder_is_listed_as_broken_and_the_others_still_work(
        tmp_path: Path) -> None:
    folder = tmp_path / "config" / "presets"
    folder.mkdir(parents=True)
    (folder / "good.toml").write_text(GOOD_PRESET)
    (folder / "latin1.toml").write_bytes(b'[preset]\ntitle = "caf\xe9"\n')
    (folder / "bad.toml").write_text("settings = {\n")
    (folder / "big.toml").write_bytes(b"#" * (2 * 1024 * 1024))
    (folder / "deep.toml").write_bytes(b"a = " + _deep_json(100_000))
    (folder / "secret.toml").write_text(
        '[extra_parameters]\nProcessorFeatures = [{Name = "coreCount", '
        f'MasterUserPassword = "{SECRET}"}}]\n')
    (folder / "hostile.toml").write_text('[preset]\ntitle = "x"\ndescription = "clear\\u001b[2J\\u009b"\n')
    os.mkfifo(folder / "pipe.toml")
    (folder / "folder.toml").mkdir()
    (folder / "zero.toml").symlink_to("/dev/zero")
    done = run(["presets"], tmp_path)
    assert done.returncode == 0, done.stderr
    lines = {line.split()[0]: line for line in done.stdout.splitlines() if line.strip()}
    assert "BROKEN" not in lines["good"] and "Multi-AZ DB instance" in lines["good"]
    assert "BROKEN: is not UTF-8 text" in lines["latin1"]
    assert "BROKEN: is not valid TOML" in lines["bad"]
    assert "BROKEN: is larger than 1 MiB" in lines["big"]
    assert "BROKEN: is nested more than 64 levels deep" in lines["deep"]
    assert "BROKEN: contains a password ('extra_parameters.ProcessorFeatures[0].MasterUserPassword')" \
        in lines["secret"]
    assert "BROKEN: is a named pipe (FIFO)" in lines["pipe"]
    assert "BROKEN: is a directory" in lines["folder"]
    assert "BROKEN: is a device" in lines["zero"]
    assert "clear\\x1b[2J\\x9b" in lines["hostile"]
    assert "production-postgres" in lines  # the built-ins still list
    assert_clean(done)
    good = run(["plan", "--preset", "good"], tmp_path)
    assert good.returncode == 0 and json.loads(good.stdout)["DBInstanceIdentifier"]
    pipe = run(["plan", "--preset", "pipe"], tmp_path)
    assert pipe.returncode == 2 and "is a named pipe (FIFO)" in pipe.stderr
    assert_clean(pipe)


# -- output that cannot be written ------------------------------------------------------------------

PRINTING_COMMANDS = [
    ["lint", "good.json"],
    ["lint", "--format", "json", "good.json"],
    ["lint", "bad.json"],
    ["plan", "--preset", "production-postgres"],
    ["plan", "--preset", "production-postgres", "--format", "cli"],
    ["plan", "--preset", "production-postgres", "--format", "terraform"],
    ["plan", "--preset", "production-postgres", "--format", "cloudformation"],
    ["presets"],
    ["--help"],
    ["lint", "--help"],
    ["--version"],
]


def _requests(home: Path) -> None:
    (home / "good.json").write_text(json.dumps(GOOD_REQUEST))
    (home / "bad.json").write_text(json.dumps({**GOOD_REQUEST, "StorageType": "gp9"}))


@pytest.mark.parametrize("args", PRINTING_COMMANDS, ids=" ".join)
def test_a_full_disk_on_standard_output_ends_with_a_sentence_and_exit_2(tmp_path: Path,
                                                                        args: list[str]) -> None:
    _requests(tmp_path)
    with open("/dev/full", "w") as full:
        done = run([a if not a.endswith(".json") else str(tmp_path / a) for a in args], tmp_path,
                   stdout=full.fileno())
    assert done.returncode == 2, done.stderr
    assert "rds-wizard: the output could not be written (no space left on the device)" in done.stderr
    assert_clean(done)


@pytest.mark.parametrize("args", PRINTING_COMMANDS, ids=" ".join)
def test_a_reader_that_closed_the_pipe_ends_with_a_sentence_and_exit_2(tmp_path: Path,
                                                                      args: list[str]) -> None:
    _requests(tmp_path)
    read_end, write_end = os.pipe()
    os.close(read_end)  # as `| head -c1` does once it has its byte, but before we write: deterministic
    try:
        done = run([a if not a.endswith(".json") else str(tmp_path / a) for a in args], tmp_path,
                   stdout=write_end)
    finally:
        os.close(write_end)
    assert done.returncode == 2, done.stderr
    assert "rds-wizard: the output could not be written (the reader closed the pipe)" in done.stderr
    assert_clean(done)


# -- values out ------------------------------------------------------------------------------------

# (request parameters, the parameter named, how the value must be shown)
HOSTILE_REQUEST_VALUES: list[tuple[dict[str, object], str, str]] = [
    ({"DBInstanceIdentifier": "orders\x1b]0;owned\x07"}, "DBInstanceIdentifier", "orders\\x1b]0;owned\\x07"),
    ({"StorageType": "gp3\x1b[2J"}, "StorageType", "gp3\\x1b[2J"),
    ({"StorageType": "gp3\x7f"}, "StorageType", "gp3\\x7f"),
    ({"Engine": "postgres\x9b31m"}, "Engine", "postgres\\x9b31m"),
    ({"PreferredBackupWindow": "\u202e03:00-04:00"}, "PreferredBackupWindow", "\\u202e03:00-04:00"),
    ({"PreferredMaintenanceWindow": "sun:03:00\x1b-sun:04:00"}, "PreferredMaintenanceWindow",
     "sun:03:00\\x1b-sun:04:00"),
    ({"MasterUsername": "db\nerror    forged: line"}, "MasterUsername", "db\\nerror    forged: line"),
    ({"Unknown\x1b[2JKey": 1}, "Unknown\\x1b[2JKey", "Unknown\\x1b[2JKey"),
    ({"Bidi\u202eKey": 1}, "Bidi\\u202eKey", "Bidi\\u202eKey"),
]


@pytest.mark.parametrize("fmt", ["text", "json"])
@pytest.mark.parametrize(("values", "parameter", "escaped"), HOSTILE_REQUEST_VALUES)
def test_lint_shows_hostile_values_escaped(tmp_path: Path, fmt: str, values: dict[str, object],
                                           parameter: str, escaped: str) -> None:
    path = tmp_path / "request.json"
    path.write_text(json.dumps({**GOOD_REQUEST, **values}))
    done = run(["lint", "--format", fmt, str(path)], tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert_clean(done)
    if fmt == "json":
        problems = json.loads(done.stdout)["problems"]
        assert any(p["parameter"] == parameter and escaped in p["message"] for p in problems), problems
    else:
        assert f"  error    {parameter}: " in done.stdout and escaped in done.stdout
        assert "\nerror    forged" not in done.stdout


# (preset TOML, how the value must be shown on standard error)
HOSTILE_PRESETS: list[tuple[str, str]] = [
    ('[settings]\nidentifier = "orders\\u001b[2J"\n', "orders\\x1b[2J"),
    ('[settings]\nmaster_username = "ad\\u001b]0;x\\u0007min"\n', "ad\\x1b]0;x\\x07min"),
    ('[backup]\nwindow = "03:00\\u009b-04:00"\n', "03:00\\x9b-04:00"),
    ('"unknown\\u001b[31m" = 1\n', "unknown\\x1b[31m"),
    ('[extra_parameters]\n"Odd\\u202eName" = "x"\n', "Odd\\u202eName"),
]


@pytest.mark.parametrize(("toml", "escaped"), HOSTILE_PRESETS)
def test_plan_shows_hostile_preset_values_escaped(tmp_path: Path, toml: str, escaped: str) -> None:
    path = tmp_path / "hostile.toml"
    path.write_text(toml)
    done = run(["plan", "--preset", str(path)], tmp_path)
    assert done.returncode in (1, 2), done.stderr
    assert escaped in done.stderr
    assert_clean(done)


# -- passwords --------------------------------------------------------------------------------------

PRESET_PASSWORDS: list[tuple[str, str]] = [
    ('[extra_parameters]\nProcessorFeatures = [{Name = "coreCount", Value = "2", '
     f'MasterUserPassword = "{SECRET}"}}]\n',
     "extra_parameters.ProcessorFeatures[0].MasterUserPassword"),
    ('[[extra_parameters.Things]]\nName = "a"\n'
     f'[[extra_parameters.Things]]\nmasteruserpassword = "{SECRET}"\n',
     "extra_parameters.Things[1].masteruserpassword"),
    (f'[settings]\nmaster_password = "{SECRET}"\n', "settings.master_password"),
    (f'Password = "{SECRET}"\n', "Password"),
    (f'[extra_parameters]\nTdeCredentialPassword = "{SECRET}"\n', "extra_parameters.TdeCredentialPassword"),
    (f'[extra_parameters.Nested.Deeper]\nmaster-user-password = "{SECRET}"\n',
     "extra_parameters.Nested.Deeper.master-user-password"),
]


@pytest.mark.parametrize("fmt", ["json", "cli", "terraform"])
@pytest.mark.parametrize(("toml", "where"), PRESET_PASSWORDS)
def test_plan_refuses_a_preset_with_a_password_anywhere_and_never_prints_it(tmp_path: Path, fmt: str,
                                                                          toml: str, where: str) -> None:
    path = tmp_path / "secret.toml"
    path.write_text(toml)  # refused before anything else is checked: no other key is needed
    done = run(["plan", "--preset", str(path), "--format", fmt], tmp_path)
    assert done.returncode == 2, done.stdout + done.stderr
    assert f"contains a password ('{where}')" in done.stderr and done.stdout == ""
    assert_clean(done)


REQUEST_PASSWORDS: list[tuple[dict[str, object], str]] = [
    ({"ManageMasterUserPassword": False, "MasterUserPassword": SECRET}, "MasterUserPassword"),
    ({"ProcessorFeatures": [{"Name": "coreCount", "Value": "2", "MasterUserPassword": SECRET}]},
     "ProcessorFeatures[0].MasterUserPassword"),
    ({"Unknown": {"master_password": SECRET}}, "Unknown.master_password"),
    ({"ManageMasterUserPassword": False, "MasterUserPassword": ["not", SECRET]}, "MasterUserPassword"),
    ({"TdeCredentialPassword": SECRET}, "TdeCredentialPassword"),
]


@pytest.mark.parametrize("fmt", ["text", "json"])
@pytest.mark.parametrize(("values", "where"), REQUEST_PASSWORDS)
def test_lint_checks_a_request_holding_a_password_but_never_prints_it(tmp_path: Path, fmt: str,
                                                                     values: dict[str, object],
                                                                     where: str) -> None:
    path = tmp_path / "request.json"
    path.write_text(json.dumps({**GOOD_REQUEST, **values}))
    done = run(["lint", "--format", fmt, str(path)], tmp_path)
    assert done.returncode in (0, 1), done.stderr
    assert "The request holds a password (" in done.stdout and where in done.stdout
    assert_clean(done)


@pytest.mark.slow
def test_watch_with_an_identifier_holding_escapes_prints_none_of_them(tmp_path: Path) -> None:
    done = run(["watch", "orders\x1b]0;owned\x07", "--demo"], tmp_path)
    assert done.returncode == 2, done.stderr
    assert "argument ID: ID 'orders\\x1b]0;owned\\x07' may contain only" in done.stderr
    assert_clean(done)
