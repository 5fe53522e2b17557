"""Read ``content/`` into frozen records, collecting every problem with its location.

This is the only module that opens content files. Each file is read on its own, so one bad
file never hides the problems of another.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from timeline.content.activecontent import asset_problems
from timeline.content.calendars import CALENDARS, Calendar
from timeline.content.config import SiteConfig
from timeline.content.dates import DateSpan, EDate, parse_date, parse_span
from timeline.content.languages import neutralise, pick
from timeline.content.model import (
    ACTOR_KINDS,
    QUALIFIERS,
    STATUSES,
    WORDINGS,
    Article,
    Claim,
    Content,
    Correction,
    Entity,
    Event,
    Image,
    Localized,
    Milestone,
    Quote,
    Ref,
    RelatedReport,
    Source,
    check_id,
)
from timeline.content.sourcefile import Escape, Found, StatMemo, digest_source, read_source, walk_sources
from timeline.content.values import (
    ALLOWED_SCHEMES,
    ARTICLE_FIELDS,
    CLAIM_FIELDS,
    ENTITY_FIELDS,
    EVENT_FIELDS,
    IMAGE_FIELDS,
    QUOTE_FIELDS,
    QUOTED_FIELDS,
    SOURCE_FIELDS,
    check_language,
    check_url,
    is_true,
    positive_int,
)
from timeline.content.yamldoc import Fields, YMap, load_yaml, split_front_matter, unclosed_front_matter
from timeline.errors import Diagnostic, error
from timeline.incremental.memo import Memo
from timeline.progress import Progress

__all__ = ["ALLOWED_SCHEMES", "ASSET_CAP", "MARKDOWN_CAP", "YAML_CAP", "check_url", "read_content"]

T = TypeVar("T")

RecordMemo = Memo[tuple[str, str], tuple[Any, tuple[Diagnostic, ...]]]
"""(file, digest of its bytes and of what parsing it may look at) -> (record, its diagnostics).

A caller that keeps one across builds (``serve``, the build cache) re-parses only changed files.
"""

Listed = tuple[Path, str, os.stat_result]
"""A file of the content folder: its path, its name relative to the site, and its stat."""

MARKDOWN_CAP = 512 * 1024
YAML_CAP = 256 * 1024
ASSET_CAP = 20 * 1024 * 1024


class _Reader:
    """One pass over a site's content folder; holds the diagnostics of that pass."""

    def __init__(self, config: SiteConfig, memo: RecordMemo | None = None, stats: StatMemo | None = None) -> None:
        self.root = config.root
        self.site_language = config.language
        self.content = config.content_dir
        self.diags: list[Diagnostic] = []
        self.memo = memo
        self.stats = stats
        self.digests: dict[str, str] = {}
        self.context = ""
        """Digest of what a parse may look at besides the file: which image files exist, the zone, the language."""
        # Date-times without a zone are in the site's: the instant they name is checked in it.
        self.date = functools.partial(parse_date, zone=config.timezone)
        self.span = functools.partial(parse_span, zone=config.timezone)
        self.zone = config.timezone
        self._data: dict[Path, bytes] = {}

    def cached(self, found_file: Listed, cap: int, parse: Callable[[Path], T | None]) -> T | None:
        """Return ``parse(path)``, reusing the memo's result when the file's bytes are unchanged."""
        path, rel, stat = found_file
        found = digest_source(path, rel, cap, self.stats, stat)
        if found is None:
            return parse(path)  # read_source reports why
        digest, data = found
        self.digests[rel] = digest
        key = (rel, digest + self.context)
        hit = self.memo.get(key) if self.memo is not None else None
        if hit is not None:
            record, diags = hit
            self.diags.extend(diags)
            return record  # type: ignore[no-any-return]
        start = len(self.diags)
        if data is not None:
            self._data[path] = data
        record = parse(path)
        self._data.pop(path, None)
        if self.memo is not None:
            self.memo.put(key, (record, tuple(self.diags[start:])))
        return record

    def rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def fail(self, path: str, line: int, col: int, message: str) -> None:
        self.diags.append(error(path, line, col, message))

    def text(self, path: Path, cap: int) -> str | None:
        text, problem = read_source(path, self.rel(path), cap, self._data.get(path))
        if problem is not None:
            self.diags.append(problem)
        return text

    def url(self, fields: Fields, key: str) -> str:
        value = fields.text(key)
        problem = check_url(value) if value else None
        if problem:
            fields.fail(key, f"{key}: {problem}")
            return ""
        return value

    def record_id(self, fields: Fields, path: Path) -> str:
        value = fields.text("id", default=path.stem)
        problem = check_id(value)
        if problem:
            if "id" in fields.mapping:
                fields.fail("id", problem)
            else:
                self.fail(self.rel(path), 1, 1, f"{problem} (rename the file or set 'id')")
        return value

    def language(self, fields: Fields, key: str = "language") -> str:
        value = fields.text(key)
        problem = check_language(value) if value else None
        if problem:
            fields.fail(key, problem)
            return ""
        return value

    def localized(self, fields: Fields, key: str, language: str) -> tuple[str, str, Localized]:
        """Return a required name or title: its display text, that text's language, and every entry.

        The field is a string (in ``language``) or a mapping of BCP 47 tags to text; the display
        text is the site language's entry, else the first.
        """
        value = fields.mapping.get(key)
        if not isinstance(value, YMap):
            return fields.text(key, required=True), language, ()
        entries: list[tuple[str, str]] = []
        seen: dict[str, str] = {}
        for tag, text in value.items():
            problem = check_language(tag)
            if problem:
                self.fail(fields.path, *value.key_pos[tag], f"{key}: {problem}")
                continue
            if not isinstance(text, str) or not text.strip():
                self.fail(fields.path, *value.where(tag), f"{key}: the {tag} entry must be non-empty text")
                continue
            other = seen.setdefault(tag.replace("_", "-").lower(), tag)
            if other != tag:
                self.fail(fields.path, *value.key_pos[tag], f"{key}: '{tag}' is the same language as '{other}'")
                continue
            entries.append((tag, text.strip()))
        if not entries:
            if not value:
                fields.fail(key, f"'{key}' must be text, or a mapping of language codes to text (en: ..., hy: ...)")
            return "", language, ()
        tag, text = pick(entries, self.site_language)
        return text, tag, tuple(entries)

    def tags(self, fields: Fields, refs: list[Ref]) -> tuple[str, ...]:
        # Tags are kept as refs too, so that two spellings of one tag page can be located.
        names, tag_refs = self.refs(fields, "tags", "tag")
        refs += tag_refs
        return names

    def refs(self, fields: Fields, key: str, kind: Any) -> tuple[tuple[str, ...], list[Ref]]:
        items = fields.words(key)
        return tuple(v for v, _ in items), [Ref(kind, v, line, col) for v, (line, col) in items]

    def images(self, fields: Fields, rel: str) -> tuple[Image, ...]:
        images = []
        for record in fields.records("images"):
            f = Fields(record, rel, IMAGE_FIELDS, self.diags)
            src, url = f.text("src"), self.url(f, "url")
            if bool(src) == bool(f.text("url")):
                line, col = record.pos
                self.fail(rel, line, col, "an image needs exactly one of 'src' (a file under content/) or 'url'")
            if src and (src.startswith("/") or ".." in Path(src).parts or check_url(src) or ":" in src):
                f.fail("src", f"src '{src}' must be a path inside content/")
                src = ""
            elif src and not (self.content / src).is_file():
                f.fail("src", f"image file content/{src} does not exist")
            size = [f.parsed(k, positive_int) for k in ("width", "height")]
            images.append(
                Image(f.text("alt", required=True), f.text("caption"), f.text("credit"), src, url, size[0], size[1])
            )
        return tuple(images)

    def sources(self, fields: Fields, rel: str, refs: list[Ref]) -> tuple[Source, ...]:
        sources = []
        for number, record in enumerate(fields.records("sources"), start=1):
            f = Fields(record, rel, SOURCE_FIELDS, self.diags)
            article = f.text("article")
            if article:
                line, col = f.where("article")
                refs.append(Ref("article", article, line, col))
                external = [k for k in SOURCE_FIELDS if k not in QUOTED_FIELDS and k in record]
                if external:
                    f.fail(external[0], "a source is either an article id or an external reference, not both")
            elif not f.text("title") and not f.text("url"):
                line, col = record.pos
                self.fail(rel, line, col, "a source needs 'article' or an external reference with 'title' or 'url'")
            translation = f.text("translation")
            if translation and not f.text("quote"):
                f.fail("translation", "a translation needs the 'quote' it translates")
            if "translation_language" in record and not translation:
                f.fail("translation_language", "'translation_language' without a 'translation'")
            language = self.language(f)
            sources.append(
                Source(
                    number=number,
                    article=article,
                    title=f.text("title"),
                    publisher=f.text("publisher"),
                    url=self.url(f, "url"),
                    published=f.parsed("published", self.date),
                    accessed=f.parsed("accessed", self.date),
                    archive_url=self.url(f, "archive_url"),
                    language=language,
                    quote=f.text("quote"),
                    translation=translation,
                    translation_language=self.language(f, "translation_language") or self.site_language,
                    # An article's quote is in the article's language, which the article itself says.
                    quote_language=language or ("" if article else self.site_language),
                )
            )
        return tuple(sources)

    def claims(self, fields: Fields, rel: str, refs: list[Ref], n_sources: int) -> tuple[Claim, ...]:
        claims = []
        for record in fields.records("claims"):
            f = Fields(record, rel, CLAIM_FIELDS, self.diags)
            claimant = f.text("claimant", required=True)
            if claimant:
                refs.append(Ref("actor", claimant, *f.where("claimant")))
            source = f.parsed("source", positive_int, required=True)
            if source is not None and source > n_sources:
                f.fail("source", f"source {source} is not one of this event's {n_sources} sources")
            qualifier = f.text("qualifier", default="exact")
            if qualifier not in QUALIFIERS:
                f.fail("qualifier", f"qualifier must be one of {', '.join(QUALIFIERS)}")
            number = f.text("number")
            if number and not re.match(r"^\d+(\.\d+)?$", number):
                f.fail("number", f"number '{number}' must be digits only (put words in 'value')")
            wording = f.text("wording", default="paraphrase")
            if wording not in WORDINGS:
                f.fail("wording", f"wording must be one of {', '.join(WORDINGS)} (verbatim: the claimant's own words)")
            claims.append(
                Claim(
                    quantity=f.text("quantity", required=True),
                    value=f.text("value", required=True),
                    claimant=claimant,
                    source=source or 0,
                    qualifier=qualifier if qualifier in QUALIFIERS else "exact",
                    number=number,
                    date=f.parsed("date", self.date),
                    wording="verbatim" if wording == "verbatim" else "paraphrase",
                )
            )
        return tuple(claims)

    def calendar(self, fields: Fields, default: Calendar) -> Calendar:
        value = fields.text("calendar", default=default)
        for known in CALENDARS:
            if value == known:
                return known
        fields.fail("calendar", f"calendar '{value}' is not one of {', '.join(CALENDARS)}")
        return default

    def milestones(self, fields: Fields, rel: str, calendar: Calendar) -> tuple[Milestone, ...]:
        found = []
        for record in fields.records("milestones"):
            m = Fields(record, rel, ("label", "date", "calendar"), self.diags)
            label = m.text("label", required=True)
            own = self.calendar(m, calendar)
            span = m.parsed("date", functools.partial(parse_span, zone=self.zone, calendar=own), required=True)
            if span is not None and label:
                found.append(Milestone(label, span, record.pos[0]))
        return tuple(found)

    def event(self, path: Path) -> Event | None:
        rel = self.rel(path)
        text = self.text(path, YAML_CAP)
        if text is None:
            return None
        value, diags = load_yaml(text, rel)
        self.diags.extend(diags)
        if diags:
            return None
        if not isinstance(value, YMap):
            self.fail(rel, 1, 1, "an event file must be a mapping of fields")
            return None
        neutralise(value)
        f = Fields(value, rel, EVENT_FIELDS, self.diags)
        if is_true(f, "draft"):
            return None
        refs: list[Ref] = []
        calendar = self.calendar(f, "gregorian")
        spans = functools.partial(parse_span, zone=self.zone, calendar=calendar)
        span = f.parsed("date", spans, required=True)
        end = f.parsed("end", spans)
        if span is not None and end is not None:
            if span.end is not None or not span.bounded:
                f.fail("end", "'end' given twice: 'date' is already a range")
            elif end.end is not None or not end.bounded:
                f.fail("end", "'end' is one date (write a range with open or unknown ends in 'date': 2020-09-27/..)")
            elif end.start.ends_before(span.start):
                f.fail("end", f"end {end.start.edtf()} is before the start {span.start.edtf()}")
            else:
                span = DateSpan(span.start, end.start)
        milestones = self.milestones(f, rel, calendar)
        status = f.text("status", default="happened")
        if status not in STATUSES:
            f.fail("status", f"status must be one of {', '.join(STATUSES)}")
        places, place_refs = self.refs(f, "places", "place")
        actors, actor_refs = self.refs(f, "actors", "actor")
        related, related_refs = self.refs(f, "related", "event")
        refs += place_refs + actor_refs + related_refs
        tags = self.tags(f, refs)
        sources = self.sources(f, rel, refs)
        corrections = []
        for record in f.records("corrections"):
            c = Fields(record, rel, ("date", "text"), self.diags)
            date = c.parsed("date", self.date, required=True)
            corrections.append(Correction(date or EDate(1), c.text("text", required=True)))
        event_id = self.record_id(f, path)
        # Every field is read before giving up on a bad date, so that all its problems are reported at once.
        language = self.language(f)
        title, title_language, titles = self.localized(f, "title", language or self.site_language)
        images = self.images(f, rel)
        updated = f.parsed("updated", self.date)
        claims = self.claims(f, rel, refs, len(sources))
        if span is None:
            return None
        return Event(
            id=event_id,
            path=rel,
            title=title,
            span=span,
            summary=f.text("summary"),
            places=places,
            actors=actors,
            tags=tags,
            status=status if status in STATUSES else "happened",
            sources=sources,
            related=related,
            images=images,
            updated=updated,
            corrections=tuple(corrections),
            claims=claims,
            refs=tuple(refs),
            summary_line=_text_pos(value, "summary")[0],
            summary_col=_text_pos(value, "summary")[1],
            id_pos=value.where("id") if "id" in value else (1, 1),
            milestones=milestones,
            language=language,
            titles=titles,
            title_language=title_language,
        )

    def article(self, path: Path) -> Article | None:
        rel = self.rel(path)
        text = self.text(path, MARKDOWN_CAP)
        if text is None:
            return None
        front, body, body_line = split_front_matter(text)
        if front is None:
            self.fail(rel, 1, 1, "an article must start with YAML front matter between '---' lines")
            return None
        if unclosed_front_matter(text):
            self.fail(rel, 1, 1, "the front matter opened here is never closed with a '---' line")
            return None
        value, diags = load_yaml(front, rel, line_offset=1)
        self.diags.extend(diags)
        if diags:
            return None
        if value is None:
            value = YMap((2, 1))
        if not isinstance(value, YMap):
            self.fail(rel, 2, 1, "front matter must be a mapping of fields")
            return None
        neutralise(value)
        body = neutralise(body)
        f = Fields(value, rel, ARTICLE_FIELDS, self.diags)
        if is_true(f, "draft"):
            return None
        if "published" in value and "date" in value:
            f.fail("date", "'date' and 'published' mean the same; keep one")
        published = f.parsed("published" if "published" in value else "date", self.date)
        refs: list[Ref] = []
        events, event_refs = self.refs(f, "events", "event")
        actors, actor_refs = self.refs(f, "actors", "actor")
        places, place_refs = self.refs(f, "places", "place")
        refs += event_refs + actor_refs + place_refs
        tags = self.tags(f, refs)
        quotes = []
        for record in f.records("quotes"):
            q = Fields(record, rel, QUOTE_FIELDS, self.diags)
            speaker = q.text("speaker")
            if speaker:
                refs.append(Ref("actor", speaker, *q.where("speaker")))
            translation = q.text("translation")
            if "translation_language" in record and not translation:
                q.fail("translation_language", "'translation_language' without a 'translation'")
            translated = self.language(q, "translation_language") or self.site_language
            quotes.append(Quote(q.text("text", required=True), speaker, translation, translated))
        related = []
        for record in f.records("related"):
            r = Fields(record, rel, ("title", "url"), self.diags)
            related.append(RelatedReport(r.text("title", required=True), self.url(r, "url")))
        language = self.language(f)
        title, title_language, titles = self.localized(f, "title", language or self.site_language)
        return Article(
            id=self.record_id(f, path),
            path=rel,
            title=title,
            titles=titles,
            title_language=title_language,
            published=published,
            language=language,
            publisher=f.text("publisher"),
            author=f.text("author"),
            via=f.text("via"),
            url=self.url(f, "url"),
            summary=f.text("summary"),
            events=events,
            actors=actors,
            places=places,
            tags=tags,
            images=self.images(f, rel),
            quotes=tuple(quotes),
            related=tuple(related),
            body=body,
            body_line=body_line,
            summary_line=_text_pos(value, "summary")[0],
            summary_col=_text_pos(value, "summary")[1],
            id_pos=value.where("id") if "id" in value else (1, 1),
            refs=tuple(refs),
        )

    def event_file(self, path: Path) -> Event | None:
        if path.suffix not in (".yaml", ".yml"):
            self.fail(self.rel(path), 1, 1, "event files must end in .yaml")
            return None
        return self.event(path)

    def article_file(self, path: Path) -> Article | None:
        if path.suffix not in (".md", ".markdown"):
            self.fail(self.rel(path), 1, 1, "article files must end in .md")
            return None
        return self.article(path)

    def entities(self, name: str, kinds: tuple[str, ...] | None) -> list[Entity]:
        path = self.content / name
        if not path.is_file():
            return []
        rel = self.rel(path)
        text = self.text(path, YAML_CAP)
        if text is None:
            return []
        value, diags = load_yaml(text, rel)
        self.diags.extend(diags)
        if diags or value is None:
            return []
        if not isinstance(value, YMap):
            self.fail(rel, 1, 1, f"{name} must map ids to records")
            return []
        out = []
        for key, record in value.items():
            line, col = value.key_pos[key]
            problem = check_id(key)
            if problem:
                self.fail(rel, line, col, problem)
                continue
            if not isinstance(record, YMap):
                self.fail(rel, *value.where(key), f"'{key}' must be a mapping with at least 'name'")
                continue
            neutralise(record)
            f = Fields(record, rel, ENTITY_FIELDS, self.diags)
            kind = f.text("kind", default="place" if kinds is None else "group")
            if kinds is not None and kind not in kinds:
                f.fail("kind", f"kind must be one of {', '.join(kinds)}")
            language = self.language(f)
            name, name_language, names = self.localized(f, "name", language or self.site_language)
            entity = Entity(key, name, kind, f.text("description"), rel, line, language, names, name_language)
            out.append(entity)
        return out


def _text_pos(mapping: YMap, key: str) -> tuple[int, int]:
    # Where the text of a Markdown field starts: a quoted scalar's text is one column past the quote.
    line, col = mapping.where(key)
    if mapping.value_style.get(key) in ("'", '"'):
        col += 1
    return line, col


def read_content(
    config: SiteConfig,
    memo: RecordMemo | None = None,
    stats: StatMemo | None = None,
    progress: Progress | None = None,
    walk: Callable[[Path, Path], tuple[list[Found], list[Escape]]] = walk_sources,
) -> tuple[Content, list[Diagnostic]]:
    """Read every event, article, actor, place and asset; return them and all diagnostics.

    With a ``memo``, files whose bytes did not change since it was filled are not parsed again.
    ``progress`` hears of every event and article file read. ``walk`` lists the content folder
    (``walk_sources``, or a caller's listing kept from the last build and patched).
    """
    reader = _Reader(config, memo, stats)
    grouped: dict[str, list[Listed]] = {"events": [], "articles": [], "": []}
    assets = []
    found, escapes = walk(config.content_dir, config.root)
    for link, problem in escapes:
        reader.fail(reader.rel(link), 1, 1, problem)
    prefix = reader.rel(config.content_dir)
    for path, parts, stat in found:
        name = "/".join(parts)
        group = parts[0] if len(parts) > 1 and parts[0] in ("events", "articles") else ""
        # The site-relative name and the walk's stat travel with the path: no pathlib arithmetic.
        grouped[group].append((path, f"{prefix}/{name}", stat))
        if group or name in ("actors.yaml", "places.yaml"):
            continue
        if stat.st_size > ASSET_CAP:
            reader.fail(reader.rel(path), 1, 1, f"file is over the {ASSET_CAP // 2**20} MiB limit")
            continue
        # Opened on its own, an SVG or HTML file is a page on the site's origin: no script may come with it.
        for line, col, problem in asset_problems(path):
            reader.fail(reader.rel(path), line, col, problem)
        assets.append(name)
    # Events and articles check that the images they name exist, so the asset list is part of the key;
    # the site's language picks which of a record's titles is shown, so it is part of the key too.
    key = "\n".join([config.timezone, config.language, *assets])
    reader.context = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
    total = len(grouped["events"]) + len(grouped["articles"])
    listed = _counted(grouped["events"], 0, total, progress)
    events = [e for f in listed if (e := reader.cached(f, YAML_CAP, reader.event_file))]
    listed = _counted(grouped["articles"], len(grouped["events"]), total, progress)
    articles = [a for f in listed if (a := reader.cached(f, MARKDOWN_CAP, reader.article_file))]
    actors = reader.entities("actors.yaml", ACTOR_KINDS)
    places = reader.entities("places.yaml", None)
    digests = tuple(sorted(reader.digests.items()))
    content = Content(tuple(events), tuple(articles), tuple(actors), tuple(places), tuple(assets), digests)
    return content, list(dict.fromkeys(reader.diags))


def _counted(files: list[Listed], before: int, total: int, progress: Progress | None) -> Iterator[Listed]:
    """Yield ``files``, telling ``progress`` of each one after it was read."""
    if progress is not None:
        progress("reading", before, total)
    for done, found in enumerate(files, before + 1):
        yield found
        if progress is not None:
            progress("reading", done, total)
