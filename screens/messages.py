"""Every string the Textual wizard shows that is not step data (titles, buttons, notices).

Step titles, field labels and help come from `wizard.steps`; rules and their messages from
`wizard.spec.rules`. What is here is the screen's own wording, kept together so it reads as one voice.
"""

from __future__ import annotations

APP_TITLE = "RDS wizard"


def count(number: int, noun: str) -> str:
    """'1 problem', '2 problems'."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


BANNER_DEMO = " DEMO · embedded AWS: nothing is created in a real account, nothing is billed "
BANNER_CONNECTING = "Connecting to AWS…"
BANNER_CONNECTING_DEMO = "Starting the demo AWS…"
BANNER_REAL = " AWS account {account} · region {region} · profile {profile} "
BANNER_FAILED = " Not connected: {title}. Press ctrl+r to retry. "

STEPS_HEADING = "Steps"
STEP_DONE = "✓"
STEP_TODO = " "
STEP_CURRENT = "›"

BUTTON_BACK = "Back"
BUTTON_NEXT = "Next"
BUTTON_RETRY = "Retry"
BUTTON_SAVE_PRESET = "Save as preset"
BUTTON_LAUNCH = "Launch"
BUTTON_GO = "Step {step} ›"

LOADING = "Loading from AWS…"
LOADING_WAIT_GATEWAY = "Waiting for the connection to AWS…"
LOAD_FAILED = "Could not load {label}: {title}. {detail} {next_step}"
NO_CHOICES = "Nothing to choose from here; {hint}"
NO_CHOICES_HINT = "leave it empty and RDS uses its default."
NO_PREFERENCE = "No preference"
UNAVAILABLE = "not for this setup"
PLACEHOLDER = "e.g. {example}"
WINDOW_PLACEHOLDER = "empty: no preference (e.g. {example})"
OPTIONAL = "optional"
DOCS = "AWS docs ↗"
ADDITIONAL_CONFIGURATION = "Additional configuration (groups, encryption, monitoring, tags)"
ADVANCED = "More options for this step"

PASSWORD_CONFIRM = "Confirm master password"
PASSWORD_MISMATCH = "Confirm master password: the two passwords differ. Type the same password in both."
PASSWORD_NOTE = "Typed twice, masked, never written to a draft, preset or log."

CLASS_FILTER_PLACEHOLDER = "Type to filter, e.g. m6g or large"
CLASS_HIDDEN = "{count} classes hidden: {reason}"
CLASS_NONE_MATCH = "No class matches '{text}'."
CLASS_SELECTED = "Selected: {value}"

SUBNET_AZS = "AZs covered: {azs}"

STEP_BLOCKED = "Next is blocked: fix the {problems} on this step first."
STEP_ERRORS = "{problems} to fix on this step."
STEP_OK = "No problems on this step."
STEP_WARNINGS = "{warnings}: you may go on."
PROBLEM_ERROR = "✗"
PROBLEM_WARNING = "!"

PUBLIC_WARNING = (
    "Public access is ON: the database gets a public address. Anyone the security groups allow can try "
    "to connect from the internet."
)

WINDOW_CHART_TITLE = "Your week in UTC (one cell = 30 minutes)"
WINDOW_LEGEND = "B backup   M maintenance   X both at once: not allowed"
WINDOW_UNPARSED = "{label}: not drawn ({reason})."
WINDOW_NO_PREFERENCE = "{label}: no preference: RDS picks a 30-minute window for you (not drawn)."

REVIEW_PROBLEMS = "Problems"
REVIEW_NO_PROBLEMS = "No problems found: ready to launch."
REVIEW_SETTINGS = "Settings"
REVIEW_COST = "Monthly cost estimate"
REVIEW_COST_UNKNOWN = "No estimate for {instance_class}: see the AWS pricing page."
REVIEW_COST_NOTE = (
    "Rough estimate: on-demand, us-east-1 list prices, 730 hours, compute and storage only; backups beyond "
    "the free allowance, I/O and data transfer are extra. Check the AWS pricing page."
)
REVIEW_CLI = "Equivalent AWS CLI command"
REVIEW_CLI_UNAVAILABLE = "(The AWS CLI export is not available: {reason})"
REVIEW_LAUNCH_BLOCKED = "Launch is blocked until every error above is fixed."
LAUNCH_UNAVAILABLE = "Launching from the wizard is not available in this build; save a preset and run " \
                     "`rds-wizard launch --preset NAME`."

QUIT_TITLE = "Quit the wizard?"
QUIT_BODY = "Keep your answers as a draft so the next start can resume here? The password is never kept."
QUIT_KEEP = "Keep draft and quit"
QUIT_DISCARD = "Discard and quit"
QUIT_CANCEL = "Stay"

RESUME_TITLE = "Resume where you left off?"
RESUME_BODY = "A draft from {saved_at} stopped at step '{step}' ({summary})."
RESUME_YES = "Resume"
RESUME_NO = "Start over"

SAVE_PRESET_TITLE = "Save these answers as a preset"
SAVE_PRESET_BODY = ("A name (saved with your presets) or a file path ending in .toml. The password is "
                    "never saved.")
SAVE_PRESET_PLACEHOLDER = "my-postgres"
SAVE_PRESET_EMPTY = "Type a name for the preset."
SAVED_PRESET = "Saved preset to {path}"
SAVE_FAILED = "Could not save the preset: {reason}"
LOADED_PRESET = "Loaded preset '{name}'."
LOAD_PRESET_FAILED = "Could not load preset '{name}': {reason}"
TEMPLATE_APPLIED = "Template '{name}' filled in the later steps; change anything you like."
BUTTON_SAVE = "Save"
BUTTON_CANCEL = "Cancel"

CMD_LOAD_PRESET = "Load preset: {name}"
CMD_SAVE_PRESET = "Save as preset…"
CMD_JUMP = "Go to step: {title}"
CMD_TOGGLE_HELP = "Toggle help"
CMD_LAUNCH = "Launch"
CMD_RETRY = "Retry loading from AWS"
CMD_LOAD_PRESET_HELP = "Replace every answer with this preset"
CMD_SAVE_PRESET_HELP = "Write the answers (never the password) to a preset file"
CMD_JUMP_HELP = "Jump to a step you have reached"
CMD_TOGGLE_HELP_HELP = "Show or hide each step's explanation"
CMD_LAUNCH_HELP = "Create the database (from the Review step)"
CMD_RETRY_HELP = "Reconnect and reload the choices"

JUMP_NOT_REACHED = "Finish the earlier steps first: '{title}' is not reached yet."
