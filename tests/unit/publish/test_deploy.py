"""Tests for timeline.publish.deploy: real git, a local bare repository as the remote, no network."""

from __future__ import annotations

import io
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from timeline.commands.scaffold import new_site
from timeline.publish.deploy import DeployError, PublishReport, pages_url, publish, redact_url

SECRET = "SEKRET123"


def git(cwd: Path, *args: str) -> str:
    """Run git in ``cwd`` and return its stripped stdout."""
    done = subprocess.run(
        ["git", "-C", str(cwd), *args], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def remote_ref(bare: Path, branch: str = "gh-pages") -> str | None:
    """Return the sha of ``branch`` in the bare repository, or None when it does not exist."""
    done = subprocess.run(
        [
            "git",
            "-C",
            str(bare),
            "rev-parse",
            "--verify",
            "--quiet",
            f"refs/heads/{branch}",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() or None


def tree_files(bare: Path, rev: str = "gh-pages") -> list[str]:
    """Return every path in the tree of ``rev``."""
    return git(bare, "ls-tree", "-r", "--name-only", rev).splitlines()


def write(path: Path, text: str) -> Path:
    """Write ``text`` to ``path``, creating folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@dataclass(frozen=True)
class Setup:
    """A work repository with a bare origin and a built site outside it."""

    work: Path
    bare: Path
    site: Path

    def run(self, **kwargs: object) -> tuple[PublishReport, str]:
        """Publish the site and return the report and everything printed."""
        out = io.StringIO()
        report = publish(self.site, repo_dir=self.work, out=out, **kwargs)  # type: ignore[arg-type]
        return report, out.getvalue()

    def snapshot(self) -> tuple[str, str, bytes, str, str]:
        """Return HEAD, the current branch, the index bytes, status and a tracked file."""
        return (
            git(self.work, "rev-parse", "HEAD"),
            git(self.work, "symbolic-ref", "HEAD"),
            (self.work / ".git" / "index").read_bytes(),
            git(self.work, "status", "--porcelain"),
            (self.work / "site.yaml").read_text(encoding="utf-8"),
        )


@pytest.fixture(autouse=True)
def git_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Isolate git from the machine's configuration and give it an identity."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(write(home / "gitconfig", "")))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for var in (
        "GIT_DIR",
        "GIT_WORK_TREE",
        "GIT_INDEX_FILE",
        "SOURCE_DATE_EPOCH",
        "EMAIL",
    ):
        monkeypatch.delenv(var, raising=False)
    for var in (
        "http_proxy",
        "https_proxy",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "all_proxy",
    ):
        monkeypatch.delenv(var, raising=False)
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "Test Person")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "test@example.org")


@pytest.fixture
def setup(tmp_path: Path) -> Setup:
    """Create the work repository, its bare origin and a built site."""
    bare = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(bare)], check=True)
    work = tmp_path / "work"
    subprocess.run(["git", "init", "-q", "-b", "main", str(work)], check=True)
    write(work / "site.yaml", "title: Test\n")
    write(work / ".gitignore", "_site/\n")
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "source")
    git(work, "remote", "add", "origin", str(bare))
    git(work, "push", "-q", "origin", "main")
    site = tmp_path / "build"
    write(site / "index.html", "<h1>home</h1>\n")
    write(site / "_assets" / "app.css", "body{}\n")
    write(site / "events" / "a" / "index.html", "<h1>a</h1>\n")
    write(site / "404.html", "not found\n")
    return Setup(work, bare, site)


def test_deploy_twice_makes_two_commits_and_leaves_main_alone(setup: Setup) -> None:
    before = setup.snapshot()
    main_before = remote_ref(setup.bare, "main")
    first, _ = setup.run(cname="news.example.org")
    write(setup.site / "events" / "b" / "index.html", "<h1>b</h1>\n")
    second, printed = setup.run(cname="news.example.org")

    assert first.pushed and second.pushed
    assert remote_ref(setup.bare) == second.commit
    assert git(setup.bare, "rev-list", "--count", "gh-pages") == "2"
    assert git(setup.bare, "rev-parse", "gh-pages^") == first.commit
    expected = sorted(
        [
            "index.html",
            "_assets/app.css",
            "events/a/index.html",
            "events/b/index.html",
            "404.html",
        ]
        + [".nojekyll", "CNAME"]
    )
    assert tree_files(setup.bare) == expected
    assert list(second.files) == expected
    assert git(setup.bare, "show", "gh-pages:CNAME") == "news.example.org"
    assert git(setup.bare, "show", "gh-pages:.nojekyll") == ""
    assert setup.snapshot() == before
    assert remote_ref(setup.bare, "main") == main_before
    assert second.url == "https://news.example.org/"
    assert "https://news.example.org/" in printed


def test_commit_message_names_source_and_dates_follow_source_date_epoch(
    setup: Setup, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1")  # ignored: the build's settings carry the value
    report, _ = setup.run(source_date_epoch=1600000000)
    body = git(setup.bare, "log", "-1", "--format=%B", "gh-pages")
    assert git(setup.work, "rev-parse", "HEAD") in body
    assert "dirty" not in body
    assert "Published-by: timeline" in body
    assert (
        git(setup.bare, "log", "-1", "--format=%at %ct", "gh-pages")
        == "1600000000 1600000000"
    )
    assert report.commit == remote_ref(setup.bare)


def test_removed_file_disappears_and_tree_matches_build_exactly(setup: Setup) -> None:
    write(setup.site / "events" / "retracted" / "index.html", "old\n")
    setup.run()
    (setup.site / "events" / "retracted" / "index.html").unlink()
    (setup.site / "events" / "retracted").rmdir()
    setup.run()
    files = tree_files(setup.bare)
    assert not any(f.startswith("events/retracted") for f in files)
    built = sorted(
        p.relative_to(setup.site).as_posix()
        for p in setup.site.rglob("*")
        if p.is_file()
    )
    assert files == sorted([*built, ".nojekyll"])


def test_nothing_changed_makes_no_commit(setup: Setup) -> None:
    first, _ = setup.run()
    again, printed = setup.run()
    assert again.commit is None and not again.pushed
    assert remote_ref(setup.bare) == first.commit
    assert "nothing changed" in printed


def test_foreign_commit_is_refused_and_remote_unchanged(
    setup: Setup, tmp_path: Path
) -> None:
    setup.run()
    clone = tmp_path / "other"
    subprocess.run(
        ["git", "clone", "-q", "-b", "gh-pages", str(setup.bare), str(clone)],
        check=True,
    )
    write(clone / "extra.html", "hand-made\n")
    git(clone, "add", "-A")
    git(clone, "commit", "-q", "-m", "edit by hand")
    git(clone, "push", "-q", "origin", "gh-pages")
    foreign = remote_ref(setup.bare)
    write(setup.site / "new.html", "new\n")

    with pytest.raises(
        DeployError,
        match="remote gh-pages has commits not published from this repository: check them",
    ):
        setup.run()
    assert remote_ref(setup.bare) == foreign

    forced, _ = setup.run(force=True)
    assert forced.pushed and git(setup.bare, "rev-parse", "gh-pages^") == foreign
    assert "extra.html" not in tree_files(setup.bare)
    write(setup.site / "newer.html", "newer\n")
    after, _ = setup.run()  # our own commit is on top again, so no --force is needed
    assert after.pushed


def test_branch_made_by_another_tool_is_refused(setup: Setup, tmp_path: Path) -> None:
    clone = tmp_path / "other"
    subprocess.run(["git", "clone", "-q", str(setup.bare), str(clone)], check=True)
    git(clone, "checkout", "-q", "--orphan", "gh-pages")
    git(clone, "commit", "-q", "--allow-empty", "-m", "ghp-import")
    git(clone, "push", "-q", "origin", "gh-pages")
    foreign = remote_ref(setup.bare)
    with pytest.raises(DeployError, match="never published to origin gh-pages"):
        setup.run(no_history=True)
    assert remote_ref(setup.bare) == foreign


def test_newer_remote_tip_is_fetched_before_committing(
    setup: Setup, tmp_path: Path
) -> None:
    first, _ = setup.run()
    fresh = tmp_path / "fresh"
    subprocess.run(["git", "clone", "-q", str(setup.bare), str(fresh)], check=True)
    write(setup.site / "more.html", "more\n")
    out = io.StringIO()
    # A second clone has no record of the first one's publishes: it is refused until --force.
    with pytest.raises(DeployError, match="never published to origin gh-pages"):
        publish(setup.site, repo_dir=fresh, out=out)
    report = publish(setup.site, repo_dir=fresh, out=out, force=True)
    assert report.pushed
    assert git(setup.bare, "rev-parse", "gh-pages^") == first.commit
    write(setup.site / "again.html", "again\n")
    assert publish(setup.site, repo_dir=fresh, out=out).pushed


def test_no_history_pushes_a_parentless_commit(setup: Setup) -> None:
    setup.run()
    write(setup.site / "more.html", "more\n")
    setup.run()
    report, _ = setup.run(no_history=True)
    assert report.pushed
    assert git(setup.bare, "rev-list", "--count", "gh-pages") == "1"
    assert "more.html" in tree_files(setup.bare)


def test_dirty_tree_is_refused_unless_allowed(setup: Setup) -> None:
    write(setup.work / "site.yaml", "title: Changed\n")
    with pytest.raises(DeployError, match="uncommitted changes.*--allow-dirty") as raised:
        setup.run()
    assert remote_ref(setup.bare) is None
    # The first path whole: the porcelain line " M site.yaml" starts with a space.
    assert "(site.yaml)" in str(raised.value)

    report, _ = setup.run(allow_dirty=True)
    assert report.pushed
    body = git(setup.bare, "log", "-1", "--format=%B", "gh-pages")
    assert f"{git(setup.work, 'rev-parse', 'HEAD')}-dirty" in body
    assert git(setup.work, "status", "--porcelain") == "M site.yaml"


def test_untracked_file_counts_as_dirty(setup: Setup) -> None:
    write(setup.work / "content" / "events" / "new.yaml", "title: x\n")
    write(setup.work / "site.yaml", "title: Changed\n")
    with pytest.raises(DeployError, match="uncommitted") as raised:
        setup.run()
    assert "(site.yaml, content/)" in str(raised.value)
    assert remote_ref(setup.bare) is None


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        (".git/config", "git metadata"),
        (".env", "looks like a secret"),
        ("id_rsa", "looks like a secret"),
        ("keys/key.pem", "looks like a secret"),
        ("server.key", "looks like a secret"),
        (".DS_Store", "dotfile"),
        ("assets/.htpasswd", "dotfile"),
    ],
)
def test_unsafe_files_are_refused_and_listed(
    setup: Setup, path: str, reason: str
) -> None:
    write(setup.site / path, f"[remote]\nurl = https://x:{SECRET}@github.com/o/r\n")
    with pytest.raises(DeployError) as caught:
        setup.run()
    shown = path.split("/")[0] + "/" if path.startswith(".git/") else path
    assert f"{shown} ({reason})" in str(caught.value)
    assert remote_ref(setup.bare) is None


def test_refusal_lists_every_offender(setup: Setup) -> None:
    for path in (".env", "id_rsa", "key.pem"):
        write(setup.site / path, "x\n")
    with pytest.raises(DeployError) as caught:
        setup.run()
    assert all(p in str(caught.value) for p in (".env", "id_rsa", "key.pem"))


def test_well_known_and_nojekyll_are_published(setup: Setup) -> None:
    write(
        setup.site / ".well-known" / "security.txt", "Contact: mailto:a@example.org\n"
    )
    write(setup.site / ".nojekyll", "")
    setup.run()
    files = tree_files(setup.bare)
    assert ".well-known/security.txt" in files and files.count(".nojekyll") == 1
    assert "_assets/app.css" in files


def test_symlink_is_refused(setup: Setup, tmp_path: Path) -> None:
    target = write(tmp_path / "outside.txt", "private\n")
    (setup.site / "leak.txt").symlink_to(target)
    with pytest.raises(DeployError, match=r"leak\.txt \(symbolic link\)"):
        setup.run()


def test_failing_commit_step_pushes_nothing(
    setup: Setup, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, _ = setup.run()
    write(setup.site / "new.html", "new\n")
    # Without an identity and with useConfigOnly, `git commit-tree` fails even as root.
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.delenv(f"GIT_{role}_NAME")
        monkeypatch.delenv(f"GIT_{role}_EMAIL")
    write(tmp_path / "home" / "gitconfig", "[user]\n\tuseConfigOnly = true\n")
    with pytest.raises(DeployError, match=r"^commit: git commit-tree failed"):
        setup.run()
    assert remote_ref(setup.bare) == first.commit


def test_not_a_git_repository_is_refused(setup: Setup, tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    with pytest.raises(DeployError, match="^check: not a git work tree"):
        publish(setup.site, repo_dir=plain, out=io.StringIO())


def test_credentials_never_printed_when_remote_fails(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    git(
        setup.work,
        "remote",
        "set-url",
        "origin",
        f"https://x-access-token:{SECRET}@127.0.0.1:1/o/r.git",
    )
    out = io.StringIO()
    with pytest.raises(DeployError) as caught:
        publish(setup.site, repo_dir=setup.work, out=out)
    assert str(caught.value).startswith("fetch:")
    captured = capsys.readouterr()
    for text in (str(caught.value), out.getvalue(), captured.out, captured.err):
        assert SECRET not in text


def test_credentials_never_printed_when_push_fails(
    setup: Setup, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bogus = tmp_path / f"x-access-token:{SECRET}@nowhere" / "r.git"
    git(
        setup.work,
        "remote",
        "set-url",
        "--push",
        "origin",
        f"https://x-access-token:{SECRET}@127.0.0.1:1/o/r.git",
    )
    out = io.StringIO()
    with pytest.raises(DeployError) as caught:
        publish(setup.site, repo_dir=setup.work, out=out)
    assert str(caught.value).startswith("push:")
    assert remote_ref(setup.bare) is None
    git(setup.work, "remote", "set-url", "--push", "origin", str(bogus))
    with pytest.raises(DeployError) as caught_path:
        publish(setup.site, repo_dir=setup.work, out=out)
    captured = capsys.readouterr()
    body = git(setup.work, "log", "--all", "--format=%B")
    for text in (
        str(caught.value),
        str(caught_path.value),
        out.getvalue(),
        captured.out,
        captured.err,
        body,
    ):
        assert SECRET not in text


def test_dry_run_lists_files_and_pushes_nothing(setup: Setup) -> None:
    report, printed = setup.run(dry_run=True, cname="news.example.org")
    assert not report.pushed and report.commit is None
    assert remote_ref(setup.bare) is None
    assert "dry run" in printed and "origin gh-pages" in printed
    for name in ("index.html", "_assets/app.css", ".nojekyll", "CNAME"):
        assert f"  {name}\n" in printed


def test_invalid_names_are_refused(setup: Setup) -> None:
    with pytest.raises(DeployError, match="invalid branch"):
        setup.run(branch="--upload-pack=x")
    with pytest.raises(DeployError, match="invalid remote"):
        setup.run(remote="--exec=x")
    with pytest.raises(DeployError, match="invalid custom domain"):
        setup.run(cname="https://news.example.org/")


@pytest.mark.parametrize(
    ("remote", "url"),
    [
        (
            "https://github.com/Alice/nk-timeline.git",
            "https://alice.github.io/nk-timeline/",
        ),
        (
            f"https://x-access-token:{SECRET}@github.com/alice/nk",
            "https://alice.github.io/nk/",
        ),
        ("git@github.com:alice/nk.git", "https://alice.github.io/nk/"),
        ("ssh://git@github.com/alice/alice.github.io.git", "https://alice.github.io/"),
        ("https://gitlab.com/alice/nk.git", None),
        ("/srv/git/nk.git", None),
    ],
)
def test_pages_url_from_remote(remote: str, url: str | None) -> None:
    assert pages_url(remote) == url


def test_redact_url_hides_user_info() -> None:
    text = redact_url(
        f"fatal: unable to access 'https://x-access-token:{SECRET}@github.com/o/r.git/'"
    )
    assert SECRET not in text and "https://***@github.com/o/r.git/" in text


def test_scaffolded_site_builds_and_deploys_exactly(
    setup: Setup, tmp_path: Path
) -> None:
    from timeline.build.pipeline import build_site

    source = tmp_path / "source"
    new_site(source)
    built_dir = tmp_path / "fresh-build"
    result = build_site(source, built_dir, strict=True)
    assert [d.format() for d in result.diagnostics] == [] and not result.failed(
        strict=True
    )
    built = sorted(
        p.relative_to(built_dir).as_posix()
        for p in built_dir.rglob("*")
        if p.is_file() and p.name != ".timeline-output"
    )
    report = publish(
        built_dir, repo_dir=setup.work, cname="news.example.org", out=io.StringIO()
    )
    assert report.pushed
    assert tree_files(setup.bare) == sorted({*built, ".nojekyll", "CNAME"})
    assert list(report.files) == tree_files(setup.bare)
    assert "404.html" in built and "index.html" in built


def test_same_site_and_source_give_the_same_commit(setup: Setup, tmp_path: Path) -> None:
    mirror = tmp_path / "mirror.git"
    subprocess.run(["git", "init", "-q", "--bare", str(mirror)], check=True)
    git(setup.work, "remote", "add", "mirror", str(mirror))
    first, _ = setup.run(source_date_epoch=1600000000)
    second, _ = setup.run(remote="mirror", source_date_epoch=1600000000)
    assert first.commit is not None and first.commit == second.commit
    assert remote_ref(mirror) == first.commit
