"""Streamed output (#8): pages go to a pending folder as they are rendered, and every guarantee holds."""

from __future__ import annotations

import io
import os
import pickle
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

import timeline.build.pipeline
import timeline.pages.render
import timeline.parallel
from tests.conftest import copy_example
from tests.integration.sitecrawl import tree_digest
from timeline.build.pipeline import MARKER, build_site, run_pipeline
from timeline.build.session import BuildSession
from timeline.commands.cli import main
from timeline.content.config import load_config

BAD_EVENT_TEMPLATE = (
    '{% extends "default/event.html" %}\n'
    "{% block main %}{% if event.id == 'ceasefire-1994' %}{{ no_such_name.attr }}{% endif %}"
    "{{ super() }}{% endblock %}\n"
)


@pytest.fixture(autouse=True)
def fork_always(monkeypatch: pytest.MonkeyPatch) -> None:
    """Render in forked workers even for the small example site."""
    monkeypatch.setattr(timeline.pages.render, "PARALLEL_FROM", 1)


def leftovers(folder: Path) -> list[str]:
    """Return pending, staging or retired folders left beside an output folder."""
    return sorted(p.name for p in folder.iterdir() if ".staging-" in p.name or ".old-" in p.name)


def log_writers(monkeypatch: pytest.MonkeyPatch, log: Path) -> None:
    """Make every staged write append the writing process's id to ``log`` (children keep no memory)."""
    original = timeline.build.pipeline.Staging.write

    def write(self: timeline.build.pipeline.Staging, rel: str, data: bytes) -> None:
        with log.open("a", encoding="utf-8") as file:
            file.write(f"{os.getpid()}\n")
        original(self, rel, data)

    monkeypatch.setattr(timeline.build.pipeline.Staging, "write", write)


def edit(site: Path) -> None:
    """Change one event so that a successful build would change the output."""
    event = site / "content/events/ceasefire-1994.yaml"
    event.write_text(event.read_text(encoding="utf-8").replace("title:", "title: Changed", 1), encoding="utf-8")


def break_theme(site: Path) -> None:
    """Add a theme override that fails on one event page."""
    templates = site / "themes/default/templates"
    templates.mkdir(parents=True)
    (templates / "event.html").write_text(BAD_EVENT_TEMPLATE, encoding="utf-8")


def test_forked_cold_build_equals_one_process_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Children write their own pages; the tree is byte-identical to a one-process build."""
    site = copy_example(tmp_path)
    log = tmp_path / "writers.log"
    log_writers(monkeypatch, log)
    sent: list[int] = []
    real_dump = timeline.parallel.pickle.dump

    def dump(value: Any, file: Any, **kwargs: Any) -> None:
        # Runs in the child: record the size on disk, since the child's memory is thrown away.
        with (tmp_path / "pipe.log").open("a", encoding="utf-8") as record:
            record.write(f"{len(pickle.dumps(value))}\n")
        real_dump(value, file, **kwargs)

    monkeypatch.setattr(timeline.parallel.pickle, "dump", dump)
    forked = build_site(site, tmp_path / "two", workers=2, cache=False)  # no session saved through pickle
    assert not forked.failed(), forked.diagnostics
    writers = set(log.read_text(encoding="utf-8").split())
    assert len(writers) == 2 and str(os.getpid()) in writers
    assert forked.site is not None and forked.site.streamed == set(forked.site.pages)
    sent = [int(n) for n in (tmp_path / "pipe.log").read_text(encoding="utf-8").split()]
    page_bytes = sum((tmp_path / "two" / rel).stat().st_size for rel in forked.site.streamed)
    # Only paths and diagnostics travel back, never page bytes.
    assert sum(sent) < page_bytes / 20
    single = build_site(site, tmp_path / "one", workers=1, cache=False)
    assert not single.failed()
    assert tree_digest(tmp_path / "one") == tree_digest(tmp_path / "two")
    assert leftovers(tmp_path) == []


def test_failed_forked_cold_build_keeps_previous_output(tmp_path: Path) -> None:
    """A template error met by forked workers that already wrote pages leaves the old tree and no folder."""
    site = copy_example(tmp_path)
    assert not build_site(site, workers=2).failed()
    before = tree_digest(site / "_site")
    edit(site)
    break_theme(site)
    result = build_site(site, workers=2)
    assert result.failed()
    assert any(d.path == "themes/default/templates/event.html" for d in result.diagnostics)
    assert tree_digest(site / "_site") == before
    assert leftovers(site) == []


def test_failed_warm_build_keeps_previous_output(tmp_path: Path) -> None:
    """The same failure in a warm build (session, pending folder) changes no file of the output."""
    site = copy_example(tmp_path)
    out = tmp_path / "preview"
    session = BuildSession()
    assert not build_site(site, out, session=session, workers=2).failed()
    before = tree_digest(out)
    edit(site)
    break_theme(site)
    result = build_site(site, out, session=session, workers=2)
    assert result.failed()
    assert tree_digest(out) == before
    assert leftovers(tmp_path) == []
    # The session still describes the folder: fixing the theme gives the full build's bytes.
    shutil.rmtree(site / "themes")
    assert not build_site(site, out, session=session, workers=2).failed()
    assert not build_site(site, tmp_path / "full").failed()
    assert tree_digest(out) == tree_digest(tmp_path / "full")


def test_failed_cli_build_with_cache_keeps_previous_output(tmp_path: Path) -> None:
    """`timeline build` with its build cache (the warm path) fails on a template error and writes nothing."""
    site = copy_example(tmp_path)
    assert main(["build", str(site), "-q"], io.StringIO(), io.StringIO()) == 0
    assert main(["build", str(site), "-q"], io.StringIO(), io.StringIO()) == 0
    before = tree_digest(site / "_site")
    edit(site)
    break_theme(site)
    err = io.StringIO()
    assert main(["build", str(site)], io.StringIO(), err) == 1
    assert "themes/default/templates/event.html:2:" in err.getvalue()
    assert tree_digest(site / "_site") == before
    assert leftovers(site) == []


def test_warm_streamed_build_touches_only_changed_files(tmp_path: Path) -> None:
    """Every page rendered again: files with the same bytes keep their mtime, the edited page is replaced."""
    site = copy_example(tmp_path)
    out = tmp_path / "out"
    session = BuildSession()
    assert not build_site(site, out, session=session, workers=2).failed()
    old = 1_000_000_000
    for path in out.rglob("*"):
        if path.is_file():
            os.utime(path, (old, old))
    # Forget every fingerprint, so nothing is kept and every page is rendered and streamed again.
    key = str(out.resolve())
    session.outputs[key] = {rel: "stale" for rel in session.outputs[key]}
    edit(site)
    result = build_site(site, out, session=session, workers=2)
    assert not result.failed(), result.diagnostics
    assert result.site is not None and not result.site.kept and len(result.site.streamed) > 50
    assert not build_site(site, tmp_path / "full").failed()
    assert tree_digest(out) == tree_digest(tmp_path / "full")
    touched = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and p.stat().st_mtime != old}
    assert "events/ceasefire-1994/index.html" in touched
    assert "actors/mike-pompeo/index.html" not in touched
    assert len(touched) < len(result.site.streamed) / 2
    assert leftovers(tmp_path) == []


def test_a_dead_worker_is_redone_without_writing_through(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A child that dies mid-share is redone here; its half-written staging files never reach the old output."""
    site = copy_example(tmp_path)
    assert not build_site(site).failed()
    # Hard links to the old output's files: a write through a staged link would show here.
    backup = tmp_path / "backup"
    for path in sorted((site / "_site").rglob("*")):
        if path.is_file():
            target = backup / path.relative_to(site / "_site")
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(path, target)
            os.utime(target, (1_000_000_000, 1_000_000_000))
    before = tree_digest(backup)
    parent = os.getpid()
    original = timeline.build.pipeline.Staging.write
    counted: list[int] = []

    def dying(self: timeline.build.pipeline.Staging, rel: str, data: bytes) -> None:
        original(self, rel, data)
        counted.append(1)
        if os.getpid() != parent and len(counted) == 5:
            torn = self.folder / rel  # a fresh file torn by the death (writes never go through links)
            torn.unlink()
            torn.write_bytes(data[: len(data) // 2])
            os._exit(3)

    monkeypatch.setattr(timeline.build.pipeline.Staging, "write", dying)
    edit(site)
    assert not build_site(site, workers=2).failed()
    assert tree_digest(backup) == before
    assert {p.stat().st_mtime for p in backup.rglob("*") if p.is_file()} == {1_000_000_000}
    monkeypatch.setattr(timeline.build.pipeline.Staging, "write", original)
    assert not build_site(site, tmp_path / "fresh", workers=1).failed()
    assert tree_digest(site / "_site") == tree_digest(tmp_path / "fresh")


def test_summary_counts_streamed_pages(tmp_path: Path) -> None:
    """The CLI's summary line counts streamed pages as rendered, as when pages were held in memory."""
    site = copy_example(tmp_path)
    in_memory = run_pipeline(load_config(site))
    assert in_memory.site is not None and not in_memory.site.streamed
    out = io.StringIO()
    assert main(["build", str(site)], out, io.StringIO()) == 0
    found = re.search(r"built (\d+) files", out.getvalue())
    assert found and int(found.group(1)) == len(in_memory.site.pages) + len(in_memory.site.copies)
    on_disk = [p for p in (site / "_site").rglob("*") if p.is_file() and p.name != MARKER]
    assert int(found.group(1)) == len(on_disk)
    pages = in_memory.site.pages
    for rel in ("index.html", "feed.xml"):
        assert (site / "_site" / rel).read_bytes() == pages[rel]
    assert (site / "_site" / MARKER).is_file()


def test_check_writes_nothing(tmp_path: Path) -> None:
    """`timeline check` keeps pages in memory: no output, no pending folder."""
    site = copy_example(tmp_path)
    before = sorted(p.name for p in site.iterdir())
    assert main(["check", str(site)], io.StringIO(), io.StringIO()) == 0
    assert sorted(p.name for p in site.iterdir()) == before
