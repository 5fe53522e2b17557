"""UI strings in the site's language, and dates through Babel (never the process locale)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import babel

from timeline.content.dates import DateSpan, EDate, format_date, format_span

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
        "gap_years": "{n} years later",
        "actor": "Actor",
        "place": "Place",
        "tag": "Tag",
        "status": "Status",
        "filter_events": "Filter events",
        "search_placeholder": "Words in titles and summaries",
        "clear_filters": "Clear filters",
        "shown_of": "{shown} of {total} events shown",
        "no_match": "No event matches these filters.",
        "keys_hint": "Press j and k to move from event to event.",
        "n_events": "{n} events",
        "n_events_one": "{n} event",
        "n_articles": "{n} articles",
        "n_articles_one": "{n} article",
        "n_sources_one": "{n} source",
        "n_sources": "{n} sources",
        "one_source": "1 source",
        "disputed_help": "Carries conflicting claims from more than one claimant",
        "feed_atom": "Atom feed",
        "feed_articles": "Articles (Atom)",
        "parts": "Parts of the timeline",
        "data_csl": "Sources (CSL-JSON)",
        "sitemap": "Sitemap",
        "feed_ics": "Calendar (iCalendar)",
        "data_json": "Events (JSON)",
        "data_csv": "Events (CSV)",
        "data_timeline": "Timeline data (JSON)",
        "on_this_page": "On this page",
        "value": "As stated",
        "cited_quote": "Quoted passage",
        "navigation": "Site",
        "event_nav": "Previous and next events",
        "built_with": "Built with timeline",
        "external_sources": "Other sources",
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
        "gap_years": "{n} tahun kemudian",
        "actor": "Aktor",
        "place": "Tempat",
        "tag": "Tag",
        "status": "Status",
        "filter_events": "Saring peristiwa",
        "search_placeholder": "Kata dalam judul dan ringkasan",
        "clear_filters": "Hapus saringan",
        "shown_of": "{shown} dari {total} peristiwa ditampilkan",
        "no_match": "Tidak ada peristiwa yang cocok dengan saringan ini.",
        "keys_hint": "Tekan j dan k untuk berpindah antarperistiwa.",
        "n_events": "{n} peristiwa",
        "n_articles": "{n} artikel",
        "n_sources": "{n} sumber",
        "one_source": "1 sumber",
        "disputed_help": "Memuat klaim yang saling bertentangan dari lebih dari satu pihak",
        "feed_atom": "Umpan Atom",
        "feed_articles": "Artikel (Atom)",
        "parts": "Bagian linimasa",
        "data_csl": "Sumber (CSL-JSON)",
        "sitemap": "Peta situs",
        "feed_ics": "Kalender (iCalendar)",
        "data_json": "Peristiwa (JSON)",
        "data_csv": "Peristiwa (CSV)",
        "data_timeline": "Data linimasa (JSON)",
        "on_this_page": "Di halaman ini",
        "value": "Sebagaimana dinyatakan",
        "cited_quote": "Kutipan",
        "navigation": "Situs",
        "event_nav": "Peristiwa sebelumnya dan berikutnya",
        "built_with": "Dibuat dengan timeline",
        "external_sources": "Sumber lain",
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

    def count(self, key: str, n: int) -> str:
        """Return ``key`` with the number ``n`` in it, in the plural form the language uses for ``n``.

        >>> Translator("en").count("n_events", 1), Translator("id").count("n_events", 1)
        ('1 event', '1 peristiwa')
        """
        form = babel.Locale.parse(self.locale).plural_form(n)
        base = self.language.split("-")[0].split("_")[0].lower()
        table = STRINGS.get(base, {})
        if f"{key}_{form}" in table or (key in table and base != "en"):
            return table.get(f"{key}_{form}", table[key]).format(n=n)
        return STRINGS["en"].get(f"{key}_{form}", self(key)).format(n=n)

    def month(self, year: int, month: int) -> str:
        """Return a month heading in words (``Oktober 2020``)."""
        return format_date(EDate(year, month), self.locale)

    def language_name(self, code: str) -> str:
        """Return the name of language ``code`` in this language (``id`` -> Indonesian)."""
        try:
            name = babel.Locale.parse(code.replace("-", "_")).get_display_name(self.locale)
        except (ValueError, babel.UnknownLocaleError):
            return code
        return name or code
