"""P2: whole generated and mutated sites give a result or located diagnostics, never a traceback or a hang.

A fixed seed and a time budget keep this CI run short and repeatable; ``benchmarks/fuzz.py``
runs the same cases for as long as you like (see the README's development section).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, example, given, seed, settings
from hypothesis import strategies as st

from tests.property.sitefuzz import CASE_LIMIT, run_case, sites

BUDGET = 15.0
"""Seconds of cases per CI run: past it, the remaining examples pass without running."""


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, float]]:
    """Return a folder to write each case into, and the monotonic time when the budget runs out."""
    yield tmp_path_factory.mktemp("fuzz") / "site", time.monotonic() + BUDGET


EDGE = {
    "site.yaml": b"title: T\ntimezone: Asia/Jakarta\n",
    "content/events/e.yaml": b"title: T\ndate: '0001-01-01'\nupdated: '9999-12-31T23:59 Pacific/Honolulu'\n",
}


@pytest.mark.slow
@seed(20261202)
@settings(
    max_examples=500,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate, Phase.shrink],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)
@given(files=sites, build=st.booleans())
@example(files=EDGE, build=True)
@example(files={"site.yaml": b"title: T\ntimezone: America\n"}, build=False)
@example(files={**EDGE, "site.yaml": b"title: T\noutput: content/x\n"}, build=True)
def test_any_site_gives_a_result_or_a_located_diagnostic(
    folder: tuple[Path, float], files: dict[str, bytes], build: bool
) -> None:
    """No uncaught exception, no diagnostic inside the built-in theme, no case over the time limit."""
    root, stop = folder
    if time.monotonic() > stop:
        return
    outcome = run_case(root, files, build=build)
    assert outcome.failure is None, outcome.failure
    if outcome.seconds >= CASE_LIMIT:  # once more: a moment of load on a shared machine is not a hang
        outcome = run_case(root, files, build=build)
    assert outcome.seconds < CASE_LIMIT, f"case took {outcome.seconds:.1f} s twice"
