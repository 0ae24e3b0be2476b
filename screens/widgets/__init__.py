"""Widgets of the Textual wizard, one per file."""
