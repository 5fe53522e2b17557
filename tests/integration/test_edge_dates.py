"""Dates at the edges of the calendar, in every field that takes one: a clean build or a located error.

Each case is written into every date field of one site at once (an event's ``date``, a second
event's ``end``, ``updated``, correction, source ``published``/``accessed`` and claim dates, an
article's ``published`` and an era in ``site.yaml``), and the site goes through ``check_site``
and ``timeline build``. A case the table calls good must build cleanly with its date on the
event page; a bad one must give an error at the line and column of every field that holds it,
and no traceback.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from timeline.build.pipeline import check_site
from timeline.commands.cli import main
from timeline.errors import Diagnostic, TimelineError

SPAN_FIELDS = ("event date", "era")  # `end` is one date: a range there would lose its own end
"""Fields that take a range ``a/b``; the others take one date."""


@dataclass(frozen=True)
class Case:
    """A date as written, the site's zone, and whether it is a good date."""

    text: str
    good: bool
    zone: str = "UTC"

    @property
    def is_range(self) -> bool:
        """Return True for ``a/b`` (a bad date in a field that takes one date)."""
        return "/" in self.text and not re.search(r"\s[A-Za-z_]+/", self.text)

    def good_in(self, field: str) -> bool:
        """Return True if this case is a good value of ``field``."""
        return self.good and (field in SPAN_FIELDS or not self.is_range)


CASES = [
    # Calendar dates: any day from -9999 to 9999 of the proleptic calendar (year 0 = 1 BCE, a leap year).
    Case("1", True),
    Case("0001", True),
    Case("9999", True),
    Case("-9999", True),
    Case("0000", True),
    Case("-0001", True),
    Case("0001-01", True),
    Case("9999-12", True),
    Case("0000-02", True),
    Case("0001-01-01", True),
    Case("9999-12-31", True),
    Case("0000-02-29", True),
    Case("-0004-02-29", True),
    Case("2000-02-29", True),
    Case("1582-10-10", True),
    Case("-9999-01-01", True),
    Case("0001-01-01~", True),
    Case("9999-12-31?", True),
    Case("0000%", True),
    Case("0001-01-01", True, zone="Asia/Jakarta"),
    Case("9999-12-31", True, zone="Etc/GMT+12"),
    Case("0001", True, zone="Pacific/Kiritimati"),
    # Date-times whose instant lies in 0001-01-01T00:00Z .. 9999-12-31T23:59:59Z.
    Case("0001-01-01T00:00Z", True),
    Case("0001-01-01T00:00+00:00", True),
    Case("0001-01-01T00:00-14:00", True),
    Case("0001-01-01T14:00+14:00", True),
    Case("9999-12-31T23:59:59Z", True),
    Case("9999-12-31T23:59+14:00", True),
    Case("9999-12-31T09:59-14:00", True),
    Case("0001-01-01T00:00 America/New_York", True),
    Case("0001-01-01T12:00 Asia/Tokyo", True),
    Case("0001-01-01T00:00 Pacific/Kiritimati", True),
    Case("0001-01-01T00:00 Etc/GMT+12", True),
    Case("9999-12-31T23:59 Asia/Tokyo", True),
    Case("9999-12-31T12:00 Pacific/Honolulu", True),
    Case("9999-12-31T11:59 Etc/GMT+12", True),
    Case("0001-01-01T00:00", True),
    Case("9999-12-31T23:59", True),
    Case("0001-01-01T00:00", True, zone="America/New_York"),
    Case("9999-12-31T23:59", True, zone="Asia/Jakarta"),
    Case("0001-01-01T00:00Z", True, zone="Asia/Jakarta"),
    Case("0999-12-31T23:59Z", True),
    Case("0099-06-15T12:00 Europe/London", True),
    Case("2020-03-08T03:30 America/New_York", True),
    Case("2020-11-01T01:30-04:00 America/New_York", True),
    Case("2020-11-01T01:30-05:00 America/New_York", True),
    Case("2020-10-23 18:01:00 +0700", True),
    Case("0001/9999", True),
    Case("-9999/9999", True),
    Case("0000-02-29/0001-02-28", True),
    Case("0001-01-01T00:00Z/9999-12-31T23:59:59Z", True),
    # Instants before the first or after the last one a date-time can name.
    Case("0001-01-01T00:00+14:00", False),
    Case("0001-01-01T00:00+00:01", False),
    Case("0001-01-01T09:59+10:00", False),
    Case("9999-12-31T23:59-14:00", False),
    Case("9999-12-31T23:59-00:01", False),
    Case("9999-12-31T23:59 Pacific/Honolulu", False),
    Case("9999-12-31T23:59 America/New_York", False),
    Case("0001-01-01T00:00 Asia/Tokyo", False),
    Case("0001-01-01T00:00 Etc/GMT-14", False),
    Case("9999-12-31T23:59 Etc/GMT+12", False),
    Case("0001-01-01T00:00", False, zone="Asia/Jakarta"),
    Case("9999-12-31T23:59", False, zone="America/New_York"),
    Case("9999-12-31T12:00", False, zone="Etc/GMT+12"),
    Case("0001-01-01T00:00+14:00/0001-01-02", False),
    Case("0001/9999-12-31T23:59-14:00", False),
    # Not a date, or not a zone.
    Case("0000-01-01T00:00Z", False),
    Case("-0001-06-01T12:00+01:00", False),
    Case("10000-01-01", False),
    Case("0000-02-30", False),
    Case("0001-02-29", False),
    Case("1900-02-29", False),
    Case("-0001-02-29", False),
    Case("9999-12-31T24:00Z", False),
    Case("2020-01-01T00:00+15:00", False),
    Case("2020-01-01T00:00+14:60", False),
    Case("2020-01-01T00:00 America", False),
    Case("2020-01-01T00:00 Etc", False),
    Case("2020-01-01T00:00 " + "A" * 300, False),
    Case("2020-01-01T00:00 America/../Europe/Paris", False),
    Case("2020-01-01T00:00 localtime", False),
    Case("9999/0001", False),
    # Wall times a zone skips, or shows twice, or never shows with that offset (daylight saving).
    Case("2020-03-08T02:30 America/New_York", False),
    Case("2020-11-01T01:30 America/New_York", False),
    Case("2020-11-01T01:30-07:00 America/New_York", False),
    Case("2021-10-31T02:30", False, zone="Europe/Berlin"),
]


def quoted(text: str) -> str:
    """Return ``text`` as a single-quoted YAML scalar."""
    return "'" + text.replace("'", "''") + "'"


def write_site(root: Path, case: Case, *, era: bool, content: bool = True) -> dict[str, tuple[str, int]]:
    """Write a site holding ``case`` in every date field; return {field: (file, line)}."""
    d = quoted(case.text)
    files = {
        "site.yaml": f"title: Edge\ntimezone: {case.zone}\n"
        + (f"eras:\n  - id: e\n    title: E\n    date: {d}\n" if era else ""),
        "content/actors.yaml": "a:\n  name: A\n",
    }
    if content:
        files |= {
            "content/events/a.yaml": f"title: A\ndate: {d}\nsources:\n  - article: p\n",
            "content/events/b.yaml": (
                f"title: B\ndate: '-9999'\nend: {d}\nupdated: {d}\ncorrections:\n  - date: {d}\n    text: fixed\n"
                f"sources:\n  - title: S\n    published: {d}\n    accessed: {d}\n"
                f"claims:\n  - quantity: q\n    value: v\n    claimant: a\n    source: 1\n    date: {d}\n"
            ),
            "content/articles/p.md": f"---\ntitle: P\npublished: {d}\n---\nBody.\n",
        }
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    fields = {"era": ("site.yaml", 6)} if era else {}
    if content:
        fields |= {
            "event date": ("content/events/a.yaml", 2),
            "end": ("content/events/b.yaml", 3),
            "updated": ("content/events/b.yaml", 4),
            "correction": ("content/events/b.yaml", 6),
            "source published": ("content/events/b.yaml", 10),
            "source accessed": ("content/events/b.yaml", 11),
            "claim date": ("content/events/b.yaml", 17),
            "published": ("content/articles/p.md", 3),
        }
    return fields


def value_col(root: Path, path: str, line: int) -> int:
    """Return the 1-based column where the value of the field on ``line`` starts."""
    text = (root / path).read_text(encoding="utf-8").splitlines()[line - 1]
    return text.index("'") + 1


def assert_located(root: Path, diags: tuple[Diagnostic, ...], fields: dict[str, tuple[str, int]], case: Case) -> None:
    """Every field the case is bad in has an error at its value; no field it is good in has one."""
    errors = {(d.path, d.line, d.col) for d in diags if d.severity == "error"}
    for field, (path, line) in fields.items():
        where = (path, line, value_col(root, path, line))
        if case.good_in(field):
            assert where not in errors, (field, case, diags)
        else:
            assert where in errors, (field, case, [d.format() for d in diags])
    for diag in diags:
        assert "\n" not in diag.format() and len(diag.message) < 600


def cli(*args: str | Path) -> tuple[int, str, str]:
    """Run the command line in this process; return (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    code = main([str(a) for a in args], out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[f"{c.text[:40]}@{c.zone}" for c in CASES])
def test_edge_date_builds_or_is_located(case: Case, tmp_path: Path) -> None:
    """Every date field holding the case: a clean check and build, or a located error at each field."""
    site = tmp_path / "site"
    fields = write_site(site, case, era=True)
    if all(case.good_in(f) for f in fields):
        result = check_site(site)
        assert not result.failed(), [d.format() for d in result.diagnostics]
        code, _, err = cli("build", site)
        assert code == 0, err
        page = (site / "_site/events/a/index.html").read_text(encoding="utf-8")
        # HTML's datetime attribute holds years from 0001 only: a BCE date is shown as text alone.
        shown = '<span class="date">' if case.text.startswith("-") or case.text.startswith("0000") else "<time"
        assert shown in page and (site / "_site/events.ics").is_file()
        return
    if not case.good_in("era"):
        # site.yaml is read first: its error stops the run before content is read.
        with pytest.raises(TimelineError) as info:
            check_site(site)
        assert_located(site, info.value.diagnostics, {"era": fields["era"]}, case)
        code, out, err = cli("build", site)
        assert code == 1 and "Traceback" not in err and f"site.yaml:6:{value_col(site, 'site.yaml', 6)}: error" in err
        site = tmp_path / "content-only"
        fields = write_site(site, case, era=False)
    result = check_site(site)
    assert result.failed()
    assert_located(site, result.diagnostics, fields, case)
    code, _, err = cli("build", site)
    assert code == 1 and "Traceback" not in err
    assert not (site / "_site").exists()


@pytest.mark.parametrize("text", ["0001-01-01T00:00+14:00", "9999-12-31T23:59-14:00", "0000-02-29"])
def test_issue_examples_from_a_terminal(text: str, tmp_path: Path) -> None:
    """The examples of the issue, through ``python -m timeline``: exit 0 or 1, never a traceback."""
    case = next(c for c in CASES if c.text == text)
    site = tmp_path / "site"
    write_site(site, case, era=False)
    for command in ("check", "build"):
        run = subprocess.run(
            [sys.executable, "-m", "timeline", command, str(site)], capture_output=True, text=True, timeout=120
        )
        assert run.returncode == (0 if case.good else 1), run.stderr
        assert "Traceback" not in run.stderr + run.stdout
        if not case.good:
            assert "content/events/a.yaml:2:7: error: date:" in run.stdout + run.stderr
