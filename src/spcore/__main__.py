"""``python -m spcore`` runs the command line."""

from spcore.cli import run

run()
