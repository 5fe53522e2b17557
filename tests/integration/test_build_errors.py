"""Bad input: a located diagnostic, every problem in one run, exit 1, previous output untouched."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SiteFactory
from tests.integration.sitecrawl import tree_digest

GOOD_EVENT = "title: Fighting\ndate: 2020-09-27\nsources:\n  - title: Report\n    url: https://example.org/r\n"

CASES = {
    "yaml syntax": (
        {"content/events/a.yaml": "title: [unclosed\ndate: 2020-09-27\n"},
        "content/events/a.yaml:1:8:",
        "the parser stopped at 2:5",
    ),
    "unknown field": (
        {"content/events/a.yaml": GOOD_EVENT + "plaec: x\n"},
        "content/events/a.yaml:6:1: error: unknown field 'plaec'",
        "did you mean 'places'?",
    ),
    "wrong type": (
        {"content/events/a.yaml": GOOD_EVENT.replace("title: Fighting", "title:\n  - a\n  - b")},
        "content/events/a.yaml:2:3: error: 'title' must be a string",
        "not a list",
    ),
    "bad date": (
        {"content/events/a.yaml": GOOD_EVENT.replace("2020-09-27", "2020-02-30")},
        "content/events/a.yaml:2:7: error: date:",
        "not a day of the calendar",
    ),
    "unknown id": (
        {"content/events/a.yaml": GOOD_EVENT + "actors: [putn]\n"},
        "content/events/a.yaml:6:10: error: unknown actor 'putn'",
        "did you mean 'putin'?",
    ),
    "duplicate id": (
        {"content/events/a.yaml": GOOD_EVENT, "content/events/b.yaml": "id: a\n" + GOOD_EVENT},
        "content/events/b.yaml:1:",
        "duplicate event id 'a'",
    ),
    "output path collision": (
        {"content/events/Berlin-Wall.yaml": GOOD_EVENT, "content/events/berlin-wall.yaml": GOOD_EVENT},
        "content/events/",
        "collides with",
    ),
}


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "timeline", *map(str, args)], capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_located_and_output_untouched(case: str, make_site: SiteFactory) -> None:
    files, location, message = CASES[case]
    site = make_site({"content/events/good.yaml": GOOD_EVENT})
    first = run("build", site)
    assert first.returncode == 0, first.stderr
    before = tree_digest(site / "_site")
    for rel, text in files.items():
        (site / rel).write_text(text, encoding="utf-8")
    result = run("build", site)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    lines = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert any(line.startswith(location) and message in line for line in lines), result.stderr
    assert tree_digest(site / "_site") == before
    assert not [p for p in site.iterdir() if p.name.startswith("._site.")], "staging folder left behind"


def test_all_problems_in_one_run(make_site: SiteFactory) -> None:
    site = make_site(
        {
            "content/events/a.yaml": GOOD_EVENT.replace("2020-09-27", "2020-13-01"),
            "content/events/b.yaml": GOOD_EVENT + "plaec: x\n",
            "content/events/c.yaml": "title: [\n",
            "content/articles/x.md": "---\ntitle: X\nevents: [nothing]\n---\nBody [link](event:missing)\n",
        }
    )
    result = run("check", site)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert len(errors) >= 4
    assert {line.split(":")[0] for line in errors} >= {
        "content/events/a.yaml",
        "content/events/b.yaml",
        "content/events/c.yaml",
        "content/articles/x.md",
    }


def test_good_site_builds_and_check_is_clean(make_site: SiteFactory) -> None:
    site = make_site({"content/events/good.yaml": GOOD_EVENT})
    assert run("check", site).returncode == 0
    result = run("build", site, "-o", site / "out")
    assert result.returncode == 0
    assert (site / "out" / "events" / "good" / "index.html").is_file()


def test_unchanged_files_keep_their_mtime(make_site: SiteFactory) -> None:
    site = make_site(
        {"content/events/good.yaml": GOOD_EVENT, "content/events/other.yaml": GOOD_EVENT.replace("Fighting", "Talks")}
    )
    assert run("build", site).returncode == 0
    css = site / "_site" / "assets" / "style.css"
    stamp = css.stat().st_mtime_ns
    (site / "content/events/other.yaml").write_text(GOOD_EVENT.replace("Fighting", "Talks resumed"), encoding="utf-8")
    assert run("build", site).returncode == 0
    assert css.stat().st_mtime_ns == stamp
    assert "Talks resumed" in (site / "_site/events/other/index.html").read_text(encoding="utf-8")


def test_refuses_to_replace_a_folder_it_did_not_make(make_site: SiteFactory) -> None:
    site = make_site({"content/events/good.yaml": GOOD_EVENT})
    precious = site / "_site" / "thesis.docx"
    precious.parent.mkdir()
    precious.write_text("years of work")
    result = run("build", site)
    assert result.returncode == 1
    assert "was not made by timeline" in result.stderr
    assert precious.read_text() == "years of work"
