"""SVG, XML and HTML files under content/ never reach the site with something that runs."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests.conftest import SiteFactory
from timeline.commands.cli import main
from timeline.content.activecontent import svg_problems

SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">\n{}\n</svg>\n'
CLEAN = SVG.format(
    '<defs><linearGradient id="g"/></defs><rect fill="url(#g)" width="10" height="10" style="fill:red"/>'
    '<use href="#g"/><a href="https://example.org/"><text>link</text></a>'
    '<image href="data:image/png;base64,iVBORw0KGgo="/>'
)
HOSTILE = {
    "script element": ("<script>alert(document.domain)</script>", 2, "file has a <script> element"),
    "script in CDATA": ("<script><![CDATA[alert(1)]]></script>", 2, "<script> element"),
    "event handler": ('<rect onclick="alert(1)" width="1"/>', 2, "event handler attribute 'onclick'"),
    "mixed-case handler": ('<rect OnMouseOver="alert(1)"/>', 2, "event handler attribute"),
    "javascript href": ('<a href="javascript:alert(1)"><text>x</text></a>', 2, "href 'javascript:alert(1)'"),
    "entity-encoded javascript": ('<a xlink:href="&#106;avascript:alert(1)"><text>x</text></a>', 2, "javascript:"),
    "foreignObject": ("<foreignObject><p>x</p></foreignObject>", 2, "<foreignObject> element"),
    "xhtml script": ('<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script>', 2, "<script>"),
    "external image": ('<image href="https://tracker.example/x.png"/>', 2, "refers to another resource"),
    "external use": ('<use xlink:href="other.svg#a"/>', 2, "refers to another resource"),
    "css import": ("<style>@import url(https://evil.example/x.css);</style>", 2, "style sheet imports"),
    "css url": ('<rect style="fill:url(https://evil.example/x)"/>', 2, "refers to another resource"),
    "animated href": ('<a><set attributeName="href" to="javascript:alert(1)"/></a>', 2, "animates 'href'"),
    "iframe": ('<iframe xmlns="http://www.w3.org/1999/xhtml" src="https://e.example"/>', 2, "<iframe>"),
}


def check(site: Path) -> tuple[int, str]:
    """Run ``timeline check`` on ``site``; return the exit code and everything printed."""
    out, err = io.StringIO(), io.StringIO()
    code = main(["check", str(site)], out, err)
    return code, out.getvalue() + err.getvalue()


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_svg_is_refused_at_its_line(make_site: SiteFactory, name: str) -> None:
    body, line, message = HOSTILE[name]
    site = make_site({"content/images/logo.svg": SVG.format(body)})
    code, printed = check(site)
    assert code == 1
    assert f"content/images/logo.svg:{line}:" in printed and message in printed, printed


def test_clean_svg_is_published_byte_for_byte(make_site: SiteFactory) -> None:
    site = make_site({"content/images/logo.svg": CLEAN})
    out, err = io.StringIO(), io.StringIO()
    assert main(["build", str(site), "-q"], out, err) == 0, err.getvalue()
    assert (site / "_site" / "images" / "logo.svg").read_text(encoding="utf-8") == CLEAN


def test_entity_bomb_is_refused_before_any_expansion() -> None:
    bomb = '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY a{i} "{"&a;" * 10 if i == 0 else f"&a{i - 1};" * 10}">' for i in range(10)
    ) + ']><svg xmlns="http://www.w3.org/2000/svg">&a9;</svg>'
    problems = svg_problems(bomb.encode())
    assert [p[2] for p in problems] == ["file has a DOCTYPE: entities and external DTDs are not allowed"]


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("content/images/page.html", "<script>alert(1)</script>", "a .html file in content would be a page"),
        ("content/page.xhtml", "<html/>", "a .xhtml file in content"),
        ("content/images/logo.svgz", "x", "compressed SVG (.svgz) cannot be checked"),
        ("content/data/map.xml", '<kml><h:script xmlns:h="http://www.w3.org/1999/xhtml"/></kml>', "<script>"),
        ("content/data/feed.xml", '<?xml-stylesheet href="x.xsl" type="text/xsl"?><a/>', "processing instruction"),
        ("content/images/broken.svg", "<svg", "not well-formed XML"),
    ],
)
def test_other_active_files_are_refused(make_site: SiteFactory, name: str, text: str, message: str) -> None:
    site = make_site({name: text})
    code, printed = check(site)
    assert code == 1 and f"{name}:1:" in printed and message in printed, printed
