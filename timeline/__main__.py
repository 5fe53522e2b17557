"""Run the command line with ``python -m timeline``."""

from __future__ import annotations

import sys

from timeline.commands.cli import main

sys.exit(main())
