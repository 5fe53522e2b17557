"""Themes: the lookup chain (the site's own theme, then the built-in ones), templates, static files."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

import jinja2

from timeline.content.config import SiteConfig
from timeline.content.sourcefile import link_problem, walk_sources
from timeline.errors import Diagnostic, error
from timeline.incremental.deps import Tape
from timeline.layout import THEMES_DIR, builtin_themes
from timeline.pages.claimchart import claim_chart
from timeline.pages.claims import claim_span, compare_claims
from timeline.pages.direction import lang_attrs, number


def theme_dirs(config: SiteConfig) -> tuple[Path, ...]:
    """Return the theme folders to search, nearest first: the site's, then the built-in ones."""
    builtin = builtin_themes()
    candidates = [config.root / THEMES_DIR / config.theme, builtin / config.theme, builtin / "default"]
    seen: list[Path] = []
    for folder in candidates:
        if folder.is_dir() and folder.resolve() not in [s.resolve() for s in seen]:
            seen.append(folder)
    return tuple(seen)


def make_environment(config: SiteConfig) -> ThemeEnvironment:
    """Return a Jinja environment: autoescape on for every template, undefined names fatal.

    Templates resolve through the chain (site theme, then built-in), and every built-in theme is
    also reachable by name (``{% extends "default/event.html" %}``) so an override can extend it.
    """
    chain = [_ContainedLoader(d / "templates", _boundary(config, d)) for d in theme_dirs(config)]
    by_name = {
        d.name: jinja2.FileSystemLoader(str(d / "templates"))
        for d in sorted(builtin_themes().iterdir())
        if (d / "templates").is_dir()
    }
    env = ThemeEnvironment(
        loader=jinja2.ChoiceLoader([*chain, jinja2.PrefixLoader(by_name)]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    # Pure helpers of the page being rendered (languages, figures, claims): no per-build state.
    env.globals.update(
        lang_attrs=lang_attrs, number=number, compare_claims=compare_claims, claim_span=claim_span,
        claim_chart=claim_chart,
    )  # fmt: skip
    return env


class ThemeEnvironment(jinja2.Environment):
    """A Jinja environment that records every template it loads (by name) on the build's tape.

    Every load goes through ``_load_template``: a page's own template, and each one it extends,
    imports or includes (Jinja asks the environment again on every render, compiled or not).
    """

    tape: Tape | None = None
    """Set by ``render_site`` for the length of a build; templates then become dependencies."""

    def _load_template(self, name: str, globals: MutableMapping[str, Any] | None) -> jinja2.Template:
        if self.tape is not None:
            self.tape.add(f"tpl:{name}")
        return super()._load_template(name, globals)


class _ContainedLoader(jinja2.FileSystemLoader):
    """A template loader that refuses templates reached through a link leaving the theme's site."""

    def __init__(self, folder: Path, boundary: Path) -> None:
        super().__init__(str(folder))
        self.boundary = boundary

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        """Return the template's source, unless a symbolic link takes it outside the boundary."""
        source, filename, uptodate = super().get_source(environment, template)
        problem = link_problem(Path(filename), self.boundary)
        if problem:
            raise jinja2.TemplateError(f"template {template}: {problem}")
        return source, filename, uptodate


def _boundary(config: SiteConfig, theme: Path) -> Path:
    """Return the folder a theme's links must stay in: the site folder, or the built-in themes'."""
    return config.root if theme.is_relative_to(config.root) else builtin_themes()


def static_files(config: SiteConfig, diags: list[Diagnostic] | None = None) -> dict[str, Path]:
    """Return theme static files, the nearest theme's copy of each name winning.

    A symbolic link that leaves the site folder (or leads to a hidden file) is never copied; it
    becomes an error in ``diags`` at the link, by the same rule as links in ``content/``.
    """
    files: dict[str, Path] = {}
    for theme in reversed(theme_dirs(config)):
        boundary = _boundary(config, theme)
        found, escapes = walk_sources(theme / "static", boundary)
        for link, problem in escapes:
            if diags is not None:
                shown = link.relative_to(config.root) if link.is_relative_to(config.root) else link
                diags.append(error(shown.as_posix(), 1, 1, problem))
        for path, parts, _ in found:
            files["assets/" + "/".join(parts)] = path
    return files


@dataclasses.dataclass(frozen=True, slots=True)
class ThemeFile:
    """A data file of one theme in the chain (``strings/hy.yaml``), and where it stands."""

    path: Path
    shown: str
    """The name a diagnostic gives it: below the site folder, or below the built-in themes' parent."""
    name: str
    """Its path below the data folder (``hy.yaml``)."""
    rank: int
    """The theme's place in the chain: 0 is the nearest (the site's own theme, when it has one)."""
    own: bool
    """True for a file of a theme the site brings, not one shipped with timeline."""


def data_files(config: SiteConfig | None, folder: str, diags: list[Diagnostic]) -> list[ThemeFile]:
    """Return the files in ``folder`` of every theme in the chain, nearest theme first, each sorted.

    Without a config, only the built-in default theme's. A symbolic link that leaves the site
    folder (or leads to a hidden file) is never read: it becomes an error in ``diags`` at the link.
    """
    builtin = builtin_themes()
    dirs = theme_dirs(config) if config is not None else (builtin / "default",)
    files: list[ThemeFile] = []
    for rank, theme in enumerate(dirs):
        boundary = _boundary(config, theme) if config is not None else builtin
        own = not theme.resolve().is_relative_to(builtin.resolve())
        found, escapes = walk_sources(theme / folder, boundary)
        for link, problem in escapes:
            diags.append(error(_shown(config, link), 1, 1, problem))
        for path, parts, _ in found:
            files.append(ThemeFile(path, _shown(config, path), "/".join(parts), rank, own))
    return files


def _shown(config: SiteConfig | None, path: Path) -> str:
    for base in (config.root if config is not None else None, builtin_themes().parent):
        if base is not None and path.is_relative_to(base):
            return path.relative_to(base).as_posix()
    return path.as_posix()


def theme_digest(config: SiteConfig) -> str:
    """Return a digest of every template and static file in the theme chain."""
    digest = hashlib.sha256()
    for folder in theme_dirs(config):
        for path in sorted(folder.rglob("*")):
            # A link that may not be followed is never read, not even for a digest.
            if path.is_file() and not (path.is_symlink() and link_problem(path, _boundary(config, folder))):
                digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()
