"""A site's own theme folder overrides the default theme's templates and static files by name."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from timeline.build.pipeline import build_site

REPO = Path(__file__).resolve().parents[2]
DEFAULT_CSS = REPO / "themes" / "default" / "static" / "style.css"

EVENT_OVERRIDE = """{% extends "default/event.html" %}
{% block event_nav %}<p class="desk">Corrections: desk@example.org</p>{{ super() }}{% endblock %}
{% block footer %}{{ super() }}<p class="house">House footer</p>{% endblock %}
"""


def make_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(REPO / "content", site / "content")
    shutil.copy(REPO / "site.yaml", site / "site.yaml")
    templates = site / "themes" / "default" / "templates"
    static = site / "themes" / "default" / "static"
    templates.mkdir(parents=True)
    static.mkdir(parents=True)
    (templates / "event.html").write_text(EVENT_OVERRIDE, encoding="utf-8")
    (static / "style.css").write_text("body { color: rebeccapurple; }\n", encoding="utf-8")
    (static / "extra.js").write_text("/* extra */\n", encoding="utf-8")
    return site


def test_template_override_extends_the_default_and_keeps_the_rest(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    result = build_site(site, site / "_site")
    assert not result.failed(), [d.format() for d in result.diagnostics]
    event = (site / "_site" / "events" / "ceasefire-1994" / "index.html").read_text(encoding="utf-8")
    assert '<p class="desk">Corrections: desk@example.org</p>' in event
    assert 'rel="prev"' in event or 'rel="next"' in event  # super() kept the parent's navigation
    assert '<p class="house">House footer</p>' in event
    assert re.search(r"<h1[^>]*>Ceasefire ends the first war</h1>", event)  # the rest of the parent template
    timeline = (site / "_site" / "index.html").read_text(encoding="utf-8")
    assert "House footer" not in timeline and "desk@example.org" not in timeline


def test_static_override_wins_by_name_and_other_files_are_kept(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    result = build_site(site, site / "_site")
    assert not result.failed(), [d.format() for d in result.diagnostics]
    assets = site / "_site" / "assets"
    assert (assets / "style.css").read_text(encoding="utf-8") == "body { color: rebeccapurple; }\n"
    assert (assets / "extra.js").is_file()
    assert (assets / "timeline.js").read_bytes() == DEFAULT_CSS.with_name("timeline.js").read_bytes()
    assert DEFAULT_CSS.read_text(encoding="utf-8") != (assets / "style.css").read_text(encoding="utf-8")


def test_every_page_links_the_default_favicon_under_the_base_path_and_a_site_replaces_it(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    icon = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect width="1" height="1"/></svg>\n'
    (site / "themes" / "default" / "static" / "favicon.svg").write_text(icon, encoding="utf-8")
    result = build_site(site, site / "_site")
    assert not result.failed(), [d.format() for d in result.diagnostics]
    out = site / "_site"
    assert (out / "assets" / "favicon.svg").read_text(encoding="utf-8") == icon
    default_png = REPO / "themes" / "default" / "static" / "favicon.png"
    assert (out / "assets" / "favicon.png").read_bytes() == default_png.read_bytes()
    # base_url is https://example.github.io/timeline/: the icon is asked for there, never at /favicon.ico.
    for page in (out / "index.html", out / "404.html", out / "events" / "ceasefire-1994" / "index.html"):
        html = page.read_text(encoding="utf-8")
        assert '<link rel="icon" href="/timeline/assets/favicon.svg" type="image/svg+xml">' in html
        assert 'href="/timeline/assets/favicon.png"' in html
