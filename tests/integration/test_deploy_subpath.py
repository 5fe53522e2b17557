"""Deploy the example site to a local bare remote, serve the pages branch under /repo/, crawl it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pytest

from tests.integration.sitecrawl import crawl, fetch, serve_pages

REPO = Path(__file__).resolve().parents[2]
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.org",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(*args: str | Path, cwd: Path) -> str:
    env = {**os.environ, **GIT_ENV}
    return subprocess.run(["git", *map(str, args)], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Deploy the example to a bare remote and return the extracted gh-pages tree."""
    base = tmp_path_factory.mktemp("deploy")
    remote, work = base / "remote.git", base / "work"
    git("init", "-q", "--bare", remote, cwd=base)
    work.mkdir()
    shutil.copy(REPO / "site.yaml", work / "site.yaml")
    shutil.copytree(REPO / "content", work / "content")
    (work / ".gitignore").write_text("_site/\n")
    git("init", "-q", "-b", "main", cwd=work)
    git("add", "-A", cwd=work)
    git("commit", "-qm", "example", cwd=work)
    git("remote", "add", "origin", remote, cwd=work)
    env = {**os.environ, **GIT_ENV}
    command = [sys.executable, "-m", "timeline", "deploy", str(work), "--base-url", "https://example.github.io/repo/"]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert git("status", "--porcelain", cwd=work) == ""
    archive = base / "pages.tar"
    git("--git-dir", remote, "archive", "-o", archive, "gh-pages", cwd=base)
    served = base / "served" / "repo"
    served.mkdir(parents=True)
    with tarfile.open(archive) as tar:
        tar.extractall(served, filter="data")
    return served


@pytest.fixture(scope="module")
def origin(published: Path) -> Iterator[str]:
    with serve_pages(published.parent, "/repo/") as url:
        yield url


def links(url: str, body: bytes, origin: str) -> list[str]:
    tree = lxml.html.fromstring(body)
    found = []
    for _, attribute, link, _ in tree.iterlinks():
        if attribute in ("href", "src"):
            absolute = urllib.parse.urljoin(url, link)
            if absolute.startswith(origin):
                found.append(absolute)
    return found


def test_tree_has_nojekyll_and_no_dotfiles(published: Path) -> None:
    assert (published / ".nojekyll").is_file()
    assert (published / "index.html").is_file()
    dotfiles = [p.name for p in published.rglob(".*") if p.name != ".nojekyll"]
    assert dotfiles == []


def test_every_link_works_under_the_sub_path(origin: str) -> None:
    found = crawl(origin + "/repo/", origin)
    assert found.broken == ()
    assert len(found.pages) > 30
    assert found.missing_anchors == ()


def test_404_works_at_any_depth(origin: str) -> None:
    deep = origin + "/repo/events/no/such/page/"
    status, body = fetch(deep)
    assert status == 404
    assert b"<html" in body
    # In-page anchors ("#main") stay on the 404 page itself; every other link must leave it and work.
    targets = [t for t in links(deep, body, origin) if t.partition("#")[0] != deep]
    assert len(targets) > 3
    for target in targets:
        assert fetch(target.partition("#")[0])[0] == 200, target
