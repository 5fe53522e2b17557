"""The live progress line: when it appears, how often it is redrawn, and that it is erased."""

from __future__ import annotations

import io

from timeline.progress import DELAY, INTERVAL, FileCounts, ProgressLine, format_seconds, summary_line


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def drive(line: ProgressLine, clock: Clock, seconds: float, step: float = 0.001) -> None:
    """Report one page every ``step`` seconds for ``seconds``."""
    total = int(seconds / step)
    for done in range(1, total + 1):
        clock.now += step
        line("rendering", done, total)


def test_redrawn_at_most_ten_times_a_second_after_the_first_second() -> None:
    clock, stream = Clock(), io.StringIO()
    line = ProgressLine(stream, live=True, clock=clock)
    drive(line, clock, DELAY - 0.01)
    assert stream.getvalue() == ""  # a quick build shows nothing
    drive(line, clock, 3.0)
    assert 3.0 / INTERVAL - 2 <= line.redraws <= 3.0 / INTERVAL + 1
    assert stream.getvalue().count("\r\x1b[K") == line.redraws
    line.clear()
    assert stream.getvalue().endswith("\r\x1b[K")


def test_not_live_draws_nothing_and_verbose_times_each_stage() -> None:
    clock, stream = Clock(), io.StringIO()
    line = ProgressLine(stream, live=False, verbose=True, clock=clock)
    line("reading", 0, 10)
    clock.now += 2.5
    line("rendering", 0, 10)
    clock.now += 0.25
    line.clear()
    assert stream.getvalue() == "reading: 2.50 s\nrendering: 0.25 s\n"


def test_summary_line_words() -> None:
    assert (
        summary_line(FileCounts(3, 0, 5), 0.5, "_site")
        == "built 8 files into _site (3 rendered, 5 unchanged) in 0.50 s"
    )
    assert summary_line(FileCounts(3, 2, 0), 61) == "built 5 files (3 rendered, 2 copied, 0 unchanged) in 1 min 01 s"
    assert format_seconds(0.004) == "0.00 s"
