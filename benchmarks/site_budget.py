"""The site budget: build a generated site and print what it weighs against GitHub Pages' 1 GB limit.

    python benchmarks/site_budget.py OUT --events 100000 --articles 4000
    python benchmarks/site_budget.py OUT --built SITE_OUTPUT --events N   # measure a build already made

Writes the corpus of ``corpus.py`` to OUT/corpus, builds it into OUT/site (``timeline build
--no-cache -q`` as a subprocess, so its peak memory is its own) and prints, one figure a line:
total bytes and files (and bytes per event), the overview, the largest page of each kind, the
largest JSON-LD of an event page, the feeds, and the bytes a first search query reads (the
manifest, the shards and result chunks the search box would fetch for a word typed on the
overview, and the script). It ends with ``under 1 GB: yes|no``. It asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402  (the sibling script, not a package)

from timeline.outputs.search import decode_postings  # noqa: E402
from timeline.outputs.tokens import tokens  # noqa: E402

GIB = 1 << 30
PAGES_LIMIT = GIB
PREFIX_BYTES = 40_000  # as search.js: a prefix that would read more is matched as a whole word
LD = re.compile(rb'<script type="application/ld\+json">(.*?)</script>', re.S)
KINDS = (
    ("overview", re.compile(r"^index\.html$")),
    ("part", re.compile(r"^timeline/[^/]+/index\.html$")),
    ("event", re.compile(r"^events/[^/]+/index\.html$")),
    ("article", re.compile(r"^articles/[^/]+/index\.html$")),
    ("actor", re.compile(r"^actors/[^/]+/index\.html$")),
    ("place", re.compile(r"^places/[^/]+/index\.html$")),
    ("tag", re.compile(r"^tags/[^/]+/index\.html$")),
    ("sources", re.compile(r"^sources/(?:.+/)?index\.html$")),
    ("lists", re.compile(r"^(?:articles|actors|places|tags)/(?:page/[^/]+/)?index\.html$")),
)


def first_query(site: Path, word: str) -> tuple[int, list[str]]:
    """Return the bytes the search box reads for ``word`` typed as a prefix, and the files it reads."""
    root = site / "search"
    manifest = json.loads((root / "index.json").read_bytes())
    files = ["index.json"]
    total = 0
    docs: dict[int, int] = {}
    for n, need in enumerate(dict.fromkeys(tokens(word))):
        prefix = n == len(list(tokens(word))) - 1
        keys = list(manifest["shards"])
        home = max((k for k in keys if need.startswith(k)), key=len, default="")
        longer = [k for k in keys if len(k) > len(need) and k.startswith(need)] if prefix else []
        if sum(manifest["shards"][k] for k in longer) > PREFIX_BYTES:
            longer, prefix = [], False
        found: dict[int, int] = {}
        for key in ([home] if home else []) + longer:
            files.append(f"t/{key.encode('utf-8').hex()}.json")
            shard = json.loads((root / files[-1]).read_bytes())
            for token, entry in shard.items():
                if token == need or (prefix and token.startswith(need)):
                    for doc, title in decode_postings(entry).items():
                        found[doc] = found.get(doc, 0) | title
        docs = found if n == 0 else {d: s + found[d] for d, s in docs.items() if d in found}
    ranked = sorted(docs, key=lambda d: (-docs[d], -d))[:10]
    files += sorted({f"d/{d // manifest['chunk']}.json" for d in ranked})
    total = sum((root / f).stat().st_size for f in dict.fromkeys(files))
    script = site / "assets" / "search.js"
    return total + (script.stat().st_size if script.exists() else 0), files


def measure(site: Path, events: int) -> None:
    """Print the figures of the built site ``site``."""
    total = count = articles = 0
    largest: dict[str, tuple[int, str]] = {}
    ld_max = (0, "")
    for dirpath, _, names in os.walk(site):
        for name in names:
            path = Path(dirpath) / name
            size = path.stat().st_size
            total += size
            count += 1
            rel = path.relative_to(site).as_posix()
            if rel.startswith("articles/") or rel == "articles.xml":
                articles += size
            if not rel.endswith(".html"):
                continue
            for kind, pattern in KINDS:
                if pattern.match(rel) and size > largest.get(kind, (0, ""))[0]:
                    largest[kind] = (size, rel)
            if rel.startswith("events/"):
                ld = sum(len(m) for m in LD.findall(path.read_bytes()))
                ld_max = max(ld_max, (ld, rel))
    print(f"total: {total:,} bytes in {count:,} files ({total / max(events, 1):,.0f} bytes per event)")
    # Articles are a fixed part here; what grows with the timeline is the rest, event by event.
    per_event = (total - articles) / max(events, 1)
    fit = (PAGES_LIMIT - articles) / per_event if per_event else 0
    print(f"articles: {articles:,} bytes; the rest: {per_event:,.0f} bytes per event; ~{fit:,.0f} events fit in 1 GiB")
    for kind, _ in KINDS:
        size, rel = largest.get(kind, (0, "-"))
        print(f"largest {kind} page: {size:,} bytes ({rel})")
    print(f"largest event JSON-LD: {ld_max[0]:,} bytes ({ld_max[1]})")
    for name in ("feed.xml", "articles.xml", "events.json", "search/index.json"):
        if (site / name).exists():
            print(f"{name}: {(site / name).stat().st_size:,} bytes")
    for word in ("ceasefire", "talks northport", "r"):
        size, files = first_query(site, word)
        print(f"first query {word!r}: {size:,} bytes in {len(files) + 1} files (with search.js)")
    print(f"under 1 GB: {'yes' if total < PAGES_LIMIT else 'no'} ({total / PAGES_LIMIT:.1%} of 1 GiB)")


def main() -> None:
    """Generate, build and measure from the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--articles", type=int, default=4_000)
    parser.add_argument("--built", type=Path, help="measure this built site instead of building one")
    args = parser.parse_args()
    if args.built:
        measure(args.built, args.events)
        return
    corpus.generate(args.out / "corpus", args.articles, args.events)
    site = args.out / "site"
    started = time.perf_counter()
    command = [sys.executable, "-m", "timeline", "build", str(args.out / "corpus" / "timeline"), "-q", "--no-cache"]
    subprocess.run([*command, "-o", str(site), "--base-url", "https://example.org/archive/"], check=True)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"built {args.events:,} events and {args.articles:,} articles in {seconds:.0f} s, peak {peak:,.0f} MB")
    measure(site, args.events)


if __name__ == "__main__":
    main()
