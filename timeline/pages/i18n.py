"""UI strings in the site's language, from the theme chain's strings files; dates through Babel.

The strings are data of the theme: ``strings/<language>.yaml`` in each theme folder, one key per
string. A key is looked up in the site's language through the chain, nearest theme first (so a
site theme's file overrides single keys, or adds a language), then in English the same way; a
key in no file is an error at build time. Dates, months and language names come from Babel's
CLDR data, never from the process locale.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import os
import re
from collections.abc import Mapping, Sequence

import babel

from timeline.content.config import SiteConfig
from timeline.content.dates import DateSpan, EDate, format_date, format_span, format_year
from timeline.content.sourcefile import read_source
from timeline.content.values import check_language as check_language_tag
from timeline.content.yamldoc import YMap, load_yaml
from timeline.errors import Diagnostic, error, warning
from timeline.layout import builtin_themes
from timeline.pages.theme import ThemeFile, data_files, theme_dirs

STRINGS_DIR = "strings"
"""The folder of a theme that holds its strings files, ``<language>.yaml``."""
FALLBACK = "en"
"""The language every key falls back to."""
PLURAL_FORMS = ("zero", "one", "two", "few", "many", "other")
"""CLDR's plural categories: ``n_events_few`` is the form of ``n_events`` for the category ``few``."""
STRINGS_CAP = 256 * 1024
"""Largest strings file read."""

_PLACEHOLDER_RE = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_FILE_RE = re.compile(r"^([A-Za-z0-9_-]+)\.yaml$")


class UnknownString(LookupError):
    """A UI string key that no strings file of the theme chain has, in the language or in English."""


@dataclasses.dataclass(frozen=True, slots=True, eq=False)
class Strings:
    """The UI strings of a theme chain: language tag (lower case) -> key -> text, nearest theme winning."""

    tables: Mapping[str, Mapping[str, str]]
    english: tuple[str, ...] = ()
    """The English files read, nearest first: where a missing key was looked for last."""


def language_chain(language: str) -> tuple[str, ...]:
    """Return the tables to look in for ``language``, most specific first, English last.

    >>> language_chain("pt_BR"), language_chain("en-GB"), language_chain("hy")
    (('pt-br', 'pt', 'en'), ('en-gb', 'en'), ('hy', 'en'))
    """
    parts = language.replace("_", "-").lower().split("-")
    tags = ["-".join(parts[:n]) for n in range(len(parts), 0, -1)]
    return tuple(dict.fromkeys([*tags, FALLBACK]))


def placeholders(text: str) -> frozenset[str] | None:
    """Return the ``{name}`` placeholders of ``text``, or None when a brace is not part of one.

    >>> sorted(placeholders("{shown} of {total}")), placeholders("{n.real}"), placeholders("{{n}}")
    (['shown', 'total'], None, None)
    """
    if "{" in _PLACEHOLDER_RE.sub("", text) or "}" in _PLACEHOLDER_RE.sub("", text):
        return None
    return frozenset(_PLACEHOLDER_RE.findall(text))


def site_strings(config: SiteConfig, diags: list[Diagnostic]) -> Strings:
    """Return the UI strings of the site's theme chain; every problem in a strings file goes to ``diags``."""
    files = data_files(config, STRINGS_DIR, diags)
    # The templates are read only to tell a site theme's new key from a typo.
    templates = _template_text(config) if any(f.own for f in files) else ""
    return load_strings(files, diags, templates)


def builtin_strings(language: str | None = None) -> Strings:
    """Return the strings of the built-in default theme alone (what ``Translator(language)`` uses).

    With ``language``, they are read again only when a file that language looks in changed.
    """
    # Plain strings, not Path: this runs once per Translator the outputs make (one per event).
    folder = os.path.join(builtin_themes(), "default", STRINGS_DIR)
    if language is None:
        names = sorted(entry.name for entry in os.scandir(folder))
    else:
        names = [f"{tag}.yaml" for tag in language_chain(language)]
    # Keyed by each file's stat, so that an edit to a built-in file in a checkout is read again.
    return _read_builtin(tuple(_stat_key(os.path.join(folder, name)) for name in names))


# A memo of a pure function of the installed files (keyed by their stat), like the date caches:
# outputs ask ``Translator(language)`` for a string per event, and must not parse YAML each time.
@functools.lru_cache(maxsize=8)
def _read_builtin(_files: tuple[tuple[str, int, int], ...]) -> Strings:
    # The built-in files are checked by the tests; a problem in them shows in a site's build anyway.
    return load_strings(data_files(None, STRINGS_DIR, []), [])


def _stat_key(path: str) -> tuple[str, int, int]:
    try:
        stat = os.stat(path)
    except OSError:
        return (path, -1, -1)
    return (path, stat.st_mtime_ns, stat.st_size)


def _template_text(config: SiteConfig) -> str:
    """Return the text of every template in the chain, to tell a theme's new key from a typo."""
    texts: list[str] = []
    for theme in theme_dirs(config):
        for path in sorted((theme / "templates").rglob("*")):
            try:
                texts.append(path.read_text(encoding="utf-8", errors="replace"))
            except OSError:
                continue  # a folder, or a file that went away: templates report their own problems
    return "\n".join(texts)


@dataclasses.dataclass(frozen=True, slots=True)
class _Entry:
    """One string of one file, and where its key and its text stand."""

    key: str
    text: str
    key_pos: tuple[int, int]
    text_pos: tuple[int, int]
    file: ThemeFile
    language: str


def load_strings(files: Sequence[ThemeFile], diags: list[Diagnostic], templates: str = "") -> Strings:
    """Return the strings of ``files`` (nearest theme first), checking each file; problems go to ``diags``.

    A file that is not a mapping of keys to strings is an error where it goes wrong. A key no
    English file has is a warning (a typo would otherwise be silently unused), and so is a new
    key in a site theme's English file that no template mentions (in ``templates``). Placeholders
    must be the English text's own.
    """
    entries: list[_Entry] = []
    seen: dict[tuple[int, str], str] = {}
    for file in files:
        match = _FILE_RE.match(file.name)
        if match is None or check_language_tag(match.group(1)):
            message = "not a strings file, so never read: name it <language>.yaml, such as hy.yaml or pt-BR.yaml"
            diags.append(warning(file.shown, 1, 1, message))
            continue
        language = match.group(1).replace("_", "-").lower()
        other = seen.setdefault((file.rank, language), file.shown)
        if other != file.shown:
            diags.append(error(file.shown, 1, 1, f"a second strings file for '{language}' beside {other}"))
            continue
        entries += _read_file(file, language, diags)

    # Every key English has, with the placeholders of its farthest definition (the one a theme overrides).
    reference: dict[str, frozenset[str]] = {}
    builtin_keys: set[str] = set()
    for entry in sorted((e for e in entries if e.language == FALLBACK), key=lambda e: -e.file.rank):
        found = placeholders(entry.text)
        if found is not None:
            reference.setdefault(entry.key, found)
        if not entry.file.own:
            builtin_keys.add(entry.key)

    tables: dict[str, dict[str, str]] = {}
    for entry in sorted(entries, key=lambda e: -e.file.rank):
        if _check_entry(entry, reference, builtin_keys, templates, diags):
            tables.setdefault(entry.language, {})[entry.key] = entry.text
    english = tuple(dict.fromkeys(e.file.shown for e in entries if e.language == FALLBACK))
    return Strings({language: dict(table) for language, table in sorted(tables.items())}, english)


def _read_file(file: ThemeFile, language: str, diags: list[Diagnostic]) -> list[_Entry]:
    text, problem = read_source(file.path, file.shown, STRINGS_CAP)
    if text is None:
        diags.append(problem or error(file.shown, 1, 1, "cannot read file"))
        return []
    value, found = load_yaml(text, file.shown)
    diags += found
    if found or value is None:
        return []
    if not isinstance(value, YMap):
        diags.append(error(file.shown, 1, 1, 'a strings file maps keys to strings (key: "text"), one per line'))
        return []
    entries: list[_Entry] = []
    for key, text in value.items():
        if not isinstance(text, str):
            line, col = value.where(key)
            kind = "mapping" if isinstance(text, Mapping) else "list"
            diags.append(error(file.shown, line, col, f"UI string '{key}' must be a string, not a {kind}"))
            continue
        entries.append(_Entry(key, text, value.key_pos.get(key, value.pos), value.where(key), file, language))
    return entries


def _check_entry(
    entry: _Entry,
    reference: Mapping[str, frozenset[str]],
    builtin_keys: set[str],
    templates: str,
    diags: list[Diagnostic],
) -> bool:
    """Return True if ``entry`` may be used; report what is wrong with it."""
    shown = entry.file.shown
    found = placeholders(entry.text)
    if found is None:
        message = f"UI string '{entry.key}': a brace that is not part of a {{name}} placeholder"
        diags.append(error(shown, *entry.text_pos, message))
        return False
    base, _, form = entry.key.rpartition("_")
    expected = reference.get(entry.key)
    if expected is None and form in PLURAL_FORMS:
        expected = reference.get(base)
    if expected is None:
        hint = difflib.get_close_matches(entry.key, sorted(reference), n=1)
        extra = f" (did you mean '{hint[0]}'?)" if hint else ""
        message = f"unknown UI string key '{entry.key}'{extra}: no English file has it"
        diags.append(warning(shown, *entry.key_pos, message))
        return True
    if entry.language == FALLBACK and entry.file.own and entry.key not in builtin_keys and form not in PLURAL_FORMS:
        if f"'{entry.key}'" not in templates and f'"{entry.key}"' not in templates:
            hint = difflib.get_close_matches(entry.key, sorted(builtin_keys), n=1)
            extra = f" (did you mean '{hint[0]}'?)" if hint else ""
            message = f"UI string key '{entry.key}' is new and no template uses it{extra}"
            diags.append(warning(shown, *entry.key_pos, message))
    if found != expected:
        missing = ", ".join(f"{{{n}}}" for n in sorted(expected - found))
        extra_names = ", ".join(f"{{{n}}}" for n in sorted(found - expected))
        said = "; ".join(
            p for p in (f"missing {missing}" if missing else "", f"unknown {extra_names}" if extra_names else "") if p
        )
        want = " ".join(f"{{{n}}}" for n in sorted(expected)) or "none"
        message = f"UI string '{entry.key}' must have the placeholders of English ({want}): {said}"
        diags.append(error(shown, *entry.text_pos, message))
        return False
    return True


def check_language(language: str) -> str | None:
    """Return why Babel cannot format dates in ``language``, or None."""
    try:
        babel.Locale.parse(language.replace("-", "_"))
    except (ValueError, babel.UnknownLocaleError):
        return f"language '{language}' is not known to the date formatter (Babel)"
    return None


@dataclasses.dataclass(frozen=True, slots=True)
class Translator:
    """Strings and dates for one language; without ``strings``, the built-in theme's strings."""

    language: str
    strings: Strings | None = None
    _tables: tuple[Mapping[str, str], ...] | None = dataclasses.field(
        default=None, init=False, repr=False, compare=False
    )

    def _lookup(self) -> tuple[Mapping[str, str], ...]:
        """Return the tables to look a key up in, in order; worked out on first use and kept."""
        if self._tables is None:
            # Lazily: a Translator made only for dates (the calendars, one per event) never reads a file.
            strings = self.strings if self.strings is not None else builtin_strings(self.language)
            tables = tuple(strings.tables[tag] for tag in language_chain(self.language) if tag in strings.tables)
            object.__setattr__(self, "_tables", tables)  # frozen, but this is a memo of the fields above
            return tables
        return self._tables

    @property
    def locale(self) -> str:
        """Return the Babel locale name."""
        return self.language.replace("-", "_")

    def __call__(self, key: str) -> str:
        """Return the UI string ``key`` in this language, falling back to English."""
        for table in self._lookup():
            if key in table:
                return table[key]
        raise self._unknown(key)

    def _unknown(self, key: str) -> UnknownString:
        strings = self.strings if self.strings is not None else builtin_strings()
        where = ", ".join(strings.english) or f"{STRINGS_DIR}/{FALLBACK}.yaml"
        return UnknownString(f"UI string '{key}' is in no strings file (not even in {where})")

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
        for table in self._lookup():
            text = table.get(f"{key}_{form}", table.get(key))
            if text is not None:
                # Placeholders were checked when the file was read: {n} is the only name a count has.
                return text.format(n=n)
        raise self._unknown(key)

    def year(self, year: int) -> str:
        """Return a year heading as every output writes a year (``95 BCE``, never ``-94``).

        >>> Translator("en").year(-94), Translator("id").year(2020)
        ('95 BCE', '2020')
        """
        return format_year(year, self.locale)

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
