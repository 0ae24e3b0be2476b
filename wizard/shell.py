"""Command lines the wizard prints for the user to paste: every word quoted so the shell passes it as is.

One rule for every printed command (the AWS CLI export, `psql`/`mysql` lines, `aws secretsmanager`,
`rds-wizard watch ID`): a word that is not plainly safe goes in single quotes. Single quotes are the only
quoting that also stops an interactive bash's history expansion: a Secrets Manager ARN holds `rds!db-`,
and inside double quotes (or bare) bash reads `!db` as "the last command starting with db" and refuses
the whole line.
"""

from __future__ import annotations

import shlex


def quote(word: object) -> str:
    """One word for a POSIX shell: as is when only safe characters, else single-quoted ('' when empty)."""
    return shlex.quote(str(word))


def command(*words: object) -> str:
    """A command line from its words (program first), each word quoted as the shell needs it."""
    return " ".join(quote(word) for word in words)
