"""Pagination: how a list is cut into pages, where each page lives, and what its picker lists."""

from __future__ import annotations

from pathlib import Path

import pytest

from timeline.content.config import PAGE_SIZE, PAGE_SIZE_MAX, load_config, parse_page_size
from timeline.errors import TimelineError
from timeline.pages.pagination import PICKER_MAX, Pager, PagerLink, chunks, page_count, page_dir, picked, series


def test_an_empty_list_is_one_empty_page() -> None:
    assert chunks([], 10) == ((),)
    assert page_count(0, 10) == 1


@pytest.mark.parametrize(
    ("total", "size", "lengths"),
    [
        (1, 10, [1]),
        (9, 10, [9]),
        (10, 10, [10]),  # exactly one full page: no empty second page
        (11, 10, [10, 1]),
        (20, 10, [10, 10]),
        (21, 10, [10, 10, 1]),
        (5, 1, [1, 1, 1, 1, 1]),
    ],
)
def test_pages_at_the_size_boundaries(total: int, size: int, lengths: list[int]) -> None:
    items = list(range(total))
    pages = chunks(items, size)
    assert [len(p) for p in pages] == lengths
    assert [item for page in pages for item in page] == items  # every item once, in order
    assert page_count(total, size) == len(pages)


def test_a_size_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        chunks([1], 0)


def test_page_one_keeps_the_list_address_and_sections_number_under_page() -> None:
    assert page_dir("actors/armenia/", 1) == "actors/armenia/"
    assert page_dir("actors/armenia/", 2) == "actors/armenia/2/"
    assert page_dir("actors/", 1, section=True) == "actors/"
    assert page_dir("actors/", 3, section=True) == "actors/page/3/"
    assert [link.href for link in series("tags/x/", 3)] == ["tags/x/", "tags/x/2/", "tags/x/3/"]


def test_previous_and_next_at_the_ends_and_in_the_middle() -> None:
    links = series("a/", 3)
    first, middle, last = (Pager(links, n, str(n + 1)) for n in range(3))
    assert first.previous is None and first.next == links[1]
    assert middle.previous == links[0] and middle.next == links[2]
    assert last.previous == links[1] and last.next is None
    single = Pager(series("a/", 1), 0, "1")
    assert single.previous is None and single.next is None


def test_a_page_that_is_none_of_the_series_has_no_neighbours() -> None:
    overview = Pager((PagerLink("timeline/1990s/", "1990s"), PagerLink("timeline/2000s/", "2000s")), -1, "Parts")
    assert overview.previous is None and overview.next is None
    assert [n for n, _ in overview.shown] == [0, 1]


@pytest.mark.parametrize("total", [1, 2, PICKER_MAX, PICKER_MAX + 1, 100, 1000, 12345])
def test_the_picker_stays_short_and_keeps_the_ends_and_neighbours(total: int) -> None:
    for current in sorted({0, 1, total // 3, total // 2, total - 2, total - 1} - {-1}):
        if not 0 <= current < total:
            continue
        shown = picked(total, current)
        assert len(shown) <= PICKER_MAX
        assert list(shown) == sorted(set(shown))
        assert {0, total - 1, current} <= set(shown)
        assert {max(0, current - 1), min(total - 1, current + 1)} <= set(shown)
        if total <= PICKER_MAX:
            assert shown == tuple(range(total))
        else:
            # No page is far from one listed: the gaps between listed pages stay small.
            gaps = [b - a for a, b in zip(shown, shown[1:], strict=False)]
            assert max(gaps) <= -(-total // (PICKER_MAX // 3))


@pytest.mark.parametrize("text", ["1", "50", str(PAGE_SIZE_MAX)])
def test_page_size_accepts_whole_numbers_in_range(text: str) -> None:
    assert parse_page_size(text) == int(text)


@pytest.mark.parametrize("text", ["0", "-5", "2.5", "ten", str(PAGE_SIZE_MAX + 1), "١٠"])
def test_page_size_refuses_anything_else(text: str) -> None:
    with pytest.raises(ValueError, match="whole number"):
        parse_page_size(text)


def test_page_size_comes_from_site_yaml_with_a_default(tmp_path: Path) -> None:
    (tmp_path / "site.yaml").write_text("title: T\n", encoding="utf-8")
    assert load_config(tmp_path).page_size == PAGE_SIZE
    (tmp_path / "site.yaml").write_text("title: T\npage_size: 25\n", encoding="utf-8")
    assert load_config(tmp_path).page_size == 25


def test_a_bad_page_size_is_a_located_error_among_the_others(tmp_path: Path) -> None:
    (tmp_path / "site.yaml").write_text("title: T\npage_size: lots\ntimezone: Mars/Base\n", encoding="utf-8")
    with pytest.raises(TimelineError) as info:
        load_config(tmp_path)
    messages = [d.format() for d in info.value.diagnostics]
    assert f"site.yaml:2:12: error: page_size: must be a whole number from 1 to {PAGE_SIZE_MAX}, not 'lots'" in messages
    assert any(m.startswith("site.yaml:3:11: error: unknown time zone") for m in messages)
