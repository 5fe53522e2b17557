"""The reference documents shipped with timeline, for ``timeline help``: readable without a checkout."""

from __future__ import annotations

from timeline.layout import reference_docs

TOPICS = {"format": "format.md"}
"""Topic name -> file: ``format`` is the format of site.yaml, events, articles, actors and places."""


def topic_text(topic: str) -> str:
    """Return the text of a reference topic; raise KeyError for an unknown one."""
    name = TOPICS[topic]
    for folder in reference_docs():
        path = folder / name
        if path.is_file():
            return path.read_text(encoding="utf-8")
    raise FileNotFoundError(f"{name} is missing from this installation of timeline")
