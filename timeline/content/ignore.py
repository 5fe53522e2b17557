"""Which files in a site folder are editor droppings, never content."""

from __future__ import annotations

import fnmatch
import re

# Emacs lock files (.#x, often dangling symlinks), Vim swap and probe files (.x.swp, 4913),
# backups (x~), GNOME's atomic-save temporaries, and generic temporaries.
EDITOR_PATTERNS = (
    ".#*",
    "*.swp",
    "*.swo",
    "*.swx",
    "4913",
    "*~",
    ".goutputstream-*",
    "*.tmp",
    "*.part",
    "#*#",
    ".DS_Store",
    "Thumbs.db",
)


# One compiled pattern: the reader asks this of every file name on every rebuild.
_IGNORED = re.compile("|".join(fnmatch.translate(p) for p in EDITOR_PATTERNS))


def is_ignored(name: str) -> bool:
    """Return True for a file name that an editor or the OS left behind, or a hidden file."""
    return name.startswith(".") or _IGNORED.match(name) is not None
