"""Atomic output (P7, T18): a failed build leaves the previous site byte for byte; bad folders are refused."""

from __future__ import annotations

import hashlib
import io
import shutil
from pathlib import Path
from typing import Any

import pytest

import timeline.build.pipeline
import timeline.pages.render
from tests.conftest import copy_example as example_copy
from timeline.build.pipeline import build_site
from timeline.commands.cli import main
from timeline.errors import TimelineError

REPO = Path(__file__).resolve().parents[2]


def tree_hash(folder: Path) -> dict[str, str]:
    """Return every file and folder under ``folder`` with a hash of its bytes."""
    found = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        found[rel] = "dir" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def leftovers(site: Path) -> list[str]:
    """Return staging or retired folders left beside the output."""
    return sorted(p.name for p in site.iterdir() if ".staging-" in p.name or ".old-" in p.name)


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """Return a site built once, and the hash of its output tree."""
    site = example_copy(tmp_path)
    # Cold builds, so that the fault tests below meet every page.
    result = build_site(site, cache=False)
    assert not result.failed()
    return site, tree_hash(site / "_site")


def _edit(site: Path) -> None:
    # Change the content so that a successful build would change the output.
    event = site / "content" / "events" / "ceasefire-1994.yaml"
    event.write_text(event.read_text(encoding="utf-8").replace("title:", "title: Changed", 1), encoding="utf-8")


@pytest.mark.parametrize("which", ["first", "middle", "last"])
def test_exception_while_rendering_page_k_keeps_old_output(
    built: tuple[Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch, which: str
) -> None:
    """An exception escaping the renderer at page k leaves the old tree and no staging folder."""
    site, before = built
    _edit(site)
    original = timeline.pages.render.render_page
    planned = timeline.build.pipeline.run_pipeline(timeline.build.pipeline.load_config(site)).timeline
    assert planned is not None
    pages = len(timeline.pages.render.plan_pages(planned))
    k = {"first": 1, "middle": pages // 2, "last": pages}[which]
    calls = []

    def exploding(*args: Any, **kwargs: Any) -> str | None:
        calls.append(1)
        if len(calls) == k:
            raise RuntimeError(f"injected fault on page {k}")
        return original(*args, **kwargs)

    monkeypatch.setattr(timeline.pages.render, "render_page", exploding)
    with pytest.raises(RuntimeError, match="injected fault"):
        build_site(site, cache=False)
    assert tree_hash(site / "_site") == before
    assert leftovers(site) == []


@pytest.mark.parametrize("which", ["first", "middle", "last"])
def test_exception_while_writing_file_k_keeps_old_output(
    built: tuple[Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, which: str
) -> None:
    """A write failing at file k (disk full) is one located error; the old tree stays, no staging folder."""
    site, before = built
    _edit(site)
    original = timeline.build.pipeline._write_file
    calls = []

    def counting(*args: Any, **kwargs: Any) -> None:
        calls.append(1)
        original(*args, **kwargs)

    # Only files whose bytes changed are written: count them on a copy of the output.
    shutil.copytree(site / "_site", tmp_path / "copy")
    monkeypatch.setattr(timeline.build.pipeline, "_write_file", counting)
    assert not build_site(site, tmp_path / "copy").failed()
    files = len(calls)
    assert files > 2
    k = {"first": 1, "middle": files // 2, "last": files}[which]
    calls.clear()

    def failing(*args: Any, **kwargs: Any) -> None:
        calls.append(1)
        if len(calls) == k:
            raise OSError(28, "No space left on device", str(args[0]))
        original(*args, **kwargs)

    monkeypatch.setattr(timeline.build.pipeline, "_write_file", failing)
    with pytest.raises(TimelineError) as caught:
        build_site(site)
    (problem,) = caught.value.diagnostics
    assert "No space left on device (ENOSPC)" in problem.message and problem.path.startswith(str(site / "_site"))
    assert tree_hash(site / "_site") == before
    assert leftovers(site) == []


def test_template_error_on_one_page_keeps_old_output(built: tuple[Path, dict[str, str]]) -> None:
    """A theme override that fails on one event page fails the build at its line; output unchanged."""
    site, before = built
    templates = site / "themes" / "default" / "templates"
    templates.mkdir(parents=True)
    (templates / "event.html").write_text(
        '{% extends "default/event.html" %}\n'
        "{% block main %}{% if event.id == 'ceasefire-1994' %}{{ no_such_name.attr }}{% endif %}"
        "{{ super() }}{% endblock %}\n",
        encoding="utf-8",
    )
    _edit(site)
    out, err = io.StringIO(), io.StringIO()
    assert main(["build", str(site)], out, err) == 1
    assert "themes/default/templates/event.html:2:" in err.getvalue()
    assert tree_hash(site / "_site") == before
    assert leftovers(site) == []


@pytest.mark.parametrize("target", [".", "..", "content", "content/events", "content/..", "themes/x"])
def test_output_over_the_sources_is_refused(tmp_path: Path, target: str) -> None:
    """Output into the site itself, its parent or its content is refused, and nothing is deleted."""
    site = example_copy(tmp_path)
    before = tree_hash(tmp_path)
    with pytest.raises(TimelineError, match="output folder"):
        build_site(site, site / target)
    assert tree_hash(tmp_path) == before


@pytest.mark.parametrize("value", [".", "..", "content/..", "/tmp/x"])
def test_output_setting_over_the_sources_is_refused(tmp_path: Path, value: str) -> None:
    """``output:`` in site.yaml that points at the site or outside it is a config error."""
    site = example_copy(tmp_path)
    config = site / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("output: _site", f"output: {value}"), encoding="utf-8")
    with pytest.raises(TimelineError) as caught:
        build_site(site)
    assert any(d.path == "site.yaml" and "output" in d.message for d in caught.value.diagnostics)


def test_foreign_output_folder_is_not_deleted(tmp_path: Path) -> None:
    """An existing output folder that timeline did not make is refused and left as it was."""
    site = example_copy(tmp_path)
    foreign = tmp_path / "documents"
    foreign.mkdir()
    (foreign / "thesis.txt").write_text("precious", encoding="utf-8")
    with pytest.raises(TimelineError, match="not made by timeline"):
        build_site(site, foreign)
    assert (foreign / "thesis.txt").read_text(encoding="utf-8") == "precious"
    assert sorted(p.name for p in foreign.iterdir()) == ["thesis.txt"]


def test_symlink_in_old_output_is_not_written_through(built: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    """T18: a symlink planted in the old output does not carry writes outside it."""
    site, _ = built
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "keep.txt").write_text("untouched", encoding="utf-8")
    shutil.rmtree(site / "_site" / "events")
    (site / "_site" / "events").symlink_to(victim, target_is_directory=True)
    _edit(site)
    assert not build_site(site).failed()
    assert sorted(p.name for p in victim.iterdir()) == ["keep.txt"]
    assert not (site / "_site" / "events").is_symlink()
