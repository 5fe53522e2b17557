"""Pages re-render when something they read changed, and only then: with a site theme, forked, across runs."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SiteFactory, copy_example
from tests.integration.sitecrawl import tree_digest
from timeline.build.pipeline import build_site
from timeline.build.session import BuildSession

TAG_OVERRIDE = """{% extends "default/tag.html" %}
{% block footer %}{{ super() }}<p class="house">WORD</p>{% endblock %}
"""


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "timeline", *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, timeout=180)


def rendered(stdout: str) -> int:
    found = re.search(r"(\d[\d,]*) rendered", stdout)
    assert found, stdout
    return int(found.group(1).replace(",", ""))


def with_theme(site: Path, word: str) -> Path:
    template = site / "themes" / "default" / "templates" / "tag.html"
    template.parent.mkdir(parents=True, exist_ok=True)
    template.write_text(TAG_OVERRIDE.replace("WORD", word), encoding="utf-8")
    return template


def html(pages: object) -> set[str]:
    return {p for p in pages if p.endswith(".html")}  # type: ignore[attr-defined]


def test_a_site_theme_keeps_reuse_and_its_template_is_a_dependency(tmp_path: Path) -> None:
    site = copy_example(tmp_path)
    template = with_theme(site, "House")
    session, out = BuildSession(), tmp_path / "out"
    first = build_site(site, out, session=session)
    assert first.site is not None and not first.failed()
    tags = {p for p in html(first.site.pages) if p.startswith("tags/") and p != "tags/index.html"}
    assert tags and "House" in (out / sorted(tags)[0]).read_text(encoding="utf-8")
    template.write_text(TAG_OVERRIDE.replace("WORD", "בית"), encoding="utf-8")
    edited = build_site(site, out, session=session)
    assert edited.site is not None and not edited.failed()
    assert html(edited.site.pages) == tags  # only the pages that load tag.html
    template.unlink()
    removed = build_site(site, out, session=session)
    assert removed.site is not None
    assert html(removed.site.pages) == tags  # the name now finds the built-in template
    cold = tmp_path / "cold"
    assert not build_site(site, cold).failed()
    assert tree_digest(out) == tree_digest(cold)


def test_a_title_edit_re_renders_only_pages_that_show_the_title(tmp_path: Path) -> None:
    site = copy_example(tmp_path)
    with_theme(site, "House")
    session, out = BuildSession(), tmp_path / "out"
    first = build_site(site, out, session=session)
    assert first.site is not None
    event = site / "content/events/washington-talks-scheduled.yaml"
    event.write_text(re.sub(r"(?m)^title: .*$", "title: Talks in Ἀθῆναι", event.read_text(encoding="utf-8"), count=1))
    second = build_site(site, out, session=session)
    assert second.site is not None and not second.failed()
    showing = {p for p in html(first.site.pages) if "Talks in Ἀθῆναι" in (out / p).read_text(encoding="utf-8")}
    assert showing and html(second.site.pages) == showing
    assert len(second.site.kept) > len(showing)


def test_the_cli_keeps_recorded_dependencies_between_runs(tmp_path: Path) -> None:
    site = copy_example(tmp_path)
    template = with_theme(site, "House")
    assert run("build", site).returncode == 0
    first = run("build", site, "--no-cache", "-o", tmp_path / "count")
    pages = len(list((tmp_path / "count").rglob("*.html")))
    whole_site = rendered(first.stdout) - pages  # feeds, calendars, open data: made again on any change
    event = site / "content/events/russia-neutrality-turkey.yaml"
    event.write_text(event.read_text(encoding="utf-8").replace("title:", "title: Changed -", 1), encoding="utf-8")
    warm = run("build", site)
    assert warm.returncode == 0, warm.stderr
    assert 0 < rendered(warm.stdout) - whole_site < pages / 2, (warm.stdout, pages)
    template.write_text(TAG_OVERRIDE.replace("WORD", "Haus"), encoding="utf-8")
    warm = run("build", site)
    assert warm.returncode == 0, warm.stderr
    tags = len(list((tmp_path / "count" / "tags").glob("*/index.html")))
    assert rendered(warm.stdout) - whole_site == tags, (warm.stdout, tags)
    cold = run("build", site, "--no-cache", "-o", tmp_path / "cold")
    assert cold.returncode == 0
    assert tree_digest(site / "_site") == tree_digest(tmp_path / "cold")


@pytest.mark.slow
def test_pages_rendered_in_forked_workers_send_their_reads_back(make_site: SiteFactory, tmp_path: Path) -> None:
    files = {
        f"content/events/e{n:03d}.yaml": (
            f"title: Event {n}\ndate: {1960 + n // 8}-{1 + n % 12:02d}\n"
            "sources:\n  - title: A report\n    url: https://example.org/r\n"
        )
        for n in range(420)
    }
    site = make_site(files)
    session, out = BuildSession(), tmp_path / "out"
    first = build_site(site, out, session=session, workers=2)
    assert first.site is not None and not first.failed()
    assert len(first.site.deps) >= 400  # forked: the workers' reads came back
    path = site / "content/events/e200.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("title: Event 200\n", "title: Renamed\n"))
    second = build_site(site, out, session=session, workers=2)
    assert second.site is not None and not second.failed()
    assert "events/e200/index.html" in second.site.pages
    assert 0 < len(html(second.site.pages)) < 10, sorted(html(second.site.pages))
    cold = tmp_path / "cold"
    assert not build_site(site, cold).failed()
    shutil.rmtree(out / ".timeline-cache", ignore_errors=True)
    assert tree_digest(out) == tree_digest(cold)
