"""Publishing from a user's own repository, as a user does it, with the wheel that a release uploads.

The sdist and the wheel are built once (``python -m build``: the wheel is made from the sdist), and
installed into fresh virtual environments outside this repository. A site scaffolded into its own git
repository then runs its ``.github/workflows/pages.yml`` on an emulated runner: each ``run:`` step in
order, pip pointed at the wheel instead of PyPI, and the actions replaced by their documented effect
(configure-pages gives the Pages URL, actions/cache restores and saves folders by key, and
upload-pages-artifact makes the tar that deploy-pages serves under ``/<repo>/``). The served
artifact is crawled over HTTP and loaded in Chromium.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import glob
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pytest
import yaml

from tests.integration.sitecrawl import crawl, fetch, serve_pages, tree_digest
from timeline import __version__

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
USER, NAME = "octo", "mysite"
PAGES_URL = f"https://{USER}.github.io/{NAME}"
DOMAIN = "news.example.org"
EXPRESSION = re.compile(r"\$\{\{\s*(.+?)\s*\}\}")
# What a source tree holds besides the source (python -m build copies what the sdist needs from it).
_NOT_SOURCE_ANYWHERE = shutil.ignore_patterns(
    ".git", ".venv", "_site", ".timeline-cache", "__pycache__", "*.egg-info",
    ".mypy_cache", ".ruff_cache", ".pytest_cache", ".hypothesis", "test-artifacts",
)  # fmt: skip
_NOT_SOURCE_AT_TOP = {"build", "dist"}  # the build's own folders; timeline/build/ is source


def NOT_SOURCE(folder: str, names: list[str]) -> set[str]:  # noqa: N802 - used as shutil's ignore=
    """Return the names in ``folder`` that are not source (shutil.copytree's ``ignore``)."""
    skipped = set(_NOT_SOURCE_ANYWHERE(folder, names))
    if Path(folder).resolve() == REPO:
        skipped |= _NOT_SOURCE_AT_TOP & set(names)
    return skipped


def run(cmd: list[str | Path], *, cwd: Path, env: dict[str, str] | None = None, ok: bool = True) -> str:
    """Run ``cmd``; return stdout and stderr together; with ``ok``, fail the test on a non-zero exit."""
    done = subprocess.run(
        [str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    output = done.stdout + done.stderr
    if ok:
        assert done.returncode == 0, f"{cmd} exited {done.returncode}:\n{output}"
    return output


def git_env(home: Path) -> dict[str, str]:
    """Return a small environment, as on a fresh machine: no user pip or git configuration, a fixed identity."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Octo Cat",
        "GIT_AUTHOR_EMAIL": "octo@example.org",
        "GIT_COMMITTER_NAME": "Octo Cat",
        "GIT_COMMITTER_EMAIL": "octo@example.org",
    }


@dataclasses.dataclass(frozen=True)
class Tools:
    """The release artifacts, the wheels they need, and a fresh venv with the wheel installed."""

    sdist: Path
    wheel: Path
    wheelhouse: Path
    python: Path
    """A venv made for the workflow's setup-python step; its install step put timeline in it."""
    home: Path

    def env(self) -> dict[str, str]:
        """Return the environment of a command run with this venv first on PATH, pip offline."""
        env = git_env(self.home)
        env["PATH"] = f"{self.python / 'bin'}{os.pathsep}{env['PATH']}"
        # pip on the emulated runner: only the wheels built here, no index, no machine configuration.
        env.update(
            PIP_NO_INDEX="1",
            PIP_FIND_LINKS=str(self.wheelhouse),
            PIP_CONFIG_FILE=os.devnull,
            PIP_DISABLE_PIP_VERSION_CHECK="1",
        )
        return env

    def timeline(self, *args: str | Path, cwd: Path, ok: bool = True) -> str:
        """Run the installed ``timeline`` command."""
        return run([self.python / "bin" / "timeline", *args], cwd=cwd, env=self.env(), ok=ok)


@pytest.fixture(scope="session")
def dist(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Return the sdist and the wheel: those in $TIMELINE_DIST (the release workflow's), or built here."""
    folder = Path(os.environ["TIMELINE_DIST"]) if os.environ.get("TIMELINE_DIST") else None
    if folder is None:
        base = tmp_path_factory.mktemp("dist")
        # Built from a copy, so that the build's egg-info and build/ folders never land in the checkout.
        source = base / "source"
        shutil.copytree(REPO, source, ignore=NOT_SOURCE, symlinks=True)
        folder = base / "dist"
        run([sys.executable, "-m", "build", "--outdir", folder, source], cwd=base)
    (sdist,) = folder.glob("cited_timeline-*.tar.gz")
    (wheel,) = folder.glob("cited_timeline-*-py3-none-any.whl")
    return sdist, wheel


@pytest.fixture(scope="session")
def site_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a scaffolded site, committed in a git repository of its own, outside this one."""
    base = tmp_path_factory.mktemp("user")
    site = base / NAME
    env = git_env(base)
    run([sys.executable, "-m", "timeline", "new", "site", site], cwd=base, env=env)
    run(["git", "init", "-q", "-b", "main"], cwd=site, env=env)
    run(["git", "add", "-A"], cwd=site, env=env)
    run(["git", "commit", "-qm", "New timeline"], cwd=site, env=env)
    return site


# --- an emulated GitHub runner ---------------------------------------------------------------


@dataclasses.dataclass
class Runner:
    """What the Pages workflow's steps can see of a GitHub-hosted runner, and the repository's caches."""

    tools_dir: Path
    wheelhouse: Path
    python: Path | None = None
    caches: dict[str, Path] = dataclasses.field(default_factory=dict)
    """actions/cache entries by key, oldest first."""


@dataclasses.dataclass
class Job:
    """What one run of the build job did."""

    ok: bool
    logs: dict[str, str]
    """Output of each step, by name."""
    artifact: Path | None
    restored: str | None
    """The cache key restored, if any."""


def hash_files(workspace: Path, patterns: list[str]) -> str:
    """Return hashFiles(): one digest of every file the patterns match (empty when none does)."""
    files = sorted(
        {
            name
            for pattern in patterns
            for name in glob.glob(pattern, root_dir=workspace, recursive=True)
            if (workspace / name).is_file()
        }
    )
    if not files:
        return ""
    digest = hashlib.sha256()
    for name in files:
        digest.update(hashlib.sha256((workspace / name).read_bytes()).digest())
    return digest.hexdigest()


def evaluate(text: str, env: dict[str, str], outputs: dict[str, dict[str, str]], workspace: Path) -> str:
    """Expand every ``${{ }}`` the Pages workflow uses; fail on any other, so a new one is noticed."""

    def one(match: re.Match[str]) -> str:
        expression = match[1]
        if found := re.fullmatch(r"env\.(\w+)", expression):
            return env[found[1]]
        if found := re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expression):
            return outputs[found[1]][found[2]]
        if found := re.fullmatch(r"hashFiles\((.*)\)", expression):
            return hash_files(workspace, re.findall(r"'([^']*)'", found[1]))
        if expression == "runner.os":
            return "Linux"
        raise AssertionError(f"the emulated runner does not know ${{{{ {expression} }}}}")

    return EXPRESSION.sub(one, text)


def read_outputs(path: Path) -> dict[str, str]:
    """Return the ``name=value`` (and ``name<<EOF``) lines a step wrote to $GITHUB_OUTPUT."""
    found: dict[str, str] = {}
    lines = iter(path.read_text(encoding="utf-8").splitlines()) if path.exists() else iter(())
    for line in lines:
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            found[name] = "\n".join(iter(lambda: next(lines), delimiter))
        elif "=" in line:
            name, value = line.split("=", 1)
            found[name] = value
    return found


def run_build_job(runner: Runner, site_repo: Path, pages_url: str) -> Job:
    """Run the build job of the site's pages.yml as GitHub would, and return what it did."""
    workflow = yaml.safe_load((site_repo / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8"))
    job = workflow["jobs"]["build"]
    # Always the same path, as on GitHub (/home/runner/work/<repo>/<repo>), with a fresh checkout.
    workspace = runner.tools_dir / "work" / NAME / NAME
    temp = runner.tools_dir / "runner-temp"
    for folder in (workspace, temp):
        shutil.rmtree(folder, ignore_errors=True)
    temp.mkdir(parents=True)
    home = runner.tools_dir / "home"
    home.mkdir(exist_ok=True)
    env: dict[str, str] = {
        **git_env(home),
        "GITHUB_ACTIONS": "true",
        "GITHUB_WORKSPACE": str(workspace),
        "RUNNER_TEMP": str(temp),
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": str(runner.wheelhouse),
        "PIP_CONFIG_FILE": os.devnull,
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        **{k: str(v) for k, v in workflow.get("env", {}).items()},
    }
    outputs: dict[str, dict[str, str]] = {}
    logs: dict[str, str] = {}
    artifact: Path | None = None
    restored: str | None = None
    to_save: tuple[str, list[str]] | None = None
    for number, step in enumerate(job["steps"]):
        name = step.get("name", f"step {number}")
        action = str(step.get("uses", "")).split("@")[0]
        given = {k: evaluate(str(v), env, outputs, workspace) for k, v in step.get("with", {}).items()}
        if action == "actions/checkout":
            run(["git", "clone", "-q", site_repo, workspace], cwd=runner.tools_dir, env=env)
        elif action == "actions/setup-python":
            assert given["python-version"] == "3.11"
            # A fresh venv the first time; later runs reuse it (its install step then finds timeline there).
            if runner.python is None:
                runner.python = runner.tools_dir / "python"
                run([sys.executable, "-m", "venv", runner.python], cwd=runner.tools_dir)
            env["PATH"] = f"{runner.python / 'bin'}{os.pathsep}{env['PATH']}"
        elif action == "actions/configure-pages":
            # Its documented outputs: base_url has no trailing slash ("https://octocat.github.io/my-repo").
            outputs[step["id"]] = {"base_url": pages_url}
        elif action == "actions/cache":
            key = given["key"]
            prefixes = [p.strip() for p in given.get("restore-keys", "").splitlines() if p.strip()]
            paths = [p.strip() for p in given["path"].splitlines() if p.strip()]
            # An exact key first, else the newest entry whose key starts with a restore key.
            restored = key if key in runner.caches else None
            for saved in reversed(runner.caches):
                if restored is None and any(saved.startswith(prefix) for prefix in prefixes):
                    restored = saved
            if restored is not None:
                shutil.copytree(runner.caches[restored], workspace, dirs_exist_ok=True, symlinks=True)
            if key not in runner.caches:
                to_save = (key, paths)  # saved after the job, only if it succeeds
        elif action == "actions/upload-pages-artifact":
            # The action's own archive command (Linux): no dotfiles, no .git or .github.
            artifact = temp / "artifact.tar"
            command = ["tar", "--dereference", "--hard-dereference", "--directory", given["path"], "-cf", artifact]
            run([*command, "--exclude=.git", "--exclude=.github", "--exclude=.[^/]*", "."], cwd=workspace)
        elif "run" in step:
            output_file = temp / f"output-{number}"
            step_env = {**env, "GITHUB_OUTPUT": str(output_file)}
            step_env.update({k: evaluate(str(v), env, outputs, workspace) for k, v in step.get("env", {}).items()})
            script = evaluate(step["run"], env, outputs, workspace)
            done = subprocess.run(
                ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
                cwd=workspace,
                env=step_env,
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
            )
            logs[name] = done.stdout + done.stderr
            if done.returncode != 0:
                return Job(False, logs, None, restored)
            if "id" in step:
                outputs[step["id"]] = read_outputs(output_file)
        else:
            raise AssertionError(f"the emulated runner does not know {step}")
    if to_save is not None:
        key, paths = to_save
        entry = runner.tools_dir / "caches" / hashlib.sha256(key.encode()).hexdigest()[:16]
        for rel in paths:
            if (workspace / rel).exists():
                shutil.copytree(workspace / rel, entry / rel, symlinks=True)
        runner.caches[key] = entry
    return Job(True, logs, artifact, restored)


def deploy_artifact(artifact: Path, served: Path, site_path: str) -> Path:
    """Do what deploy-pages does with the artifact: serve its files at ``site_path``; return that folder."""
    root = served / site_path.strip("/")
    shutil.rmtree(served, ignore_errors=True)
    root.mkdir(parents=True)
    with tarfile.open(artifact) as tar:
        tar.extractall(root, filter="data")
    return root


@pytest.fixture(scope="session")
def runner(tmp_path_factory: pytest.TempPathFactory, dist: tuple[Path, Path]) -> Runner:
    """Return an emulated runner whose pip finds the built wheel and its dependencies, and nothing else."""
    base = tmp_path_factory.mktemp("runner")
    wheelhouse = base / "wheelhouse"
    # The dependencies come from the machine's usual index; the workflow's pip sees only this folder.
    run([sys.executable, "-m", "pip", "download", "-q", "-d", wheelhouse, dist[1]], cwd=base)
    assert (wheelhouse / dist[1].name).is_file()
    return Runner(base, wheelhouse)


@pytest.fixture(scope="session")
def first_run(runner: Runner, site_repo: Path) -> Job:
    """Run the scaffolded workflow once, on a fresh runner with an empty cache."""
    job = run_build_job(runner, site_repo, PAGES_URL)
    assert job.ok, job.logs
    return job


@pytest.fixture(scope="session")
def tools(runner: Runner, first_run: Job, dist: tuple[Path, Path]) -> Tools:
    """Return the venv the workflow's install step put the wheel into."""
    assert runner.python is not None
    return Tools(dist[0], dist[1], runner.wheelhouse, runner.python, runner.tools_dir / "home")


@pytest.fixture(scope="session")
def published(runner: Runner, first_run: Job) -> Iterator[tuple[str, Path]]:
    """Serve the first run's artifact under /mysite/ as Pages would; yield the origin and the folder."""
    assert first_run.artifact is not None
    served = runner.tools_dir / "served"
    root = deploy_artifact(first_run.artifact, served, f"/{NAME}/")
    with serve_pages(served, f"/{NAME}/") as origin:
        yield origin, root


# --- the workflow -----------------------------------------------------------------------------


def test_the_workflow_installs_exactly_the_built_release(first_run: Job, tools: Tools) -> None:
    log = first_run.logs["Install timeline"]
    assert "Successfully installed" in log and f"cited-timeline-{__version__}" in log
    assert tools.timeline("--version", cwd=tools.home).strip() == f"timeline {__version__}"
    # The build ran the installed release, not this checkout.
    where = run([tools.python / "bin" / "python", "-c", "import timeline; print(timeline.__file__)"], cwd=tools.home)
    assert Path(where.strip()).is_relative_to(tools.python)


def test_the_artifact_works_under_the_repository_path(published: tuple[str, Path]) -> None:
    origin, root = published
    result = crawl(f"{origin}/{NAME}/", origin)
    assert result.broken == ()
    assert result.missing_anchors == ()
    assert len(result.pages) > 25
    assert all(page.startswith(f"{origin}/{NAME}/") for page in result.pages)
    index = lxml.html.fromstring((root / "index.html").read_bytes())
    assert index.xpath("//link[@rel='canonical']/@href") == [f"{PAGES_URL}/"]
    assert f"<loc>{PAGES_URL}/events/" in (root / "sitemap.xml").read_text(encoding="utf-8")
    # A miss at any depth gets the site's own 404 page, whose links all work.
    status, body = fetch(f"{origin}/{NAME}/no/such/page/")
    assert status == 404 and b'rel="icon"' in body


def load_in_chromium(urls: list[str]) -> tuple[list[str], list[str]]:
    """Open each URL in headless Chromium; return every request the pages made, and those that failed."""
    from playwright.sync_api import sync_playwright

    requests: list[str] = []
    failed: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("TIMELINE_CHROMIUM", "/usr/bin/chromium"),
            args=["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            page = browser.new_page()
            page.on("request", lambda request: requests.append(request.url))
            page.on("requestfailed", lambda request: failed.append(request.url))
            for url in urls:
                page.goto(url, wait_until="networkidle")
        finally:
            browser.close()
    return requests, failed


@pytest.mark.browser
def test_a_browser_requests_nothing_outside_the_site(published: tuple[str, Path]) -> None:
    origin, _ = published
    paths = ("", "events/council-closes-old-bridge/", "tags/", "sources/", "no/such/page/")
    # In a thread of its own: the browser tests' session may hold a Playwright loop in this one.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        requests, failed = pool.submit(load_in_chromium, [f"{origin}/{NAME}/{p}" for p in paths]).result()
    outside = [url for url in requests if not url.startswith(f"{origin}/{NAME}/")]
    assert outside == []
    assert failed == []
    # The pages did load their theme (so there was something to check), all of it from the site.
    assert f"{origin}/{NAME}/assets/style.css" in requests


def test_a_second_run_restores_the_cache_and_keeps_unchanged_pages(
    runner: Runner, site_repo: Path, first_run: Job, tools: Tools, tmp_path: Path
) -> None:
    event = site_repo / "content" / "events" / "old-bridge-reopens.yaml"
    event.write_text(event.read_text(encoding="utf-8").replace("reopens to traffic", "reopens to cars"), "utf-8")
    env = git_env(tmp_path)
    run(["git", "commit", "-qam", "Edit one event"], cwd=site_repo, env=env)
    second = run_build_job(runner, site_repo, PAGES_URL)
    assert second.ok, second.logs
    # Not the first run's key (the inputs changed), but its entry, found by the restore key.
    assert second.restored is not None and second.restored in runner.caches
    assert re.search(r"\(\d+ rendered, (?:\d+ copied, )?[1-9]\d* unchanged\)", second.logs["Build the site"])
    assert second.artifact is not None
    warm = deploy_artifact(second.artifact, tmp_path / "warm", "/")
    # Byte for byte what a cold build of the same commit gives.
    clone = tmp_path / "clone"
    run(["git", "clone", "-q", site_repo, clone], cwd=tmp_path, env=env)
    tools.timeline("build", "--publish", "--no-cache", "--base-url", PAGES_URL, "-o", tmp_path / "cold", cwd=clone)
    cold = {k: v for k, v in tree_digest(tmp_path / "cold").items() if not k.startswith(".")}
    assert tree_digest(warm) == cold
    assert "reopens to cars" in (warm / "events" / "old-bridge-reopens" / "index.html").read_text(encoding="utf-8")


def with_cname(site_repo: Path, target: Path, base_url: str | None) -> Path:
    """Return a copy of the site repository with ``cname:`` set, and ``base_url`` as given (None: deleted)."""
    env = git_env(target.parent)
    run(["git", "clone", "-q", site_repo, target], cwd=target.parent, env=env)
    config = target / "site.yaml"
    text = config.read_text(encoding="utf-8").replace(f"# cname: {DOMAIN}", f"cname: {DOMAIN}")
    line = f"base_url: https://example.github.io/{NAME}/\n"
    assert line in text
    config.write_text(text.replace(line, f"base_url: {base_url}\n" if base_url else ""), encoding="utf-8")
    run(["git", "commit", "-qam", "Custom domain"], cwd=target, env=env)
    run(["git", "remote", "remove", "origin"], cwd=target, env=env)
    return target


def test_the_workflow_with_a_custom_domain(runner: Runner, site_repo: Path, first_run: Job, tmp_path: Path) -> None:
    site = with_cname(site_repo, tmp_path / "cname-site", None)
    # Another repository: its own caches, the same runner image.
    runner = Runner(tmp_path, runner.wheelhouse, runner.python)
    # Settings > Pages has the custom domain: configure-pages gives its address, and links are at the root.
    job = run_build_job(runner, site, f"https://{DOMAIN}")
    assert job.ok, job.logs
    assert job.artifact is not None
    served = tmp_path / "served"
    root = deploy_artifact(job.artifact, served, "/")
    with serve_pages(served) as origin:
        result = crawl(f"{origin}/", origin)
    assert result.broken == () and result.missing_anchors == ()
    assert len(result.pages) > 25
    assert f"Sitemap: https://{DOMAIN}/sitemap.xml" in (root / "robots.txt").read_text(encoding="utf-8")
    # Not set there: the github.io address would break every link at the domain, so the build stops.
    job = run_build_job(runner, site, PAGES_URL)
    assert not job.ok and job.artifact is None
    log = job.logs["Build the site"]
    assert re.search(rf"site\.yaml:\d+:\d+: error: --base-url {PAGES_URL}/ disagrees with cname '{DOMAIN}'", log)
    assert "Settings > Pages" in log


# --- timeline deploy, with the installed tool -----------------------------------------------------


def bare_remote(site: Path, tmp_path: Path) -> Path:
    """Give ``site`` an empty bare repository as its origin; return it."""
    remote = tmp_path / "remote.git"
    env = git_env(tmp_path)
    run(["git", "init", "-q", "--bare", remote], cwd=tmp_path, env=env)
    run(["git", "remote", "add", "origin", remote], cwd=site, env=env)
    return remote


def checkout_pages(remote: Path, target: Path) -> Path:
    """Extract the gh-pages tree of ``remote`` into ``target``."""
    archive = target.parent / f"{target.name}.tar"
    run(["git", "--git-dir", remote, "archive", "-o", archive, "gh-pages"], cwd=target.parent)
    target.mkdir()
    with tarfile.open(archive) as tar:
        tar.extractall(target, filter="data")
    return target


def test_deploy_with_a_custom_domain_serves_at_the_root(
    tools: Tools, site_repo: Path, tmp_path: Path
) -> None:
    site = with_cname(site_repo, tmp_path / "site", None)
    remote = bare_remote(site, tmp_path)
    log = tools.timeline("deploy", cwd=site)
    assert f"https://{DOMAIN}/" in log
    served = checkout_pages(remote, tmp_path / "served")
    assert (served / "CNAME").read_text(encoding="utf-8") == f"{DOMAIN}\n"
    with serve_pages(served) as origin:
        result = crawl(f"{origin}/", origin)
    assert result.broken == () and result.missing_anchors == ()
    assert len(result.pages) > 25
    index = lxml.html.fromstring((served / "index.html").read_bytes())
    assert index.xpath("//link[@rel='canonical']/@href") == [f"https://{DOMAIN}/"]


def test_deploy_refuses_a_base_url_that_disagrees_with_the_cname(
    tools: Tools, site_repo: Path, tmp_path: Path
) -> None:
    site = with_cname(site_repo, tmp_path / "site", f"https://example.github.io/{NAME}/")
    remote = bare_remote(site, tmp_path)
    log = tools.timeline("deploy", cwd=site, ok=False)
    lines = (site / "site.yaml").read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, 1) if text.startswith("base_url:"))
    cname_line = next(n for n, text in enumerate(lines, 1) if text.startswith("cname:"))
    assert (
        f"site.yaml:{line}:11: error: base_url https://example.github.io/{NAME}/ disagrees with cname "
        f"'{DOMAIN}' (line {cname_line})"
    ) in log
    assert "delete base_url or set it to https://news.example.org/" in log
    assert run(["git", "--git-dir", remote, "branch", "--list"], cwd=tmp_path) == ""


def test_new_site_new_event_deploy_publishes_without_a_flag(tools: Tools, tmp_path: Path) -> None:
    env = tools.env()
    tools.timeline("new", "site", "mysite", cwd=tmp_path)
    site = tmp_path / "mysite"
    run(["git", "init", "-q", "-b", "main"], cwd=site, env=env)
    run(["git", "add", "-A"], cwd=site, env=env)
    run(["git", "commit", "-qm", "New timeline"], cwd=site, env=env)
    event = Path(tools.timeline("new", "event", "Repairs begin", "--date", "2021-04-12", cwd=site).split()[0])
    run(["git", "add", "-A"], cwd=site, env=env)
    run(["git", "commit", "-qm", "New event"], cwd=site, env=env)
    remote = bare_remote(site, tmp_path)
    log = tools.timeline("deploy", cwd=site)
    assert "warning" not in log and "published" in log
    tree = run(["git", "--git-dir", remote, "ls-tree", "-r", "--name-only", "gh-pages"], cwd=tmp_path).split()
    assert "events/council-closes-old-bridge/index.html" in tree
    # The new event is a draft until it has a source; the template says how to finish it.
    assert (site / event).read_text(encoding="utf-8").startswith("# A new event")
    assert "events/repairs-begin/index.html" not in tree


# --- the installed release ----------------------------------------------------------------------


def test_the_release_carries_the_theme_and_the_format_reference(tools: Tools) -> None:
    with zipfile.ZipFile(tools.wheel) as wheel:
        names = set(wheel.namelist())
    theme = "timeline/_themes/default/"
    for name in ("timeline/_docs/format.md", f"{theme}templates/base.html", f"{theme}static/favicon.svg"):
        assert name in names
    # Every language's UI strings, as the checkout has them.
    strings = sorted(p.name for p in (REPO / "themes" / "default" / "strings").glob("*.yaml"))
    assert "en.yaml" in strings and {f"{theme}strings/{name}" for name in strings} <= names
    with tarfile.open(tools.sdist) as sdist:
        inside = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    assert {"docs/format.md", "themes/default/templates/base.html", "pyproject.toml"} <= inside
    assert {f"themes/default/strings/{name}" for name in strings} <= inside
    with zipfile.ZipFile(tools.wheel) as wheel:
        metadata = wheel.read(f"cited_timeline-{__version__}.dist-info/METADATA").decode()
    assert "Name: cited-timeline" in metadata and f"Version: {__version__}" in metadata


def test_the_installed_tool_prints_the_format_reference(tools: Tools, tmp_path: Path) -> None:
    assert tools.timeline("help", "format", cwd=tmp_path) == (REPO / "docs" / "format.md").read_text(encoding="utf-8")


def test_the_installed_tool_builds_the_example_and_a_scaffolded_site(tools: Tools, tmp_path: Path) -> None:
    example = tmp_path / "example"
    example.mkdir()
    shutil.copy(REPO / "site.yaml", example / "site.yaml")
    shutil.copytree(REPO / "content", example / "content")
    log = tools.timeline("build", "--publish", "--no-cache", cwd=example)
    assert "warning" not in log
    assert (example / "_site" / "assets" / "favicon.svg").is_file()
    assert len(list((example / "_site" / "events").iterdir())) > 5
    tools.timeline("new", "site", "fresh", cwd=tmp_path)
    log = tools.timeline("build", "--publish", cwd=tmp_path / "fresh")
    assert "warning" not in log and (tmp_path / "fresh" / "_site" / "index.html").is_file()
    # The UI strings come from the installed theme's files: Indonesian ones for an Indonesian site.
    config = example / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("language: en", "language: id"), encoding="utf-8")
    tools.timeline("build", "--no-cache", "-o", tmp_path / "id", cwd=example)
    assert ">Linimasa</a>" in (tmp_path / "id" / "index.html").read_text(encoding="utf-8")
