"""Index the content: sort, resolve ids, link both ways, and render Markdown once."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from types import MappingProxyType

from markdown_it import MarkdownIt

from timeline.content.config import SiteConfig
from timeline.content.markdown import XREF_KINDS, Rendered, make_parser, render_markdown
from timeline.content.model import Article, Content, Entity, Event, Ref, Tag, Timeline, slugify
from timeline.content.urls import page_path
from timeline.errors import Diagnostic, error, warning
from timeline.incremental.memo import Memo
from timeline.parallel import map_forked

PARALLEL_FROM = 400
"""Fewest Markdown texts to render before forking workers is worth it."""

# Anchors that the default theme's pages always carry, so Markdown may link to them.
# Sections appear only when they have content, so their anchors exist only then.
EVENT_ANCHORS = ("main", "summary", "sources")
ARTICLE_ANCHORS = ("main", "events")


def event_anchors(event: Event, has_articles: bool, has_related: bool) -> set[str]:
    """Return the ids an event page is sure to carry."""
    optional = {
        "claims": bool(event.claims),
        "corrections": bool(event.corrections),
        "media": bool(event.images),
        "articles": has_articles,
        "related": has_related,
    }
    numbered = {f"source-{s.number}" for s in event.sources}
    return {*EVENT_ANCHORS, *numbered, *(name for name, shown in optional.items() if shown)}


def article_anchors(article: Article) -> set[str]:
    """Return the ids an article page is sure to carry."""
    optional = {
        "summary": bool(article.summary),
        "quotes": bool(article.quotes),
        "notes": bool(article.body.strip()),
        "related": bool(article.related),
        "media": bool(article.images),
    }
    return {*ARTICLE_ANCHORS, *(name for name, shown in optional.items() if shown)}


def _sorted_events(events: Iterable[Event]) -> tuple[Event, ...]:
    return tuple(sorted(events, key=lambda e: (e.span.sort_key(), e.id)))


def _sorted_articles(articles: Iterable[Article]) -> tuple[Article, ...]:
    dated = sorted((a for a in articles if a.published), key=lambda a: a.id)
    dated.sort(key=lambda a: a.published.sort_key() if a.published else (0,), reverse=True)
    undated = sorted((a for a in articles if not a.published), key=lambda a: a.id)
    return tuple(dated + undated)


HINT_COMPARISONS = 50_000
"""Most name comparisons for "did you mean" hints in one run (one unknown name x every known one).

A comparison takes up to ~40 µs, so a site of 10,000 events gets a few hints, not a minute of them.
"""


class _Hints:
    """Suggest a close known name for an unknown one, within ``HINT_COMPARISONS`` a run."""

    def __init__(self) -> None:
        self.found: dict[tuple[int, str], str] = {}
        self.left = HINT_COMPARISONS

    def __call__(self, name: str, known: Mapping[str, object]) -> str:
        key = (id(known), name)
        if key not in self.found:
            if self.left < len(known):
                return ""
            self.left -= len(known)
            close = difflib.get_close_matches(name, list(known), n=1)
            self.found[key] = f" (did you mean '{close[0]}'?)" if close else ""
        return self.found[key]


def _unique(items: Iterable[Event | Article], kind: str, diags: list[Diagnostic]) -> dict[str, Event | Article]:
    seen: dict[str, Event | Article] = {}
    folded: dict[str, Event | Article] = {}
    for item in sorted(items, key=lambda i: (i.path, i.id)):
        line, col = item.id_pos
        first = folded.get(item.id.casefold())
        if item.id in seen:
            diags.append(error(item.path, line, col, f"duplicate {kind} id '{item.id}' (also in {seen[item.id].path})"))
        elif first is not None:
            # Case-insensitive file systems (macOS, Windows) would write both into one folder.
            message = f"{kind} id '{item.id}' collides with '{first.id}' in {first.path} (they differ only in case)"
            diags.append(error(item.path, line, col, message))
        else:
            seen[item.id] = item
            folded[item.id.casefold()] = item
    return seen


def _check_entities(entities: Iterable[Entity], kind: str, diags: list[Diagnostic]) -> None:
    folded: dict[str, Entity] = {}
    for entity in sorted(entities, key=lambda e: (e.path, e.line, e.id)):
        first = folded.setdefault(entity.id.casefold(), entity)
        if first is not entity:
            message = f"{kind} id '{entity.id}' collides with '{first.id}' on line {first.line} (differs only in case)"
            diags.append(error(entity.path, entity.line, 1, message))


def _check_tag_slugs(items: Iterable[Event | Article], diags: list[Diagnostic]) -> None:
    """Report tags written two ways (``SWIFT``, ``Swift``) that would share one page."""
    first: dict[str, tuple[str, str]] = {}
    for item in sorted(items, key=lambda i: i.path):
        for ref in item.refs:
            if ref.kind != "tag":
                continue
            slug = slugify(ref.target)
            name, where = first.setdefault(slug, (ref.target, item.path))
            if name != ref.target:
                message = (
                    f"tag '{ref.target}' and tag '{name}' ({where}) would share the page tags/{slug}/;"
                    " write them one way"
                )
                diags.append(error(item.path, ref.line, ref.col, message))


MarkdownMemo = Memo[tuple[str, int, int, str], tuple[Rendered, tuple[tuple[tuple[str, str], str | None], ...]]]
"""(text, line, column, base path) -> (rendered, how each cross-reference resolved at the time)."""


def index_content(
    content: Content,
    config: SiteConfig,
    *,
    md: MarkdownIt | None = None,
    memo: MarkdownMemo | None = None,
    workers: int = 1,
) -> tuple[Timeline, list[Diagnostic]]:
    """Return the indexed timeline and every cross-reference problem found."""
    diags: list[Diagnostic] = []
    hint = _Hints()
    events = {k: v for k, v in _unique(content.events, "event", diags).items() if isinstance(v, Event)}
    articles = {k: v for k, v in _unique(content.articles, "article", diags).items() if isinstance(v, Article)}
    actors = {a.id: a for a in content.actors}
    places = {p.id: p for p in content.places}
    _check_entities(content.actors, "actor", diags)
    _check_entities(content.places, "place", diags)
    _check_tag_slugs([*events.values(), *articles.values()], diags)
    known: dict[str, Mapping[str, object]] = {
        "event": events,
        "article": articles,
        "actor": actors,
        "place": places,
        "asset": dict.fromkeys(content.assets),
    }

    def check(path: str, ref: Ref) -> bool:
        if ref.kind == "tag":
            return False  # any word is a tag; tag refs only locate tags
        table: Mapping[str, object] = known[ref.kind]
        if ref.target in table:
            return True
        diags.append(error(path, ref.line, ref.col, f"unknown {ref.kind} '{ref.target}'{hint(ref.target, table)}"))
        return False

    articles_of: dict[str, set[str]] = {k: set() for k in events}
    events_of_article: dict[str, set[str]] = {k: set() for k in articles}
    related: dict[str, set[str]] = {k: set() for k in events}
    events_of: dict[str, set[str]] = {}
    tags: dict[str, Tag] = {}
    for event in events.values():
        # Claimants are actors too, but an event page lists only the actors the event names.
        own = {("actor", a) for a in event.actors} | {("place", p) for p in event.places}
        for ref in event.refs:
            if not check(event.path, ref):
                continue
            if ref.kind == "article":
                articles_of[event.id].add(ref.target)
                events_of_article[ref.target].add(event.id)
            elif ref.kind == "event" and ref.target != event.id:
                related[event.id].add(ref.target)
                related[ref.target].add(event.id)
            elif (ref.kind, ref.target) in own:
                events_of.setdefault(f"{ref.kind}:{ref.target}", set()).add(event.id)
        for name in event.tags:
            if name not in tags:
                tags[name] = Tag(name, slugify(name))
            events_of.setdefault(f"tag:{name}", set()).add(event.id)
        if not event.sources:
            diags.append(warning(event.path, 1, 1, f"event '{event.id}' has no sources"))
    for article in articles.values():
        for ref in article.refs:
            if check(article.path, ref) and ref.kind == "event":
                articles_of[ref.target].add(article.id)
                events_of_article[article.id].add(ref.target)
        for name in article.tags:
            tags.setdefault(name, Tag(name, slugify(name)))

    in_date_order = _sorted_events(events.values())
    order = {e.id: n for n, e in enumerate(in_date_order)}

    def in_order(ids: Iterable[str]) -> tuple[str, ...]:
        return tuple(sorted(ids, key=order.__getitem__))

    page_anchors = {
        **{f"event:{k}": event_anchors(e, bool(articles_of[k]), bool(related[k])) for k, e in events.items()},
        **{f"article:{k}": article_anchors(a) for k, a in articles.items()},
    }
    html, linked_articles = _render_all(
        md or make_parser(), events, articles, known, tags, config, diags, page_anchors, memo, workers, hint
    )
    for article in articles.values():
        if not events_of_article[article.id] and article.id not in linked_articles:
            diags.append(warning(article.path, 1, 1, f"nothing links to article '{article.id}'"))
    timeline = Timeline(
        config=config,
        events=in_date_order,
        articles=_sorted_articles(articles.values()),
        actors=MappingProxyType(dict(sorted(actors.items()))),
        places=MappingProxyType(dict(sorted(places.items()))),
        tags=MappingProxyType(dict(sorted(tags.items(), key=lambda kv: (kv[0].lower(), kv[0])))),
        event_by_id=MappingProxyType(events),
        article_by_id=MappingProxyType(articles),
        articles_of_event=MappingProxyType({k: tuple(sorted(v)) for k, v in sorted(articles_of.items())}),
        events_of_article=MappingProxyType({k: in_order(v) for k, v in sorted(events_of_article.items())}),
        events_of=MappingProxyType({k: in_order(v) for k, v in sorted(events_of.items())}),
        related=MappingProxyType({k: in_order(v) for k, v in sorted(related.items())}),
        html=MappingProxyType(html),
        assets=content.assets,
        card_files=MappingProxyType(
            {
                e.id: (e.path, *(articles[s.article].path for s in e.sources if s.article in articles))
                for e in in_date_order
            }
        ),
    )
    return timeline, diags


def _render_all(
    md: MarkdownIt,
    events: Mapping[str, Event],
    articles: Mapping[str, Article],
    known: Mapping[str, Mapping[str, object]],
    tags: Mapping[str, Tag],
    config: SiteConfig,
    diags: list[Diagnostic],
    page_anchors: Mapping[str, set[str]],
    memo: MarkdownMemo | None,
    workers: int = 1,
    hint: _Hints | None = None,
) -> tuple[dict[str, str], set[str]]:
    """Render every Markdown field, then check every link it makes against every page's anchors."""
    slugs = {name: tag.slug for name, tag in tags.items()}
    hint = hint or _Hints()

    def resolve(kind: str, target: str) -> str | None:
        if kind == "tag":
            return page_path("tag", slugs[target]) if target in slugs else None
        return page_path(kind, target) if target in known[kind] else None

    def cached(text: str, line: int, col: int) -> Rendered | None:
        hit = memo.get((text, line, col, config.base_path)) if memo is not None else None
        # A hit is good only while every cross-reference still resolves as it did.
        if hit is not None and all(resolve(kind, target) == path for (kind, target), path in hit[1]):
            return hit[0]
        return None

    def render(job: tuple[str, int, int]) -> Rendered:
        text, line, col = job
        return render_markdown(md, text, base_path=config.base_path, resolve=resolve, first_line=line, first_col=col)

    fields: list[tuple[str, str, str, tuple[str, int, int]]] = []  # (key, page, path, (text, line, col))
    for event in events.values():
        job = (event.summary, event.summary_line, event.summary_col)
        fields.append((f"event:{event.id}:summary", f"event:{event.id}", event.path, job))
    # Summaries, then bodies: workers take every n-th job, and alternating a short summary with a
    # long body would hand one worker all the bodies.
    for field in ("summary", "body"):
        for article in articles.values():
            if field == "summary":
                job = (article.summary, article.summary_line, article.summary_col)
            else:
                job = (article.body, article.body_line, 1)
            fields.append((f"article:{article.id}:{field}", f"article:{article.id}", article.path, job))
    found = [cached(*job) for _, _, _, job in fields]
    missing = [job for (_, _, _, job), hit in zip(fields, found, strict=True) if hit is None]
    # Markdown is the largest share of a cold build: spread it over the cores when there is a lot.
    fresh = iter(map_forked(render, missing, workers if len(missing) >= PARALLEL_FROM else 1))
    docs: list[tuple[str, str, str, Rendered]] = []  # (key, page, path, rendered)
    for (key, page, path, job), hit in zip(fields, found, strict=True):
        rendered = hit if hit is not None else next(fresh)
        if hit is None and memo is not None:
            refs = {(link.kind, link.target) for link in rendered.links if link.kind in XREF_KINDS}
            memo.put((*job, config.base_path), (rendered, tuple((ref, resolve(*ref)) for ref in sorted(refs))))
        docs.append((key, page, path, rendered))
    anchors = {page: set(ids) for page, ids in page_anchors.items()}
    for _, page, _, rendered in docs:
        anchors[page].update(rendered.anchors)
    linked: set[str] = set()
    for _, page, path, rendered in docs:
        for link in rendered.links:
            where = (path, link.line, link.col)
            if link.kind == "limit":
                diags.append(error(*where, f"Markdown {link.target}"))
            elif link.kind == "scheme":
                allowed = "use http, https, mailto or a relative URL"
                diags.append(error(*where, f"link scheme '{link.target}:' is not allowed ({allowed})"))
            elif link.kind == "asset":
                if link.target.lstrip("/") not in known["asset"]:
                    diags.append(error(*where, f"image '{link.target}' is not a file under content/"))
            elif link.kind == "anchor":
                if link.anchor not in anchors[page]:
                    diags.append(error(*where, f"no anchor '#{link.anchor}' on this page"))
            elif resolve(link.kind, link.target) is None:
                table = slugs if link.kind == "tag" else known[link.kind]
                diags.append(error(*where, f"unknown {link.kind} '{link.target}'{hint(link.target, table)}"))
            else:
                if link.kind == "article":
                    linked.add(link.target)
                target_anchors = anchors.get(f"{link.kind}:{link.target}", {"main"})
                if link.anchor and link.anchor not in target_anchors:
                    diags.append(error(*where, f"no anchor '#{link.anchor}' on {link.kind} '{link.target}'"))
    return {key: rendered.html for key, _, _, rendered in sorted(docs, key=lambda d: d[0])}, linked
