"""The plain front end: the wizard's steps as line-by-line prompts (questionary), for thin SSH sessions,
screen readers and `TERM=dumb` terminals; plain numbered prompts when standard input is not a terminal,
so a script can pipe its answers one per line.

It walks `wizard.steps.STEPS` in order with the same defaults, choices and messages as the screens
(`wizard.choices`, `wizard.spec.fields`, `wizard.spec.rules`), refuses to leave a step that has an
error, ends with a Review that prints the settings, the problems and the equivalent AWS CLI command,
and then launches, follows the provisioning as lines and offers the failover test. Ctrl+C exits with
code 130 and keeps a draft (never the password). Textual is never imported here.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TextIO

from wizard.escaping import shown, shown_lines
from wizard.exit_codes import EXIT_CANCELLED, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE
from wizard.session import WizardSession, draft_step
from wizard.spec.values import format_value
from wizard.steps import SINGLE_CHOICE_KINDS, STEPS, Step, StepField, step_for_field
from wizard.teaching import step_teaching

if TYPE_CHECKING:
    from wizard.aws.drills import Drill
    from wizard.aws.gateway import Gateway
    from wizard.catalog import AccountFacts
    from wizard.choices import Choice
    from wizard.spec.model import DatabaseSpec
    from wizard.spec.problems import Problem

ERROR_MARK = "✗"
WARNING_MARK = "!"


@dataclass(frozen=True)
class Option:
    """One entry of a select or checkbox: what is shown, a description, and why it is unavailable."""

    label: str
    description: str = ""
    disabled_reason: str | None = None


class Prompter(Protocol):
    """How a question is put to the user. Each method raises KeyboardInterrupt (or EOFError) to cancel."""

    def text(self, label: str, default: str) -> str:
        """A line of text, `default` offered for editing."""
        ...

    def select(self, label: str, options: Sequence[Option], default: int) -> int:
        """The index of one option."""
        ...

    def checkbox(self, label: str, options: Sequence[Option], checked: Sequence[int]) -> list[int]:
        """The indexes of any number of options."""
        ...

    def confirm(self, label: str, default: bool) -> bool:
        """Yes or no, never answered by keys typed before it was asked."""
        ...

    def typed(self, label: str) -> str:
        """A line typed out in full (no default), never answered by keys typed before it was asked."""
        ...

    def password(self, label: str) -> str:
        """A masked line."""
        ...


def drop_typed_ahead(stream: TextIO | None = None) -> bool:
    """Throw away the keys typed at a terminal but not yet read: an Enter pressed while the database was
    being created must not answer the next yes/no question. Nothing is dropped from a pipe or a file
    (answers piped in are meant for the questions, in order). True when `stream` is a terminal."""
    stream = stream if stream is not None else sys.stdin
    try:
        if not stream.isatty():
            return False
        import termios

        termios.tcflush(stream.fileno(), termios.TCIFLUSH)
    except (OSError, ValueError, ImportError):  # closed, not a real descriptor, or no termios (Windows)
        return False
    return True


class QuestionaryPrompter:
    """Questions asked with questionary (prompt_toolkit): arrow keys, masking, search in long lists.

    `terminal` is the stream whose typed-ahead keys are dropped before a yes/no or a typed confirmation
    (standard input by default)."""

    def __init__(self, terminal: TextIO | None = None) -> None:
        self._terminal = terminal

    def _drop_typed_ahead(self) -> None:
        if drop_typed_ahead(self._terminal):
            # Keys prompt_toolkit read past the end of the previous question, kept for the next one.
            from prompt_toolkit.application.current import get_app_session
            from prompt_toolkit.input.typeahead import clear_typeahead

            clear_typeahead(get_app_session().input)

    def text(self, label: str, default: str) -> str:
        """A line of text, `default` prefilled for editing."""
        import questionary

        return str(questionary.text(label, default=default).unsafe_ask())

    def select(self, label: str, options: Sequence[Option], default: int) -> int:
        """An arrow-key list; long lists can be filtered by typing."""
        import questionary

        choices = [questionary.Choice(o.label, value=str(i), disabled=o.disabled_reason,
                                      description=o.description or None) for i, o in enumerate(options)]
        searchable = len(options) > 12
        answer = questionary.select(label, choices=choices, default=str(default),
                                    use_search_filter=searchable, use_jk_keys=not searchable).unsafe_ask()
        return int(answer)

    def checkbox(self, label: str, options: Sequence[Option], checked: Sequence[int]) -> list[int]:
        """A list with space to toggle and Enter to accept."""
        import questionary

        choices = [questionary.Choice(o.label, value=str(i), disabled=o.disabled_reason, checked=i in checked,
                                      description=o.description or None) for i, o in enumerate(options)]
        return [int(v) for v in questionary.checkbox(label, choices=choices).unsafe_ask()]

    def confirm(self, label: str, default: bool) -> bool:
        """y or n; Enter takes the default. Keys typed before the question are dropped first."""
        import questionary

        self._drop_typed_ahead()
        return bool(questionary.confirm(label, default=default).unsafe_ask())

    def typed(self, label: str) -> str:
        """A line typed after the question shows (keys typed before it are dropped)."""
        import questionary

        self._drop_typed_ahead()
        return str(questionary.text(label).unsafe_ask())

    def password(self, label: str) -> str:
        """A masked line."""
        import questionary

        return str(questionary.password(label).unsafe_ask())


def ask_drill(prompter: Prompter, drills: tuple[Drill, ...]) -> Drill:
    """Which failover drill (asked only where more than the forced one runs: the demo); forced first."""
    from wizard.aws.drills import DRILL_LABELS

    return drills[prompter.select("Which failover drill?", [Option(DRILL_LABELS[d]) for d in drills], 0)]


class LinePrompter:
    """Numbered questions read one line at a time: for piped answers and the simplest terminals.

    Enter keeps the offered answer; `-` clears an optional one. A choice is picked by its number or by
    its text. The end of the input cancels, like Ctrl+C.
    """

    def __init__(self, stdin: TextIO | None = None, stdout: TextIO | None = None) -> None:
        self._in = stdin if stdin is not None else sys.stdin
        self._out = stdout if stdout is not None else sys.stdout

    def _read(self, prompt: str) -> str:
        self._out.write(shown_lines(prompt))
        self._out.flush()
        line = self._in.readline()
        if not line:
            self._out.write("\n")
            raise EOFError
        answer = line.rstrip("\r\n")
        if not self._in.isatty():
            # Piped answers are not echoed by a terminal: echo them so the transcript reads in order.
            self._out.write(shown(answer) + "\n")
        return answer

    def _say(self, line: str) -> None:
        self._out.write(shown_lines(line) + "\n")

    def text(self, label: str, default: str) -> str:
        """The typed line; Enter keeps `default`, `-` clears it."""
        answer = self._read(f"{label} [{default}]: " if default else f"{label}: ").strip()
        if answer == "-":
            return ""
        return answer or default

    def _list(self, options: Sequence[Option]) -> None:
        for i, option in enumerate(options, 1):
            extra = f" - {option.description}" if option.description else ""
            if option.disabled_reason:
                self._say(f"   {i:>2}) {option.label} (unavailable: {option.disabled_reason})")
            else:
                self._say(f"   {i:>2}) {option.label}{extra}")

    def _pick(self, token: str, options: Sequence[Option]) -> int | None:
        token = token.strip()
        if token.isdigit() and 1 <= int(token) <= len(options):
            index = int(token) - 1
        else:
            matches = [i for i, o in enumerate(options) if o.label.lower() == token.lower()]
            if not matches:
                matches = [i for i, o in enumerate(options) if o.label.lower().startswith(token.lower())]
            if len(matches) != 1:
                return None
            index = matches[0]
        return None if options[index].disabled_reason else index

    def select(self, label: str, options: Sequence[Option], default: int) -> int:
        """A number (or the option's text); Enter keeps the default."""
        self._list(options)
        while True:
            answer = self._read(f"{label} [{default + 1}) {options[default].label}]: ").strip()
            if not answer:
                return default
            index = self._pick(answer, options)
            if index is not None:
                return index
            self._say(f"{ERROR_MARK} Type one of the available numbers 1-{len(options)}.")

    def checkbox(self, label: str, options: Sequence[Option], checked: Sequence[int]) -> list[int]:
        """Numbers separated by commas; Enter keeps the current ones, `-` picks none."""
        self._list(options)
        current = ",".join(str(i + 1) for i in checked) or "none"
        while True:
            answer = self._read(f"{label} (numbers, comma-separated) [{current}]: ").strip()
            if not answer:
                return list(checked)
            if answer == "-":
                return []
            picked = [self._pick(token, options) for token in answer.split(",") if token.strip()]
            if all(p is not None for p in picked):
                return sorted({p for p in picked if p is not None})
            self._say(f"{ERROR_MARK} Type available numbers 1-{len(options)}, separated by commas.")

    def confirm(self, label: str, default: bool) -> bool:
        """y or n; Enter takes the default. On a terminal, lines typed before the question are dropped."""
        drop_typed_ahead(self._in)
        while True:
            answer = self._read(f"{label} [{'Y/n' if default else 'y/N'}]: ").strip().lower()
            if not answer:
                return default
            if answer in ("y", "yes"):
                return True
            if answer in ("n", "no"):
                return False
            self._say(f"{ERROR_MARK} Answer y or n.")

    def typed(self, label: str) -> str:
        """The typed line (no default); on a terminal, lines typed before the question are dropped."""
        drop_typed_ahead(self._in)
        return self._read(f"{label} ").strip()

    def password(self, label: str) -> str:
        """A line, never echoed."""
        if self._in is sys.stdin and sys.stdin.isatty():
            import getpass

            return getpass.getpass(f"{label}: ")
        self._out.write(f"{label}: ")
        self._out.flush()
        line = self._in.readline()
        if not line:
            self._out.write("\n")
            raise EOFError
        self._out.write("********\n")
        return line.rstrip("\r\n")


def _choice_option(choice: Choice) -> Option:
    """A choice as a prompt option: its label (with its group) and why it is unavailable."""
    label = choice.label if not choice.group else f"{choice.label}  [{choice.group}]"
    return Option(label, choice.description, choice.disabled_reason)


class PlainWizard:
    """The six steps as prompts over one wizard session (which holds every answer) and one gateway."""

    def __init__(self, spec: DatabaseSpec, gateway: Gateway, prompter: Prompter,
                 say: Callable[[str], None] | None = None) -> None:
        self.session = WizardSession(spec)
        self.gateway = gateway
        self.prompter = prompter
        self.say: Callable[[str], None] = say or (lambda line: print(line, flush=True))
        self.launched = False  # once created, Ctrl+C keeps no draft: there is nothing left to resume
        self._loaded: set[str] = set()
        self._announced: set[tuple[str, str]] = set()

    @property
    def spec(self) -> DatabaseSpec:
        """The answers so far (the session's)."""
        return self.session.spec

    # -- look-ups --------------------------------------------------------------------------------

    def choices(self, field: StepField) -> list[Choice]:
        """The field's choices, saying so first when they need the account."""
        from wizard.choices import choices_for

        if self.session.needs_account(field) and field.source not in self._loaded:
            self.say(f"Loading the {field.label} choices ...")
            self._loaded.add(str(field.source))
        choices = choices_for(field, self.spec, self.gateway.catalog)
        self.session.remember_choices(field.path, choices)
        return choices

    def facts(self) -> AccountFacts | None:
        """What the rules may know of the account; None when it cannot be looked up."""
        from wizard.choices import account_facts

        try:
            return account_facts(self.spec, self.gateway.catalog)
        except Exception as exc:  # a failed look-up must not stop the wizard: the offline rules still run
            self.say(f"{WARNING_MARK} Could not look up the account ({type(exc).__name__}: {exc}); "
                     "the checks that need it are skipped.")
            return None

    def problems(self) -> list[Problem]:
        """Every problem the rules find in the spec as it stands (the account looked up again)."""
        self.session.set_facts(self.facts())
        return self.session.problems

    # -- fields ----------------------------------------------------------------------------------

    def _current_value(self, field: StepField) -> Any:
        return self.session.value_of(field.path)

    def _prompt_choice(self, field: StepField, label: str) -> Any:
        from wizard.choices import Choice, default_choice

        current = self._current_value(field)
        try:
            choices = self.choices(field)
        except Exception as exc:  # the account could not be asked: the value can still be typed
            from wizard.aws import explain

            self.say(f"{ERROR_MARK} Could not load the {field.label.lower()} choices: {explain(exc).title}")
            if field.kind == "template":
                return None
            self.say("  Type the value instead (several separated by commas).")
            return self.prompter.text(label, format_value(current))
        if field.kind == "multi-choice":
            if not choices:
                self.say(f"  No {field.label.lower()} to choose from here; nothing is picked.")
                return current
            selected = set(current or [])
            options = [_choice_option(c) for c in choices]
            checked = [i for i, c in enumerate(choices) if c.enabled and c.value in selected]
            return [choices[i].value for i in self.prompter.checkbox(label, options, checked)]
        if field.optional:
            # Leaving an optional choice unset is an answer too: RDS's default (or, for a template, none).
            none_label = ("None: keep the answers as they are" if field.kind == "template"
                          else "No preference (RDS chooses)")
            choices = [Choice("", none_label), *choices]
        enabled = [i for i, c in enumerate(choices) if c.enabled]
        if not enabled:
            reason = next((c.disabled_reason for c in choices if c.disabled_reason), "")
            self.say(f"{ERROR_MARK} No {field.label.lower()} can be chosen: {reason}")
            return current
        default = next((i for i in enabled if current not in (None, "") and choices[i].value == current),
                       None)
        if default is None and field.kind != "template":
            preferred = default_choice(field, self.spec, self.gateway.catalog)
            if preferred is not None:
                default = next((i for i in enabled if choices[i].value == preferred.value), None)
        if default is None:
            default = enabled[0]
        index = self.prompter.select(label, [_choice_option(c) for c in choices], default)
        return choices[index].value

    def _prompt_password(self, label: str) -> str:
        while True:
            first = self.prompter.password(label)
            second = self.prompter.password(f"{label} (again)")
            if first == second:
                return first
            self.say(f"{ERROR_MARK} {label}: the two entries differ. Type the same password twice.")

    def prompt(self, field: StepField) -> Any:
        """Ask one field; the raw answer for `set_value`."""
        label = field.label + ("" if not field.optional else " (optional)")
        if (field.kind in SINGLE_CHOICE_KINDS or field.kind == "multi-choice") and field.source:
            return self._prompt_choice(field, label)
        if field.kind == "toggle":
            return self.prompter.confirm(label, bool(self._current_value(field)))
        if field.kind == "password":
            return self._prompt_password(label)
        current = format_value(self._current_value(field))
        if not current:
            from wizard.choices import default_choice

            preferred = default_choice(field, self.spec, self.gateway.catalog)
            if preferred is not None:
                label += f" (empty: {preferred.value})"
            elif field.placeholder:
                label += f" (e.g. {field.placeholder})"
        return self.prompter.text(label, current)

    def field_errors(self, field: StepField) -> list[Problem]:
        """The errors the rules attach to this field (the account looked up again)."""
        self.session.set_facts(self.facts())
        return [p for p in self.session.field_problems(field.path) if p.is_error]

    def ask(self, field: StepField) -> None:
        """Ask a field until its answer parses and breaks no rule of its own."""
        self.say(f"  {field.help}")
        while True:
            raw = self.prompt(field)
            if field.kind == "template":
                self.apply_template(str(raw) if raw else None)
                return
            problem = self.session.edit(field.path, raw)
            if problem is not None:
                self.say(f"{ERROR_MARK} {problem.message}")
                continue
            errors = self.field_errors(field)
            if not errors:
                return
            for error in errors:
                self.say(f"{ERROR_MARK} {error.message}")

    def apply_template(self, name: str | None) -> None:
        """Fill the later steps from a template (a preset), keeping the identifier and the password."""
        if not name or name == self.session.template:
            return
        try:
            self.session.apply_template(name)
        except Exception as exc:  # a broken preset is reported; the answers so far stay
            self.say(f"{ERROR_MARK} The template {name} could not be loaded: {exc}")
            return
        self.say(f"Applied the template {name}: the next questions offer its answers.")

    # -- steps -----------------------------------------------------------------------------------

    def run_step(self, step: Step) -> None:
        """Ask every field of a step, then re-ask any field the rules still refuse."""
        number = [s.key for s in STEPS].index(step.key) + 1
        self.say("")
        self.say(f"Step {number} of {len(STEPS)}: {step.title}")
        self.say(step.purpose)
        teaching = step_teaching(step.key)
        if teaching is not None:
            title, lines = teaching
            self.say(title)
            for line in lines:
                self.say(line)
        asked: set[str] = set()
        advanced = False
        while True:
            # Visibility follows the answers (a self-managed password appears once chosen).
            visible = [f for f in step.visible_fields(self.spec) if advanced or not f.advanced]
            pending = next((f for f in visible if f.path not in asked), None)
            if pending is not None:
                asked.add(pending.path)
                self.ask(pending)
                continue
            hidden = [f for f in step.visible_fields(self.spec) if f.advanced and f.path not in asked]
            if advanced or not hidden:
                break
            names = ", ".join(f.label for f in hidden)
            advanced = self.prompter.confirm(f"Change the advanced settings ({names})?", False)
            if not advanced:
                break
        self.settle(step)

    def settle(self, step: Step) -> None:
        """Refuse to leave the step while it has an error: show each and re-ask its field."""
        while True:
            self.problems()
            fields = step.visible_fields(self.spec)
            failing = [(f, [p for p in self.session.field_problems(f.path) if p.is_error]) for f in fields]
            failing = [(f, errors) for f, errors in failing if errors]
            if not failing:
                break
            field, errors = failing[0]
            for error in errors:
                self.say(f"{ERROR_MARK} {field.label}: {error.message}")
            self.ask(field)
        paths = {f.path for f in step.visible_fields(self.spec)}
        keys = [s.key for s in STEPS]
        for problem in self.problems():
            owner = step_for_field(problem.field)
            if problem.is_error and keys.index(owner.key) < keys.index(step.key):
                # An answer here broke an earlier step's setting: say so once; Review offers the way back.
                if (problem.field, problem.message) not in self._announced:
                    self._announced.add((problem.field, problem.message))
                    self.say(f"{ERROR_MARK} {owner.title}: {problem.message} "
                             "(Review lets you change that step.)")
            elif not problem.is_error and problem.field in paths:
                self.say(f"{WARNING_MARK} {problem.message}")

    # -- review ----------------------------------------------------------------------------------

    def _load_labels(self) -> None:
        """Load the choices of every shown choice field not asked yet (a preset or a draft answered it),
        so Review names what was picked by its label; the value itself shows where they cannot load."""
        for step in STEPS[:-1]:
            for field in step.visible_fields(self.spec):
                if field.source and field.kind != "template" and not self.session.choice_label(field):
                    try:
                        self.choices(field)
                    except Exception:  # the label is a nicety: the value itself is shown instead
                        continue

    def print_review(self, problems: Sequence[Problem]) -> None:
        """The settings grouped by step, the problems, and the equivalent AWS CLI command."""
        from wizard.cost import COST_NOTE, NO_ESTIMATE, estimate_spec
        from wizard.exports import export

        self.say("")
        self.say(f"Step {len(STEPS)} of {len(STEPS)}: Review")
        self._load_labels()
        rows = self.session.review_rows()
        for step in STEPS[:-1]:
            self.say(f"{step.title}:")
            for row in rows:
                if row.step_key == step.key:
                    self.say(f"  {row.label}: {row.value}")
        errors = [p for p in problems if p.is_error]
        warnings = [p for p in problems if not p.is_error]
        for problem in errors:
            self.say(f"{ERROR_MARK} {step_for_field(problem.field).title}: {problem.message}")
        for problem in warnings:
            self.say(f"{WARNING_MARK} {problem.message}")
        cost = estimate_spec(self.spec)
        self.say("")
        self.say("Monthly cost estimate: " + (
            f"{cost.headline} ({cost.breakdown})" if cost is not None
            else NO_ESTIMATE.format(instance_class=self.spec.instance.instance_class)))
        self.say(f"  {COST_NOTE}")
        identity = self.gateway.identity()
        endpoint = identity.endpoint if identity.label != "AWS" else None
        self.say("")
        self.say("The equivalent AWS CLI command:")
        self.say(export(self.spec, "cli", endpoint_url=endpoint, region=identity.region).rstrip("\n"))

    def review(self) -> int:
        """Review, then launch, save a preset, change a step or stop (keeping the draft)."""

        while True:
            self.session.go_to(len(STEPS) - 1)
            self.session.save_draft()
            problems = self.problems()
            self.print_review(problems)
            errors = [p for p in problems if p.is_error]
            actions: list[tuple[str, str]] = []
            if not errors:
                actions.append(("launch", "Launch: create the database now"))
            actions += [("preset", "Save as preset"), ("change", "Change a step"),
                        ("quit", "Quit (the answers stay as a draft)")]
            default = 0
            if errors:
                default = 1
            choice = actions[self.prompter.select("What next?", [Option(label) for _, label in actions],
                                                  default)][0]
            if choice == "launch":
                outcome = self.launch()
                if outcome is not None:
                    return outcome
                continue  # not created: back to Review, as launch's empty line promises
            if choice == "preset":
                self.save_preset()
            elif choice == "change":
                first = step_for_field(errors[0].field).key if errors else STEPS[0].key
                steps = STEPS[:-1]
                index = self.prompter.select("Which step?", [Option(s.title) for s in steps],
                                             [s.key for s in steps].index(first) if first in
                                             [s.key for s in steps] else 0)
                self.run_step(steps[index])
            else:
                self.say("Stopped. Your answers are kept as a draft; run rds-wizard again to resume.")
                return EXIT_OK

    def save_preset(self) -> None:
        """Save the spec (never its password) as a user preset."""
        from presets import save_preset
        from wizard.shell import command as shell_command

        default = self.spec.settings.identifier or "my-database"
        while True:
            name = self.prompter.text("Preset name (or a file path)", default).strip()
            if not name:
                self.say(f"{ERROR_MARK} Preset name: type a name such as {default}.")
                continue
            try:
                path = save_preset(self.spec, name)
            except (OSError, ValueError) as exc:
                self.say(f"{ERROR_MARK} Could not save the preset: {exc}")
                continue
            self.say(f"Saved the preset to {path} (without any password).")
            self.say(f"Use it with: {shell_command('rds-wizard', '--preset', name)}   or   "
                     f"{shell_command('rds-wizard', 'launch', '--preset', name)}")
            return

    # -- launch ----------------------------------------------------------------------------------

    def launch(self) -> int | None:
        """Create the database, follow it as lines, then offer the failover test; None: back to Review."""
        from wizard import drafts
        from wizard.launch import LaunchError, launch

        kind = "cluster" if self.spec.is_cluster else "instance"
        identity = self.gateway.identity()
        demo = identity.label == "DEMO"
        identifier = self.spec.settings.identifier
        self.say(f"This creates the DB {kind} {identifier} in {identity.summary()}."
                 + ("" if demo else " It is billed to this account until you delete it."))
        if not self.confirm_identifier(identifier):
            self.say("Not created.")
            return None
        self.say(f"Creating the DB {kind} {identifier} ...")
        try:
            result = launch(self.spec, self.gateway, on_wait=self.say)
        except LaunchError as exc:
            # Nothing was created: back to Review, where the setting can be changed.
            self.say(f"{ERROR_MARK} {exc.render()}")
            return None
        drafts.discard_draft()
        self.launched = True
        from wizard.plain_progress import failover_lines, follow_lines

        outcome = follow_lines(result, self.gateway, self.say)
        if outcome != EXIT_OK or not self.spec.is_multi_az:
            return outcome
        if not self.prompter.confirm("Run the guided failover test now (forces a failover and measures "
                                     "the downtime)?", False):
            from wizard.targets import rerun_command, target_of

            if target_of(self.gateway) != "demo":
                self.say(f"Later: {rerun_command(self.gateway, 'failover-test', result.identifier)}")
            return EXIT_OK
        return failover_lines(result.identifier, result.kind, self.gateway, self.prompter.typed, self.say,
                              choose_drill=lambda drills: ask_drill(self.prompter, drills))

    def confirm_identifier(self, identifier: str) -> bool:
        """The launch's typed confirmation (`wizard.confirmation`, as the full-screen wizard asks it): the
        identifier, typed after the question shows; an empty line goes back."""
        from wizard.confirmation import MISMATCH, PROMPT, identifier_confirmed

        way_back = "an empty line to go back to Review"
        while True:
            typed = self.prompter.typed(f"{PROMPT.format(identifier=identifier)} ({way_back})").strip()
            if not typed:
                return False
            if identifier_confirmed(typed, identifier):
                return True
            shown = "".join(c if c.isprintable() else "?" for c in typed)
            self.say(f"{ERROR_MARK} {MISMATCH.format(typed=shown, identifier=identifier, way_back=way_back)}")

    # -- the whole walk ----------------------------------------------------------------------------

    def run(self, start: str = STEPS[0].key) -> int:
        """Walk the steps from `start`, then review."""

        keys = [s.key for s in STEPS]
        for step in STEPS[keys.index(start):-1]:
            self.session.go_to(keys.index(step.key))
            self.run_step(step)
            self.session.save_draft(keys[keys.index(step.key) + 1])
        return self.review()


def _terminal_say(line: str) -> None:
    """Print a line; on a terminal, long prose wraps at a word (the CLI command is left whole to copy)."""
    if sys.stdout.isatty():
        import shutil
        import textwrap

        width = shutil.get_terminal_size().columns
        if len(line) > width and not line.lstrip().startswith(("aws ", "--", "#", "psql ", "mysql ")):
            indent = " " * (len(line) - len(line.lstrip()))
            line = textwrap.fill(line, width=width, subsequent_indent=indent + "  ",
                                 break_long_words=False, break_on_hyphens=False)
    print(shown_lines(line), flush=True)


def make_prompter(stdin: TextIO | None = None) -> Prompter:
    """questionary on a terminal; numbered line prompts when input or output is a pipe or a file."""
    stream = stdin if stdin is not None else sys.stdin
    if stream.isatty() and sys.stdout.isatty():
        return QuestionaryPrompter()
    return LinePrompter(stream)


def _initial_spec(args: argparse.Namespace, prompter: Prompter,
                  say: Callable[[str], None]) -> tuple[DatabaseSpec, str]:
    """The spec to start from: a preset, a resumed draft, or the defaults; and the step to start at."""
    from wizard import drafts
    from wizard.spec.model import DatabaseSpec

    preset = getattr(args, "preset", None)
    if preset:
        from presets import load_preset

        # A preset answers every step: straight to Review, where any step can still be changed.
        return load_preset(preset), "review"
    draft = drafts.load_draft()
    if draft is not None:
        step = draft_step(draft.step_key)
        when = draft.saved_at.strftime("%Y-%m-%d %H:%M UTC")
        say(f"Found an unfinished wizard saved {when}, at the step {step.title}.")
        if prompter.confirm("Resume it (no: start over)?", True):
            return draft.spec, step.key
        drafts.discard_draft()
    return DatabaseSpec(), STEPS[0].key


def run_plain(args: argparse.Namespace, prompter: Prompter | None = None,
              say: Callable[[str], None] | None = None) -> int:
    """The plain wizard from start to finish; the exit code (130 when cancelled, with a draft kept)."""
    from wizard.aws import ConnectionOptions, explain, open_gateway

    out: Callable[[str], None] = say or _terminal_say
    prompter = prompter or make_prompter()
    opts = ConnectionOptions.from_args(args)
    out("rds-wizard (plain mode). Ctrl+C stops at any time and keeps your answers as a draft.")
    try:
        # The preset or draft first: a bad preset is reported before any connection is made.
        spec, start = _initial_spec(args, prompter, out)
    except ValueError as exc:  # PresetError: a preset that cannot be read or does not fit
        out(f"{ERROR_MARK} {exc}")
        return EXIT_USAGE
    except (KeyboardInterrupt, EOFError):
        out("Cancelled.")
        return EXIT_CANCELLED
    out("Starting the demo AWS ..." if opts.demo else "Connecting to AWS ...")
    try:
        gateway = open_gateway(opts)
        out(f"Connected: {gateway.identity().summary()}")
        for notice in gateway.notices():
            out(f"Note: {notice}")
    except KeyboardInterrupt:
        out("Cancelled.")
        return EXIT_CANCELLED
    except Exception as exc:
        out(f"{ERROR_MARK} {explain(exc).render()}")
        return EXIT_PROBLEMS
    wizard = PlainWizard(spec, gateway, prompter, out)
    try:
        return wizard.run(start)
    except (KeyboardInterrupt, EOFError):
        if not wizard.launched:
            wizard.session.save_draft()
            out("")
            out("Cancelled. Your answers are kept as a draft (never the password); "
                "run rds-wizard again to resume.")
        else:
            out("\nCancelled.")
        return EXIT_CANCELLED
    except Exception as exc:  # anything AWS or the network threw that no step handled: said, not traced
        if not wizard.launched:
            wizard.session.save_draft()
        out(f"{ERROR_MARK} {explain(exc).render()}")
        return EXIT_PROBLEMS
    finally:
        gateway.close()
