"""`timeline build` with its saved cache gives the bytes of a build without it, and survives damage."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import copy_example
from tests.integration.sitecrawl import tree_digest
from timeline.build.session import fragments_key
from timeline.incremental.store import BuildCache


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "timeline", *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def test_cached_builds_equal_uncached_ones(tmp_path: Path) -> None:
    site = copy_example(tmp_path)
    assert run("build", site).returncode == 0
    assert (site / ".timeline-cache").is_dir()
    again = run("build", site)
    assert again.returncode == 0
    assert "0 rendered" in again.stdout or "up to date" in again.stdout
    event = site / "content/events/washington-talks-scheduled.yaml"
    event.write_text(event.read_text(encoding="utf-8").replace("title:", "title: Moved -", 1), encoding="utf-8")
    article = site / "content/articles/okezone-2020-10-23-putin-5000.md"
    article.write_text(
        article.read_text(encoding="utf-8").replace("publisher: Okezone", "publisher: Oke"), encoding="utf-8"
    )
    warm = run("build", site)
    assert warm.returncode == 0, warm.stderr
    assert "unchanged" in warm.stdout
    cold = run("build", site, "--no-cache", "-o", tmp_path / "cold")
    assert cold.returncode == 0
    assert tree_digest(site / "_site") == tree_digest(tmp_path / "cold")


def test_a_corrupt_cache_is_discarded_with_a_warning(tmp_path: Path) -> None:
    site = copy_example(tmp_path)
    assert run("build", site).returncode == 0
    objects = [p for p in (site / ".timeline-cache").rglob("*") if p.is_file() and "objects" in p.parts]
    objects.append(site / ".timeline-cache" / "session.sqlite")
    assert all(path.is_file() for path in objects)
    for path in objects:
        path.write_bytes(b"\x00garbage")
    damaged = run("build", site)
    assert damaged.returncode == 0
    assert "warning" in damaged.stderr and "Traceback" not in damaged.stderr
    assert run("build", site, "--no-cache", "-o", tmp_path / "cold").returncode == 0
    assert tree_digest(site / "_site") == tree_digest(tmp_path / "cold")


def test_pieces_are_kept_per_kind_and_a_corrupt_kind_is_made_again(tmp_path: Path) -> None:
    site = copy_example(tmp_path)
    assert run("build", site).returncode == 0
    cache = BuildCache(site)
    kinds = ["events.json", "events.csv", "sources.json", "timeline.json", "search/t", "search/page"]
    assert all(cache.path_of(fragments_key(kind)).is_file() for kind in kinds)
    cache.path_of(fragments_key("events.json")).write_bytes(b"\x00garbage")
    # An edit makes the site-wide files again, which reads the pieces of every kind.
    event = site / "content/events/washington-talks-scheduled.yaml"
    event.write_text(event.read_text(encoding="utf-8").replace("title:", "title: Moved -", 1), encoding="utf-8")
    warm = run("build", site)
    assert warm.returncode == 0, warm.stderr
    assert "corrupt cache entry" in warm.stderr and "Traceback" not in warm.stderr
    assert cache.path_of(fragments_key("events.json")).is_file()  # made again and saved
    assert run("build", site, "--no-cache", "-o", tmp_path / "cold").returncode == 0
    assert tree_digest(site / "_site") == tree_digest(tmp_path / "cold")
