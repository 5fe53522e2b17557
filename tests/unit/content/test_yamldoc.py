"""The strict YAML loader and the front-matter splitter (T9-T12)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline.content.yamldoc import YList, YMap, load_yaml, split_front_matter, unclosed_front_matter


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
    assert (diags[0].line, diags[0].col) == (1, 8)
    assert "stopped at 1:17:" in diags[0].message


@pytest.mark.parametrize(
    ("text", "offset", "opened", "stopped"),
    [
        ("title: x\ndate: [2021-03-02\nsummary: y\n", 0, (2, 7), "3:8"),
        ("title: x\ndate: [2021-03-02\nsummary: y\n", 1, (3, 7), "4:8"),
        ('a: "abc\nb: c\n', 0, (1, 4), "2:5"),
        ("a: {x: 1\nb: 2\n", 0, (1, 4), "2:2"),
    ],
)
def test_unclosed_construct_is_reported_where_it_opens(
    text: str, offset: int, opened: tuple[int, int], stopped: str
) -> None:
    """The error stands at the unclosed bracket or quote, and names where the parser gave up."""
    _, diags = load_yaml(text, "x.yaml", line_offset=offset)
    assert len(diags) == 1
    assert (diags[0].line, diags[0].col) == opened
    assert "never closed" in diags[0].message
    assert f"the parser stopped at {stopped}:" in diags[0].message


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


def _shape(value: object) -> object:
    """Return a value with every position it carries, for comparing two loaders."""
    from timeline.content.yamldoc import YList, YMap

    if isinstance(value, YMap):
        items = tuple((k, value.key_pos[k], value.value_pos[k], _shape(v)) for k, v in value.items())
        return ("map", value.pos, items)
    if isinstance(value, YList):
        return ("list", value.pos, tuple(value.item_pos), tuple(_shape(v) for v in value))
    return value


def _reference(text: str) -> object:
    value, diags = load_yaml(text, "x.yaml", parser="reference")
    if diags:
        raise ValueError(diags[0].message)
    return _shape(value)


def test_libyaml_path_matches_pure_python_on_real_files() -> None:
    repo = Path(__file__).resolve().parents[3]
    files = [*repo.glob("content/**/*.yaml"), *repo.glob("tests/sites/**/*.yaml"), repo / "site.yaml"]
    assert len(files) > 10
    for path in files:
        text = path.read_text(encoding="utf-8")
        value, diags = load_yaml(text, "x.yaml")
        assert diags == []
        assert _shape(value) == _reference(text), path


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab:- \n'\"|>#[]{},\t1") + ["é", "\u2028"]), max_size=80))
def test_libyaml_path_never_disagrees_with_pure_python(text: str) -> None:
    value, diags = load_yaml(text, "x.yaml")
    try:
        reference = _reference(text)
    except ValueError:  # the reference refuses it; libyaml is a little more lenient (a tab after "1")
        return
    assert diags == []
    assert _shape(value) == reference


def test_libyaml_is_used_when_pyyaml_has_it() -> None:
    import yaml

    from timeline.content import yamldoc

    assert yamldoc.LIBYAML == bool(yaml.__with_libyaml__)


def test_reference_parser_gives_the_same_diagnostics_as_the_default() -> None:
    for text in ["a: [1, 2\n", "a: 1\na: 2\n", "x: !!python/name:os.system\n", "k: v\n\t- y\n"]:
        assert load_yaml(text, "x.yaml")[1] == load_yaml(text, "x.yaml", parser="reference")[1] != []
