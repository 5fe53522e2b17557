"""The layers of docs/architecture.md hold: import-linter's contracts in pyproject.toml pass."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """Run ``lint-imports`` on the package under ``root`` with that folder's pyproject.toml."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    tool = Path(sys.executable).parent / "lint-imports"
    return subprocess.run(
        [str(tool), "--no-cache"], cwd=root, env=env, capture_output=True, text=True, timeout=300, check=False
    )


def test_every_contract_is_kept() -> None:
    done = lint_imports(REPO)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_a_forbidden_import_breaks_a_contract(tmp_path: Path) -> None:
    """Content importing pages, as a careless change would, fails the check (so CI would fail)."""
    copy = tmp_path / "repo"
    copy.mkdir()
    shutil.copy(REPO / "pyproject.toml", copy / "pyproject.toml")
    shutil.copytree(REPO / "timeline", copy / "timeline", ignore=shutil.ignore_patterns("__pycache__"))
    model = copy / "timeline" / "content" / "model.py"
    model.write_text(model.read_text(encoding="utf-8") + "\nimport timeline.pages.theme  # noqa\n", encoding="utf-8")
    done = lint_imports(copy)
    assert done.returncode == 1
    assert "Content never imports pages or outputs BROKEN" in done.stdout
    assert "timeline.content.model -> timeline.pages.theme" in done.stdout
