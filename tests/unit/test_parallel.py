"""Forked workers: same results, same order, whatever the number of workers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import timeline.content.linking
import timeline.pages.render
from tests.integration.sitecrawl import tree_digest
from timeline.build.pipeline import build_site
from timeline.parallel import map_forked

REPO = Path(__file__).resolve().parents[2]


def slow_square(n: int) -> tuple[int, int]:
    return n, n * n + len("x" * (n % 7) * 1000)


@pytest.mark.parametrize("workers", [1, 2, 3, 8])
def test_results_in_input_order(workers: int) -> None:
    items = list(range(50))
    assert map_forked(slow_square, items, workers) == [slow_square(n) for n in items]


def test_children_really_run_elsewhere() -> None:
    pids = set(map_forked(lambda _: os.getpid(), list(range(10)), 2))
    assert len(pids) == 2 and os.getpid() in pids


def test_a_failing_item_fails_as_it_would_serially() -> None:
    def boom(n: int) -> int:
        if n == 3:
            raise ValueError("item 3")
        return n

    with pytest.raises(ValueError, match="item 3"):
        map_forked(boom, list(range(6)), 2)


def test_parallel_build_is_byte_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(timeline.pages.render, "PARALLEL_FROM", 1)
    monkeypatch.setattr(timeline.content.linking, "PARALLEL_FROM", 1)

    build_site(REPO, tmp_path / "one", workers=1, cache=False)
    build_site(REPO, tmp_path / "two", workers=2, cache=False)
    assert tree_digest(tmp_path / "one") == tree_digest(tmp_path / "two")
