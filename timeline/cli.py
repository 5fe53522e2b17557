"""The command line: the only place that prints diagnostics and chooses exit codes."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from timeline import __version__
from timeline.errors import Diagnostic, TimelineError, UsageError, error, escape_control, format_json, has_errors
from timeline.manual import TOPICS

if TYPE_CHECKING:
    from timeline.build import BuildResult


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
    build.add_argument("--no-cache", action="store_true", help="ignore and do not write .timeline-cache/")
    build.add_argument(
        "--publish",
        action="store_true",
        help="build for publishing (the Pages workflow): warnings stop it as they stop deploy; "
        "writes folder=<output> to $GITHUB_OUTPUT when set",
    )
    build.add_argument("--allow-warnings", action="store_true", help="with --publish: publish despite warnings")

    check = commands.add_parser("check", help="run the whole pipeline and report problems; write nothing")
    check.add_argument("site", nargs="?", default=".", type=Path)
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    check.add_argument("--base-url")

    serve = commands.add_parser("serve", help="preview the site with live reload while you edit")
    serve.add_argument("site", nargs="?", default=".", type=Path)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--open", action="store_true", help="open the site in a browser")
    serve.add_argument("--no-reload", action="store_true", help="do not inject the live-reload script")
    serve.add_argument(
        "--poll", nargs="?", const=0.5, type=float, metavar="SECONDS", help="poll for changes (Docker, WSL)"
    )
    serve.add_argument("--navigate", action="store_true", help="move open pages to the page that changed")
    serve.add_argument("--base-url")

    deploy = commands.add_parser("deploy", help="build afresh and publish to a GitHub Pages branch")
    deploy.add_argument("site", nargs="?", default=".", type=Path)
    deploy.add_argument("--remote", default="origin")
    deploy.add_argument("--branch", default="gh-pages")
    deploy.add_argument("-m", "--message", help="commit message (the source commit is always named)")
    deploy.add_argument("--force", action="store_true", help="publish over commits this tool did not make")
    deploy.add_argument("--no-history", action="store_true", help="publish one parentless commit")
    deploy.add_argument("--dry-run", action="store_true", help="print the target and files; push nothing")
    deploy.add_argument("--allow-dirty", action="store_true", help="deploy with uncommitted changes")
    deploy.add_argument("--base-url")
    deploy.add_argument("--allow-warnings", action="store_true", help="publish despite warnings")

    new = commands.add_parser("new", help="start a site, or add an event")
    what = new.add_subparsers(dest="what", required=True, metavar="WHAT")
    new_site = what.add_parser("site", help="scaffold a working site in DIR")
    new_site.add_argument("dir", type=Path)
    new_event = what.add_parser("event", help="write content/events/<slug>.yaml from a template")
    new_event.add_argument("title")
    new_event.add_argument("--date", required=True, help="1994, 2020-10, 2020-10-23, 2020-10-23T18:01+07:00")
    new_event.add_argument("--site", type=Path, default=Path("."))

    topics = commands.add_parser("help", help="print a reference: `timeline help format` (every file's format)")
    topics.add_argument("topic", choices=sorted(TOPICS), help="format: site.yaml, events, articles, actors, places")

    imports = commands.add_parser("import", help="turn reports and other timelines into content files")
    kinds = imports.add_subparsers(dest="kind", required=True, metavar="KIND")
    article = kinds.add_parser("article", help="a saved news report (text or HTML) -> content/articles/<id>.md")
    article.add_argument("file", type=Path)
    article.add_argument("--site", type=Path, default=Path("."), help="site folder (default: .)")
    article.add_argument("--id", dest="article_id", help="article id (default: publisher-date-title words)")
    article.add_argument("--force", action="store_true", help="replace an existing article")
    for kind, text in (
        ("timelinejs", "a TimelineJS JSON file or its Google Sheets CSV -> content/events/*.yaml (and eras)"),
        ("csv", "a TimelineSetter CSV (date, display_date, description, link, series, html) -> events"),
        ("events-json", "an events.json written by timeline -> events, articles, actors and places"),
    ):
        other = kinds.add_parser(kind, help=text)
        other.add_argument("file", type=Path)
        other.add_argument("--site", type=Path, default=Path("."), help="site folder (default: .)")
        other.add_argument("--force", action="store_true", help="replace existing event and article files")
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
    """Build the site; exit 1 when it has errors (or warnings with --strict).

    Unless ``--no-cache``, a site whose files are all as the last successful build left them
    (see ``timeline.manifest``) is not built again: its warnings are printed as they were.
    """
    from timeline import manifest, publishing
    from timeline.config import SiteConfig, load_config

    if args.allow_warnings and not args.publish:
        print("timeline build: error: --allow-warnings goes with --publish", file=err)
        return 2
    if args.publish:
        args.strict = args.strict or publishing.strictness(args.allow_warnings)
    snapshot: tuple[int, dict[str, manifest.InputStat]] | None = None
    config: SiteConfig | None = None
    stale: set[str] = set()
    found: manifest.Manifest | None = None
    described: manifest.Manifest | None = None
    if not args.no_cache:
        try:
            config = load_config(
                args.site, base_url=_base_url(args), output=args.output.resolve() if args.output else None
            )
        except TimelineError:
            config = None  # the build below reports it, as it always has
        found = manifest.load_manifest(args.site)
        described = found or manifest.load_manifest(args.site, retired=True)
        if config is not None:
            # What a killed build left is finished or undone before anything looks at the output.
            _recover_output(config.output)
            if found is not None and manifest.is_current(found, config, args.strict):
                warnings = found.diagnostics()
                _report(warnings, err)
                if warnings:
                    print(f"0 error(s), {len(warnings)} warning(s)", file=err)
                if not args.quiet:
                    files = sum(rel != manifest.MARKER for rel in found.outputs)
                    print(f"site is up to date: {files} files in {config.output}", file=out)
                return _tell_github(config.output) if args.publish else 0
            # Before the build reads anything, so that an edit made while it runs is seen next time.
            snapshot = manifest.snapshot_inputs(config)
        if described is not None:
            stale = manifest.stale_outputs(described)
        # Whatever happens next, no manifest may claim that these inputs were built.
        manifest.clear_manifest(args.site)

    from timeline.build import build_site
    from timeline.session import load_session, save_session

    session, cache = None, None
    if not args.no_cache:
        session, cache, problems = load_session(args.site)
        _report(problems, err)
        for kept in list(session.outputs):
            if described is None or kept != described.out_dir:
                # No manifest says what that folder holds (a build may have been killed after it
                # switched the folder in): build it without trusting the session's record.
                del session.outputs[kept]
        previous = session.outputs.get(described.out_dir) if described is not None else None
        if previous is not None:
            for rel in stale:
                # Deleted or edited by hand since the last build: write it again, however unchanged its inputs.
                if previous.get(rel, "@copy").startswith("@") and previous.get(rel) != "@copy":
                    previous[rel] = "@stale"  # a whole-site file: the set of them is made again together
                else:
                    previous.pop(rel, None)
    # `timeline build` runs no other threads, so it may fork render workers (serve never does).
    workers = os.cpu_count() or 1
    result = build_site(
        args.site, args.output, base_url=_base_url(args), strict=args.strict, session=session, workers=workers
    )
    if session is not None and cache is not None and not result.failed(strict=args.strict):
        _report(save_session(session, cache), err)
        if snapshot is not None and config is not None and cache.enabled:
            out_dir = result.config.output.resolve()
            done = manifest.Manifest(
                key=manifest.manifest_key(config, args.strict),
                taken_ns=snapshot[0],
                inputs=snapshot[1],
                outputs=manifest.snapshot_outputs(out_dir),
                warnings=manifest.as_warnings(result.diagnostics),
                out_dir=str(out_dir),
            )
            manifest.save_manifest(args.site, done)
    _report(result.diagnostics, err)
    _summary(result, err)
    if result.failed(strict=args.strict):
        if args.publish:
            print(publishing.refusal(result, allow_warnings=False, command="timeline build --publish"), file=err)
        print("build failed; the previous output was left as it was", file=err)
        return 1
    if not args.quiet and result.site is not None:
        site = result.site
        # Every file in the output (copies too), the count `site is up to date` gives later.
        total = len(site.pages) + len(site.kept) + len(site.copies)
        copied = f", {len(site.copies)} copied" if site.copies else ""
        detail = f" ({len(site.pages)} rendered, {len(site.kept)} unchanged{copied})" if site.kept else ""
        print(f"built {total} files into {result.config.output}{detail}", file=out)
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


def _recover_output(out: Path) -> None:
    from timeline.outputdir import disk_error, recover

    try:
        recover(out.resolve())
    except OSError as exc:
        raise disk_error(exc, out.resolve()) from None


def cmd_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Report every problem; exit 1 on errors (or warnings with --strict)."""
    from timeline.build import check_site

    result = check_site(args.site, base_url=_base_url(args))
    if args.format == "json":
        print(format_json(result.diagnostics), file=out)
    else:
        _report(result.diagnostics, out)
        _summary(result, err)
    return 1 if has_errors(result.diagnostics, strict=args.strict) or result.site is None else 0


def cmd_serve(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Build into a temporary folder, serve it, and rebuild on every change until Ctrl-C."""
    from timeline.config import load_config
    from timeline.preview import make_rebuild
    from timeline.serve import serve_site

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
            rebuild=make_rebuild(site, root, base_url=base_url),
            watch_paths=[site / "content", site / "themes", site / "site.yaml"],
            ignore_paths=[output, site / "_site", site / ".timeline-cache", Path(tmp)],
            host=args.host,
            port=args.port,
            base_path=base_path,
            open_browser=args.open,
            live_reload=not args.no_reload,
            poll=args.poll,
            navigate=args.navigate,
            out=err,
        )


def cmd_deploy(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Build into a temporary folder, stop on what blocks a publish, then publish; the work tree is never touched."""
    from timeline import publishing
    from timeline.build import build_site
    from timeline.credentials import redact
    from timeline.deploy import DeployError, publish

    strict = publishing.strictness(args.allow_warnings)
    with tempfile.TemporaryDirectory(prefix="timeline-deploy-") as tmp:
        target = Path(tmp) / "site"
        result = build_site(args.site, target, base_url=_base_url(args), strict=strict)
        _report(result.diagnostics, err)
        why = publishing.refusal(result, allow_warnings=args.allow_warnings, command="timeline deploy")
        if why:
            print(f"deploy stopped: {why}\nnothing was pushed", file=err)
            return 1
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
    from timeline.scaffold import new_event, new_site

    if args.what == "site":
        for path in new_site(args.dir):
            print(path, file=out)
        print("every field of these files: `timeline help format`", file=err)
    else:
        print(new_event(args.site, args.title, args.date), file=out)
        print("written as a draft, which is not published: give it a source, then delete 'draft: true'", file=err)
    return 0


def cmd_help(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Print a reference document shipped with timeline."""
    from timeline.manual import topic_text

    out.write(topic_text(args.topic))
    return 0


def cmd_import(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Write content files from a report or another tool's timeline; exit 1 if nothing was written."""
    if args.kind != "article":
        from timeline.interchange import import_file

        written, found = import_file(args.kind, args.file, args.site, force=args.force)
        _report(found, err)
        for target in written:
            print(f"wrote {target}", file=out)
        return 0 if written and not has_errors(found) else 1

    from timeline.ingest import import_article

    path, diagnostics = import_article(args.file, args.site / "content", article_id=args.article_id, force=args.force)
    _report(diagnostics, err)
    if path is None:
        return 1
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
