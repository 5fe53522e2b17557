"""Byte-identical builds (P6): hash seed, time zone, locale, file creation order and path do not matter."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.integration.test_atomic import tree_hash

REPO = Path(__file__).resolve().parents[2]


def copy_site(target: Path, *, reverse: bool) -> Path:
    """Copy the example site, creating its files in forward or reverse order."""
    files = sorted(p for p in (REPO / "content").rglob("*") if p.is_file())
    files.append(REPO / "site.yaml")
    for source in reversed(files) if reverse else files:
        dest = target / source.relative_to(REPO)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, dest)
    return target


def build(site: Path, env: dict[str, str]) -> Path:
    """Build ``site`` in a child process with ``env`` added; return its output folder."""
    result = subprocess.run(
        [sys.executable, "-m", "timeline", "build", str(site), "-q"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO), **env},
        cwd=site,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return site / "_site"


def test_builds_are_byte_identical(tmp_path: Path) -> None:
    """Two builds differing in everything but the content give the same bytes in every file."""
    first = build(
        copy_site(tmp_path / "a" / "site", reverse=False),
        {"PYTHONHASHSEED": "1", "TZ": "UTC", "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8", "SOURCE_DATE_EPOCH": "0"},
    )
    second = build(
        copy_site(tmp_path / "elsewhere" / "deeper" / "site", reverse=True),
        {"PYTHONHASHSEED": "2", "TZ": "Pacific/Kiritimati", "LC_ALL": "POSIX", "LANG": "C", "SOURCE_DATE_EPOCH": "0"},
    )
    one, two = tree_hash(first), tree_hash(second)
    assert len(one) > 50
    differing = sorted(k for k in one.keys() | two.keys() if one.get(k) != two.get(k))
    assert differing == []


def test_rebuild_in_place_is_identical(tmp_path: Path) -> None:
    """Building the same site twice in a row changes no byte of the output."""
    site = copy_site(tmp_path / "site", reverse=False)
    env = {"PYTHONHASHSEED": "3", "SOURCE_DATE_EPOCH": "1600000000"}
    before = tree_hash(build(site, env))
    assert tree_hash(build(site, {**env, "PYTHONHASHSEED": "4", "TZ": "Asia/Jakarta"})) == before
