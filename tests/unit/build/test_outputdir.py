"""The output folder's switch: planning a tree from a spare, the exchange, and recovery after a kill."""

from __future__ import annotations

import errno
from pathlib import Path

from timeline.build.outputdir import MARKER, SPARE, apply_plan, disk_error, exchange, plan_tree, recover, sibling


def write(folder: Path, files: dict[str, str]) -> None:
    """Write ``{rel: text}`` under ``folder``."""
    for rel, text in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def tree(folder: Path) -> dict[str, str]:
    """Return every file under ``folder`` with its text."""
    return {p.relative_to(folder).as_posix(): p.read_text("utf-8") for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_spare_full_of_garbage_becomes_the_new_tree(tmp_path: Path) -> None:
    live, spare, pending, victim = (tmp_path / name for name in ("_site", "spare", "pending", "victim"))
    write(live, {MARKER: "", "a/index.html": "A", "b/index.html": "B", "gone.html": "old"})
    write(pending, {"c/index.html": "C new", "b/index.html": "B new"})
    write(victim, {"keep.txt": "untouched"})
    # A file where a folder must go, a folder where a file must go, a link out of the tree, leftovers.
    write(spare, {"a": "in the way", "b/index.html/x": "a folder", "stray/deep/file.txt": "stray", MARKER: ""})
    (spare / "c").symlink_to(victim, target_is_directory=True)
    files = {MARKER: False, "a/index.html": False, "b/index.html": True, "c/index.html": True}
    apply_plan(plan_tree(spare, live, files), spare, live, pending)
    assert tree(spare) == {MARKER: "", "a/index.html": "A", "b/index.html": "B new", "c/index.html": "C new"}
    assert (spare / "a/index.html").stat().st_ino == (live / "a/index.html").stat().st_ino  # a link: same mtime
    assert not (spare / "c").is_symlink()
    assert tree(victim) == {"keep.txt": "untouched"}
    # Planning again finds nothing to do but the moves of pending files.
    assert [step for step in plan_tree(spare, live, files) if step[0] != "move"] == []


def test_exchange_swaps_two_folders(tmp_path: Path) -> None:
    write(tmp_path / "new", {"x": "new"})
    write(tmp_path / "live", {"x": "old"})
    exchange(tmp_path / "new", tmp_path / "live")
    assert tree(tmp_path / "live") == {"x": "new"}
    assert tree(tmp_path / "new") == {"x": "old"}


def test_recover_touches_only_our_folders(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    write(out, {MARKER: "", "index.html": "live"})
    write(sibling(out, "staging-aaaa"), {MARKER: "", "index.html": "half"})
    write(sibling(out, "staging-bbbb"), {MARKER: "", "index.html": "half"})
    write(sibling(out, "staging-cccc"), {"notes.txt": "not ours: no marker"})
    assert recover(out)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["._site.spare", "._site.staging-cccc", "_site"]
    assert not recover(out)  # nothing left to do
    assert sibling(out, SPARE).is_dir()


def test_recover_puts_back_a_folder_renamed_aside(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    write(sibling(out, "old-aaaa"), {MARKER: "", "index.html": "previous"})
    assert recover(out)
    assert tree(out) == {MARKER: "", "index.html": "previous"}


def test_a_disk_error_names_the_output_path_it_stands_for(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    staged = sibling(out, "staging-aaaa") / "events" / "x" / "index.html"
    exc = OSError(errno.ENOSPC, "No space left on device", str(staged))
    (problem,) = disk_error(exc, out).diagnostics
    assert problem.path == str(out / "events" / "x" / "index.html")
    assert problem.message.endswith("No space left on device (ENOSPC); the previous output was left as it was")
    assert problem.format().count("\n") == 0
