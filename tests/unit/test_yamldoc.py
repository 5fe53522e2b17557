"""The strict YAML loader and the front-matter splitter (T9-T12)."""

from __future__ import annotations

import pytest

from timeline.yamldoc import YList, YMap, load_yaml, split_front_matter, unclosed_front_matter


def test_no_implicit_typing() -> None:
    """T11: the Norway problem and friends stay strings."""
    value, diags = load_yaml("country: NO\ntime: 10:30\nmode: 0755\nid: 012\nyear: 1994\non: yes\n", "x.yaml")
    assert diags == []
    assert value == {"country": "NO", "time": "10:30", "mode": "0755", "id": "012", "year": "1994", "on": "yes"}


@pytest.mark.parametrize(
    ("text", "line", "col", "message"),
    [
        ("a: 1\nb: &x 2\n", 2, 4, "anchors are not allowed"),
        ("a: 1\nb: *x\n", 2, 4, "aliases are not allowed"),
        ("a: !!set {x, y}\n", 1, 4, "explicit tags are not allowed"),
        ("a: !!python/name:os.system\n", 1, 4, "explicit tags are not allowed"),
        ("a: !!int x\n", 1, 4, "explicit tags are not allowed"),
        ("title: A\ntitle: B\n", 2, 1, "duplicate key 'title' (first defined on line 1)"),
        ("? [a]\n: b\n", 1, 3, "mapping keys must be plain strings"),
        ("a:\n\t- b\n", 2, 1, "YAML syntax"),
        ("a: " + "[" * 1000, 1, 67, "nesting deeper than 64 levels"),
    ],
)
def test_strict_subset_is_located(text: str, line: int, col: int, message: str) -> None:
    """Each forbidden construct is one diagnostic at its line and column."""
    value, diags = load_yaml(text, "x.yaml")
    assert value is None
    assert len(diags) == 1
    assert (diags[0].line, diags[0].col) == (line, col)
    assert message in diags[0].message


def test_positions_are_kept_and_shifted() -> None:
    """Keys, values and list items remember where they stood; an offset moves them all."""
    value, _ = load_yaml("a: x\nb:\n  - 1\n  - 2\n", "x.md", line_offset=1)
    assert isinstance(value, YMap)
    assert value.key_pos["a"] == (2, 1) and value.where("a") == (2, 4)
    items = value["b"]
    assert isinstance(items, YList) and items.where(1) == (5, 5)


def test_block_scalar_points_at_its_first_character() -> None:
    """The text of ``summary: |`` starts on the next line, at its indent."""
    value, _ = load_yaml("summary: |\n\n    text\n", "x.yaml")
    assert isinstance(value, YMap)
    assert value.where("summary") == (2, 5)
    assert value.value_style["summary"] == "|"


def test_error_at_end_of_input_lies_inside_the_file() -> None:
    """A mark past the final newline is moved back onto the last line."""
    _, diags = load_yaml("title: [unclosed\n", "x.yaml")
    assert (diags[0].line, diags[0].col) == (1, 17)


def test_regression_unprintable_character_raised_from_constructor() -> None:
    """Found by Hypothesis: PyYAML's Reader raises while the loader is being constructed."""
    value, diags = load_yaml("\x01", "x.yaml")
    assert value is None
    assert [(d.line, d.col) for d in diags] == [(1, 1)]
    assert "special characters" in diags[0].message


def test_front_matter_crlf_and_fences() -> None:
    """CRLF delimiters split like LF ones; the body's first line is counted from the file."""
    front, body, line = split_front_matter("---\r\ntitle: A\r\n---\r\nBody\r\n")
    assert (front, body, line) == ("title: A\r\n", "Body\r\n", 4)
    assert split_front_matter("no front matter\n") == (None, "no front matter\n", 1)


def test_form_feed_does_not_shift_lines() -> None:
    """Only CR and LF break lines, as in editors and markdown-it (str.splitlines also breaks at \\f)."""
    _, body, line = split_front_matter("---\na: '\x0c'\n---\nx\n")
    assert (body, line) == ("x\n", 4)


def test_regression_unclosed_front_matter() -> None:
    """Found by Hypothesis: an unclosed block put the body's first line past the end of the file."""
    assert unclosed_front_matter("---\n0")
    assert unclosed_front_matter("---")
    assert not unclosed_front_matter("---\n---")
    assert split_front_matter("---\n0")[2] == 3
