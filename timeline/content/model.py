"""The content model: frozen records read from files, and the indexed timeline built from them."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import re
import unicodedata
from collections.abc import Mapping
from typing import Literal

from timeline.content.config import SiteConfig
from timeline.content.dates import DateSpan, EDate

Status = Literal["happened", "scheduled", "disputed", "reported"]
STATUSES: tuple[Status, ...] = ("happened", "scheduled", "disputed", "reported")
Qualifier = Literal["exact", "approximately", "more-than", "fewer-than", "at-least", "at-most"]
QUALIFIERS: tuple[Qualifier, ...] = ("exact", "approximately", "more-than", "fewer-than", "at-least", "at-most")
ACTOR_KINDS = ("person", "organisation", "country", "group")
Wording = Literal["verbatim", "paraphrase"]
WORDINGS: tuple[Wording, ...] = ("verbatim", "paraphrase")
Localized = tuple[tuple[str, str], ...]
"""(BCP 47 tag, text) of each language a name or title is written in, as written; () for a plain string."""

_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
_DEVICE_NAMES = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


def check_id(value: str) -> str | None:
    """Return why ``value`` cannot be an id (it becomes a folder name), or None if it can."""
    if not _ID_RE.match(value):
        return f"id '{value}' must be 1-100 letters, digits, '-', '_' or '.', starting with a letter or digit"
    if value.endswith(".") or ".." in value:
        return f"id '{value}' must not end with '.' or contain '..'"
    if value.split(".")[0].lower() in _DEVICE_NAMES:
        return f"id '{value}' is a reserved device name on Windows"
    return None


# Pure, and asked for every tag of every record on every rebuild.
@functools.lru_cache(maxsize=65536)
def slugify(text: str) -> str:
    """Return a lower-case ASCII slug; a title with no Latin letters gets a stable hash slug.

    >>> slugify("Nagorno-Karabakh: 874 soldiers")
    'nagorno-karabakh-874-soldiers'
    >>> slugify("Карабах").startswith("x-")
    True
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80].strip("-")
    if not slug or slug in _DEVICE_NAMES:
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]
        return f"x-{digest}"
    return slug


@dataclasses.dataclass(frozen=True, slots=True)
class Ref:
    """A reference from one record to another by id, with where it was written."""

    kind: Literal["event", "article", "actor", "place", "tag"]
    target: str
    line: int
    col: int


@dataclasses.dataclass(frozen=True, slots=True)
class Image:
    """An image: a file under ``content/`` (``src``) or an external page (``url``)."""

    alt: str
    caption: str = ""
    credit: str = ""
    src: str = ""
    url: str = ""
    width: int | None = None
    height: int | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class Source:
    """One numbered citation: an article of the site, or an external reference."""

    number: int
    article: str = ""
    title: str = ""
    publisher: str = ""
    url: str = ""
    published: EDate | None = None
    accessed: EDate | None = None
    archive_url: str = ""
    language: str = ""
    quote: str = ""
    translation: str = ""
    translation_language: str = ""
    quote_language: str = ""
    """The language the quote is in: the source's (an article's own), else the site's."""


@dataclasses.dataclass(frozen=True, slots=True)
class Claim:
    """One claimant's statement of a quantity, never merged with the others."""

    quantity: str
    value: str
    claimant: str
    source: int
    qualifier: Qualifier = "exact"
    number: str = ""
    date: EDate | None = None
    wording: Wording = "paraphrase"
    """``verbatim``: ``value`` is the claimant's own words, shown in quotation marks; else a paraphrase."""

    @property
    def states_qualifier(self) -> bool:
        """Return True when ``value`` is bare figures, so the qualifier must be shown beside it.

        "close to 5,000" already says "about"; "5,000" with ``approximately`` does not.
        """
        return self.qualifier != "exact" and not any(c.isalpha() for c in self.value)


@dataclasses.dataclass(frozen=True, slots=True)
class Correction:
    """A dated note of what changed in an event's record."""

    date: EDate
    text: str


@dataclasses.dataclass(frozen=True, slots=True)
class Quote:
    """A short attributed passage of an article."""

    text: str
    speaker: str = ""
    translation: str = ""
    translation_language: str = ""


@dataclasses.dataclass(frozen=True, slots=True)
class RelatedReport:
    """A report that an article names as related (``BACA JUGA``)."""

    title: str
    url: str = ""


@dataclasses.dataclass(frozen=True, slots=True)
class Entity:
    """An actor (person, organisation, country, group) or a place."""

    id: str
    name: str
    kind: str
    description: str = ""
    path: str = ""
    line: int = 1
    language: str = ""
    """The language of ``description`` (and of ``name`` when it is a plain string); "" for the site's."""
    names: Localized = ()
    name_language: str = ""
    """The language of ``name``, the display name (never "": the site's when nothing says otherwise)."""


@dataclasses.dataclass(frozen=True, slots=True)
class Milestone:
    """One labelled date of an event with several (signed, in force), at its own precision and zone."""

    label: str
    span: DateSpan
    line: int = 1


@dataclasses.dataclass(frozen=True, slots=True)
class Event:
    """One dated event with its sources and attributed claims."""

    id: str
    path: str
    title: str
    span: DateSpan
    summary: str = ""
    places: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    status: Status = "happened"
    sources: tuple[Source, ...] = ()
    related: tuple[str, ...] = ()
    images: tuple[Image, ...] = ()
    updated: EDate | None = None
    corrections: tuple[Correction, ...] = ()
    claims: tuple[Claim, ...] = ()
    refs: tuple[Ref, ...] = ()
    summary_line: int = 1
    summary_col: int = 1
    """Column where the summary's Markdown lines start (the indent of a ``|`` block)."""
    id_pos: tuple[int, int] = (1, 1)
    """Line and column of the ``id:`` value, or (1, 1) when the id comes from the file name."""
    milestones: tuple[Milestone, ...] = ()
    language: str = ""
    """The language of the title and summary as written (``language:``); "" for the site's."""
    titles: Localized = ()
    title_language: str = ""
    """The language of ``title``, the display title (never "": the site's when nothing says otherwise)."""

    @property
    def disputed(self) -> bool:
        """Return True when the event is disputed or carries claims from more than one claimant."""
        return self.status == "disputed" or len({c.claimant for c in self.claims}) > 1


@dataclasses.dataclass(frozen=True, slots=True)
class Article:
    """A collected report: its metadata, a summary, quotes, and notes."""

    id: str
    path: str
    title: str
    published: EDate | None = None
    language: str = ""
    publisher: str = ""
    author: str = ""
    via: str = ""
    url: str = ""
    summary: str = ""
    events: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    images: tuple[Image, ...] = ()
    quotes: tuple[Quote, ...] = ()
    related: tuple[RelatedReport, ...] = ()
    body: str = ""
    body_line: int = 1
    summary_line: int = 1
    refs: tuple[Ref, ...] = ()
    summary_col: int = 1
    id_pos: tuple[int, int] = (1, 1)
    titles: Localized = ()
    title_language: str = ""
    """The language of ``title``, the display title (never "": the article's or the site's)."""


@dataclasses.dataclass(frozen=True, slots=True)
class Content:
    """Everything read from the content folder, before indexing."""

    events: tuple[Event, ...]
    articles: tuple[Article, ...]
    actors: tuple[Entity, ...]
    places: tuple[Entity, ...]
    assets: tuple[str, ...]
    """Files under ``content/`` copied as they are (images), relative to it."""
    digests: tuple[tuple[str, str], ...] = ()
    """(path relative to the site, sha256 of its bytes) for every event and article file read."""


@dataclasses.dataclass(frozen=True, slots=True)
class Tag:
    """A tag and the slug of its page."""

    name: str
    slug: str


@dataclasses.dataclass(frozen=True, slots=True)
class Timeline:
    """The indexed site: sorted records, cross-links both ways, and rendered Markdown.

    Templates read it and never change it.
    """

    config: SiteConfig
    events: tuple[Event, ...]
    """In date order (start, then time, then id)."""
    articles: tuple[Article, ...]
    """Newest first; undated last; ties by id."""
    actors: Mapping[str, Entity]
    places: Mapping[str, Entity]
    tags: Mapping[str, Tag]
    event_by_id: Mapping[str, Event]
    article_by_id: Mapping[str, Article]
    articles_of_event: Mapping[str, tuple[str, ...]]
    """Event id -> ids of every article that reports or is cited for it."""
    events_of_article: Mapping[str, tuple[str, ...]]
    """Article id -> ids of every event it reports or is cited by, in date order."""
    events_of: Mapping[str, tuple[str, ...]]
    """``actor:<id>``, ``place:<id>``, ``tag:<name>`` -> event ids in date order."""
    related: Mapping[str, tuple[str, ...]]
    """Event id -> related event ids, both directions, in date order."""
    html: Mapping[str, str]
    """``event:<id>:summary``, ``article:<id>:summary``, ``article:<id>:body`` -> rendered HTML."""
    assets: tuple[str, ...]
    card_files: Mapping[str, tuple[str, ...]]
    """Event id -> the files its card shows: the event's own, then those of the articles it cites."""
