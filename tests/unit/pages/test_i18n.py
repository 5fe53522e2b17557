"""UI strings from the theme's strings files, and dates through Babel, in the site's language."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from timeline.content.dates import DateSpan, EDate, parse_date
from timeline.content.model import ACTOR_KINDS, QUALIFIERS, STATUSES
from timeline.errors import Diagnostic
from timeline.pages.i18n import (
    STRINGS_DIR,
    Strings,
    Translator,
    UnknownString,
    builtin_strings,
    check_language,
    load_strings,
    placeholders,
)
from timeline.pages.theme import ThemeFile, data_files

REPO = Path(__file__).resolve().parents[3]
TEMPLATES = REPO / "themes" / "default" / "templates"
BUILTIN = REPO / "themes" / "default" / STRINGS_DIR


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
    assert Translator("id")("q_exact") == ""  # English's empty qualifier, not a missing key


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


def test_a_key_in_no_file_raises_and_names_the_english_file() -> None:
    with pytest.raises(UnknownString, match=r"'no_such_key'.*strings/en\.yaml"):
        Translator("id")("no_such_key")
    with pytest.raises(UnknownString, match="n_nothing"):
        Translator("en").count("n_nothing", 2)


def test_the_built_in_files_load_without_a_problem() -> None:
    diags: list[Diagnostic] = []
    strings = load_strings(data_files(None, STRINGS_DIR, diags), diags)
    assert diags == []
    assert {"en", "id"} <= set(strings.tables)
    assert sorted(p.name for p in BUILTIN.glob("*.yaml")) == [f"{tag}.yaml" for tag in sorted(strings.tables)]
    assert strings.tables == builtin_strings().tables


def used_keys() -> set[str]:
    """Return every key the built-in templates and timeline's own code ask for."""
    used: set[str] = set()
    for template in TEMPLATES.glob("*.html"):
        text = template.read_text(encoding="utf-8")
        used |= set(re.findall(r"\bt\('([a-z_-]+)'\)", text))
        used |= set(re.findall(r"\bt\.count\('([a-z_-]+)'", text))
    for module in (REPO / "timeline").rglob("*.py"):
        used |= set(re.findall(r"\bt\(\"([a-z_-]+)\"\)", module.read_text(encoding="utf-8")))
    # Keys built from a value: every status, qualifier and kind the model allows.
    used |= {f"status_{s}" for s in STATUSES} | {f"q_{q}" for q in QUALIFIERS}
    used |= {f"kind_{k}" for k in (*ACTOR_KINDS, "place")}
    return used


def test_every_key_the_theme_and_the_code_use_exists_in_english_and_indonesian() -> None:
    used = used_keys()
    assert {"sources", "search", "n_events", "not_found", "time_axis", "gap_years"} <= used
    tables = builtin_strings().tables
    assert sorted(k for k in used if k not in tables["en"]) == []
    assert sorted(k for k in used if k not in tables["id"] and tables["en"][k]) == []


def test_indonesian_has_no_key_english_lacks() -> None:
    tables = builtin_strings().tables
    assert set(tables["id"]) - set(tables["en"]) == set()


def strings_of(tmp_path: Path, files: dict[str, str]) -> tuple[dict[str, dict[str, str]], list[Diagnostic]]:
    """Load the built-in files and ``files`` as a site theme's strings files; return tables and diagnostics."""
    diags: list[Diagnostic] = []
    builtin = data_files(None, STRINGS_DIR, diags)
    own: list[ThemeFile] = []
    for name, text in files.items():
        path = tmp_path / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        own.append(ThemeFile(path, f"themes/house/strings/{name}", name, 0, True))
    moved = [ThemeFile(f.path, f.shown, f.name, f.rank + 1, False) for f in builtin]
    strings = load_strings([*own, *moved], diags, templates="{{ t('house_motto') }}")
    return {k: dict(v) for k, v in strings.tables.items()}, diags


def test_a_site_file_overrides_single_keys_and_adds_a_language(tmp_path: Path) -> None:
    tables, diags = strings_of(tmp_path, {"en.yaml": 'sources: "Citations"\n', "hy.yaml": 'search: "Որոնում"\n'})
    assert diags == []
    t = Translator("en", load_strings([], []))  # an empty chain knows nothing
    with pytest.raises(UnknownString):
        t("sources")
    assert tables["en"]["sources"] == "Citations" and tables["en"]["events"] == "Events"
    assert tables["hy"] == {"search": "Որոնում"}


def test_plural_forms_of_a_language_without_a_built_in_file(tmp_path: Path) -> None:
    files = {"ru.yaml": 'n_events_one: "{n} событие"\nn_events_few: "{n} события"\nn_events_many: "{n} событий"\n'}
    tables, diags = strings_of(tmp_path, files)
    assert diags == []
    t = Translator("ru", Strings(tables))
    assert [t.count("n_events", n) for n in (1, 3, 5, 21)] == ["1 событие", "3 события", "5 событий", "21 событие"]
    assert t.count("n_articles", 5) == "5 articles"  # not translated: English, in English's forms


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('shown_of: "{shown} shown"\n', "themes/house/strings/fa.yaml:1:11: error: UI string 'shown_of' must have"
         " the placeholders of English ({shown} {total}): missing {total}"),
        ('gap_years: "{years} later"\n', "themes/house/strings/fa.yaml:1:12: error: UI string 'gap_years' must have"
         " the placeholders of English ({n}): missing {n}; unknown {years}"),
        ('search: "{n}"\n', "themes/house/strings/fa.yaml:1:9: error: UI string 'search' must have"
         " the placeholders of English (none): unknown {n}"),
        ('gap_years: "{n.__class__} later"\n', "themes/house/strings/fa.yaml:1:12: error: UI string 'gap_years':"
         " a brace that is not part of a {name} placeholder"),
        ('gap_years: "{n:>99999999} later"\n', "themes/house/strings/fa.yaml:1:12: error: UI string 'gap_years':"
         " a brace that is not part of a {name} placeholder"),
        ("search: [a, b]\n", "themes/house/strings/fa.yaml:1:9: error: UI string 'search' must be a string,"
         " not a list"),
        ('search: "a\n', "themes/house/strings/fa.yaml:1:9: error: YAML syntax: the quoted text opened here is never"
         " closed; the parser stopped at 1:11: found unexpected end of stream"),
        ("- search\n", "themes/house/strings/fa.yaml:1:1: error: a strings file maps keys to strings"
         ' (key: "text"), one per line'),
        ('search: "a"\nsearch: "b"\n', "themes/house/strings/fa.yaml:2:1: error: duplicate key 'search'"
         " (first defined on line 1)"),
        ('serach: "جستجو"\n', "themes/house/strings/fa.yaml:1:1: warning: unknown UI string key 'serach'"
         " (did you mean 'search'?): no English file has it"),
        ("search: &a x\nall: *a\n", "themes/house/strings/fa.yaml:1:9: error: anchors are not allowed"),
    ],
)  # fmt: skip
def test_a_bad_strings_file_is_reported_where_it_goes_wrong(tmp_path: Path, text: str, expected: str) -> None:
    tables, diags = strings_of(tmp_path, {"fa.yaml": text})
    assert [d.format() for d in diags] == [expected]
    if "serach" in text:
        assert tables["fa"] == {"serach": "جستجو"}  # a warning: kept, though no template asks for it
    else:
        # What is wrong is never used: the key falls back to English (and the build fails on the error).
        assert all(key not in tables.get("fa", {}) for key in ("shown_of", "gap_years", "search"))


def test_an_english_override_must_keep_the_built_in_placeholders(tmp_path: Path) -> None:
    tables, diags = strings_of(tmp_path, {"en.yaml": 'n_events: "many events"\n'})
    assert [d.format() for d in diags] == [
        "themes/house/strings/en.yaml:1:11: error: UI string 'n_events' must have the placeholders of English"
        " ({n}): missing {n}"
    ]
    assert tables["en"]["n_events"] == "{n} events"


def test_a_new_english_key_is_fine_when_a_template_names_it_and_a_warning_when_none_does(tmp_path: Path) -> None:
    tables, diags = strings_of(tmp_path, {"en.yaml": 'house_motto: "Sources first"\nsaerch: "Find"\n'})
    assert [d.format() for d in diags] == [
        "themes/house/strings/en.yaml:2:1: warning: UI string key 'saerch' is new and no template uses it"
        " (did you mean 'search'?)"
    ]
    assert tables["en"]["house_motto"] == "Sources first"


def test_a_file_that_is_not_named_for_a_language_is_never_read(tmp_path: Path) -> None:
    tables, diags = strings_of(tmp_path, {"farsi.yml": 'search: "x"\n', "not a tag.yaml": 'search: "x"\n'})
    assert [d.message for d in diags] == [
        "not a strings file, so never read: name it <language>.yaml, such as hy.yaml or pt-BR.yaml"
    ] * 2
    assert tables["en"]["search"] == "Search"


@given(st.text(alphabet=st.sampled_from("{}nab_.:!0[] x"), max_size=24))
def test_a_text_that_passes_the_check_formats_with_exactly_its_names(text: str) -> None:
    # The check is what makes ``str.format`` on contributor text safe: no attribute, index or spec.
    names = placeholders(text)
    if names is None:
        return
    formatted = text.format(**{name: "<v>" for name in names})
    assert "{" not in formatted and "}" not in formatted
    assert formatted.count("<v>") == len(re.findall(r"\{[A-Za-z_][A-Za-z0-9_]*\}", text))


def test_a_regional_file_comes_before_the_language_and_english_last(tmp_path: Path) -> None:
    files = {"pt.yaml": 'search: "Pesquisar"\nsources: "Fontes"\n', "pt-BR.yaml": 'search: "Buscar"\n'}
    tables, diags = strings_of(tmp_path, files)
    assert diags == []
    brazil, portugal = Translator("pt-BR", Strings(tables)), Translator("pt-PT", Strings(tables))
    assert (brazil("search"), brazil("sources"), brazil("articles")) == ("Buscar", "Fontes", "Articles")
    assert (portugal("search"), portugal("sources")) == ("Pesquisar", "Fontes")
