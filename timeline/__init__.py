"""timeline: a static site generator for source-cited event timelines."""

__version__ = "0.1.0"
