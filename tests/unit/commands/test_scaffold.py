"""Tests for timeline.commands.scaffold: `timeline new site` and `timeline new event`."""

from __future__ import annotations

from pathlib import Path

import pytest

from timeline.commands.scaffold import WORKFLOW, new_event, new_site
from timeline.content.config import load_config
from timeline.content.linking import index_content
from timeline.content.reader import read_content
from timeline.content.urls import page_path
from timeline.errors import TimelineError

EXPECTED = [
    ".github/workflows/pages.yml",
    ".gitignore",
    "README.md",
    "content/actors.yaml",
    "content/articles/example-gazette-2021-03-02-bridge-vote.md",
    "content/events/council-closes-old-bridge.yaml",
    "content/events/old-bridge-reopens.yaml",
    "content/places.yaml",
    "site.yaml",
]


def diagnostics(site: Path) -> list[str]:
    """Return every diagnostic from reading and indexing the site at ``site``."""
    config = load_config(site)
    content, read_diags = read_content(config)
    _, index_diags = index_content(content, config)
    return [d.format() for d in [*read_diags, *index_diags]]


def test_new_site_writes_the_expected_files(tmp_path: Path) -> None:
    site = tmp_path / "my-site"
    written = new_site(site)
    assert [p.relative_to(site).as_posix() for p in written] == EXPECTED
    assert written == sorted(written)
    on_disk = sorted(
        p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()
    )
    assert on_disk == EXPECTED
    ignored = (site / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "_site/" in ignored and ".timeline-cache/" in ignored
    assert (site / ".github/workflows/pages.yml").read_bytes() == WORKFLOW.encode(
        "utf-8"
    )


def test_new_site_reads_without_any_diagnostic(tmp_path: Path) -> None:
    site = tmp_path / "my-site"
    new_site(site)
    assert diagnostics(site) == []
    config = load_config(site)
    content, _ = read_content(config)
    assert len(content.events) == 2 and len(content.articles) == 1
    assert config.base_url == "https://example.github.io/my-site/"


def test_new_site_accepts_an_existing_empty_folder(tmp_path: Path) -> None:
    assert len(new_site(tmp_path)) == len(EXPECTED)


def test_new_site_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    keep = tmp_path / "notes.txt"
    keep.write_text("mine\n", encoding="utf-8")
    with pytest.raises(TimelineError, match="not empty"):
        new_site(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]
    assert keep.read_text(encoding="utf-8") == "mine\n"


def test_new_site_refuses_a_file(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("x", encoding="utf-8")
    with pytest.raises(TimelineError, match="not a folder"):
        new_site(target)


def publish_ready(path: Path) -> None:
    """Do what the template asks: delete `draft: true` and uncomment the outside source."""
    lines = path.read_text(encoding="utf-8").splitlines()
    assert "draft: true" in lines
    lines.remove("draft: true")
    start = lines.index("# sources:")
    outside = next(n for n in range(start, len(lines)) if lines[n].startswith("#   - title:"))
    kept = lines[:start] + ["sources:"] + [line[2:] for line in lines[outside:] if line.startswith("#  ")]
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")


def test_new_event_is_a_draft_that_builds_without_any_diagnostic(tmp_path: Path) -> None:
    new_site(tmp_path)
    path = new_event(tmp_path, 'Repairs begin: "phase 1"', "2021-04-12")
    assert path == tmp_path / "content" / "events" / "repairs-begin-phase-1.yaml"
    text = path.read_text(encoding="utf-8")
    # A commented template of both kinds of source, never an empty list.
    assert "sources: []" not in text and "# sources:" in text and "#   - article:" in text
    # The draft is not part of the site, so a fresh event leaves it publishable (no warning).
    assert diagnostics(tmp_path) == []
    content, _ = read_content(load_config(tmp_path))
    assert [e.id for e in content.events if e.id == "repairs-begin-phase-1"] == []


def test_new_event_becomes_a_sourced_event_once_the_template_is_followed(tmp_path: Path) -> None:
    new_site(tmp_path)
    path = new_event(tmp_path, 'Repairs begin: "phase 1"', "2021-04-12")
    publish_ready(path)
    content, _ = read_content(load_config(tmp_path))
    event = next(e for e in content.events if e.id == "repairs-begin-phase-1")
    assert event.title == 'Repairs begin: "phase 1"'
    assert event.span.edtf() == "2021-04-12"
    assert [s.publisher for s in event.sources] == ["Publisher"]
    assert diagnostics(tmp_path) == []


def test_an_undrafted_event_without_sources_still_warns(tmp_path: Path) -> None:
    new_site(tmp_path)
    path = new_event(tmp_path, "Bridge closes", "2021-03-02")
    path.write_text(path.read_text(encoding="utf-8").replace("draft: true\n", ""), encoding="utf-8")
    assert diagnostics(tmp_path) == [
        "content/events/bridge-closes.yaml:1:1: warning: event 'bridge-closes' has no sources"
    ]


@pytest.mark.parametrize(
    "date", ["1994", "2020-10", "1988/1994", "1994~", "2020-10-23T18:01+07:00"]
)
def test_new_event_accepts_every_date_form(tmp_path: Path, date: str) -> None:
    new_site(tmp_path)
    path = new_event(tmp_path, "Something happens", date)
    publish_ready(path)
    assert diagnostics(tmp_path) == []
    content, _ = read_content(load_config(tmp_path))
    event = next(e for e in content.events if e.path.endswith(path.name))
    assert event.span.edtf() == date


def test_new_event_with_a_non_latin_title_gets_a_stable_id(tmp_path: Path) -> None:
    new_site(tmp_path)
    path = new_event(tmp_path, "Карабах", "2020-09-27")
    assert path.name.startswith("x-") and path.suffix == ".yaml"
    publish_ready(path)
    content, _ = read_content(load_config(tmp_path))
    assert any(e.title == "Карабах" for e in content.events)


def test_new_event_refuses_to_overwrite(tmp_path: Path) -> None:
    new_site(tmp_path)
    path = new_event(tmp_path, "Bridge closes", "2021-03-02")
    path.write_text("title: edited\ndate: 2021\n", encoding="utf-8")
    with pytest.raises(TimelineError, match="already exists"):
        new_event(tmp_path, "Bridge closes", "2022")
    assert path.read_text(encoding="utf-8") == "title: edited\ndate: 2021\n"


@pytest.mark.parametrize(
    "date", ["2020-13-01", "2021-02-30", "yesterday", "23/10/2020", ""]
)
def test_new_event_refuses_a_bad_date(tmp_path: Path, date: str) -> None:
    new_site(tmp_path)
    with pytest.raises(TimelineError) as caught:
        new_event(tmp_path, "Bridge closes", date)
    assert caught.value.diagnostics[0].path == "--date"
    assert not (tmp_path / "content" / "events" / "bridge-closes.yaml").exists()


@pytest.mark.parametrize("title", ["", "   ", "two\nlines"])
def test_new_event_refuses_a_bad_title(tmp_path: Path, title: str) -> None:
    new_site(tmp_path)
    with pytest.raises(TimelineError, match="title"):
        new_event(tmp_path, title, "2021")


def test_new_event_outside_a_site_is_refused(tmp_path: Path) -> None:
    with pytest.raises(TimelineError, match="site.yaml"):
        new_event(tmp_path, "Bridge closes", "2021")
    assert not (tmp_path / "content").exists()


def test_scaffolded_site_builds(tmp_path: Path) -> None:
    # Written against the lead's build entry point `build_site(site_dir, out_dir)`.
    from timeline.build.pipeline import build_site

    site = tmp_path / "my-site"
    new_site(site)
    out = tmp_path / "out"
    result = build_site(site, out, strict=True)
    assert [d.format() for d in result.diagnostics] == []
    assert not result.failed(strict=True)
    assert (out / "index.html").is_file()
    assert (out / "404.html").is_file()
    for event_id in ("council-closes-old-bridge", "old-bridge-reopens"):
        assert (out / page_path("event", event_id) / "index.html").is_file()
    article = page_path("article", "example-gazette-2021-03-02-bridge-vote")
    assert (out / article / "index.html").is_file()
