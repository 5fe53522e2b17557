"""deploy publishes nothing secret or foreign, and prints no credential: real git, a bare remote."""

from __future__ import annotations

import io
import subprocess
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from timeline.commands.cli import main
from timeline.publish.credentials import find_secrets, redact
from timeline.publish.deploy import DeployError, publish

# Tokens made up for these tests, in the shapes the scan knows.
AWS_ID = "AKIA" + "Q7XW2M4PLK9RTZ3B"
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCY" + "Q7XW2M4PLK"
GITHUB = "ghp_" + "x1Y2z3A4b5C6d7E8f9G0h1I2j3K4l5M6n7O8"
PASSWORD = "p@ss/w:rd%2F1"  # '@', '/', ':' and a %-escape
PIECES = ("SEKRET", "p@ss", "ss/w", "w:rd", "%2F1", GITHUB, "tok3n")


def git(cwd: Path, *args: str) -> str:
    """Run git in ``cwd`` and return its stripped stdout."""
    return subprocess.run(["git", "-C", str(cwd), *args], capture_output=True, text=True, check=True).stdout.strip()


@pytest.fixture(autouse=True)
def git_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Isolate git from the machine's configuration and give it an identity."""
    home = tmp_path / "home"
    home.mkdir()
    (home / "gitconfig").write_text("", encoding="utf-8")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / "gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for var in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "SOURCE_DATE_EPOCH", "TIMELINE_BASE_URL"):
        monkeypatch.delenv(var, raising=False)
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "Test Person")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "test@example.org")


@dataclass(frozen=True)
class Repo:
    """A site in a git work tree whose origin is a local bare repository."""

    work: Path
    bare: Path

    def deploy(self, *args: str) -> tuple[int, str]:
        """Run ``timeline deploy`` as a user would; return the exit code and everything printed."""
        out, err = io.StringIO(), io.StringIO()
        code = main(["deploy", str(self.work), *args], out, err)
        return code, out.getvalue() + err.getvalue()

    def commit(self, files: dict[str, str]) -> None:
        """Write ``files`` into the work tree and commit them."""
        for rel, text in files.items():
            (self.work / rel).parent.mkdir(parents=True, exist_ok=True)
            (self.work / rel).write_text(textwrap.dedent(text), encoding="utf-8")
        git(self.work, "add", "-A")
        git(self.work, "commit", "-q", "-m", "content")

    def pages(self) -> str | None:
        """Return the remote gh-pages commit, or None."""
        done = subprocess.run(["git", "-C", str(self.bare), "rev-parse", "--verify", "--quiet", "refs/heads/gh-pages"],
                              capture_output=True, text=True, check=False)  # fmt: skip
        return done.stdout.strip() or None


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    """Return a committed minimal site with a bare origin."""
    bare = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(bare)], check=True)
    work = tmp_path / "work"
    subprocess.run(["git", "init", "-q", "-b", "main", str(work)], check=True)
    site = Repo(work, bare)
    site.commit({
        "site.yaml": "title: Test timeline\nbase_url: https://example.org/repo/\n",
        ".gitignore": "_site/\n.timeline-cache/\n",
        "content/actors.yaml": "putin:\n  name: Vladimir Putin\n  kind: person\n",
        "content/places.yaml": "karabakh:\n  name: Nagorno-Karabakh\n",
        "content/events/a.yaml": "title: A\ndate: 2020-09-27\nsummary: x\nsources:\n  - url: https://example.org/\n",
    })  # fmt: skip
    git(work, "remote", "add", "origin", str(bare))
    return site


# -- secrets in file contents ------------------------------------------------------------------


def test_tokens_in_a_text_file_are_refused_with_path_and_line(repo: Repo) -> None:
    repo.commit({
        "content/notes.txt": f"notes\naws_access_key_id = {AWS_ID}\naws_secret_access_key = {AWS_SECRET}\n"
                             f"gh: {GITHUB}\n",
    })  # fmt: skip
    code, printed = repo.deploy()
    assert code == 1 and repo.pages() is None
    for line in (2, 3, 4):
        assert f"notes.txt:{line}: " in printed
    assert "aws-access-key-id" in printed and "github-token" in printed
    # The refusal names where, never what: the tokens themselves are not printed.
    assert AWS_ID not in printed and AWS_SECRET not in printed and GITHUB not in printed


def test_token_in_an_event_is_found_in_every_page_that_shows_it(repo: Repo) -> None:
    repo.commit({"content/events/b.yaml": f"title: B\ndate: 2020-09-28\nsummary: key {AWS_ID}\n"
                                          "sources:\n  - url: https://example.org/\n"})  # fmt: skip
    code, printed = repo.deploy("--dry-run")
    assert code == 1
    assert "events/b/index.html:" in printed and "events.json:" in printed


def test_allow_list_in_site_yaml_lets_deliberate_files_through(repo: Repo) -> None:
    notes = f"An example key from the AWS documentation: {AWS_ID}\n"
    repo.commit({"content/docs/aws-example.txt": notes, "content/other.txt": notes})
    code, printed = repo.deploy("--dry-run")
    assert code == 1 and "docs/aws-example.txt:1:" in printed and "other.txt:1:" in printed
    config = (repo.work / "site.yaml").read_text(encoding="utf-8")
    repo.commit({"site.yaml": config + "deploy:\n  allow_secrets: [docs/*.txt]\n"})
    code, printed = repo.deploy("--dry-run")
    assert code == 1 and "docs/aws-example.txt" not in printed and "other.txt:1:" in printed
    repo.commit({"site.yaml": config + "deploy:\n  allow_secrets: [docs/*.txt, other.txt]\n"})
    code, printed = repo.deploy()
    assert code == 0, printed
    assert AWS_ID in git(repo.bare, "show", "gh-pages:other.txt")


def test_bad_allow_list_is_a_located_error(repo: Repo) -> None:
    repo.commit({"site.yaml": "title: T\ndeploy:\n  allow_secret: [x]\n"})
    code, printed = repo.deploy("--dry-run")
    assert code == 1 and "site.yaml:3:3: error: unknown field 'allow_secret' (did you mean 'allow_secrets'?)" in printed


def test_outside_symlink_stops_deploy_with_the_path(repo: Repo, tmp_path: Path) -> None:
    (repo.work / ".env.local").write_text(f"AWS_SECRET_ACCESS_KEY={AWS_SECRET}\n", encoding="utf-8")
    (repo.work / "content" / "images").mkdir(parents=True)
    (repo.work / "content" / "images" / "logo.txt").symlink_to("../../.env.local")
    git(repo.work, "add", "content")
    git(repo.work, "commit", "-q", "-m", "logo")
    code, printed = repo.deploy("--allow-dirty")
    assert code == 1 and repo.pages() is None
    assert "content/images/logo.txt:1:1: error: symbolic link leads to a hidden file" in printed
    assert AWS_SECRET not in printed


@pytest.mark.parametrize(
    "text",
    [
        "ghp_" + "a" * 1_000_000,
        "AKIA" * 250_000,
        "-----BEGIN " * 100_000,
        "xoxb-" + "-" * 1_000_000,
        ("API_TOKEN=" + "ab" * 200 + "\n") * 2_000,
        "=" * 1_000_000,
        "https://" + "@:/" * 300_000,
        "?token=" * 150_000,
        "x-access-token:" * 60_000,
    ],
)
def test_scan_and_redaction_stay_fast_on_hostile_text(text: str) -> None:
    # A generous bound that only a super-linear pattern would cross (each takes well under 1 s).
    start = time.perf_counter()
    find_secrets("x.txt", text.encode())
    redact(text)
    assert time.perf_counter() - start < 20


# -- redaction -----------------------------------------------------------------------------------

FORMS = [
    "https://user:SEKRET@github.com/o/r.git",
    "https://user:p@ss/w:rd%2F1@github.com/o/r.git",
    "https://user:p%40ss%2Fw%3Ard%2F1@github.com/o/r.git",
    "https://SEKRETtoken123@github.com/o/r.git",
    "https://x-access-token:SEKRET@github.com/o/r.git",
    "http://oauth2:SEKRET@gitlab.example/o/r.git",
    "ssh://git:SEKRET@github.com:22/o/r.git",
    "git+ssh://deploy:SEKRET@host.example/r.git",
    "https://github.com/o/r.git?access_token=SEKRET",
    "https://example.org/r.git?x=1&token=SEKRET&y=2",
    "https://example.org/r.git?key=SEKRET",
    "https://example.org/r.git?private_token=SEKRET#frag",
    "https://example.org/r.git;api_key=SEKRET",
    "x-access-token:SEKRET",
    "Authorization: Bearer SEKRETabcdefghijklmnop",
    "AUTHORIZATION: basic SEKRETabcdefghijklmnop==",
    "remote: Invalid token " + GITHUB,
    "fatal: unable to access 'https://user:SEKRET@github.com/o/r.git/': The requested URL returned error: 403",
    'url = "https://user:SEKRET@github.com/o/r.git"',
    "<https://user:SEKRET@github.com/o/r.git>",
]


@pytest.mark.parametrize("form", FORMS)
def test_redact_hides_every_credential_form(form: str) -> None:
    shown = redact(form)
    assert not any(piece in shown for piece in PIECES), shown
    assert "***" in shown
    if "github.com" in form:
        assert "github.com" in shown  # where it went stays readable


def test_redact_hides_known_passwords_anywhere() -> None:
    text = f"error near {PASSWORD} and p%40ss%2Fw%3Ard%2F1, and {PASSWORD.replace('%2F', '/')}"
    shown = redact(text, [PASSWORD, "p%40ss%2Fw%3Ard%2F1"])
    assert not any(piece in shown for piece in ("p@ss", "w:rd")), shown


def test_redact_leaves_ordinary_text_alone() -> None:
    text = "published 1a2b3c4d5e6f (12 files) to origin gh-pages (git@github.com:alice/nk.git)"
    assert redact(text) == text
    assert redact("https://alice.github.io/nk/ and https://github.com/@org/repo") == (
        "https://alice.github.io/nk/ and https://github.com/@org/repo"
    )


# A URL of each form that git itself resolves, through url.<base>.insteadOf, to the bare remote.
REMOTES = [
    "https://user:p@ss/w:rd%2F1@pages.example/o/r.git",
    "https://x-access-token:SEKRET@pages.example/o/r.git",
    "https://pages.example/o/r.git?access_token=SEKRET",
    "https://pages.example/o/r.git?token=SEKRET&key=tok3n",
    "ssh://deploy:SEKRET@pages.example/o/r.git",
]


def all_output(repo: Repo) -> str:
    """Return every commit message on every ref of both repositories, and every ref name."""
    return "\n".join(
        git(where, "log", "--all", "--format=%B%n%N") + git(where, "for-each-ref", "--format=%(refname)")
        for where in (repo.work, repo.bare)
    )


@pytest.mark.parametrize("remote", REMOTES)
def test_no_token_form_appears_in_any_output_of_a_real_deploy(
    repo: Repo, remote: str, capsys: pytest.CaptureFixture[str]
) -> None:
    git(repo.work, "config", f"url.{repo.bare}.insteadOf", remote)
    printed = []
    for args in (["--dry-run"], [], ["--force"]):
        code, text = repo.deploy("--remote", remote, *args)
        printed.append(text)
        assert code == 0, text
    assert repo.pages() is not None and "dry run" in printed[0] and "published" in printed[1]
    everything = "\n".join([*printed, all_output(repo), *capsys.readouterr()])
    assert not any(piece in everything for piece in PIECES), everything


@pytest.mark.parametrize("remote", REMOTES)
def test_no_token_form_appears_when_the_push_fails(repo: Repo, remote: str) -> None:
    git(repo.work, "config", f"url.{repo.bare}.insteadOf", remote)
    # The server refuses the push and echoes the URL back, as some do, with a token of its own.
    hook = repo.bare / "hooks" / "pre-receive"
    hook.write_text(f"#!/bin/sh\necho 'denied for {remote} ({GITHUB})' >&2\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)
    code, printed = repo.deploy("--remote", remote)
    assert code == 1 and "push:" in printed and "denied for" in printed
    assert repo.pages() is None
    assert not any(piece in printed + all_output(repo) for piece in PIECES), printed


# -- the foreign-commit guard --------------------------------------------------------------------


def forge(repo: Repo, tmp_path: Path, message: str) -> str:
    """Push a commit onto gh-pages from another clone with ``message``; return its id."""
    clone = tmp_path / "forger"
    subprocess.run(["git", "clone", "-q", str(repo.bare), str(clone)], check=True)
    exists = repo.pages() is not None
    git(clone, "checkout", "-q", "gh-pages") if exists else git(clone, "checkout", "-q", "--orphan", "gh-pages")
    (clone / "index.html").write_text("<script>steal()</script>\n", encoding="utf-8")
    git(clone, "add", "-A")
    git(clone, "commit", "-q", "-m", message)
    git(clone, "push", "-q", "origin", "gh-pages")
    return git(clone, "rev-parse", "HEAD")


FORGED = "Deployed abc with timeline 0.0.0\n\nSource-commit: abc\nPublished-by: timeline 0.0.0\n"


def test_forged_trailer_on_top_of_our_publish_is_refused(repo: Repo, tmp_path: Path) -> None:
    code, printed = repo.deploy()
    assert code == 0, printed
    forged = forge(repo, tmp_path, FORGED)
    repo.commit({"content/events/b.yaml": "title: B\ndate: 2020-09-28\nsummary: x\n"
                                          "sources:\n  - url: https://example.org/\n"})  # fmt: skip
    code, printed = repo.deploy()
    assert code == 1 and "not published from this repository" in printed and forged in printed
    assert repo.pages() == forged
    code, printed = repo.deploy("--force")
    assert code == 0, printed
    assert git(repo.bare, "rev-parse", "gh-pages^") == forged  # history kept, the files replaced
    assert "steal" not in git(repo.bare, "show", "gh-pages:index.html")
    repo.commit({"content/events/c.yaml": "title: C\ndate: 2020-09-29\nsummary: x\n"
                                          "sources:\n  - url: https://example.org/\n"})  # fmt: skip
    assert repo.deploy()[0] == 0  # the forced commit is recorded: no --force needed again


def test_forged_branch_before_the_first_deploy_is_refused(repo: Repo, tmp_path: Path) -> None:
    forged = forge(repo, tmp_path, FORGED)
    code, printed = repo.deploy()
    assert code == 1 and "never published to origin gh-pages" in printed and "--force" in printed
    assert repo.pages() == forged


def test_second_clone_is_refused_until_force_then_the_first_must_force(repo: Repo, tmp_path: Path) -> None:
    assert repo.deploy()[0] == 0
    second = Repo(tmp_path / "second", repo.bare)
    subprocess.run(["git", "clone", "-q", "-b", "main", str(repo.bare), str(second.work)], check=False)
    if not second.work.exists():  # main was never pushed: clone the work tree instead
        subprocess.run(["git", "clone", "-q", str(repo.work), str(second.work)], check=True)
        git(second.work, "remote", "set-url", "origin", str(repo.bare))
    second.commit({"content/events/d.yaml": "title: D\ndate: 2020-09-30\nsummary: x\n"
                                            "sources:\n  - url: https://example.org/\n"})  # fmt: skip
    code, printed = second.deploy()
    assert code == 1 and "never published to origin gh-pages" in printed
    assert second.deploy("--force")[0] == 0
    # The first clone's record is now behind the remote: it is refused in turn, and told why.
    repo.commit({"content/events/e.yaml": "title: E\ndate: 2020-10-01\nsummary: x\n"
                                          "sources:\n  - url: https://example.org/\n"})  # fmt: skip
    code, printed = repo.deploy()
    assert code == 1 and "not published from this repository" in printed


def test_run_killed_between_push_and_record_is_trusted(repo: Repo, tmp_path: Path) -> None:
    # Publish, then put the local record back as a kill after the push would have left it.
    site = tmp_path / "built"
    (site / "x").mkdir(parents=True)
    (site / "index.html").write_text("<p>one</p>\n", encoding="utf-8")
    first = publish(site, repo_dir=repo.work, out=io.StringIO())
    refs = git(repo.work, "for-each-ref", "--format=%(refname)", "refs/timeline-published").split()
    assert len(refs) == 1 and git(repo.work, "rev-parse", refs[0]) == first.commit
    (site / "index.html").write_text("<p>two</p>\n", encoding="utf-8")
    second = publish(site, repo_dir=repo.work, out=io.StringIO())
    pushing = refs[0].replace("refs/timeline-published/", "refs/timeline-pushing/")
    git(repo.work, "update-ref", refs[0], str(first.commit))
    git(repo.work, "update-ref", pushing, str(second.commit))
    (site / "index.html").write_text("<p>three</p>\n", encoding="utf-8")
    third = publish(site, repo_dir=repo.work, out=io.StringIO())
    assert third.pushed and git(repo.bare, "rev-parse", "gh-pages^") == second.commit
    # Without either record, the same remote tip would be foreign.
    git(repo.work, "update-ref", "-d", refs[0])
    (site / "index.html").write_text("<p>four</p>\n", encoding="utf-8")
    with pytest.raises(DeployError, match="never published"):
        publish(site, repo_dir=repo.work, out=io.StringIO())
