"""The preview server on the real pipeline: saves are never lost or served stale, and it stops cleanly."""

from __future__ import annotations

import http.client
import io
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import timeline
from timeline.commands.preview import make_rebuild
from timeline.serve.server import DevServer

BASIC = Path(__file__).resolve().parents[1] / "sites" / "basic"
EVENT = Path("content/events/talks.yaml")
PAGE = "/basic/events/talks/"
OVERRIDE = "themes/default/templates/event.html"


def wait_until(predicate: Callable[[], bool], timeout: float = 10.0) -> bool:
    """Poll ``predicate`` until it holds or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()


def fetch(dev: DevServer, path: str = PAGE) -> tuple[int, str]:
    """Return the status and text of one page (status 0 while the server does not answer yet)."""
    conn = http.client.HTTPConnection("127.0.0.1", dev.address[1], timeout=10)
    try:
        conn.request("GET", path, headers={"Host": "localhost"})
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8")
    except OSError:
        return 0, ""
    finally:
        conn.close()


@pytest.fixture
def site(tmp_path: Path) -> Path:
    copy = tmp_path / "site"
    shutil.copytree(BASIC, copy)
    return copy


def preview(site: Path, tmp_path: Path, name: str = "preview") -> DevServer:
    """Return a dev server that builds ``site`` with the real pipeline, as ``timeline serve`` does."""
    root = tmp_path / name / "site"
    root.parent.mkdir()
    return DevServer(
        root=root,
        source_root=site,
        rebuild=make_rebuild(site, root, base_url=None),
        watch_paths=[site / "content", site / "themes", site / "site.yaml"],
        ignore_paths=[site / "_site", site / ".timeline-cache", root.parent],
        port=0,
        base_path="/basic/",
        out=io.StringIO(),
    )


@pytest.fixture
def running(site: Path, tmp_path: Path) -> Iterator[DevServer]:
    dev = preview(site, tmp_path)
    dev.start()
    yield dev
    dev.stop()


def edit_keeping_stat(path: Path, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` (same length) in place, then restore the file's times."""
    assert len(old.encode()) == len(new.encode())
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)


def age(path: Path) -> None:
    """Date a file an hour back, as a file not touched in this session would be."""
    hour_ago = time.time_ns() - 3600 * 10**9
    os.utime(path, ns=(hour_ago, hour_ago))


def test_edit_keeping_size_and_mtime_is_served_fresh(site: Path, tmp_path: Path) -> None:
    age(site / EVENT)
    dev = preview(site, tmp_path)
    dev.start()
    try:
        assert "Talks scheduled" in fetch(dev)[1]
        edit_keeping_stat(site / EVENT, "Talks scheduled", "Talks postponed")
        assert wait_until(lambda: "Talks postponed" in fetch(dev)[1])
        assert "Talks scheduled" not in fetch(dev)[1]
    finally:
        dev.stop()


def test_template_edit_keeping_size_and_mtime_is_served_fresh(site: Path, tmp_path: Path) -> None:
    template = site / OVERRIDE
    template.parent.mkdir(parents=True)
    template.write_text(
        '{% extends "default/event.html" %}\n{% block footer %}{{ super() }}<p>House note A</p>{% endblock %}\n',
        encoding="utf-8",
    )
    age(template)
    dev = preview(site, tmp_path)
    dev.start()
    try:
        assert "House note A" in fetch(dev)[1]
        edit_keeping_stat(template, "House note A", "House note B")
        assert wait_until(lambda: "House note B" in fetch(dev)[1])
    finally:
        dev.stop()


def save_right_after_the_first_page(site: Path, tmp_path: Path, run: int) -> bool:
    """Start serving, save an event the moment the first page is served; return True if it got built."""
    dev = preview(site, tmp_path, f"preview{run}")
    starter = threading.Thread(target=dev.start)
    starter.start()
    try:
        assert wait_until(lambda: dev.address[1] != 0)
        assert wait_until(lambda: fetch(dev)[0] == 200)
        title = f"Talks moved {run:02}"
        text = (site / EVENT).read_text(encoding="utf-8").splitlines()
        (site / EVENT).write_text("\n".join([f"title: {title}", *text[1:]]) + "\n", encoding="utf-8")
        return wait_until(lambda: title in fetch(dev)[1])
    finally:
        starter.join()
        dev.stop()


@pytest.mark.slow
def test_a_save_right_after_the_first_page_is_built(site: Path, tmp_path: Path) -> None:
    for run in range(20):
        assert save_right_after_the_first_page(site, tmp_path, run), f"the save in run {run} was never built"


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_serve_stops_cleanly_and_removes_its_folder(site: Path, tmp_path: Path, stop: signal.Signals) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp), "PYTHONPATH": str(Path(timeline.__file__).parent.parent)}
    env["PYTHONFAULTHANDLER"] = "1"  # a stop that hangs is aborted below and shows where each thread was
    command = [sys.executable, "-m", "timeline", "serve", str(site), "--port", "0"]
    with subprocess.Popen(command, stderr=subprocess.PIPE, text=True, env=env) as proc:
        try:
            assert proc.stderr is not None
            line = ""
            while not line.startswith("Serving on "):
                line = proc.stderr.readline()
                assert line, "serve ended before it served"
            port = int(line.split(":")[-1].split("/")[0])
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request("GET", PAGE)
            assert conn.getresponse().status == 200
            conn.close()
            assert [p.name[:15] for p in temp.iterdir()] == ["timeline-serve-"]
            proc.send_signal(stop)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.send_signal(signal.SIGABRT)
                proc.wait(timeout=20)
                pytest.fail(f"serve did not stop within 20 s of {stop.name}; its threads:\n{proc.stderr.read()}")
            assert proc.returncode == 0
            assert proc.stderr.read() == "Stopped.\n"
            assert list(temp.iterdir()) == []
        finally:
            proc.kill()
