"""List pages stay bounded as a site grows: paging keeps each page to ``page_size`` entries."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.corpus import make_articles, write_timeline
from benchmarks.page_sizes import BUDGET, largest_by_kind, page_kind
from timeline.build.pipeline import build_site

LISTS = ("actor", "place", "tag", "sources", "lists")
"""The kinds of page that list entries: each grew with the site before it was paged."""


def build_corpus(root: Path, events: int) -> dict[str, tuple[int, int, str]]:
    site = root / f"site-{events}"
    write_timeline(site, make_articles(events // 5, 0), events, 0)
    with (site / "site.yaml").open("a", encoding="utf-8") as config:
        config.write("page_size: 20\n")  # small pages, so both sizes fill theirs
    out = root / f"out-{events}"
    result = build_site(site, out, workers=2, cache=False)
    assert not result.failed(), [d.format() for d in result.diagnostics][:5]
    return largest_by_kind(out)


@pytest.mark.slow
def test_list_pages_do_not_grow_with_the_site(tmp_path: Path) -> None:
    small, large = build_corpus(tmp_path, 500), build_corpus(tmp_path, 2000)
    for kind in LISTS:
        pages_small, bytes_small, _ = small[kind]
        pages_large, bytes_large, where = large[kind]
        # The site is four times larger: there are more pages, not larger ones.
        assert pages_large >= pages_small, kind
        assert bytes_large <= bytes_small * 1.15 + 2048, (kind, where, bytes_small, bytes_large)
        assert bytes_large < BUDGET, (kind, where)
    assert large["sources"][0] > small["sources"][0] > 1
    assert large["part"][1] < BUDGET, large["part"]


@pytest.mark.parametrize(
    ("rel", "kind"),
    [
        ("index.html", "overview"),
        ("timeline/1994-03/index.html", "part"),
        ("events/x/index.html", "event"),
        ("articles/x/index.html", "article"),
        ("articles/index.html", "lists"),
        ("articles/page/3/index.html", "lists"),
        ("actors/page/index.html", "actor"),  # an actor called "page"
        ("actors/armenia/2/index.html", "actor"),
        ("tags/war/index.html", "tag"),
        ("sources/page/2/index.html", "sources"),
        ("404.html", "other"),
    ],
)
def test_the_benchmark_tells_kinds_of_page_apart(rel: str, kind: str) -> None:
    assert page_kind(rel) == kind
