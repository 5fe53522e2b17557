"""Disk and permission errors (issue 13): one located line, exit 1, the previous output whole.

Real file systems, not mocks: a small tmpfs that fills up, one remounted read-only, an
immutable folder (``chattr +i``), and a tmpfs mounted as the output folder itself (which can
never be renamed, so it is updated through the journal).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import timeline.build.pipeline
from tests.conftest import copy_example
from timeline.build.outputdir import JOURNAL
from timeline.build.pipeline import build_site
from timeline.errors import TimelineError

LINE = re.compile(r"^(?P<path>/[^\n]*):1:1: error: cannot write the output folder [^\n]*: (?P<cause>[^\n]*)$")


def digest(folder: Path) -> dict[str, str]:
    """Return every file under ``folder`` with the sha256 of its bytes."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def leftovers(out: Path) -> list[str]:
    """Return staging folders beside ``out`` and pending folders or journals inside it."""
    beside = [p.name for p in out.parent.iterdir() if p.name.startswith((f".{out.name}.staging-", f".{out.name}.old-"))]
    inside = [p.name for p in out.glob(".*") if p.name.startswith((".timeline-pending-", JOURNAL))]
    return sorted(beside + inside)


def build(site: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run `timeline build` as a user does."""
    command = [sys.executable, "-m", "timeline", "build", str(site), *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def retitle(site: Path, title: str) -> None:
    """Change the site's title, which changes every page."""
    config = site / "site.yaml"
    text = re.sub(r"(?m)^title: .*$", f"title: {title}", config.read_text(encoding="utf-8"), count=1)
    config.write_text(text, encoding="utf-8")


def mount_tmpfs(folder: Path, size: str) -> None:
    """Mount a tmpfs of ``size`` at ``folder``, or skip naming the missing privilege."""
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"mounting a tmpfs needs CAP_SYS_ADMIN (root): {done.stderr.decode(errors='replace').strip()}")


def unmount(folder: Path) -> None:
    """Unmount ``folder`` (lazily: a failed test may still hold a file open)."""
    subprocess.run(["umount", "-l", str(folder)], capture_output=True)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """Return a 4 MiB tmpfs."""
    disk = tmp_path / "disk"
    mount_tmpfs(disk, "4m")
    yield disk
    unmount(disk)


def fill(disk: Path, leave: int = 16 * 1024) -> None:
    """Fill ``disk`` up to ``leave`` free bytes."""
    stat = os.statvfs(disk)
    free = stat.f_bavail * stat.f_frsize
    with (disk / "filler").open("wb") as file:
        file.write(b"\0" * max(0, free - leave))


def assert_one_line(stderr: str, cause: str, under: Path) -> None:
    """Check that stderr is one located diagnostic with ``cause``, naming a path under ``under``."""
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    found = LINE.match(lines[0])
    assert found, lines[0]
    assert cause in found["cause"] and "the previous output was left as it was" in found["cause"]
    assert Path(found["path"]).is_relative_to(under), found["path"]


@pytest.mark.parametrize("cache", [True, False], ids=["warm", "cold"])
def test_a_full_disk_is_one_located_line_and_keeps_the_output(tmp_path: Path, small_disk: Path, cache: bool) -> None:
    site = copy_example(tmp_path)
    out = small_disk / "out"
    flags = [] if cache else ["--no-cache"]
    assert build(site, "-o", out, *flags).returncode == 0
    before = digest(out)
    fill(small_disk)
    retitle(site, "A title that changes every page")
    done = build(site, "-o", out, *flags)
    assert done.returncode == 1
    assert_one_line(done.stderr, "No space left on device (ENOSPC)", small_disk)
    assert digest(out) == before
    assert leftovers(out) == []
    # Room again: the same command succeeds, with the new title everywhere.
    (small_disk / "filler").unlink()
    assert build(site, "-o", out, *flags).returncode == 0
    assert "A title that changes every page" in (out / "index.html").read_text(encoding="utf-8")


def test_a_full_disk_under_the_whole_site_is_one_line(tmp_path: Path, small_disk: Path) -> None:
    """Site, build cache and output on one full disk: the cache only warns, the output error is one line."""
    site = copy_example(small_disk)
    assert build(site).returncode == 0
    before = digest(site / "_site")
    fill(small_disk, leave=4096)
    retitle(site, "Another title")
    done = build(site)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if ": error: " in line]
    assert len(errors) == 1 and "No space left on device (ENOSPC)" in errors[0], done.stderr
    assert digest(site / "_site") == before


def test_a_read_only_output_is_one_located_line(tmp_path: Path) -> None:
    site = copy_example(tmp_path)
    disk = tmp_path / "ro"
    mount_tmpfs(disk, "8m")
    try:
        out = disk / "out"
        assert build(site, "-o", out).returncode == 0
        before = digest(out)
        assert subprocess.run(["mount", "-o", "remount,ro", str(disk)], capture_output=True).returncode == 0
        retitle(site, "Changed")
        for flags in ([], ["--no-cache"]):
            done = build(site, "-o", out, *flags)
            assert done.returncode == 1
            assert_one_line(done.stderr, "Read-only file system (EROFS)", disk)
            assert digest(out) == before
    finally:
        unmount(disk)


def test_an_immutable_output_folder_is_one_located_line(tmp_path: Path) -> None:
    site = copy_example(tmp_path)
    out = tmp_path / "out"
    assert build(site, "-o", out).returncode == 0
    before = digest(out)
    if subprocess.run(["chattr", "+i", str(out)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i needs CAP_LINUX_IMMUTABLE and a file system with attributes (ext4, xfs)")
    try:
        retitle(site, "Changed")
        for flags in ([], ["--no-cache"]):
            done = build(site, "-o", out, *flags)
            assert done.returncode == 1
            assert_one_line(done.stderr, "Operation not permitted (EPERM)", tmp_path)
            assert digest(out) == before
            assert leftovers(out) == []
    finally:
        subprocess.run(["chattr", "-i", str(out)], capture_output=True)


@pytest.mark.parametrize("cache", [True, False], ids=["warm", "cold"])
def test_a_mount_point_can_be_the_output_folder(tmp_path: Path, cache: bool) -> None:
    site = copy_example(tmp_path)
    out = tmp_path / "mounted"
    mount_tmpfs(out, "16m")
    try:
        flags = [] if cache else ["--no-cache"]
        for title in ("First title", "Second title"):
            retitle(site, title)
            done = build(site, "-o", out, *flags)
            assert done.returncode == 0, done.stderr
            shutil.rmtree(tmp_path / "reference", ignore_errors=True)
            assert build(site, "-o", tmp_path / "reference", "--no-cache").returncode == 0
            assert digest(out) == digest(tmp_path / "reference")
            assert leftovers(out) == []
        assert os.path.ismount(out)
    finally:
        unmount(out)


def test_a_journal_cut_short_is_rolled_forward(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An in-place update interrupted after its journal is finished by the next run, before anything else."""
    site = copy_example(tmp_path)
    out = tmp_path / "mounted"
    mount_tmpfs(out, "16m")
    try:
        assert not build_site(site, out).failed()
        retitle(site, "Rolled forward")
        assert not build_site(site, tmp_path / "reference").failed()
        original = timeline.build.pipeline.apply_plan
        moved: list[int] = []

        def interrupted(steps: list[tuple[str, str]], *args: object) -> None:
            half = [step for step in steps if step[0] == "move"][: len(steps) // 2]
            original(half, *args)  # type: ignore[arg-type]
            moved.append(len(half))
            raise KeyboardInterrupt  # Ctrl-C in the middle of the moves

        monkeypatch.setattr(timeline.build.pipeline, "apply_plan", interrupted)
        with pytest.raises(KeyboardInterrupt):
            build_site(site, out)
        assert moved and moved[0] > 0 and (out / JOURNAL).is_file()
        monkeypatch.setattr(timeline.build.pipeline, "apply_plan", original)
        assert build(site, "-o", out, "--no-cache").returncode == 0
        assert digest(out) == digest(tmp_path / "reference")
        assert leftovers(out) == []
    finally:
        unmount(out)


def test_an_unwritable_output_raises_a_diagnostic_not_an_oserror(tmp_path: Path) -> None:
    """The API gives the same one located error as the command line."""
    site = copy_example(tmp_path)
    disk = tmp_path / "ro"
    mount_tmpfs(disk, "1m")
    try:
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        with pytest.raises(TimelineError) as caught:
            build_site(site, disk / "out")
        (problem,) = caught.value.diagnostics
        assert "Read-only file system (EROFS)" in problem.message
    finally:
        unmount(disk)
