"""Heading ids follow the documented rule for any sequence of headings: first free ``-n``."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from timeline.content.markdown import make_parser, render_markdown
from timeline.content.model import slugify


def expected_ids(titles: list[str]) -> list[str]:
    """Return the ids the rule in docs/format.md gives, found the slow and obvious way."""
    taken: list[str] = []
    for title in titles:
        anchor = "h-" + slugify(title)
        n = 0
        while (anchor if n == 0 else f"{anchor}-{n}") in taken:
            n += 1
        taken.append(anchor if n == 0 else f"{anchor}-{n}")
    return taken


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["a", "a 1", "a-1", "A 1 1", "b", "a 2", "Карабах", "مرحبا"]), max_size=40))
def test_heading_ids_are_the_first_free_number(titles: list[str]) -> None:
    """Repeats and headings that look like numbered repeats get the ids of the rule, in order."""
    text = "".join(f"# {title}\n" for title in titles)
    rendered = render_markdown(make_parser(), text, base_path="/", resolve=lambda kind, target: None)
    assert list(rendered.anchors) == expected_ids(titles)
