"""The exit codes of every `rds-wizard` command, in one place so scripts and tests read the same names."""

from __future__ import annotations

EXIT_OK = 0
# The command ran and found problems: a lint or plan with errors, a launch or test that did not succeed.
EXIT_PROBLEMS = 1
# The command could not run as asked: a bad option or value, a port in use, output that could not be written.
EXIT_USAGE = 2
# Ctrl+C, as a shell reports a process ended by SIGINT (128 + 2).
EXIT_CANCELLED = 130
