"""Read a saved news report (plain text or HTML) into an article file with front matter."""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
import unicodedata
from pathlib import Path

import yaml

from timeline.content.model import check_id
from timeline.errors import Diagnostic, error, has_errors, warning
from timeline.importers.draft import ArticleDraft, detect_language, image_line, is_boilerplate, split_body
from timeline.importers.report_html import read_html

_MONTHS = (
    ("januari", 1), ("january", 1), ("jan", 1), ("februari", 2), ("february", 2), ("feb", 2),
    ("maret", 3), ("march", 3), ("mar", 3), ("april", 4), ("apr", 4), ("mei", 5), ("may", 5),
    ("juni", 6), ("june", 6), ("jun", 6), ("juli", 7), ("july", 7), ("jul", 7), ("agustus", 8),
    ("august", 8), ("agu", 8), ("agt", 8), ("aug", 8), ("september", 9), ("sept", 9), ("sep", 9),
    ("oktober", 10), ("october", 10), ("okt", 10), ("oct", 10), ("november", 11), ("nopember", 11),
    ("nov", 11), ("desember", 12), ("december", 12), ("des", 12), ("dec", 12),
)  # fmt: skip
# Weekday numbers as datetime.weekday() gives them, so a stated day name can be checked.
_DAYS = (
    ("senin", 0), ("monday", 0), ("selasa", 1), ("tuesday", 1), ("rabu", 2), ("wednesday", 2),
    ("kamis", 3), ("thursday", 3), ("jumat", 4), ("friday", 4), ("sabtu", 5), ("saturday", 5),
    ("minggu", 6), ("ahad", 6), ("sunday", 6),
)  # fmt: skip
_ZONES = (("wita", "+08:00"), ("wib", "+07:00"), ("wit", "+09:00"))
# Hosts whose owner is known for certain; anything else is reported, not guessed.
_PUBLISHER_HOSTS = (("okezone.com", "Okezone"),)
# Apostrophes, dashes, the minus sign and the full-width colon as news sites type them.
_APOSTROPHES = "'\u2019\u02bc"
_NAME = rf"[^\W\d_]+(?:[{_APOSTROPHES}][^\W\d_]+)?"
_DATE_RE = re.compile(
    rf"(?<!\w)(?:(?P<dayname>{_NAME})\s*,?\s+)?"
    r"(?:(?P<d1>\d{1,2})\s+(?P<m1>[^\W\d_]+)\.?,?\s+(?P<y1>\d{4})"
    r"|(?P<m2>[^\W\d_]+)\.?\s+(?P<d2>\d{1,2}),?\s+(?P<y2>\d{4}))"
    r"(?:\s*(?:,|-|\u2013|\u2014|·|\||at|pukul|jam|pkl\.?)?\s*(?P<h>\d{1,2})[:.](?P<mi>\d{2})(?::(?P<s>\d{2}))?"
    r"(?:\s*(?P<ampm>[ap]\.?m\b\.?))?"
    r"(?:\s*(?P<zone>wita|wib|wit|(?:utc|gmt)(?:\s*[+\-\u2212]\s*\d{1,2}(?::?\d{2})?)?|z|[+\-\u2212]\d{2}:?\d{2})\b)?)?",
    re.IGNORECASE,
)


def _name_lookup(table: tuple[tuple[str, int], ...], word: str | None) -> int | None:
    """Return the number a month or day name stands for, or None."""
    if word is None:
        return None
    key = re.sub(f"[{_APOSTROPHES}]", "", word).casefold()
    return next((n for name, n in table if name == key), None)


def _offset(zone: str) -> str | None:
    """Return ``+HH:MM`` (or ``Z``) for a zone written as WIB, UTC+7, GMT+07:00, +0700; None if invalid."""
    z = zone.casefold().replace("\u2212", "-").replace(" ", "")
    named = next((off for name, off in _ZONES if name == z), None)
    if named is not None:
        return named
    z = z.removeprefix("utc").removeprefix("gmt")
    if z in ("", "z"):
        return "Z"
    m = re.fullmatch(r"([+-])(\d{1,2}):?(\d{2})?", z)
    if not m or int(m[2]) > 14 or int(m[3] or 0) > 59:
        return None
    return f"{m[1]}{int(m[2]):02d}:{m[3] or '00'}"


def _written_date(text: str, path: str, line: int, col: int, diags: list[Diagnostic]) -> tuple[str | None, int] | None:
    """Find a written date in ``text``; return (ISO form or None, match start), or None if there is none."""
    for m in _DATE_RE.finditer(text):
        month = _name_lookup(_MONTHS, m["m1"] or m["m2"])
        if month is None:
            continue
        start = (
            m.start("dayname") if _name_lookup(_DAYS, m["dayname"]) is not None else m.start("d1" if m["d1"] else "m2")
        )
        at = col + start
        try:
            day = dt.date(int(m["y1"] or m["y2"]), month, int(m["d1"] or m["d2"]))
        except ValueError:
            diags.append(warning(path, line, at, f"not a valid date: {m[0].strip()!r}"))
            return None, start
        weekday = _name_lookup(_DAYS, m["dayname"])
        if weekday is not None and weekday != day.weekday():
            diags.append(warning(path, line, at, f"{m['dayname']!r} does not match {day.isoformat()}"))
        if m["h"] is None:
            return day.isoformat(), start
        hour, minute = int(m["h"]), int(m["mi"])
        if m["ampm"]:
            hour = hour % 12 + (12 if m["ampm"].casefold().startswith("p") else 0)
        if hour > 23 or minute > 59 or int(m["s"] or 0) > 59:
            diags.append(warning(path, line, col + m.start("h"), "not a valid time; only the date is kept"))
            return day.isoformat(), start
        offset = _offset(m["zone"]) if m["zone"] else None
        if offset is None:
            what = f"unknown time zone {m['zone']!r}" if m["zone"] else "the time has no zone"
            diags.append(warning(path, line, col + m.start("h"), f"{what}; only the date is kept"))
            return day.isoformat(), start
        seconds = f":{m['s']}" if m["s"] and m["s"] != "00" else ""
        return f"{day.isoformat()}T{hour:02d}:{minute:02d}{seconds}{offset}", start
    return None


def _publisher_for_url(url: str) -> str | None:
    """Return the publisher known to own ``url``'s host, or None."""
    m = re.match(r"https?://([^/:?#]+)", url, re.IGNORECASE)
    host = m[1].casefold() if m else ""
    return next((name for suffix, name in _PUBLISHER_HOSTS if host == suffix or host.endswith("." + suffix)), None)


def read_text(text: str, path: str, diags: list[Diagnostic]) -> ArticleDraft:
    """Read a plain-text report laid out as title, outlet and date, image, body."""
    raw = text.split("\n")
    numbered = [(i, s.strip()) for i, s in enumerate(raw, start=1)]
    content = [(i, s) for i, s in numbered if s and not is_boilerplate(s)]
    if not content:
        diags.append(error(path, 1, 1, "the report is empty"))
        return ArticleDraft()
    title_line, title = content[0]
    header_end = title_line
    published = via = byline = outlet = None
    outlet_at = (title_line, 1)
    for n, s in content[1:4]:
        col = len(raw[n - 1]) - len(raw[n - 1].lstrip()) + 1
        found = _written_date(s, path, n, col, diags)
        if found is None:
            continue
        published, start = found
        header_end, outlet_at = n, (n, col)
        outlet = s[:start].strip(" \t,·|-\u2013\u2014") or None
        break
    else:
        line = min(title_line + 1, len(numbered))
        diags.append(
            warning(
                path,
                line,
                1,
                "no publication date found after the title "
                "(expected a line like 'Okezone · Jum'at 23 Oktober 2020 18:01 WIB')",
            )
        )
    if outlet and (m := re.match(r"(?:agregasi|aggregated from|via)\s+(?P<via>.+)$", outlet, re.IGNORECASE)):
        via = m["via"].strip(" ,") or None
    elif outlet and (
        m := re.match(r"(?P<who>.+?),\s*(?:jurnalis|journalist|reporter|wartawan)$", outlet, re.IGNORECASE)
    ):
        byline = m["who"].strip()
    # A headline may name a date; a line that starts with one, or has the outlet separator, is the byline.
    in_title = _written_date(title, path, title_line, 1, [])
    if image_line(title) or (in_title is not None and (in_title[1] == 0 or "\u00b7" in title)):
        diags.append(error(path, title_line, 1, "the first line is not a title"))
        title = ""
    body, related, initials, images = split_body([(n, s) for n, s in numbered if n > header_end], path, diags)
    publisher = "Okezone" if via and outlet and outlet.casefold().startswith("agregasi") else None
    publisher = publisher or next((p for im in images if (p := _publisher_for_url(im.url))), None)
    named = next((name for _, name in _PUBLISHER_HOSTS if outlet and outlet.casefold() == name.casefold()), None)
    publisher = publisher or named
    if publisher is None:
        what = f"from {outlet!r}" if outlet and not byline else "from the report"
        diags.append(warning(path, *outlet_at, f"cannot tell the publisher {what}; add 'publisher:' by hand"))
    language = detect_language([title, *([outlet] if outlet else []), *related, *body])
    if language is None:
        diags.append(warning(path, title_line, 1, "cannot tell the language; add 'language:' by hand"))
    return ArticleDraft(
        title=title or None,
        published=published,
        language=language,
        publisher=publisher,
        via=via,
        author=byline or initials,
        images=tuple(images),
        related=related,
        body=body,
    )


def read_report(data: bytes, path: str) -> tuple[ArticleDraft, list[Diagnostic]]:
    """Read a saved report (plain text or HTML, sniffed) into a draft and diagnostics."""
    diags: list[Diagnostic] = []
    raw = data.removeprefix(b"\xef\xbb\xbf")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + before.count(b"\r") - before.count(b"\r\n") + 1
        col = len(before) - max(before.rfind(b"\n"), before.rfind(b"\r"))
        diags.append(error(path, line, col, "not UTF-8 text; save the report as UTF-8"))
        text = raw.decode("utf-8", errors="replace")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        diags.append(error(path, 1, 1, "binary data, not a saved report"))
        return ArticleDraft(), diags
    if re.match(r"\s*<(?:!doctype\s+html|html|head|meta|!--)", text, re.IGNORECASE):
        draft = read_html(text, path, diags)
    else:
        draft = read_text(text, path, diags)
    if draft.title is None and not has_errors(diags):
        diags.append(error(path, 1, 1, "no title found"))
    return draft, diags


def _yaml_str(value: str) -> str:
    """Return ``value`` as one double-quoted YAML scalar, so it always loads as a string."""
    return yaml.safe_dump(value, default_style='"', allow_unicode=True, width=2**31 - 1).rstrip("\n")


def _markdown_text(paragraph: str) -> str:
    """Escape Markdown syntax so the saved text shows as written and makes no links or HTML."""
    text = re.sub(r"([\\`*_\[\]<>&|~])", r"\\\1", paragraph)
    return re.sub(r"^(\d*)([#+=\-.)])", r"\1\\\2", text)


def format_article(draft: ArticleDraft, *, article_id: str) -> str:
    """Return the article file text: YAML front matter, then the saved text as a quote."""
    out = ["---", f"id: {_yaml_str(article_id)}"]
    for key in ("title", "published", "language", "publisher", "via", "author", "url"):
        if value := getattr(draft, key):
            out.append(f"{key}: {_yaml_str(value)}")
    out += ["# summary: write a summary in your own words", "events: []"]
    if draft.images:
        out.append("images:")
        for im in draft.images:
            out.append(f"  - url: {_yaml_str(im.url)}")
            for key, value in (("alt", im.alt or im.caption), ("caption", im.caption), ("credit", im.credit)):
                if value:
                    out.append(f"    {key}: {_yaml_str(value)}")
    if draft.related:
        out.append("related:")
        out += [f"  - title: {_yaml_str(title)}" for title in draft.related]
    out.append("---")
    if draft.body:
        out += ["", "## Original text (excerpt for reference)", ""]
        out.append("\n>\n".join(f"> {_markdown_text(p)}" for p in draft.body))
    return "\n".join(out) + "\n"


def _slug(text: str) -> str:
    """Return ``text`` as lowercase ASCII kebab-case."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def article_id_for(draft: ArticleDraft, fallback: str) -> str:
    """Return a default id: publisher, date and the first title words, at most 60 characters."""
    words = [w for w in map(_slug, (draft.title or "").split()) if w][:5]
    slug = "-".join(p for p in (_slug(draft.publisher or ""), (draft.published or "")[:10], *words) if p)
    slug = slug or _slug(fallback) or "article"
    while len(slug) > 60:
        slug = slug[:60].rsplit("-", 1)[0] if "-" in slug[:60] else slug[:60]
    return slug.strip("-") or "article"


def _write_atomic(target: Path, text: str) -> None:
    """Write ``text`` to ``target`` through a temporary file, so readers never see half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def import_article(
    source: Path, content_dir: Path, *, article_id: str | None = None, force: bool = False
) -> tuple[Path | None, list[Diagnostic]]:
    """Write ``content_dir/articles/<id>.md`` from a saved report; return its path (None if refused)."""
    if article_id is not None and (why := check_id(article_id)):
        return None, [error("--id", 1, 1, why)]
    try:
        data = source.read_bytes()
    except OSError as exc:
        return None, [error(str(source), 1, 1, f"cannot read the report: {exc.strerror or exc}")]
    draft, diags = read_report(data, str(source))
    if has_errors(diags):
        return None, diags
    target = content_dir / "articles" / f"{article_id or article_id_for(draft, source.stem)}.md"
    if target.exists() and not force:
        return None, [*diags, error(str(target), 1, 1, "the article already exists; use --force to replace it")]
    try:
        _write_atomic(target, format_article(draft, article_id=target.stem))
    except OSError as exc:
        return None, [*diags, error(str(target), 1, 1, f"cannot write the article: {exc.strerror or exc}")]
    return target, diags
