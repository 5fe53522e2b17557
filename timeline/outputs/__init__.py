"""Whole-site files, one module per format: feeds, calendars, open data, the search index."""

from __future__ import annotations

from timeline.outputs.feeds import render_feeds
from timeline.outputs.opendata import render_open_data
from timeline.outputs.search import render_search_index

WHOLE_SITE = (render_feeds, render_open_data, render_search_index)
"""The writers of the files made from the whole timeline, in the order they are written."""
