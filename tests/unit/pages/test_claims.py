"""Claims compared: grouping, order, the span on cards, the chart, and language attributes."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

from timeline.content.dates import EDate
from timeline.content.model import Claim
from timeline.pages.claimchart import nice_ceiling, render_chart
from timeline.pages.claims import claim_span, compare_claims
from timeline.pages.direction import attributes, format_number


def claim(claimant: str, number: str = "", date: EDate | None = None, quantity: str = "Deaths") -> Claim:
    return Claim(quantity=quantity, value=number or "many", claimant=claimant, source=1, number=number, date=date)


def test_the_headline_comes_first_then_figures_from_largest() -> None:
    claims = [claim("putin", "5000"), claim("official", "1000"), claim("karabakh"), claim("azerbaijan", "61"),
              claim("putin", "2000", quantity="Deaths per side"), claim("ngo", "9000")]  # fmt: skip
    deaths, per_side = compare_claims(claims)
    assert deaths.quantity == "Deaths" and per_side.quantity == "Deaths per side"
    assert [c.claimant for c in deaths.claims] == ["putin", "ngo", "official", "azerbaijan", "karabakh"]
    assert not deaths.by_date and deaths.claimants == 5
    assert [c.claimant for c in per_side.claims] == ["putin"]


def test_claims_made_on_several_dates_are_in_date_order_after_the_headline() -> None:
    claims = [claim("a", "300", EDate(2020, 10, 5)), claim("b", "100", EDate(2020, 10, 1)), claim("c", "900"),
              claim("b", "200", EDate(2020, 10, 3))]  # fmt: skip
    (group,) = compare_claims(claims)
    assert group.by_date
    assert [(c.claimant, c.number) for c in group.claims] == [("a", "300"), ("b", "100"), ("b", "200"), ("c", "900")]
    assert group.charted


def test_span_is_of_the_quantity_with_most_claimants() -> None:
    claims = [claim("putin", "5000"), claim("official", "1000"), claim("karabakh"), claim("azerbaijan", "61"),
              claim("putin", "2000", quantity="Deaths per side")]  # fmt: skip
    span = claim_span(claims)
    assert span is not None
    assert (span.quantity, span.low, span.high, span.claimants) == ("Deaths", Decimal(61), Decimal(5000), 4)


def test_no_span_without_a_dispute_or_without_figures() -> None:
    assert claim_span([claim("putin", "5000"), claim("putin", "4000")]) is None
    assert claim_span([claim("a"), claim("b")]) is None
    assert claim_span([]) is None


def test_numbers_are_written_per_locale() -> None:
    assert format_number("5000", "en") == "5,000"
    assert format_number("5000", "id") == "5.000"
    assert format_number("5000", "ru") == "5\xa0000"
    assert format_number("1234.5", "de") == "1.234,5"
    assert format_number("5000", "xx-nowhere") == "5,000"


def test_lang_and_dir_attributes() -> None:
    assert str(attributes("fa", "en")) == ' lang="fa" dir="rtl"'
    assert str(attributes("ar", "fa")) == ' lang="ar"'  # same direction as the page
    assert str(attributes("hy", "ar")) == ' lang="hy" dir="ltr"'
    assert str(attributes("en", "en")) == ""
    assert str(attributes("en", "en", auto=True)) == ' dir="auto"'
    assert str(attributes("", "en")) == ""


def test_nice_ceiling() -> None:
    assert [nice_ceiling(v) for v in (1, 7, 11, 4300, 5000, 0.3)] == [1.0, 10.0, 20.0, 5000.0, 5000.0, 0.5]


def test_chart_states_every_point_in_its_text_alternative() -> None:
    claims = [claim("a", "300", EDate(2020, 10, 5)), claim("b", "100", EDate(2020, 10, 1)),
              claim("b", "2000", EDate(2020, 10, 3)), claim("c", "900")]  # fmt: skip
    (group,) = compare_claims(claims)
    names = {"a": ("Ахмед", "ru"), "b": ("<b>Bob</b>", "en"), "c": ("C", "en")}
    html = render_chart(group, "chart-1", names.__getitem__, "en", lambda d: d.edtf(), lambda key: key.upper())
    root = ET.fromstring(str(html))  # well-formed: names are escaped
    svg = root.find("svg")
    assert svg is not None and svg.get("role") == "img"
    assert (svg.get("aria-labelledby"), svg.get("aria-describedby")) == ("chart-1-title", "chart-1-desc")
    assert root.findtext("svg/title") == "CLAIMS_CHART: Deaths"
    assert root.findtext("svg/desc") == "Ахмед: 300 (2020-10-05); <b>Bob</b>: 100 (2020-10-01), 2,000 (2020-10-03)."
    assert len(root.findall("svg/g")) == 3  # the grid, and one series for each claimant with a dated figure
    legend = [li.find("bdi") for li in root.iter("li")]
    assert [(b.text, b.get("lang")) for b in legend if b is not None] == [("Ахмед", "ru"), ("<b>Bob</b>", None)]
    assert "2,000" in "".join(t.text or "" for t in root.iter("text"))  # axis labels in the locale
    assert root.findtext("svg/g/text") == "0"


def test_no_chart_for_one_claimant_or_one_date() -> None:
    one_claimant = compare_claims([claim("a", "1", EDate(2020, 1, 1)), claim("a", "2", EDate(2020, 2, 1))])[0]
    one_date = compare_claims([claim("a", "1", EDate(2020, 1, 1)), claim("b", "2", EDate(2020, 1, 1))])[0]
    for group in (one_claimant, one_date):
        assert not group.charted
        assert str(render_chart(group, "x", lambda c: (c, "en"), "en", str, str)) == ""
