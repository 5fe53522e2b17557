"""Shared fixtures: small sites written from strings, the example site, golden updates."""

from __future__ import annotations

import gc
import os
import shutil
import textwrap
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add ``--update-golden``, which rewrites golden files instead of comparing with them."""
    parser.addoption("--update-golden", action="store_true", help="rewrite golden files from current output")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """Return True when golden files should be rewritten."""
    return bool(request.config.getoption("--update-golden"))


MINIMAL_SITE = {
    "site.yaml": "title: Test timeline\nbase_url: https://example.org/repo/\n",
    "content/actors.yaml": "putin:\n  name: Vladimir Putin\n  kind: person\n",
    "content/places.yaml": "karabakh:\n  name: Nagorno-Karabakh\n",
}

SiteFactory = Callable[[dict[str, str]], Path]


@pytest.fixture
def make_site(tmp_path: Path) -> SiteFactory:
    """Return a factory that writes ``{relative path: dedented text}`` into a fresh site folder."""
    counter = iter(range(1000))

    def make(files: dict[str, str], *, base: bool = True) -> Path:
        root = tmp_path / f"site{next(counter)}"
        merged = {**MINIMAL_SITE, **files} if base else files
        for rel, text in merged.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        root.mkdir(parents=True, exist_ok=True)
        return root

    return make


@pytest.fixture(autouse=True)
def _cwd_unchanged() -> Iterator[None]:
    """Fail any test after which the working directory changed: timeline never chdirs."""
    before = os.getcwd()
    yield
    assert os.getcwd() == before


@pytest.fixture(autouse=True, scope="session")
def _no_cache_in_the_repository() -> Iterator[None]:
    """Fail the run if a test built the repository's example with the build cache (build_site's default)."""
    cache = REPO / ".timeline-cache"
    existed = cache.exists()
    yield
    assert existed or not cache.exists(), "a test wrote .timeline-cache/ into the repository: pass cache=False"


@pytest.fixture(autouse=True)
def _switches_unchanged() -> Iterator[None]:
    """Fail any test after which the collector, frozen objects or warning filters changed: no switch outlives a call."""
    before = (gc.isenabled(), gc.get_freeze_count(), list(warnings.filters))
    yield
    assert (gc.isenabled(), gc.get_freeze_count(), list(warnings.filters)) == before


def copy_example(tmp_path: Path) -> Path:
    """Return a fresh copy of the example site (site.yaml and content/) in ``tmp_path/site``."""
    site = tmp_path / "site"
    site.mkdir()
    shutil.copy(REPO / "site.yaml", site / "site.yaml")
    shutil.copytree(REPO / "content", site / "content")
    return site
