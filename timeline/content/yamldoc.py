"""Strict YAML: every scalar a string, positions kept, no aliases, tags or duplicate keys.

This is the only YAML loader in timeline. PyYAML's own loaders turn ``NO`` into False,
``10:30`` into 630 and ``1994`` into an int, and follow aliases (billion laughs); we compose
the node graph ourselves and hand the schema plain strings, lists and mappings that remember
where each key and value stood, so every later diagnostic can point at a line and column.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator
from typing import Any, Final, Literal

import yaml

from timeline.errors import Diagnostic, error

Pos = tuple[int, int]
"""A 1-based (line, column) position."""

MAX_DEPTH = 64
# The line breaks PyYAML counts: its marks number lines by these, so positions are mapped with them.
_BREAK_RE = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")


class YMap(dict[str, Any]):
    """A mapping read from YAML that knows where its keys and values stood."""

    def __init__(self, pos: Pos) -> None:
        super().__init__()
        self.pos = pos
        self.key_pos: dict[str, Pos] = {}
        self.value_pos: dict[str, Pos] = {}
        self.value_style: dict[str, str | None] = {}
        """The scalar style of each value: None (plain), ``'``, ``"``, ``|`` or ``>``."""

    def where(self, key: str) -> Pos:
        """Return the position of the value of ``key``, or of the mapping itself."""
        return self.value_pos.get(key, self.pos)


class YList(list[Any]):
    """A sequence read from YAML that knows where each item stood."""

    def __init__(self, pos: Pos) -> None:
        super().__init__()
        self.pos = pos
        self.item_pos: list[Pos] = []

    def where(self, index: int) -> Pos:
        """Return the position of item ``index``."""
        return self.item_pos[index] if index < len(self.item_pos) else self.pos


class YamlProblem(Exception):
    """A violation of the strict subset, at a position."""

    def __init__(self, message: str, pos: Pos) -> None:
        super().__init__(message)
        self.message = message
        self.pos = pos


def _pos(node: yaml.Node | yaml.Event) -> Pos:
    mark = node.start_mark
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


class _StrictChecks(yaml.composer.Composer):
    """Composer hooks that refuse aliases, anchors, explicit tags and deep nesting as they come."""

    depth = 0

    def _peek(self) -> yaml.Event:
        event: yaml.Event = self.peek_event()  # type: ignore[attr-defined]
        return event

    def compose_node(self, parent: Any, index: Any) -> Any:
        # Refuse deep nesting while composing: PyYAML recurses once per level.
        if self.depth >= MAX_DEPTH:
            raise YamlProblem(f"nesting deeper than {MAX_DEPTH} levels", _pos(self._peek()))
        self.depth += 1
        try:
            return self._compose_checked(parent, index)
        finally:
            self.depth -= 1

    def _compose_checked(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):  # type: ignore[attr-defined]
            event = self._peek()
            raise YamlProblem("aliases are not allowed", _pos(event))
        event = self._peek()
        if getattr(event, "anchor", None) is not None:
            raise YamlProblem("anchors are not allowed", _pos(event))
        tag = getattr(event, "tag", None)
        if tag not in (None, "!"):
            raise YamlProblem(f"explicit tags are not allowed ({tag})", _pos(event))
        return super().compose_node(parent, index)


class _StrictLoader(_StrictChecks, yaml.SafeLoader):
    """The pure-Python strict loader: the reference for every diagnostic."""


_CParser: Any
try:
    import yaml.cyaml

    _CParser = getattr(yaml.cyaml, "CParser")  # noqa: B009 - not in the type stubs
except (ImportError, AttributeError):  # pragma: no cover - PyYAML built without libyaml
    _CParser = None

if _CParser is not None:

    class _FastStrictLoader(_StrictChecks, _CParser, yaml.resolver.Resolver):  # type: ignore[misc]
        """The same checks over libyaml's C scanner and parser, about ten times faster.

        Only used for files that parse cleanly; any problem is re-read by ``_StrictLoader`` so
        that messages and positions are the same whichever parser is installed.
        """

        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)
            yaml.composer.Composer.__init__(self)
            yaml.resolver.Resolver.__init__(self)

else:  # pragma: no cover - PyYAML built without libyaml
    _FastStrictLoader = _StrictLoader  # type: ignore[misc,assignment]

LIBYAML: Final = _FastStrictLoader is not _StrictLoader
"""Whether the fast path reads with libyaml's C parser (PyYAML built with it)."""


def _fast_load(text: str, lines: list[str]) -> tuple[bool, Any]:
    """Return (True, value) when libyaml reads ``text`` with no problem, else (False, None)."""
    loader = None
    try:
        loader = _FastStrictLoader(text)
        node = loader.get_single_node()
        return True, None if node is None else _convert(node, lines)
    except (yaml.YAMLError, YamlProblem, RecursionError, ValueError):
        return False, None
    finally:
        if loader is not None:
            loader.dispose()


def _convert(node: yaml.Node, lines: list[str]) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return str(node.value)
    if isinstance(node, yaml.SequenceNode):
        seq = YList(_pos(node))
        for item in node.value:
            seq.append(_convert(item, lines))
            seq.item_pos.append(_pos(item))
        return seq
    assert isinstance(node, yaml.MappingNode)
    mapping = YMap(_pos(node))
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise YamlProblem("mapping keys must be plain strings", _pos(key_node))
        key = str(key_node.value)
        if key in mapping:
            line = mapping.key_pos[key][0]
            raise YamlProblem(f"duplicate key '{key}' (first defined on line {line})", _pos(key_node))
        mapping[key] = _convert(value_node, lines)
        mapping.key_pos[key] = _pos(key_node)
        mapping.value_pos[key] = _value_pos(value_node, lines)
        mapping.value_style[key] = value_node.style if isinstance(value_node, yaml.ScalarNode) else None
    return mapping


def _value_pos(node: yaml.Node, lines: list[str]) -> Pos:
    # A block scalar ("key: |") holds its text from the next line on, indented; point at its
    # first character, so that lines and columns inside Markdown summaries map onto the file.
    if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
        first = node.start_mark.line + 1
        for number in range(first, min(node.end_mark.line + 1, len(lines))):
            if lines[number].strip():
                return (first + 1, len(lines[number]) - len(lines[number].lstrip(" ")) + 1)
        return (first + 1, 1)
    return _pos(node)


def _clamp(pos: Pos, lines: list[str]) -> Pos:
    """Return ``pos`` moved back inside the text (a mark at the end of input lies past it)."""
    last = len(lines)
    while last > 1 and not lines[last - 1]:
        last -= 1
    line, col = pos
    if line > last:
        return (last, len(lines[last - 1]) + 1 if lines else 1)
    return (max(line, 1), min(max(col, 1), len(lines[line - 1]) + 1 if line <= len(lines) else col))


def load_yaml(
    text: str, path: str, *, line_offset: int = 0, parser: Literal["fast", "reference"] = "fast"
) -> tuple[Any, list[Diagnostic]]:
    """Parse one YAML document; return its value (None when empty or invalid) and diagnostics.

    ``line_offset`` is added to every line, for YAML embedded in a larger file (front matter).
    ``parser="reference"`` skips libyaml and reads with the pure-Python loader only: the one that
    every diagnostic comes from, against which the fast path is checked.
    """
    lines = _BREAK_RE.split(text)

    def fail(pos: Pos, message: str) -> tuple[Any, list[Diagnostic]]:
        line, col = _clamp(pos, lines)
        return None, [error(path, line + line_offset, col, message)]

    ok, fast_value = _fast_load(text, lines) if parser == "fast" else (False, None)
    if ok:
        if line_offset:
            _shift(fast_value, line_offset)
        return fast_value, []
    loader = None
    try:
        # The constructor already scans for unprintable characters and may raise.
        loader = _StrictLoader(text)
        node = loader.get_single_node()
        value = None if node is None else _convert(node, lines)
    except YamlProblem as exc:
        return fail(exc.pos, exc.message)
    except yaml.MarkedYAMLError as exc:
        where, message = _syntax_error(exc, lines, line_offset)
        return fail(where, f"YAML syntax: {message}")
    except yaml.YAMLError as exc:
        return fail(_reader_error_pos(exc, text), f"YAML: {_one_line(exc)}")
    except RecursionError:
        return fail((1, 1), "YAML nesting too deep")
    finally:
        if loader is not None:
            loader.dispose()
    if line_offset:
        _shift(value, line_offset)
    return value, []


# Constructs that a syntax error may have left open, as PyYAML names them in ``context``.
_OPENED = {
    "while parsing a flow sequence": "the list opened here with '[' is never closed",
    "while parsing a flow mapping": "the mapping opened here with '{' is never closed",
    "while scanning a quoted scalar": "the quoted text opened here is never closed",
}


def _syntax_error(exc: yaml.MarkedYAMLError, lines: list[str], line_offset: int) -> tuple[Pos, str]:
    """Return where a syntax error is reported and its message, naming both ends of an unclosed construct.

    The parser gives up where the text stops making sense, often a line after the real mistake
    (an unclosed ``[``); the error is put at the construct's start and says where the parser stopped.
    """
    problem = (exc.problem_mark.line + 1, exc.problem_mark.column + 1) if exc.problem_mark else None
    context = (exc.context_mark.line + 1, exc.context_mark.column + 1) if exc.context_mark else None
    detail = exc.problem or "invalid YAML"
    if context is None or problem is None or context == problem:
        message = " ".join(p for p in (exc.context, exc.problem) if p) or "invalid YAML"
        return problem or context or (1, 1), message
    stopped_line, stopped_col = _clamp(problem, lines)
    stopped = f"{stopped_line + line_offset}:{stopped_col}"
    opened = _OPENED.get(exc.context or "")
    if opened is not None:
        return context, f"{opened}; the parser stopped at {stopped}: {detail}"
    start_line, start_col = _clamp(context, lines)
    return problem, f"{exc.context} (from {start_line + line_offset}:{start_col}), {detail}"


def _reader_error_pos(exc: yaml.YAMLError, text: str) -> Pos:
    position = getattr(exc, "position", None)
    if isinstance(position, int):
        before = text[:position]
        return (before.count("\n") + 1, position - (before.rfind("\n") + 1) + 1)
    return (1, 1)


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


def _shift(value: Any, offset: int) -> None:
    def moved(p: Pos) -> Pos:
        return (p[0] + offset, p[1])

    if isinstance(value, YMap):
        value.pos = moved(value.pos)
        value.key_pos = {k: moved(p) for k, p in value.key_pos.items()}
        value.value_pos = {k: moved(p) for k, p in value.value_pos.items()}
        for item in value.values():
            _shift(item, offset)
    elif isinstance(value, YList):
        value.pos = moved(value.pos)
        value.item_pos = [moved(p) for p in value.item_pos]
        for item in value:
            _shift(item, offset)


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """Split ``---`` front matter from a Markdown file.

    Return (front matter or None, body, number of the body's first line).
    """
    lines = _physical_lines(text)
    end = _front_matter_end(lines)
    if end is None:
        return None, text, 1
    return "".join(lines[1:end]), "".join(lines[end + 1 :]), min(end + 2, len(lines) + 1)


def unclosed_front_matter(text: str) -> bool:
    """Return True if ``text`` opens front matter with ``---`` and never closes it."""
    lines = _physical_lines(text)
    return _front_matter_end(lines) == len(lines)


def _physical_lines(text: str) -> list[str]:
    # Lines as editors and markdown-it count them (\r\n, \r or \n), not str.splitlines(),
    # which also breaks at form feeds and other characters and would shift every line after.
    return re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", text)


def _is_fence(line: str, fences: tuple[str, ...]) -> bool:
    return line.rstrip("\r\n").rstrip() in fences


def _front_matter_end(lines: list[str]) -> int | None:
    # The index of the closing fence; len(lines) when the block runs to the end of the file.
    if not lines or not _is_fence(lines[0], ("---",)):
        return None
    for index in range(1, len(lines)):
        if _is_fence(lines[index], ("---", "...")):
            return index
    return len(lines)


class Fields:
    """Typed, collecting access to one YAML mapping against a fixed set of field names."""

    def __init__(self, mapping: YMap, path: str, allowed: tuple[str, ...], diags: list[Diagnostic]) -> None:
        self.mapping = mapping
        self.path = path
        self.diags = diags
        for key in mapping:
            if key not in allowed:
                line, col = mapping.key_pos[key]
                hint = difflib.get_close_matches(key, allowed, n=1)
                extra = f" (did you mean '{hint[0]}'?)" if hint else ""
                self.diags.append(error(path, line, col, f"unknown field '{key}'{extra}"))

    def fail(self, key: str, message: str) -> None:
        """Record an error at the value of ``key``."""
        line, col = self.mapping.where(key)
        self.diags.append(error(self.path, line, col, message))

    def where(self, key: str) -> Pos:
        """Return the position of ``key``'s value."""
        return self.mapping.where(key)

    def text(self, key: str, *, required: bool = False, default: str = "") -> str:
        """Return a string field, stripped of surrounding white space."""
        value = self.mapping.get(key)
        if value is None:
            if required:
                line, col = self.mapping.pos
                self.diags.append(error(self.path, line, col, f"missing required field '{key}'"))
            return default
        if not isinstance(value, str):
            self.fail(key, f"'{key}' must be a string, not a {_kind(value)}")
            return default
        if required and not value.strip():
            self.fail(key, f"'{key}' must not be empty")
        return value.strip()

    def words(self, key: str) -> tuple[tuple[str, Pos], ...]:
        """Return a list-of-strings field (a single string counts as a list of one)."""
        value = self.mapping.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            return ((value.strip(), self.where(key)),) if value.strip() else ()
        if not isinstance(value, YList):
            self.fail(key, f"'{key}' must be a list of strings, not a {_kind(value)}")
            return ()
        out: list[tuple[str, Pos]] = []
        for index, item in enumerate(value):
            if isinstance(item, str) and item.strip():
                out.append((item.strip(), value.where(index)))
            else:
                line, col = value.where(index)
                self.diags.append(error(self.path, line, col, f"'{key}' items must be non-empty strings"))
        return tuple(out)

    def records(self, key: str) -> Iterator[YMap]:
        """Yield the mappings of a list-of-mappings field."""
        value = self.mapping.get(key)
        if value is None:
            return
        if not isinstance(value, YList):
            self.fail(key, f"'{key}' must be a list, not a {_kind(value)}")
            return
        for index, item in enumerate(value):
            if isinstance(item, YMap):
                yield item
            else:
                line, col = value.where(index)
                self.diags.append(error(self.path, line, col, f"'{key}' items must be mappings, not {_kind(item)}s"))

    def parsed(self, key: str, parse: Callable[[str], Any], *, required: bool = False) -> Any:
        """Return ``parse(text)`` of a string field; a ValueError becomes a diagnostic."""
        raw = self.text(key, required=required)
        if not raw:
            return None
        try:
            return parse(raw)
        except ValueError as exc:
            self.fail(key, f"{key}: {exc}")
            return None


def _kind(value: Any) -> str:
    if isinstance(value, YMap):
        return "mapping"
    if isinstance(value, YList):
        return "list"
    return "string"
