"""A generated site whose names, titles, summaries and quotes are in Armenian, Azerbaijani, Russian, Arabic and Persian.

The texts are test data (place and country names, numbered phrases), not statements of fact.
"""

from __future__ import annotations

from pathlib import Path

NAMES = {
    "armenia": {"en": "Armenia", "hy": "Հայաստան", "az": "Ermənistan", "ru": "Армения", "ar": "أرمينيا",
                "fa": "ارمنستان"},
    "azerbaijan": {"en": "Azerbaijan", "hy": "Ադրբեջան", "az": "Azərbaycan", "ru": "Азербайджан", "ar": "أذربيجان",
                   "fa": "جمهوری آذربایجان"},
    "russia": {"en": "Russia", "ru": "Россия", "ar": "روسيا", "fa": "روسیه"},
    "iran": {"fa": "ایران", "en": "Iran", "ar": "إيران"},
}  # fmt: skip
PLACES = {
    "karabakh": {"en": "Nagorno-Karabakh", "hy": "Լեռնային Ղարաբաղ", "az": "Dağlıq Qarabağ", "ru": "Нагорный Карабах",
                 "ar": "ناغورني قره باغ", "fa": "قره‌باغ کوهستانی"},
    "yerevan": {"hy": "Երևան", "en": "Yerevan"},
}  # fmt: skip
WORDS = {
    "hy": "Իրադարձություն",
    "az": "Hadisə",
    "ru": "Событие",
    "ar": "حدث",
    "fa": "رویداد",
}
LANGUAGES = ("en", *WORDS)


def _mapping(entries: dict[str, str]) -> str:
    return "{" + ", ".join(f'{tag}: "{text}"' for tag, text in entries.items()) + "}"


def write_site(root: Path, events: int = 60, language: str = "en") -> Path:
    """Write a site of ``events`` events in every language above under ``root``; return ``root``."""
    (root / "content" / "events").mkdir(parents=True, exist_ok=True)
    (root / "site.yaml").write_text(
        f'title: "Multiscript"\nlanguage: {language}\ntimezone: UTC\nbase_url: /ms/\n', encoding="utf-8"
    )
    actors = [f"{key}:\n  name: {_mapping(names)}\n  kind: country\n" for key, names in NAMES.items()]
    actors.append('kremlin:\n  name: "Кремль"\n  language: ru\n  kind: organisation\n  description: "Администрация"\n')
    (root / "content" / "actors.yaml").write_text("".join(actors), encoding="utf-8")
    places = [f"{key}:\n  name: {_mapping(names)}\n" for key, names in PLACES.items()]
    places.append('tehran:\n  name: "تهران"\n  language: fa\n  description: "پایتخت ایران"\n')
    (root / "content" / "places.yaml").write_text("".join(places), encoding="utf-8")
    for n in range(events):
        tag = LANGUAGES[n % len(LANGUAGES)]
        day = 1 + n % 28
        month = 1 + (n // 28) % 12
        if tag == "en":
            title = f'"Event {n}"'
            head = f"title: {title}\nlanguage: en\n"
        elif (n // len(LANGUAGES)) % 2 == 0:  # each language both ways: a mapping, then a plain string
            head = f'title: {{en: "Event {n}", {tag}: "{WORDS[tag]} {n}"}}\nlanguage: {tag}\n'
        else:
            head = f'title: "{WORDS[tag]} {n}"\nlanguage: {tag}\n'
        summary = f"{WORDS.get(tag, 'Event')} {n}: [{WORDS.get(tag, 'next')}](event:e{(n + 1) % events})"
        body = (
            f"{head}date: 2020-{month:02d}-{day:02d}\n"
            f'summary: "{summary}"\n'
            "places: [karabakh, tehran, yerevan]\n"
            "actors: [armenia, azerbaijan, russia, iran, kremlin]\n"
            "tags: [war]\n"
            "sources:\n"
            "  - title: Report\n    publisher: Agency\n    url: https://example.org/r\n    language: ar\n"
            '    quote: "قتل أكثر من ألف شخص"\n    translation: "More than a thousand people were killed"\n'
            "  - title: Сводка\n    publisher: Agency\n    url: https://example.org/s\n    language: ru\n"
            '    quote: "Около пяти тысяч"\n'
            "claims:\n"
            "  - {quantity: Deaths, value: about 5000, number: 5000, claimant: russia, date: 2020-10-22, source: 2}\n"
            '  - {quantity: Deaths, value: "أكثر من ألف", wording: verbatim, number: 1000, qualifier: more-than,'
            " claimant: iran, date: 2020-10-01, source: 1}\n"
            "  - {quantity: Deaths, value: 900, number: 900, claimant: armenia, date: 2020-10-05, source: 1}\n"
            "  - {quantity: Deaths, value: 1200, number: 1200, claimant: armenia, date: 2020-10-20, source: 1}\n"
            "  - {quantity: Deaths, value: 61, number: 61, claimant: azerbaijan, date: 2020-10-10, source: 1}\n"
            "  - {quantity: Deaths, value: 300, number: 300, claimant: azerbaijan, date: 2020-10-21, source: 1}\n"
        )
        (root / "content" / "events" / f"e{n}.yaml").write_text(body, encoding="utf-8")
    (root / "content" / "articles").mkdir(exist_ok=True)
    (root / "content" / "articles" / "a1.md").write_text(
        '---\ntitle: {fa: "گزارش", en: "Report"}\nlanguage: fa\npublisher: Agency\nevents: [e0]\nquotes:\n'
        '  - text: "صلح پایدار"\n    speaker: iran\n    translation: "A lasting peace"\n---\nNotes.\n',
        encoding="utf-8",
    )
    return root
