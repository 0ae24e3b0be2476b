"""The wizard's state without any user interface: what both front ends render and send edits to.

A `WizardSession` owns the spec, the template picked, the parse problems of what was typed, the facts
from the account, the current and furthest reached step, and the labels of the choices loaded. It
answers what a layout asks: each step's and field's problems, whether the user may leave a step, the
Review rows, drafts. The Textual screens and the plain prompts keep no wizard state of their own (the
AWS CLI v2 wizards keep their traverser apart from their layout the same way). Neither Textual nor
questionary is imported here; pydantic (the model) only when the spec is first used.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from wizard.spec.values import ENGINE_STEP_DEFAULTS
from wizard.steps import STEP_KEYS, STEPS, Step, StepField, step_by_key, step_for_field

if TYPE_CHECKING:
    from wizard.catalog import AccountFacts
    from wizard.choices import Choice
    from wizard.spec.model import DatabaseSpec
    from wizard.spec.problems import Problem

TEMPLATE_PATH = "template"

# Sources whose choices come from the account (a network round trip the first time).
CATALOG_SOURCES = frozenset({"engine_versions", "instance_classes", "storage_types", "vpcs", "subnet_groups",
                             "security_groups", "availability_zones", "parameter_groups", "option_groups"})

PASSWORD_SET = "(typed twice, hidden)"
PASSWORD_UNSET = "(not set)"
REVIEW_EMPTY = "- (not set: RDS default)"


def belongs_to(problem: Problem, path: str) -> bool:
    """Whether a problem is about the field at `path` (or a part of it: `tags.Name` of `tags`)."""
    return problem.field == path or problem.field.startswith(path + ".")


class ReviewRow(NamedTuple):
    """One setting as Review shows it: its field, step, label and the value as text."""

    path: str
    step_key: str
    label: str
    value: str


class WizardSession:
    """One walk through the wizard: the answers, their problems and where the user is."""

    def __init__(self, spec: DatabaseSpec | None = None, *, reached: int = 0) -> None:
        self._spec = spec
        self.template: str | None = None
        self.current = 0
        self.reached = reached
        self.facts: AccountFacts | None = None
        # What could not be parsed, by field: it replaces the rules' verdict on that field.
        self.parse_problems: dict[str, Problem] = {}
        # Problems only a front end can see (a password confirmation that differs), by field.
        self.local_problems: dict[str, list[Problem]] = {}
        self._choices: dict[str, list[Choice]] = {}
        self._problems: list[Problem] | None = None

    # ----- the spec ---------------------------------------------------------------------------

    @property
    def spec(self) -> DatabaseSpec:
        """The answers so far; made on first use (the model loads after a front end's first frame)."""
        if self._spec is None:
            from wizard.spec.model import DatabaseSpec

            self._spec = DatabaseSpec()
        return self._spec

    @spec.setter
    def spec(self, spec: DatabaseSpec) -> None:
        self._spec = spec
        self.parse_problems.clear()
        self._problems = None

    @property
    def spec_loaded(self) -> bool:
        """Whether the spec (and so the model) exists yet."""
        return self._spec is not None

    def value_of(self, path: str) -> Any:
        """The value a field shows (the template lives beside the spec, not in it). Before the spec
        exists, the engine step's defaults: a front end paints its first step without loading the model."""
        if path == TEMPLATE_PATH:
            return self.template
        if self._spec is None and path in ENGINE_STEP_DEFAULTS:
            return ENGINE_STEP_DEFAULTS[path]
        from wizard.spec.fields import get_value

        return get_value(self.spec, path)

    def edit(self, path: str, raw: Any) -> Problem | None:
        """Set a field from what the user typed or picked; the problem if it does not parse."""
        from wizard.spec.fields import set_value

        problem = set_value(self.spec, path, raw)
        if problem is None:
            self.parse_problems.pop(path, None)
        else:
            self.parse_problems[path] = problem
        self._problems = None
        return problem

    def apply_template(self, name: str) -> None:
        """Fill the later steps from a template (a preset), keeping the identifier and the password.

        Raises what the preset loader raises (PresetError); the answers are untouched then."""
        self._replace_from_preset(name, keep_identity=True)
        self.template = name

    def load_preset(self, name: str) -> None:
        """Replace every answer with a preset; every step becomes reachable."""
        self._replace_from_preset(name, keep_identity=False)
        self.template = None
        self.reached = len(STEPS) - 1

    def _replace_from_preset(self, name: str, keep_identity: bool) -> None:
        from presets import load_preset

        spec = load_preset(name)
        if keep_identity:
            if self.spec.settings.identifier:
                spec.settings.identifier = self.spec.settings.identifier
            spec.settings.master_password = self.spec.settings.master_password
        self.spec = spec

    # ----- choices and facts --------------------------------------------------------------------

    @staticmethod
    def needs_account(step_field: StepField) -> bool:
        """Whether the field's choices come from the account (a round trip the first time)."""
        return step_field.source in CATALOG_SOURCES

    def remember_choices(self, path: str, choices: Sequence[Choice]) -> None:
        """The choices a front end loaded for a field: Review shows the picked one's label."""
        self._choices[path] = list(choices)

    def choice_label(self, step_field: StepField) -> str | None:
        """The label of the picked choice ("Multi-AZ DB instance"), where the choices were loaded."""
        choices = self._choices.get(step_field.path)
        if not choices:
            return None
        value = self.value_of(step_field.path)
        if value is None:
            return None
        values = value if isinstance(value, list) else [value]
        labels = {str(c.value): c.label for c in choices}
        if step_field.kind == "multi-choice":
            return ", ".join(labels.get(str(v), str(v)) for v in values) or None
        return labels.get(str(value))

    def set_facts(self, facts: AccountFacts | None) -> None:
        """What the rules may know of the account (None: the checks that need it are skipped)."""
        self.facts = facts
        self._problems = None

    # ----- problems -----------------------------------------------------------------------------

    def invalidate(self) -> None:
        """Check again on the next question (a front end's local problems changed)."""
        self._problems = None

    @property
    def problems(self) -> list[Problem]:
        """Every problem: the rules', with a parse problem replacing the rules' on the same field."""
        if self._problems is None:
            from wizard.spec.rules import validate

            spec = self.spec
            visible = {f.path for step in STEPS for f in step.visible_fields(spec)}
            parse = {path: p for path, p in self.parse_problems.items() if path in visible}
            found = [p for p in validate(spec, self.facts) if p.field not in parse]
            found.extend(parse.values())
            for path, extra in self.local_problems.items():
                if path in visible:
                    found.extend(extra)
            self._problems = found
        return self._problems

    def field_problems(self, path: str) -> list[Problem]:
        """The problems about one field."""
        return [p for p in self.problems if belongs_to(p, path)]

    def step_problems(self, key: str) -> list[Problem]:
        """The problems that belong to one step."""
        return [p for p in self.problems if step_for_field(p.field).key == key]

    def step_errors(self) -> dict[str, int]:
        """How many errors each step has, by step key."""
        counts = dict.fromkeys(STEP_KEYS, 0)
        for problem in self.problems:
            if problem.is_error:
                counts[step_for_field(problem.field).key] += 1
        return counts

    def can_leave(self, key: str | None = None) -> bool:
        """Whether the user may go Next from a step (the current one by default): no error in it."""
        key = key if key is not None else self.step.key
        return not any(p.is_error for p in self.step_problems(key))

    def can_launch(self) -> bool:
        """Whether nothing anywhere blocks the launch."""
        return not any(p.is_error for p in self.problems)

    def unshown_errors(self, key: str, shown_paths: Iterable[str]) -> list[Problem]:
        """A step's errors no field among `shown_paths` shows (a rule about a combination)."""
        paths = list(shown_paths)
        return [p for p in self.step_problems(key) if p.is_error and not any(belongs_to(p, f) for f in paths)]

    # ----- steps --------------------------------------------------------------------------------

    @property
    def step(self) -> Step:
        """The step the user is on."""
        return STEPS[self.current]

    def go_to(self, index: int) -> None:
        """Stand on the step at `index`; it and every step before it count as reached."""
        self.current = index
        self.reached = max(self.reached, index)

    def may_jump(self, key: str) -> bool:
        """Whether a step may be jumped to (one already reached)."""
        return STEP_KEYS.index(key) <= self.reached

    def next_step(self) -> bool:
        """Go Next if the current step has no error (and is not the last); whether it moved."""
        if self.current >= len(STEPS) - 1 or not self.can_leave():
            return False
        self.go_to(self.current + 1)
        return True

    def back_step(self) -> bool:
        """Go Back unless on the first step; whether it moved."""
        if self.current == 0:
            return False
        self.current -= 1
        return True

    # ----- review -------------------------------------------------------------------------------

    def review_rows(self) -> list[ReviewRow]:
        """Every visible setting but the template, by step, with its value as Review shows it."""
        from wizard.spec.fields import display_value

        spec = self.spec
        rows = []
        for step in STEPS:
            for step_field in step.visible_fields(spec):
                if step_field.kind == "template":
                    continue
                if step_field.kind == "password":
                    value = PASSWORD_SET if spec.settings.master_password else PASSWORD_UNSET
                else:
                    value = self.choice_label(step_field) or display_value(spec, step_field.path)
                    value = value or REVIEW_EMPTY
                rows.append(ReviewRow(step_field.path, step.key, step_field.label, value))
        return rows

    def problem_step_numbers(self) -> dict[str, str]:
        """For each problem's field, the number of the step that asks for it (Review's jump links)."""
        return {p.field: str(STEP_KEYS.index(step_for_field(p.field).key) + 1) for p in self.problems}

    # ----- drafts -------------------------------------------------------------------------------

    def save_draft(self, step_key: str | None = None) -> None:
        """Keep the answers (never the password) and the step as a draft; OSError if it cannot."""
        from wizard.drafts import save_draft

        save_draft(self.spec, step_key if step_key is not None else self.step.key)

    def restore(self, spec: DatabaseSpec, step_key: str) -> None:
        """Continue a draft: its answers, standing on its step (reached, with every step before)."""
        self.spec = spec
        index = STEP_KEYS.index(step_key) if step_key in STEP_KEYS else 0
        self.reached = index
        self.current = index


def draft_step(step_key: str) -> Step:
    """The step a draft names, or the first step if it names none the wizard has."""
    return step_by_key(step_key) if step_key in STEP_KEYS else STEPS[0]
