"""Feeds for people who follow the timeline: Atom, iCalendar, sitemap and robots.txt."""

from __future__ import annotations

from timeline.model import Timeline


def render_feeds(tl: Timeline) -> dict[str, bytes]:
    """Return the feed files of the site, by output path."""
    return {}
