"""The site's settings: ``site.yaml`` read against a strict schema."""

from __future__ import annotations

import dataclasses
import functools
import os
import re
import urllib.parse
from pathlib import Path

from timeline.content.dates import DateSpan, parse_span, zone_info
from timeline.content.languages import neutralise
from timeline.content.yamldoc import Fields, YMap, load_yaml
from timeline.errors import Diagnostic, TimelineError, UsageError, error
from timeline.layout import CONFIG_NAME, CONTENT_DIR, DEFAULT_OUTPUT, SOURCE_NAMES

_LANG_RE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")
_FIELDS = (
    "title",
    "description",
    "language",
    "timezone",
    "base_url",
    "theme",
    "output",
    "cname",
    "author",
    "eras",
    "deploy",
    "page_size",
    "feed_entries",
)
FEED_ENTRIES = 50
"""How many of the newest events and articles a feed holds unless ``feed_entries`` says otherwise."""

PAGE_SIZE = 100
"""Entries a list page shows when ``site.yaml`` gives no ``page_size`` (about 130 KB of event cards)."""

PAGE_SIZE_MAX = 1000
"""The largest ``page_size`` accepted: past it a page of event cards is over a megabyte."""


def parse_page_size(text: str) -> int:
    """Return the ``page_size`` setting as a number; raise ValueError when it is not 1 to ``PAGE_SIZE_MAX``."""
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= PAGE_SIZE_MAX:
        raise ValueError(f"must be a whole number from 1 to {PAGE_SIZE_MAX}, not '{text}'")
    return int(text)


@dataclasses.dataclass(frozen=True, slots=True)
class Era:
    """A shaded period on the time axis (a war, a government)."""

    id: str
    title: str
    span: DateSpan


@dataclasses.dataclass(frozen=True, slots=True)
class SiteConfig:
    """Everything ``site.yaml`` says, with paths resolved against its folder."""

    root: Path
    """The site folder (the one holding ``site.yaml``)."""
    title: str
    description: str = ""
    language: str = "en"
    """BCP 47 code of the UI and of dates."""
    timezone: str = "UTC"
    base_url: str = "/"
    """Where the site is published, always ending in a slash."""
    theme: str = "default"
    output: Path = Path(DEFAULT_OUTPUT)
    """Absolute output folder."""
    cname: str = ""
    author: str = ""
    eras: tuple[Era, ...] = ()
    output_at: tuple[int, int] | None = (1, 1)
    """Line and column of ``output:`` in site.yaml; None when ``--output`` chose the folder."""
    allow_secrets: tuple[str, ...] = ()
    """Site-path globs that ``deploy`` publishes without scanning them for secrets."""
    feed_entries: int = FEED_ENTRIES
    """How many of the newest entries ``feed.xml`` and ``articles.xml`` hold (the open data holds all)."""
    source_date_epoch: int | None = None
    """``SOURCE_DATE_EPOCH`` in seconds, read once by ``load_config``; None when unset or blank."""
    page_size: int = PAGE_SIZE
    """Entries on one page of a list (sources, articles, actors, places, tags, and each one's page)."""

    @property
    def base_path(self) -> str:
        """Return the path part of ``base_url`` (``/repo/``), used for every internal link."""
        path = urllib.parse.urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"

    @property
    def content_dir(self) -> Path:
        """Return the folder holding events and articles."""
        return self.root / CONTENT_DIR

    @property
    def locale(self) -> str:
        """Return the language as a Babel locale name (``pt-BR`` -> ``pt_BR``)."""
        return self.language.replace("-", "_")


# Quotes, angle brackets, backslashes, white space and control characters: a base URL is written
# into HTML attributes, XML and robots.txt, so one that could close an attribute is refused outright.
_URL_MARKUP = re.compile(r"[\x00-\x20\x7f-\x9f\"'<>\\`{}|^]")


def normalize_base_url(url: str) -> str:
    """Return ``url`` with a trailing slash; raise ValueError for an unusable URL."""
    url = url.strip()
    bad = _URL_MARKUP.search(url)
    if bad:
        raise ValueError(f"base_url {url!r} must not contain {bad[0]!r}; percent-encode it (%xx) or remove it")
    parts = urllib.parse.urlsplit(url)
    if parts.username is not None or parts.password is not None:
        raise ValueError(f"base_url '{url}' must not hold a user name or password")
    if parts.scheme not in ("", "http", "https") or (parts.scheme and not parts.netloc):
        raise ValueError(f"base_url '{url}' must be an http(s) URL or a path starting with /")
    if not parts.scheme and not url.startswith("/"):
        raise ValueError(f"base_url '{url}' must be an http(s) URL or a path starting with /")
    if parts.query or parts.fragment:
        raise ValueError(f"base_url '{url}' must not have a query or fragment")
    return url if url.endswith("/") else url + "/"


def load_config(root: Path, *, base_url: str | None = None, output: Path | None = None) -> SiteConfig:
    """Read ``root/site.yaml``; raise TimelineError with every problem found.

    A ``base_url`` given here (``--base-url``) replaces the file's, and must agree with ``cname:``.
    """
    path = root / CONFIG_NAME
    rel = CONFIG_NAME
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise TimelineError([error(rel, 1, 1, f"no {CONFIG_NAME} in {root}")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise TimelineError([error(rel, 1, 1, f"cannot read: {exc}")]) from None
    value, diags = load_yaml(text, rel)
    if diags:
        raise TimelineError(diags)
    if not isinstance(value, YMap):
        raise TimelineError([error(rel, 1, 1, "site.yaml must be a mapping of settings")])
    neutralise(value)  # titles and descriptions are shown on every page: no bidi control may reorder them
    config = _config_from(value, root, rel, diags)
    if config is None or diags:
        raise TimelineError(diags)
    config = dataclasses.replace(_override(config, base_url, output), source_date_epoch=_source_date_epoch())
    if base_url and config.cname and not _at_domain_root(config.base_url, config.cname):
        line, col = value.where("cname")
        domain = config.cname.lower()
        raise TimelineError(
            [
                error(
                    rel,
                    line,
                    col,
                    f"--base-url {config.base_url} disagrees with cname '{config.cname}', where the site is "
                    f"served at https://{domain}/: publish to that domain (on GitHub Pages, set it as "
                    "the custom domain in Settings > Pages), or delete cname",
                )
            ]
        )
    return config


def _source_date_epoch() -> int | None:
    """Return ``SOURCE_DATE_EPOCH`` as seconds: the one place the build reads it (reproducible-builds.org)."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not raw:
        return None
    if not re.fullmatch(r"\d{1,12}", raw):
        message = f"must be a whole number of seconds since 1970, not {raw[:40]!r}"
        raise TimelineError([error("SOURCE_DATE_EPOCH", 1, 1, message)])
    return int(raw)


def _at_domain_root(base_url: str, cname: str) -> bool:
    """Return True if ``base_url`` is the root of the domain ``cname`` (http or https)."""
    parts = urllib.parse.urlsplit(base_url)
    return (parts.hostname or "").rstrip(".") == cname.lower().rstrip(".") and parts.path in ("", "/")


def _feed_entries(text: str) -> int:
    """Return a feed size: a whole number from 1 to 10000."""
    if not re.fullmatch(r"[0-9]+", text) or not 1 <= int(text) <= 10_000:
        raise ValueError(f"'{text}' is not a whole number from 1 to 10000")
    return int(text)


def _config_from(mapping: YMap, root: Path, rel: str, diags: list[Diagnostic]) -> SiteConfig | None:
    fields = Fields(mapping, rel, _FIELDS, diags)
    title = fields.text("title", required=True)
    language = fields.text("language", default="en")
    if not _LANG_RE.match(language):
        fields.fail("language", f"language '{language}' is not a BCP 47 code such as en or id")
    timezone = fields.text("timezone", default="UTC")
    try:
        zone_info(timezone)
    except ValueError as exc:
        fields.fail("timezone", str(exc))
        timezone = "UTC"  # so that the eras below are still checked
    given = fields.parsed("base_url", normalize_base_url)
    base_url = given or "/"
    theme = fields.text("theme", default="default")
    if not re.match(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", theme):
        fields.fail("theme", f"theme '{theme}' must be a folder name")
    output = Path(fields.text("output", default=DEFAULT_OUTPUT))
    if output.is_absolute() or not output.parts or ".." in output.parts or output == Path("."):
        fields.fail("output", "output must be a folder inside the site, such as _site")
    elif problem := output_problem(root, root / output):
        fields.fail("output", problem)
    cname = fields.text("cname")
    if cname and not re.match(r"^[A-Za-z0-9.-]+\.[A-Za-z]{2,}$", cname):
        fields.fail("cname", f"cname '{cname}' is not a domain name")
        cname = ""
    if cname:
        # A custom domain serves the site at its root: every link, the canonical URLs, the sitemap
        # and robots.txt must say https://<cname>/, not the project path of base_url.
        if "base_url" not in mapping:
            base_url = f"https://{cname.lower()}/"
        elif given is not None and not _at_domain_root(given, cname):
            cname_line = mapping.where("cname")[0]
            fields.fail(
                "base_url",
                f"base_url {base_url} disagrees with cname '{cname}' (line {cname_line}), where the site is served "
                f"at https://{cname.lower()}/: delete base_url or set it to https://{cname.lower()}/, "
                "or delete cname to publish at base_url",
            )
    eras = []
    for record in fields.records("eras"):
        era = Fields(record, rel, ("id", "title", "date", "end"), diags)
        in_zone = functools.partial(parse_span, zone=timezone)
        span = era.parsed("date", in_zone, required=True)
        end = era.parsed("end", in_zone)
        if span is not None and end is not None:
            span = DateSpan(span.start, end.start)
        if span is not None:
            eras.append(Era(era.text("id", required=True), era.text("title", required=True), span))
    return SiteConfig(
        root=root,
        title=title,
        description=fields.text("description"),
        language=language,
        timezone=timezone,
        base_url=base_url,
        theme=theme,
        output=root / output,
        cname=cname,
        author=fields.text("author"),
        eras=tuple(eras),
        output_at=mapping.where("output") if "output" in mapping else (1, 1),
        allow_secrets=_allow_secrets(mapping, rel, diags),
        page_size=fields.parsed("page_size", parse_page_size) or PAGE_SIZE,
        feed_entries=fields.parsed("feed_entries", _feed_entries) or FEED_ENTRIES,
    )


def _allow_secrets(mapping: YMap, rel: str, diags: list[Diagnostic]) -> tuple[str, ...]:
    """Return the globs of ``deploy: allow_secrets:``, the files deliberately holding key-like text."""
    value = mapping.get("deploy")
    if value is None:
        return ()
    if not isinstance(value, YMap):
        diags.append(error(rel, *mapping.where("deploy"), "'deploy' must be a mapping such as 'allow_secrets: [...]'"))
        return ()
    globs = Fields(value, rel, ("allow_secrets",), diags).words("allow_secrets")
    return tuple(glob for glob, _ in globs)


def output_problem(root: Path, output: Path) -> str | None:
    """Return why ``output`` may not be the site's output folder (it holds or lies in its sources), or None."""
    out, site = output.resolve(), root.resolve()
    if site.is_relative_to(out):
        return "the output folder would hold the whole site, its sources included"
    for source in SOURCE_NAMES:
        # Resolved, so that a symlinked content folder is still seen as the sources it holds.
        if out.is_relative_to((site / source).resolve()) or out.is_relative_to(site / source):
            where = out.relative_to(site).as_posix() if out.is_relative_to(site) else str(output)
            return f"output folder {where} would overwrite the site's sources in {source}; use a folder such as _site"
    return None


def output_error(config: SiteConfig, message: str) -> TimelineError:
    """Return the error for an unusable output folder, located where it was chosen."""
    if config.output_at is None:
        return UsageError(message, "-o/--output")
    return TimelineError([error(CONFIG_NAME, *config.output_at, message)])


def _override(config: SiteConfig, base_url: str | None, output: Path | None) -> SiteConfig:
    if base_url:
        try:
            config = dataclasses.replace(config, base_url=normalize_base_url(base_url))
        except ValueError as exc:
            raise TimelineError([error("--base-url", 1, 1, str(exc))]) from None
    if output is not None:
        problem = output_problem(config.root, output)
        if problem:
            raise UsageError(problem, "-o/--output")
        config = dataclasses.replace(config, output=output, output_at=None)
    return config
