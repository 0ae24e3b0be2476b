"""The spec: the one model of the database to create, its rules, and its mapping to AWS requests."""

from wizard.spec.model import DatabaseSpec
from wizard.spec.problems import Problem, Severity

__all__ = ["DatabaseSpec", "Problem", "Severity"]
