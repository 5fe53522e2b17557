"""``timeline check`` over one tiny site per kind of bad input, against golden diagnostics.

Each folder of ``tests/sites_invalid`` is a site with one problem; ``expected.txt`` holds the
exact diagnostics. ``pad.txt`` (``path size``) grows a file to ``size`` bytes in the copy, so
the size-cap sites need no large files in the repository. ``pytest --update-golden`` rewrites
the expected files from the current output.

Most runs call the command line in this process (``timeline.commands.cli.main`` with its own output
streams): a child process per site cost ~0.7 s each and tested nothing more. A few runs stay
true child processes, so that the installed entry point, exit status and streams are covered.
"""

from __future__ import annotations

import dataclasses
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from timeline.commands.cli import main

SITES = Path(__file__).resolve().parent.parent / "sites_invalid"
REPO = SITES.parent.parent
SUMMARY_RE = re.compile(r"^\d+ error\(s\), \d+ warning\(s\)$")
DIAGNOSTIC_RE = re.compile(r"^[^:]+(?::[^:]+)*:\d+:\d+: (error|warning): .+$")


def prepare(name: str, tmp_path: Path) -> Path:
    """Copy fixture ``name`` into ``tmp_path`` (keeping symlinks) and apply its padding."""
    site = tmp_path / name
    shutil.copytree(SITES / name, site, symlinks=True, ignore=shutil.ignore_patterns("expected.txt", "pad.txt"))
    pad = SITES / name / "pad.txt"
    if pad.is_file():
        for line in pad.read_text(encoding="utf-8").splitlines():
            rel, size = line.split()
            target = site / rel
            with target.open("ab") as handle:
                handle.write(b"x" * (int(size) - target.stat().st_size))
    return site


@dataclasses.dataclass(frozen=True)
class Run:
    """What one ``timeline check`` printed and returned."""

    returncode: int
    stdout: str
    stderr: str


def check(site: Path, *extra: str) -> Run:
    """Run ``timeline check --strict`` on ``site`` in this process."""
    out, err = io.StringIO(), io.StringIO()
    code = main(["check", "--strict", *extra, str(site)], out, err)
    return Run(code, out.getvalue(), err.getvalue())


def run_check(site: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m timeline check --strict`` on ``site`` in a child process."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONHASHSEED": "0"}
    return subprocess.run(
        [sys.executable, "-m", "timeline", "check", "--strict", *extra, str(site)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=site,
        timeout=120,
    )


def diagnostics(result: Run | subprocess.CompletedProcess[str]) -> list[str]:
    """Return the diagnostic lines of a run (stdout, then stderr) in order, without the summary line."""
    lines = result.stdout.splitlines() + result.stderr.splitlines()
    return [line for line in lines if line.strip() and not SUMMARY_RE.match(line)]


@pytest.mark.parametrize("name", sorted(p.name for p in SITES.iterdir() if p.is_dir()))
def test_bad_site_is_reported_exactly(name: str, tmp_path: Path, update_golden: bool) -> None:
    """Every bad-input site gives exactly its golden diagnostics, exit 1, and no traceback."""
    result = check(prepare(name, tmp_path))
    found = diagnostics(result)
    assert "Traceback" not in result.stdout + result.stderr
    assert result.returncode == 1, found
    assert found, "a bad site must be reported"
    for line in found:
        assert DIAGNOSTIC_RE.match(line), line
    expected_file = SITES / name / "expected.txt"
    if update_golden:
        expected_file.write_text("".join(f"{line}\n" for line in found), encoding="utf-8")
    expected = expected_file.read_text(encoding="utf-8").splitlines()
    assert found == expected


def test_there_are_at_least_thirty_kinds() -> None:
    """The corpus covers 30 or more kinds of bad input, each with its golden file."""
    kinds = [p for p in SITES.iterdir() if p.is_dir()]
    assert len(kinds) >= 30
    assert all((p / "expected.txt").is_file() for p in kinds)


def test_json_format_matches_text(tmp_path: Path) -> None:
    """``--format json`` reports the same problems with path, line, col, severity and message."""
    import json

    site = prepare("md-bad-scheme", tmp_path)
    result = run_check(site, "--format", "json")
    assert result.returncode == 1
    items = json.loads(result.stdout)
    text = [f"{d['path']}:{d['line']}:{d['col']}: {d['severity']}: {d['message']}" for d in items]
    assert text == (SITES / "md-bad-scheme" / "expected.txt").read_text(encoding="utf-8").splitlines()


def test_example_site_reports_nothing() -> None:
    """The example site at the root of the repository is clean, even with --strict."""
    result = run_check(REPO)
    assert diagnostics(result) == []
    assert result.returncode == 0


@pytest.mark.parametrize("name", ["yaml-syntax", "unknown-ref", "non-utf8"])
def test_child_process_reports_the_same(name: str, tmp_path: Path) -> None:
    """The real command, in its own process, prints what the in-process runs compare against."""
    result = run_check(prepare(name, tmp_path))
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stdout == ""  # diagnostics are not results: they go to stderr
    assert diagnostics(result) == (SITES / name / "expected.txt").read_text(encoding="utf-8").splitlines()
