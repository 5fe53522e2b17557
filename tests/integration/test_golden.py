"""The whole output of one small site, compared file by file with its golden copy.

Refresh after a reviewed change with ``pytest --update-golden``.
"""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

from timeline.build.pipeline import build_site

HERE = Path(__file__).resolve().parent
SITE = HERE.parent / "sites" / "basic"
GOLDEN = HERE.parent / "golden" / "basic"


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_basic_site_matches_golden(tmp_path: Path, update_golden: bool) -> None:
    out = tmp_path / "out"
    result = build_site(SITE, out)
    assert not result.failed(), [d.format() for d in result.diagnostics]
    assert result.diagnostics == (), "the golden site must build with no warning"
    built = {k: v for k, v in files(out).items() if k != ".timeline-output"}
    if update_golden:
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for rel, data in built.items():
            (GOLDEN / rel).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / rel).write_bytes(data)
    expected = files(GOLDEN)
    assert sorted(built) == sorted(expected), "files differ: run pytest --update-golden after reviewing"
    for rel, data in expected.items():
        if built[rel] != data:
            diff = difflib.unified_diff(
                data.decode(errors="replace").splitlines(),
                built[rel].decode(errors="replace").splitlines(),
                f"golden/{rel}",
                f"built/{rel}",
                lineterm="",
                n=2,
            )
            raise AssertionError("\n".join(list(diff)[:60]))
