"""The saved session (`.timeline-cache/session.sqlite`) survives a kill while it is written, and damage.

Each build that follows gives the bytes of a cold build (`--no-cache`) of the same content.
"""

from __future__ import annotations

import hashlib
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import copy_example
from tests.integration.sitecrawl import tree_digest
from timeline.build.pipeline import build_site
from timeline.build.session import BuildSession
from timeline.errors import TimelineError

REPO = Path(__file__).resolve().parents[2]
KILLS = 3


def set_title(site: Path, word: str) -> None:
    """Change the site's title: every page shows it, so every page's row of the store is written again."""
    config = site / "site.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r"(?m)^title: .*$", f'title: "Timeline {word}"', text, count=1), encoding="utf-8")


def store_digest(store: Path) -> str:
    """Return a digest of every row of the saved session (opening it rolls a torn save back)."""
    db = sqlite3.connect(store)
    try:
        return hashlib.sha256("\n".join(db.iterdump()).encode("utf-8")).hexdigest()
    finally:
        db.close()


def cold_digest(site: Path, out: Path) -> dict[str, str]:
    """Return the tree digest of a build of ``site`` without any cache."""
    result = build_site(site, out, cache=False)
    assert not result.failed(), [d.format() for d in result.diagnostics]
    return tree_digest(out)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a generated site of 150 events: a store large enough that saving it takes a while."""
    out = tmp_path_factory.mktemp("corpus")
    subprocess.run(
        [sys.executable, str(REPO / "benchmarks/corpus.py"), str(out), "--articles", "30", "--events", "150"],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return out / "timeline"


@pytest.mark.slow
def test_a_build_killed_while_it_saves_the_session_leaves_a_usable_store(corpus: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    subprocess.run(["cp", "-r", str(corpus), str(site)], check=True)
    command = [sys.executable, "-m", "timeline", "build", "-q", str(site)]
    assert subprocess.run(command, capture_output=True, timeout=300).returncode == 0
    journal = site / ".timeline-cache" / "session.sqlite-journal"
    rng = random.Random(14)
    killed = trials = 0
    while killed < KILLS and trials < 6 * KILLS:
        trials += 1
        saved = store_digest(journal.with_name("session.sqlite"))
        set_title(site, f"kill {trials}")
        process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )
        # The journal exists only while a save's transaction is open: kill the build inside it.
        while process.poll() is None and not journal.exists():
            time.sleep(0.0002)
        if process.poll() is None:
            # Anywhere inside it: a save that wrote row by row would be caught half-written.
            time.sleep(rng.uniform(0, 0.03))
            with_journal = journal.exists()
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            if with_journal and journal.exists():
                killed += 1  # torn: the journal outlived the process, holding the pages it changed
                # All or nothing: the store is the last good build's, row for row.
                assert store_digest(journal.with_name("session.sqlite")) == saved, trials
        else:
            assert process.returncode == 0
        # The next build rolls the torn save back and gives a cold build's bytes.
        after = build_site(site)
        assert not after.failed(), [d.format() for d in after.diagnostics]
        assert not journal.exists()
        assert tree_digest(site / "_site") == cold_digest(site, tmp_path / f"cold-{trials}"), trials
    assert killed == KILLS, f"only {killed} of {trials} builds were killed inside the save"
    # And the store it left is used: an unchanged page is kept, not rendered again.
    event = sorted((site / "content/events").glob("*.yaml"))[3]
    event.write_text(event.read_text(encoding="utf-8").replace("title: ", "title: Kept - ", 1), encoding="utf-8")
    warm = build_site(site)
    assert warm.site is not None and len(warm.site.kept) > len(warm.site.pages) // 2
    assert tree_digest(site / "_site") == cold_digest(site, tmp_path / "cold-last")


def test_a_damaged_group_of_digests_is_found_mid_build_and_the_build_starts_over(tmp_path: Path) -> None:
    site = copy_example(tmp_path)
    assert not build_site(site).failed()
    event = sorted((site / "content/events").glob("*.yaml"))[0]
    with sqlite3.connect(site / ".timeline-cache" / "session.sqlite") as db:
        count = db.execute("UPDATE groups SET digests = ? WHERE source = ?", (b"\x00damaged", f"event:{event.stem}"))
        assert count.rowcount == 1
    db.close()
    # The edit makes the build read that record's group, after it decided some pages with the store.
    event.write_text(event.read_text(encoding="utf-8").replace("title: ", "title: Edited - ", 1), encoding="utf-8")
    result = build_site(site)
    assert not result.failed()
    assert any("damaged" in note.message for note in result.notes), [n.format() for n in result.notes]
    assert tree_digest(site / "_site") == cold_digest(site, tmp_path / "cold")
    # The store written by that build is whole again.
    event.write_text(event.read_text(encoding="utf-8").replace("Edited - ", "Again - ", 1), encoding="utf-8")
    again = build_site(site)
    assert not again.failed() and not again.notes
    assert tree_digest(site / "_site") == cold_digest(site, tmp_path / "cold-again")


@pytest.mark.parametrize("table", ["pages", "memo", "keys"])
def test_a_damaged_store_is_discarded_with_a_warning(tmp_path: Path, table: str) -> None:
    site = copy_example(tmp_path)
    assert not build_site(site).failed()
    with sqlite3.connect(site / ".timeline-cache" / "session.sqlite") as db:
        if table == "pages":
            db.execute("UPDATE pages SET keys = ?", (b"\x01\x02\x03damaged",))
        elif table == "memo":
            db.execute("UPDATE memo SET value = ? WHERE name = 'records'", (b"\x01\x02\x03damaged",))
        else:
            db.execute("DELETE FROM keys WHERE id = 3")
    db.close()
    event = sorted((site / "content/events").glob("*.yaml"))[1]
    event.write_text(event.read_text(encoding="utf-8").replace("title: ", "title: Edited - ", 1), encoding="utf-8")
    result = build_site(site)
    assert not result.failed()
    assert any("damaged" in note.message for note in result.notes), [n.format() for n in result.notes]
    assert tree_digest(site / "_site") == cold_digest(site, tmp_path / "cold")


def test_garbage_in_place_of_the_store_is_discarded(tmp_path: Path) -> None:
    site = copy_example(tmp_path)
    assert not build_site(site).failed()
    store = site / ".timeline-cache" / "session.sqlite"
    data = bytearray(store.read_bytes())
    data[100:4096] = os.urandom(3996)  # the header's end and the first page of the schema
    store.write_bytes(bytes(data))
    set_title(site, "after damage")
    result = build_site(site)
    assert not result.failed()
    assert any("damaged" in note.message for note in result.notes), [n.format() for n in result.notes]
    assert tree_digest(site / "_site") == cold_digest(site, tmp_path / "cold")


def test_a_hinted_build_looks_only_at_the_named_paths_and_keeps_them_until_a_walk(tmp_path: Path) -> None:
    site, out = copy_example(tmp_path), tmp_path / "out"
    session = BuildSession()
    # Files changed within two seconds of being read are read again whatever the hint (git's racy
    # rule): only files older than that show that an unnamed path is not looked at.
    time.sleep(2.1)
    assert not build_site(site, out, session=session).failed()
    events = sorted((site / "content/events").glob("*.yaml"))
    named, unnamed = events[0], events[1]
    for path, word in ((named, "Named"), (unnamed, "Unnamed")):
        path.write_text(path.read_text(encoding="utf-8").replace("title: ", f"title: {word} - ", 1), encoding="utf-8")
    assert not build_site(site, out, session=session, changed=frozenset({named})).failed()
    # Only the named file was looked at: the watcher vouches that nothing else changed.
    assert "Named - " in (out / "events" / named.stem / "index.html").read_text(encoding="utf-8")
    assert "Unnamed - " not in (out / "events" / unnamed.stem / "index.html").read_text(encoding="utf-8")
    # A batch that stops before the content is read (a broken site.yaml) keeps its paths for the next build.
    config = site / "site.yaml"
    good = config.read_text(encoding="utf-8")
    config.write_text(good + "\nnot: [closed\n", encoding="utf-8")
    with pytest.raises(TimelineError):
        build_site(site, out, session=session, changed=frozenset({config, unnamed}))
    config.write_text(good, encoding="utf-8")
    assert not build_site(site, out, session=session, changed=frozenset({config})).failed()
    assert tree_digest(out) == cold_digest(site, tmp_path / "cold")
    # A new file is not in the last listing: the folder is walked again and the event is built.
    added = site / "content/events" / "zz-added.yaml"
    added.write_text(events[2].read_text(encoding="utf-8").replace("title: ", "title: Added - ", 1), encoding="utf-8")
    assert not build_site(site, out, session=session, changed=frozenset({added})).failed()
    assert (out / "events" / "zz-added" / "index.html").is_file()
    assert tree_digest(out) == cold_digest(site, tmp_path / "cold-added")
