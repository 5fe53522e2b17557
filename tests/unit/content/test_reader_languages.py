"""The reader's languages: names and titles per language, quote translations, claim wording, bidi controls."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from timeline.content.config import SiteConfig
from timeline.content.model import Content
from timeline.content.reader import RecordMemo, read_content
from timeline.errors import Diagnostic
from timeline.incremental.memo import Memo

EVENT = "date: 2020-09-27\nsources:\n  - title: Report\n    language: hy\n"


def read(root: Path, files: dict[str, str], language: str = "en") -> tuple[Content, list[str]]:
    """Write ``files`` under ``root`` and read them for a site in ``language``."""
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(data, encoding="utf-8")
    (root / "content").mkdir(exist_ok=True)
    config = dataclasses.replace(SiteConfig(root=root, title="T"), language=language)
    content, diags = read_content(config)
    return content, [d.format() for d in sorted(diags, key=Diagnostic.format)]


def test_names_and_titles_per_language(tmp_path: Path) -> None:
    files = {
        "content/actors.yaml": "armenia:\n  name: {en: Armenia, hy: Հայաստան, az: Ermənistan}\n  kind: country\n"
        "iran:\n  name: ایران\n  language: fa\n  description: کشوری در آسیا\n",
        "content/events/e.yaml": "title:\n  ru: Бои в Карабахе\n  en: Fighting in Karabakh\n" + EVENT,
        "content/events/f.yaml": "title: آتش‌بس\nlanguage: fa\n" + EVENT,
        "content/articles/a.md": "---\ntitle: {hy: Լուր, en: News}\nlanguage: hy\n---\n",
    }
    content, diags = read(tmp_path, files)
    assert diags == []
    armenia, iran = content.actors
    assert (armenia.name, armenia.name_language) == ("Armenia", "en")
    assert armenia.names == (("en", "Armenia"), ("hy", "Հայաստան"), ("az", "Ermənistan"))
    assert (iran.name, iran.name_language, iran.language, iran.names) == ("ایران", "fa", "fa", ())
    by_id = {e.id: e for e in content.events}
    assert (by_id["e"].title, by_id["e"].title_language, by_id["e"].language) == ("Fighting in Karabakh", "en", "")
    assert by_id["e"].titles == (("ru", "Бои в Карабахе"), ("en", "Fighting in Karabakh"))
    assert (by_id["f"].title, by_id["f"].title_language, by_id["f"].titles) == ("آتش‌بس", "fa", ())
    (article,) = content.articles
    assert (article.title, article.title_language) == ("News", "en")


def test_a_site_in_another_language_shows_its_own_entry(tmp_path: Path) -> None:
    files = {"content/events/e.yaml": "title: {en: Ceasefire, ru: Перемирие}\n" + EVENT}
    content, diags = read(tmp_path, files, language="ru")
    assert diags == []
    assert (content.events[0].title, content.events[0].title_language) == ("Перемирие", "ru")


def test_bad_language_tags_and_mappings_are_located_errors(tmp_path: Path) -> None:
    files = {
        "content/actors.yaml": "armenia:\n  name: {en: Armenia, 'h y': Հայաստան}\n"
        "azerbaijan:\n  name: {}\n"
        "russia:\n  name: {en: Russia, EN: Russia again}\n"
        "iran:\n  name: {en: Iran, fa: [ایران]}\n"
        "turkey:\n  name: Turkey\n  language: Turkish!\n",
        "content/events/e.yaml": "title: {english: Fighting}\nlanguage: x\n" + EVENT,
        "content/events/f.yaml": "title: {en: ''}\n" + EVENT,
        "content/articles/a.md": "---\ntitle: T\nquotes:\n  - text: Բարև\n    translation_language: en\n---\n",
    }
    _, diags = read(tmp_path, files)
    assert diags == [
        "content/actors.yaml:11:13: error: language 'Turkish!' is not a BCP 47 code such as en, id or pt-BR",
        "content/actors.yaml:2:23: error: name: language 'h y' is not a BCP 47 code such as en, id or pt-BR",
        "content/actors.yaml:4:9: error: 'name' must be text, or a mapping of language codes to text "
        "(en: ..., hy: ...)",
        "content/actors.yaml:6:22: error: name: 'EN' is the same language as 'en'",
        "content/actors.yaml:8:24: error: name: the fa entry must be non-empty text",
        "content/articles/a.md:5:27: error: 'translation_language' without a 'translation'",
        "content/events/e.yaml:1:9: error: title: language 'english' is not a BCP 47 code such as en, id or pt-BR",
        "content/events/e.yaml:2:11: error: language 'x' is not a BCP 47 code such as en, id or pt-BR",
        "content/events/f.yaml:1:13: error: title: the en entry must be non-empty text",
    ]


def test_quote_translations_and_claim_wording(tmp_path: Path) -> None:
    files = {
        "content/actors.yaml": "putin:\n  name: Vladimir Putin\n",
        "content/events/e.yaml": "title: T\ndate: 2020-10-22\nsources:\n"
        "  - title: Report\n    language: ru\n    quote: Около пяти тысяч\n    translation: About five thousand\n"
        "  - title: Other\n    quote: In English\n"
        "  - title: Third\n    translation: no quote\n    translation_language: en\n"
        "claims:\n"
        "  - {quantity: Deaths, value: Около пяти тысяч, number: 5000, claimant: putin, source: 1, wording: verbatim}\n"
        "  - {quantity: Deaths, value: about 5000, claimant: putin, source: 1}\n"
        "  - {quantity: Deaths, value: x, claimant: putin, source: 1, wording: quoted}\n",
    }
    content, diags = read(tmp_path, files)
    assert diags == [
        "content/events/e.yaml:11:18: error: a translation needs the 'quote' it translates",
        "content/events/e.yaml:16:71: error: wording must be one of verbatim, paraphrase "
        "(verbatim: the claimant's own words)",
    ]
    first, second, _ = content.events[0].sources
    assert (first.quote_language, first.translation, first.translation_language) == ("ru", "About five thousand", "en")
    assert second.quote_language == "en"  # no language given: the site's
    assert [c.wording for c in content.events[0].claims] == ["verbatim", "paraphrase", "paraphrase"]


def test_translation_is_allowed_on_an_article_source(tmp_path: Path) -> None:
    files = {
        "content/articles/a.md": "---\ntitle: Լուր\nlanguage: hy\n---\n",
        "content/events/e.yaml": "title: T\ndate: 2020\nsources:\n"
        "  - article: a\n    quote: Բարև\n    translation: Hello\n    translation_language: en-GB\n",
    }
    content, diags = read(tmp_path, files)
    assert diags == []
    (source,) = content.events[0].sources
    assert (source.quote_language, source.translation_language) == ("", "en-GB")


def test_bidi_controls_in_contributor_text_are_removed(tmp_path: Path) -> None:
    files = {
        "content/actors.yaml": "x:\n  name: \"Evil \\u202Eactor\"\n",
        "content/events/e.yaml": "title: \"Ceasefire \\u202Egnikaerb\"\nsummary: \"a\\u2066b\"\n" + EVENT,
        "content/articles/a.md": "---\ntitle: \"T\\u202B\"\n---\nBody \u202e text\n",
    }
    content, diags = read(tmp_path, files)
    assert diags == []
    assert content.actors[0].name == "Evil actor"
    assert (content.events[0].title, content.events[0].summary) == ("Ceasefire gnikaerb", "ab")
    assert (content.articles[0].title, content.articles[0].body) == ("T", "Body  text\n")


def test_a_kept_record_is_read_again_when_the_site_language_changes(tmp_path: Path) -> None:
    (tmp_path / "content" / "events").mkdir(parents=True)
    (tmp_path / "content" / "events" / "e.yaml").write_text("title: {en: Ceasefire, ru: Перемирие}\n" + EVENT)
    memo: RecordMemo = Memo()
    shown = []
    for language in ("en", "ru", "en"):
        config = dataclasses.replace(SiteConfig(root=tmp_path, title="T"), language=language)
        content, diags = read_content(config, memo)
        assert diags == []
        shown.append(content.events[0].title)
    assert shown == ["Ceasefire", "Перемирие", "Ceasefire"]
