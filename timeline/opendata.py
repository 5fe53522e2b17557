"""Open data: the timeline as JSON, CSV, CSL-JSON and TimelineJS JSON."""

from __future__ import annotations

from timeline.model import Timeline


def render_open_data(tl: Timeline) -> dict[str, bytes]:
    """Return the open-data files of the site, by output path."""
    return {}
