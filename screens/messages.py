"""Every string the Textual wizard shows that is not step data (titles, buttons, notices).

Step titles, field labels and help come from `wizard.steps`; rules and their messages from
`wizard.spec.rules`. What is here is the screen's own wording, kept together so it reads as one voice.
"""

from __future__ import annotations

from wizard import confirmation

APP_TITLE = "RDS wizard"


def count(number: int, noun: str) -> str:
    """'1 problem', '2 problems'."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


BANNER_DEMO = " DEMO · embedded AWS: nothing is created in a real account, nothing is billed "
NOTICES_TITLE = "Note"
BANNER_CONNECTING = "Connecting to AWS…"
BANNER_FAILED = " Not connected: {title}. Press ctrl+r to retry. "

STEPS_HEADING = "Steps"
# The key line at the bottom: (key, action, label).
KEYS = (
    ("esc", "screen.back", "Back"),
    ("^n", "screen.next", "Next"),
    ("f1", "screen.toggle_help", "Help"),
    ("^s", "screen.save_preset", "Save preset"),
    ("^p", "app.command_palette", "Commands"),
    ("f3", "app.databases", "Databases"),
    ("^q", "app.quit", "Quit"),
)
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
LOADING_WAIT_DEMO = "Starting the demo AWS (a few seconds)…"
DEMO_STOPPING = "rds-wizard: stopping the demo AWS, which was still starting (a few seconds)…"
NOT_CONNECTED = "Not connected to AWS: {title}."
LOAD_FAILED = "Could not load {label}: {title}. {detail} {next_step}"
NO_CHOICES = "Nothing to choose from here; {hint}"
NO_CHOICES_HINT = "leave it empty and RDS uses its default."
NO_PREFERENCE = "No preference"
UNAVAILABLE = "✗ not for this setup"
PLACEHOLDER = "e.g. {example}"
WINDOW_PLACEHOLDER = "empty: no preference (e.g. {example})"
OPTIONAL = "optional"
DOCS = "AWS docs ↗"
ADDITIONAL_CONFIGURATION = "Additional configuration: database, groups, monitoring"
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
QUIT_NOW = "Quit"
DRAFT_FAILED = "Could not keep the draft ({reason}); the wizard stays open."

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

# ---- F2: launch confirmation, provisioning and the failover test --------------------------------------

# The wording and the rule are shared with the plain prompts (wizard.confirmation).
CONFIRM_PROMPT = confirmation.PROMPT
CONFIRM_PLACEHOLDER = "type the identifier here"
CONFIRM_CANCEL = "Cancel (Esc)"
CONFIRM_MISMATCH = confirmation.MISMATCH.replace("{way_back}", "press Esc to go back")
CONFIRM_EMPTY = confirmation.EMPTY.replace("{way_back}", "press Esc to go back")

LAUNCH_TITLE = "Launch {identifier}? ({operation})"
LAUNCH_BUTTON_DEMO = "Launch (demo)"
LAUNCH_BUTTON_AWS = "Launch on AWS"
LAUNCH_NOT_CONNECTED = "Not connected to AWS yet: wait for the banner to show the account, then launch."
LAUNCH_TARGET_UNKNOWN = "the connected AWS account"
LAUNCH_DEPLOYMENTS = {
    "single-az": "Single-AZ DB instance (no standby)",
    "multi-az-instance": "Multi-AZ DB instance (a primary and a synchronous standby in another AZ)",
    "multi-az-cluster": "Multi-AZ DB cluster (a writer and two readable standbys in three AZs)",
}
LAUNCH_CREDENTIALS = {
    "secrets-manager": "kept in AWS Secrets Manager (rotated every 7 days by default)",
    "self-managed": "the one you typed (not shown, not stored by the wizard)",
    "auto-generated": "generated now and shown to you once when the database is ready",
}
LAUNCH_PUBLIC = "PUBLIC (reachable from the internet)"
LAUNCH_PRIVATE = "private to the VPC"
LAUNCH_DEMO = "This is the demo: nothing is created in AWS and nothing is billed."
LAUNCH_BILLED = "This creates a REAL database on AWS, billed by the hour until you delete it."
LAUNCH_BILLED_MULTI_AZ = "Multi-AZ bills the standby too: about twice a single-AZ instance."
LAUNCH_DELETION_PROTECTION = "Deletion protection is on: turn it off before you can delete it."
LAUNCH_DURATION_MULTI_AZ = "On real AWS creating a Multi-AZ database takes 15-40 minutes"
LAUNCH_DURATION_SINGLE = "On real AWS creating takes 5-10 minutes"
LAUNCH_DURATION_DEMO = "; the demo runs faster."
LAUNCH_DURATION_AWS = "; quitting the wizard does not stop it."

PROV_TITLE_CREATE = "Creating {what} {identifier}"
PROV_TITLE_FOLLOW = "Following {what} {identifier}"
PROV_STARTING = "Starting…"
PROV_EVENTS = "Events and changes"
PROV_FAILOVER_BUTTON = "Run the failover test (f)"
PROV_ENDED = "Following has ended."
PROV_ENDED_WATCH = " Re-check any time with: {command}"
PROV_ACCEPTED = "{operation} accepted{note}; following {identifier}."
PROV_ACCEPTED_RETRY = " (a retry of our own create; it was sent once)"
PROV_NOTHING_CREATED = "Nothing was created."
PROV_REFUSED_NOTE = "Nothing was sent to change AWS. Go back (Esc) to fix the settings."
PROV_FOLLOW_EXISTING = "Press w to follow the existing {identifier} instead."
PROV_CRASHED = "Following stopped unexpectedly: {text}"
PROV_CRASHED_WATCH = "\nNothing changes in AWS. Re-attach with: {command}"
PROV_SUMMARY_FAILED = "Could not build the connection summary: {reason}"
PROV_AVAILABLE = "{identifier} is available."
PROV_PASSWORD = ("Generated password: {shown}  ({hint}; it is shown only here, never stored: copy it "
                 "somewhere safe now)")
PROV_PASSWORD_SHOW = "press p to show it"
PROV_PASSWORD_HIDE = "p hides it"
PROV_ELAPSED = "Elapsed {elapsed}"
PROV_READY = " · ready"
PROV_USUALLY = " · usually {low} to {high}"
PROV_DEMO_SPEED = " (demo, {scale:g}x faster than RDS)"
PROV_SLOW = " · slower than usual; still following, it never gives up while RDS is working"
PROV_SEVERITY = {"error": "PROBLEM: ", "warning": "WARNING: ", "info": "NOTE: "}
PROV_WHAT_TO_DO = "{title}\n  What to do: {next_step}"
PROV_LEFT_WHILE_CREATING = "{identifier} keeps being created in AWS. Re-attach with: {command}"
PROV_NOT_FOUND = "There is no DB instance or Multi-AZ DB cluster named {identifier} here."
PROV_NOT_FOUND_NEXT = "Check the identifier and the region (--region, or --demo: the demo starts empty)."
PROV_AFTER_FAILOVER = "failover test: {verdict}; the primary is now in {az}."

FO_TITLE = "Failover test: {identifier}"
FO_CHECKING = "Checking the database…"
FO_START_BUTTON = "Start the failover test… (s)"
FO_TIMELINE = "Timeline (seconds from the failover request)"
FO_READY = ("Ready. This forces a real failover on {where}. Press s to start (you type the identifier to "
            "confirm).")
FO_WHERE_DEMO = "the demo"
FO_WHERE_AWS = "REAL AWS"
FO_WHAT = "What will happen:"
FO_REFUSED = "The test will not run: {reason}\nNothing was sent to AWS. Press r to check again."
FO_WHAT_TO_DO = "\nWhat to do: {next_step}"
FO_PREFLIGHT_CRASHED = "The preflight stopped unexpectedly: {text}"
FO_PREFLIGHT_CRASHED_NEXT = "Nothing was changed in AWS. Press r to check again."
FO_TEST_CRASHED = "The test stopped unexpectedly: {text}"
FO_TEST_CRASHED_NEXT = "The failover may still be running in AWS: {command}"
FO_SAVE_FAILED = "The report could not be saved: {reason}"
FO_CONFIRM_TITLE = "Force a failover of {identifier}?"
FO_CONFIRM_DEMO = "Fail over (demo)"
FO_CONFIRM_AWS = "Fail over on AWS"
FO_RUNNING = "Failing over… Quitting now stops only the measuring; the failover carries on in AWS."
FO_DONE = "Done: {verdict}. The report is below and saved; Esc goes back, r checks again."
FO_SWAPPED = "The roles swapped: the standby is the primary now."
FO_SWAPPED_CLUSTER = "The writer moved: a reader was promoted to writer."
FO_VERDICT = "VERDICT: {verdict}"
FO_WRITES = "Writes around the failover (seconds from the request):"
FO_NOTES = "Notes:"
FO_ADVICE = "Advice:"
FO_SAVED = "Saved:"
FO_DRILL_TITLE = "Drill (demo only; on AWS only the forced one runs):"
FO_TIMELINE_DRILL = "Timeline (seconds from the failure)"
FO_READY_DRILL = ("Ready. This runs the {drill} drill on the demo: the primary fails and RDS must notice. "
                  "Press s to start (you type the identifier to confirm).")
FO_CONFIRM_TITLE_DRILL = "Run the {drill} drill on {identifier}?"
FO_CONFIRM_DRILL = "Run the drill (demo)"
FO_RUNNING_DRILL = "Drill running: the primary failed; watching for RDS to notice and fail over by itself…"
FO_DOWN = {"host-failure": "✗ HOST DOWN", "az-outage": "✗ AZ UNREACHABLE"}
FO_NOT_NOTICED = "The primary in {az} failed; RDS has not noticed yet: nothing moves until it does."
FO_NOTICED = "RDS noticed after {seconds:.2f} s (the detection gap) and promotes the standby."
FO_SWAPPED_REJOINING = "The roles swapped; the old primary rejoins as the standby once it is rebuilt."
FO_SWAPPED_AZ_DARK = "Roles swapped; {az} is dark: the old primary rejoins when it returns."
FO_REJOINED = "The old primary rejoined as the standby: Multi-AZ again."

WATCH_CONNECTING = "Connecting to AWS…"
WATCH_CONNECTING_DEMO = "Starting the demo AWS… (it starts empty: watch follows what this process creates)"
WATCH_FAILED = "Could not connect: {text}\nCtrl+Q quits."

TOO_SMALL = ("rds-wizard needs a terminal of at least {min_width}x{min_height};\n"
             "this one is {width}x{height}.\n\n"
             "Make the window larger (or the font smaller): nothing is lost meanwhile.\nCtrl+Q quits.")
