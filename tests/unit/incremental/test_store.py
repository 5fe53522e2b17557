"""The build cache: content keys, version stamps, corrupt entries, atomic writes, no unsafe pickles."""

from __future__ import annotations

import hashlib
import pickle
import subprocess
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline.content.dates import DateSpan, parse_date
from timeline.content.model import Claim, Event, Ref, Source
from timeline.incremental.memo import Fragments, KindMemo
from timeline.incremental.store import (
    CACHE_DIR,
    MAGIC,
    BuildCache,
    decode,
    encode,
)


def make_key(*parts: str | bytes) -> str:
    """Return a store key: the store takes any digest its callers choose."""
    text = b"\0".join(p if isinstance(p, bytes) else p.encode("utf-8") for p in parts)
    return hashlib.sha256(text).hexdigest()


def _event() -> Event:
    return Event(
        id="fighting-erupts",
        path="content/events/fighting-erupts.yaml",
        title="Fighting erupts",
        span=DateSpan(parse_date("2020-09-27"), parse_date("2020-11")),
        summary="Heavy [fighting](event:other).",
        tags=("fighting",),
        sources=(Source(1, article="okezone"), Source(2, title="BBC", published=parse_date("2020-10-23T18:01+07:00"))),
        claims=(Claim("Deaths", "close to 5,000", "vladimir-putin", 1, "approximately", "5000"),),
        refs=(Ref("article", "okezone", 12, 14),),
    )


def test_pickled_records_round_trip(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path)
    key = make_key("event", "content/events/fighting-erupts.yaml", b"title: Fighting erupts\n")
    cache.put(key, (_event(), []))
    again = BuildCache(tmp_path)
    assert again.get(key) == (_event(), [])
    assert (again.hits, again.misses, again.diagnostics) == (1, 0, [])


def test_json_values_round_trip_and_missing_key_is_a_miss(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path)
    key = make_key("markdown", "content/articles/a.md", b"# Hi")
    cache.put(key, {"html": '<h1 id="h-hi">Hi</h1>\n', "anchors": ["h-hi"]}, codec="json")
    assert cache.get(key) == {"html": '<h1 id="h-hi">Hi</h1>\n', "anchors": ["h-hi"]}
    assert cache.get(make_key("markdown", "content/articles/a.md", b"# Ho")) is None
    assert cache.misses == 1


def test_cache_from_another_version_is_ignored_and_emptied(tmp_path: Path) -> None:
    old = BuildCache(tmp_path, version="timeline 0.0.1")
    key = make_key("event", "content/events/a.yaml", b"x")
    old.put(key, "old value")
    assert old.path_of(key).is_file()
    new = BuildCache(tmp_path, version="timeline 0.0.2")
    assert new.get(key) is None
    assert not old.path_of(key).exists()
    assert new.diagnostics == []
    assert b"timeline 0.0.2" in (tmp_path / CACHE_DIR / "VERSION").read_bytes()


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],
        lambda data: data[:-1] + bytes([data[-1] ^ 1]),
        lambda data: b"",
        lambda data: b"not a cache entry at all",
        lambda data: MAGIC + b"X" + hashlib.sha256(b"{}").digest() + b"{}",
    ],
    ids=["truncated", "flipped-bit", "empty", "garbage", "unknown-codec"],
)
def test_corrupt_entry_is_discarded_with_a_warning(tmp_path: Path, damage: object) -> None:
    cache = BuildCache(tmp_path)
    key = make_key("event", "content/events/a.yaml", b"x")
    cache.put(key, _event())
    path = cache.path_of(key)
    assert callable(damage)
    path.write_bytes(damage(path.read_bytes()))
    reopened = BuildCache(tmp_path)
    assert reopened.get(key) is None
    assert not path.exists()
    [diag] = reopened.diagnostics
    assert diag.severity == "warning"
    assert diag.path == path.relative_to(tmp_path).as_posix()
    assert "corrupt cache entry" in diag.message
    reopened.put(key, _event())
    assert reopened.get(key) == _event()


def test_corrupt_version_stamp_discards_the_cache_with_a_warning(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path)
    key = make_key("event", "content/events/a.yaml", b"x")
    cache.put(key, "value")
    (tmp_path / CACHE_DIR / "VERSION").write_bytes(b"\xff\x00garbage")
    reopened = BuildCache(tmp_path)
    assert reopened.get(key) is None
    assert [d.path for d in reopened.diagnostics] == [f"{CACHE_DIR}/VERSION"]
    assert reopened.enabled


class _Exploit:
    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (Path.write_text, (self.target, "pwned"))  # type: ignore[attr-defined]


def test_pickle_outside_timeline_records_is_refused(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    exploit = _Exploit()
    exploit.target = marker  # type: ignore[attr-defined]
    payload = pickle.dumps(exploit)
    cache = BuildCache(tmp_path)
    key = make_key("event", "content/events/a.yaml", b"x")
    # A well-formed entry with a correct checksum: only the unpickler's allowlist stands in the way.
    cache.path_of(key).parent.mkdir(parents=True)
    cache.path_of(key).write_bytes(MAGIC + b"P" + hashlib.sha256(payload).digest() + payload)
    assert cache.get(key) is None
    assert not marker.exists()
    assert "refusing to load" in cache.diagnostics[0].message


def test_unusable_cache_folder_builds_without_cache(tmp_path: Path) -> None:
    (tmp_path / CACHE_DIR).write_text("a file, not a folder", encoding="utf-8")
    cache = BuildCache(tmp_path)
    key = make_key("event", "content/events/a.yaml", b"x")
    cache.put(key, "value")
    assert cache.get(key) is None
    assert not cache.enabled
    assert "not a plain folder" in cache.diagnostics[0].message


def test_failed_write_disables_the_cache_with_one_warning(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path)
    (tmp_path / CACHE_DIR / "objects").write_text("in the way", encoding="utf-8")
    cache.put(make_key("event", "a", b"1"), "value")
    cache.put(make_key("event", "b", b"2"), "value")
    assert not cache.enabled
    assert len(cache.diagnostics) == 1 and "cannot write" in cache.diagnostics[0].message


def test_writes_leave_no_temporary_files(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path)
    keys = [make_key("event", f"e{i}", b"x") for i in range(20)]
    for key in keys:
        cache.put(key, {"n": key}, codec="json")
    cache.put(keys[0], {"n": "replaced"}, codec="json")
    files = sorted(p for p in (tmp_path / CACHE_DIR / "objects").rglob("*") if p.is_file())
    assert [p.parent.name + p.name for p in files] == sorted(keys)
    assert BuildCache(tmp_path).get(keys[0]) == {"n": "replaced"}


def test_sweep_removes_only_entries_this_build_did_not_use(tmp_path: Path) -> None:
    first = BuildCache(tmp_path)
    kept, dropped = make_key("event", "a", b"1"), make_key("event", "b", b"2")
    first.put(kept, "kept")
    first.put(dropped, "dropped")
    second = BuildCache(tmp_path)
    assert second.get(kept) == "kept"
    assert second.sweep() == 1
    assert second.path_of(kept).is_file() and not second.path_of(dropped).exists()


def test_cache_folder_is_ignored_by_git(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    cache = BuildCache(tmp_path)
    key = make_key("event", "a", b"1")
    cache.put(key, "value")
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert CACHE_DIR not in status.stdout
    assert (
        (tmp_path / CACHE_DIR / "CACHEDIR.TAG")
        .read_text(encoding="utf-8")
        .startswith("Signature: 8a477f597d28d172789f06886806bc55")
    )


def test_bad_key_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not a cache key"):
        BuildCache(tmp_path).path_of("../../etc/passwd")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None)
@given(
    value=json_values, codec=st.sampled_from(["json", "pickle"]), at=st.integers(min_value=0), flip=st.integers(1, 255)
)
def test_any_single_byte_change_is_detected(value: object, codec: str, at: int, flip: int) -> None:
    data = encode(value, codec)  # type: ignore[arg-type]
    assert decode(data) == value
    index = at % len(data)
    damaged = data[:index] + bytes([data[index] ^ flip]) + data[index + 1 :]
    with pytest.raises(ValueError):
        decode(damaged)


def test_entries_stream_to_and_from_disk_without_a_copy_of_the_payload(tmp_path: Path) -> None:
    # A build session is over 100 MB: its pickle must not be held in memory beside its objects.
    value = [f"{n:05d}" + "x" * 20_000 for n in range(500)]  # about 10 MB of text
    cache = BuildCache(tmp_path)
    key = make_key("session", "", b"")
    tracemalloc.start()
    try:
        cache.put(key, value)
        _, put_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        before, _ = tracemalloc.get_traced_memory()
        loaded = BuildCache(tmp_path).get(key)
        _, get_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert loaded == value
    size = cache.path_of(key).stat().st_size
    assert size > 10_000_000
    assert put_peak < size // 4
    assert get_peak - before < size * 5 // 4  # the loaded value itself, and little more


def test_streamed_entry_has_the_same_bytes_as_encode(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path)
    key = make_key("event", "content/events/a.yaml", b"x")
    cache.put(key, (_event(), ["x"] * 3))
    assert cache.path_of(key).read_bytes() == encode((_event(), ["x"] * 3))


def test_trailing_bytes_after_a_pickle_are_corruption() -> None:
    with pytest.raises(ValueError, match="checksum"):
        decode(encode(_event()) + b"\x00")


def _kind_memo(cache: BuildCache, kinds: list[str]) -> KindMemo:
    def load(kind: str) -> dict[str, Any] | None:
        found = cache.get(make_key("kind", kind, b""))
        return found if isinstance(found, dict) else None

    return KindMemo(load, lambda kind, entries: cache.put(make_key("kind", kind, b""), entries), kinds)


def test_kind_memo_holds_a_kind_only_while_it_is_in_use(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path)
    memo = _kind_memo(cache, [])
    pieces = Fragments(memo, {"event:a": "1", "event:b": "2"})
    assert pieces.get("feed", "event:a", lambda: "A") == "A"
    assert pieces.get("csv", "event:b", lambda: "B") == "B"
    assert sorted(memo.open) == ["csv", "feed"]
    pieces.release()
    assert memo.open == {} and memo.kinds == {"csv", "feed"}
    # Saved, not made again: a second build in another process reads the kind from the store.
    again = _kind_memo(BuildCache(tmp_path), ["csv", "feed"])
    later = Fragments(again, {"event:a": "1", "event:b": "2"})
    assert later.get("feed", "event:a", lambda: "made again") == "A"
    assert list(again.open) == ["feed"]
    again.prune()
    # Only "feed" was asked for: a build that made its files no longer makes "csv".
    assert again.kinds == {"feed"} and again.open == {}


def test_kind_memo_drops_stale_pieces_and_saves_only_changes(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path)
    saved: list[str] = []
    memo = _kind_memo(cache, [])
    store = memo.save

    def save(kind: str, entries: dict[str, Any]) -> None:
        saved.append(kind)
        store(kind, entries)

    memo.save = save
    Fragments(memo, {"event:a": "1"}).get("feed", "event:a", lambda: "old")
    memo.prune()
    edited = Fragments(memo, {"event:a": "2"})
    assert edited.get("feed", "event:a", lambda: "new") == "new"
    memo.prune()
    assert cache.get(make_key("kind", "feed", b"")) == {"event:a\x002": ("new",)}
    Fragments(memo, {"event:a": "2"}).get("feed", "event:a", lambda: "never")
    memo.prune()
    assert saved == ["feed", "feed"]  # the third build changed nothing, so wrote nothing
