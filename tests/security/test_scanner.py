"""The scanner itself must catch what it is meant to catch, or its clean reports mean nothing."""

from __future__ import annotations

import pytest

from tests.security.scan import scan_page

ALLOWED = {"/assets/timeline.js"}


@pytest.mark.parametrize(
    "page",
    [
        '<img src="x" onerror="alert(1)">',
        '<a href="javascript:alert(1)">x</a>',
        '<a href=" JaVa&#x53;cript:alert(1)">x</a>',
        '<a href="java&#9;script:alert(1)">x</a>',
        '<a href="vbscript:x">x</a>',
        '<img src="file:///etc/passwd">',
        '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
        "<script>alert(1)</script>",
        '<script src="https://evil.example/x.js"></script>',
        '<script type="application/ld+json">{"a": "</script><script>alert(1)//"}</script>',
        "<iframe src=/x></iframe>",
    ],
)
def test_scanner_flags_active_content(page: str) -> None:
    """Each hostile snippet is reported."""
    assert scan_page(page, ALLOWED)


def test_scanner_passes_clean_page() -> None:
    """A page with the theme's script, JSON-LD and ordinary links is clean."""
    page = (
        '<script src="/assets/timeline.js" defer></script>'
        '<script type="application/ld+json">{"a": "\\u003c/script\\u003e"}</script>'
        '<a href="https://example.org/">x</a><a href="mailto:a@b.example">m</a>'
        '<img src="data:image/png;base64,AAAA" alt="">'
    )
    assert scan_page(page, ALLOWED) == []
