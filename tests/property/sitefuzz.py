"""The site fuzzer: generated and mutated sites through the public check and build pipeline.

A case is a whole small site (``site.yaml``, events, articles, actors and places) as bytes. Half
the cases are generated from the schema with hostile values in every field (dates at the edges
of the calendar, zone names that are folders, traversal, control and RTL characters, wrong
types); the other half are the example sites with their text mutated (lines swapped, dropped,
duplicated, values replaced, bytes inserted). ``run_case`` writes one into a folder, runs
``check_site`` (and, for some, ``build_site``) and returns what happened: a result or a located
diagnostic is fine; any other exception, or a diagnostic pointing into the built-in theme (a
crash a template caught), is a failure.

Used by ``tests/property/test_fuzz.py`` (a fixed seed and a short budget in CI) and by
``benchmarks/fuzz.py`` (as long as you like).
"""

from __future__ import annotations

import dataclasses
import shutil
import time
import traceback
from pathlib import Path

from hypothesis import strategies as st

from timeline.build.pipeline import build_site, check_site
from timeline.errors import TimelineError

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = [REPO, REPO / "tests" / "sites" / "basic"]
"""Sites whose files seed the mutations: the example site and the golden test site."""

CASE_LIMIT = 5.0
"""Seconds a case may take before it counts as a hang."""

DATES = [
    "1994", "2020-10", "2020-09-27", "2020-10-23T18:01+07:00", "2020-10-23T18:01 Asia/Jakarta", "1988/1994",
    "1994~", "2020-10?", "1994%", "2020-02-30", "2021-02-29", "2020-13-01", "0000-02-29", "0001-02-29", "-9999",
    "9999", "0000", "0001-01-01", "9999-12-31", "0001-01-01T00:00+14:00", "9999-12-31T23:59-14:00",
    "0001-01-01T00:00", "9999-12-31T23:59", "9999-12-31T23:59:59Z", "0001-01-01T00:00 America/New_York",
    "9999-12-31T23:59 Pacific/Honolulu", "2020-01-01T00:00 America", "2020-01-01T00:00 Etc",
    "2020-01-01T00:00 " + "A" * 300, "0000-01-01T00:00Z", "2020-10-23T25:00Z", "2020/2019", "0001/9999",
    "0001-01-01T00:00+14:00/0001-01-02", "2020-10-23 18:01:00 +0700", "2020-01-01T00:00+15:00", "tomorrow", "",
    "２０２０", "2020-10-23T18:01 Europe/../Asia/Jakarta", "10000", "-0001-06-01T12:00+01:00",
]  # fmt: skip
ZONES = [
    "UTC", "Asia/Jakarta", "America/New_York", "Pacific/Kiritimati", "Etc/GMT+12", "Europe/London", "America",
    "Etc", "A" * 300, "..", "../../etc/passwd", "/etc/localtime", "localtime", "a\x00b", "", "Mars/Olympus",
    "Asia/Jakarta/", "Zulu",
]  # fmt: skip
IDS = ["a", "b", "alpha", "beta", "toll", "report", "x-1", "../x", "con", "A", "a/b", "ü", "a" * 300, "", ".", "\x00"]
URLS = [
    "https://example.org/a", "javascript:alert(1)", "//evil.example", "data:text/html,<script>", "mailto:a@b.c",
    "http://[::1", "http://a b", "https://例え.jp/パス", "http://%zz", "/relative/path", "#frag", "java\tscript:x",
    "&#x6a;avascript:x", "", "http://" + "a" * 3000,
]  # fmt: skip
WORDS = [
    "Fighting", "مرحبا بالعالم", "שלום", "\u202eevil", "<script>alert(1)</script>", "{{ 7*7 }}", "{% raw %}",
    "&amp;", "\x1b[31m", "\ufeff", "\u2028", "a\tb", "NO", "10:30", "0755", "~", "null", "'", '"', "\\",
]  # fmt: skip
MARKDOWN = [
    "# Heading\n", "## Heading\n", "[x](event:toll)", "[y](#nowhere)", "![i](images/x.png)",
    "[z](javascript:alert(1))", "<script>x</script>", "| a | b |\n|---|---|\n| 1 | 2 |\n", "> quote\n",
    "- item\n", "1. item\n", "`code`", "```\nfence\n```\n", "[a]: https://example.org\n", "&#x61;", "*", "_",
    "[", "](", "![", "<", "\n", "\n\n", "[x](article:report#h-x)", "[x](actor:alpha)", "[x](place:nowhere)",
]  # fmt: skip
EVENT_KEYS = (
    "id", "title", "date", "end", "summary", "places", "actors", "tags", "status", "sources", "related",
    "images", "updated", "corrections", "claims", "draft",
)  # fmt: skip
ARTICLE_KEYS = (
    "id", "title", "published", "date", "language", "publisher", "author", "via", "url", "summary", "events",
    "actors", "places", "tags", "images", "quotes", "related", "draft",
)  # fmt: skip
SITE_KEYS = ("title", "description", "language", "timezone", "base_url", "theme", "output", "cname", "author", "eras")


@dataclasses.dataclass(frozen=True)
class Outcome:
    """What one case did."""

    seconds: float
    failure: str | None
    """None when the case gave a result or located diagnostics; else the exception's last frame and text."""
    signature: str | None = None
    """The exception type and the file:line it came from, to count distinct causes."""
    rendered: bool = False
    """True when the site had no errors, so the whole pipeline ran."""


# --- values -----------------------------------------------------------------------------------

DATE_KEYS = ("date", "end", "updated", "published", "accessed")
URL_KEYS = ("url", "archive_url", "base_url")
ID_KEYS = ("id", "article", "claimant", "speaker", "places", "actors", "related", "events")

text = st.text(max_size=40)
words = st.sampled_from(WORDS) | text
dates = st.sampled_from(DATES) | st.builds(
    lambda y, m, d, h, mi, tail: f"{y:04d}-{m:02d}-{d:02d}T{h:02d}:{mi:02d}{tail}",
    st.integers(-1, 10000),
    st.integers(0, 13),
    st.integers(0, 32),
    st.integers(0, 24),
    st.integers(0, 60),
    st.sampled_from(["", "Z", "+14:00", "-14:00", "+07:00", "-00:01", " "]) | st.sampled_from(ZONES).map(" ".__add__),
)
markdown = st.lists(st.sampled_from(MARKDOWN) | words, max_size=20).map("".join)
EDGE_YEARS = [0, 1, 2, 99, 999, 1000, 1582, 1970, 2020, 9998, 9999]
EDGE_TAILS = ["", "Z", "+14:00", "-14:00", "+00:01", "-00:01", "~", "?"] + [
    f" {zone}" for zone in ("America/New_York", "Pacific/Kiritimati", "Pacific/Honolulu", "Asia/Tokyo", "Etc/GMT-14")
]
edge_dates = st.one_of(
    st.builds(
        lambda y, m, d, h, mi, tail: f"{y:04d}-{m:02d}-{d:02d}T{h:02d}:{mi:02d}{tail}",
        st.sampled_from(EDGE_YEARS),
        st.sampled_from([1, 2, 12]),
        st.sampled_from([1, 28]),
        st.sampled_from([0, 1, 12, 22, 23]),
        st.sampled_from([0, 59]),
        st.sampled_from(EDGE_TAILS),
    ),
    st.builds(lambda y, m: f"{y:04d}-{m:02d}", st.sampled_from(EDGE_YEARS), st.sampled_from([1, 2, 12])),
    st.builds(lambda y, m, d: f"{y:04d}-{m:02d}-{d:02d}", st.sampled_from(EDGE_YEARS), st.just(12), st.just(31)),
    st.builds(lambda y: f"{y:04d}", st.sampled_from(EDGE_YEARS + [-9999, -1])),
)
"""Dates that parse, or nearly: the first and last years, the offsets and zones furthest from UTC."""


def scalar(values: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Return YAML text for one scalar drawn from ``values``: plain, quoted or a block."""
    return st.one_of(
        values,
        values.map(lambda v: "'" + v.replace("'", "''") + "'"),
        values.map(lambda v: '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'),
        values.map(lambda v: "|\n" + "".join(f"  {line}\n" for line in v.splitlines() or [""])),
    )


def inline(values: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Return YAML text for one scalar that fits on its key's line (for nested records)."""
    return st.one_of(
        values.map(lambda v: "'" + v.replace("'", "''").replace("\n", " ") + "'"),
        values.map(lambda v: '"' + v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'),
    )


def flow_list(values: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.lists(values, max_size=4).map(lambda items: "[" + ", ".join(items) + "]")


def mapping(fields: st.SearchStrategy[list[tuple[str, str]]], indent: str = "") -> st.SearchStrategy[str]:
    """Return YAML text of a mapping from (key, value text) pairs."""

    def lay(pairs: list[tuple[str, str]]) -> str:
        out = []
        for key, value in pairs:
            lines = value.split("\n")
            if value.startswith("\n"):  # a nested block
                out.append(f"{indent}{key}:" + "\n".join(f"{indent}{line}" if line else line for line in lines))
            else:
                out.append(f"{indent}{key}: " + "\n".join([lines[0], *(f"{indent}{line}" for line in lines[1:])]))
        return "\n".join(out) + "\n"

    return fields.map(lay)


def records(item: st.SearchStrategy[list[tuple[str, str]]]) -> st.SearchStrategy[str]:
    """Return a block sequence of mappings, as the text after ``key:``."""

    def lay(entries: list[list[tuple[str, str]]]) -> str:
        out = [""]
        for pairs in entries:
            for number, (key, value) in enumerate(pairs):
                value = value.replace("\n", "\n    ")
                out.append(f"  {'- ' if number == 0 else '  '}{key}: {value}")
        return "\n".join(out)

    return st.lists(item, max_size=3).map(lay)


def fields(
    choices: dict[str, st.SearchStrategy[str]], extra: tuple[str, ...]
) -> st.SearchStrategy[list[tuple[str, str]]]:
    """Return some of ``choices`` (and now and then an unknown or repeated key), in any order."""
    names = st.sampled_from(sorted(choices)) | st.sampled_from(extra) if extra else st.sampled_from(sorted(choices))
    keys = st.lists(names, max_size=len(choices) + 2)
    return keys.flatmap(
        lambda chosen: st.tuples(*(choices.get(k, scalar(words)).map(lambda v, k=k: (k, v)) for k in chosen)).map(
            list
        )
    )


ids = st.sampled_from(IDS)
source = fields(
    {
        "article": scalar(ids), "title": scalar(words), "url": scalar(st.sampled_from(URLS)),
        "published": scalar(dates), "accessed": scalar(dates), "quote": scalar(words),
        "language": scalar(st.sampled_from(["en", "id", "ar", "xx-", "english", ""])),
        "archive_url": scalar(st.sampled_from(URLS)), "publisher": scalar(words),
    },
    ("unknown",),
)  # fmt: skip
claim = fields(
    {
        "quantity": scalar(words), "value": scalar(words), "claimant": scalar(ids), "date": scalar(dates),
        "source": scalar(st.sampled_from(["1", "2", "0", "-1", "x", "99999999999999999999"])),
        "number": scalar(st.sampled_from(["5000", "1.5", "five", ""])),
        "qualifier": scalar(st.sampled_from(["exact", "approximately", "at least", "nope"])),
    },
    ("extra",),
)  # fmt: skip
image = fields(
    {
        "src": scalar(st.sampled_from(["images/x.png", "../x.png", "/etc/passwd", "x:y", "", "images/"])),
        "url": scalar(st.sampled_from(URLS)), "alt": scalar(words), "caption": scalar(words),
        "width": scalar(st.sampled_from(["10", "0", "-1", "1e9", "x"])), "height": scalar(st.sampled_from(["10", "x"])),
    },
    ("credit",),
)  # fmt: skip
correction = fields({"date": scalar(dates), "text": scalar(words)}, ("x",))
event_values: dict[str, st.SearchStrategy[str]] = {
    "id": scalar(ids), "title": scalar(words), "date": scalar(dates), "end": scalar(dates),
    "summary": scalar(markdown), "places": flow_list(ids), "actors": flow_list(ids), "tags": flow_list(words),
    "status": scalar(st.sampled_from(["happened", "reported", "scheduled", "denied", "x"])),
    "sources": records(source), "related": flow_list(ids), "images": records(image), "updated": scalar(dates),
    "corrections": records(correction), "claims": records(claim),
    "draft": scalar(st.sampled_from(["true", "false", "yes", "x"])),
}  # fmt: skip
event_yaml = mapping(fields(event_values, ("plaec", "date ")))
article_values: dict[str, st.SearchStrategy[str]] = {
    "id": scalar(ids), "title": scalar(words), "published": scalar(dates), "date": scalar(dates),
    "language": scalar(st.sampled_from(["en", "id", "ar", "he", "x", ""])), "publisher": scalar(words),
    "author": scalar(words), "via": scalar(words), "url": scalar(st.sampled_from(URLS)),
    "summary": scalar(markdown), "events": flow_list(ids), "actors": flow_list(ids), "places": flow_list(ids),
    "tags": flow_list(words), "images": records(image),
    "quotes": records(fields({"text": scalar(words), "speaker": scalar(ids), "translation": scalar(words)}, ())),
    "related": records(fields({"title": scalar(words), "url": scalar(st.sampled_from(URLS))}, ())),
    "draft": scalar(st.sampled_from(["true", "false"])),
}  # fmt: skip
article_md = st.tuples(mapping(fields(article_values, ("titel",))), markdown).map(
    lambda parts: f"---\n{parts[0]}---\n{parts[1]}\n"
)
entity = fields(
    {"name": scalar(words), "kind": scalar(st.sampled_from(["person", "country", "group", "x"])),
     "description": scalar(words)},
    ("extra",),
)  # fmt: skip
entities_yaml = st.lists(st.tuples(ids, entity), max_size=4).map(
    lambda items: "".join(f"{key or 'k'}:\n" + "".join(f"  {k}: {v}\n" for k, v in pairs) for key, pairs in items)
)
era = fields({"id": scalar(ids), "title": scalar(words), "date": scalar(dates), "end": scalar(dates)}, ())
site_values: dict[str, st.SearchStrategy[str]] = {
    "title": scalar(words), "description": scalar(words),
    "language": scalar(st.sampled_from(["en", "id", "ar", "pt-BR", "zz", "en_US", "x" * 300])),
    "timezone": scalar(st.sampled_from(ZONES)), "base_url": scalar(st.sampled_from(URLS)),
    "theme": scalar(st.sampled_from(["default", "../x", "nope", ""])),
    "output": scalar(st.sampled_from(["_site", "content/x", "content", "themes/x", ".", "..", "/tmp/x", "a/b", ""])),
    "cname": scalar(st.sampled_from(["news.example.org", "x", ""])), "author": scalar(words),
    "eras": records(era),
}  # fmt: skip
site_yaml = mapping(fields(site_values, ("titel",))).map(lambda t: t if "title:" in t else "title: T\n" + t)


@st.composite
def generated_site(draw: st.DrawFn) -> dict[str, bytes]:
    """Return a site built from the schema with hostile values."""
    files = {"site.yaml": draw(site_yaml)}
    for number in range(draw(st.integers(1, 3))):
        files[f"content/events/{draw(st.sampled_from(['e', 'toll', 'E', 'x']))}{number}.yaml"] = draw(event_yaml)
    for number in range(draw(st.integers(0, 2))):
        files[f"content/articles/report{number or ''}.md"] = draw(article_md)
    files["content/actors.yaml"] = draw(entities_yaml)
    files["content/places.yaml"] = draw(entities_yaml)
    return {rel: data.encode("utf-8", "surrogatepass") for rel, data in files.items()}


def _example_files() -> list[dict[str, bytes]]:
    sites = []
    for root in EXAMPLES:
        files = {"site.yaml": (root / "site.yaml").read_bytes()}
        for path in sorted((root / "content").rglob("*")):
            if path.is_file() and path.suffix in (".yaml", ".md"):
                files[path.relative_to(root).as_posix()] = path.read_bytes()
        sites.append(files)
    return sites


SEEDS = _example_files()


@st.composite
def mutated_site(draw: st.DrawFn) -> dict[str, bytes]:
    """Return an example site with some of its files mutated line by line and byte by byte."""
    files = dict(draw(st.sampled_from(SEEDS)))
    names = sorted(files)
    for _ in range(draw(st.integers(1, 4))):
        name = draw(st.sampled_from(names))
        lines = files[name].decode("utf-8", "surrogateescape").split("\n")
        index = draw(st.integers(0, max(len(lines) - 1, 0)))
        kind = draw(st.sampled_from(["value", "drop", "dup", "swap", "insert", "indent", "bytes", "truncate"]))
        if kind == "value" and ":" in lines[index]:
            key = lines[index].split(":", 1)[0]
            name_of_key = key.strip().lstrip("- ").strip()
            value = draw(st.sampled_from([hostile(name_of_key)] * 3 + [dates, st.sampled_from(ZONES), words]))
            lines[index] = f"{key}: {draw(scalar(value))}"
        elif kind == "drop" and len(lines) > 1:
            del lines[index]
        elif kind == "dup":
            lines.insert(index, lines[index])
        elif kind == "swap" and len(lines) > 1:
            other = draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
        elif kind == "insert":
            lines.insert(index, draw(st.sampled_from(MARKDOWN) | words | st.sampled_from(["- ", "  ", "? a", "&a b"])))
        elif kind == "indent":
            lines[index] = draw(st.sampled_from(["  ", "\t", " "])) + lines[index]
        data = "\n".join(lines).encode("utf-8", "surrogateescape")
        if kind == "bytes":
            at = draw(st.integers(0, len(data)))
            data = data[:at] + draw(st.binary(min_size=1, max_size=4)) + data[at:]
        elif kind == "truncate":
            data = data[: draw(st.integers(0, len(data)))]
        files[name] = data
    return files


def hostile(key: str) -> st.SearchStrategy[str]:
    """Return hostile values for a field named ``key``, mostly of the kind the field takes."""
    if key in DATE_KEYS:
        return dates
    if key == "timezone":
        return st.sampled_from(ZONES)
    if key in URL_KEYS:
        return st.sampled_from(URLS)
    if key in ID_KEYS:
        return ids
    if key in ("summary", "text"):
        return markdown
    return words


NEAR_VALUES: dict[str, st.SearchStrategy[str]] = {
    "end": dates, "updated": dates, "status": st.sampled_from(["happened", "reported", "scheduled", "disputed"]),
    "summary": st.sampled_from(
        ["Plain.", "**bold** [x](event:e0)", "مرحبا بالعالم", "# H\n\ntext", "<b>x</b> &amp;", "\u202eevil", ""]
    ),
    "places": st.sampled_from(["[p]", "[p, p]", "p"]), "actors": st.sampled_from(["[a]", "a"]),
}  # fmt: skip
"""Fields an otherwise valid event may add, with values that are meant to pass."""

GOOD_EVENT = "title: T\ndate: '2020-10-23'\nsources:\n  - title: S\n"
GOOD_ARTICLE = "---\ntitle: A\npublished: '2020-10-23T18:01+07:00'\nevents: [e0]\n---\nBody.\n"


@st.composite
def nearly_valid_site(draw: st.DrawFn) -> dict[str, bytes]:
    """Return a valid site with a few hostile values in its date, zone and link fields.

    Most hostile sites stop at their first located error; these reach the index, the renderer,
    the feeds and the calendars, where a value that parses can still break something.
    """
    near = edge_dates | dates if draw(st.integers(0, 9)) == 0 else edge_dates  # now and then, any date at all
    zone = draw(st.sampled_from(ZONES[:6]) if draw(st.integers(0, 9)) else st.sampled_from(ZONES))
    site = f"title: T\ntimezone: '{zone}'\n"
    if draw(st.booleans()):
        site += f"eras:\n  - id: e\n    title: E\n    date: {draw(inline(near))}\n"
    files = {"site.yaml": site, "content/actors.yaml": "a:\n  name: A\n", "content/places.yaml": "p:\n  name: P\n"}
    for number in range(draw(st.integers(1, 3))):
        event = GOOD_EVENT.replace("2020-10-23", draw(near))
        for key in draw(st.lists(st.sampled_from(sorted(NEAR_VALUES)), max_size=4, unique=True)):
            values = near if key in DATE_KEYS else NEAR_VALUES[key]
            event += f"{key}: {draw(scalar(values) if key != 'places' and key != 'actors' else values)}\n"
        if draw(st.booleans()):
            event += f"corrections:\n  - date: {draw(inline(near))}\n    text: fixed\n"
        if draw(st.booleans()):
            claim = f"  - quantity: q\n    value: v\n    claimant: a\n    source: 1\n    date: {draw(inline(near))}\n"
            event += "claims:\n" + claim
        if draw(st.booleans()):
            published, url = draw(inline(near)), draw(inline(st.sampled_from(URLS[:5] + ["https://例え.jp/パス"])))
            second = f"  - title: S2\n    published: {published}\n    url: {url}\n"
            event = event.replace("  - title: S\n", "  - title: S\n" + second, 1)
        files[f"content/events/e{number}.yaml"] = event
    if draw(st.booleans()):
        files["content/articles/a.md"] = GOOD_ARTICLE.replace("'2020-10-23T18:01+07:00'", draw(scalar(near)))
    return {rel: data.encode("utf-8", "surrogatepass") for rel, data in files.items()}


sites = generated_site() | mutated_site() | nearly_valid_site()


# --- running ----------------------------------------------------------------------------------


def write_site(root: Path, files: dict[str, bytes]) -> None:
    """Replace the folder ``root`` with a site holding ``files``."""
    if root.exists():
        shutil.rmtree(root)
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    (root / "content" / "events").mkdir(parents=True, exist_ok=True)


def run_case(root: Path, files: dict[str, bytes], *, build: bool) -> Outcome:
    """Write ``files`` into ``root``, check the site (and build it); return what happened."""
    write_site(root, files)
    started = time.perf_counter()
    try:
        result = check_site(root)
        if build and not result.failed():
            result = build_site(root)
        rendered = not result.failed()
    except TimelineError:
        return Outcome(time.perf_counter() - started, None)  # located: site.yaml or the output folder
    except Exception as exc:  # noqa: BLE001 - any other exception is what the fuzzer looks for
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        where = f"{Path(frame.filename).name}:{frame.lineno}"
        detail = "".join(traceback.format_exception(exc))
        return Outcome(time.perf_counter() - started, detail, f"{type(exc).__name__} at {where}")
    seconds = time.perf_counter() - started
    for diag in result.diagnostics:
        if diag.path not in files and not diag.path.startswith("content/"):
            # A diagnostic in the built-in theme is a crash that a template caught, not a problem of the site.
            return Outcome(seconds, f"misplaced diagnostic: {diag.format()}", f"diagnostic at {diag.path}")
    return Outcome(seconds, None, rendered=rendered)
