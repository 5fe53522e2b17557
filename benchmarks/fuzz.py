"""Fuzz whole sites through check and build for a while; print cases run, failures and the slowest case.

    .venv/bin/python benchmarks/fuzz.py --minutes 30            # the issue's bar: 0 failures, 0 cases over 5 s
    .venv/bin/python benchmarks/fuzz.py --minutes 1 --seed 7    # a quick look

Cases come from ``tests/property/sitefuzz.py`` (generated and mutated sites), in chunks of
Hypothesis runs with seeds ``seed``, ``seed + 1``, ...: the same seed and the same number of
cases give the same sites. Each failure (an uncaught exception, or a diagnostic inside the
built-in theme) and each case over 5 s is saved with its files under ``--keep`` so that it can
be replayed with ``timeline check``.
"""

from __future__ import annotations

import argparse
import collections
import sys
import tempfile
import time
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere

from tests.property.sitefuzz import CASE_LIMIT, Outcome, run_case, sites  # noqa: E402


def keep(folder: Path, number: int, files: dict[str, bytes], outcome: Outcome) -> Path:
    """Save a failing or slow case's files and what happened, for replay."""
    case = folder / f"case-{number:06d}"
    for rel, data in files.items():
        path = case / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    (case / "OUTCOME.txt").write_text(f"{outcome.seconds:.2f} s\n{outcome.failure or ''}\n", encoding="utf-8")
    return case


def main() -> int:
    """Run cases until the time is up; exit 1 if any failed or took longer than the limit."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--build-share", type=float, default=0.3, help="share of cases also built (default 0.3)")
    parser.add_argument("--keep", type=Path, default=Path("fuzz-failures"), help="where failing cases are saved")
    parser.add_argument("--chunk", type=int, default=500, help="cases per Hypothesis run")
    args = parser.parse_args()

    stop = time.monotonic() + args.minutes * 60
    counts: collections.Counter[str] = collections.Counter()
    first: dict[str, Path] = {}
    slowest = (0.0, "")
    cases = failures = slow = rendered = noisy = 0

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "site"

        def one(files: dict[str, bytes], build: bool) -> None:
            nonlocal cases, failures, slow, slowest, rendered, noisy
            if time.monotonic() > stop:
                return
            outcome = run_case(root, files, build=build)
            cases += 1
            rendered += outcome.rendered
            if outcome.seconds > slowest[0]:
                slowest = (outcome.seconds, f"case {cases}, {'build' if build else 'check'}")
            if outcome.failure is not None:
                failures += 1
                signature = outcome.signature or "?"
                counts[signature] += 1
                if signature not in first:
                    first[signature] = keep(args.keep, cases, files, outcome)
                    print(f"failure: {signature} (saved in {first[signature]})", flush=True)
            if outcome.seconds > CASE_LIMIT:
                # Once more, so that a moment of load on a shared machine is not taken for a hang.
                again = run_case(root, files, build=build)
                saved = keep(args.keep, cases, files, outcome)
                print(f"slow: {outcome.seconds:.1f} s, then {again.seconds:.1f} s (saved in {saved})", flush=True)
                slow += again.seconds > CASE_LIMIT
                noisy += again.seconds <= CASE_LIMIT

        chunk = 0
        while time.monotonic() < stop:
            run = settings(
                max_examples=args.chunk,
                deadline=None,
                database=None,
                phases=[Phase.generate],
                suppress_health_check=list(HealthCheck),
            )(seed(args.seed + chunk)(given(sites, st.floats(0, 1).map(lambda x: x < args.build_share))(one)))
            run()
            chunk += 1
            print(f"{cases} cases, {failures} failures, slowest {slowest[0]:.2f} s", flush=True)

    print(f"cases run: {cases} ({rendered} without errors, so rendered too)")
    print(f"uncaught exceptions or misplaced diagnostics: {failures} ({len(counts)} distinct causes)")
    for signature, count in counts.most_common():
        print(f"  {count:6d}  {signature}  e.g. {first[signature]}")
    print(f"cases over {CASE_LIMIT:g} s: {slow} (and {noisy} that were not when run again)")
    print(f"slowest case: {slowest[0]:.2f} s ({slowest[1]})")
    return 1 if failures or slow else 0


if __name__ == "__main__":
    sys.exit(main())
