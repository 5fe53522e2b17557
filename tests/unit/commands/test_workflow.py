"""Tests for the GitHub Pages workflow: the scaffolded one, and this repository's copy of it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from timeline import __version__
from timeline.commands.scaffold import DISTRIBUTION, WORKFLOW

REPO = Path(__file__).resolve().parents[3]
WORKFLOW_FILE = REPO / ".github" / "workflows" / "pages.yml"

# Where this repository's workflow may differ from the scaffolded one, and nowhere else: it builds
# its example with the checked-out code (not a release), so it installs `.` and keys its cache on that code.
REPOSITORY_DIFFERENCES = [
    (
        """\
  # The release of timeline that builds this site (https://pypi.org/project/cited-timeline/): the
  # one that scaffolded it. To upgrade, run `pip install -U cited-timeline` and `timeline build
  # --publish` on your machine, then put the new `timeline --version` here.
  TIMELINE_VERSION: "<version>"
""".replace("<version>", __version__),
        """\
  # This repository is timeline itself: its example site is built with the checked-out code, not
  # with a release, so the build cache is keyed on that code as well.
  TIMELINE_VERSION: checkout
""",
    ),
    ('run: pip install "cited-timeline==${TIMELINE_VERSION}"\n', "run: pip install .\n"),
    (
        "-${{ env.TIMELINE_VERSION }}-${{ hashFiles('site.yaml'",
        "-${{ env.TIMELINE_VERSION }}-${{ hashFiles('timeline/**', 'pyproject.toml') }}-${{ hashFiles('site.yaml'",
    ),
    (
        "restore-keys: timeline-${{ env.TIMELINE_VERSION }}-\n",
        "restore-keys: timeline-${{ env.TIMELINE_VERSION }}-"
        "${{ hashFiles('timeline/**', 'pyproject.toml') }}-\n",
    ),
]


def parse(text: str) -> dict[Any, Any]:
    """Return a workflow as yaml.safe_load reads it."""
    data = yaml.safe_load(text)
    assert isinstance(data, dict)
    return data


def uses(step: dict[str, Any]) -> str:
    """Return the action a step uses, without its version."""
    return str(step.get("uses", "")).split("@")[0]


def step(steps: list[dict[str, Any]], action: str) -> dict[str, Any]:
    """Return the one step that uses ``action``."""
    (found,) = [s for s in steps if uses(s) == action]
    return found


def test_the_repository_copy_differs_only_where_it_must() -> None:
    expected = WORKFLOW
    for scaffolded, repository in REPOSITORY_DIFFERENCES:
        assert expected.count(scaffolded) == 1, scaffolded
        expected = expected.replace(scaffolded, repository)
    assert WORKFLOW_FILE.read_bytes() == expected.encode("utf-8")


def test_triggers_permissions_and_concurrency() -> None:
    data = parse(WORKFLOW)
    # YAML 1.1 (PyYAML) reads the bare key `on` as the boolean True.
    triggers: dict[str, Any] = data["on"] if "on" in data else data[True]
    assert triggers["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in triggers
    assert data["permissions"] == {}
    assert data["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    jobs = data["jobs"]
    # Only the job that deploys may write to Pages or ask for an OIDC token; the build only reads.
    assert jobs["build"]["permissions"] == {"contents": "read", "pages": "read"}
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}


def test_it_installs_exactly_the_release_that_scaffolded_it() -> None:
    data = parse(WORKFLOW)
    assert data["env"]["TIMELINE_VERSION"] == __version__
    install = next(s for s in data["jobs"]["build"]["steps"] if s.get("name") == "Install timeline")
    assert install["run"] == f'pip install "{DISTRIBUTION}==${{TIMELINE_VERSION}}"'
    # The comment above the pin says how to upgrade.
    assert "To upgrade" in WORKFLOW.split("TIMELINE_VERSION:")[0].rsplit("env:", 1)[1]


def test_build_job_steps_in_order() -> None:
    steps = parse(WORKFLOW)["jobs"]["build"]["steps"]
    order = [uses(s) or s["run"].split()[0] for s in steps]
    assert order == [
        "actions/checkout",
        "actions/setup-python",
        "pip",
        "actions/configure-pages",
        "actions/cache",
        "timeline",
        "actions/upload-pages-artifact",
    ]
    assert step(steps, "actions/configure-pages")["id"] == "pages"
    # No token left in .git/config for later steps to leak (ArtiPACKED).
    assert step(steps, "actions/checkout")["with"]["persist-credentials"] is False


def test_the_build_uses_the_pages_address_and_passes_its_output_folder_on() -> None:
    steps = parse(WORKFLOW)["jobs"]["build"]["steps"]
    build = next(s for s in steps if "timeline build" in s.get("run", ""))
    assert build["id"] == "build"
    assert build["run"] == 'timeline build --publish --base-url "$PAGES_URL"'
    assert build["env"] == {"PAGES_URL": "${{ steps.pages.outputs.base_url }}"}
    upload = step(steps, "actions/upload-pages-artifact")
    assert upload["with"]["path"] == "${{ steps.build.outputs.folder }}"


def test_no_expression_is_pasted_into_a_script() -> None:
    # ${{ }} in `run:` is expanded before the shell parses it; values go through `env:` instead.
    for job in parse(WORKFLOW)["jobs"].values():
        for item in job["steps"]:
            assert "${{" not in item.get("run", "")


def test_the_build_cache_is_keyed_on_the_release_and_the_inputs() -> None:
    steps = parse(WORKFLOW)["jobs"]["build"]["steps"]
    cache = step(steps, "actions/cache")["with"]
    # The output folder of a scaffolded site (site.yaml: output: _site) comes back too, so that
    # unchanged pages are kept rather than rendered again.
    assert cache["path"].split() == [".timeline-cache", "_site"]
    assert "${{ env.TIMELINE_VERSION }}" in cache["key"]
    assert re.search(r"hashFiles\('site.yaml', 'content/\*\*', 'themes/\*\*'\)", cache["key"])
    assert cache["key"].startswith(cache["restore-keys"])
    assert "hashFiles" not in cache["restore-keys"]


def test_deploy_job() -> None:
    deploy = parse(WORKFLOW)["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert [uses(s) for s in deploy["steps"]] == ["actions/deploy-pages"]
    assert deploy["steps"][0]["id"] == "deployment"
    assert deploy["environment"]["url"] == "${{ steps.deployment.outputs.page_url }}"


def test_every_action_is_pinned_to_a_major_version() -> None:
    for text in (WORKFLOW, WORKFLOW_FILE.read_text(encoding="utf-8")):
        for job in parse(text)["jobs"].values():
            for item in job["steps"]:
                if "uses" in item:
                    assert re.fullmatch(r"actions/[a-z-]+@v\d+", item["uses"]), item["uses"]


RELEASE_FILE = REPO / ".github" / "workflows" / "release.yml"


def test_release_runs_on_version_tags_and_publishes_without_a_token() -> None:
    data = parse(RELEASE_FILE.read_text(encoding="utf-8"))
    triggers: dict[str, Any] = data["on"] if "on" in data else data[True]
    assert triggers == {"push": {"tags": ["v*"]}}
    assert data["permissions"] == {}
    jobs = data["jobs"]
    assert jobs["test"]["needs"] == "build" and jobs["publish"]["needs"] == ["build", "test"]
    for name in ("build", "test"):
        assert jobs[name]["permissions"] == {"contents": "read"}
    publish = jobs["publish"]
    assert publish["permissions"] == {"id-token": "write"}
    assert publish["environment"]["name"] == "pypi"
    assert publish["environment"]["url"] == f"https://pypi.org/p/{DISTRIBUTION}"
    (upload,) = [s for s in publish["steps"] if uses(s) == "pypa/gh-action-pypi-publish"]
    assert upload["uses"] == "pypa/gh-action-pypi-publish@release/v1"
    # Trusted publishing: no user name, password or token anywhere.
    assert "with" not in upload and "secrets." not in RELEASE_FILE.read_text(encoding="utf-8")


def test_release_checks_the_tag_and_tests_the_files_it_publishes() -> None:
    jobs = parse(RELEASE_FILE.read_text(encoding="utf-8"))["jobs"]
    build = jobs["build"]["steps"]
    check = next(s for s in build if s.get("name") == "Check that the tag is the version")
    assert check["env"] == {"TAG": "${{ github.ref_name }}"}
    assert 'timeline.__version__' in check["run"] and '"v$version"' in check["run"]
    assert step(build, "actions/upload-artifact")["with"]["name"] == "dist"
    test = jobs["test"]["steps"]
    assert step(test, "actions/download-artifact")["with"]["name"] == "dist"
    assert test[-1]["run"] == 'TIMELINE_DIST="$PWD/dist" ./scripts/test'
    for job in jobs.values():
        for item in job["steps"]:
            assert "${{" not in item.get("run", "")
            if uses(item).startswith("actions/"):
                assert re.fullmatch(r"actions/[a-z-]+@v\d+", item["uses"]), item["uses"]
