"""Reading the files a user names (requests, presets, drafts): regular files only, bounded, never hanging.

A path given to `lint`, `plan` or `--preset`, or a file dropped in the presets folder, may be a named
pipe (opening it for reading would wait for a writer forever), a device (/dev/zero never ends), a
directory, something huge, or bytes that are not text. Each is refused with a sentence saying what the
file is; nothing is read past `MAX_BYTES`. Parsed data is refused past `MAX_DEPTH` levels of nesting, so
no later walk over it can run out of stack.
"""

from __future__ import annotations

import errno
import json
import os
import stat
import sys
import tomllib
from pathlib import Path
from typing import Any

from wizard.escaping import shown

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 64
STDIN = "-"
# What the help and the messages call the accepted inputs.
ACCEPTED = "a regular file, or '-' for standard input"


class UnreadableFile(ValueError):
    """A file that cannot be used; `reason` says why in words ("is a named pipe (FIFO), ...")."""

    def __init__(self, source: str | Path, reason: str) -> None:
        self.source = str(source)
        self.reason = reason
        super().__init__(f"{display_name(source)} {reason}")


def display_name(source: str | Path) -> str:
    """The file as messages name it: escaped, and '-' as standard input."""
    return "standard input" if str(source) == STDIN else shown(source)


def _kind_refused(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a directory, not a file"
    if stat.S_ISFIFO(mode):
        return "is a named pipe (FIFO), not a regular file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a regular file"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a regular file"
    return "is not a regular file"


def _open_error(exc: OSError) -> str:
    if exc.errno == errno.ENOENT:
        return "does not exist: check the path"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "cannot be read: permission denied"
    if exc.errno == errno.ELOOP:
        return "is a loop of symbolic links"
    if exc.errno == errno.ENOTDIR:
        return "does not exist: a part of its path is not a folder"
    return f"cannot be read: {exc.strerror or exc}"


def _too_big(size_text: str) -> str:
    return f"is larger than {MAX_BYTES // (1024 * 1024)} MiB ({size_text}): give the file itself, not a " \
           "log or an archive"


def _read_all(fd: int, limit: int) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while total <= limit:
        chunk = os.read(fd, min(65536, limit + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def _read_stdin(limit: int) -> bytes:
    stream = sys.stdin
    if stream is None:
        raise UnreadableFile(STDIN, "is closed")
    try:
        fd = stream.fileno()
    except (AttributeError, OSError, ValueError):  # io.UnsupportedOperation is both the latter
        # Replaced by a stream with no file behind it (an embedding program, a test): read it as text.
        return stream.read(limit + 1).encode("utf-8", "surrogateescape")
    if stat.S_ISDIR(os.fstat(fd).st_mode):
        raise UnreadableFile(STDIN, "is a directory, not a file")
    # A pipe or a terminal is what '-' is for; the bound still holds (`- < /dev/zero` ends).
    return _read_all(fd, limit)


def _read_bytes(source: str | Path, limit: int) -> bytes:
    if str(source) == STDIN:
        return _read_stdin(limit)
    try:
        # O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting for one, so
        # fstat can say what the file is before anything waits on it.
        fd = os.open(source, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise UnreadableFile(source, _open_error(exc)) from exc
    try:
        info = os.fstat(fd)
        refused = _kind_refused(info.st_mode)
        if refused is not None:
            raise UnreadableFile(source, refused)
        if info.st_size > limit:
            raise UnreadableFile(source, _too_big(f"{info.st_size:,} bytes"))
        return _read_all(fd, limit)
    except OSError as exc:
        raise UnreadableFile(source, _open_error(exc)) from exc
    finally:
        os.close(fd)


def read_text_bounded(source: str | Path, limit: int = MAX_BYTES) -> str:
    """The UTF-8 text of a regular file, or of standard input for '-', of at most `limit` bytes.

    UnreadableFile says why not: missing, unreadable, not a regular file (directory, FIFO, device,
    socket; a symbolic link is judged by what it points to), too big, or not UTF-8.
    """
    data = _read_bytes(source, limit)
    if len(data) > limit:
        raise UnreadableFile(source, _too_big("it goes on past that"))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(source, f"is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset "
                                     f"{exc.start}): save it as UTF-8") from exc


def nesting_depth(data: Any, stop_after: int = MAX_DEPTH) -> int:
    """How many levels of lists and tables `data` has, counted without recursion (at most stop_after+1)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        if deepest > stop_after:
            return deepest
        stack.extend((child, depth + 1) for child in children)
    return deepest


def _too_deep(source: str | Path) -> UnreadableFile:
    return UnreadableFile(source, f"is nested more than {MAX_DEPTH} levels deep: no request or preset is")


def _checked_depth(data: Any, source: str | Path) -> Any:
    if nesting_depth(data) > MAX_DEPTH:
        raise _too_deep(source)
    return data


def parse_json(text: str, source: str | Path) -> Any:
    """JSON text parsed; UnreadableFile for invalid JSON or nesting past MAX_DEPTH."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UnreadableFile(source, f"is not valid JSON (line {exc.lineno} column {exc.colno}: "
                                     f"{exc.msg})") from exc
    except RecursionError as exc:
        raise _too_deep(source) from exc
    return _checked_depth(data, source)


def _toml_line_too_deep(line: str) -> bool:
    """Whether a line opens more than MAX_DEPTH levels: dots, brackets and braces outside strings."""
    levels = 0
    quote = ""
    escaped = False
    for char in line:
        if quote:
            if escaped:
                escaped = False
            elif char == "\\" and quote == '"':
                escaped = True
            elif char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char == "#":
            break
        elif char in ".[{":
            levels += 1
    return levels > MAX_DEPTH


def parse_toml(text: str, source: str | Path) -> dict[str, Any]:
    """TOML text parsed; UnreadableFile for invalid TOML or nesting past MAX_DEPTH."""
    # tomllib's work grows with the square of a dotted key's length (`a.a.a...` 100,000 times takes
    # gigabytes), so such a line is refused before parsing; deep arrays end in RecursionError instead.
    if any(_toml_line_too_deep(line) for line in text.splitlines()):
        raise _too_deep(source)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UnreadableFile(source, f"is not valid TOML ({shown(exc)})") from exc
    except RecursionError as exc:
        raise _too_deep(source) from exc
    checked: dict[str, Any] = _checked_depth(data, source)
    return checked
