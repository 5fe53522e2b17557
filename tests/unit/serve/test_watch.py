"""The watcher: debounce, editors' atomic saves, ignored names, polling and its fallback."""

from __future__ import annotations

import errno
import io
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from watchdog.observers import Observer
from watchdog.observers.api import ObservedWatch

from timeline.serve.watch import Watcher, WatchPlan, is_ignored_name

# watchdog 7 warns when a burst of new nested folders makes it add the same watch twice (harmless).
pytestmark = pytest.mark.filterwarnings("ignore:Callback with id:RuntimeWarning")


def wait_until(predicate: Callable[[], bool], timeout: float = 5.0) -> bool:
    """Poll ``predicate`` until it holds or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()


class Recorder:
    """An on_change callback that records every batch it gets."""

    def __init__(self) -> None:
        self.batches: list[frozenset[Path]] = []

    def __call__(self, changed: frozenset[Path]) -> None:
        self.batches.append(changed)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "content" / "events").mkdir(parents=True)
    (tmp_path / "content" / "events" / "a.yaml").write_text("title: A\n")
    (tmp_path / "site.yaml").write_text("title: T\n")
    (tmp_path / "_site").mkdir()
    return tmp_path


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def watcher(site: Path, recorder: Recorder) -> Iterator[Watcher]:
    w = Watcher([site / "content", site / "site.yaml"], recorder, ignore_paths=[site / "_site"])
    w.start()
    yield w
    w.stop()


def settle(w: Watcher, recorder: Recorder, count: int) -> None:
    """Wait for ``count`` batches and for the watcher to go idle."""
    assert wait_until(lambda: len(recorder.batches) >= count), recorder.batches
    assert w.wait_idle(5.0)


@pytest.mark.parametrize(
    "name",
    [
        ".#a.yaml",
        ".a.yaml.swp",
        ".a.yaml.swx",
        "4913",
        "5036",
        "a.yaml~",
        ".goutputstream-X1Y2",
        "a.tmp",
        "a.yaml___jb_tmp___",
        ".DS_Store",
    ],
)
def test_editor_droppings_are_ignored(name: str) -> None:
    assert is_ignored_name(name)


@pytest.mark.parametrize("name", ["a.yaml", "4914", "2024", "notes.md", "style.css"])
def test_sources_are_not_ignored(name: str) -> None:
    assert not is_ignored_name(name)


def test_atomic_save_gives_one_rebuild(site: Path, watcher: Watcher, recorder: Recorder) -> None:
    target = site / "content" / "events" / "a.yaml"
    temp = target.with_name("a.yaml.tmp")
    temp.write_text("title: B\n")
    os.replace(temp, target)
    settle(watcher, recorder, 1)
    assert recorder.batches == [frozenset({target})]


def test_burst_of_saves_gives_one_rebuild(site: Path, recorder: Recorder) -> None:
    w = Watcher([site / "content"], recorder, delay=0.3)
    w.start()
    try:
        files = [site / "content" / "events" / f"e{i}.yaml" for i in range(50)]
        for f in files:
            f.write_text("title: X\n")
        settle(w, recorder, 1)
    finally:
        w.stop()
    assert len(recorder.batches) == 1
    assert set(files) <= recorder.batches[0]


def test_checkout_sized_burst_gives_at_most_two_rebuilds(site: Path, watcher: Watcher, recorder: Recorder) -> None:
    files = [site / "content" / "events" / f"g{i:04}.yaml" for i in range(1000)]
    for f in files:
        f.write_text("title: G\n")
    assert wait_until(lambda: set(files) <= set().union(*recorder.batches), timeout=10)
    assert watcher.wait_idle(5.0)
    assert 1 <= len(recorder.batches) <= 2


def test_change_during_build_gives_exactly_one_more(site: Path) -> None:
    entered, release = threading.Event(), threading.Event()
    batches: list[frozenset[Path]] = []

    def slow_build(changed: frozenset[Path]) -> None:
        batches.append(changed)
        if len(batches) == 1:
            entered.set()
            release.wait(10)

    w = Watcher([site / "content"], slow_build)
    w.start()
    try:
        a = site / "content" / "events" / "a.yaml"
        b = site / "content" / "events" / "b.yaml"
        a.write_text("title: A2\n")
        assert entered.wait(5)
        b.write_text("title: B\n")
        b.write_text("title: B2\n")
        assert wait_until(lambda: b in w.pending)
        release.set()
        assert wait_until(lambda: len(batches) >= 2)
        assert w.wait_idle(5.0)
    finally:
        release.set()
        w.stop()
    assert len(batches) == 2
    assert batches[1] == frozenset({b})


def test_ignored_names_and_output_folder_give_no_rebuild(site: Path, watcher: Watcher, recorder: Recorder) -> None:
    events = site / "content" / "events"
    os.symlink(events / "gone.yaml", events / ".#a.yaml")  # Emacs lock: a dangling symlink
    for name in (".a.yaml.swp", "4913", "a.yaml~", ".goutputstream-ABC", "x.tmp"):
        (events / name).write_text("junk")
    (site / "_site" / "index.html").write_text("<p>output</p>")
    (site / "notes.txt").write_text("next to site.yaml, not watched")
    (events / "4913").unlink()
    # The sentinel comes after the droppings; one batch holding only it shows they were dropped.
    sentinel = events / "sentinel.yaml"
    sentinel.write_text("title: S\n")
    settle(watcher, recorder, 1)
    assert recorder.batches == [frozenset({sentinel})]


def test_delete_is_detected(site: Path, watcher: Watcher, recorder: Recorder) -> None:
    target = site / "content" / "events" / "a.yaml"
    target.unlink()
    settle(watcher, recorder, 1)
    assert recorder.batches == [frozenset({target})]


def test_rename_reports_both_paths(site: Path, watcher: Watcher, recorder: Recorder) -> None:
    old = site / "content" / "events" / "a.yaml"
    new = site / "content" / "events" / "renamed.yaml"
    old.rename(new)
    settle(watcher, recorder, 1)
    assert recorder.batches == [frozenset({old, new})]


def test_atomic_save_of_single_watched_file(site: Path, watcher: Watcher, recorder: Recorder) -> None:
    config = site / "site.yaml"
    temp = site / ".site.yaml.tmp"
    temp.write_text("title: New\n")
    os.replace(temp, config)
    settle(watcher, recorder, 1)
    assert recorder.batches == [frozenset({config})]


def test_new_nested_folder_is_seen(site: Path, watcher: Watcher, recorder: Recorder) -> None:
    deep = site / "content" / "new" / "a" / "b"
    deep.mkdir(parents=True)
    (deep / "e.yaml").write_text("title: E\n")
    settle(watcher, recorder, 1)
    assert site / "content" / "new" in recorder.batches[0]


def test_poll_mode_sees_changes(site: Path, recorder: Recorder) -> None:
    w = Watcher([site / "content"], recorder, poll=0.1)
    w.start()
    try:
        assert w.mode == "polling"
        target = site / "content" / "events" / "polled.yaml"
        target.write_text("title: P\n")
        settle(w, recorder, 1)
    finally:
        w.stop()
    assert target in recorder.batches[0]


class _NoWatchesLeft(Observer):  # type: ignore[valid-type,misc]
    """An inotify observer that hits the kernel's watch limit, as watchdog reports it."""

    def schedule(self, *args: object, **kwargs: object) -> ObservedWatch:
        raise OSError(errno.ENOSPC, "inotify watch limit reached")


def test_inotify_limit_falls_back_to_polling(site: Path, recorder: Recorder) -> None:
    out = io.StringIO()
    w = Watcher([site / "content"], recorder, out=out, observer_factory=_NoWatchesLeft)
    w.start()
    try:
        assert w.mode == "polling"
        target = site / "content" / "events" / "after.yaml"
        target.write_text("title: P\n")
        settle(w, recorder, 1)
    finally:
        w.stop()
    assert target in recorder.batches[0]
    lines = out.getvalue().splitlines()
    assert len(lines) == 1 and lines[0].startswith("warning:") and "watch limit" in lines[0]


def test_failing_callback_keeps_watching(site: Path) -> None:
    calls: list[frozenset[Path]] = []

    def flaky(changed: frozenset[Path]) -> None:
        calls.append(changed)
        if len(calls) == 1:
            raise ValueError("boom \x1b[2J")

    out = io.StringIO()
    w = Watcher([site / "content"], flaky, out=out)
    w.start()
    try:
        (site / "content" / "events" / "one.yaml").write_text("x")
        assert wait_until(lambda: len(calls) == 1)
        assert w.wait_idle(5.0)
        (site / "content" / "events" / "two.yaml").write_text("x")
        assert wait_until(lambda: len(calls) == 2)
    finally:
        w.stop()
    assert "boom" in out.getvalue() and "\x1b" not in out.getvalue()


def test_plan_skips_nested_trees_and_covered_parents(site: Path) -> None:
    plan = WatchPlan.of([site / "content", site / "content" / "events", site / "site.yaml"])
    assert plan.schedules() == [(str(site / "content"), True), (str(site), False)]
    assert plan.accepts(str(site / "site.yaml"))
    assert not plan.accepts(str(site / "other.yaml"))
    assert not plan.accepts(str(site / "content" / ".git" / "index"))
