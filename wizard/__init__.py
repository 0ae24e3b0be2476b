"""rds-wizard: a guided path from nothing to a running Multi-AZ Amazon RDS database.

The core package. It never imports Textual or questionary at module level, so the headless
commands (lint, plan, launch, watch, failover-test) stay fast and work without a terminal UI.
"""

__version__ = "0.1.0"
