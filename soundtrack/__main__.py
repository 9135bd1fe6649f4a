"""``python -m soundtrack``."""

from soundtrack.cli import run

run()
