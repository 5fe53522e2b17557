"""URLs of the site: page folders, absolute and path-absolute URLs, and links made absolute.

What ``base_url`` means is decided here only: with a host it gives full URLs (feeds, sitemaps,
canonical links); without one the site is served from its path.
"""

from __future__ import annotations

import html
import re
import urllib.parse

from timeline.content.config import SiteConfig


def page_path(kind: str, key: str) -> str:
    """Return the site-relative folder of a page (``events/<id>/``)."""
    return f"{kind}s/{key}/" if kind != "tag" else f"tags/{key}/"


def is_absolute(config: SiteConfig) -> bool:
    """Return True when ``base_url`` names a host, so feeds and sitemaps can carry full URLs."""
    return "://" in config.base_url


def site_url(config: SiteConfig, path: str = "") -> str:
    """Return the URL of a site path: absolute when ``base_url`` is, else path-absolute."""
    root = config.base_url if is_absolute(config) else config.base_path
    return root + path.removesuffix("index.html")


def uri(url: str) -> str:
    """Return ``url`` with every character a URI may not hold %-encoded (controls, space, quotes, <>).

    For contexts that are not HTML and have no escaping of their own: a CR/LF in a URL would start
    a new line in robots.txt or a new property in iCalendar.
    """
    return urllib.parse.quote(url, safe="%:/?#[]@!$&'()*+,;=~")


def site_host(config: SiteConfig) -> str:
    """Return a stable host name for UIDs: the site's, or a slug of its title under ``.invalid``."""
    host = urllib.parse.urlsplit(config.base_url).hostname
    if host:
        return host
    return (re.sub(r"[^a-z0-9]+", "-", config.title.lower()).strip("-") or "timeline") + ".invalid"


def absolute_links(fragment: str, config: SiteConfig) -> str:
    """Return rendered HTML with site-internal links made absolute, for use outside the site."""
    if not is_absolute(config):
        return fragment
    base = re.escape(config.base_path)
    # The URL goes into an attribute: escaped, so a quote in it cannot end the attribute.
    url = html.escape(config.base_url, quote=True)
    return re.sub(rf'(href|src)="{base}', lambda m: f'{m.group(1)}="{url}', fragment)
