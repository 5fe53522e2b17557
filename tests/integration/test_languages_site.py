"""A built site in Armenian, Azerbaijani, Russian, Arabic and Persian: every text node in its language and direction."""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from pathlib import Path

import lxml.html
import pytest

from tests.integration.multiscript import write_site
from tests.integration.test_html_valid import vnu_errors
from timeline.build.pipeline import build_site

SCRIPTS = {"ARMENIAN": {"hy"}, "CYRILLIC": {"ru"}, "ARABIC": {"ar", "fa"}}
"""The scripts of the generated site, and the languages written in each."""
RTL = {"ARABIC"}


def script_of(text: str) -> str | None:
    """Return the first non-Latin script of ``text`` that the site uses, or None."""
    for char in text:
        if char.isalpha():
            name = unicodedata.name(char, "").split(" ")[0]
            if name in SCRIPTS:
                return name
    return None


def nearest(element: lxml.html.HtmlElement, attribute: str) -> str | None:
    """Return ``attribute`` of ``element`` or of its nearest ancestor that has it."""
    while element is not None:
        value = element.get(attribute)
        if value is not None:
            return str(value)
        element = element.getparent()
    return None


def text_nodes(tree: lxml.html.HtmlElement) -> list[tuple[str, lxml.html.HtmlElement]]:
    """Return every text node of the page's body with the element that holds it."""
    found = []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue  # a comment
        if element.text and element.text.strip():
            found.append((element.text, element))
        parent = element.getparent()
        if element.tail and element.tail.strip() and parent is not None:
            found.append((element.tail, parent))
    return found


def problems(out: Path, site_language: str) -> tuple[list[str], Counter[str]]:
    """Return every non-Latin text node whose language or direction is not marked, and counts of what was checked."""
    wrong: list[str] = []
    seen: Counter[str] = Counter()
    for page in sorted(out.rglob("*.html")):
        tree = lxml.html.fromstring(page.read_bytes())
        body = tree.find("body")
        assert body is not None, page
        for text, holder in text_nodes(body):
            script = script_of(text)
            if script is None:
                continue
            # The time axis (pages/axis.py) gives each mark a <title> tooltip; its text is the aria-label.
            if any(a.tag == "figure" and "axis" in (a.get("class") or "") for a in holder.iterancestors()):
                seen["axis tooltip (not checked)"] += 1
                continue
            seen[script] += 1
            where = f"{page.relative_to(out)}: {holder.tag} {text.strip()[:30]!r}"
            lang = nearest(holder, "lang") or ""
            if lang.split("-")[0] not in SCRIPTS[script]:
                wrong.append(f"{where}: lang={lang!r}")
            direction = nearest(holder, "dir")
            if script in RTL and direction != "rtl":
                wrong.append(f"{where}: dir={direction!r}")
            if script not in RTL and direction == "rtl":
                wrong.append(f"{where}: dir=rtl for a left-to-right script")
    return wrong, seen


@pytest.mark.slow
def test_every_non_latin_text_has_its_language_and_direction(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", events=60)
    out = tmp_path / "out"
    result = build_site(site, out, cache=False)
    assert not result.failed(), [d.format() for d in result.diagnostics]
    wrong, seen = problems(out, "en")
    assert wrong == [], "\n".join(wrong[:40]) + f"\n... {len(wrong)} in all"
    # Thousands of texts in each script were checked, on every kind of page.
    assert seen["ARMENIAN"] > 200 and seen["CYRILLIC"] > 500 and seen["ARABIC"] > 1000, seen
    home = (out / "index.html").read_text(encoding="utf-8")
    assert '<h4 class="event-title" lang="fa" dir="rtl">' in home
    assert '<h4 class="event-title" lang="hy" dir="auto">' in home
    assert 'class="badge claim-span"' in home and "61 – 5,000</bdi>, 4 claimants" in home
    # The other names are kept in the open data, with their languages.
    data = json.loads((out / "events.json").read_text(encoding="utf-8"))
    armenia = next(a for a in data["actors"] if a["id"] == "armenia")
    assert armenia["names"]["hy"] == "Հայաստան" and armenia["name"] == "Armenia" and armenia["name_language"] == "en"
    e1 = next(e for e in data["events"] if e["id"] == "e1")
    assert e1["titles"] == {"en": "Event 1", "hy": "Իրադարձություն 1"} and e1["language"] == "hy"
    # Valid HTML: lang and dir where they may stand, the chart's SVG included.
    files = [out / "index.html", out / "events" / "e10" / "index.html", out / "actors" / "armenia" / "index.html",
             out / "articles" / "a1" / "index.html", out / "places" / "index.html"]  # fmt: skip
    assert "claim-chart" in files[1].read_text(encoding="utf-8")
    assert vnu_errors(files) == []


def test_a_right_to_left_site_marks_left_to_right_text(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", events=6, language="fa")
    out = tmp_path / "out"
    result = build_site(site, out, cache=False)
    assert not result.failed(), [d.format() for d in result.diagnostics]
    tree = lxml.html.fromstring((out / "index.html").read_bytes())
    assert (tree.get("lang"), tree.get("dir")) == ("fa", "rtl")
    # Names shown in Persian, the site's language: no lang of their own; Armenian and English ones are marked ltr.
    names = {b.text: (b.get("lang"), b.get("dir")) for b in tree.iter("bdi") if b.text}
    assert names["ارمنستان"] == (None, None)
    assert names["Երևան"] == ("hy", "ltr")  # no Persian name: the first entry, in its language
    titles = {h.text_content(): (h.get("lang"), h.get("dir")) for h in tree.find_class("event-title")}
    assert titles["Event 0"] == ("en", "ltr") and titles["Event 2"] == ("en", "ltr")  # no Persian title: the first
    assert titles["رویداد 5"] == (None, "auto") and titles["Event 4"] == ("en", "ltr")
    event = lxml.html.fromstring((out / "events" / "e0" / "index.html").read_bytes())
    numbers = [d.text for d in event.iter("data")]
    assert "۵٬۰۰۰" in numbers or "5٬000" in numbers or "5,000" in numbers, numbers


def test_example_site_shows_the_span_of_figures_and_the_translation_of_its_quotes(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = build_site(Path(__file__).resolve().parents[2], out, cache=False)
    assert not result.failed(), [d.format() for d in result.diagnostics]
    home = lxml.html.fromstring((out / "index.html").read_bytes())
    card = home.get_element_by_id("event-putin-death-toll-statement")
    (span,) = card.find_class("claim-span")
    assert span.text_content() == "61 – 5,000, 4 claimants"
    page = lxml.html.fromstring((out / "events" / "putin-death-toll-statement" / "index.html").read_bytes())
    claims = page.get_element_by_id("claims")
    # Every value in the example is an English paraphrase of the report: none is in quotation marks.
    assert claims.findall(".//q") == [] and {c.text for c in claims.find_class("wording")} == {"paraphrased"}
    rows = claims.get_element_by_id("claims-1").findall(".//tbody/tr")
    assert [r.find("th").text_content() for r in rows][:2] == ["Vladimir Putin", "Official reports (both sides)"]
    quote = page.get_element_by_id("source-1")
    assert quote.find(".//blockquote").get("lang") == "id"
    assert "There are many casualties on both sides" in quote.find_class("translation")[0].text_content()
