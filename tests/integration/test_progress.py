"""Progress on a long build: a live line on a terminal, only the summary line anywhere else.

Both tests run the real command on a generated site of 3,000 events, the size at which a build
takes long enough (seconds) for a person to wonder whether it is stuck.
"""

from __future__ import annotations

import errno
import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchmarks.corpus import make_articles, write_timeline

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent.parent
SUMMARY = re.compile(r"built (\d+) files into .+ \((\d+) rendered, (?:\d+ copied, )?(\d+) unchanged\) in [\d.]+ s")
STAGES = "reading|indexing|rendering|feeds, open data, search|writing"
FRAME = re.compile(rf"\r\x1b\[K({STAGES})(?: (\d+)/(\d+))?  ([\d.]+) s")


@pytest.fixture(scope="module")
def big_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("big") / "site"
    write_timeline(root, make_articles(60, seed=17), 3000, seed=17)
    return root


def command(site: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "timeline", "build", str(site), "-o", str(out), "--no-cache"]


def environment() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO), "TERM": "xterm"}


def test_terminal_shows_a_live_progress_line(big_site: Path, tmp_path: Path) -> None:
    """Under a pseudo-terminal the line is redrawn in place, often, and erased before the summary."""
    primary, secondary = pty.openpty()
    proc = subprocess.Popen(
        command(big_site, tmp_path / "out"), stdin=secondary, stdout=secondary, stderr=secondary, env=environment()
    )
    os.close(secondary)
    received = bytearray()
    deadline = time.monotonic() + 300
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([primary], [], [], 1.0)
            if not ready:
                if proc.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(primary, 65536)
            except OSError as exc:  # EIO: the child closed the terminal
                if exc.errno != errno.EIO:
                    raise
                break
            if not chunk:
                break
            received += chunk
        assert proc.wait(timeout=60) == 0
    finally:
        proc.kill()
        os.close(primary)
    text = received.decode("utf-8")
    frames = FRAME.findall(text)
    assert len(frames) >= 5, text[-2000:]
    # Each frame says how far the build is: counts never run past their total, time never goes back.
    for stage, done, total, _ in frames:
        if total:
            assert 0 <= int(done) <= int(total), (stage, done, total)
    seconds = [float(f[3]) for f in frames]
    assert seconds == sorted(seconds)
    assert any(stage == "rendering" and total and int(total) > 3000 for stage, _, total, _ in frames)
    # The line is erased before the summary, which stands on a line of its own.
    last = text.rstrip("\r\n").rsplit("\n", 1)[-1]
    assert SUMMARY.search(last.split("\r\x1b[K")[-1]), repr(last)


def test_without_a_terminal_only_the_summary_line(big_site: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        command(big_site, tmp_path / "out"), capture_output=True, text=True, env=environment(), timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    found = SUMMARY.fullmatch(lines[0])
    assert found is not None, lines
    files, rendered, unchanged = map(int, found.groups())
    assert rendered > 3000 and unchanged == 0
    assert files == sum(1 for p in (tmp_path / "out").rglob("*") if p.is_file() and p.name != ".timeline-output")
