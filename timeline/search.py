"""The prebuilt search and filter index that the timeline page's script loads."""

from __future__ import annotations

from timeline.model import Timeline


def render_search_index(tl: Timeline) -> dict[str, bytes]:
    """Return the search index file(s), by output path."""
    return {}
