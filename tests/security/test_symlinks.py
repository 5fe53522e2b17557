"""Symbolic links in content and themes: one rule, refused with a located error when they leave the site."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests.conftest import SiteFactory
from timeline.commands.cli import main
from timeline.content.sourcefile import link_problem

ENV = "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzzzzzzzzzzz\n"


def build(site: Path) -> tuple[int, str]:
    """Build ``site`` into its _site folder; return the exit code and everything printed."""
    out, err = io.StringIO(), io.StringIO()
    code = main(["build", str(site), "-q"], out, err)
    return code, out.getvalue() + err.getvalue()


def published(site: Path) -> str:
    """Return every byte the last build wrote, as text, so a leak can be searched for."""
    out = site / "_site"
    if not out.is_dir():
        return ""
    return "".join(p.read_text("utf-8", "replace") for p in sorted(out.rglob("*")) if p.is_file())


@pytest.mark.parametrize(
    ("link", "target", "message"),
    [
        # The case: a link inside content to a hidden file at the site's top.
        ("content/images/logo.txt", "../../.env.local", "symbolic link leads to a hidden file"),
        ("content/images/logo.txt", "../../../outside.env", "symbolic link leads outside the site folder"),
        ("content/notes.txt", "../.git/config", "symbolic link leads to a hidden file"),
        ("themes/default/static/logo.txt", "../../../.env.local", "symbolic link leads to a hidden file"),
        ("themes/default/static/css/x.css", "../../../../../outside.env", "symbolic link leads outside the site"),
        ("themes/default/static/abs.txt", "{outside}", "symbolic link leads outside the site folder"),
    ],
)
def test_link_leaving_the_site_is_refused_at_the_link(
    make_site: SiteFactory, tmp_path: Path, link: str, target: str, message: str
) -> None:
    site = make_site({})
    (site / ".env.local").write_text(ENV, encoding="utf-8")
    (site / ".git").mkdir()
    (site / ".git" / "config").write_text(ENV, encoding="utf-8")
    outside = tmp_path / "outside.env"
    outside.write_text(ENV, encoding="utf-8")
    path = site / link
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(target.format(outside=outside))
    assert path.is_file()  # the link works: only the rule stops it

    code, printed = build(site)

    assert code == 1
    assert f"{link}:1:1: error: {message}" in printed
    assert "wJalrXUtnFEMI" not in printed + published(site)


def test_link_inside_the_site_is_followed(make_site: SiteFactory) -> None:
    site = make_site({"shared/logo.txt": "our logo\n", "content/images/real.txt": "real\n"})
    (site / "content" / "images" / "logo.txt").symlink_to("../../shared/logo.txt")
    static = site / "themes" / "default" / "static"
    static.mkdir(parents=True)
    (static / "extra.txt").symlink_to("../../../shared/logo.txt")

    code, printed = build(site)

    assert code == 0, printed
    assert (site / "_site" / "images" / "logo.txt").read_text(encoding="utf-8") == "our logo\n"
    assert (site / "_site" / "assets" / "extra.txt").read_text(encoding="utf-8") == "our logo\n"
    assert not (site / "_site" / "images" / "logo.txt").is_symlink()


def test_content_folder_linked_from_outside_is_refused(make_site: SiteFactory, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "images").mkdir(parents=True)
    (elsewhere / "images" / "notes.txt").write_text(ENV, encoding="utf-8")
    site = make_site({}, base=False)
    (site / "site.yaml").write_text("title: T\n", encoding="utf-8")
    (site / "content").symlink_to(elsewhere)

    code, printed = build(site)

    assert code == 1 and "content:1:1: error: symbolic link leads outside the site folder" in printed
    assert "wJalrXUtnFEMI" not in published(site)


def test_template_link_leaving_the_site_is_refused(make_site: SiteFactory, tmp_path: Path) -> None:
    outside = tmp_path / "secret.html"
    outside.write_text(ENV, encoding="utf-8")
    site = make_site({})
    templates = site / "themes" / "default" / "templates"
    templates.mkdir(parents=True)
    (templates / "404.html").symlink_to(outside)

    code, printed = build(site)

    assert code == 1 and "symbolic link leads outside the site folder" in printed
    assert "wJalrXUtnFEMI" not in printed + published(site)


def test_link_problem_is_the_one_rule(tmp_path: Path) -> None:
    root = tmp_path / "site"
    (root / "a").mkdir(parents=True)
    (root / "a" / "file.txt").write_text("x", encoding="utf-8")
    (root / ".hidden").write_text("x", encoding="utf-8")
    cases = {
        "in": ("a/file.txt", None),
        "hidden": (".hidden", "symbolic link leads to a hidden file"),
        "out": ("../..", "symbolic link leads outside the site folder"),
        "loop": ("loop", None),  # a loop resolves to itself: inside, and never a file, so never copied
        "dangling": ("a/missing.txt", None),
    }
    for name, (target, expected) in cases.items():
        link = root / name
        link.symlink_to(target)
        assert link_problem(link, root) == expected, name


def test_theme_folder_linked_from_outside_is_refused(make_site: SiteFactory, tmp_path: Path) -> None:
    shared = tmp_path / "shared-theme"
    (shared / "static").mkdir(parents=True)
    (shared / "static" / "notes.txt").write_text(ENV, encoding="utf-8")
    site = make_site({})
    (site / "themes").mkdir()
    (site / "themes" / "default").symlink_to(shared)

    code, printed = build(site)

    assert code == 1 and "themes/default/static:1:1: error: symbolic link leads outside the site folder" in printed
    assert "wJalrXUtnFEMI" not in published(site)
