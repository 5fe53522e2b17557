"""Tests for the GitHub Pages workflow: it parses, has the right steps, and the scaffold's copy matches."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from timeline.scaffold import WORKFLOW

WORKFLOW_FILE = (
    Path(__file__).resolve().parents[2] / ".github" / "workflows" / "pages.yml"
)


def load() -> dict[Any, Any]:
    """Return the repository's workflow as parsed by yaml.safe_load."""
    data = yaml.safe_load(WORKFLOW_FILE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def uses(step: dict[str, Any]) -> str:
    """Return the action a step uses, without its version."""
    return str(step.get("uses", "")).split("@")[0]


def test_scaffold_copy_is_identical_to_the_repository_file() -> None:
    assert WORKFLOW_FILE.read_bytes() == WORKFLOW.encode("utf-8")


def test_triggers_permissions_and_concurrency() -> None:
    data = load()
    # YAML 1.1 (PyYAML) reads the bare key `on` as the boolean True.
    triggers: dict[str, Any] = data["on"] if "on" in data else data[True]
    assert triggers["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in triggers
    assert data["permissions"] == {
        "contents": "read",
        "pages": "write",
        "id-token": "write",
    }
    assert data["concurrency"] == {"group": "pages", "cancel-in-progress": False}


def test_build_job_steps_in_order() -> None:
    steps = load()["jobs"]["build"]["steps"]
    actions = [uses(s) for s in steps if "uses" in s]
    assert actions == [
        "actions/checkout",
        "actions/setup-python",
        "actions/configure-pages",
        "actions/upload-pages-artifact",
    ]
    runs = [s["run"] for s in steps if "run" in s]
    assert runs == [
        "pip install .",
        'timeline build --base-url "${{ steps.pages.outputs.base_url }}"',
    ]
    order = [uses(s) or s["run"].split()[0] for s in steps]
    assert order == [
        "actions/checkout",
        "actions/setup-python",
        "pip",
        "actions/configure-pages",
        "timeline",
        "actions/upload-pages-artifact",
    ]
    configure = next(s for s in steps if uses(s) == "actions/configure-pages")
    assert configure["id"] == "pages"
    upload = next(s for s in steps if uses(s) == "actions/upload-pages-artifact")
    assert upload["with"]["path"] == "_site"
    checkout = next(s for s in steps if uses(s) == "actions/checkout")
    # No token left in .git/config for later steps to leak (ArtiPACKED).
    assert checkout["with"]["persist-credentials"] is False


def test_deploy_job() -> None:
    deploy = load()["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert [uses(s) for s in deploy["steps"]] == ["actions/deploy-pages"]
    assert deploy["steps"][0]["id"] == "deployment"
    assert deploy["environment"]["url"] == "${{ steps.deployment.outputs.page_url }}"


def test_every_action_is_pinned_to_a_version() -> None:
    jobs = load()["jobs"]
    for job in jobs.values():
        for step in job["steps"]:
            if "uses" in step:
                assert "@v" in step["uses"], step["uses"]
