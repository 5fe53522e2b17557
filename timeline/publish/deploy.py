"""Publish an already-built site directory to a GitHub Pages branch with git plumbing.

Git plumbing instead of ghp-import: no new dependency, a failed step stops the run before
anything is pushed (ghp-import keeps going after ``fast-import`` fails), and a private
``GIT_INDEX_FILE`` means the user's working tree, index and ``HEAD`` are never touched.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

from timeline import __version__
from timeline.publish.credentials import allowed, find_secrets, redact, url_credentials

TRAILER_KEY = "Published-by"
TRAILER_VALUE = f"timeline {__version__}"
NOJEKYLL = ".nojekyll"
# Pages never need executables; one fixed mode keeps trees reproducible.
_FILE_MODE = "100644"
_SHOWN = 50  # findings listed in one refusal
_SECRET = re.compile(
    r"(\.env(\..*)?|id_(rsa|dsa|ecdsa|ed25519)(\..*)?|.*\.(pem|key|p12|pfx))",
    re.IGNORECASE,
)
_GITHUB = re.compile(
    r"^(?:(?:https?|ssh|git)://(?:[^@/]+@)?github\.com(?::\d+)?/|[^@/]+@github\.com:)"
    r"(?P<owner>[A-Za-z0-9-]+)/(?P<repo>[A-Za-z0-9._-]+?)(?:\.git)?/?$"
)
_HOSTNAME = re.compile(
    r"(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)


class DeployError(Exception):
    """Raised when publishing stops; the message is for users and holds no credentials."""


@dataclasses.dataclass(frozen=True, slots=True)
class PublishReport:
    """What one publish did."""

    commit: str | None
    files: tuple[str, ...]
    url: str | None
    pushed: bool


@dataclasses.dataclass(frozen=True, slots=True)
class _Git:
    """A git runner bound to one repository that scrubs credentials from every error."""

    repo_dir: Path
    secrets: tuple[str, ...]
    env: Mapping[str, str]

    def redact(self, text: str) -> str:
        """Return ``text`` with every credential form and every known credential replaced."""
        return redact(text, self.secrets)

    def run(
        self,
        step: str,
        args: Sequence[str],
        *,
        stdin: bytes = b"",
        extra_env: Mapping[str, str] | None = None,
        ok_codes: tuple[int, ...] = (0,),
    ) -> tuple[int, str]:
        """Run ``git args`` and return (exit code, stdout); raise DeployError naming ``step``."""
        env = {**self.env, **(extra_env or {})}
        cmd = ["git", "-C", str(self.repo_dir), *args]
        try:
            proc = subprocess.run(
                cmd, input=stdin, capture_output=True, env=env, check=False
            )
        except OSError as exc:
            raise DeployError(self.redact(f"{step}: cannot run git: {exc}")) from None
        if proc.returncode not in ok_codes:
            detail = (
                proc.stderr.decode("utf-8", "replace").strip()
                or f"exit {proc.returncode}"
            )
            raise DeployError(self.redact(f"{step}: git {args[0]} failed: {detail}"))
        return proc.returncode, proc.stdout.decode("utf-8", "surrogateescape")

    def out(self, step: str, args: Sequence[str], **options: Any) -> str:
        """Run ``git args`` and return its stripped stdout; raise DeployError on failure."""
        return self.run(step, args, **options)[1].strip()


def redact_url(text: str) -> str:
    """Return ``text`` with every credential form replaced by ``***`` (see ``credentials.redact``)."""
    return redact(text)


def pages_url(remote_url: str | None, cname: str | None = None) -> str | None:
    """Return where GitHub Pages serves the site: the custom domain, else from a github.com URL."""
    if cname:
        return f"https://{cname.strip().lower()}/"
    match = _GITHUB.match(remote_url or "")
    if match is None:
        return None
    owner, repo = match["owner"].lower(), match["repo"]
    if repo.lower() == f"{owner}.github.io":
        return f"https://{owner}.github.io/"
    return f"https://{owner}.github.io/{repo}/"


# `timeline build` marks the folders it owns with this empty file; it is not part of the site.
BUILD_STAMP = ".timeline-output"


def scan_site(site_dir: Path) -> list[str]:
    """Return the site's file paths (POSIX, sorted); raise DeployError listing unsafe ones."""
    files: list[str] = []
    refused: list[str] = []
    for root, dirnames, filenames in os.walk(site_dir):
        base = Path(root).relative_to(site_dir)
        for name in sorted(dirnames):
            rel = (base / name).as_posix()
            reason = _refusal(rel, site_dir / rel, is_dir=True)
            if reason:
                # Report a refused folder once instead of every file inside it.
                refused.append(f"{rel}/ ({reason})")
                dirnames.remove(name)
        for name in filenames:
            rel = (base / name).as_posix()
            if rel == BUILD_STAMP:
                continue
            reason = _refusal(rel, site_dir / rel, is_dir=False)
            if reason:
                refused.append(f"{rel} ({reason})")
            else:
                files.append(rel)
    if refused:
        listing = "\n".join(f"  {item}" for item in sorted(refused))
        raise DeployError(
            f"refusing to publish these files from {site_dir}:\n{listing}"
        )
    if not files:
        raise DeployError(f"refusing to publish an empty site: {site_dir} has no files")
    return sorted(files)


def _refusal(rel: str, path: Path, *, is_dir: bool) -> str | None:
    """Return why the file or folder at ``rel`` must not be published, or None."""
    parts = rel.split("/")
    if ".git" in parts:
        return "git metadata"
    if _SECRET.fullmatch(parts[-1]) and not is_dir:
        return "looks like a secret"
    if (
        rel != NOJEKYLL
        and parts[0] != ".well-known"
        and any(p.startswith(".") for p in parts)
    ):
        return "dotfile"
    if any(ord(c) < 32 or c in "\\\x7f" for c in rel):
        return "unsafe file name"
    if path.is_symlink():
        return "symbolic link"
    if not is_dir and not path.is_file():
        return "not a regular file"
    return None


def _check_names(remote: str, branch: str, cname: str | None) -> None:
    """Raise DeployError for option-like or malformed names before git sees them."""
    if not remote or remote.startswith("-"):
        raise DeployError(f"invalid remote name: {redact(remote)!r}")
    if (
        not re.fullmatch(r"[A-Za-z0-9._/-]+", branch)
        or branch.startswith(("-", "/"))
        or ".." in branch
    ):
        raise DeployError(f"invalid branch name: {branch!r}")
    if cname is not None and not _HOSTNAME.fullmatch(cname.strip()):
        raise DeployError(
            f"invalid custom domain (cname) {cname!r}: give a host name like news.example.org"
        )


def _remote_urls(git: _Git, remote: str) -> list[str]:
    """Return the fetch and push URLs of ``remote`` (the remote itself when it is a URL)."""
    urls: list[str] = []
    for args in (
        ["remote", "get-url", "--all", remote],
        ["remote", "get-url", "--push", "--all", remote],
    ):
        code, out = git.run("check", args, ok_codes=(0, 2, 128))
        if code == 0:
            urls.extend(line for line in out.splitlines() if line)
    return urls or [remote]


def _credentials(urls: Sequence[str]) -> tuple[str, ...]:
    """Return passwords and tokens found in ``urls`` (user-info, secret query values), longest first."""
    found = set(url_credentials(urls))
    for url in urls:
        # user:password@ in paths that look like URLs without a scheme (a folder named so).
        for match in re.finditer(r"([^/@\s:]+):([^/@\s]+)@", url):
            found.update((match[0][:-1], match[2]))
    return tuple(sorted((c for c in found if len(c) >= 4), key=len, reverse=True))


def _commit_env(epoch: int | None) -> dict[str, str]:
    """Return author/committer dates from SOURCE_DATE_EPOCH, for reproducible commits."""
    if epoch is None:
        return {}
    stamp = f"{epoch} +0000"
    return {"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}


def _message(message: str | None, source: str | None, dirty: bool) -> str:
    """Return the commit message: subject, then trailers naming the source commit."""
    mark = "-dirty" if dirty else ""
    subject = (message or "").strip()
    subject = (
        subject or f"Deployed {source or 'no commit'}{mark} with timeline {__version__}"
    )
    trailers = [f"Source-commit: {source or 'none'}{mark}"]
    if dirty:
        trailers.append("Source-dirty: yes (the working tree had uncommitted changes)")
    trailers.append(f"{TRAILER_KEY}: {TRAILER_VALUE}")
    return f"{subject}\n\n" + "\n".join(trailers) + "\n"


def _private_ref(remote: str, branch: str) -> str:
    """Return the ref that holds the fetched remote tip, outside refs/heads and refs/remotes."""
    name = remote
    if not re.fullmatch(r"[A-Za-z0-9_-][A-Za-z0-9._-]*", remote):
        name = hashlib.sha256(remote.encode()).hexdigest()[:16]
    return f"refs/timeline/{name}/{branch}"


def _fetch_tip(git: _Git, remote: str, branch: str) -> str | None:
    """Fetch the remote pages branch into a private ref; return its tip, or None if absent."""
    head = f"refs/heads/{branch}"
    code, out = git.run(
        "fetch", ["ls-remote", "--exit-code", remote, head], ok_codes=(0, 2)
    )
    if code == 2 or not out.strip():
        return None
    ref = _private_ref(remote, branch)
    git.out(
        "fetch",
        ["fetch", "--no-tags", "--no-write-fetch-head", remote, f"+{head}:{ref}"],
    )
    return git.out("fetch", ["rev-parse", "--verify", f"{ref}^{{commit}}"])


def _record_refs(remote: str, branch: str) -> tuple[str, str]:
    """Return the local refs recording the last commit pushed, and the one being pushed now."""
    tail = _private_ref(remote, branch).removeprefix("refs/timeline/")
    return f"refs/timeline-published/{tail}", f"refs/timeline-pushing/{tail}"


def _recorded(git: _Git, ref: str) -> str | None:
    """Return the commit ``ref`` names, or None when it does not exist."""
    code, out = git.run("fetch", ["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], ok_codes=(0, 1))
    return out.strip() if code == 0 and out.strip() else None


def _foreign_commits(git: _Git, tip: str, remote: str, branch: str) -> list[str]:
    """Return the remote branch's commits that this repository did not push itself, newest first.

    Trust comes from the local record of what ``publish`` pushed (refs/timeline-published/...),
    never from the commits' messages: anyone who can push can write a ``Published-by:`` trailer.
    The ``refs/timeline-pushing/...`` record covers a run killed between push and record.
    """
    known = {c for ref in _record_refs(remote, branch) if (c := _recorded(git, ref))}
    if tip in known:
        return []
    exclude = [f"^{c}" for c in sorted(known)]
    listed = git.out("fetch", ["rev-list", "--first-parent", "--max-count=11", tip, *exclude, "--"]).split()
    # An ancestor of our record (the branch was rolled back by someone) is not ours to build on either.
    return listed or [tip]


def _record(git: _Git, ref: str, commit: str | None) -> None:
    """Point ``ref`` at ``commit``, or delete it when ``commit`` is None."""
    args = ["update-ref", ref, commit] if commit else ["update-ref", "-d", ref]
    git.out("record", args)


def _foreign_error(branch: str, remote: str, foreign: Sequence[str], first_here: bool) -> DeployError:
    shown = "".join(f"\n  {c}" for c in foreign[:10]) + ("\n  ..." if len(foreign) > 10 else "")
    why = (
        f"this repository has never published to {remote} {branch}, so it cannot tell them from its own "
        "(a first deploy from another clone); "
        if first_here
        else ""
    )
    return DeployError(
        f"remote {branch} has commits not published from this repository: {why}"
        f"check them (git log {_private_ref(remote, branch)}) and use --force to publish over them; "
        f"their history is kept{shown}"
    )


def scan_contents(site_dir: Path, files: Sequence[str], allow: Sequence[str] = ()) -> None:
    """Raise DeployError with ``path:line`` of every secret-looking token in the site's files.

    ``allow`` holds site-path globs (``deploy: allow_secrets:`` in site.yaml) left unscanned.
    """
    findings = []
    for rel in files:
        if allowed(rel, allow):
            continue
        try:
            data = (site_dir / rel).read_bytes()
        except OSError as exc:
            raise DeployError(f"scan: cannot read {rel}: {exc.strerror or exc}") from None
        findings += find_secrets(rel, data)
    if findings:
        listing = "".join(f"\n  {f.format()}" for f in findings[:_SHOWN])
        more = f"\n  ... and {len(findings) - _SHOWN} more" if len(findings) > _SHOWN else ""
        raise DeployError(
            f"refusing to publish: {len(findings)} place(s) in the site look like secrets; remove them, "
            f"or list deliberate files under 'deploy: allow_secrets:' in site.yaml{listing}{more}"
        )


def _write_tree(
    git: _Git, site_dir: Path, files: Sequence[str], cname: str | None
) -> tuple[str, list[str]]:
    """Store the site's files as blobs and return (tree id, published paths)."""
    paths = "".join(f"{(site_dir / rel).resolve()}\n" for rel in files)
    hash_args = ["hash-object", "-w", "--no-filters", "--stdin-paths"]
    shas = git.out(
        "hash", hash_args, stdin=paths.encode("utf-8", "surrogateescape")
    ).split()
    if len(shas) != len(files):
        raise DeployError(
            "hash: git hash-object returned an unexpected number of objects"
        )
    entries = dict(zip(files, shas, strict=True))
    entries[NOJEKYLL] = git.out("hash", ["hash-object", "-w", "--stdin"], stdin=b"")
    if cname:
        data = f"{cname.strip().lower()}\n".encode()
        entries["CNAME"] = git.out("hash", ["hash-object", "-w", "--stdin"], stdin=data)
    index_info = b"".join(
        f"{_FILE_MODE} {sha}\t{rel}\0".encode("utf-8", "surrogateescape")
        for rel, sha in sorted(entries.items())
    )
    with tempfile.TemporaryDirectory(prefix="timeline-deploy-") as tmp:
        # A private index file: the user's index is never read or written.
        env = {"GIT_INDEX_FILE": str(Path(tmp) / "index")}
        update = ["update-index", "--add", "-z", "--index-info"]
        git.out("tree", update, stdin=index_info, extra_env=env)
        tree = git.out("tree", ["write-tree"], extra_env=env)
    return tree, sorted(entries)


def _source_state(
    git: _Git, repo_dir: Path, allow_dirty: bool
) -> tuple[str | None, bool]:
    """Return (HEAD commit or None, dirty); refuse a dirty tree unless ``allow_dirty``."""
    code, inside = git.run(
        "check", ["rev-parse", "--is-inside-work-tree"], ok_codes=(0, 128)
    )
    if code != 0 or inside.strip() != "true":
        raise DeployError(f"check: not a git work tree: {repo_dir}")
    head_args = ["rev-parse", "--verify", "--quiet", "HEAD^{commit}"]
    code, head = git.run("check", head_args, ok_codes=(0, 1))
    # Not stripped: each porcelain line starts with two status columns, often " M" for the first.
    status = git.run("check", ["status", "--porcelain", "--untracked-files=normal"])[1]
    if status.strip() and not allow_dirty:
        changed = ", ".join(line[3:] for line in status.splitlines()[:10] if line.strip())
        raise DeployError(
            f"check: the working tree has uncommitted changes ({changed}); "
            "commit them or pass --allow-dirty"
        )
    return (head.strip() if code == 0 else None), bool(status.strip())


def publish(
    site_dir: Path,
    *,
    repo_dir: Path,
    remote: str = "origin",
    branch: str = "gh-pages",
    message: str | None = None,
    force: bool = False,
    no_history: bool = False,
    dry_run: bool = False,
    allow_dirty: bool = False,
    cname: str | None = None,
    allow_secrets: Sequence[str] = (),
    source_date_epoch: int | None = None,
    out: TextIO = sys.stderr,
) -> PublishReport:
    """Commit exactly ``site_dir`` (plus .nojekyll and CNAME) onto ``branch`` and push it.

    ``source_date_epoch`` (the build's ``SiteConfig.source_date_epoch``) dates the commit.
    """
    _check_names(remote, branch, cname)
    if not site_dir.is_dir():
        raise DeployError(f"site directory not found: {site_dir}")
    if not repo_dir.is_dir():
        raise DeployError(f"check: not a git work tree: {repo_dir}")
    # GIT_OPTIONAL_LOCKS=0 stops `git status` refreshing (writing) the user's index.
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "GIT_TERMINAL_PROMPT": "0"}
    env.pop("GIT_INDEX_FILE", None)
    files = scan_site(site_dir)
    scan_contents(site_dir, files, allow_secrets)
    urls = _remote_urls(_Git(repo_dir, (), env), remote)
    git = _Git(repo_dir, _credentials([*urls, remote]), env)
    source, dirty = _source_state(git, repo_dir, allow_dirty)

    def say(text: str) -> None:
        print(git.redact(text), file=out)

    target = f"{remote} {branch}" + (f" ({urls[0]})" if urls[0] != remote else "")
    tip = _fetch_tip(git, remote, branch)
    foreign = _foreign_commits(git, tip, remote, branch) if tip is not None and not force else []
    if foreign:
        first_here = not any(_recorded(git, ref) for ref in _record_refs(remote, branch))
        raise DeployError(git.redact(str(_foreign_error(branch, remote, foreign, first_here))))
    published_ref, pushing_ref = _record_refs(remote, branch)
    tree, published = _write_tree(git, site_dir, files, cname)
    url = pages_url(urls[0], cname)
    if dry_run:
        say(f"dry run: would publish {len(published)} files to {target}")
        say(
            "".join(f"  {rel}\n" for rel in published)
            + (f"site URL: {url}" if url else "")
        )
        return PublishReport(None, tuple(published), url, False)

    if tip is not None and git.out("tree", ["rev-parse", f"{tip}^{{tree}}"]) == tree:
        parents = git.out("tree", ["rev-list", "--parents", "-n", "1", tip]).split()[1:]
        if not no_history or not parents:
            # The tip is ours, or --force accepted it: either way it is what this site publishes.
            _record(git, published_ref, tip)
            say(f"nothing changed: {target} already holds this site")
            return PublishReport(None, tuple(published), url, False)

    parent_args = [] if no_history or tip is None else ["-p", tip]
    text = _message(message, source, dirty).encode()
    commit_args = ["commit-tree", tree, *parent_args]
    commit = git.out("commit", commit_args, stdin=text, extra_env=_commit_env(source_date_epoch))
    push = ["push", "--porcelain"]
    if no_history or force:
        # The lease refuses to clobber anything pushed since our fetch.
        push.append(f"--force-with-lease=refs/heads/{branch}:{tip or ''}")
    _record(git, pushing_ref, commit)
    git.out("push", [*push, remote, f"{commit}:refs/heads/{branch}"])
    git.out("push", ["update-ref", _private_ref(remote, branch), commit])
    _record(git, published_ref, commit)
    _record(git, pushing_ref, None)
    say(f"published {commit[:12]} ({len(published)} files) to {target}")
    if url:
        say(f"the site will be at {url}")
    # Branch pushes are ignored while Pages is set to build from GitHub Actions.
    say(
        f"GitHub Settings > Pages > Source must be 'Deploy from a branch', branch {branch}"
    )
    return PublishReport(commit, tuple(published), url, True)
