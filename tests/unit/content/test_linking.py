"""Indexing: duplicate and case-only ids, tag spellings, sources, unlinked articles, cross-references."""

from __future__ import annotations

from pathlib import Path

from timeline.content.config import SiteConfig
from timeline.content.linking import index_content
from timeline.content.reader import read_content


def check(root: Path, files: dict[str, str]) -> list[str]:
    """Write ``files`` into a site and return every read and index diagnostic, formatted and sorted."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    config = SiteConfig(root=root, title="T")
    content, diags = read_content(config)
    _, index_diags = index_content(content, config)
    return sorted(d.format() for d in diags + index_diags)


SOURCE = "sources:\n  - title: S\n"


def test_duplicate_id_points_at_the_id_line(tmp_path: Path) -> None:
    """The second file with an id is reported at its ``id:`` value."""
    assert check(
        tmp_path,
        {
            "content/events/a.yaml": "title: A\ndate: 2020\nid: same\n" + SOURCE,
            "content/events/b.yaml": "title: B\ndate: 2021\n\nid: same\n" + SOURCE,
        },
    ) == ["content/events/b.yaml:4:5: error: duplicate event id 'same' (also in content/events/a.yaml)"]


def test_case_only_ids_collide(tmp_path: Path) -> None:
    """``Berlin-Wall`` and ``berlin-wall`` would share a folder on macOS and Windows (T16)."""
    assert check(
        tmp_path,
        {
            "content/events/a.yaml": "id: Berlin-Wall\ntitle: A\ndate: 1989\n" + SOURCE,
            "content/events/b.yaml": "id: berlin-wall\ntitle: B\ndate: 1989\n" + SOURCE,
        },
    ) == [
        "content/events/b.yaml:1:5: error: event id 'berlin-wall' collides with 'Berlin-Wall'"
        " in content/events/a.yaml (they differ only in case)"
    ]


def test_case_only_ids_same_answer_in_any_order(tmp_path: Path) -> None:
    """The collision message does not depend on which file is found first."""
    first = check(
        tmp_path / "1",
        {
            "content/events/a.yaml": "id: X\ntitle: A\ndate: 1\n" + SOURCE,
            "content/events/b.yaml": "id: x\ntitle: B\ndate: 1\n" + SOURCE,
        },
    )
    second = check(
        tmp_path / "2",
        {
            "content/events/b.yaml": "id: x\ntitle: B\ndate: 1\n" + SOURCE,
            "content/events/a.yaml": "id: X\ntitle: A\ndate: 1\n" + SOURCE,
        },
    )
    assert first == second and len(first) == 1


def test_tag_spellings_that_share_a_page(tmp_path: Path) -> None:
    """``SWIFT`` and ``Swift`` slug to one page: an error at the second spelling."""
    assert check(tmp_path, {"content/events/e.yaml": "title: T\ndate: 2020\ntags: [SWIFT, Swift]\n" + SOURCE}) == [
        "content/events/e.yaml:3:15: error: tag 'Swift' and tag 'SWIFT' (content/events/e.yaml)"
        " would share the page tags/swift/; write them one way"
    ]


def test_warnings_and_claim_errors(tmp_path: Path) -> None:
    """No sources and unlinked articles are warnings; a claim without claimant or source is an error."""
    found = check(
        tmp_path,
        {
            "content/events/e.yaml": "title: T\ndate: 2020\nclaims:\n  - quantity: q\n    value: v\n",
            "content/articles/a.md": "---\ntitle: A\n---\n",
        },
    )
    assert found == [
        "content/articles/a.md:1:1: warning: nothing links to article 'a'",
        "content/events/e.yaml:1:1: warning: event 'e' has no sources",
        "content/events/e.yaml:4:5: error: missing required field 'claimant'",
        "content/events/e.yaml:4:5: error: missing required field 'source'",
    ]


def test_markdown_cross_references_are_located(tmp_path: Path) -> None:
    """A link to a missing event and a missing anchor are errors at their columns in the file."""
    found = check(
        tmp_path,
        {
            "content/events/e.yaml": "title: T\ndate: 2020\nsummary: |\n"
            "    See [x](event:nope) and [y](event:e#nowhere).\n" + SOURCE,
        },
    )
    assert found == [
        "content/events/e.yaml:4:13: error: unknown event 'nope'",
        "content/events/e.yaml:4:33: error: no anchor '#nowhere' on event 'e'",
    ]
