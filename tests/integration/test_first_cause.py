"""The first cause first: a file that cannot be read is one error, with what follows from it counted.

The example of issue 17: ``date: 2021-03-02`` becomes ``date: [2021-03-02`` in one event. Before,
that gave the syntax error (at the line after the ``[``) among four ``unknown event`` errors from
the files that cite the event and a false "nothing links to article" warning, sorted by path.
"""

from __future__ import annotations

import html
import http.client
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import SiteFactory
from timeline.commands.cli import main
from timeline.commands.preview import make_rebuild
from timeline.serve.server import DevServer

BROKEN = "content/events/talks.yaml"
GOOD_TALKS = """\
title: Talks in Washington
date: 2021-03-02
summary: The talks.
sources:
  - article: lonely
"""
FILES = {
    BROKEN: GOOD_TALKS,
    # Two references each from an event and an article: four errors once talks.yaml is unreadable.
    "content/events/a-before.yaml": (
        "title: Before\ndate: 2021-03-01\nsummary: See [the talks](event:talks).\nrelated: [talks]\n"
        "sources:\n  - title: Report\n    url: https://example.org/r\n"
    ),
    "content/articles/report.md": (
        "---\ntitle: Report\npublished: 2021-03-03\nevents: [talks, a-before]\n---\nOn [the talks](event:talks).\n"
    ),
    # Only talks.yaml cites it: "nothing links to" it while talks.yaml is unreadable.
    "content/articles/lonely.md": "---\ntitle: Lonely\npublished: 2021-03-02\n---\nText.\n",
    # A warning that has nothing to do with it, in a file whose path sorts first.
    "content/events/0-unsourced.yaml": "title: Unsourced\ndate: 2021-01-01\n",
}
CAUSE = (
    f"{BROKEN}:2:7: error: YAML syntax: the list opened here with '[' is never closed;"
    " the parser stopped at 3:8: expected ',' or ']', but got ':' (and 4 errors and 1 warning that follow from it)"
)
OTHER = "content/events/0-unsourced.yaml:1:1: warning: event '0-unsourced' has no sources"


def run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, out, err)
    return code, out.getvalue(), err.getvalue()


def break_it(site: Path) -> None:
    path = site / BROKEN
    path.write_text(GOOD_TALKS.replace("date: 2021-03-02", "date: [2021-03-02"), encoding="utf-8")


@pytest.fixture
def site(make_site: SiteFactory) -> Path:
    root = make_site(FILES)
    assert run(["check", str(root)]) == (0, "", f"{OTHER}\n0 error(s), 1 warning(s)\n")
    break_it(root)
    return root


def test_build_prints_one_error_first_with_the_count(site: Path) -> None:
    code, out, err = run(["build", str(site), "--no-cache"])
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert lines[:2] == [CAUSE, OTHER]  # the cause first, though its path sorts after
    assert "1 error(s), 1 warning(s)" in lines
    assert "unknown event" not in err and "nothing links to" not in err


def test_check_json_gives_one_error_with_the_count(site: Path) -> None:
    code, out, err = run(["check", str(site), "--format", "json"])
    assert code == 1
    items = json.loads(out)
    assert [f"{d['path']}:{d['line']}:{d['col']}: {d['severity']}: {d['message']}" for d in items] == [CAUSE, OTHER]


def test_each_follow_on_error_is_counted_once_fixing_the_cause_clears_them(site: Path) -> None:
    """The folded errors were real consequences: fixing the one file leaves only the other warning."""
    (site / BROKEN).write_text(GOOD_TALKS, encoding="utf-8")
    assert run(["check", str(site)])[0] == 0


def test_an_error_that_does_not_follow_is_still_reported(site: Path) -> None:
    """Only references to ids the unreadable file defines are folded; others are reported as ever."""
    path = site / "content/events/a-before.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "actors: [nobody]\n", encoding="utf-8")
    code, _, err = run(["check", str(site)])
    assert code == 1
    lines = err.splitlines()
    assert lines[0] == CAUSE
    assert "content/events/a-before.yaml:8:10: error: unknown actor 'nobody'" in lines


def test_unreadable_actors_file_folds_every_unknown_actor(make_site: SiteFactory) -> None:
    events = {
        f"content/events/e{n}.yaml": f"title: E{n}\ndate: 2021-01-0{n}\nactors: [putin]\n"
        "sources:\n  - title: R\n    url: https://example.org/r\n"
        for n in range(1, 4)
    }
    site = make_site({**events, "content/actors.yaml": "putin: {name: Putin\n"})
    code, _, err = run(["check", str(site)])
    assert code == 1
    errors = [line for line in err.splitlines() if ": error: " in line]
    assert len(errors) == 1
    assert errors[0].startswith("content/actors.yaml:1:8: error: YAML syntax: the mapping opened here")
    assert errors[0].endswith("(and 3 errors that follow from it)")


@pytest.fixture
def server(site: Path, tmp_path: Path) -> Iterator[DevServer]:
    (site / BROKEN).write_text(GOOD_TALKS, encoding="utf-8")
    root = tmp_path / "preview" / "site"
    root.parent.mkdir()
    dev = DevServer(
        root=root,
        source_root=site,
        rebuild=make_rebuild(site, root, base_url=None),
        port=0,
        watch=False,
        out=io.StringIO(),
    )
    dev.start()
    yield dev
    dev.stop()


def overlay_items(dev: DevServer) -> list[str]:
    """Return the text of each item of the error overlay on the site's front page."""
    conn = http.client.HTTPConnection("127.0.0.1", dev.address[1], timeout=10)
    try:
        conn.request("GET", dev.url.split(str(dev.address[1]), 1)[1])
        body = conn.getresponse().read().decode("utf-8")
    finally:
        conn.close()
    return [html.unescape(item) for item in re.findall(r"<li><pre>(.*?)</pre></li>", body, re.DOTALL)]


def test_serve_overlay_shows_the_cause_first_and_once(server: DevServer, site: Path) -> None:
    assert overlay_items(server) == []
    break_it(site)
    server.rebuild(frozenset({site / BROKEN}))
    items = overlay_items(server)
    errors = [item for item in items if ": error: " in item.splitlines()[0]]
    assert len(errors) == 1
    assert items[0].splitlines()[0] == CAUSE
    # The overlay quotes the line of the unclosed '[' with a caret under it.
    assert "date: [2021-03-02" in items[0] and "      ^" in items[0]
    printed = server.out.getvalue()  # type: ignore[attr-defined]
    assert CAUSE in printed and "unknown event" not in printed


def test_unreadable_article_in_a_subfolder_folds_references_to_its_id(make_site: SiteFactory) -> None:
    """The id comes from the file's own 'id:' line when it has one, and files may sit in subfolders."""
    site = make_site(
        {
            "content/articles/2021/march.md": "---\nid: march-report\ntitle: [March\n---\nText.\n",
            "content/events/e.yaml": (
                "title: E\ndate: 2021-03-01\nsources:\n  - article: march-report\n  - article: march\n"
            ),
        }
    )
    code, _, err = run(["check", str(site)])
    assert code == 1
    errors = [line for line in err.splitlines() if ": error: " in line]
    # 'march' (the file name) is not the id: that reference is a mistake of its own.
    assert errors[0].startswith("content/articles/2021/march.md:3:8: error: YAML syntax")
    assert errors[0].endswith("(and 1 error that follows from it)")
    assert errors[1].startswith("content/events/e.yaml:5:14: error: unknown article 'march'")
    assert len(errors) == 2
