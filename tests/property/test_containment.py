"""P4: no id, slug or tag, however hostile, makes timeline write outside its output folder."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import timeline.build.pipeline
from timeline.build.outputdir import target as _target
from timeline.build.pipeline import build_site
from timeline.content.model import check_id, slugify
from timeline.content.urls import page_path

STAGING = Path("/srv/out/.site.staging-0000")
HOSTILE = ["../", "..", "/", "\\", "%2e%2e", "\x00", ".", " ", "con", "AUX", "nul", "com1", "lpt9", "C:", "~", "%5c"]
hostile_text = st.lists(st.sampled_from(HOSTILE) | st.text(max_size=6), max_size=8).map("".join)
SLUG_RE = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?|x-[0-9a-f]{10})$")
DEVICE_RE = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$", re.IGNORECASE)


def assert_portable_inside(rel: str) -> None:
    """``rel`` is a safe output path: contained, no device names, no trailing dots or spaces."""
    target = _target(STAGING, rel)
    assert target.resolve().is_relative_to(STAGING.resolve())
    for part in Path(rel).parts:
        assert not DEVICE_RE.match(part), rel
        assert part == part.rstrip(". "), rel


# Ten values per example, 1,000 examples: 10,000 ids and 10,000 slugs, at a tenth of the overhead.
values = st.lists(hostile_text | st.text(max_size=40), min_size=10, max_size=10)


def check_one_id(value: str) -> None:
    """An id is either refused with a reason or becomes a portable path inside the output."""
    problem = check_id(value)
    if problem is None:
        assert value
        for kind in ("event", "article", "actor", "place"):
            assert_portable_inside(page_path(kind, value) + "index.html")
    else:
        assert problem.startswith("id ")


def check_one_slug(value: str) -> None:
    """Every tag or title gets a non-empty ASCII slug that is a portable path inside the output."""
    slug = slugify(value)
    assert SLUG_RE.match(slug), slug
    assert not DEVICE_RE.match(slug)
    assert_portable_inside(page_path("tag", slug) + "index.html")
    assert slugify(value) == slug


@settings(max_examples=1_000, deadline=None)
@given(values)
@example(["../../etc/x", "a/../../x", "..\\..\\x", "x\x00y", "con", "name.", "", "%2e%2e/%2e%2e/x", ".", "CON.txt"])
def test_ids_are_rejected_or_contained(batch: list[str]) -> None:
    """10,000 generated ids: each refused with a reason, or a portable path inside the output."""
    for value in batch:
        check_one_id(value)


@settings(max_examples=1_000, deadline=None)
@given(values)
@example(["ТАСС", "東京", "", "CON", "../..", "SWIFT", "Swift", "\x00", " . ", "lpt1"])
def test_slugs_are_never_empty_and_always_contained(batch: list[str]) -> None:
    """10,000 generated titles and tags: each slug non-empty, ASCII, portable and contained."""
    for value in batch:
        check_one_slug(value)


@pytest.mark.parametrize("rel", ["../x", "/etc/passwd", "a/../../x", "..\\x", "x\x00y", "", "."])
def test_write_target_refuses_escapes(rel: str) -> None:
    """The last line of defence refuses a path that would leave the staging folder."""
    with pytest.raises(ValueError, match="unsafe output path"):
        _target(STAGING, rel)


def test_real_build_writes_only_inside_staging(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build with edge-case ids and non-Latin tags writes, links and renames only inside its folders."""
    repo = Path(__file__).resolve().parents[2]
    site = tmp_path / "site"
    site.mkdir()
    shutil.copy(repo / "site.yaml", site)
    shutil.copytree(repo / "content", site / "content")
    for n, event_id in enumerate(["A.b_c-d", "con.x" if check_id("con.x") is None else "conx", "x" * 100, "9-9"]):
        tags = "tags: [ТАСС, 東京, '../..']"
        event = f"id: {event_id}\ntitle: E{n}\ndate: 2020-0{n + 1}-01\n{tags}\nsources:\n  - title: S\n"
        (site / "content" / "events" / f"e{n}.yaml").write_text(event, encoding="utf-8")
    writes: list[Path] = []
    real_write, real_replace, real_link = Path.write_bytes, os.replace, os.link

    def write_bytes(self: Path, data: Any) -> int:
        writes.append(self)
        return real_write(self, data)

    def replace(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
        writes.append(Path(dst))
        real_replace(src, dst, *args, **kwargs)

    def link(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
        writes.append(Path(dst))
        real_link(src, dst, *args, **kwargs)

    monkeypatch.setattr(Path, "write_bytes", write_bytes)
    monkeypatch.setattr(timeline.build.pipeline.os, "replace", replace)
    monkeypatch.setattr(timeline.build.pipeline.os, "link", link)
    result = build_site(site)
    assert not result.failed(), result.diagnostics
    out = (site / "_site").resolve()
    assert len(writes) > 50
    for path in writes:
        resolved = path.resolve()
        assert resolved.is_relative_to(out.parent), path
        top = resolved.relative_to(out.parent).parts[0]
        # The output, its staging folders, and the build cache (`timeline build`'s, kept beside it).
        assert re.match(r"^(_site|\._site\.(staging|old)-[0-9a-f]+|\.timeline-cache)$", top), path
    tag_pages = sorted(p.parent.name for p in (out / "tags").glob("*/index.html"))
    assert all(SLUG_RE.match(name) for name in tag_pages)
