"""The command line as a user meets it: help for every option, usage errors exit 2, one stream rule."""

from __future__ import annotations

import io
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SiteFactory
from timeline.commands.cli import main

GOOD_EVENT = "title: Fighting\ndate: 2020-09-27\nsources:\n  - title: Report\n    url: https://example.org/r\n"
COMMANDS = [
    ["build"],
    ["check"],
    ["serve"],
    ["deploy"],
    ["new"],
    ["new", "site"],
    ["new", "event"],
    ["help"],
    ["import"],
    ["import", "article"],
    ["import", "timelinejs"],
    ["import", "csv"],
    ["import", "events-json"],
]
SITE_COMMANDS = ["build", "check", "serve", "deploy"]


def run(argv: list[str]) -> tuple[int, str, str]:
    """Run the command line in this process; return exit code, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, out, err)
    return code, out.getvalue(), err.getvalue()


def help_text(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """Return what ``timeline ARGV --help`` prints."""
    with pytest.raises(SystemExit) as done:
        main([*argv, "--help"])
    assert done.value.code == 0
    return capsys.readouterr().out


def entries(text: str) -> dict[str, str]:
    """Return each argument of a help page (its invocation) with its help text."""
    found: dict[str, str] = {}
    current = None
    section = False
    for line in text.splitlines():
        if line.endswith(":") and not line.startswith(" "):
            section = line in ("positional arguments:", "options:")
            current = None
            continue
        if not section or not line.strip():
            continue
        # An argument at two spaces; a subcommand under it at four; wrapped help text deeper.
        match = re.match(r"^  (\S(?:.*?\S)?)(?:\s{2,}(.*))?$", line) or re.match(r"^    (\w[\w-]*)\s{2,}(\S.*)$", line)
        if match is not None:
            current = match.group(1)
            found[current] = (match.group(2) or "").strip()
        elif current is not None:
            found[current] = f"{found[current]} {line.strip()}".strip()
    return found


def test_top_level_help_lists_every_command(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The commands the tests below walk are the ones ``timeline --help`` lists."""
    monkeypatch.setenv("COLUMNS", "200")
    # Subcommands are listed under COMMAND, indented four spaces, each with its help.
    listed = dict(re.findall(r"^    (\w[\w-]*)\s{2,}(\S.*)$", help_text([], capsys), re.MULTILINE))
    assert set(listed) == {argv[0] for argv in COMMANDS}


@pytest.mark.parametrize("argv", COMMANDS, ids=" ".join)
def test_every_option_has_help_and_its_default(
    argv: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every argument is explained; every option says its default (or that it is required)."""
    monkeypatch.setenv("COLUMNS", "200")
    found = entries(help_text(argv, capsys))
    assert found, "a help page lists its arguments"
    for invocation, text in found.items():
        assert text, f"{' '.join(argv)}: {invocation} has no help text"
        if invocation.startswith("-") and not invocation.startswith("-h"):
            assert "default" in text or "required" in text, f"{' '.join(argv)}: {invocation}: {text}"
        if invocation == "site" and argv[0] in SITE_COMMANDS:
            assert "default" in text
    if len(argv) == 2 or argv[0] not in ("new", "import"):
        assert "-q, --quiet" in found and "-v, --verbose" in found


@pytest.mark.parametrize("command", SITE_COMMANDS)
@pytest.mark.parametrize("state", ["missing", "empty", "a file"])
def test_missing_or_empty_site_folder_is_a_usage_error(command: str, state: str, tmp_path: Path) -> None:
    """build, check, serve and deploy: exit 2, saying what a site folder holds; nothing written."""
    site = tmp_path / "site"
    if state == "empty":
        site.mkdir()
    elif state == "a file":
        site.write_text("not a folder\n", encoding="utf-8")
    code, out, err = run([command, str(site)])
    assert code == 2, err
    assert out == ""
    assert f"timeline {command}: error:" in err
    assert "site.yaml and content/" in err and "timeline new site" in err
    assert {p.name for p in tmp_path.iterdir()} == ({"site"} if state != "missing" else set())


def test_missing_site_folder_in_a_child_process(tmp_path: Path) -> None:
    """The installed command: exit status 2 and a one-line message, no traceback, no server."""
    result = subprocess.run(
        [sys.executable, "-m", "timeline", "serve", str(tmp_path / "nowhere")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert "does not exist" in result.stderr and "Traceback" not in result.stderr
    assert "Serving" not in result.stderr


@pytest.mark.parametrize("date", ["2020-13-01", "yesterday", ""])
def test_bad_date_on_new_event_is_a_usage_error(date: str, make_site: SiteFactory) -> None:
    """A bad --date is a usage error like any other bad option: exit 2, and no file is written."""
    site = make_site({})
    code, out, err = run(["new", "event", "Talks", "--date", date, "--site", str(site)])
    assert code == 2
    assert out == ""
    assert err.startswith("timeline new: error: --date")
    assert not (site / "content" / "events").exists()


def test_good_new_event_prints_its_path_unless_quiet(make_site: SiteFactory) -> None:
    """The written path is the result (stdout), the note about drafts goes to stderr; -q leaves both out."""
    site = make_site({})
    code, out, err = run(["new", "event", "Talks", "--date", "2020-10-23", "--site", str(site)])
    assert code == 0 and "draft" in err
    assert out.strip().endswith("talks.yaml")
    code, out, err = run(["new", "event", "Other talks", "--date", "2020-10", "--site", str(site), "-q"])
    assert (code, out, err) == (0, "", "")
    assert (site / "content" / "events" / "other-talks.yaml").is_file()


@pytest.mark.parametrize(
    "argv",
    [["serve", "--port", "70000"], ["serve", "--port", "http"], ["serve", "--poll", "-1"], ["build", "-q", "-v"]],
    ids=" ".join,
)
def test_bad_options_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """argparse's own usage errors exit 2 too, with the reason on stderr."""
    with pytest.raises(SystemExit) as done:
        main(argv)
    assert done.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "error:" in captured.err


def test_streams_results_on_stdout_diagnostics_on_stderr(make_site: SiteFactory) -> None:
    """build: the summary on stdout, warnings on stderr; -q prints only the problems; -v adds stage times."""
    site = make_site({"content/events/a.yaml": GOOD_EVENT, "content/events/b.yaml": "title: B\ndate: 2020-10-01\n"})
    code, out, err = run(["build", str(site), "--no-cache"])
    assert code == 0
    assert re.fullmatch(r"built \d+ files into .+ \(\d+ rendered, (\d+ copied, )?\d+ unchanged\) in \d+\.\d\d s\n", out)
    assert "content/events/b.yaml:1:1: warning: event 'b' has no sources" in err
    assert "built" not in err

    code, out, err = run(["build", str(site), "--no-cache", "-q"])
    assert (code, out) == (0, "")
    assert "has no sources" in err

    code, out, err = run(["build", str(site), "--no-cache", "-v"])
    assert code == 0 and out.startswith("built ")
    for stage in ("reading", "indexing", "rendering", "writing"):
        assert re.search(rf"^{stage}: \d+\.\d\d s$", err, re.MULTILINE), err

    code, out, err = run(["check", str(site)])
    assert code == 0 and out == ""
    assert "has no sources" in err


def test_no_terminal_means_no_progress_line(make_site: SiteFactory) -> None:
    """Output that is not a terminal gets no carriage returns or escape codes, only lines."""
    site = make_site({"content/events/a.yaml": GOOD_EVENT})
    code, out, err = run(["build", str(site), "--no-cache"])
    assert code == 0
    assert "\r" not in out + err and "\x1b" not in out + err


def test_serve_with_a_taken_port_exits_2_naming_it(make_site: SiteFactory) -> None:
    """`timeline serve --port N` never swaps the port the user named: exit 2, and a free one to try."""
    site = make_site({"content/events/a.yaml": GOOD_EVENT})
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, out, err = run(["serve", str(site), "--port", str(port)])
    assert code == 2
    assert out == ""
    assert f"port {port} on 127.0.0.1 is in use; try --port " in err
    assert "Serving" not in err and "built" not in err
