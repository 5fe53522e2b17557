"""A site read and indexed without rendering its pages, for the writers' tests."""

from __future__ import annotations

from pathlib import Path

from timeline.content.config import load_config
from timeline.content.linking import index_content
from timeline.content.model import Timeline
from timeline.content.reader import read_content
from timeline.errors import has_errors


def index_site(root: Path) -> Timeline:
    """Return the indexed timeline of the site at ``root``; fail the test on any error."""
    config = load_config(root)
    content, diags = read_content(config)
    timeline, more = index_content(content, config)
    assert not has_errors(diags + more), [d.format() for d in diags + more]
    return timeline
