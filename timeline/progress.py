"""What a build tells the person at the terminal: a live progress line, and one summary line at the end.

The pipeline only calls a plain ``Progress`` callable (stage, done, total); this module decides
what to show. The live line is drawn on a terminal only, once a build has run for about a second
(a quick build shows nothing but its summary), at most ten times a second, and is erased before
anything else is printed, so that it never mixes with diagnostics.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, TextIO

from timeline.errors import Diagnostic

if TYPE_CHECKING:
    from timeline.pages.render import RenderedSite

Progress = Callable[[str, int, int], None]
"""Called as ``progress(stage, done, total)``; ``total`` is 0 while it is not known."""

DELAY = 1.0
"""Seconds a build runs before the live line appears."""

INTERVAL = 0.1
"""Fewest seconds between two redraws of the live line."""


@dataclasses.dataclass(frozen=True, slots=True)
class FileCounts:
    """How the files of one build came to be in the output folder."""

    rendered: int
    copied: int
    unchanged: int

    @property
    def total(self) -> int:
        """Return the number of files in the output."""
        return self.rendered + self.copied + self.unchanged


def count_files(site: RenderedSite) -> FileCounts:
    """Return how many files a build rendered, copied and kept unchanged."""
    return FileCounts(len(site.pages), len(site.copies), len(site.kept))


def summary_line(counts: FileCounts, seconds: float, into: str | None = None) -> str:
    """Return the one line every successful build ends with (``build`` and ``serve`` alike)."""
    where = f" into {into}" if into else ""
    parts = [f"{counts.rendered} rendered"]
    if counts.copied:
        parts.append(f"{counts.copied} copied")
    parts.append(f"{counts.unchanged} unchanged")
    return f"built {counts.total} files{where} ({', '.join(parts)}) in {format_seconds(seconds)}"


def format_seconds(seconds: float) -> str:
    """Return an elapsed time as people read it: ``0.04 s``, ``2.31 s``, ``1 min 05 s``."""
    if seconds < 60:
        return f"{seconds:.2f} s"
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes} min {rest:02d} s"


class ProgressLine:
    """A ``Progress`` that draws one live line on a terminal (and, verbose, times each stage).

    ``live`` is False when the stream is not a terminal or the user asked for quiet; the line is
    then never drawn. ``verbose`` prints how long each stage took, terminal or not.
    """

    def __init__(
        self,
        stream: TextIO,
        *,
        live: bool,
        verbose: bool = False,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream
        self.live = live
        self.verbose = verbose
        self.clock = clock
        self.started = clock()
        self.stage = ""
        self.stage_started = self.started
        self.last_drawn = 0.0
        self.drawn = False
        self.redraws = 0

    def __call__(self, stage: str, done: int, total: int) -> None:
        """Note where the build is; redraw the line if it is due."""
        now = self.clock()
        if stage != self.stage:
            self._stage_done(now)
            self.stage, self.stage_started = stage, now
        elif not self.live or now - self.last_drawn < INTERVAL:
            return
        if self.live and now - self.started >= DELAY:
            self.last_drawn = now
            count = f" {done}/{total}" if total else ""
            text = f"{stage}{count}  {format_seconds(now - self.started)}"
            # \r and erase-to-end: the line is rewritten in place, never scrolled.
            self.stream.write(f"\r\x1b[K{text}")
            self.stream.flush()
            self.drawn = True
            self.redraws += 1

    def restart(self) -> None:
        """Count from now: the next build of a long-running ``serve``."""
        self.started = self.stage_started = self.clock()
        self.last_drawn = 0.0

    def clear(self) -> None:
        """Erase the live line (before diagnostics or the summary are printed)."""
        self._stage_done(self.clock())
        self.stage = ""
        if self.drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.drawn = False

    def elapsed(self) -> float:
        """Return the seconds since this build started."""
        return self.clock() - self.started

    def _stage_done(self, now: float) -> None:
        if self.verbose and self.stage:
            if self.drawn:
                self.stream.write("\r\x1b[K")
                self.drawn = False
            self.stream.write(f"{self.stage}: {format_seconds(now - self.stage_started)}\n")
            self.stream.flush()


class WarningLog:
    """The lines a long-running ``serve`` prints for a build's diagnostics, without repeating itself.

    Errors are printed after every build that has them (the build failed again). A warning is
    printed once when it appears and once, marked ``fixed:``, when it goes; a failed build may
    not have got far enough to find every warning, so only a good build can say one went.
    """

    def __init__(self) -> None:
        self.shown: frozenset[Diagnostic] = frozenset()

    def lines(self, diagnostics: Iterable[Diagnostic], *, complete: bool) -> list[str]:
        """Return the lines to print for one build's diagnostics, and remember its warnings."""
        found = tuple(diagnostics)
        warnings = frozenset(d for d in found if d.severity == "warning")
        out = [d.format() for d in found if d.severity == "error" or d not in self.shown]
        if complete:
            out += [f"fixed: {d.format()}" for d in sorted(self.shown - warnings)]
            self.shown = warnings
        else:
            self.shown |= warnings
        return out
