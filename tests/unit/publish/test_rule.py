"""One rule decides what blocks a publish: `timeline deploy` and `timeline build --publish` (the workflow)."""

from __future__ import annotations

import io
import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import SiteFactory
from timeline.build.pipeline import check_site
from timeline.commands.cli import main
from timeline.publish.rule import refusal

REPO = Path(__file__).resolve().parents[3]
SOURCED = "title: Talks\ndate: 2020-10-01\nsources:\n  - title: Report\n    url: https://example.org/r\n"
UNSOURCED = "title: Unsourced\ndate: 2020-10-02\n"
WARNING = "content/events/unsourced.yaml:1:1: warning: event 'unsourced' has no sources"


def run(*argv: str) -> tuple[int, str, str]:
    """Run the command line; return the exit code, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_refusal_names_each_warning_and_the_flag(make_site: SiteFactory) -> None:
    site = make_site({"content/events/talks.yaml": SOURCED, "content/events/unsourced.yaml": UNSOURCED})
    result = check_site(site)
    why = refusal(result, allow_warnings=False, command="timeline deploy")
    assert why is not None
    assert "warnings block a publish" in why
    assert f"\n  {WARNING}\n" in why
    assert "`timeline deploy --allow-warnings`" in why
    assert refusal(result, allow_warnings=True, command="timeline deploy") is None


def test_errors_block_even_when_warnings_are_allowed(make_site: SiteFactory) -> None:
    site = make_site({"content/events/bad.yaml": "title: Bad\ndate: 2020-13-01\n"})
    why = refusal(check_site(site), allow_warnings=True, command="timeline deploy")
    assert why is not None and "error" in why and "--allow-warnings" not in why


def test_a_clean_site_may_be_published(make_site: SiteFactory) -> None:
    site = make_site({"content/events/talks.yaml": SOURCED})
    assert refusal(check_site(site), allow_warnings=False, command="timeline deploy") is None


def test_build_publish_stops_on_warnings_as_deploy_does(make_site: SiteFactory, tmp_path: Path) -> None:
    site = make_site({"content/events/talks.yaml": SOURCED, "content/events/unsourced.yaml": UNSOURCED})
    out = tmp_path / "out"
    code, _, err = run("build", str(site), "-o", str(out), "--publish", "--no-cache")
    assert code == 1
    assert "warnings block a publish" in err and f"  {WARNING}" in err
    assert "`timeline build --publish --allow-warnings`" in err
    assert not out.exists()
    # Without --publish a build is for looking at: warnings are shown and do not stop it.
    assert run("build", str(site), "-o", str(out), "--no-cache")[0] == 0


def test_build_publish_names_its_output_folder_for_the_next_step(
    make_site: SiteFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site({"content/events/talks.yaml": SOURCED, "content/events/unsourced.yaml": UNSOURCED})
    (site / "site.yaml").write_text("title: T\nbase_url: https://example.org/repo/\noutput: public\n", encoding="utf-8")
    github_output = tmp_path / "github_output"
    github_output.write_text("earlier=1\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_OUTPUT", str(github_output))
    code, _, err = run("build", str(site), "--publish", "--allow-warnings")
    assert code == 0, err
    assert WARNING in err
    assert github_output.read_text(encoding="utf-8") == f"earlier=1\nfolder={(site / 'public').resolve()}\n"
    assert (site / "public" / "index.html").is_file()
    # Up to date the second time: the folder is still named, so the upload step finds it.
    assert run("build", str(site), "--publish", "--allow-warnings")[0] == 0
    assert github_output.read_text(encoding="utf-8").count("folder=") == 2


def test_allow_warnings_belongs_to_publish(make_site: SiteFactory) -> None:
    site = make_site({"content/events/talks.yaml": SOURCED})
    code, _, err = run("build", str(site), "--allow-warnings")
    assert code == 2 and "--publish" in err


def git(cwd: Path, *args: str) -> str:
    """Run git in ``cwd`` with a fixed identity and no user configuration."""
    env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "T",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "T",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True).stdout


def test_deploy_stops_on_warnings_and_names_the_flag(
    make_site: SiteFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "T")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "t@example.org")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    site = make_site({"content/events/talks.yaml": SOURCED, "content/events/unsourced.yaml": UNSOURCED})
    bare = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(bare))
    git(site, "init", "-q", "-b", "main")
    git(site, "add", "-A")
    git(site, "commit", "-qm", "site")
    git(site, "remote", "add", "origin", str(bare))
    code, _, err = run("deploy", str(site))
    assert code == 1
    assert "deploy stopped: warnings block a publish" in err and f"  {WARNING}" in err
    assert "`timeline deploy --allow-warnings`" in err and "nothing was pushed" in err
    assert git(bare, "branch", "--list") == ""
    code, out, err = run("deploy", str(site), "--allow-warnings")
    assert code == 0, err
    assert git(bare, "branch", "--list").split() == ["gh-pages"]


def test_help_format_prints_the_format_reference() -> None:
    code, out, _ = run("help", "format")
    assert code == 0
    assert out == (REPO / "docs" / "format.md").read_text(encoding="utf-8")


def test_new_site_points_to_the_format_reference(tmp_path: Path) -> None:
    code, out, err = run("new", "site", str(tmp_path / "mysite"))
    assert code == 0 and "site.yaml" in out
    assert "timeline help format" in err
    code, out, err = run("new", "event", "Bridge closes", "--date", "2021-03-02", "--site", str(tmp_path / "mysite"))
    assert code == 0 and out.strip().endswith("bridge-closes.yaml")
    assert "draft" in err
