"""Located input: JSON values and CSV cells that keep the line and column they were written at.

Importers report a problem at the field that holds it (``timeline.json:14:22``), so a reader
needs to know where each value came from; the standard ``json`` and ``csv`` modules do not say.
"""

from __future__ import annotations

import dataclasses
import json
import re
from typing import Any

Path = tuple[str | int, ...]
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_SPACE = re.compile(r"[ \t\n\r]*")
_UNQUOTED = re.compile(r"[^,\r\n]*")
_CONSTANTS = {"true": True, "false": False, "null": None, "NaN": float("nan"), "Infinity": float("inf"),
              "-Infinity": float("-inf")}  # fmt: skip
MAX_DEPTH = 200  # deeper than any timeline needs; keeps the recursive reader far from Python's limit


class JSONProblem(ValueError):
    """JSON that cannot be read, at a 1-based line and column."""

    def __init__(self, message: str, line: int, col: int) -> None:
        super().__init__(message)
        self.line, self.col = line, col


@dataclasses.dataclass(frozen=True, slots=True)
class Located:
    """A JSON document and where each of its values starts, by path (``("events", 3, "text")``)."""

    value: Any
    starts: dict[Path, int]
    lines: tuple[int, ...]  # offset of each line's first character

    def where(self, path: Path) -> tuple[int, int]:
        """Return (line, col) of the value at ``path``, or of its nearest parent that was written."""
        while path not in self.starts and path:
            path = path[:-1]
        offset = self.starts.get(path, 0)
        line = _line_of(self.lines, offset)
        return line + 1, offset - self.lines[line] + 1


def _line_of(lines: tuple[int, ...], offset: int) -> int:
    low, high = 0, len(lines) - 1
    while low < high:
        middle = (low + high + 1) // 2
        if lines[middle] <= offset:
            low = middle
        else:
            high = middle - 1
    return low


def _line_starts(text: str) -> tuple[int, ...]:
    return (0, *(m.end() for m in re.finditer(r"\r\n|\r|\n", text)))


class _Reader:
    """A recursive-descent reader of JSON text that json.loads has already accepted."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts: dict[Path, int] = {}

    def skip(self, at: int) -> int:
        match = _SPACE.match(self.text, at)
        return match.end() if match else at

    def value(self, at: int, path: Path) -> tuple[Any, int]:
        at = self.skip(at)
        self.starts[path] = at
        if len(path) > MAX_DEPTH:
            raise ValueError(f"nested more than {MAX_DEPTH} levels deep")
        char = self.text[at : at + 1]
        if char == "{":
            return self.mapping(at + 1, path)
        if char == "[":
            return self.sequence(at + 1, path)
        if char == '"':
            return self.string(at)
        for word, constant in _CONSTANTS.items():
            if self.text.startswith(word, at):
                return constant, at + len(word)
        match = _NUMBER.match(self.text, at)
        if not match:
            raise ValueError("unexpected character")
        number = match.group()
        return (float(number) if any(c in number for c in ".eE") else int(number)), match.end()

    def string(self, at: int) -> tuple[str, int]:
        match = _STRING.match(self.text, at)
        if not match:
            raise ValueError("unterminated string")
        raw = match.group()
        text: str = json.loads(raw) if "\\" in raw else raw[1:-1]
        return text, match.end()

    def mapping(self, at: int, path: Path) -> tuple[dict[str, Any], int]:
        found: dict[str, Any] = {}
        at = self.skip(at)
        if self.text.startswith("}", at):
            return found, at + 1
        while True:
            at = self.skip(at)
            key, at = self.string(at)
            at = self.skip(at) + 1  # the colon
            found[key], at = self.value(at, (*path, key))
            at = self.skip(at)
            if self.text.startswith("}", at):
                return found, at + 1
            at += 1  # the comma

    def sequence(self, at: int, path: Path) -> tuple[list[Any], int]:
        found: list[Any] = []
        at = self.skip(at)
        if self.text.startswith("]", at):
            return found, at + 1
        while True:
            item, at = self.value(at, (*path, len(found)))
            found.append(item)
            at = self.skip(at)
            if self.text.startswith("]", at):
                return found, at + 1
            at += 1


def load_json(text: str) -> Located:
    """Return the JSON document in ``text`` with where each value starts; raise JSONProblem if not JSON."""
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        raise JSONProblem(f"not JSON: {exc.msg}", exc.lineno, exc.colno) from None
    except RecursionError:
        raise JSONProblem("not JSON that can be read: nested too deeply", 1, 1) from None
    reader = _Reader(text)
    try:
        value, _ = reader.value(0, ())
    except ValueError as exc:
        raise JSONProblem(f"not JSON that can be read: {exc}", 1, 1) from None
    return Located(value, reader.starts, _line_starts(text))


@dataclasses.dataclass(frozen=True, slots=True)
class Cell:
    """One CSV field as written (quotes removed), with the line and column it starts at."""

    text: str
    line: int
    col: int


def read_csv(text: str) -> list[list[Cell]]:
    """Return the records of RFC 4180 CSV text as located cells; blank lines are left out.

    >>> [[c.text for c in row] for row in read_csv('a,"b, ""x"" c"\\n1,2\\n')]
    [['a', 'b, "x" c'], ['1', '2']]
    """
    rows: list[list[Cell]] = []
    row: list[Cell] = []
    line, col, at, size = 1, 1, 0, len(text)
    while at < size or row:
        start = (line, col)
        if at < size and text[at] == '"':
            parts, at, col = [], at + 1, col + 1
            while at < size:
                char = text[at]
                if char == '"':
                    if text.startswith('""', at):
                        parts.append('"')
                        at, col = at + 2, col + 2
                        continue
                    at, col = at + 1, col + 1
                    break
                parts.append(char)
                if char == "\n" or (char == "\r" and not text.startswith("\r\n", at)):
                    line, col = line + 1, 0
                at, col = at + 1, col + 1
            # Text after a closing quote (`"a"b`) is kept, as spreadsheets do.
            match = _UNQUOTED.match(text, at)
            tail = match.group() if match else ""
            value = "".join(parts) + tail
            at, col = at + len(tail), col + len(tail)
        else:
            match = _UNQUOTED.match(text, at)
            value = match.group() if match else ""
            at, col = at + len(value), col + len(value)
        row.append(Cell(value, *start))
        if at < size and text[at] == ",":
            at, col = at + 1, col + 1
            continue
        # End of a record: a line break or the end of the text.
        if text.startswith("\r\n", at):
            at += 2
        elif at < size:
            at += 1
        line, col = line + 1, 1
        if any(c.text.strip() for c in row) or len(row) > 1:
            rows.append(row)
        row = []
        if at >= size:
            break
    return rows
