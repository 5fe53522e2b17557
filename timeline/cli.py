"""The command line: the only place that prints diagnostics and chooses exit codes."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from timeline import __version__
from timeline.build import BuildResult, build_site, check_site
from timeline.errors import Diagnostic, TimelineError, format_json, has_errors


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="timeline", description="Build source-cited event timelines.")
    parser.add_argument("--version", action="version", version=f"timeline {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = commands.add_parser("build", help="build the site into its output folder")
    build.add_argument("site", nargs="?", default=".", type=Path, help="site folder (default: .)")
    build.add_argument("-o", "--output", type=Path, help="output folder (default: from site.yaml, _site)")
    build.add_argument("--base-url", help="override base_url (also TIMELINE_BASE_URL)")
    build.add_argument("--strict", action="store_true", help="treat warnings as errors")
    build.add_argument("-q", "--quiet", action="store_true", help="print only problems")

    check = commands.add_parser("check", help="run the whole pipeline and report problems; write nothing")
    check.add_argument("site", nargs="?", default=".", type=Path)
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    check.add_argument("--base-url")

    imports = commands.add_parser("import", help="turn reports and other timelines into content files")
    kinds = imports.add_subparsers(dest="kind", required=True, metavar="KIND")
    article = kinds.add_parser("article", help="a saved news report (text or HTML) -> content/articles/<id>.md")
    article.add_argument("file", type=Path)
    article.add_argument("--site", type=Path, default=Path("."), help="site folder (default: .)")
    article.add_argument("--id", dest="article_id", help="article id (default: publisher-date-title words)")
    article.add_argument("--force", action="store_true", help="replace an existing article")
    return parser


def _base_url(args: argparse.Namespace) -> str | None:
    return getattr(args, "base_url", None) or os.environ.get("TIMELINE_BASE_URL") or None


def _report(diagnostics: Sequence[Diagnostic], err: TextIO) -> None:
    for diagnostic in diagnostics:
        print(diagnostic.format(), file=err)


def _summary(result: BuildResult, err: TextIO) -> None:
    errors = sum(d.severity == "error" for d in result.diagnostics)
    warnings = len(result.diagnostics) - errors
    if errors or warnings:
        print(f"{errors} error(s), {warnings} warning(s)", file=err)


def cmd_build(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Build the site; exit 1 when it has errors (or warnings with --strict)."""
    result = build_site(args.site, args.output, base_url=_base_url(args), strict=args.strict)
    _report(result.diagnostics, err)
    _summary(result, err)
    if result.failed(strict=args.strict):
        print("build failed; the previous output was left as it was", file=err)
        return 1
    if not args.quiet and result.site is not None:
        print(f"built {len(result.site.pages)} pages into {result.config.output}", file=out)
    return 0


def cmd_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Report every problem; exit 1 on errors (or warnings with --strict)."""
    result = check_site(args.site, base_url=_base_url(args))
    if args.format == "json":
        print(format_json(result.diagnostics), file=out)
    else:
        _report(result.diagnostics, out)
        _summary(result, err)
    return 1 if has_errors(result.diagnostics, strict=args.strict) or result.site is None else 0


def cmd_import(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Write content files from a report or another tool's timeline; exit 1 if nothing was written."""
    from timeline.ingest import import_article

    path, diagnostics = import_article(args.file, args.site / "content", article_id=args.article_id, force=args.force)
    _report(diagnostics, err)
    if path is None:
        return 1
    print(f"wrote {path}", file=out)
    return 0


COMMANDS = {"build": cmd_build, "check": cmd_check, "import": cmd_import}


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run one command; return its exit code (0 ok, 1 problems in the site, 2 usage)."""
    out = out or sys.stdout
    err = err or sys.stderr
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args, out, err)
    except TimelineError as exc:
        if getattr(args, "format", "text") == "json":
            print(format_json(exc.diagnostics), file=out)
        else:
            _report(exc.diagnostics, err)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130


def main_entry() -> None:
    """Run ``main`` as the ``timeline`` console script."""
    sys.exit(main())
