"""The command line: the only place that prints diagnostics and chooses exit codes.

One rule for every command: diagnostics, progress and notes go to stderr; results (the build
summary, ``check --format json``, written paths, the deploy URL) go to stdout. Exit codes: 0
success, 1 problems in the site, 2 usage errors (bad options, a missing site folder, a taken
``--port``).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from timeline import __version__
from timeline.commands.manual import TOPICS
from timeline.errors import Diagnostic, TimelineError, UsageError, error, escape_control, format_json, has_errors

if TYPE_CHECKING:
    from timeline.build.pipeline import BuildResult
    from timeline.progress import ProgressLine

DEFAULT_PORT = 8000
SITE_HELP = "site folder: site.yaml and content/ (default: the current folder)"
BASE_URL_HELP = "override base_url of site.yaml (default: $TIMELINE_BASE_URL, else site.yaml's)"
WHAT_A_SITE_HOLDS = (
    "a site folder holds site.yaml and content/ (events/*.yaml, articles/*.md, actors.yaml, places.yaml); "
    "start one with: timeline new site DIR"
)


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port {port} is not between 0 and 65535")
    return port


def _seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0 < seconds <= 3600:
        raise argparse.ArgumentTypeError(f"{text} seconds is not between 0 and 3600")
    return seconds


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="timeline", description="Build source-cited event timelines.")
    parser.add_argument("--version", action="version", version=f"timeline {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", help="one of:")
    # -q and -v on every command, from one parent parser.
    common = argparse.ArgumentParser(add_help=False)
    loudness = common.add_mutually_exclusive_group()
    loudness.add_argument("-q", "--quiet", action="store_true", help="print only problems (default: off)")
    loudness.add_argument(
        "-v", "--verbose", action="store_true", help="also print how long each stage took (default: off)"
    )

    def command(where: argparse._SubParsersAction[argparse.ArgumentParser], name: str, text: str) -> Any:
        return where.add_parser(name, help=text, description=text, parents=[common])

    build = command(commands, "build", "build the site into its output folder")
    build.add_argument("site", nargs="?", default=".", type=Path, help=SITE_HELP)
    build.add_argument(
        "-o", "--output", type=Path, help="output folder (default: output of site.yaml, else SITE/_site)"
    )
    build.add_argument("--base-url", help=BASE_URL_HELP)
    build.add_argument("--strict", action="store_true", help="treat warnings as errors (default: off)")
    build.add_argument(
        "--no-cache", action="store_true", help="ignore and do not write .timeline-cache/ (default: use it)"
    )
    build.add_argument(
        "--publish",
        action="store_true",
        help="build for publishing (the Pages workflow): warnings stop it as they stop deploy; "
        "writes folder=<output> to $GITHUB_OUTPUT when set (default: off)",
    )
    build.add_argument(
        "--allow-warnings", action="store_true", help="with --publish: publish despite warnings (default: off)"
    )

    check = command(commands, "check", "run the whole pipeline and report problems; write nothing")
    check.add_argument("site", nargs="?", default=".", type=Path, help=SITE_HELP)
    check.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text: one path:line:col line per problem, on stderr; json: a list on stdout (default: %(default)s)",
    )
    check.add_argument("--strict", action="store_true", help="exit 1 on warnings too (default: off)")
    check.add_argument("--base-url", help=BASE_URL_HELP)

    serve = command(commands, "serve", "preview the site with live reload while you edit")
    serve.add_argument("site", nargs="?", default=".", type=Path, help=SITE_HELP)
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on; anything but loopback is public (default: %(default)s)",
    )
    serve.add_argument(
        "--port",
        type=_port,
        help=f"port to listen on; exit 2 if it is taken (default: {DEFAULT_PORT}, or the next free port, announced)",
    )
    serve.add_argument("--open", action="store_true", help="open the site in a browser (default: off)")
    serve.add_argument(
        "--no-reload", action="store_true", help="do not inject the live-reload script (default: inject it)"
    )
    serve.add_argument(
        "--poll",
        nargs="?",
        const=0.5,
        type=_seconds,
        metavar="SECONDS",
        help="poll for changes every SECONDS (Docker, WSL) (default: off, use file system events; 0.5 if no SECONDS)",
    )
    serve.add_argument(
        "--navigate", action="store_true", help="move open pages to the page that changed (default: off)"
    )
    serve.add_argument("--base-url", help=BASE_URL_HELP)

    deploy = command(commands, "deploy", "build afresh and publish to a GitHub Pages branch")
    deploy.add_argument("site", nargs="?", default=".", type=Path, help=SITE_HELP + "; also the git work tree")
    deploy.add_argument("--remote", default="origin", help="git remote to push to (default: %(default)s)")
    deploy.add_argument("--branch", default="gh-pages", help="branch to publish on (default: %(default)s)")
    deploy.add_argument(
        "-m",
        "--message",
        help="commit message (default: 'Deployed <source commit> with timeline <version>'; the source is always named)",
    )
    deploy.add_argument(
        "--force", action="store_true", help="publish over commits this tool did not make (default: refuse)"
    )
    deploy.add_argument(
        "--no-history", action="store_true", help="publish one parentless commit (default: add to the branch)"
    )
    deploy.add_argument(
        "--dry-run", action="store_true", help="print the target and files; push nothing (default: off)"
    )
    deploy.add_argument("--allow-dirty", action="store_true", help="deploy with uncommitted changes (default: refuse)")
    deploy.add_argument("--base-url", help=BASE_URL_HELP)
    deploy.add_argument(
        "--allow-warnings", action="store_true", help="publish despite warnings (default: warnings stop it)"
    )

    new = command(commands, "new", "start a site, or add an event")
    what = new.add_subparsers(dest="what", required=True, metavar="WHAT", help="what to make, one of:")
    new_site = command(what, "site", "scaffold a working site in DIR")
    new_site.add_argument("dir", type=Path, help="folder to create the site in (new, or empty)")
    new_event = command(what, "event", "write content/events/<slug>.yaml from a template")
    new_event.add_argument("title", help="the event's title; its file name is made from it")
    new_event.add_argument(
        "--date", required=True, help="when: 1994, 2020-10, 2020-10-23, 2020-10-23T18:01+07:00 (required)"
    )
    new_event.add_argument("--site", type=Path, default=Path("."), help=SITE_HELP)

    topics = command(commands, "help", "print a reference: `timeline help format` (every file's format)")
    topics.add_argument("topic", choices=sorted(TOPICS), help="format: site.yaml, events, articles, actors, places")

    imports = command(commands, "import", "turn reports and other timelines into content files")
    kinds = imports.add_subparsers(dest="kind", required=True, metavar="KIND", help="what FILE holds, one of:")
    article = command(kinds, "article", "a saved news report (text or HTML) -> content/articles/<id>.md")
    article.add_argument("file", type=Path, help="the saved report (.txt or .html)")
    article.add_argument("--site", type=Path, default=Path("."), help=SITE_HELP)
    article.add_argument("--id", dest="article_id", help="article id (default: publisher-date-title words)")
    article.add_argument("--force", action="store_true", help="replace an existing article (default: refuse)")
    for kind, text in (
        ("timelinejs", "a TimelineJS JSON file or its Google Sheets CSV -> content/events/*.yaml (and eras)"),
        ("csv", "a TimelineSetter CSV (date, display_date, description, link, series, html) -> events"),
        ("events-json", "an events.json written by timeline -> events, articles, actors and places"),
    ):
        other = command(kinds, kind, text)
        other.add_argument("file", type=Path, help="the file to import")
        other.add_argument("--site", type=Path, default=Path("."), help=SITE_HELP)
        other.add_argument(
            "--force", action="store_true", help="replace existing event and article files (default: refuse)"
        )
    return parser


def check_site_folder(site: Path) -> None:
    """Raise UsageError unless ``site`` is a folder that holds a site (site.yaml or content/)."""
    if not site.exists():
        raise UsageError(f"site folder {site} does not exist; {WHAT_A_SITE_HOLDS}")
    if not site.is_dir():
        raise UsageError(f"{site} is not a folder; {WHAT_A_SITE_HOLDS}")
    if not (site / "site.yaml").exists() and not (site / "content").exists():
        state = "is empty" if not any(site.iterdir()) else "holds neither site.yaml nor content/"
        raise UsageError(f"site folder {site} {state}; {WHAT_A_SITE_HOLDS}")


def _progress(args: argparse.Namespace, err: TextIO) -> ProgressLine:
    from timeline.progress import ProgressLine

    # The live line only where someone watches it: a terminal, and not asked to be quiet.
    live = not args.quiet and err.isatty() and os.environ.get("TERM") != "dumb"
    return ProgressLine(err, live=live, verbose=args.verbose)


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
    """Build the site; exit 1 when it has errors (or warnings with --strict).

    Unless ``--no-cache``, a site whose files are all as the last successful build left them
    (see ``timeline.build.manifest``) is not built again: its warnings are printed as they were.
    """
    from timeline.build.pipeline import build_site
    from timeline.publish import rule as publishing

    check_site_folder(args.site)
    if args.allow_warnings and not args.publish:
        raise UsageError("--allow-warnings goes with --publish")
    if args.publish:
        args.strict = args.strict or publishing.strictness(args.allow_warnings)
    progress = _progress(args, err)
    try:
        result = build_site(
            args.site,
            args.output,
            base_url=_base_url(args),
            strict=args.strict,
            cache=not args.no_cache,
            # `timeline build` runs no other threads, so it may fork render workers (serve never does).
            workers=os.cpu_count() or 1,
            progress=progress,
        )
    finally:
        progress.clear()
    _report(result.notes, err)
    _report(result.diagnostics, err)
    _summary(result, err)
    if result.failed(strict=args.strict):
        if args.publish:
            print(publishing.refusal(result, allow_warnings=False, command="timeline build --publish"), file=err)
        print("build failed; the previous output was left as it was", file=err)
        return 1
    if not args.quiet and result.up_to_date:
        print(escape_control(f"site is up to date: {result.files} files in {result.config.output}"), file=out)
    elif not args.quiet and result.site is not None:
        from timeline.progress import count_files, summary_line

        # Every file in the output (copies too), the count `site is up to date` gives later.
        line = summary_line(count_files(result.site), progress.elapsed(), str(result.config.output))
        print(escape_control(line), file=out)
    return _tell_github(result.config.output) if args.publish else 0


def _tell_github(folder: Path) -> int:
    """Append ``folder=<output>`` to $GITHUB_OUTPUT (GitHub Actions), for the step that uploads the site."""
    target = os.environ.get("GITHUB_OUTPUT")
    if not target:
        return 0
    value = str(folder.resolve())
    if "\n" in value or "\r" in value:
        raise TimelineError([error("site.yaml", 1, 1, "the output folder's name must be one line")])
    with open(target, "a", encoding="utf-8") as handle:
        handle.write(f"folder={value}\n")
    return 0


def cmd_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Report every problem; exit 1 on errors (or warnings with --strict)."""
    from timeline.build.pipeline import check_site

    check_site_folder(args.site)
    progress = _progress(args, err)
    try:
        result = check_site(args.site, base_url=_base_url(args), progress=progress)
    finally:
        progress.clear()
    if args.format == "json":
        print(format_json(result.diagnostics), file=out)
    else:
        _report(result.diagnostics, err)
        if not args.quiet:
            _summary(result, err)
    if args.verbose:
        from timeline.progress import format_seconds

        print(f"checked in {format_seconds(progress.elapsed())}", file=err)
    return 1 if has_errors(result.diagnostics, strict=args.strict) or result.site is None else 0


def cmd_serve(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Build into a temporary folder, serve it, and rebuild on every change until Ctrl-C."""
    from timeline.commands.preview import make_rebuild
    from timeline.content.config import load_config
    from timeline.serve.server import serve_site

    check_site_folder(args.site)
    site = args.site.resolve()
    base_url = _base_url(args)
    try:
        config = load_config(site, base_url=base_url)
        base_path = config.base_path
        output = config.output
    except TimelineError:
        # A broken site.yaml still starts the server; the overlay shows the problem.
        base_path, output = "/", site / "_site"
    with tempfile.TemporaryDirectory(prefix="timeline-serve-") as tmp:
        root = Path(tmp) / "site"
        return serve_site(
            root=root,
            source_root=site,
            rebuild=make_rebuild(site, root, base_url=base_url, quiet=args.quiet, progress=_progress(args, err)),
            watch_paths=[site / "content", site / "themes", site / "site.yaml"],
            ignore_paths=[output, site / "_site", site / ".timeline-cache", Path(tmp)],
            host=args.host,
            port=DEFAULT_PORT if args.port is None else args.port,
            port_fallback=args.port is None,
            base_path=base_path,
            open_browser=args.open,
            live_reload=not args.no_reload,
            poll=args.poll,
            navigate=args.navigate,
            out=err,
        )


def cmd_deploy(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Build into a temporary folder, stop on what blocks a publish, then publish; the work tree is never touched."""
    from timeline.build.pipeline import build_site
    from timeline.publish import rule as publishing
    from timeline.publish.credentials import redact
    from timeline.publish.deploy import DeployError, publish

    check_site_folder(args.site)
    strict = publishing.strictness(args.allow_warnings)
    progress = _progress(args, err)
    with tempfile.TemporaryDirectory(prefix="timeline-deploy-") as tmp:
        target = Path(tmp) / "site"
        try:
            # Afresh: no build cache, so that what is pushed is what the sources make now.
            result = build_site(
                args.site, target, base_url=_base_url(args), strict=strict, cache=False, progress=progress
            )
        finally:
            progress.clear()
        _report(result.diagnostics, err)
        why = publishing.refusal(result, allow_warnings=args.allow_warnings, command="timeline deploy")
        if why:
            print(f"deploy stopped: {why}\nnothing was pushed", file=err)
            return 1
        if not args.quiet and result.site is not None:
            from timeline.progress import count_files, summary_line

            print(escape_control(summary_line(count_files(result.site), progress.elapsed())), file=err)
        try:
            report = publish(
                target,
                repo_dir=args.site,
                remote=args.remote,
                branch=args.branch,
                message=args.message,
                force=args.force,
                no_history=args.no_history,
                dry_run=args.dry_run,
                allow_dirty=args.allow_dirty,
                cname=result.config.cname or None,
                allow_secrets=result.config.allow_secrets,
                source_date_epoch=result.config.source_date_epoch,
                out=err,
            )
        except DeployError as exc:
            print(f"error: {escape_control(redact(str(exc)))}", file=err)
            return 1
    if report.url:
        print(report.url, file=out)
    return 0


def cmd_new(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Scaffold a site or an event file."""
    from timeline.commands.scaffold import new_event, new_site

    if args.what == "site":
        for path in new_site(args.dir):
            if not args.quiet:
                print(path, file=out)
        if not args.quiet:
            print("every field of these files: `timeline help format`", file=err)
        return 0
    from timeline.content.dates import parse_span

    try:
        parse_span(args.date.strip())
    except ValueError as exc:
        raise UsageError(f"--date {args.date!r}: {exc}") from None
    check_site_folder(args.site)
    written = new_event(args.site, args.title, args.date)
    if not args.quiet:
        print(written, file=out)
        print("written as a draft, which is not published: give it a source, then delete 'draft: true'", file=err)
    return 0


def cmd_help(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Print a reference document shipped with timeline."""
    from timeline.commands.manual import topic_text

    out.write(topic_text(args.topic))
    return 0


def cmd_import(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Write content files from a report or another tool's timeline; exit 1 if nothing was written."""
    if args.kind != "article":
        from timeline.importers.interchange import import_file

        written, found = import_file(args.kind, args.file, args.site, force=args.force)
        _report(found, err)
        for target in written:
            if not args.quiet:
                print(f"wrote {target}", file=out)
        return 0 if written and not has_errors(found) else 1

    from timeline.importers.report import import_article

    path, diagnostics = import_article(args.file, args.site / "content", article_id=args.article_id, force=args.force)
    _report(diagnostics, err)
    if path is None:
        return 1
    if not args.quiet:
        print(f"wrote {path}", file=out)
    return 0


COMMANDS = {
    "build": cmd_build,
    "check": cmd_check,
    "serve": cmd_serve,
    "deploy": cmd_deploy,
    "new": cmd_new,
    "import": cmd_import,
    "help": cmd_help,
}


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run one command; return its exit code (0 ok, 1 problems in the site, 2 usage)."""
    out = out or sys.stdout
    err = err or sys.stderr
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args, out, err)
    except UsageError as exc:
        print(exc.format(args.command), file=err)
        return exc.exit_code
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
