"""Diagnostics: located problems reported as ``path:line:col: severity: message``."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable
from typing import Literal

Severity = Literal["error", "warning"]

_CONTROL = {c: f"\\x{c:02x}" for c in (*range(0, 9), *range(11, 32), 127)}


def escape_control(text: str) -> str:
    """Return ``text`` with terminal control characters made visible (``\\x1b``)."""
    return text.translate(_CONTROL)


@dataclasses.dataclass(frozen=True, slots=True, order=True)
class Diagnostic:
    """One problem in one file, at a 1-based line and column."""

    path: str
    line: int
    col: int
    severity: Severity
    message: str

    def format(self) -> str:
        """Return the GCC-style one-line form, safe to print to a terminal."""
        text = f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message}"
        return escape_control(text)

    def as_dict(self) -> dict[str, object]:
        """Return the JSON form used by ``timeline check --format json``."""
        return dataclasses.asdict(self)


def error(path: str, line: int, col: int, message: str) -> Diagnostic:
    """Return an error diagnostic."""
    return Diagnostic(path, max(line, 1), max(col, 1), "error", message)


def warning(path: str, line: int, col: int, message: str) -> Diagnostic:
    """Return a warning diagnostic."""
    return Diagnostic(path, max(line, 1), max(col, 1), "warning", message)


def has_errors(diagnostics: Iterable[Diagnostic], *, strict: bool = False) -> bool:
    """Return True if any diagnostic fails the run (warnings too when ``strict``)."""
    return any(d.severity == "error" or strict for d in diagnostics)


def format_json(diagnostics: Iterable[Diagnostic]) -> str:
    """Return diagnostics as a JSON list of objects."""
    return json.dumps([d.as_dict() for d in diagnostics], indent=2, ensure_ascii=False)


class TimelineError(Exception):
    """Raised when a stage cannot go on; carries every diagnostic found so far."""

    exit_code = 1

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = tuple(sorted(diagnostics))
        super().__init__("\n".join(d.format() for d in self.diagnostics))


class UsageError(TimelineError):
    """Raised for a command line that cannot be run as given: a usage error (exit 2), not a problem at a file."""

    exit_code = 2

    def __init__(self, message: str, option: str = "") -> None:
        self.option = option
        self.message = message
        super().__init__([error(option or "command line", 1, 1, message)])

    def format(self, command: str) -> str:
        """Return the argparse-style line ``timeline build: error: argument -o/--output: ...``."""
        argument = f"argument {self.option}: " if self.option else ""
        return escape_control(f"timeline {command}: error: {argument}{self.message}")
