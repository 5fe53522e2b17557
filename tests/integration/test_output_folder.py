"""An output folder inside the sources: check and build say so at site.yaml's ``output:`` line, ``-o`` as usage."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SiteFactory

EVENT = "title: T\ndate: 2020-09-27\nsources:\n  - title: Report\n"


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "timeline", *map(str, args)], capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("output", ["content/x", "content", "themes/mine"])
def test_check_and_build_report_the_same_line(make_site: SiteFactory, output: str) -> None:
    site = make_site(
        {"site.yaml": f"title: T\nlanguage: en\noutput: {output}\n", "content/events/e.yaml": EVENT}, base=False
    )
    checked, built = run("check", site), run("build", site)
    for result in (checked, built):
        assert result.returncode == 1
        lines = [line for line in (result.stdout + result.stderr).splitlines() if ": error: " in line]
        assert lines == [f"site.yaml:3:9: error: output folder {output} would overwrite the site's sources in "
                         f"{output.split('/')[0]}; use a folder such as _site"]  # fmt: skip
        assert "Traceback" not in result.stderr
    assert not (site / "content" / "x").exists()


def test_output_option_gets_a_usage_message(make_site: SiteFactory) -> None:
    site = make_site({"content/events/e.yaml": EVENT})
    result = run("build", site, "-o", site / "content" / "x")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "timeline build: error: argument -o/--output: output folder content/x would overwrite the site's sources "
        "in content; use a folder such as _site"
    )
    result = run("build", site, "-o", site.parent)
    assert result.returncode == 2
    assert "argument -o/--output: the output folder would hold the whole site" in result.stderr
    assert not (site / "content" / "x").exists()


def test_a_folder_not_ours_is_located_where_it_was_chosen(make_site: SiteFactory, tmp_path: Path) -> None:
    site = make_site({"site.yaml": "title: T\noutput: out\n", "content/events/e.yaml": EVENT}, base=False)
    (site / "out").mkdir()
    (site / "out" / "thesis.docx").write_text("years of work")
    result = run("build", site)
    assert result.returncode == 1
    assert result.stderr.startswith("site.yaml:2:9: error: output folder ")
    assert "was not made by timeline" in result.stderr
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    result = run("build", site, "--output", other)
    assert result.returncode == 2
    assert result.stderr.startswith("timeline build: error: argument -o/--output: output folder ")
    assert (other / "notes.txt").read_text() == "mine"
