"""Scaffold a new site (``timeline new site``) and new event files (``timeline new event``)."""

from __future__ import annotations

import json
from pathlib import Path

from timeline import __version__
from timeline.content.dates import parse_span
from timeline.content.model import check_id, slugify
from timeline.errors import TimelineError, error

DISTRIBUTION = "cited-timeline"
"""timeline's name on PyPI ("timeline" there is another project)."""

# The repository's own .github/workflows/pages.yml is this text with the few differences that a unit
# test lists (it installs timeline from its checkout), so a scaffolded site publishes exactly the way
# this project's example site does. The release that scaffolds a site is the one its workflow installs.
_WORKFLOW = """\
# Build the timeline and publish it with GitHub Pages.
# In the repository's Settings > Pages, set Source to "GitHub Actions".
# A custom domain is set there too, and must be the `cname:` of site.yaml: the build stops when the
# two disagree, rather than publish a site whose links point at the wrong address.
name: Publish timeline to GitHub Pages

on:
  push:
    branches: [main]
  workflow_dispatch:

# Nothing by default: each job below asks for what it needs.
permissions: {}

# One deployment at a time; a running one is allowed to finish.
concurrency:
  group: pages
  cancel-in-progress: false

env:
  # The release of timeline that builds this site (https://pypi.org/project/cited-timeline/): the
  # one that scaffolded it. To upgrade, run `pip install -U cited-timeline` and `timeline build
  # --publish` on your machine, then put the new `timeline --version` here.
  TIMELINE_VERSION: "<version>"

jobs:
  build:
    runs-on: ubuntu-latest
    permissions:
      contents: read
      # configure-pages reads the Pages settings (the site's address); it cannot change them.
      pages: read
    steps:
      - name: Check out
        uses: actions/checkout@v7
        with:
          persist-credentials: false
      - name: Set up Python
        uses: actions/setup-python@v7
        with:
          python-version: "3.11"
      - name: Install timeline
        run: pip install "cited-timeline==${TIMELINE_VERSION}"
      - name: Configure Pages
        id: pages
        uses: actions/configure-pages@v5
      - name: Restore the build cache
        # The last run's .timeline-cache/ and output folder: a page whose inputs did not change is
        # kept, not rendered again. _site is the output: folder of site.yaml; change both together.
        uses: actions/cache@v5
        with:
          path: |
            .timeline-cache
            _site
          key: timeline-${{ env.TIMELINE_VERSION }}-${{ hashFiles('site.yaml', 'content/**', 'themes/**') }}
          restore-keys: timeline-${{ env.TIMELINE_VERSION }}-
      - name: Build the site
        id: build
        env:
          # The site's address, e.g. https://user.github.io/repo or https://<custom domain>.
          PAGES_URL: ${{ steps.pages.outputs.base_url }}
        # --publish: warnings stop the build as they stop `timeline deploy` (--allow-warnings lets
        # them through), and the output folder is passed on to the next step.
        run: timeline build --publish --base-url "$PAGES_URL"
      - name: Upload the site
        uses: actions/upload-pages-artifact@v5
        with:
          path: ${{ steps.build.outputs.folder }}

  deploy:
    needs: build
    runs-on: ubuntu-latest
    permissions:
      pages: write
      id-token: write
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - name: Deploy to GitHub Pages
        id: deployment
        uses: actions/deploy-pages@v5
"""
WORKFLOW = _WORKFLOW.replace("<version>", __version__)
"""The scaffolded ``.github/workflows/pages.yml``, pinned to this release."""

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
# A custom domain: the site is then built for https://<cname>/, its links at the root, so delete
# base_url (or make it https://<cname>/). `timeline deploy` writes it to a CNAME file; with the
# Pages workflow, set the same domain in Settings > Pages.
# cname: news.example.org
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
- `timeline new event "Title" --date 2021-10-01` adds a draft event under `content/events/`.
- `timeline help format` describes every field of `site.yaml`, events, articles, actors and places.

Publishing on GitHub Pages with the included workflow (`.github/workflows/pages.yml`):

1. In Settings > Pages, set Source to "GitHub Actions", and push.
2. The site is at `https://<user>.github.io/<repo>/` (the workflow passes that address to the build).
3. A custom domain: set `cname:` in `site.yaml` (and delete `base_url`), and set the same domain in
   Settings > Pages. The site is then built for `https://<domain>/`.
4. Warnings stop a publish: fix them, or add `--allow-warnings` to the build step.
5. The workflow installs the timeline release that made this site (`TIMELINE_VERSION`); to upgrade,
   change it there.

Or publish a `gh-pages` branch from your machine with `timeline deploy` (Settings > Pages: "Deploy
from a branch").
"""

_EVENT_TEMPLATE = """\
# A new event; `timeline help format` describes every field.
# A draft is not published: give the event a source below, then delete the next line.
draft: true
title: {title}
date: {date}
summary: |
  What happened, in your own words.
# Link other events in the summary with [text](event:their-id).
places: []
actors: []
tags: []
# status: happened          # happened | scheduled | disputed | reported
# Where the facts come from, shown as numbered citations: an article of this site
# (content/articles/<id>.md) with an optional quote, or an outside report.
# sources:
#   - article: the-article-id
#     quote: "A short passage from it"
#   - title: "Headline of the source"
#     publisher: Publisher
#     url: https://example.org/...
#     published: {published}
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
        span = parse_span(date.strip())
    except ValueError as exc:
        raise _fail("--date", str(exc)) from None
    slug = slugify(title)
    problem = check_id(slug)
    if problem:
        raise _fail("title", problem)
    path = site_dir / "content" / "events" / f"{slug}.yaml"
    # A source is published on one date: the start of a range is a guess the template can offer.
    text = _EVENT_TEMPLATE.format(title=_quote(title), date=_quote(date.strip()), published=span.start.edtf())
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except FileExistsError:
        raise _fail(path, "already exists; edit it or choose another title") from None
    return path
