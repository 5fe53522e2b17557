"""The reference documents shipped with timeline, for ``timeline help``: readable without a checkout."""

from __future__ import annotations

from pathlib import Path

# Installed, the documents are the package data `timeline._docs` (as the built-in themes are
# `timeline._themes`); in a source checkout (an editable install) they sit beside the package in docs/.
_INSTALLED_DOCS = Path(__file__).resolve().parent / "_docs"
_CHECKOUT_DOCS = Path(__file__).resolve().parent.parent / "docs"

TOPICS = {"format": "format.md"}
"""Topic name -> file: ``format`` is the format of site.yaml, events, articles, actors and places."""


def topic_text(topic: str) -> str:
    """Return the text of a reference topic; raise KeyError for an unknown one."""
    name = TOPICS[topic]
    for folder in (_INSTALLED_DOCS, _CHECKOUT_DOCS):
        path = folder / name
        if path.is_file():
            return path.read_text(encoding="utf-8")
    raise FileNotFoundError(f"{name} is missing from this installation of timeline")
