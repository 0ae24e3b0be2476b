"""User-supplied text made safe to show: every character a terminal would act on is spelled out.

A preset, a request file, an AWS event or a typed answer may hold an escape sequence that clears the
screen or retitles the window, a newline that forges another line of output, or a bidi override that
makes text read backwards. `shown` writes each such character as Python would in a string literal
(`\\x1b`, `\\n`, `\\u202e`), so the user sees what is there and the terminal acts on none of it.

Backslashes are left alone, so escaping twice changes nothing: messages are escaped where they are
built and again where they are printed, without a value coming out as `\\\\x1b`.
"""

from __future__ import annotations

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape_char(char: str) -> str:
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def shown(value: object) -> str:
    """`value` as text with every non-printable character escaped (controls, C1, DEL, bidi, ...).

    "Printable" is Python's `str.isprintable` (the rule `repr` uses), plus the plain space: it leaves
    letters, accents and emoji as they are and escapes categories Cc, Cf, Cs, Co, Cn, Zl, Zp and Zs.
    """
    text = value if isinstance(value, str) else str(value)
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() or char == " " else _escape_char(char) for char in text)


def shown_lines(text: str) -> str:
    """Several lines of output escaped line by line: the line breaks stay, nothing else gets through."""
    return "\n".join(shown(line) for line in text.split("\n"))
