"""`timeline build` skips a site whose files are all as its last successful build left them, and only then."""

from __future__ import annotations

import io
import os
import shutil
import time
from pathlib import Path

import pytest

from tests.conftest import copy_example
from timeline.commands.cli import main

MANIFEST = Path(".timeline-cache") / "manifest.json"
EVENT = Path("content/events/washington-talks-scheduled.yaml")
EVENT_PAGE = Path("_site/events/washington-talks-scheduled/index.html")
LONG_AGO = time.time_ns() - 3_600 * 10**9
UNLINKED_ARTICLE = """---
id: unlinked-report
title: "A report that no event cites"
published: 2020-10-24
language: en
publisher: Example Daily
---
Nothing links here.
"""


def build(site: Path, *args: str | Path) -> tuple[int, str, str]:
    """Run `timeline build SITE ARGS` in this process; return the exit code, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    code = main(["build", str(site), *map(str, args)], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def age(site: Path, ns: int = LONG_AGO) -> None:
    """Date every source file well before now, so none counts as written in the snapshot's clock tick."""
    for path in site.rglob("*"):
        rel = path.relative_to(site).parts
        if path.is_file() and rel[0] not in ("_site", ".timeline-cache"):
            os.utime(path, ns=(ns, ns))


def edit(path: Path, old: str, new: str, *, ns: int = LONG_AGO + 10**9) -> None:
    """Replace text in a file and give it an explicit (old, but different) modification time."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    os.utime(path, ns=(ns, ns))


def tree(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Return every file's bytes and modification time."""
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def built(site: Path, *args: str | Path) -> str:
    """Build and require a real build (not the up-to-date path); return stdout."""
    code, out, err = build(site, *args)
    assert code == 0, err
    assert out.startswith("built "), out
    return out


def up_to_date(site: Path, *args: str | Path) -> str:
    """Build and require the up-to-date path; return stderr."""
    code, out, err = build(site, *args)
    assert code == 0, err
    assert out.startswith("site is up to date: "), out
    return err


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """Return the example site, built once and aged, with a manifest."""
    root = copy_example(tmp_path)
    age(root)
    built(root)
    assert (root / MANIFEST).is_file()
    return root


def test_a_second_build_does_nothing(site: Path) -> None:
    before = tree(site / "_site")
    code, out, err = build(site)
    assert code == 0 and err == ""
    files = len(before) - 1  # not the .timeline-output marker
    assert out == f"site is up to date: {files} files in {site / '_site'}\n"
    assert tree(site / "_site") == before
    code, out, _ = build(site, "-q")
    assert code == 0 and out == ""


def test_an_edited_content_file_is_rebuilt(site: Path) -> None:
    edit(site / EVENT, "title:", "title: Moved -")
    built(site)
    assert "Moved -" in (site / EVENT_PAGE).read_text(encoding="utf-8")
    up_to_date(site)


def test_an_edit_that_keeps_size_and_mtime_is_still_seen(site: Path) -> None:
    path = site / EVENT
    stat = path.stat()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title:", "title:", 1).replace("Washington", "Washingtoo", 1), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size and path.stat().st_mtime_ns == stat.st_mtime_ns
    built(site)  # the change time (and git's racy rule) give it away
    assert "Washingtoo" in (site / EVENT_PAGE).read_text(encoding="utf-8")


def test_an_added_and_a_deleted_file_are_rebuilt(site: Path) -> None:
    added = site / "content/events/washington-talks-again.yaml"
    added.write_text((site / EVENT).read_text(encoding="utf-8"), encoding="utf-8")
    os.utime(added, ns=(LONG_AGO, LONG_AGO))
    built(site)
    page = site / "_site/events/washington-talks-again/index.html"
    assert page.is_file()
    up_to_date(site)
    added.unlink()
    built(site)
    assert not page.exists()
    up_to_date(site)


def test_an_edited_site_yaml_is_rebuilt(site: Path) -> None:
    edit(site / "site.yaml", 'title: "Nagorno-Karabakh 2020', 'title: "Karabakh 2020')
    built(site)
    assert "Karabakh 2020: a sourced timeline" in (site / "_site/index.html").read_text(encoding="utf-8")
    assert "Nagorno-Karabakh 2020: a sourced" not in (site / "_site/index.html").read_text(encoding="utf-8")


def test_a_theme_template_of_the_site_is_watched(site: Path) -> None:
    template = site / "themes/default/templates/event.html"
    template.parent.mkdir(parents=True)
    template.write_text('{% extends "default/event.html" %}{% block footer %}FIRST{% endblock %}\n', "utf-8")
    os.utime(template, ns=(LONG_AGO, LONG_AGO))
    built(site)
    assert "FIRST" in (site / EVENT_PAGE).read_text(encoding="utf-8")
    up_to_date(site)
    edit(template, "FIRST", "SECOND")
    built(site)
    assert "SECOND" in (site / EVENT_PAGE).read_text(encoding="utf-8")


def test_a_deleted_or_edited_output_file_is_restored(site: Path) -> None:
    page = site / EVENT_PAGE
    good = page.read_bytes()
    page.unlink()
    build(site)
    assert page.read_bytes() == good
    up_to_date(site)
    page.write_bytes(b"defaced")
    build(site)
    assert page.read_bytes() == good
    up_to_date(site)


def test_another_base_url_or_output_is_built(site: Path, tmp_path: Path) -> None:
    built(site, "--base-url", "https://mirror.example.net/kb/")
    assert "https://mirror.example.net/kb/" in (site / EVENT_PAGE).read_text(encoding="utf-8")
    up_to_date(site, "--base-url", "https://mirror.example.net/kb/")
    other = tmp_path / "elsewhere"
    built(site, "-o", other)
    assert (other / "index.html").is_file()
    up_to_date(site, "-o", other)
    built(site)  # the manifest now describes the other build


def test_a_new_source_date_epoch_is_built(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1600000000")
    built(site)
    up_to_date(site)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    built(site)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    built(site)


def test_a_file_written_in_the_snapshot_tick_is_not_trusted(site: Path) -> None:
    now = time.time_ns()
    os.utime(site / EVENT, ns=(now, now))
    built(site)
    # Its stat is exactly as the manifest has it, but it may have changed again within the tick.
    built(site)


def test_a_corrupt_manifest_is_ignored(site: Path) -> None:
    (site / MANIFEST).write_bytes(b'{"format": 1, "key": \x00 garbage')
    code, out, err = build(site)
    assert code == 0 and out.startswith("built ") and "Traceback" not in err
    up_to_date(site)


def test_a_failed_build_leaves_no_manifest(site: Path) -> None:
    edit(site / EVENT, "title:", "title: [unclosed")
    code, _, err = build(site)
    assert code == 1 and "error" in err
    assert not (site / MANIFEST).exists()
    assert build(site)[0] == 1
    edit(site / EVENT, "title: [unclosed", "title: Fixed -", ns=LONG_AGO + 2 * 10**9)
    built(site)
    assert "Fixed -" in (site / EVENT_PAGE).read_text(encoding="utf-8")
    up_to_date(site)


def test_warnings_are_reported_again(site: Path) -> None:
    article = site / "content/articles/unlinked-report.md"
    article.write_text(UNLINKED_ARTICLE, encoding="utf-8")
    os.utime(article, ns=(LONG_AGO, LONG_AGO))
    code, out, first = build(site)
    assert code == 0 and out.startswith("built ")
    assert "warning: nothing links to article 'unlinked-report'" in first
    assert up_to_date(site) == first
    code, _, strict = build(site, "--strict")
    assert code == 1 and "nothing links to article 'unlinked-report'" in strict


def test_no_cache_neither_reads_nor_writes_the_manifest(tmp_path: Path) -> None:
    site = copy_example(tmp_path)
    age(site)
    built(site, "--no-cache")
    assert not (site / MANIFEST).exists()
    built(site)
    up_to_date(site)
    stored = (site / MANIFEST).read_bytes(), (site / MANIFEST).stat().st_mtime_ns
    built(site, "--no-cache")
    assert ((site / MANIFEST).read_bytes(), (site / MANIFEST).stat().st_mtime_ns) == stored


def test_a_broken_site_yaml_is_reported_as_before(site: Path) -> None:
    edit(site / "site.yaml", "theme: default", "theme: [default")
    code, out, err = build(site)
    assert code == 1 and out == "" and "site.yaml:" in err and "Traceback" not in err
    assert not (site / MANIFEST).exists()


def test_a_deleted_whole_site_file_is_restored(site: Path) -> None:
    """A feed or calendar deleted by hand (or switched by a killed build) is made again with the rest."""
    feed = site / "_site/feed.xml"
    good = feed.read_bytes()
    feed.unlink()
    built(site)
    assert feed.read_bytes() == good
    up_to_date(site)


def test_a_deleted_output_folder_is_built_again(site: Path) -> None:
    shutil.rmtree(site / "_site")
    built(site)
    assert (site / EVENT_PAGE).is_file()
    up_to_date(site)
