"""Where things are: the names in a site folder, and the folders timeline itself ships with.

Every other module asks here rather than spelling ``content``, ``themes``, ``_site`` or
``.timeline-cache`` itself, so that the layout is written down once.
"""

from __future__ import annotations

from pathlib import Path

CONFIG_NAME = "site.yaml"
"""The site's settings, at the top of the site folder."""
CONTENT_DIR = "content"
"""Events, articles, actors, places and images."""
THEMES_DIR = "themes"
"""The site's own themes, each a folder of templates/ and static/."""
DEFAULT_OUTPUT = "_site"
"""The output folder when site.yaml names none."""
CACHE_DIR = ".timeline-cache"
"""What a build keeps for the next one (git-ignored)."""
SOURCE_NAMES = (CONTENT_DIR, THEMES_DIR, CONFIG_NAME, ".git")
"""What an output folder may never overwrite."""

PACKAGE_DIR = Path(__file__).resolve().parent
"""The installed ``timeline`` package."""


def builtin_themes() -> Path:
    """Return the folder of the themes that ship with timeline."""
    # In a source checkout the themes sit beside the package; installed, they are package data.
    checkout = PACKAGE_DIR.parent / "themes"
    if (checkout / "default" / "templates").is_dir():
        return checkout
    return PACKAGE_DIR / "_themes"


def reference_docs() -> tuple[Path, ...]:
    """Return the folders that may hold the reference documents, installed first."""
    # Installed, they are the package data `timeline._docs`; in a checkout they sit in docs/.
    return (PACKAGE_DIR / "_docs", PACKAGE_DIR.parent / "docs")
