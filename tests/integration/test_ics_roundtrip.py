"""events.ics read back by the ``icalendar`` library: every range end as written, over every date form."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar

from tests.conftest import SiteFactory
from timeline.build.pipeline import build_site

SOURCE = "sources:\n  - title: A report\n    url: https://example.org/r\n"

# written date -> (DTSTART, DTEND) as icalendar reads them back; None: no VEVENT (a year, season
# or month is never pinned to a day; BCE and deep time have no place in iCalendar).
CASES: dict[str, tuple[str, str | None] | None] = {
    "2020-09-27": ("2020-09-27", "2020-09-28"),
    "2020-09-27/2020-10-02": ("2020-09-27", "2020-10-03"),
    "2023-09-12/2023-09": ("2023-09-12", "2023-10-01"),  # a month end: the all-day DTEND after the month
    "2023-09-12/2024": ("2023-09-12", "2025-01-01"),
    "2023-09-12/2023-22": ("2023-09-12", "2023-09-01"),  # summer (June to August) ends before: refused below
    "2023-05-12/2023-22": ("2023-05-12", "2023-09-01"),
    "2023-05-12/202X": ("2023-05-12", "2030-01-01"),
    "2020-10-17/2020-10-18T00:00+04:00": ("2020-10-17T00:00:00+04:00", "2020-10-18T00:00:00+04:00"),
    "2020-10-17T10:00Z/2020-10-18": ("2020-10-17T10:00:00+00:00", "2020-10-19T00:00:00+00:00"),
    "2020-10-23T18:01 Asia/Jakarta": ("2020-10-23T18:01:00+07:00", None),
    "2020-10-23T18:01 Asia/Jakarta/2020-10-24T09:30 Asia/Jakarta": (
        "2020-10-23T18:01:00+07:00",
        "2020-10-24T09:30:00+07:00",
    ),
    "2020-11-09T23:00~ Europe/Moscow/2020-11-10T00:00Z": ("2020-11-09T23:00:00+03:00", "2020-11-10T00:00:00+00:00"),
    "2021-10-31T02:30+01:00 Europe/Berlin": ("2021-10-31T01:30:00+00:00", None),
    "2020-09-27/..": ("2020-09-27", None),
    "2020-09-27/": ("2020-09-27", None),
    "1985-04-12?/2004-08-08~": ("1985-04-12", "2004-08-09"),
    "../1985-04-12": None,
    "/1985-04-12": None,
    "1994": None,
    "2020-10": None,
    "2001-21": None,
    "199X": None,
    "2004-XX": None,
    "1985-04-XX": None,
    "-0094": None,
    "Y-170000002": None,
}
REFUSED = {"2023-09-12/2023-22"}


def _value(prop: icalendar.prop.vDDDTypes) -> str:
    """Return a DTSTART/DTEND as ISO text: a date, or a date-time as the UTC instant it names."""
    value = prop.dt
    return value.astimezone(dt.UTC).isoformat() if isinstance(value, dt.datetime) else value.isoformat()


def _same(text: str | None) -> str | None:
    """Return an expected value in the form of ``_value``."""
    if text is None or "T" not in text:
        return text
    return dt.datetime.fromisoformat(text).astimezone(dt.UTC).isoformat()


def test_events_ics_round_trip_keeps_every_range_end(make_site: SiteFactory, tmp_path: Path) -> None:
    """Each event's VEVENT has DTSTART and DTEND as written; milestones are VEVENTs of their own."""
    files = {}
    names = {}
    for number, text in enumerate(CASES):
        if text in REFUSED:
            continue
        names[f"e{number:02d}"] = text
        quoted = "'" + text + "'"
        files[f"content/events/e{number:02d}.yaml"] = f"title: Event {number}\ndate: {quoted}\n{SOURCE}"
    files["content/events/ceasefire.yaml"] = (
        "title: Ceasefire\ndate: 2020-11-10\nmilestones:\n"
        "  - label: Signed\n    date: 2020-11-09T23:00 Europe/Moscow\n"
        "  - label: In force\n    date: 2020-11-10T00:00 Europe/Moscow/2020-11-10T06:00 Europe/Moscow\n" + SOURCE
    )
    site = make_site(files)
    result = build_site(site, tmp_path / "out", cache=False)
    assert not result.failed(), result.diagnostics
    calendar = icalendar.Calendar.from_ical((tmp_path / "out" / "events.ics").read_bytes())
    found = {str(v["UID"]).split("@")[0]: v for v in calendar.walk("VEVENT")}
    for key, text in names.items():
        expected = CASES[text]
        if expected is None:
            assert key not in found, text
            continue
        vevent = found.pop(key)
        assert _value(vevent["DTSTART"]) == _same(expected[0]), text
        assert (_value(vevent["DTEND"]) if "DTEND" in vevent else None) == _same(expected[1]), text
    signed, in_force = found.pop("ceasefire-1"), found.pop("ceasefire-2")
    assert _value(signed["DTSTART"]) == _same("2020-11-09T23:00:00+03:00") and "DTEND" not in signed
    assert str(signed["DTSTART"].params["TZID"]) == "Europe/Moscow"
    assert (_value(in_force["DTSTART"]), _value(in_force["DTEND"])) == (
        _same("2020-11-10T00:00:00+03:00"),
        _same("2020-11-10T06:00:00+03:00"),
    )
    assert str(signed["SUMMARY"]) == "Ceasefire: Signed"
    assert _value(found.pop("ceasefire")["DTSTART"]) == "2020-11-10"
    assert found == {}


def test_a_season_that_ends_before_its_start_day_is_refused(make_site: SiteFactory) -> None:
    """2023-09-12/2023-22 (summer ends in August) is an error, not a calendar entry."""
    from timeline.content.dates import parse_span

    for text in REFUSED:
        try:
            parse_span(text)
        except ValueError as exc:
            assert "ends before it starts" in str(exc)
        else:
            raise AssertionError(text)
