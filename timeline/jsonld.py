"""Structured data (schema.org JSON-LD) for every page."""

from __future__ import annotations

from typing import Any

from timeline.model import Timeline


def page_data(tl: Timeline, path: str, context: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the JSON-LD objects for the page at ``path``."""
    return []
