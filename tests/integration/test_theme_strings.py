"""A site theme's strings files: a new language, an English override, and every problem located."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import lxml.html

from tests.conftest import copy_example
from tests.integration.sitecrawl import tree_digest
from timeline.build.pipeline import build_site, check_site
from timeline.build.session import BuildSession

ARMENIAN = """\
# Armenian: only the strings this site wants; the rest stays English.
timeline: "Ժամանակագրություն"
sources: "Աղբյուրներ"
n_events_one: "{n} իրադարձություն"
n_events: "{n} իրադարձություն"
"""

PERSIAN = """\
search: "جستجو"
sources: "منابع"
shown_of: "{shown} از {total} رویداد نمایش داده شد"
no_match: "هیچ رویدادی با این پالایه‌ها جور نیست."
time_axis: "محور زمان"
"""


def site_with(tmp_path: Path, language: str, strings: dict[str, str], theme: str = "default") -> Path:
    """Return a copy of the example site in ``language`` whose theme ``theme`` has ``strings`` files."""
    site = copy_example(tmp_path)
    config = site / "site.yaml"
    text = config.read_text(encoding="utf-8").replace("language: en", f"language: {language}")
    config.write_text(text.replace("theme: default", f"theme: {theme}"), encoding="utf-8")
    folder = site / "themes" / theme / "strings"
    folder.mkdir(parents=True)
    for name, body in strings.items():
        (folder / name).write_text(body, encoding="utf-8")
    return site


def built(site: Path, out: Path | None = None) -> Path:
    out = out or site / "_site"
    result = build_site(site, out)
    assert not result.failed() and not result.diagnostics, [d.format() for d in result.diagnostics]
    return out


def nav(page: Path) -> list[str]:
    tree = lxml.html.fromstring(page.read_bytes())
    return [a.text_content() for a in tree.xpath("//header//nav//a")]


def test_a_site_theme_adds_armenian_and_the_rest_stays_english(tmp_path: Path) -> None:
    out = built(site_with(tmp_path, "hy", {"hy.yaml": ARMENIAN}))
    index = (out / "index.html").read_text(encoding="utf-8")
    assert '<html lang="hy" dir="ltr">' in index
    assert "Ժամանակագրություն" in nav(out / "index.html") and "Աղբյուրներ" in nav(out / "index.html")
    assert "Articles" in nav(out / "index.html")  # no Armenian for it: English
    sources = lxml.html.fromstring((out / "sources" / "index.html").read_bytes())
    assert sources.findtext(".//title").startswith("Աղբյուրներ")  # the page title follows the theme's strings too
    current = sources.xpath("//nav//a[@aria-current='page']")
    assert [a.text_content() for a in current] == ["Աղբյուրներ"]
    crumbs = [json.loads(s.text) for s in sources.xpath("//script[@type='application/ld+json']")]
    assert any(i.get("name") == "Աղբյուրներ" for c in crumbs for i in c.get("itemListElement", []))
    # Counts in Armenian's plural forms where the file has them, English's (1 article) where it has none.
    stats = lxml.html.fromstring(index).xpath("//p[@class='stats']")[0].text_content()
    assert stats == "10 իրադարձություն · 1 article"
    counts = lxml.html.fromstring((out / "actors" / "index.html").read_bytes()).xpath("//span[@class='count']/text()")
    assert "1 իրադարձություն" in counts and "6 իրադարձություն" in counts
    assert "հոկտեմբերի" in index  # dates still come from Babel, in Armenian


def test_a_named_site_theme_adds_persian_right_to_left(tmp_path: Path) -> None:
    out = built(site_with(tmp_path, "fa", {"fa.yaml": PERSIAN}, theme="house"))
    tree = lxml.html.fromstring((out / "index.html").read_bytes())
    assert tree.get("lang") == "fa" and tree.get("dir") == "rtl"
    assert "منابع" in nav(out / "index.html")
    assert tree.xpath("//*[@id='events']/@data-shown") == ["{shown} از {total} رویداد نمایش داده شد"]
    assert tree.xpath("//figcaption[@id='axis-title']")[0].text_content() == "محور زمان"
    assert tree.xpath("//label[@for='f-q']")[0].text_content().strip() == "جستجو"


def test_an_english_override_changes_one_string_everywhere_it_is_shown(tmp_path: Path) -> None:
    out = built(site_with(tmp_path, "en", {"en.yaml": 'sources: "Citations"\n'}))
    assert "Citations" in nav(out / "index.html") and "Sources" not in nav(out / "index.html")
    assert "Articles" in nav(out / "index.html")
    page = lxml.html.fromstring((out / "sources" / "index.html").read_bytes())
    assert page.findtext(".//h1") == "Citations"
    assert [a.text_content() for a in page.xpath("//nav//a[@aria-current='page']")] == ["Citations"]


def test_strings_are_text_escaped_in_every_place_they_are_shown(tmp_path: Path) -> None:
    attack = '<img src=x onerror=alert(1)></script><script>alert(2)</script>"'
    strings = {"en.yaml": f"sources: {json.dumps(attack)}\ntime_axis: {json.dumps(attack)}\n"}
    out = built(site_with(tmp_path, "en", strings))
    for page in (out / "index.html", out / "sources" / "index.html"):
        html = page.read_text(encoding="utf-8")
        assert "<img src=x" not in html and "<script>alert" not in html
        tree = lxml.html.fromstring(html)
        assert attack in [a.text_content() for a in tree.xpath("//nav//a")]  # shown as the text it is
    crumbs = lxml.html.fromstring((out / "sources" / "index.html").read_bytes())
    data = [json.loads(s.text) for s in crumbs.xpath("//script[@type='application/ld+json']")]
    assert any(i.get("name") == attack for c in data for i in c.get("itemListElement", []))


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "timeline", *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def test_every_problem_in_the_strings_files_is_located_and_the_old_output_stays(tmp_path: Path) -> None:
    site = site_with(tmp_path, "fa", {"fa.yaml": PERSIAN, "en.yaml": 'sources: "Citations"\n'})
    assert run("build", site).returncode == 0
    before = tree_digest(site / "_site")
    (site / "themes/default/strings/fa.yaml").write_text(
        'search: "جستجو"\nshown_of: "{shown} رویداد"\nserach: "x"\n', encoding="utf-8"
    )
    (site / "themes/default/strings/en.yaml").write_text('sources: "Citations\n', encoding="utf-8")
    broken = run("build", site)
    assert broken.returncode == 1 and "Traceback" not in broken.stderr
    lines = broken.stderr.splitlines()
    assert (
        "themes/default/strings/fa.yaml:2:11: error: UI string 'shown_of' must have the placeholders of English"
        " ({shown} {total}): missing {total}" in lines
    )
    assert any(line.startswith("themes/default/strings/en.yaml:1:10: error: YAML syntax:") for line in lines)
    assert (
        "themes/default/strings/fa.yaml:3:1: warning: unknown UI string key 'serach' (did you mean 'search'?):"
        " no English file has it" in lines
    )
    assert tree_digest(site / "_site") == before


def test_a_key_in_no_strings_file_is_an_error_at_the_template_line(tmp_path: Path) -> None:
    site = site_with(tmp_path, "hy", {"hy.yaml": ARMENIAN})
    templates = site / "themes" / "default" / "templates"
    templates.mkdir()
    (templates / "404.html").write_text(
        '{% extends "default/404.html" %}\n{% block main %}\n<p>{{ t("no_such_string") }}</p>\n{% endblock %}\n',
        encoding="utf-8",
    )
    result = check_site(site)
    errors = [d.format() for d in result.diagnostics]
    assert len(errors) == 1
    assert errors[0].startswith("themes/default/templates/404.html:3:1: error: template error on 404.html:")
    assert "UI string 'no_such_string' is in no strings file" in errors[0]


def test_editing_a_site_theme_strings_file_rebuilds_as_a_cold_build_would(tmp_path: Path) -> None:
    site = copy_example(tmp_path)
    assert run("build", site).returncode == 0
    # A strings file appears where the site had no theme of its own: its string shows at once.
    strings = site / "themes" / "default" / "strings"
    strings.mkdir(parents=True)
    (strings / "en.yaml").write_text('sources: "Citations"\n', encoding="utf-8")
    first = run("build", site)
    assert first.returncode == 0, first.stderr
    assert "Citations" in nav(site / "_site" / "index.html")
    for word in ("References", "Works cited"):
        (strings / "en.yaml").write_text(f'sources: "{word}"\n', encoding="utf-8")
        warm = run("build", site)
        assert warm.returncode == 0, warm.stderr
        assert word in nav(site / "_site" / "index.html")
        assert word in nav(site / "_site" / "events" / "ceasefire-1994" / "index.html")
        shutil.rmtree(tmp_path / "cold", ignore_errors=True)
        assert run("build", site, "--no-cache", "-o", tmp_path / "cold").returncode == 0
        assert tree_digest(site / "_site") == tree_digest(tmp_path / "cold")
    # And when the file goes again, the built-in string is back.
    (strings / "en.yaml").unlink()
    assert run("build", site).returncode == 0
    assert "Sources" in nav(site / "_site" / "index.html")


def test_an_indonesian_site_still_speaks_indonesian_from_the_built_in_file(tmp_path: Path) -> None:
    out = built(site_with(tmp_path, "id", {}))
    index = lxml.html.fromstring((out / "index.html").read_bytes())
    assert nav(out / "index.html")[:2] == ["Linimasa", "Artikel"]
    assert index.xpath("//a[@class='skip']")[0].text_content() == "Langsung ke isi"
    assert index.xpath("//figcaption[@id='axis-title']")[0].text_content() == "Sumbu waktu"


def test_a_strings_problem_is_reported_with_the_content_errors_in_one_run(tmp_path: Path) -> None:
    site = site_with(tmp_path, "fa", {"fa.yaml": 'shown_of: "{shown}"\n'})
    event = site / "content" / "events" / "ceasefire-1994.yaml"
    event.write_text(event.read_text(encoding="utf-8").replace("date:", "date: not-a-date\nwhen:", 1), encoding="utf-8")
    paths = {d.path for d in check_site(site).diagnostics if d.severity == "error"}
    assert {"content/events/ceasefire-1994.yaml", "themes/default/strings/fa.yaml"} <= paths


def test_a_session_that_stays_in_memory_sees_each_edit_to_the_strings(tmp_path: Path) -> None:
    # What `timeline serve` does: one BuildSession, a build after each edit.
    site = site_with(tmp_path, "hy", {"hy.yaml": ARMENIAN})
    session = BuildSession()
    assert not build_site(site, session=session).failed()
    strings = site / "themes" / "default" / "strings" / "hy.yaml"
    for word in ("Տարեգրություն", "Ժամանակացույց"):
        strings.write_text(ARMENIAN.replace("Ժամանակագրություն", word), encoding="utf-8")
        assert not build_site(site, session=session).failed()
        assert word in nav(site / "_site" / "index.html")
        cold = tmp_path / f"cold-{word}"
        assert not build_site(site, cold).failed()
        assert tree_digest(site / "_site") == tree_digest(cold)


def test_a_strings_file_linked_from_outside_the_site_is_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "outside.yaml"
    secret.write_text('search: "from outside"\n', encoding="utf-8")
    site = site_with(tmp_path, "fa", {"en.yaml": 'sources: "Citations"\n'})
    (site / "themes" / "default" / "strings" / "fa.yaml").symlink_to(secret)
    result = check_site(site)
    assert [d.format() for d in result.diagnostics] == [
        "themes/default/strings/fa.yaml:1:1: error: symbolic link leads outside the site folder"
    ]
    assert result.site is not None and all(b"from outside" not in data for data in result.site.pages.values())
