"""The site's settings: ``site.yaml`` read against a strict schema."""

from __future__ import annotations

import dataclasses
import re
import urllib.parse
import zoneinfo
from pathlib import Path

from timeline.dates import DateSpan, parse_span
from timeline.errors import Diagnostic, TimelineError, error
from timeline.yamldoc import Fields, YMap, load_yaml

CONFIG_NAME = "site.yaml"
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
)


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
    output: Path = Path("_site")
    """Absolute output folder."""
    cname: str = ""
    author: str = ""
    eras: tuple[Era, ...] = ()
    allow_secrets: tuple[str, ...] = ()
    """Site-path globs that ``deploy`` publishes without scanning them for secrets."""

    @property
    def base_path(self) -> str:
        """Return the path part of ``base_url`` (``/repo/``), used for every internal link."""
        path = urllib.parse.urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"

    @property
    def content_dir(self) -> Path:
        """Return the folder holding events and articles."""
        return self.root / "content"

    @property
    def locale(self) -> str:
        """Return the language as a Babel locale name (``pt-BR`` -> ``pt_BR``)."""
        return self.language.replace("-", "_")


def normalize_base_url(url: str) -> str:
    """Return ``url`` with a trailing slash; raise ValueError for an unusable URL."""
    url = url.strip()
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("", "http", "https") or (parts.scheme and not parts.netloc):
        raise ValueError(f"base_url '{url}' must be an http(s) URL or a path starting with /")
    if not parts.scheme and not url.startswith("/"):
        raise ValueError(f"base_url '{url}' must be an http(s) URL or a path starting with /")
    if parts.query or parts.fragment:
        raise ValueError(f"base_url '{url}' must not have a query or fragment")
    return url if url.endswith("/") else url + "/"


def load_config(root: Path, *, base_url: str | None = None, output: Path | None = None) -> SiteConfig:
    """Read ``root/site.yaml``; raise TimelineError with every problem found."""
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
    config = _config_from(value, root, rel, diags)
    if config is None or diags:
        raise TimelineError(diags)
    return _override(config, base_url, output)


def _config_from(mapping: YMap, root: Path, rel: str, diags: list[Diagnostic]) -> SiteConfig | None:
    fields = Fields(mapping, rel, _FIELDS, diags)
    title = fields.text("title", required=True)
    language = fields.text("language", default="en")
    if not _LANG_RE.match(language):
        fields.fail("language", f"language '{language}' is not a BCP 47 code such as en or id")
    timezone = fields.text("timezone", default="UTC")
    try:
        zoneinfo.ZoneInfo(timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        fields.fail("timezone", f"unknown time zone '{timezone}' (use an IANA name such as Asia/Jakarta)")
    base_url = fields.parsed("base_url", normalize_base_url) or "/"
    theme = fields.text("theme", default="default")
    if not re.match(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", theme):
        fields.fail("theme", f"theme '{theme}' must be a folder name")
    output = Path(fields.text("output", default="_site"))
    if output.is_absolute() or not output.parts or ".." in output.parts or output == Path("."):
        fields.fail("output", "output must be a folder inside the site, such as _site")
    cname = fields.text("cname")
    if cname and not re.match(r"^[A-Za-z0-9.-]+\.[A-Za-z]{2,}$", cname):
        fields.fail("cname", f"cname '{cname}' is not a domain name")
    eras = []
    for record in fields.records("eras"):
        era = Fields(record, rel, ("id", "title", "date", "end"), diags)
        span = era.parsed("date", parse_span, required=True)
        end = era.parsed("end", parse_span)
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
        allow_secrets=_allow_secrets(mapping, rel, diags),
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


def _override(config: SiteConfig, base_url: str | None, output: Path | None) -> SiteConfig:
    if base_url:
        try:
            config = dataclasses.replace(config, base_url=normalize_base_url(base_url))
        except ValueError as exc:
            raise TimelineError([error("--base-url", 1, 1, str(exc))]) from None
    if output is not None:
        config = dataclasses.replace(config, output=output)
    return config
