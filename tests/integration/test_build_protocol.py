"""One build protocol: ``build_site`` does what ``timeline build`` does, and leaves no switch behind."""

from __future__ import annotations

import gc
import io
import os
import subprocess
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO, copy_example
from timeline.build.pipeline import BuildResult, build_site, check_site
from timeline.commands.cli import main
from timeline.content.config import load_config
from timeline.errors import TimelineError
from timeline.progress import count_files

LONG_AGO = time.time_ns() - 3_600 * 10**9
EVENT = Path("content/events/washington-talks-scheduled.yaml")


def aged_example(tmp_path: Path) -> Path:
    """Return a copy of the example site whose files are dated well before the snapshot's clock tick."""
    site = copy_example(tmp_path)
    for path in site.rglob("*"):
        os.utime(path, ns=(LONG_AGO, LONG_AGO))
    return site


def tree(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Return every file's bytes and modification time."""
    files = (p for p in folder.rglob("*") if p.is_file())
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns) for p in files}


def cli_build(site: Path, *args: str) -> tuple[int, str, str]:
    """Run `timeline build SITE ARGS` in this process; return the exit code, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    code = main(["build", str(site), *args], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_the_api_twice_takes_the_fast_path_and_agrees_with_the_cli(tmp_path: Path) -> None:
    site = aged_example(tmp_path)
    first = build_site(site)
    assert not first.failed() and not first.up_to_date and first.site is not None
    assert first.files == count_files(first.site).total > 50
    written = tree(site / "_site")
    assert len(written) == first.files + 1  # and the .timeline-output marker

    second = build_site(site)
    assert second.up_to_date and not second.failed() and second.site is None
    assert second.files == first.files
    assert second.diagnostics == first.diagnostics
    assert tree(site / "_site") == written  # not one file touched

    code, out, err = cli_build(site)
    assert code == 0 and err == ""
    assert out == f"site is up to date: {first.files} files in {site / '_site'}\n"
    assert tree(site / "_site") == written


def test_the_cli_and_the_api_share_the_cache(tmp_path: Path) -> None:
    site = aged_example(tmp_path)
    code, out, _ = cli_build(site)
    assert code == 0 and out.startswith(f"built {len(tree(site / '_site')) - 1} files")
    assert build_site(site).up_to_date
    text = (site / EVENT).read_text(encoding="utf-8")
    (site / EVENT).write_text(text.replace("title:", "title: Edited,", 1), encoding="utf-8")
    os.utime(site / EVENT, ns=(LONG_AGO + 10**9, LONG_AGO + 10**9))
    edited = build_site(site)
    assert not edited.up_to_date and edited.site is not None
    # The session saved by the CLI was used: pages that do not show the event were kept.
    counts = count_files(edited.site)
    assert counts.rendered > 0 and counts.unchanged > 0
    assert "Edited," in (site / "_site/events/washington-talks-scheduled/index.html").read_text(encoding="utf-8")
    code, out, _ = cli_build(site)
    assert code == 0 and out == f"site is up to date: {edited.files} files in {site / '_site'}\n"


def test_without_the_cache_nothing_is_kept_and_nothing_is_skipped(tmp_path: Path) -> None:
    site = aged_example(tmp_path)
    for _ in range(2):
        result = build_site(site, cache=False)
        assert not result.up_to_date and result.site is not None
    assert not (site / ".timeline-cache").exists()


def test_a_failed_api_build_is_never_up_to_date(tmp_path: Path) -> None:
    site = aged_example(tmp_path)
    assert not build_site(site).failed()
    good = tree(site / "_site")
    (site / EVENT).write_text("title: [unclosed\n", encoding="utf-8")
    for _ in range(2):
        result = build_site(site)
        assert result.failed() and not result.up_to_date
    assert tree(site / "_site") == good


Switches = tuple[bool, int, list[object]]


def switches() -> Switches:
    """Return the process-wide switches a build must leave as it found them."""
    return gc.isenabled(), gc.get_freeze_count(), list(warnings.filters)


@pytest.fixture
def unchanged() -> Iterator[None]:
    """Require that the test leaves the collector, frozen objects and warning filters as they were."""
    before = switches()
    yield
    assert switches() == before


def interrupting(after: int) -> Callable[[str, int, int], None]:
    """Return a progress callback that raises KeyboardInterrupt at its ``after``-th call."""
    calls = iter(range(after))

    def progress(stage: str, done: int, total: int) -> None:
        if next(calls, None) is None:
            raise KeyboardInterrupt

    return progress


Call = Callable[[Path], BuildResult]
CALLS: dict[str, Call] = {
    "build cached": lambda site: build_site(site),
    "build no cache": lambda site: build_site(site, cache=False),
    "build two workers": lambda site: build_site(site, workers=2),
    "check": lambda site: check_site(site),
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_no_switch_outlives_a_call(tmp_path: Path, name: str, unchanged: None) -> None:
    call = CALLS[name]
    site = aged_example(tmp_path)
    assert not call(site).failed()
    assert not call(site).failed()  # warm, or up to date
    (site / EVENT).write_text("title: [unclosed\n", encoding="utf-8")
    assert call(site).failed()
    (site / "site.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    with pytest.raises(TimelineError):
        call(site)


@pytest.mark.parametrize("after", [0, 5, 40])
def test_no_switch_outlives_an_interrupted_call(tmp_path: Path, after: int, unchanged: None) -> None:
    site = aged_example(tmp_path)
    (site / "_site").mkdir()
    for run in (
        lambda: build_site(site, progress=interrupting(after)),
        lambda: build_site(site, cache=False, workers=2, progress=interrupting(after)),
        lambda: check_site(site, progress=interrupting(after)),
    ):
        with pytest.raises(KeyboardInterrupt):
            run()
    assert list((site / "_site").iterdir()) == []  # and the output was left as it was


ALONE = """
import gc, sys
from pathlib import Path
from timeline.build.pipeline import build_site
seen = []
build_site(Path(sys.argv[1]), cache=False, progress=lambda stage, done, total: seen.append((stage, gc.isenabled())))
print(sorted({enabled for stage, enabled in seen if stage != "writing"}), gc.isenabled())
"""


def test_the_collector_pauses_only_while_the_build_has_the_process_to_itself(tmp_path: Path) -> None:
    site = aged_example(tmp_path)
    # A process of its own, as `timeline build` is (this one may run other tests' threads):
    # paused while the pipeline runs (the switch into place comes after), on again at the end.
    done = subprocess.run(
        [sys.executable, "-c", ALONE, str(site)], capture_output=True, text=True, cwd=tmp_path, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "[False] True\n"

    # As under `serve`: another thread runs (there, HTTP and watcher threads), so the collector keeps running.
    seen: list[bool] = []

    def progress(stage: str, done: int, total: int) -> None:
        seen.append(gc.isenabled())

    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        build_site(site, cache=False, progress=progress)
    finally:
        stop.set()
        other.join()
    assert seen and all(seen)
    assert gc.isenabled()


def test_source_date_epoch_is_read_once_into_the_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "site.yaml").write_text("title: Empty\nbase_url: https://example.org/\n", encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert load_config(site).source_date_epoch == 1700000000
    build_site(site)
    assert b"<updated>2023-11-14T22:13:20Z</updated>" in (site / "_site/feed.xml").read_bytes()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "  ")
    assert load_config(site).source_date_epoch is None
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert load_config(site).source_date_epoch is None
    build_site(site)  # a new value is a new build, not the fast path
    assert b"<updated>1970-01-01T00:00:00Z</updated>" in (site / "_site/feed.xml").read_bytes()


@pytest.mark.parametrize("value", ["soon", "1.5", "-1", "12345678901234"])
def test_a_malformed_source_date_epoch_is_a_located_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    site = aged_example(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    code, out, err = cli_build(site)
    assert code == 1 and out == ""
    assert err == f"SOURCE_DATE_EPOCH:1:1: error: must be a whole number of seconds since 1970, not {value!r}\n"
    assert not (site / "_site").exists()


def test_only_the_settings_read_source_date_epoch() -> None:
    readers = sorted(
        path.relative_to(REPO).as_posix()
        for path in (REPO / "timeline").rglob("*.py")
        if '"SOURCE_DATE_EPOCH"' in path.read_text(encoding="utf-8")
    )
    assert readers == ["timeline/content/config.py"]
