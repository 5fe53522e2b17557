"""The content reader: located problems, size caps, symlinks and editor files."""

from __future__ import annotations

import os
from pathlib import Path

from timeline.content.config import SiteConfig
from timeline.content.model import Content
from timeline.content.reader import MARKDOWN_CAP, YAML_CAP, read_content
from timeline.errors import Diagnostic


def read(root: Path, files: dict[str, str | bytes]) -> tuple[Content, list[str]]:
    """Write ``files`` under ``root`` and read them; return content and formatted diagnostics."""
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    (root / "content").mkdir(exist_ok=True)
    content, diags = read_content(SiteConfig(root=root, title="T"))
    return content, [d.format() for d in sorted(diags, key=Diagnostic.format)]


def test_event_fields_and_positions(tmp_path: Path) -> None:
    """A good event reads fully, and remembers where its id and summary text stand."""
    content, diags = read(
        tmp_path,
        {"content/events/e.yaml": "title: T\nid: the-id\ndate: 2020-09-27\nsummary: |\n  Text\ntags: [a]\n"},
    )
    assert diags == []
    (event,) = content.events
    assert (event.id, event.id_pos, event.summary_line, event.summary_col) == ("the-id", (2, 5), 5, 3)
    assert [(r.kind, r.target, r.line, r.col) for r in event.refs] == [("tag", "a", 6, 8)]


def test_dates_and_ranges(tmp_path: Path) -> None:
    """Impossible dates and ends before starts are errors at their values."""
    _, diags = read(
        tmp_path,
        {
            "content/events/a.yaml": "title: T\ndate: 2020-02-30\n",
            "content/events/b.yaml": "title: T\ndate: 2020-13-01\n",
            "content/events/c.yaml": "title: T\ndate: 2020-05-01\nend: 2020-04-01\n",
        },
    )
    assert diags == [
        "content/events/a.yaml:2:7: error: date: '2020-02-30' is not a day of the calendar",
        "content/events/b.yaml:2:7: error: date: '2020-13-01' has no month 13 (months are 01 to 12, seasons 21 to 24)",
        "content/events/c.yaml:3:6: error: end 2020-04-01 is before the start 2020-05-01",
    ]


def test_size_caps(tmp_path: Path) -> None:
    """Files over the caps are refused before they are parsed."""
    _, diags = read(
        tmp_path,
        {
            "content/events/big.yaml": "title: T\n" + "#" * YAML_CAP,
            "content/articles/big.md": "---\ntitle: T\n---\n" + "x" * MARKDOWN_CAP,
        },
    )
    assert [d.split(": error: ")[1].split(" bytes")[0] for d in diags] == [
        f"file is {MARKDOWN_CAP + 17}",
        f"file is {YAML_CAP + 9}",
    ]


def test_symlinks_out_of_the_site_are_errors_and_editor_files_are_ignored(tmp_path: Path) -> None:
    """T17: a link out of the site is an error; lock, swap and backup files are skipped silently."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text("title: secret\ndate: 2020\n", encoding="utf-8")
    site = tmp_path / "site"
    events = site / "content" / "events"
    events.mkdir(parents=True)
    os.symlink(outside / "secret.yaml", events / "leak.yaml")
    os.symlink("user@host.1:2", events / ".#a.yaml")
    content, diags = read(
        site, {"content/events/.a.yaml.swp": b"\x00", "content/events/a.yaml~": "[", "content/events/4913": ""}
    )
    assert diags == ["content/events/leak.yaml:1:1: error: symbolic link leads outside the site folder"]
    assert content.events == ()


def test_unclosed_front_matter_and_bad_language(tmp_path: Path) -> None:
    """An unclosed front matter block and a language that is not a code are located errors."""
    _, diags = read(
        tmp_path,
        {
            "content/articles/a.md": "---\ntitle: A\n",
            "content/articles/b.md": "---\ntitle: B\nlanguage: 'x\" onclick=\"y'\n---\n",
        },
    )
    assert diags == [
        "content/articles/a.md:1:1: error: the front matter opened here is never closed with a '---' line",
        "content/articles/b.md:3:11: error: language 'x\" onclick=\"y' is not a BCP 47 code such as en, id or pt-BR",
    ]


def test_rejected_image_url_is_not_also_missing(tmp_path: Path) -> None:
    """A bad image URL is one error, not also 'needs src or url'."""
    _, diags = read(
        tmp_path, {"content/events/e.yaml": "title: T\ndate: 2020\nimages:\n  - url: 'javascript:x'\n    alt: a\n"}
    )
    assert len(diags) == 1 and "URL scheme 'javascript:'" in diags[0]
