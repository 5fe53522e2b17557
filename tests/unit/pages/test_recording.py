"""Views of the timeline that record what a template reads."""

from __future__ import annotations

import jinja2

from tests.conftest import SiteFactory
from timeline.build.pipeline import run_pipeline
from timeline.content.config import load_config
from timeline.content.model import Event, Timeline
from timeline.incremental.deps import Tape
from timeline.pages.jsonld import page_data
from timeline.pages.recording import TimelineView, ValueView, unwrap, wrap

SITE = {
    "content/events/a.yaml": "title: Alpha\ndate: 2020-01-02\nend: 2020-03\ntags: [x]\nactors: [pat]\n"
    "sources:\n  - title: R\n    url: https://example.org/r\n",
    "content/events/b.yaml": "title: בטא\ndate: 2020-02\nsummary: See [a](event:a).\n"
    "sources:\n  - title: R\n    url: https://example.org/r\n",
    "content/actors.yaml": "pat:\n  name: Pat\n  kind: person\n",
}


def timeline(make_site: SiteFactory) -> Timeline:
    site = make_site(SITE)
    result = run_pipeline(load_config(site))
    assert result.timeline is not None and not result.failed(), [d.format() for d in result.diagnostics]
    return result.timeline


def render(source: str, **values: object) -> str:
    return jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined).from_string(source).render(values)


def test_a_template_reading_a_title_records_that_field_only(make_site: SiteFactory) -> None:
    tl, tape = timeline(make_site), Tape()
    with tape.scope() as read:
        out = render("{{ tl.event_by_id['b'].title }}", tl=TimelineView(tl, tape))
    assert out == "בטא"
    assert read == {"tl:event_by_id:b", "rec:event:title:b"}


def test_iterating_events_records_the_list_and_each_field_read(make_site: SiteFactory) -> None:
    tl, tape = timeline(make_site), Tape()
    with tape.scope() as read:
        out = render("{% for e in tl.events|sort(attribute='title') %}{{ e.id }} {% endfor %}{{ tl.events|length }}",
                     tl=TimelineView(tl, tape))  # fmt: skip
    assert out == "a b 2"
    assert read == {"tl:events", "rec:event:title:a", "rec:event:title:b", "rec:event:id:a", "rec:event:id:b"}


def test_mappings_record_each_key_and_the_whole_when_iterated(make_site: SiteFactory) -> None:
    tl, tape = timeline(make_site), Tape()
    view = TimelineView(tl, tape)
    with tape.scope() as read:
        assert render("{{ tl.actors['pat'].name }}{{ 'nobody' in tl.actors }}", tl=view) == "PatFalse"
    assert read == {"tl:actors:pat", "tl:actors:nobody"}
    with tape.scope() as read:
        assert render("{% for id, a in tl.actors.items() %}{{ a.name }}{% endfor %}", tl=view) == "Pat"
    assert "tl:actors" in read
    with tape.scope() as read:
        assert "event:b:summary" in render("{{ tl.html.keys()|list }}", tl=view)
    assert read >= {"tl:html"}


def test_a_view_passes_for_its_record_and_compares_like_it(make_site: SiteFactory) -> None:
    tl, tape = timeline(make_site), Tape()
    alpha = tl.event_by_id["a"]
    view = wrap(alpha, tape)
    assert isinstance(view, Event) and unwrap(view) is alpha and unwrap(alpha) is alpha
    with tape.scope() as read:
        assert view == alpha and hash(view) == hash(alpha)
    assert read == {"rec:event:*:a"}  # compared whole: every field counts
    with tape.scope() as read:
        assert "2020-01-02" in render("{{ e.span.start.iso() }}", e=view)
    assert read == {"rec:event:span:a"}


def test_structured_data_through_views_records_the_range_events_that_contain_an_event(
    make_site: SiteFactory,
) -> None:
    from timeline.pages.jsonld import Ranges
    from timeline.pages.recording import RangesView

    tl, tape = timeline(make_site), Tape()
    plain = page_data(tl, "events/b/index.html", {"event": tl.event_by_id["b"]}, Ranges(tl))
    with tape.scope() as read:
        context = {"event": wrap(tl.event_by_id["b"], tape)}
        seen = page_data(TimelineView(tl, tape), "events/b/index.html", context, RangesView(Ranges(tl), tape))  # type: ignore[arg-type]
    assert seen == plain  # the same data, through views
    assert plain[0]["superEvent"][0]["name"] == "Alpha"
    assert {"ranges:2020", "rec:event:title:a", "rec:event:title:b", "tl:html:event:b:summary"} <= read
    # Of the containing event, only what the data shows: a change to its summary leaves this page be.
    assert {key for key in read if key.startswith("rec:") and key.endswith(":a")} == {
        "rec:event:id:a",
        "rec:event:title:a",
    }


def test_a_ready_made_value_is_recorded_only_when_a_template_uses_it() -> None:
    tape = Tape()
    statuses = ValueView(("happened", "reported"), tape, "g:statuses")
    with tape.scope() as read:
        assert render("{{ 1 }}", statuses=statuses) == "1"
    assert read == set()
    with tape.scope() as read:
        assert render("{% for s in statuses %}{{ s }} {% endfor %}{{ 'x' if statuses }}", statuses=statuses) == (
            "happened reported x"
        )
    assert read == {"g:statuses"}
