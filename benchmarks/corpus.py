"""Write a deterministic benchmark corpus: one set of articles as timeline, Hugo, MkDocs and Pelican sites.

    python benchmarks/corpus.py OUT --articles 1000 --events 1000 [--seed 0]

OUT/timeline is a timeline site (site.yaml, actors, places, events citing the articles), and
OUT/hugo, OUT/mkdocs and OUT/pelican hold the same articles in the layout each tool expects.
The articles carry only the common front matter (title, date, tags), as Jekyll, Hugo and Pelican
write it; the timeline and Hugo copies are byte for byte the same files.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import shutil
from pathlib import Path

WORDS = (
    "the of and to in a is that for it as was with be by on not he this are or his from at which but have an "
    "they you were her she there been one all we their has would when if so no will more out up into do any "
    "your what some can only other new time could these two may first then do than like its our over such "
    "report minister border ceasefire talks army villages refugees council government treaty province river "
    "election court parliament statement casualties shelling convoy capital mediation envoy sanctions budget "
    "harvest drought pipeline railway bridge district mayor hospital school archive witness document satellite "
    "image footage interview spokesman agency ministry officials negotiators observers mission monitors civilians "
    "soldiers volunteers journalists editors analysts historians lawyers judges prosecutors farmers workers "
    "announced denied confirmed disputed reported claimed estimated recorded published signed rejected approved "
    "delayed resumed suspended opened closed crossed shelled rebuilt evacuated returned gathered questioned "
    "quietly sharply slowly early late later again still already nearly roughly officially publicly reportedly "
    "northern southern eastern western regional national local foreign domestic military civilian humanitarian"
).split()
TAGS = tuple(
    "politics economy conflict ceasefire diplomacy elections courts health education energy transport "
    "agriculture climate migration media history culture sport technology security human-rights sanctions "
    "trade infrastructure corruption protests religion science water housing".split()
)
PLACES = (
    "Northport", "Eastvale", "Riverton", "Highmoor", "Saltmarsh", "Greyford", "Lowfield", "Westbrook",
    "Stonebridge", "Ashcombe", "Fairhaven", "Kingsreach", "Oakridge", "Millbrook", "Redcliff", "Thornbury",
)  # fmt: skip
FIRST = ("Amina", "Boris", "Chen", "Dalia", "Emre", "Farah", "Goran", "Hana", "Ivo", "Jana", "Karim", "Lena")
LAST = ("Aliyev", "Bauer", "Costa", "Demir", "Evans", "Fischer", "Garcia", "Haddad", "Ivanova", "Jensen")
ZONES = ("Asia/Jakarta", "Europe/Berlin", "America/New_York", "Asia/Baku", "UTC")
PUBLISHERS = ("The Daily Ledger", "Radio Northport", "Eastvale Times", "Wire Agency", "Highmoor Post")
QUALIFIERS = ("exact", "approximately", "more-than", "fewer-than", "at-least", "at-most")
STATUSES = ("happened", "happened", "happened", "reported", "disputed", "scheduled")


@dataclasses.dataclass(frozen=True, slots=True)
class Article:
    """One generated article: the same text serves every generator."""

    id: str
    title: str
    date: str
    tags: tuple[str, ...]
    body: str


def _sentence(rng: random.Random, link: bool = False) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 16))]
    if link:
        at = rng.randrange(len(words) - 2)
        words[at] = f"[{words[at]} {words[at + 1]}](https://example.org/{words[at]}/{rng.randint(1, 9999)})"
        del words[at + 1]
    if rng.random() < 0.2:
        at = rng.randrange(len(words))
        words[at] = f"*{words[at]}*"
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng, link=rng.random() < 0.15) for _ in range(rng.randint(3, 4)))


def _title(rng: random.Random) -> str:
    words = [rng.choice(WORDS[60:]) for _ in range(rng.randint(4, 8))]
    return " ".join(words).capitalize()


def _body(rng: random.Random) -> str:
    parts = [_paragraph(rng), _paragraph(rng)]
    for _ in range(rng.randint(2, 3)):
        parts.append("## " + _title(rng))
        parts.append(_paragraph(rng))
        shape = rng.random()
        if shape < 0.35:
            parts.append("\n".join(f"- {_sentence(rng)}" for _ in range(rng.randint(3, 5))))
        elif shape < 0.55:
            parts.append("\n".join(f"{n}. {_sentence(rng)}" for n in range(1, rng.randint(3, 5))))
        elif shape < 0.8:
            rows = ["| Place | Date | Figure |", "| --- | --- | ---: |"]
            for _ in range(rng.randint(3, 6)):
                rows.append(f"| {rng.choice(PLACES)} | {rng.randint(1990, 2024)} | {rng.randint(1, 90000):,} |")
            parts.append("\n".join(rows))
        else:
            parts.append("> " + _sentence(rng))
        parts.append(_paragraph(rng))
    return "\n\n".join(parts) + "\n"


def make_articles(n: int, seed: int) -> list[Article]:
    """Return ``n`` articles of varied prose (about 400 words each), the same for a given seed."""
    rng = random.Random(f"articles-{seed}")
    out = []
    for i in range(n):
        day = f"{rng.randint(2000, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        date = day if rng.random() < 0.5 else f"{day}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00+07:00"
        tags = tuple(sorted(set(rng.sample(TAGS, rng.randint(1, 3)))))
        out.append(Article(f"a{i:05d}", _title(rng), date, tags, _body(rng)))
    return out


def yaml_front_matter(article: Article) -> str:
    """Return the article as Jekyll/Hugo-style Markdown with YAML front matter."""
    tags = ", ".join(article.tags)
    return f'---\ntitle: "{article.title}"\ndate: {article.date}\ntags: [{tags}]\n---\n\n{article.body}'


def pelican_metadata(article: Article) -> str:
    """Return the article in Pelican's Markdown metadata form."""
    date = article.date.replace("T", " ")
    head = f"Title: {article.title}\nDate: {date}\nTags: {', '.join(article.tags)}\nSlug: {article.id}\n"
    return f"{head}\n{article.body}"


def _date(rng: random.Random) -> str:
    year = rng.randint(1950, 2024)
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    kind = rng.randrange(11)
    if kind == 0:
        return f"{year}"
    if kind == 1:
        return f"{year}-{month:02d}"
    if kind in (2, 3, 4):
        return f"{year}-{month:02d}-{day:02d}"
    if kind == 5:
        return f"{year}-{month:02d}-{day:02d}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}+07:00"
    if kind == 6:
        return (
            f"{year}-{month:02d}-{day:02d}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}Z"
        )
    if kind == 7:
        return f"{year}-{month:02d}-{day:02d}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d} {rng.choice(ZONES)}"
    if kind == 8:
        return f"{year}/{year + rng.randint(1, 6)}"
    if kind == 9:
        return f"{year}-{month:02d}-{day:02d}/{year + 1}-{month:02d}-{day:02d}"
    return f"{year}{rng.choice('~?%')}" if rng.random() < 0.5 else f"{year}-{month:02d}{rng.choice('~?%')}"


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _event(rng: random.Random, i: int, m: int, articles: list[Article], actors: list[str], places: list[str]) -> str:
    lines = [f"title: {_q(_title(rng))}", f"date: {_date(rng)}"]
    summary = [_sentence(rng, link=rng.random() < 0.2) for _ in range(rng.randint(1, 3))]
    for _ in range(rng.randint(0, 2)):
        summary.append(f"See [{rng.choice(WORDS[60:])}](event:e{rng.randrange(m):05d}).")
    if articles and rng.random() < 0.2:
        summary.append(f"As [reported](article:{rng.choice(articles).id}).")
    lines.append("summary: |")
    lines += [f"  {s}" for s in summary]
    lines.append(f"places: [{', '.join(sorted(set(rng.sample(places, rng.randint(0, 2)))))}]")
    lines.append(f"actors: [{', '.join(sorted(set(rng.sample(actors, rng.randint(1, 3)))))}]")
    lines.append(f"tags: [{', '.join(sorted(set(rng.sample(TAGS, rng.randint(1, 3)))))}]")
    lines.append(f"status: {rng.choice(STATUSES)}")
    lines.append("sources:")
    cited = [articles[i % len(articles)]] if articles else []
    if articles and rng.random() < 0.4:
        cited.append(rng.choice(articles))
    for article in dict.fromkeys(cited):
        lines.append(f"  - article: {article.id}")
        if rng.random() < 0.5:
            lines.append(f"    quote: {_q(_sentence(rng))}")
    for _ in range(rng.randint(0 if cited else 1, 2)):
        lines += [
            f"  - title: {_q(_title(rng))}",
            f"    publisher: {rng.choice(PUBLISHERS)}",
            f"    url: https://example.org/news/{rng.randint(1, 10**6)}",
            f"    published: {rng.randint(1990, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "    language: en",
        ]
    n_sources = len(dict.fromkeys(cited)) + sum(1 for line in lines if line.startswith("  - title:"))
    related = sorted({f"e{rng.randrange(m):05d}" for _ in range(rng.randint(0, 2))} - {f"e{i:05d}"})
    lines.append(f"related: [{', '.join(related)}]")
    if rng.random() < 0.3:
        lines.append("claims:")
        for _ in range(rng.randint(1, 2)):
            lines += [
                f"  - quantity: {_q(rng.choice(('Deaths', 'Displaced people', 'Votes cast', 'Budget')))}",
                f"    value: {_q(f'{rng.randint(10, 90000):,}')}",
                f"    number: {rng.randint(10, 90000)}",
                f"    qualifier: {rng.choice(QUALIFIERS)}",
                f"    claimant: {rng.choice(actors)}",
                f"    source: {rng.randint(1, n_sources)}",
            ]
    if rng.random() < 0.05:
        lines += ["updated: 2024-01-15", "corrections:", "  - date: 2024-01-15", f"    text: {_q(_sentence(rng))}"]
    return "\n".join(lines) + "\n"


def _entities(rng: random.Random, n_actors: int, n_places: int) -> tuple[str, str, list[str], list[str]]:
    actor_ids, actor_lines = [], []
    kinds = ("person", "organisation", "country", "group")
    for i in range(n_actors):
        name = (
            f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            if i % 2 == 0
            else f"{rng.choice(PLACES)} {rng.choice(('Council', 'Front', 'Agency', 'Party'))}"
        )
        actor_ids.append(f"actor-{i:03d}")
        actor_lines += [
            f"actor-{i:03d}:",
            f"  name: {_q(name)}",
            f"  kind: {kinds[i % 4]}",
            f"  description: {_q(_sentence(rng))}",
        ]
    place_ids, place_lines = [], []
    for i in range(n_places):
        place_ids.append(f"place-{i:03d}")
        place_lines += [
            f"place-{i:03d}:",
            f"  name: {_q(PLACES[i % len(PLACES)] + (f' {i}' if i >= len(PLACES) else ''))}",
        ]
    return "\n".join(actor_lines) + "\n", "\n".join(place_lines) + "\n", actor_ids, place_ids


SITE_YAML = """title: "Benchmark timeline"
description: "A generated timeline for benchmarks"
language: en
timezone: UTC
base_url: https://example.org/bench/
theme: default
output: _site
eras:
  - id: late-century
    title: "Late twentieth century"
    date: 1970/1999
"""


def write_timeline(root: Path, articles: list[Article], n_events: int, seed: int) -> None:
    """Write a timeline site with the articles and ``n_events`` events citing them."""
    rng = random.Random(f"events-{seed}")
    content = root / "content"
    (content / "articles").mkdir(parents=True)
    (content / "events").mkdir()
    (root / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    # At most 1,500 actors: content/actors.yaml must stay under the reader's 256 KiB file limit.
    n_actors = min(1500, max(20, n_events // 50))
    actors, places, actor_ids, place_ids = _entities(rng, n_actors, max(10, n_events // 100))
    (content / "actors.yaml").write_text(actors, encoding="utf-8")
    (content / "places.yaml").write_text(places, encoding="utf-8")
    for article in articles:
        (content / "articles" / f"{article.id}.md").write_text(yaml_front_matter(article), encoding="utf-8")
    for i in range(n_events):
        text = _event(rng, i, n_events, articles, actor_ids, place_ids)
        (content / "events" / f"e{i:05d}.yaml").write_text(text, encoding="utf-8")


HUGO_TOML = """baseURL = "https://example.org/bench/"
title = "Benchmark"
disableKinds = ["RSS", "sitemap", "robotsTXT"]
"""
HUGO_SINGLE = """<!doctype html><html><head><title>{{ .Title }}</title></head>
<body><h1>{{ .Title }}</h1><p>{{ .Date.Format "2006-01-02" }}</p>{{ .Content }}
<ul>{{ range .Params.tags }}<li>{{ . }}</li>{{ end }}</ul></body></html>
"""
HUGO_LIST = """<!doctype html><html><head><title>{{ .Title }}</title></head>
<body><h1>{{ .Title }}</h1><ul>{{ range .Pages }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></body></html>
"""


def write_hugo(root: Path, articles: list[Article]) -> None:
    """Write a Hugo site: hugo.toml, minimal layouts and content/posts/*.md."""
    (root / "content" / "posts").mkdir(parents=True)
    (root / "layouts" / "_default").mkdir(parents=True)
    (root / "hugo.toml").write_text(HUGO_TOML, encoding="utf-8")
    (root / "layouts" / "_default" / "single.html").write_text(HUGO_SINGLE, encoding="utf-8")
    (root / "layouts" / "_default" / "list.html").write_text(HUGO_LIST, encoding="utf-8")
    for article in articles:
        (root / "content" / "posts" / f"{article.id}.md").write_text(yaml_front_matter(article), encoding="utf-8")


def write_mkdocs(root: Path, articles: list[Article]) -> None:
    """Write an MkDocs site: mkdocs.yml and docs/*.md (with YAML front matter, which MkDocs reads)."""
    (root / "docs").mkdir(parents=True)
    (root / "mkdocs.yml").write_text("site_name: Benchmark\nsite_url: https://example.org/bench/\n", encoding="utf-8")
    (root / "docs" / "index.md").write_text("# Benchmark\n\nGenerated articles.\n", encoding="utf-8")
    for article in articles:
        (root / "docs" / f"{article.id}.md").write_text(yaml_front_matter(article), encoding="utf-8")


PELICANCONF = """AUTHOR = "Benchmark"
SITENAME = "Benchmark"
SITEURL = ""
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = 10
LOAD_CONTENT_CACHE = False
"""


def write_pelican(root: Path, articles: list[Article]) -> None:
    """Write a Pelican site: pelicanconf.py and content/*.md in Pelican's metadata form."""
    (root / "content").mkdir(parents=True)
    (root / "pelicanconf.py").write_text(PELICANCONF, encoding="utf-8")
    for article in articles:
        (root / "content" / f"{article.id}.md").write_text(pelican_metadata(article), encoding="utf-8")


def generate(out: Path, n_articles: int, n_events: int, seed: int = 0) -> None:
    """Replace ``out`` with the four sites built from one seeded corpus."""
    if out.exists():
        shutil.rmtree(out)
    articles = make_articles(n_articles, seed)
    write_timeline(out / "timeline", articles, n_events, seed)
    write_hugo(out / "hugo", articles)
    write_mkdocs(out / "mkdocs", articles)
    write_pelican(out / "pelican", articles)


def main() -> None:
    """Generate a corpus from the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    generate(args.out, args.articles, args.events, args.seed)
    sample = make_articles(min(args.articles, 50), args.seed)
    words = sum(len(a.body.split()) for a in sample) // max(1, len(sample))
    print(f"wrote {args.articles} articles (~{words} words each) and {args.events} events under {args.out}")


if __name__ == "__main__":
    main()
