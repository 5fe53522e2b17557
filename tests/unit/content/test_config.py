"""site.yaml: a strict schema, every problem at once, overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from timeline.content.config import load_config, normalize_base_url
from timeline.errors import TimelineError, UsageError


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "site.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def test_defaults(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "title: T\n"))
    assert config.language == "en"
    assert config.base_url == "/"
    assert config.output == tmp_path / "_site"
    assert config.base_path == "/"


def test_base_path_from_url(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "title: T\nbase_url: https://u.github.io/repo\n"))
    assert config.base_url == "https://u.github.io/repo/"
    assert config.base_path == "/repo/"


def test_every_problem_reported_with_location(tmp_path: Path) -> None:
    text = "titel: T\nlanguage: 'english language'\ntimezone: Mars/Base\nbase_url: javascript:alert(1)\nno: 1\n"
    with pytest.raises(TimelineError) as info:
        load_config(write(tmp_path, text))
    messages = [d.format() for d in info.value.diagnostics]
    assert "site.yaml:1:1: error: unknown field 'titel' (did you mean 'title'?)" in messages
    assert any(m.startswith("site.yaml:2:11: error: language") for m in messages)
    assert any(m.startswith("site.yaml:3:11: error: unknown time zone") for m in messages)
    assert any(m.startswith("site.yaml:4:11: error: base_url") for m in messages)
    # "no" stays the string key "no", not False: it is reported as an unknown field.
    assert "site.yaml:5:1: error: unknown field 'no'" in messages
    assert any("missing required field 'title'" in m for m in messages)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(TimelineError, match="no site.yaml"):
        load_config(tmp_path)


def test_overrides(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "title: T\n"), base_url="https://x.example/sub", output=tmp_path / "o")
    assert config.base_url == "https://x.example/sub/"
    assert config.output == tmp_path / "o"


@pytest.mark.parametrize("bad", ["ftp://x", "relative/path", "https://x/?q=1", "https:///nohost"])
def test_bad_base_urls(bad: str) -> None:
    with pytest.raises(ValueError):
        normalize_base_url(bad)


def test_output_must_stay_inside(tmp_path: Path) -> None:
    with pytest.raises(TimelineError, match="output must be a folder inside the site"):
        load_config(write(tmp_path, "title: T\noutput: ../elsewhere\n"))


def test_eras(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "title: T\neras:\n  - id: w\n    title: War\n    date: 1988/1994\n"))
    assert config.eras[0].span.end is not None and config.eras[0].span.end.year == 1994


@pytest.mark.parametrize(
    "bad",
    [
        'https://x.example/"><script>alert(1)</script>',
        "https://x.example/a b/",
        "https://x.example/'/",
        "https://x.example/<b>/",
        "https://x.example/\\x01/",
        "https://x.example/tab\\there/",
        "https://x.example/back\\\\slash/",
        "https://user:secret@x.example/",
    ],
)
def test_base_url_with_markup_is_a_located_error(tmp_path: Path, bad: str) -> None:
    # Double-quoted YAML, so that \x01 and \t reach the check as the characters themselves.
    quoted = bad.replace('"', '\\"')
    with pytest.raises(TimelineError) as info:
        load_config(write(tmp_path, f'title: T\nbase_url: "{quoted}"\n'))
    (diagnostic,) = info.value.diagnostics
    assert diagnostic.format().startswith("site.yaml:2:11: error: base_url")
    # The same rule for --base-url and TIMELINE_BASE_URL.
    with pytest.raises(TimelineError) as info:
        load_config(write(tmp_path, "title: T\n"), base_url=bad.encode().decode("unicode_escape"))
    assert info.value.diagnostics[0].path == "--base-url"


def test_percent_encoded_base_url_is_kept(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "title: T\nbase_url: https://x.example/a%20b\n"))
    assert config.base_url == "https://x.example/a%20b/"


def test_cname_alone_builds_for_the_domain_root(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "title: T\ncname: News.Example.org\n"))
    assert config.base_url == "https://news.example.org/"
    assert config.base_path == "/"


@pytest.mark.parametrize("url", ["https://news.example.org/", "http://NEWS.example.org", "https://news.example.org"])
def test_cname_with_an_agreeing_base_url(tmp_path: Path, url: str) -> None:
    config = load_config(write(tmp_path, f"title: T\nbase_url: {url}\ncname: news.example.org\n"))
    assert config.base_path == "/"
    assert config.base_url.rstrip("/").lower() == url.rstrip("/").lower()


@pytest.mark.parametrize(
    "url", ["https://example.github.io/mysite/", "https://news.example.org/mysite/", "https://other.example/", "/"]
)
def test_cname_with_a_disagreeing_base_url_is_a_located_error(tmp_path: Path, url: str) -> None:
    text = f"title: T\nbase_url: {url}\noutput: _site\ncname: news.example.org\n"
    with pytest.raises(TimelineError) as info:
        load_config(write(tmp_path, text))
    (diagnostic,) = info.value.diagnostics
    line = diagnostic.format()
    assert line.startswith("site.yaml:2:11: error: base_url")
    # It says where the site is served and which setting to change.
    assert "cname 'news.example.org' (line 4)" in line
    assert "https://news.example.org/" in line and "delete base_url" in line and "delete cname" in line


def test_a_base_url_override_must_agree_with_cname(tmp_path: Path) -> None:
    site = write(tmp_path, "title: T\ncname: news.example.org\n")
    with pytest.raises(TimelineError) as info:
        load_config(site, base_url="https://u.github.io/repo")
    (diagnostic,) = info.value.diagnostics
    assert diagnostic.format().startswith(
        "site.yaml:2:8: error: --base-url https://u.github.io/repo/ disagrees with cname 'news.example.org'"
    )
    assert "Settings > Pages" in diagnostic.message
    # What the Pages workflow passes once the custom domain is set: the domain, with no slash.
    assert load_config(site, base_url="https://news.example.org").base_url == "https://news.example.org/"


@pytest.mark.parametrize(
    "zone", ["America", "Etc", "A" * 300, "'Europe/../Asia/Jakarta'", '"a\\0b"', "/etc/localtime", "localtime"]
)
def test_timezone_not_on_the_iana_list_is_located(tmp_path: Path, zone: str) -> None:
    """A tzdata folder, a long name, traversal or NUL: a located error, never IsADirectoryError or OSError."""
    with pytest.raises(TimelineError) as info:
        load_config(write(tmp_path, f"title: T\ntimezone: {zone}\n"))
    [diag] = info.value.diagnostics
    assert (diag.path, diag.line, diag.col) == ("site.yaml", 2, 11)
    assert "unknown time zone" in diag.message and len(diag.message) < 200


def test_era_date_times_are_checked_in_the_sites_zone(tmp_path: Path) -> None:
    text = "title: T\ntimezone: Asia/Jakarta\neras:\n  - id: e\n    title: E\n    date: '0001-01-01T00:00'\n"
    with pytest.raises(TimelineError) as info:
        load_config(write(tmp_path, text))
    [diag] = info.value.diagnostics
    assert (diag.line, diag.col) == (6, 11) and "Asia/Jakarta" in diag.message


@pytest.mark.parametrize("output", ["content/x", "content", "themes/t", "site.yaml", ".git/o", "link/x"])
def test_output_inside_the_sources_is_located_at_its_line(tmp_path: Path, output: str) -> None:
    """check (load_config) reports what build would refuse, at site.yaml's output: line."""
    (tmp_path / "content").mkdir()
    (tmp_path / "link").symlink_to("content")
    with pytest.raises(TimelineError) as info:
        load_config(write(tmp_path, f"title: T\ndescription: d\noutput: {output}\n"))
    [diag] = info.value.diagnostics
    assert (diag.path, diag.line, diag.col) == ("site.yaml", 3, 9)
    assert "sources" in diag.message and str(tmp_path) not in diag.message


def test_output_option_inside_the_sources_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as info:
        load_config(write(tmp_path, "title: T\n"), output=tmp_path / "content" / "x")
    assert info.value.exit_code == 2
    assert info.value.format("build").startswith("timeline build: error: argument -o/--output: output folder content/x")
