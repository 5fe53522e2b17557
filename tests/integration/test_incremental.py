"""Incremental builds give exactly the bytes of a full build, over random edit sequences."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import copy_example
from tests.integration.sitecrawl import tree_digest
from timeline.build.pipeline import build_site
from timeline.build.session import BuildSession

REPO = Path(__file__).resolve().parents[2]
EVENTS = sorted(p.stem for p in (REPO / "content" / "events").glob("*.yaml"))
ARTICLE = "content/articles/okezone-2020-10-23-putin-5000.md"


def edit(site: Path, kind: str, target: int, word: str) -> None:
    """Apply one valid edit to the example site."""
    slug = {"Ἀλφα": "alpha-el", "אלפא": "alpha-he"}.get(word, word.lower())
    event = site / "content" / "events" / f"{EVENTS[target % len(EVENTS)]}.yaml"
    if kind == "title" and event.exists():
        text = event.read_text(encoding="utf-8")
        event.write_text(re.sub(r"(?m)^title: .*$", f"title: {word} edited", text, count=1), encoding="utf-8")
    elif kind == "date" and event.exists():
        text = event.read_text(encoding="utf-8")
        day = 1 + target % 28
        text = re.sub(r"(?m)^date: .*$", f"date: 2020-10-{day:02d}", text, count=1)
        event.write_text(re.sub(r"(?m)^end: .*\n", "", text), encoding="utf-8")
    elif kind == "publisher":
        article = site / ARTICLE
        text = article.read_text(encoding="utf-8")
        article.write_text(re.sub(r"(?m)^publisher: .*$", f"publisher: {word} News", text, count=1), encoding="utf-8")
    elif kind == "actor":
        actors = site / "content" / "actors.yaml"
        text = actors.read_text(encoding="utf-8")
        actors.write_text(text.replace("name: Vladimir Putin", f"name: Vladimir Putin {word}", 1), encoding="utf-8")
    elif kind == "new":
        # Links only to events that are there (an earlier edit may have deleted one).
        present = sorted(p.stem for p in (site / "content" / "events").glob("*.yaml"))
        other = present[target % len(present)]
        (site / "content" / "events" / f"new-{slug}.yaml").write_text(
            f"title: New {word}\ndate: 2020-10-{1 + target % 28:02d}\nactors: [armenia]\ntags: [{slug}]\n"
            f"related: [{other}]\n"
            f"summary: See [the talks](event:{present[0]}).\n"
            f"sources:\n  - article: okezone-2020-10-23-putin-5000\n",
            encoding="utf-8",
        )
    elif kind == "remove":
        for path in sorted((site / "content" / "events").glob("new-*.yaml"))[:1]:
            if not _cited(site, path.stem):
                path.unlink()
    elif kind == "site":
        config = site / "site.yaml"
        text = config.read_text(encoding="utf-8")
        config.write_text(re.sub(r"(?m)^title: .*$", f'title: "Timeline {word}"', text, count=1), encoding="utf-8")
    elif kind == "source" and event.exists():
        # The first quote of the event's sources, or a quote added to its first source.
        text = event.read_text(encoding="utf-8")
        text, n = re.subn(r"(?m)^(    quote: ).*$", rf'\g<1>"{word} quoted"', text, count=1)
        if not n:
            text = re.sub(r"(?m)^(  - (article|title): .*)$", rf'\1\n    quote: "{word} quoted"', text, count=1)
        event.write_text(text, encoding="utf-8")
    elif kind == "delete" and event.exists() and not _cited(site, event.stem):
        event.unlink()
    elif kind == "rename":
        # A new event moved to another file name: another id, the same record.
        for path in sorted((site / "content" / "events").glob("new-*.yaml"))[:1]:
            if not _cited(site, path.stem):
                path.rename(path.with_name(f"renamed-{slug}-{target}.yaml"))
    elif kind == "theme":
        theme_edit(site, target, word)
    elif kind == "pages":
        # Pages of one to four entries: every list of the example site is paged, and later edits move entries.
        config = site / "site.yaml"
        text = re.sub(r"(?m)^page_size: .*\n", "", config.read_text(encoding="utf-8"))
        config.write_text(text.rstrip("\n") + f"\npage_size: {1 + target % 4}\n", encoding="utf-8")


OVERRIDES = {
    "event.html": (
        '{% extends "default/event.html" %}\n'
        '{% block event_nav %}<p class="desk" data-word="WORD">{{ tl.events|length }} events; '
        "next: {{ next.title if next else '-' }}; before: {{ page.context.previous.span.start.year if previous }}"
        "</p>{{ super() }}{% endblock %}\n"
    ),
    "_card.html": (
        '{% from "_macros.html" import event_item with context %}<div class="house" data-word="WORD">'
        "{{ event_item(event, level, era_class) }}{{ event.span.start.year }}</div>\n"
    ),
}


def theme_edit(site: Path, target: int, word: str) -> None:
    """Add, edit or remove a site theme's override of a template or a static file."""
    theme = site / "themes" / "default"
    name = sorted(OVERRIDES)[target % 2]
    template, static = theme / "templates" / name, theme / "static" / "style.css"
    action = target // 2 % 3
    if action == 0:
        template.parent.mkdir(parents=True, exist_ok=True)
        template.write_text(OVERRIDES[name].replace("WORD", word), encoding="utf-8")
    elif action == 1:
        template.unlink(missing_ok=True)
    elif target % 2:
        static.unlink(missing_ok=True)
    else:
        static.parent.mkdir(parents=True, exist_ok=True)
        static.write_text(f"/* {word} */ body {{ color: rebeccapurple; }}\n", encoding="utf-8")


def files_of(site: Path) -> dict[Path, bytes]:
    """Return every file of the site with its bytes (to tell which ones an edit changed)."""
    return {path: path.read_bytes() for path in site.rglob("*") if path.is_file() and "_site" not in path.parts}


def _cited(site: Path, event_id: str) -> bool:
    """Return True if any other content file names the event (deleting it would break a link)."""
    return any(
        event_id in path.read_text(encoding="utf-8")
        for path in sorted((site / "content").rglob("*.*"))
        if path.stem != event_id and path.suffix in (".yaml", ".md")
    )


EDITS = st.lists(
    st.tuples(
        st.sampled_from("title date source publisher actor new remove rename delete site theme pages".split()),
        st.integers(min_value=0, max_value=50),
        st.sampled_from(["Alpha", "Beta", "Gamma", "Delta", "Ἀλφα", "אלפא"]),
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=EDITS)
def test_incremental_equals_full_build(tmp_path: Path, edits: list[tuple[str, int, str]]) -> None:
    work = Path(tmp_path) / f"run-{abs(hash(tuple(edits)))}"
    work.mkdir()
    site = copy_example(work)
    session = BuildSession()
    incremental, full = work / "incremental", work / "full"
    assert not build_site(site, incremental, session=session).failed()
    for kind, target, word in edits:
        before = files_of(site)
        edit(site, kind, target, word)
        # As serve's watcher would: the paths that changed, so that only they are looked at.
        after = files_of(site)
        changed = frozenset(path for path in before.keys() | after.keys() if before.get(path) != after.get(path))
        result = build_site(site, incremental, session=session, changed=changed)
        assert not result.failed(), [d.format() for d in result.diagnostics]
        shutil.rmtree(full, ignore_errors=True)
        assert not build_site(site, full, cache=False).failed()
        assert tree_digest(incremental) == tree_digest(full), (kind, target, word)
    shutil.rmtree(work)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=EDITS)
def test_cli_builds_with_the_saved_session_equal_cold_builds(tmp_path: Path, edits: list[tuple[str, int, str]]) -> None:
    # As `timeline build` runs them: each build loads what the last one saved in .timeline-cache/.
    work = Path(tmp_path) / f"cli-{abs(hash(tuple(edits)))}"
    work.mkdir()
    site = copy_example(work)
    cold = work / "cold"
    assert not build_site(site).failed()
    for kind, target, word in edits:
        edit(site, kind, target, word)
        result = build_site(site)
        assert not result.failed(), [d.format() for d in result.diagnostics]
        assert not result.notes, [d.format() for d in result.notes]
        shutil.rmtree(cold, ignore_errors=True)
        assert not build_site(site, cold, cache=False).failed()
        assert tree_digest(site / "_site") == tree_digest(cold), (kind, target, word)
    shutil.rmtree(work)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=EDITS, finish_now=st.lists(st.booleans(), min_size=4, max_size=4))
def test_deferred_whole_site_files_converge_to_a_full_build(
    tmp_path: Path, edits: list[tuple[str, int, str]], finish_now: list[bool]
) -> None:
    # serve's flow: pages first, feeds and open data after the reload; a skipped finish (the
    # preview stopped) must not leave a later build wrong.
    work = Path(tmp_path) / f"run-{abs(hash((tuple(edits), tuple(finish_now))))}"
    work.mkdir()
    site = copy_example(work)
    session = BuildSession()
    incremental, full = work / "incremental", work / "full"
    assert not build_site(site, incremental, session=session, defer_extras=True).failed()
    for (kind, target, word), now in zip(edits, finish_now, strict=False):
        edit(site, kind, target, word)
        result = build_site(site, incremental, session=session, defer_extras=True)
        assert not result.failed(), [d.format() for d in result.diagnostics]
        if result.finish is not None and not now:
            continue
        if result.finish is not None:
            result.finish()
        shutil.rmtree(full, ignore_errors=True)
        assert not build_site(site, full).failed()
        assert tree_digest(incremental) == tree_digest(full), (kind, target, word)
    last = build_site(site, incremental, session=session, defer_extras=True)
    if last.finish is not None:
        last.finish()
    shutil.rmtree(full, ignore_errors=True)
    assert not build_site(site, full).failed()
    assert tree_digest(incremental) == tree_digest(full)
    shutil.rmtree(work)


def test_deferred_files_are_the_previous_ones_until_finish(tmp_path: Path) -> None:
    site = copy_example(tmp_path)
    session, out = BuildSession(), tmp_path / "out"
    assert build_site(site, out, session=session, defer_extras=True).finish is None  # cold: all at once
    event = site / "content/events/ceasefire-1994.yaml"
    event.write_text(re.sub(r"(?m)^title: .*$", "title: Renamed ceasefire", event.read_text(encoding="utf-8"), count=1))
    feed_before = (out / "feed.xml").read_bytes()
    result = build_site(site, out, session=session, defer_extras=True)
    assert result.finish is not None
    assert "Renamed ceasefire" in (out / "events/ceasefire-1994/index.html").read_text(encoding="utf-8")
    assert (out / "feed.xml").read_bytes() == feed_before
    result.finish()
    assert "Renamed ceasefire" in (out / "feed.xml").read_text(encoding="utf-8")
    assert "Renamed ceasefire" in (out / "events.json").read_text(encoding="utf-8")


def test_a_no_change_rebuild_renders_nothing(tmp_path: Path) -> None:
    site = copy_example(tmp_path)
    session = BuildSession()
    first = build_site(site, tmp_path / "out", session=session)
    assert first.site is not None and first.site.pages
    again = build_site(site, tmp_path / "out", session=session)
    assert again.site is not None
    assert dict(again.site.pages) == {}
    assert len(again.site.kept) == len(first.site.pages)
    (site / "content/events/ceasefire-1994.yaml").write_text(
        (site / "content/events/ceasefire-1994.yaml").read_text(encoding="utf-8").replace("title:", "title: New", 1),
        encoding="utf-8",
    )
    edited = build_site(site, tmp_path / "out", session=session)
    assert edited.site is not None
    rendered = {p for p in edited.site.pages if p.endswith(".html")}
    assert "events/ceasefire-1994/index.html" in rendered
    assert "index.html" in rendered
    # Pages that show nothing of the 1994 ceasefire are kept as they were.
    assert "events/washington-talks-scheduled/index.html" not in rendered
    assert "actors/mike-pompeo/index.html" not in rendered
    html_pages = {p for p in first.site.pages if p.endswith(".html")}
    assert len(rendered) < len(html_pages) / 2
