"""Themes: the lookup chain (the site's own theme, then the built-in ones), templates, static files."""

from __future__ import annotations

import hashlib
from pathlib import Path

import jinja2

from timeline.config import SiteConfig
from timeline.ignore import is_ignored

BUILTIN_THEMES = Path(__file__).resolve().parent.parent / "themes"


def builtin_themes() -> Path:
    """Return the folder of the themes that ship with timeline."""
    # In a source checkout the themes sit beside the package; installed, they are package data.
    if (BUILTIN_THEMES / "default" / "templates").is_dir():
        return BUILTIN_THEMES
    return Path(__file__).resolve().parent / "_themes"


def theme_dirs(config: SiteConfig) -> tuple[Path, ...]:
    """Return the theme folders to search, nearest first: the site's, then the built-in ones."""
    candidates = [config.root / "themes" / config.theme, builtin_themes() / config.theme, builtin_themes() / "default"]
    seen: list[Path] = []
    for folder in candidates:
        if folder.is_dir() and folder.resolve() not in [s.resolve() for s in seen]:
            seen.append(folder)
    return tuple(seen)


def make_environment(config: SiteConfig) -> jinja2.Environment:
    """Return a Jinja environment: autoescape on for every template, undefined names fatal.

    Templates resolve through the chain (site theme, then built-in), and every built-in theme is
    also reachable by name (``{% extends "default/event.html" %}``) so an override can extend it.
    """
    chain = [jinja2.FileSystemLoader(str(d / "templates")) for d in theme_dirs(config)]
    by_name = {
        d.name: jinja2.FileSystemLoader(str(d / "templates"))
        for d in sorted(builtin_themes().iterdir())
        if (d / "templates").is_dir()
    }
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader([*chain, jinja2.PrefixLoader(by_name)]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def static_files(config: SiteConfig) -> dict[str, Path]:
    """Return theme static files, the nearest theme's copy of each name winning."""
    files: dict[str, Path] = {}
    for theme in reversed(theme_dirs(config)):
        static = theme / "static"
        for path in sorted(static.rglob("*")) if static.is_dir() else ():
            rel = path.relative_to(static)
            if path.is_file() and not any(is_ignored(p) for p in rel.parts):
                files["assets/" + rel.as_posix()] = path
    return files


def theme_digest(config: SiteConfig) -> str:
    """Return a digest of every template and static file in the theme chain."""
    digest = hashlib.sha256()
    for folder in theme_dirs(config):
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def can_reuse(config: SiteConfig) -> bool:
    """Return True if pages may be reused when their inputs are unchanged.

    Not with a theme of the site's own: its templates may read anything in the timeline.
    """
    return all(d.resolve().is_relative_to(builtin_themes().resolve()) for d in theme_dirs(config))
