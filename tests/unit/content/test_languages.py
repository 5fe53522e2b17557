"""Writing direction by language tag and by script, per-language names, and bidi controls."""

from __future__ import annotations

import pytest

from timeline.content.languages import (
    BIDI_CONTROLS,
    is_rtl,
    neutralise,
    pick,
    script_subtag,
    strip_bidi_controls,
    tag_direction,
    text_direction,
)
from timeline.content.yamldoc import load_yaml


@pytest.mark.parametrize(
    ("tag", "direction"),
    [
        ("ar", "rtl"),
        ("ar-EG", "rtl"),
        ("fa", "rtl"),
        ("fa-IR", "rtl"),
        ("he", "rtl"),
        ("iw", "rtl"),  # the old code for Hebrew
        ("ur", "rtl"),
        ("ps", "rtl"),
        ("yi", "rtl"),
        ("dv", "rtl"),
        ("ckb", "rtl"),
        ("hy", "ltr"),
        ("ru", "ltr"),
        ("az", "ltr"),
        ("az-Latn", "ltr"),
        ("en", "ltr"),
        ("EN_us", "ltr"),
        # The script subtag decides over the language's default.
        ("az-Arab", "rtl"),
        ("az-Arab-IR", "rtl"),
        ("ku-Arab", "rtl"),
        ("ku", "ltr"),
        ("pa-Arab", "rtl"),
        ("uz-Arab", "rtl"),
        ("ar-Latn", "ltr"),
        ("fa_Latn", "ltr"),
        ("zh-yue-Hant", "ltr"),
    ],
)
def test_direction_of_a_language_tag(tag: str, direction: str) -> None:
    assert tag_direction(tag) == direction
    assert is_rtl(tag) is (direction == "rtl")


def test_no_tag_is_not_right_to_left() -> None:
    assert is_rtl("") is False


def test_script_subtag_is_found_after_extended_language_subtags() -> None:
    assert script_subtag("zh-yue-Hant-HK") == "hant"
    assert script_subtag("sr-Cyrl") == "cyrl"
    assert script_subtag("en-US") == ""
    assert script_subtag("de-1996") == ""  # a variant, not a script


@pytest.mark.parametrize(
    ("text", "direction"),
    [
        ("السلام عليكم", "rtl"),  # Arabic
        ("صلح پایدار", "rtl"),  # Persian
        ("שלום", "rtl"),  # Hebrew
        ("Հայաստան", "ltr"),  # Armenian
        ("Азербайджан", "ltr"),  # Russian
        ("Ermənistan", "ltr"),  # Azerbaijani (Latin)
        ("2020 — «Карабах»", "ltr"),  # leading digits and punctuation are weak
        ("1,000 – 5,000", None),
        ("«قره‌باغ» Karabakh", "rtl"),  # mixed: the first strong character decides, as dir="auto"
        ("Karabakh «قره‌باغ»", "ltr"),
    ],
)
def test_direction_of_text_is_that_of_its_first_strong_character(text: str, direction: str | None) -> None:
    assert text_direction(text) == direction


def test_every_embedding_override_and_isolate_is_removed() -> None:
    assert len(BIDI_CONTROLS) == 9
    for control in BIDI_CONTROLS:
        assert strip_bidi_controls(f"abc{control}def") == "abcdef"
    # Marks (LRM, RLM, ALM) cannot reorder what follows them: they stay.
    assert strip_bidi_controls("a\u200eb\u200fc\u061cd") == "a\u200eb\u200fc\u061cd"


def test_a_right_to_left_override_in_a_title_is_gone_after_reading() -> None:
    value, diags = load_yaml("title: 'Fighting \u202eerupts'\nsources:\n  - quote: 'x\u2067y'\n", "e.yaml")
    assert diags == []
    neutralise(value)
    assert value["title"] == "Fighting erupts"
    assert value["sources"][0]["quote"] == "xy"


@pytest.mark.parametrize(
    ("site", "expected"),
    [
        ("hy", ("hy", "Հայաստան")),
        ("ru", ("ru", "Армения")),
        ("ru-RU", ("ru", "Армения")),
        ("az", ("az", "Ermənistan")),
        ("en-GB", ("en", "Armenia")),
        ("fa", ("en", "Armenia")),  # no Persian entry: the first
    ],
)
def test_display_name_is_the_site_languages_entry_else_the_first(site: str, expected: tuple[str, str]) -> None:
    entries = [("en", "Armenia"), ("hy", "Հայաստան"), ("ru", "Армения"), ("az", "Ermənistan")]
    assert pick(entries, site) == expected


def test_a_regional_entry_serves_a_site_in_the_language() -> None:
    assert pick([("en", "Brazil"), ("pt-BR", "Brasil")], "pt") == ("pt-BR", "Brasil")
    assert pick([("pt-PT", "Brasil (PT)"), ("pt-BR", "Brasil")], "pt-BR") == ("pt-BR", "Brasil")
    assert pick([], "en") == ("", "")
