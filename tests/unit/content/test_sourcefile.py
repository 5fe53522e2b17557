"""The stat memo of content files: a file is read again unless its stat proves it unchanged."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

from timeline.content.sourcefile import RACY_NS, StatMemo, digest_source

CAP = 1 << 20


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def stat_key(path: Path) -> tuple[int, int, int, int]:
    st = path.stat()
    return st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino


def test_old_unchanged_file_is_not_read_again(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(b"title: A\n")
    stats: StatMemo = {}
    # Read long after its last change: its stat is proof enough from now on.
    stats["a.yaml"] = (*stat_key(path), time.time_ns() + 2 * RACY_NS, "remembered")
    assert digest_source(path, "a.yaml", CAP, stats) == ("remembered", None)


def test_file_changed_close_to_its_read_is_compared_by_content(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(b"title: B\n")
    key = stat_key(path)
    stats: StatMemo = {}
    # Same size, times and inode as when read, but it was read in the same clock tick as it was
    # written: a second write in that tick keeps every stat field, so the bytes must decide.
    stats["a.yaml"] = (*key, key[1] + RACY_NS // 2, sha(b"title: A\n"))
    assert digest_source(path, "a.yaml", CAP, stats) == (sha(b"title: B\n"), b"title: B\n")
    assert stats["a.yaml"][5] == sha(b"title: B\n")


def test_restored_mtime_is_caught_by_ctime(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(b"title: A\n")
    hour_ago = time.time_ns() - 3600 * 10**9
    os.utime(path, ns=(hour_ago, hour_ago))
    stats: StatMemo = {}
    assert digest_source(path, "a.yaml", CAP, stats) == (sha(b"title: A\n"), b"title: A\n")
    time.sleep(0.02)  # past the file system's clock tick, so the change time moves
    path.write_bytes(b"title: B\n")
    os.utime(path, ns=(hour_ago, hour_ago))
    assert digest_source(path, "a.yaml", CAP, stats) == (sha(b"title: B\n"), b"title: B\n")
