"""The time axis and the reader's details in real headless Chromium, on generated sites and the example."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Route

from tests.browser.conftest import static_server
from timeline.build.pipeline import build_site

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.browser

ERAS = "eras:\n  - id: cold\n    title: Cold War\n    date: 1947/1991\n"
SITES: dict[str, list[str]] = {
    # 500 BCE to 2020 with no long gap: one stretch over 25 centuries.
    "bce": [f"{y:05d}" if y < 0 else f"{y:04d}" for y in range(-499, 2021, 40)] + ["2020-10-23"],
    "modern": [f"{y}-06-01" for y in range(1950, 2031)],
    "single": ["0387~"],
    "minutes": [f"2020-10-23T{8 + m // 60:02d}:{m % 60:02d}" for m in range(5, 580, 29)],
    # More than 300 events: split into parts by decade; the Cold War era overlaps only the first two.
    # A right-to-left page with Arabic month names on its ticks.
    "rtl": [f"2020-{m:02d}-{d:02d}" for m in range(1, 13) for d in (3, 17)],
    "split": [f"{1985 + n % 40}-{1 + n % 12:02d}-{1 + n % 28:02d}" for n in range(400)],
}


def write_site(root: Path, dates: list[str], extra: str = "") -> None:
    """Write a site of one event per date (the titles in two scripts, so labels meet real text)."""
    folder = root / "content" / "events"
    folder.mkdir(parents=True)
    (root / "site.yaml").write_text(f"title: Generated\nbase_url: /\n{extra}", encoding="utf-8")
    for n, date in enumerate(dates):
        title = f"Event {n} – حدث {n}" if n % 7 == 0 else f"Event {n}"
        (folder / f"e{n:05d}.yaml").write_text(f'title: "{title}"\ndate: "{date}"\n', encoding="utf-8")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Build the generated sites and the example under one server; yield its URL."""
    root = tmp_path_factory.mktemp("axis")
    out = root / "www"
    with static_server(out) as url:
        for name, dates in SITES.items():
            write_site(root / name, dates, ERAS + ("language: ar\n" if name == "rtl" else ""))
            result = build_site(root / name, out / name, base_url=f"/{name}/", cache=False)
            assert not result.failed(), [d.format() for d in result.diagnostics]
        # The example as published under /timeline/: its links are root-relative paths.
        result = build_site(REPO, out / "timeline", cache=False)
        assert not result.failed(), [d.format() for d in result.diagnostics]
        yield url


def open_page(browser: Browser, width: int = 1280, **options: Any) -> Page:
    context = browser.new_context(viewport={"width": width, "height": 900}, reduced_motion="reduce", **options)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


LABEL_BOXES = """() => Array.from(document.querySelectorAll('.axis-part')).map(part => {
  const box = part.getBoundingClientRect();
  const texts = Array.from(part.querySelectorAll('.ticks text'))
    .filter(t => getComputedStyle(t.parentNode).display !== 'none')
    .map(t => { const r = t.getBoundingClientRect(); return [r.left, r.right, t.textContent]; });
  return { left: box.left, right: box.right, texts: texts };
})"""


@pytest.mark.parametrize("width", [375, 1280])
def test_tick_labels_are_neither_clipped_nor_overlapping(browser: Browser, served: str, width: int) -> None:
    page = open_page(browser, width)
    try:
        for name in ("bce", "modern", "single", "minutes", "rtl"):
            page.goto(f"{served}{name}/")
            parts = page.evaluate(LABEL_BOXES)
            labels = [text for part in parts for _, _, text in part["texts"]]
            assert len(labels) >= (1 if name == "single" else 3), (name, labels)
            for part in parts:
                boxes = sorted(part["texts"])
                for left, right, text in boxes:
                    assert part["left"] - 0.5 <= left and right <= part["right"] + 0.5, (name, text, left, right, part)
                for (_, right, text), (left, _, after) in zip(boxes, boxes[1:], strict=False):
                    assert left >= right - 0.5, (name, text, after, right, left)
            assert not [label for label in labels if label.startswith("-")]
            if name == "bce":
                assert "500 BCE" in labels, labels
            if name == "modern":
                assert "2000" in labels and all(int(label) % 10 == 0 for label in labels), labels
            if name == "single":
                assert labels == ["387"]
            if name == "minutes":
                assert all(":" in label for label in labels), labels
            widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            assert widths[0] <= widths[1]
    finally:
        page.context.close()


def tabs_to_first_event(page: Page, limit: int = 60) -> int:
    """Press Tab from the top of the page until a link to an event (or to a period's events) has focus."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate(
            "(() => { const a = document.activeElement; const href = a.getAttribute('href') || '';"
            " return a.matches('.axis a.mark, .axis a.bucket, .event-title a') || href.includes('/events/'); })()"
        ):
            return presses
    return limit + 1


def test_axis_is_one_tab_stop_per_stretch_with_arrow_keys_and_names_on_focus(browser: Browser, served: str) -> None:
    page = open_page(browser)
    try:
        page.goto(f"{served}modern/")
        assert tabs_to_first_event(page) <= 12
        first = page.evaluate("document.activeElement.getAttribute('aria-label')")
        assert page.text_content("#axis-name") == first and first
        assert page.locator("#axis-name").is_visible()
        page.keyboard.press("ArrowRight")
        second = page.evaluate("document.activeElement.getAttribute('aria-label')")
        assert second != first and page.text_content("#axis-name") == second
        page.keyboard.press("Tab")  # one stop per stretch: Tab leaves the axis
        assert page.evaluate("!document.activeElement.closest('.axis')")
        stops = page.evaluate("document.querySelectorAll('.axis a[tabindex=\"0\"]').length")
        assert stops == page.evaluate("document.querySelectorAll('.axis-part').length")
        legend = page.text_content(".axis-legend")
        assert "Number of events in a period" in legend and "Cold War" in legend
    finally:
        page.context.close()


def test_a_tap_names_a_mark_and_a_second_tap_opens_it(browser: Browser, served: str) -> None:
    page = open_page(browser, 375, has_touch=True, is_mobile=True)
    try:
        page.goto(f"{served}minutes/")
        mark = page.locator(".axis a.mark").nth(3)
        mark.tap()
        assert page.url == f"{served}minutes/"
        assert page.text_content("#axis-name") == mark.get_attribute("aria-label")
        mark.tap()
        page.wait_for_url("**/events/**")
    finally:
        page.context.close()


def test_skip_link_lands_past_the_axis(browser: Browser, served: str) -> None:
    page = open_page(browser)
    try:
        page.goto(f"{served}bce/")
        assert page.text_content("#y-499-title") == "500 BCE"  # headings name years as the axis does
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className") == "skip"
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "timeline-body"
        below = page.evaluate(
            "document.getElementById('timeline-body').getBoundingClientRect().top"
            " >= document.getElementById('axis').getBoundingClientRect().bottom"
        )
        assert below
        page.keyboard.press("Tab")
        assert page.evaluate("!document.activeElement.closest('.axis')")
    finally:
        page.context.close()


def test_parts_are_named_have_their_own_axis_and_only_the_eras_they_overlap(browser: Browser, served: str) -> None:
    page = open_page(browser)
    try:
        page.goto(f"{served}split/")
        assert tabs_to_first_event(page) <= 30
        assert page.locator(".axis a.bucket").first.get_attribute("href").startswith("/split/timeline/")
        page.goto(f"{served}split/timeline/2020s/")
        assert page.text_content("h1") == "2020s"
        assert page.locator(".era-band").count() == 0
        assert page.locator(".axis .era").count() == 0
        assert "Cold War" not in page.text_content(".axis-legend")
        groups = page.evaluate(
            "Array.from(document.querySelectorAll('.axis-part')).map(p => p.getAttribute('aria-label'))"
        )
        assert groups == ["2020 – 2024"]
        page.goto(f"{served}split/timeline/1980s/")
        assert page.text_content("h1") == "1980s"
        assert page.locator(".era-band").count() == 1
        assert page.locator(".axis .era").count() == 1
    finally:
        page.context.close()


def test_claims_table_scrolls_inside_its_box_at_375_px(browser: Browser, served: str) -> None:
    page = open_page(browser, 375)
    try:
        page.goto(f"{served}timeline/events/putin-death-toll-statement/")
        page_widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert page_widths[0] <= page_widths[1]
        wrap = page.evaluate(
            "(() => { const w = document.querySelector('.table-wrap'); const s = getComputedStyle(w);"
            " return [w.scrollWidth, w.clientWidth, s.overflowX, s.backgroundImage, w.tabIndex]; })()"
        )
        if wrap[0] > wrap[1]:  # wider than its box: it scrolls, can be reached by keyboard, and shows it
            assert wrap[2] == "auto" and "gradient" in wrap[3] and wrap[4] == 0
    finally:
        page.context.close()


def test_anchors_land_below_the_sticky_year_heading(browser: Browser, served: str) -> None:
    page = open_page(browser, 375)
    try:
        page.goto(f"{served}timeline/#y2020-10")
        page.wait_for_function("window.scrollY > 0")
        gap = page.evaluate(
            "document.querySelector('#y2020-10-title').getBoundingClientRect().top"
            " - document.querySelector('#y2020-title').getBoundingClientRect().bottom"
        )
        assert gap >= 0
    finally:
        page.context.close()


def test_filter_form_is_there_from_the_start_and_nothing_moves(browser: Browser, served: str) -> None:
    page = open_page(browser)
    held: list[Route] = []
    try:
        page.route("**/search/page/*.json", lambda route: held.append(route))
        page.goto(f"{served}timeline/", wait_until="domcontentloaded")
        assert page.locator("#filters").is_visible()
        before = page.evaluate("document.getElementById('events').getBoundingClientRect().top")
        for _ in range(200):  # the request is held by the route until released below
            if held:
                break
            page.wait_for_timeout(25)
        assert held, "the script asks for the events' data"
        held[0].continue_()
        page.wait_for_selector("#filters[data-ready]")
        after = page.evaluate("document.getElementById('events').getBoundingClientRect().top")
        assert before == after
    finally:
        page.context.close()


def test_print_gives_absolute_addresses_and_no_break_before_each_year(browser: Browser, served: str) -> None:
    page = open_page(browser)
    try:
        page.goto(f"{served}timeline/")
        page.emulate_media(media="print")
        page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
        assert page.evaluate("getComputedStyle(document.querySelector('#y2020')).breakBefore") != "page"
        after = page.evaluate("getComputedStyle(document.querySelector('.event .sources dd a'), '::after').content")
        assert f"{served}timeline/articles/okezone-2020-10-23-putin-5000/" in after
    finally:
        page.context.close()


def test_enter_opens_the_event_reached_with_j(browser: Browser, served: str) -> None:
    page = open_page(browser)
    try:
        page.goto(f"{served}timeline/")
        page.wait_for_selector("#filters[data-ready]")
        page.keyboard.press("j")
        assert page.evaluate("document.activeElement.id") == "event-first-nagorno-karabakh-war"
        page.keyboard.press("Enter")
        page.wait_for_url("**/events/first-nagorno-karabakh-war/")
    finally:
        page.context.close()
