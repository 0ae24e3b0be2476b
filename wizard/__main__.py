"""`python -m wizard`: the same entry point as the `rds-wizard` console script."""

from wizard.cli import main

raise SystemExit(main())
