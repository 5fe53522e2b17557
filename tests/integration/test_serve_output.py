"""What ``serve`` prints while it runs: warnings once when they come and go, build's summary words."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import SiteFactory
from timeline.commands.preview import make_rebuild
from timeline.serve.server import DevServer

SOURCED = "sources:\n  - title: Report\n    url: https://example.org/r\n"
WARNING = "content/events/b.yaml:1:1: warning: event 'b' has no sources"


@pytest.fixture
def site(make_site: SiteFactory) -> Path:
    return make_site(
        {
            "content/events/a.yaml": "title: A\ndate: 2020-10-01\n" + SOURCED,
            "content/events/b.yaml": "title: B\ndate: 2020-10-02\n",
        }
    )


@pytest.fixture
def server(site: Path, tmp_path: Path) -> Iterator[DevServer]:
    root = tmp_path / "preview" / "site"
    root.parent.mkdir()
    rebuild = make_rebuild(site, root, base_url=None)
    dev = DevServer(root=root, source_root=site, rebuild=rebuild, port=0, watch=False, out=io.StringIO())
    dev.start()
    yield dev
    dev.stop()


def printed(dev: DevServer) -> list[str]:
    assert isinstance(dev.out, io.StringIO)
    return dev.out.getvalue().splitlines()


def edit(dev: DevServer, path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    dev.rebuild(frozenset({path}))


def test_warnings_are_printed_when_they_come_and_when_they_go(server: DevServer, site: Path) -> None:
    a = site / "content/events/a.yaml"
    for n in range(3):
        edit(server, a, f"title: A{n}\ndate: 2020-10-01\n" + SOURCED)
    assert printed(server).count(WARNING) == 1
    # A failed build in between does not make the warning new again, nor say it went.
    edit(server, a, "title: [A\n")
    edit(server, a, "title: A\ndate: 2020-10-01\n" + SOURCED)
    assert printed(server).count(WARNING) == 1
    assert not any(line.startswith("fixed:") for line in printed(server))

    edit(server, site / "content/events/b.yaml", "title: B\ndate: 2020-10-02\n" + SOURCED)
    edit(server, a, "title: A again\ndate: 2020-10-01\n" + SOURCED)
    lines = printed(server)
    assert lines.count(f"fixed: {WARNING}") == 1
    assert lines.count(WARNING) == 1


def test_errors_are_printed_on_every_failed_build(server: DevServer, site: Path) -> None:
    a = site / "content/events/a.yaml"
    edit(server, a, "title: A\ndate: 2020-10-01\nplaec: x\n" + SOURCED)
    edit(server, a, "title: A\ndate: 2020-10-01\nplaec: y\n" + SOURCED)
    errors = [line for line in printed(server) if "unknown field 'plaec'" in line]
    assert len(errors) == 2
    assert printed(server)[-1].startswith("Build failed after ")
    assert "still serving the last good site" in printed(server)[-1]


def test_each_good_build_ends_with_builds_summary_line(server: DevServer, site: Path) -> None:
    """The same words as ``timeline build``: files, rendered, unchanged, and the time."""
    edit(server, site / "content/events/a.yaml", "title: A changed\ndate: 2020-10-01\n" + SOURCED)
    summaries = [line for line in printed(server) if line.startswith("built ")]
    assert len(summaries) == 2
    first, second = (
        re.fullmatch(r"built (\d+) files \((\d+) rendered, (?:\d+ copied, )?(\d+) unchanged\) in \d+\.\d\d s.*", s)
        for s in summaries
    )
    assert first is not None and second is not None, summaries
    assert first.group(3) == "0"  # the first build renders everything
    assert int(second.group(3)) > 0 and int(second.group(2)) < int(first.group(2))  # the edit, not the site
    assert summaries[1].endswith("(1 changed)")


def test_a_first_build_that_fails_does_not_claim_a_last_good_site(make_site: SiteFactory, tmp_path: Path) -> None:
    site = make_site({"content/events/a.yaml": "title: [A\n"})
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
    try:
        last = [line for line in printed(dev) if line.startswith("Build failed")]
        assert len(last) == 1 and last[0].endswith("nothing to serve until it is fixed")
    finally:
        dev.stop()
