"""UI strings in the site's language, and dates through Babel (never the process locale)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import babel

from timeline.dates import DateSpan, EDate, format_date, format_span

# English is the fallback for every string; a language adds the strings it translates.
STRINGS: Mapping[str, Mapping[str, str]] = {
    "en": {
        "timeline": "Timeline",
        "events": "Events",
        "articles": "Articles",
        "actors": "Actors",
        "places": "Places",
        "tags": "Tags",
        "sources": "Sources",
        "source": "source",
        "sources_count": "sources",
        "summary": "Summary",
        "claims": "Claims",
        "claimant": "Claimant",
        "claim": "Claim",
        "claim_date": "Made",
        "quantity": "Quantity",
        "per": "per",
        "related": "Related events",
        "reported_in": "Reported in",
        "previous": "Previous event",
        "next": "Next event",
        "published": "Published",
        "publisher": "Publisher",
        "author": "Author",
        "via": "via",
        "language": "Language",
        "original": "Original report",
        "quotes": "Quotes",
        "notes": "Notes",
        "reports_events": "Events this article reports",
        "related_reports": "Related reports",
        "corrections": "Corrections",
        "updated": "Updated",
        "accessed": "accessed",
        "archived": "archived copy",
        "quote": "Quote",
        "translation": "Translation",
        "disputed": "disputed",
        "status_happened": "happened",
        "status_scheduled": "scheduled",
        "status_disputed": "disputed",
        "status_reported": "as reported",
        "q_exact": "",
        "q_approximately": "about",
        "q_more-than": "more than",
        "q_fewer-than": "fewer than",
        "q_at-least": "at least",
        "q_at-most": "at most",
        "not_found": "Page not found",
        "not_found_text": "There is no page at this address.",
        "back_home": "Back to the timeline",
        "skip": "Skip to content",
        "photo": "Photo",
        "external_image": "external image",
        "media": "Media",
        "era": "Era",
        "no_events": "No events.",
        "kind_person": "person",
        "kind_organisation": "organisation",
        "kind_country": "country",
        "kind_group": "group",
        "kind_place": "place",
        "feeds": "Feeds and data",
        "filter": "Filter",
        "search": "Search",
        "all": "All",
        "time_axis": "Time axis",
        "gap": "gap",
    },
    "id": {
        "timeline": "Linimasa",
        "events": "Peristiwa",
        "articles": "Artikel",
        "actors": "Aktor",
        "places": "Tempat",
        "tags": "Tag",
        "sources": "Sumber",
        "source": "sumber",
        "sources_count": "sumber",
        "summary": "Ringkasan",
        "claims": "Klaim",
        "claimant": "Pengklaim",
        "claim": "Klaim",
        "claim_date": "Dibuat",
        "quantity": "Besaran",
        "per": "menurut",
        "related": "Peristiwa terkait",
        "reported_in": "Diberitakan dalam",
        "previous": "Peristiwa sebelumnya",
        "next": "Peristiwa berikutnya",
        "published": "Terbit",
        "publisher": "Penerbit",
        "author": "Penulis",
        "via": "melalui",
        "language": "Bahasa",
        "original": "Laporan asli",
        "quotes": "Kutipan",
        "notes": "Catatan",
        "reports_events": "Peristiwa yang diberitakan",
        "related_reports": "Berita terkait",
        "corrections": "Koreksi",
        "updated": "Diperbarui",
        "accessed": "diakses",
        "archived": "salinan arsip",
        "quote": "Kutipan",
        "translation": "Terjemahan",
        "disputed": "diperdebatkan",
        "status_happened": "terjadi",
        "status_scheduled": "terjadwal",
        "status_disputed": "diperdebatkan",
        "status_reported": "menurut laporan",
        "q_approximately": "sekitar",
        "q_more-than": "lebih dari",
        "q_fewer-than": "kurang dari",
        "q_at-least": "setidaknya",
        "q_at-most": "paling banyak",
        "not_found": "Halaman tidak ditemukan",
        "not_found_text": "Tidak ada halaman di alamat ini.",
        "back_home": "Kembali ke linimasa",
        "skip": "Langsung ke isi",
        "photo": "Foto",
        "external_image": "gambar eksternal",
        "media": "Media",
        "era": "Era",
        "no_events": "Tidak ada peristiwa.",
        "kind_person": "orang",
        "kind_organisation": "organisasi",
        "kind_country": "negara",
        "kind_group": "kelompok",
        "kind_place": "tempat",
        "feeds": "Umpan dan data",
        "filter": "Saring",
        "search": "Cari",
        "all": "Semua",
        "time_axis": "Sumbu waktu",
        "gap": "jeda",
    },
}


def check_language(language: str) -> str | None:
    """Return why Babel cannot format dates in ``language``, or None."""
    try:
        babel.Locale.parse(language.replace("-", "_"))
    except (ValueError, babel.UnknownLocaleError):
        return f"language '{language}' is not known to the date formatter (Babel)"
    return None


@dataclasses.dataclass(frozen=True, slots=True)
class Translator:
    """Strings and dates for one language."""

    language: str

    @property
    def locale(self) -> str:
        """Return the Babel locale name."""
        return self.language.replace("-", "_")

    def __call__(self, key: str) -> str:
        """Return the UI string ``key`` in this language, falling back to English."""
        base = self.language.split("-")[0].split("_")[0].lower()
        return STRINGS.get(base, {}).get(key, STRINGS["en"].get(key, key))

    def date(self, date: EDate | None, *, weekday: bool = False) -> str:
        """Return ``date`` in words at its precision."""
        return format_date(date, self.locale, weekday=weekday) if date else ""

    def span(self, span: DateSpan) -> str:
        """Return a date or range in words."""
        return format_span(span, self.locale)

    def language_name(self, code: str) -> str:
        """Return the name of language ``code`` in this language (``id`` -> Indonesian)."""
        try:
            name = babel.Locale.parse(code.replace("-", "_")).get_display_name(self.locale)
        except (ValueError, babel.UnknownLocaleError):
            return code
        return name or code
