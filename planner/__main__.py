"""Command line for volunteers and tests: ``python -m planner aid|plan|evidence ... [--json]``."""
import sys

from .cli import main

sys.exit(main())
