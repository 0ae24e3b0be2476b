"""The typed confirmation before anything is created or failed over: the identifier, typed out.

A yes/no is too easy to answer by reflex (or by a key pressed during a long wait) before an action that
bills money or drops connections, so the full-screen wizard, the plain prompts and the line commands all
ask for the identifier, the way the console asks for "delete me", and all accept it by this one rule.
"""

from __future__ import annotations

PROMPT = "Type {identifier} to confirm:"
EMPTY = "Type {identifier} to confirm, or {way_back}."
MISMATCH = "'{typed}' is not {identifier}: type the identifier exactly, or {way_back}."


def identifier_confirmed(typed: str, identifier: str) -> bool:
    """True when `typed` is the identifier. Spaces around it do not count, nor letter case: RDS
    identifiers are case-insensitive (AWS stores them in lowercase)."""
    return bool(identifier) and typed.strip().lower() == identifier.strip().lower()
