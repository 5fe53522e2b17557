"""Digests of what pages read, so a rebuild re-renders only the pages whose reads changed.

A page's recorded keys (see ``pages.recording``) are resolved here against the new timeline;
besides them every page depends on ``ALWAYS``: the tool's version, the site settings, its own
place in the plan (template, title, which records its context names). The whole-site files
keep a digest of everything (``@extra``) and of the site's frame (``@site``), and per-record
digests for their pieces (``record_digests``).
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Iterable, Mapping
from typing import Any

import jinja2

from timeline import __version__
from timeline.content.model import STATUSES, Timeline
from timeline.incremental.deps import Resolver
from timeline.pages.i18n import Strings
from timeline.pages.jsonld import Ranges
from timeline.pages.plan import PageSpec
from timeline.pages.recording import RECORDS, context_digest
from timeline.pages.theme import theme_digest

ALWAYS = ("frame", "tl:config")
"""Keys every page depends on, read or not (``site`` is a plain template global: its reads go unseen)."""

_ABSENT = ""


def page_keys(spec: PageSpec, read: Iterable[str]) -> set[str]:
    """Return the keys a page depends on: what it read, ``ALWAYS``, and its own plan."""
    return {*read, *ALWAYS, f"spec:{spec.path}"}


def fingerprints(tl: Timeline, digests: Mapping[str, str]) -> dict[str, str]:
    """Return the digests of the site's frame (``@site``) and of every input (``@extra``)."""
    config = tl.config
    shared = _sha256(
        repr(
            (
                __version__,
                config,  # with SOURCE_DATE_EPOCH, which the one date not from content (an empty feed's) follows
                theme_digest(config),
                tuple(tl.actors.values()),
                tuple(tl.places.values()),
                tuple(tl.tags.values()),
                tuple(tl.event_by_id),
                tuple(tl.article_by_id),
                tl.assets,
            )
        )
    )
    everything = _sha256(shared + repr(sorted(digests.items())))
    return {"@extra": everything, "@site": shared}


def resolver(
    tl: Timeline,
    env: jinja2.Environment,
    specs: Iterable[PageSpec],
    digests: Mapping[str, str],
    strings: Strings | None = None,
) -> Resolver:
    """Return the function that gives a recorded key's digest in this build ("" for what is absent).

    The theme's UI strings (``strings``) are part of every page's ``frame``: a page's ``t`` calls
    are not recorded one by one, so a changed strings file renders every page again.

    ``digests`` are the content files' digests: ``all`` (what the time axis reads) stands for
    them and the settings, not the theme, whose templates are keys of their own.
    """
    everything = _sha256(repr((tl.config, sorted(digests.items()))))
    plans = {
        spec.path: _sha256(repr((spec.template, spec.title, spec.lang, context_digest(spec.context))))
        for spec in specs
    }
    tables = sorted((lang, sorted(table.items())) for lang, table in strings.tables.items()) if strings else None
    frame = _sha256(repr((__version__, tl.config.source_date_epoch, tables)))
    ranges: list[Ranges] = []
    by_kind = {"event": tl.event_by_id, "article": tl.article_by_id}

    def resolve(key: str) -> str:
        head, _, rest = key.partition(":")
        if head == "rec":
            kind, field, ident = rest.split(":", 2)
            record = by_kind[kind].get(ident)
            if record is None:
                return _ABSENT
            return _sha256(repr(record if field == "*" else getattr(record, field, _ABSENT)))
        if head == "tl":
            return _timeline_part(tl, rest, everything)
        if head == "spec":
            return plans.get(rest, _ABSENT)
        if head == "tpl":
            return _template(env, rest)
        if head == "ranges":
            if not ranges:
                ranges.append(Ranges(tl))
            return _sha256(repr([(e.id, e.span) for e in ranges[0].by_year.get(int(rest), ())]))
        if key == "frame":
            return frame
        if key == "g:statuses":
            return repr(tuple(s for s in STATUSES if any(e.status == s for e in tl.events)))
        if key == "g:external":
            return repr(any(not s.article for e in tl.events for s in e.sources))
        if key == "all":
            return everything
        raise KeyError(f"no digest for the dependency {key!r}")

    return resolve


def _timeline_part(tl: Timeline, rest: str, everything: str) -> str:
    """Return the digest of ``tl:<name>`` (the whole part) or ``tl:<name>:<key>`` (one entry)."""
    name, entry, key = rest.partition(":")
    if name == "*":
        return everything
    value: Any = getattr(tl, name, _ABSENT)
    if entry:
        if not isinstance(value, Mapping) or key not in value:
            return _ABSENT
        item = value[key]
        # A record found by id: its fields are keys of their own.
        return "1" if type(item) in RECORDS else _sha256(repr(item))
    if name in ("events", "articles"):
        return _sha256(repr([record.id for record in value]))
    if name in ("event_by_id", "article_by_id"):
        return _sha256(repr(list(value)))
    if isinstance(value, Mapping):
        return _sha256(repr(list(value.items())))
    return _sha256(repr(value))


def _template(env: jinja2.Environment, name: str) -> str:
    """Return the digest of the source the theme chain finds for ``name``."""
    if env.loader is None:
        return _ABSENT
    try:
        source = env.loader.get_source(env, name)[0]
    except jinja2.TemplateNotFound:
        return _ABSENT
    except jinja2.TemplateError as exc:  # a link that leaves the site: rendering reports it
        return "!" + _sha256(str(exc))
    return _sha256(source)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def record_digests(tl: Timeline, digests: Mapping[str, str], site_digest: str) -> dict[str, str]:
    """Return ``event:<id>`` / ``article:<id>`` -> digest of all a record's pieces may show."""
    out: dict[str, str] = {}
    for event in tl.events:
        inputs = "\0".join(f"{path}={digests.get(path, '')}" for path in tl.card_files[event.id])
        out[f"event:{event.id}"] = hashlib.sha256(f"{site_digest}\0{inputs}".encode()).hexdigest()
    for article in tl.articles:
        events = [f"{e}={digests.get(tl.event_by_id[e].path, '')}" for e in tl.events_of_article.get(article.id, ())]
        own = digests.get(article.path, "")
        out[f"article:{article.id}"] = hashlib.sha256(repr((site_digest, own, events)).encode()).hexdigest()
    return out


BUCKETS = 64
"""Groups that the keys of no record are spread over, so that a build saves only the groups it changed."""


def source_of(key: str) -> str:
    """Return the record a ``rec:`` key was read from (``<kind>:<id>``), or a bucket for any other key.

    A bucket (``~<n>``) is no record: it has no token, so its keys are resolved every build.
    """
    if not key.startswith("rec:"):
        return f"~{zlib.crc32(key.encode('utf-8')) % BUCKETS}"
    kind, _, rest = key[4:].partition(":")
    return f"{kind}:{rest.partition(':')[2]}"


def record_tokens(tl: Timeline, digests: Mapping[str, str]) -> dict[str, str]:
    """Return ``<kind>:<id>`` -> a token that is equal between two builds only if the record is.

    A record is made from its file's bytes and what parsing may look at besides (the settings,
    which asset files exist): equal tokens mean an equal record, in this process or the next.
    """
    base = _sha256(repr((tl.config, tl.assets)))
    tokens: dict[str, str] = {}
    for kind, records in (("event", tl.event_by_id), ("article", tl.article_by_id)):
        for ident, record in records.items():
            digest = digests.get(record.path)
            if digest is not None:
                tokens[f"{kind}:{ident}"] = f"{base}:{record.path}:{digest}"
    return tokens
