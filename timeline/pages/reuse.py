"""Fingerprints: a digest of everything each output was made from, so a rebuild can keep it.

Every page depends on the site (config, theme, actors, places, tags, which ids exist, the tool's
version, ``SOURCE_DATE_EPOCH``) and on the content files it lists in ``PageSpec.inputs``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from timeline import __version__
from timeline.content.model import Timeline
from timeline.pages.plan import ALL_INPUTS, LAYOUT, RANGES, PageSpec, split_timeline
from timeline.pages.theme import theme_digest


def fingerprints(tl: Timeline, specs: list[PageSpec], digests: Mapping[str, str]) -> dict[str, str]:
    """Return, for every page and for the extra outputs (key ``@extra``), a digest of its inputs."""
    config = tl.config
    shared = hashlib.sha256(
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
        ).encode("utf-8")
    ).hexdigest()
    everything = hashlib.sha256((shared + repr(sorted(digests.items()))).encode()).hexdigest()
    # Hashed once here: most pages list these two, and the ranges alone grow with the site.
    ranges = _sha256(repr([digests.get(e.path, "") for e in tl.events if e.span.end is not None]))
    layout = _sha256(
        repr(
            (
                [(part.key, len(part.events)) for part in split_timeline(tl.events)],
                sorted({e.status for e in tl.events}),
            )
        )
    )
    out = {"@extra": everything, "@site": shared}
    # Each input's part of a fingerprint, made once: pages list 150,000 inputs at 5,000 events.
    token = {name: f"\0{name}\0{digest}" for name, digest in digests.items()}
    token[RANGES], token[LAYOUT] = f"\0{RANGES}\0{ranges}", f"\0{LAYOUT}\0{layout}"
    for spec in specs:
        if spec.inputs == ALL_INPUTS:
            out[spec.path] = everything
            continue
        try:
            text = "".join(map(token.__getitem__, spec.inputs))
        except KeyError:  # a file that is not there (yet): it counts as empty
            text = "".join(token.get(name, f"\0{name}\0") for name in spec.inputs)
        head = f"{shared}\0{spec.path}\0{spec.template}\0{spec.title}"
        out[spec.path] = hashlib.sha256(f"{head}{text}".encode()).hexdigest()
    return out


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
