"""The build manifest: what a snapshot holds, when it counts as current, and how it survives damage."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import timeline.build.manifest as manifest_module
from tests.conftest import REPO, SiteFactory
from timeline.build.manifest import (
    RACY_NS,
    Manifest,
    as_warnings,
    clear_manifest,
    is_current,
    load_manifest,
    manifest_key,
    manifest_path,
    save_manifest,
    snapshot_inputs,
    snapshot_outputs,
    stale_outputs,
)
from timeline.build.pipeline import MARKER
from timeline.content.config import SiteConfig, load_config
from timeline.errors import warning
from timeline.layout import CACHE_DIR, builtin_themes

LONG_AGO = time.time_ns() - 3_600 * 10**9


def age(root: Path) -> None:
    """Date every file under ``root`` an hour ago, out of reach of the racy rule."""
    for path in root.rglob("*"):
        if path.is_file():
            os.utime(path, ns=(LONG_AGO, LONG_AGO))


@pytest.fixture
def site(make_site: SiteFactory) -> Path:
    """Return a small site with a built-looking output folder and a build cache folder."""
    root = make_site({"content/events/a.yaml": "title: A\n", "content/articles/b.md": "---\ntitle: B\n---\n"})
    (root / "_site" / "events").mkdir(parents=True)
    (root / "_site" / MARKER).write_bytes(b"")
    (root / "_site" / "events" / "a.html").write_text("<p>A</p>\n", encoding="utf-8")
    (root / CACHE_DIR).mkdir()
    age(root)
    return root


def current(config: SiteConfig, strict: bool = False) -> Manifest:
    """Return the manifest a build of ``config`` that just finished would write."""
    taken, inputs = snapshot_inputs(config)
    out = config.output.resolve()
    return Manifest(manifest_key(config, strict), taken, inputs, snapshot_outputs(out), (), str(out))


def test_the_snapshot_holds_the_site_its_theme_and_timeline_itself(site: Path) -> None:
    config = load_config(site)
    (site / "themes/default/templates").mkdir(parents=True)
    (site / "themes/default/templates/event.html").write_text("x", encoding="utf-8")
    (site / "content/.draft.swp").write_bytes(b"editor state")
    _, inputs = snapshot_inputs(config)
    stat = os.stat(site / "content/events/a.yaml")
    assert inputs["content/events/a.yaml"] == (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
    assert {"site.yaml", "content/articles/b.md", "content/.draft.swp", "themes/default/templates/event.html"} <= set(
        inputs
    )
    assert os.path.realpath(builtin_themes() / "default/templates/base.html") in inputs
    assert os.path.realpath(manifest_module.__file__) in inputs
    assert not any(key.endswith(".pyc") for key in inputs)


def test_the_snapshot_holds_only_what_a_build_reads(site: Path) -> None:
    (site / "site.yaml").write_text("title: T\noutput: public/www\n", encoding="utf-8")
    for rel in (
        ".git/HEAD",
        f"{CACHE_DIR}/manifest.json",
        "_site/index.html",
        "public/www/index.html",
        "public/.www.staging-1a2b3c4d/index.html",
        "public/.www.old-1a2b3c4d/index.html",
    ):
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text("x", encoding="utf-8")
    (site / "public/notes.txt").write_text("not read by a build", encoding="utf-8")
    (site / ".venv/lib").mkdir(parents=True)
    (site / ".venv/lib/module.py").write_text("x", encoding="utf-8")
    _, inputs = snapshot_inputs(load_config(site))
    site_keys = {key for key in inputs if not key.startswith("/")}
    assert site_keys == {
        "site.yaml",
        "content/actors.yaml",
        "content/places.yaml",
        "content/events/a.yaml",
        "content/articles/b.md",
    }


def test_the_key_follows_every_setting(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    config = load_config(site)
    base = manifest_key(config, False)
    assert manifest_key(load_config(site), False) == base
    others = {
        manifest_key(config, True),
        manifest_key(load_config(site, base_url="https://other.example/"), False),
        manifest_key(load_config(site, output=site / "elsewhere"), False),
        manifest_key(dataclasses.replace(config, title="Other"), False),
    }
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1600000000")
    others.add(manifest_key(load_config(site), False))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    others.add(manifest_key(load_config(site), False))
    assert len(others) == 6 and base not in others
    # Blank is unset (reproducible-builds.org), and the key is read from the settings, not the environment.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", " ")
    assert manifest_key(load_config(site), False) == manifest_key(config, False) == base


def test_the_key_is_the_same_in_another_process(site: Path) -> None:
    code = (
        "import sys; from pathlib import Path; from timeline.content.config import load_config; "
        "from timeline.build.manifest import manifest_key; print(manifest_key(load_config(Path(sys.argv[1])), False))"
    )
    keys = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        env.pop("SOURCE_DATE_EPOCH", None)
        proc = subprocess.run(
            [sys.executable, "-c", code, str(site)], capture_output=True, text=True, env=env, cwd=REPO, check=True
        )
        keys.add(proc.stdout.strip())
    assert len(keys) == 1 and len(keys.pop()) == 64


def test_the_output_marker_is_the_one_builds_write() -> None:
    assert manifest_module.MARKER == MARKER


def test_an_untouched_site_is_current(site: Path) -> None:
    config = load_config(site)
    assert is_current(current(config), config, False)
    assert not is_current(current(config), config, True)


@pytest.mark.parametrize(
    "change",
    [
        "edit content",
        "add content",
        "delete content",
        "add hidden file",
        "delete output",
        "edit output",
        "drop marker",
        "add output",
    ],
)
def test_any_change_makes_it_stale(site: Path, change: str) -> None:
    config = load_config(site)
    stored = current(config)
    event, page = site / "content/events/a.yaml", site / "_site/events/a.html"
    if change == "edit content":
        event.write_text("title: B\n", encoding="utf-8")
        os.utime(event, ns=(LONG_AGO, LONG_AGO))  # same size, same time: the change time still differs
    elif change == "add content":
        (site / "content/events/c.yaml").write_text("title: C\n", encoding="utf-8")
    elif change == "delete content":
        event.unlink()
    elif change == "add hidden file":
        (site / "content/.notes").write_text("X=1\n", encoding="utf-8")
    elif change == "delete output":
        page.unlink()
    elif change == "edit output":
        page.write_text("<p>Z</p>\n", encoding="utf-8")
    elif change == "drop marker":
        (site / "_site" / MARKER).unlink()
    else:
        (site / "_site/extra.html").write_text("x", encoding="utf-8")
    assert not is_current(stored, config, False)


def test_a_file_written_in_the_snapshot_tick_is_not_trusted(site: Path) -> None:
    config = load_config(site)
    # Newer than every other input, so that this file alone decides.
    mtime = time.time_ns() - 10**9
    os.utime(site / "content/events/a.yaml", ns=(mtime, mtime))
    stored = current(config)
    assert not is_current(stored, config, False)
    assert is_current(dataclasses.replace(stored, taken_ns=mtime + RACY_NS + 1), config, False)
    assert not is_current(dataclasses.replace(stored, taken_ns=mtime + RACY_NS), config, False)


def test_stale_outputs_names_deleted_and_edited_files(site: Path) -> None:
    (site / "_site/index.html").write_text("home", encoding="utf-8")
    stored = current(load_config(site))
    assert stale_outputs(stored) == set()
    (site / "_site/index.html").unlink()
    (site / "_site/events/a.html").write_text("<p>defaced</p>\n", encoding="utf-8")
    assert stale_outputs(stored) == {"index.html", "events/a.html"}
    assert stale_outputs(dataclasses.replace(stored, out_dir="")) == set()


def test_a_saved_manifest_loads_back_equal(site: Path) -> None:
    stored = dataclasses.replace(
        current(load_config(site)), warnings=as_warnings([warning("content/b.md", 3, 1, "nothing links to 'b'")])
    )
    assert save_manifest(site, stored)
    assert load_manifest(site) == stored
    assert load_manifest(site).diagnostics() == [warning("content/b.md", 3, 1, "nothing links to 'b'")]  # type: ignore[union-attr]
    assert [p.name for p in (site / CACHE_DIR).iterdir()] == ["manifest.json"]  # no temporary left behind
    clear_manifest(site)
    assert load_manifest(site) is None
    clear_manifest(site)  # nothing to clear is fine too


def _valid() -> dict[str, object]:
    return {
        "format": 1,
        "key": "k",
        "taken_ns": 5,
        "inputs": {"site.yaml": [1, 2, 3, 4]},
        "outputs": {"index.html": [1, 2]},
        "warnings": [["a.md", 1, 1, "warning", "m"]],
        "out_dir": "/x",
    }


@pytest.mark.parametrize(
    "damage",
    [
        lambda v: b"\x00\xff not json",
        lambda v: b'{"format": 1, "key": "k", "taken_ns"',
        lambda v: json.dumps([v]).encode(),
        lambda v: json.dumps({**v, "format": 2}).encode(),
        lambda v: json.dumps({k: x for k, x in v.items() if k != "outputs"}).encode(),
        lambda v: json.dumps({**v, "taken_ns": "5"}).encode(),
        lambda v: json.dumps({**v, "taken_ns": True}).encode(),
        lambda v: json.dumps({**v, "inputs": {"site.yaml": [1, 2, 3]}}).encode(),
        lambda v: json.dumps({**v, "inputs": {"site.yaml": [1, 2, 3, 4.5]}}).encode(),
        lambda v: json.dumps({**v, "inputs": [["site.yaml", [1, 2, 3, 4]]]}).encode(),
        lambda v: json.dumps({**v, "outputs": {"index.html": None}}).encode(),
        lambda v: json.dumps({**v, "warnings": [["a.md", 1, 1, "fatal", "m"]]}).encode(),
        lambda v: json.dumps({**v, "warnings": [["a.md", "1", 1, "warning", "m"]]}).encode(),
        lambda v: json.dumps({**v, "out_dir": None}).encode(),
    ],
)
def test_a_damaged_manifest_is_none(site: Path, damage: object) -> None:
    assert callable(damage)
    manifest_path(site).write_bytes(json.dumps(_valid()).encode())
    assert load_manifest(site) is not None
    manifest_path(site).write_bytes(damage(_valid()))
    assert load_manifest(site) is None


def test_a_manifest_is_written_only_into_a_real_cache_folder(site: Path, tmp_path: Path) -> None:
    stored = current(load_config(site))
    (site / CACHE_DIR).rmdir()
    assert not save_manifest(site, stored)
    assert not (site / CACHE_DIR).exists()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (site / CACHE_DIR).symlink_to(elsewhere)
    assert not save_manifest(site, stored)
    assert list(elsewhere.iterdir()) == []
