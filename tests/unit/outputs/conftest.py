"""What the writers' tests share: the example site, built once per module."""

from __future__ import annotations

from pathlib import Path

import pytest

from timeline.build.pipeline import build_site
from timeline.content.model import Timeline

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> tuple[Timeline, Path]:
    """Build the example site once; return its timeline and output folder."""
    out = tmp_path_factory.mktemp("example") / "out"
    result = build_site(REPO, out, cache=False)
    assert not result.failed(), [d.format() for d in result.diagnostics]
    assert result.timeline is not None
    return result.timeline, out
