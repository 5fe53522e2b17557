"""Scaffold a new site (``timeline new site``) and new event files (``timeline new event``)."""

from __future__ import annotations

import json
from pathlib import Path

from timeline.dates import parse_span
from timeline.errors import TimelineError, error
from timeline.model import check_id, slugify

# Kept byte-identical to the repository's .github/workflows/pages.yml (a unit test checks it),
# so a scaffolded site publishes exactly the way this project's example site does.
WORKFLOW = """\
# Build the timeline and publish it with GitHub Pages.
# In the repository's Settings > Pages, set Source to "GitHub Actions".
# In this mode a custom domain is set in Settings > Pages, not by a CNAME file.
name: Publish timeline to GitHub Pages

on:
  push:
    branches: [main]
  workflow_dispatch:

permissions:
  contents: read
  pages: write
  id-token: write

# One deployment at a time; a running one is allowed to finish.
concurrency:
  group: pages
  cancel-in-progress: false

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - name: Check out
        uses: actions/checkout@v4
        with:
          persist-credentials: false
      - name: Set up Python
        uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - name: Install timeline
        run: pip install .
      - name: Configure Pages
        id: pages
        uses: actions/configure-pages@v5
      - name: Build the site
        # configure-pages gives the Pages URL, e.g. https://user.github.io/repo; timeline adds the slash.
        run: timeline build --base-url "${{ steps.pages.outputs.base_url }}"
      - name: Upload the site
        uses: actions/upload-pages-artifact@v3
        with:
          path: _site

  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - name: Deploy to GitHub Pages
        id: deployment
        uses: actions/deploy-pages@v4
"""

_SITE_YAML = """\
title: {title}
description: "A source-cited timeline"
language: en
timezone: UTC
# Where the site is published; on GitHub Pages, https://<user>.github.io/<repo>/.
# The trailing slash matters. `--base-url` or TIMELINE_BASE_URL override it.
base_url: https://example.github.io/{slug}/
theme: default
output: _site
# cname: news.example.org   # a custom domain, written to CNAME by `timeline deploy`
"""

_ACTORS = """\
city-council:
  name: City Council
  kind: organisation
  description: The elected council of the city
jane-doe:
  name: Jane Doe
  kind: person
  description: Head of the council's transport committee
"""

_PLACES = """\
old-bridge:
  name: The Old Bridge
  description: A road bridge over the river, built in 1932
"""

_EVENT_VOTE = """\
title: City council votes to close the old bridge
date: 2021-03-02
summary: |
  The council votes 7 to 2 to close the old bridge for repairs after an engineers' report.
  See also [the reopening](event:old-bridge-reopens).
places: [old-bridge]
actors: [city-council, jane-doe]
tags: [infrastructure]
sources:
  - article: example-gazette-2021-03-02-bridge-vote
    quote: "The bridge is no longer safe"
  - title: "Minutes of the council meeting of 2 March 2021"
    publisher: City Council
    url: https://example.org/council/minutes/2021-03-02
    published: 2021-03-02
    accessed: 2021-03-03
claims:
  - quantity: Cost of the repairs
    value: "about 4 million euros"
    number: 4000000
    qualifier: approximately
    claimant: jane-doe
    date: 2021-03-02
    source: 1
"""

_EVENT_REOPEN = """\
title: The old bridge reopens
date: 2021-09~
summary: |
  The old bridge reopens to traffic, about six months after
  [the council closed it](event:council-closes-old-bridge). The exact day is not known yet.
places: [old-bridge]
actors: [city-council]
tags: [infrastructure]
sources:
  - title: "Old bridge to reopen in September"
    publisher: Example Gazette
    url: https://example.org/gazette/2021/08/30/bridge-reopens
    published: 2021-08-30
related: [council-closes-old-bridge]
"""

_ARTICLE = """\
---
title: "Council votes to close the old bridge"
published: 2021-03-02T18:30+01:00
language: en
publisher: Example Gazette
author: A. Reporter
url: https://example.org/gazette/2021/03/02/bridge-vote
summary: |
  The council decides, 7 votes to 2, to close the old bridge for repairs after an engineers'
  report finds corroded supports.
events: [council-closes-old-bridge]
actors: [city-council, jane-doe]
places: [old-bridge]
tags: [infrastructure]
quotes:
  - text: "The bridge is no longer safe"
    speaker: jane-doe
---
Your own notes on the article go here: what it says, what it leaves out, and what to check.
Do not paste the article itself.
"""

_GITIGNORE = "_site/\n.timeline-cache/\n"

_README = """\
# {title}

A source-cited timeline built with `timeline`.

- `timeline serve` previews the site; `timeline build` writes it to `_site/`.
- `timeline new event "Title" --date 2021-10-01` adds an event under `content/events/`.

Publishing on GitHub Pages with the included workflow (`.github/workflows/pages.yml`):

1. In Settings > Pages, set Source to "GitHub Actions".
2. In this mode a custom domain is set in Settings > Pages, not by a `CNAME` file.
3. `base_url` in `site.yaml` must end with `/` (the workflow passes the right one).
"""

_EVENT_TEMPLATE = """\
# A new event: see docs/format.md for every field.
title: {title}
date: {date}
summary: |
  What happened, in your own words.
# Link other events in the summary with [text](event:their-id).
places: []
actors: []
tags: []
# status: happened          # happened | scheduled | disputed | reported
sources: []
#  - title: "Headline of the source"
#    publisher: Publisher
#    url: https://example.org/...
#    published: {date}
"""


def _quote(text: str) -> str:
    """Return ``text`` as a YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _fail(path: Path | str, message: str) -> TimelineError:
    """Return a one-diagnostic error about ``path``."""
    return TimelineError([error(str(path), 1, 1, message)])


def new_site(target: Path) -> list[Path]:
    """Write a working sample site into ``target`` (new or empty) and return the files written."""
    if target.exists() and not target.is_dir():
        raise _fail(target, "exists and is not a folder")
    if target.is_dir() and any(target.iterdir()):
        raise _fail(target, "folder is not empty; choose a new or empty folder")
    slug = slugify(target.resolve().name or "timeline")
    title = target.resolve().name or "My timeline"
    files = {
        "site.yaml": _SITE_YAML.format(title=_quote(title), slug=slug),
        "content/actors.yaml": _ACTORS,
        "content/places.yaml": _PLACES,
        "content/events/council-closes-old-bridge.yaml": _EVENT_VOTE,
        "content/events/old-bridge-reopens.yaml": _EVENT_REOPEN,
        "content/articles/example-gazette-2021-03-02-bridge-vote.md": _ARTICLE,
        ".gitignore": _GITIGNORE,
        "README.md": _README.format(title=title),
        ".github/workflows/pages.yml": WORKFLOW,
    }
    written = []
    for rel, text in files.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        # newline="\n": the same bytes on every platform, so the workflow check holds on Windows.
        with path.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        written.append(path)
    return sorted(written)


def new_event(site_dir: Path, title: str, date: str) -> Path:
    """Write ``content/events/<slug>.yaml`` for a new event and return its path."""
    if not (site_dir / "site.yaml").is_file():
        raise _fail(
            site_dir / "site.yaml",
            "not found: run this in a site folder or pass --site",
        )
    title = title.strip()
    if not title or "\n" in title or "\r" in title:
        raise _fail("title", "give a one-line, non-empty title")
    try:
        parse_span(date.strip())
    except ValueError as exc:
        raise _fail("--date", str(exc)) from None
    slug = slugify(title)
    problem = check_id(slug)
    if problem:
        raise _fail("title", problem)
    path = site_dir / "content" / "events" / f"{slug}.yaml"
    text = _EVENT_TEMPLATE.format(title=_quote(title), date=_quote(date.strip()))
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except FileExistsError:
        raise _fail(path, "already exists; edit it or choose another title") from None
    return path
