"""The Textual front end of rds-wizard: the step-by-step create wizard and its widgets."""
