"""Time deploy's secret scan over a built site, and over hostile text made to slow a regex down.

    python benchmarks/secret_scan.py [--events 2000] [--articles 1000] [--keep DIR]

Writes a corpus site (``corpus.py``), builds it, then times ``deploy.scan_contents`` on the
output (every file, every byte) and ``credentials.find_secrets`` / ``credentials.redact`` on a
set of 1 MB adversarial inputs. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from timeline.build.pipeline import build_site
from timeline.publish.credentials import find_secrets, redact
from timeline.publish.deploy import scan_contents, scan_site

HOSTILE = {
    "ghp_ + 1M letters": "ghp_" + "a" * 1_000_000,
    "AKIA x 250k": "AKIA" * 250_000,
    "'-----BEGIN ' x 100k": "-----BEGIN " * 100_000,
    "xoxb- + 1M dashes": "xoxb-" + "-" * 1_000_000,
    "2,000 long API_TOKEN lines": ("API_TOKEN=" + "ab" * 200 + "\n") * 2_000,
    "'=' x 1M": "=" * 1_000_000,
    "https:// + '@:/' x 300k": "https://" + "@:/" * 300_000,
    "'?token=' x 150k": "?token=" * 150_000,
    "'x-access-token:' x 60k": "x-access-token:" * 60_000,
}


def main() -> None:
    """Build a corpus site and print the scan's figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--keep", type=Path, help="write the corpus here instead of a temporary folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="timeline-scan-") as tmp:
        base = args.keep or Path(tmp)
        corpus = Path(__file__).with_name("corpus.py")
        subprocess.run([sys.executable, str(corpus), str(base / "corpus"), "--articles", str(args.articles),
                        "--events", str(args.events)], check=True)  # fmt: skip
        site = base / "corpus" / "timeline"
        out = base / "built"
        result = build_site(site, out)
        if result.failed():
            raise SystemExit("the corpus did not build")
        files = scan_site(out)
        size = sum((out / rel).stat().st_size for rel in files)
        start = time.perf_counter()
        scan_contents(out, files)
        took = time.perf_counter() - start
        print(f"site: {len(files)} files, {size / 2**20:.1f} MiB; scan {took:.2f} s ({size / 2**20 / took:.0f} MiB/s)")
    for name, text in HOSTILE.items():
        data = text.encode()
        start = time.perf_counter()
        found = find_secrets("x", data)
        scan = time.perf_counter() - start
        start = time.perf_counter()
        redact(text)
        red = time.perf_counter() - start
        mib = len(data) / 2**20
        print(f"{name:32} {mib:5.2f} MiB  scan {scan:6.3f} s ({len(found)} findings)  redact {red:6.3f} s")


if __name__ == "__main__":
    main()
