"""Recorded dependencies: nested scopes, memoised digests, one copy of each key."""

from __future__ import annotations

import pickle

from timeline.incremental.deps import Digests, KeyTable, Tape


def test_an_inner_scope_counts_for_the_outer_but_nothing_outside_every_scope_is_kept() -> None:
    tape = Tape()
    tape.add("before")
    with tape.scope() as page:
        tape.add("title")
        with tape.scope() as card:
            tape.add("card")
        assert card == {"card"}
    assert page == {"title", "card"}
    with tape.scope() as other:
        pass
    assert other == set()
    assert tape.keys == {"before"}  # the bottom set did not collect the pages' keys


def test_a_scope_left_by_an_exception_still_restores_the_outer_one() -> None:
    tape = Tape()
    with tape.scope() as page:
        try:
            with tape.scope():
                tape.add("half")
                raise ValueError
        except ValueError:
            pass
        tape.add("after")
    assert page == {"half", "after"}


def test_digests_resolve_each_key_once_and_combine_to_a_change_detector() -> None:
    values = {"a": "1", "b": "2"}
    calls: list[str] = []

    def resolve(key: str) -> str:
        calls.append(key)
        return values[key]

    digests = Digests(resolve)
    before = digests.combined(("a", "b"))
    assert digests.combined(("a", "b")) == before
    assert calls == ["a", "b"]
    values["b"] = "3"
    assert Digests(resolve).combined(("a", "b")) != before
    assert Digests(resolve).combined(("a",)) != before  # fewer keys: another digest


def test_the_key_table_sorts_and_shares_one_string_per_key() -> None:
    table = KeyTable()
    first = table.canonical({"tl:events", "rec:event:title:x"})
    second = table.canonical(["rec:event:title:" + "x", "tl:" + "events"])
    assert first == second == ("rec:event:title:x", "tl:events")
    assert all(a is b for a, b in zip(first, second, strict=True))
    # Pickled together (as the session is), each key is stored once.
    both = pickle.dumps([first, second])
    assert both.count(b"rec:event:title:x") == 1


def test_changed_names_only_the_keys_whose_digest_moved() -> None:
    values = {"a": "1", "b": "2", "c": "3"}
    before = Digests(values.__getitem__)
    for key in values:
        before(key)
    values["b"] = "20"
    values["c"] = "3"  # rewritten with the same value: not a change
    after = Digests(values.__getitem__)
    assert after.changed(before.resolved()) == {"b"}
    # A page that read only unchanged keys is told apart from one that read "b" by a set test.
    assert after.changed(before.resolved()).isdisjoint(("a", "c"))
    assert not after.changed(before.resolved()).isdisjoint(("a", "b"))
    # Every key compared is now resolved: the next build can compare against this one.
    assert after.resolved().groups == {"": {"a": "1", "b": "20", "c": "3"}}


def test_a_source_with_the_same_token_is_skipped_whole_and_carried() -> None:
    values = {"x:title": "1", "x:date": "2", "y:title": "3", "events": "4"}

    def group(key: str) -> str:
        return key.partition(":")[0] if ":" in key else ""

    before = Digests(values.__getitem__, group, {"x": "tx", "y": "ty"})
    for key in values:
        before(key)
    old = before.resolved()
    assert old.groups == {"x": {"x:title": "1", "x:date": "2"}, "y": {"y:title": "3"}, "": {"events": "4"}}
    asked: list[str] = []

    def resolve(key: str) -> str:
        asked.append(key)
        return values[key]

    values["y:title"] = "30"
    # A change to x's values without a change of its token is not looked for: the token vouches for them.
    values["x:title"] = "never read"
    after = Digests(resolve, group, {"x": "tx", "y": "ty2"})
    assert after.changed(old) == {"y:title"}
    assert sorted(asked) == ["events", "y:title"]
    new = after.resolved()
    assert new.groups == {"x": {"x:title": "1", "x:date": "2"}, "y": {"y:title": "30"}, "": {"events": "4"}}
    assert new.sources == {"x": "tx", "y": "ty2"}
    # A key of a kept source read for the first time joins its group.
    values["x:place"] = "5"
    again = Digests(values.__getitem__, group, {"x": "tx", "y": "ty2"})
    assert again.changed(new) == set()
    again("x:place")
    assert again.resolved().groups["x"] == {"x:title": "1", "x:date": "2", "x:place": "5"}
