"""Importers: TimelineJS (JSON and its Google Sheets CSV), TimelineSetter CSV, and ``events.json``.

Each importer turns its rows into the content files of docs/format.md and writes them only when
the whole file could be read. The TimelineJS and TimelineSetter readers are in ``timelinejs.py``.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import yaml

from timeline.content.model import check_id
from timeline.content.yamldoc import YMap, load_yaml
from timeline.errors import Diagnostic, error, warning
from timeline.importers.timelinejs import Record, TimelineJS, read_timelinejs, read_timelinesetter

KINDS = ("timelinejs", "csv", "events-json")
EVENTS_SCHEMA = "timeline-events/1"


class _Dumper(yaml.SafeDumper):
    """A safe dumper that writes multi-line text as literal blocks."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def _clean(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: c for k, v in value.items() if (c := _clean(v)) not in (None, "", [], {})}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def to_yaml(record: Record) -> str:
    """Return a mapping as block YAML, empty fields left out at every depth, key order kept."""
    return yaml.dump(_clean(record), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100_000)


def _event_from_json(record: Record) -> Record:
    """Return the YAML fields of one ``events.json`` event; derived fields are dropped."""
    claims = []
    for claim in record.get("claims") or []:
        number = claim.get("number")
        claims.append({**claim, "number": "" if number is None else str(number)})
    sources = []
    for source in record.get("sources") or []:
        fields = {k: v for k, v in source.items() if k != "number"}
        sources.append(
            {k: fields.get(k) for k in ("article", "quote", "translation", "translation_language")}
            if fields.get("article")
            else fields
        )
    keys = ("title", "date", "end", "calendar", "summary", "places", "actors", "tags", "status", "sources", "related",
            "images", "updated", "corrections", "claims", "milestones", "language")  # fmt: skip
    out = {k: record.get(k) for k in keys}
    out["title"] = record.get("titles") or record.get("title")  # every language it was written in
    out |= {"sources": sources, "claims": claims}
    out["images"] = [{k: v for k, v in i.items() if v not in (None, "")} for i in record.get("images") or []]
    return out


def _article_text(record: Record) -> str:
    keys = ("title", "published", "language", "publisher", "author", "via", "url", "summary", "events", "actors",
            "places", "tags", "images", "quotes", "related")  # fmt: skip
    front = {k: record.get(k) for k in keys}
    front["title"] = record.get("titles") or record.get("title")
    front["images"] = [{k: v for k, v in i.items() if v not in (None, "")} for i in record.get("images") or []]
    front["quotes"] = [{k: v for k, v in q.items() if v} for q in record.get("quotes") or []]
    front["related"] = [{k: v for k, v in r.items() if v} for r in record.get("related") or []]
    return "---\n" + to_yaml(front) + "---\n" + str(record.get("notes") or "")


def read_events_json(text: str, path: str) -> tuple[dict[str, Any], list[Diagnostic]]:
    """Return the files an ``events.json`` document describes: events, articles, actors, places."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return {}, [error(path, exc.lineno, exc.colno, f"not JSON: {exc.msg}")]
    if not isinstance(data, dict) or data.get("schema") != EVENTS_SCHEMA or data.get("version") != 1:
        return {}, [error(path, 1, 1, f"not an events.json of schema '{EVENTS_SCHEMA}', version 1")]
    diags: list[Diagnostic] = []
    found: dict[str, Any] = {"events": {}, "articles": {}, "actors": {}, "places": {}}
    for table, convert in (("events", _event_from_json), ("articles", _article_text)):
        for number, record in enumerate(data.get(table) or [], start=1):
            ident = str(record.get("id", "")) if isinstance(record, dict) else ""
            problem = check_id(ident) if ident else f"{table[:-1]} {number} has no id"
            if problem:
                diags.append(error(path, 1, 1, problem))
                continue
            found[table][ident] = convert(record)
    for table in ("actors", "places"):
        for record in data.get(table) or []:
            if isinstance(record, dict) and not check_id(str(record.get("id", ""))):
                fields = ("name", "kind", "description") if table == "actors" else ("name", "description")
                entity = {k: record.get(k) for k in fields}
                entity |= {"name": record.get("names") or record.get("name"), "language": record.get("language")}
                found[table][str(record["id"])] = entity
    return found, diags


def _write(target: Path, text: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.write_text(text, encoding="utf-8", newline="\n")
    os.replace(temporary, target)


def _merge_entities(target: Path, records: dict[str, Record], diags: list[Diagnostic]) -> list[Path]:
    """Append records whose ids the file lacks; never change the ones it has."""
    text = target.read_text(encoding="utf-8") if target.is_file() else ""
    known: set[str] = set()
    if text.strip():
        value, problems = load_yaml(text, str(target))
        if problems or not isinstance(value, YMap):
            diags.append(error(str(target), 1, 1, "cannot add to this file: it is not a valid mapping of ids"))
            return []
        known = set(value.keys())
    new = {k: v for k, v in records.items() if k not in known}
    if not new:
        return []
    _write(target, text + ("\n" if text and not text.endswith("\n") else "") + to_yaml(new))
    return [target]


def _add_eras(site_dir: Path, eras: list[Record], path: str, diags: list[Diagnostic]) -> list[Path]:
    config = site_dir / "site.yaml"
    text = config.read_text(encoding="utf-8")
    if not eras:
        return []
    if re.search(r"(?m)^eras\s*:", text):
        # Rewriting a hand-edited site.yaml would lose its comments; say what to add instead.
        for era in eras:
            diags.append(warning(path, 1, 1, f"site.yaml already has eras; add this one by hand: {json.dumps(era)}"))
        return []
    block = to_yaml({"eras": [{k: v for k, v in e.items() if v} for e in eras]})
    _write(config, text + ("\n" if text and not text.endswith("\n") else "") + block)
    return [config]


def _new_site_yaml(reading: TimelineJS, source: Path) -> str:
    """Return the site.yaml of a new site made from a TimelineJS file: its title slide names it."""
    title = reading.title or source.stem
    settings = {"title": title, "description": reading.description, "language": "en", "timezone": "UTC"}
    return "# Made by `timeline import timelinejs`; every field: `timeline help format`.\n" + to_yaml(settings)


def _is_new_site(site_dir: Path) -> bool:
    return not site_dir.exists() or (site_dir.is_dir() and not any(site_dir.iterdir()))


def import_file(kind: str, source: Path, site_dir: Path, *, force: bool = False) -> tuple[list[Path], list[Diagnostic]]:
    """Import ``source`` into the site at ``site_dir``; write nothing unless all of it was read.

    A TimelineJS file may also start a new site in a missing or empty folder: its title slide
    becomes the site's title and description. Into an existing site, the title slide is reported.
    """
    path = str(source)
    if kind not in KINDS:
        return [], [error(path, 1, 1, f"unknown import kind '{kind}' (use {', '.join(KINDS)})")]
    new_site = kind == "timelinejs" and _is_new_site(site_dir)
    if not new_site and not (site_dir / "site.yaml").is_file():
        hint = " (or, for a TimelineJS file, a missing or empty folder)" if kind == "timelinejs" else ""
        return [], [error(str(site_dir / "site.yaml"), 1, 1, f"no site.yaml: import into a site folder{hint}")]
    try:
        text = source.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return [], [error(path, 1, 1, f"cannot read: {exc}")]
    content = site_dir / "content"
    files: dict[Path, str] = {}
    entities: dict[str, dict[str, Record]] = {}
    eras: list[Record] = []
    if kind == "events-json":
        found, diags = read_events_json(text, path)
        events = found.get("events", {})
        for ident, article in found.get("articles", {}).items():
            files[content / "articles" / f"{ident}.md"] = article
        entities = {"actors.yaml": found.get("actors", {}), "places.yaml": found.get("places", {})}
    elif kind == "timelinejs":
        reading = read_timelinejs(text, path)
        events, eras, diags = reading.events, list(reading.eras), list(reading.diagnostics)
        if new_site:
            files[site_dir / "site.yaml"] = _new_site_yaml(reading, source)
        elif reading.title and not any(d.severity == "error" for d in diags):
            unused = f"the title slide '{reading.title[:80]}' is not used: site.yaml already names the site"
            diags.append(warning(path, *reading.title_at, f"{unused} (set its title and description to use it)"))
    else:
        events, diags = read_timelinesetter(text, path)
    for ident, record in events.items():
        files[content / "events" / f"{ident}.yaml"] = to_yaml(record)
    if not events and not any(d.severity == "error" for d in diags):
        diags.append(error(path, 1, 1, "no events found"))
    for target in sorted(files):
        if target.exists() and not force:
            diags.append(error(str(target), 1, 1, "already exists; use --force to replace it"))
    if any(d.severity == "error" for d in diags):
        return [], diags
    written: list[Path] = []
    for target, body in sorted(files.items()):
        _write(target, body)
        written.append(target)
    for name, records in entities.items():
        written += _merge_entities(content / name, records, diags)
    written += _add_eras(site_dir, eras, path, diags)
    return list(dict.fromkeys(written)), diags
