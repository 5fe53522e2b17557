"""UI strings and dates in the site's language: English and Indonesian, and every key the theme uses."""

from __future__ import annotations

import re
from pathlib import Path

from timeline.content.dates import DateSpan, EDate, parse_date
from timeline.content.model import ACTOR_KINDS, QUALIFIERS, STATUSES
from timeline.pages.i18n import STRINGS, Translator, check_language

TEMPLATES = Path(__file__).resolve().parents[3] / "themes" / "default" / "templates"


def test_indonesian_dates_and_weekdays() -> None:
    t = Translator("id")
    assert t.date(EDate(2020, 10, 23)) == "23 Oktober 2020"
    assert t.date(EDate(2020, 10, 23), weekday=True) == "Jumat, 23 Oktober 2020"
    assert t.date(parse_date("2020-10-23T18:01+07:00"), weekday=True) == "Jumat, 23 Oktober 2020, 18:01 UTC+07:00"
    assert t.month(2020, 10) == "Oktober 2020"
    assert t.span(DateSpan(EDate(1988), EDate(1994))) == "1988 – 1994"


def test_english_dates_keep_their_precision() -> None:
    t = Translator("en")
    assert t.date(EDate(1994)) == "1994"
    assert t.date(EDate(2020, 10)) == "October 2020"
    assert t.date(EDate(2020, 10, 23), weekday=True) == "Friday, October 23, 2020"


def test_strings_translate_and_fall_back_to_english() -> None:
    assert Translator("id")("timeline") == "Linimasa"
    assert Translator("en")("timeline") == "Timeline"
    assert Translator("id-ID")("search") == "Cari"
    assert Translator("fr")("search") == "Search"  # no French strings: English, dates still French
    assert Translator("fr").date(EDate(2020, 10)) == "octobre 2020"


def test_counts_use_the_language_plural_rules() -> None:
    assert Translator("en").count("n_events", 1) == "1 event"
    assert Translator("en").count("n_events", 2) == "2 events"
    assert Translator("id").count("n_events", 1) == "1 peristiwa"
    assert Translator("id").count("n_sources", 3) == "3 sumber"


def test_language_names_in_the_site_language() -> None:
    assert Translator("en").language_name("id") == "Indonesian"
    assert Translator("id").language_name("en") == "Inggris"
    assert Translator("en").language_name("zz-nope") == "zz-nope"
    assert check_language("id") is None and check_language("xx-yy-zz") is not None


def test_every_key_the_theme_uses_exists_in_english_and_indonesian() -> None:
    used: set[str] = set()
    for template in TEMPLATES.glob("*.html"):
        text = template.read_text(encoding="utf-8")
        used |= set(re.findall(r"\bt\('([a-z_-]+)'\)", text))
        used |= set(re.findall(r"\bt\.count\('([a-z_-]+)'", text))
    # Keys built from a value: every status, qualifier and kind the model allows.
    used |= {f"status_{s}" for s in STATUSES} | {f"q_{q}" for q in QUALIFIERS}
    used |= {f"kind_{k}" for k in (*ACTOR_KINDS, "place")}
    assert {"sources", "search", "n_events", "not_found"} <= used
    missing = sorted(k for k in used if k not in STRINGS["en"])
    assert missing == []
    untranslated = sorted(k for k in used if k not in STRINGS["id"] and STRINGS["en"][k])
    assert untranslated == []


def test_indonesian_has_no_key_english_lacks() -> None:
    assert set(STRINGS["id"]) - set(STRINGS["en"]) == set()
