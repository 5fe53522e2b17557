"""Whole-site files, one module per format: feeds, calendars, open data, the search index.

Each writer takes the timeline and a ``Piece`` (see ``timeline.outputs.pieces``) and yields its
files one at a time; it knows nothing of how or whether pieces are kept between builds.
"""

from __future__ import annotations

from timeline.outputs.feeds import render_feeds
from timeline.outputs.opendata import render_open_data
from timeline.outputs.search import render_search_index

WHOLE_SITE = (render_feeds, render_open_data, render_search_index)
"""The writers of the files made from the whole timeline, in the order they are written."""
