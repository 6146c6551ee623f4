"""NewsML-G2 and NITF documents read into stories: one mapping or one refusal per test."""

import datetime

import pytest
from bs4 import BeautifulSoup, Tag

from newsdesk.ingest.parsers.newsml import parse_newsml, parse_nitf
from newsdesk.ingest.stories import CANCELED, USABLE, WITHHELD, ParseError, Person, Picture, Subject
from newsdesk.ingest.tests import wire

UTC = datetime.UTC


def only_story(data: bytes, **kwargs):
    feed = parse_newsml(data, **kwargs)
    assert feed.skipped == []
    [story] = feed.stories
    return story


def body(story) -> BeautifulSoup:
    return BeautifulSoup(story.body_html, "html.parser")


def first(story, selector: str) -> Tag:
    tag = body(story).select_one(selector)
    assert tag is not None, f"no {selector} in {story.body_html}"
    return tag


# newsItem: identity and status


def test_guid_is_the_items_guid():
    assert only_story(wire.newsml_item(guid="urn:newsml:example.org:20261130:tram")).guid == (
        "urn:newsml:example.org:20261130:tram"
    )


def test_version_is_read_as_a_number():
    assert only_story(wire.newsml_item(version=4)).version == 4


def test_missing_version_is_version_one():
    assert only_story(wire.newsml_item(version=None)).version == 1


def test_version_that_is_not_a_number_skips_the_item():
    feed = parse_newsml(wire.newsml_item(version="four"))
    assert feed.stories == []
    assert "version 'four' is not a number" in feed.skipped[0]


def test_usable_status():
    assert only_story(wire.newsml_item(pub_status="usable")).status == USABLE


def test_canceled_status():
    assert only_story(wire.newsml_item(pub_status="canceled")).status == CANCELED


def test_withheld_status():
    assert only_story(wire.newsml_item(pub_status="withheld")).status == WITHHELD


def test_unknown_status_is_held_back_with_a_note():
    story = only_story(wire.newsml_item(pub_status="pending"))
    assert story.status == WITHHELD
    assert "stat:pending" in story.problems[0]


# Dates


def test_version_created_and_first_created_are_aware_datetimes():
    story = only_story(wire.newsml_item(first_created="2026-11-29T22:15:00+01:00", version_created=wire.WHEN))
    assert story.first_created == datetime.datetime(2026, 11, 29, 21, 15, tzinfo=UTC)
    assert story.version_created == datetime.datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def test_date_without_zone_is_read_as_utc_and_noted():
    story = only_story(wire.newsml_item(version_created="2026-11-30T09:00:00"))
    assert story.version_created == datetime.datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    assert "versionCreated '2026-11-30T09:00:00' has no time zone" in story.problems[0]


def test_date_that_cannot_be_read_is_dropped_and_noted():
    story = only_story(wire.newsml_item(first_created="last Tuesday"))
    assert story.first_created is None
    assert "firstCreated 'last Tuesday' is not an ISO 8601 date" in story.problems[0]


def test_embargo_is_embargoed_until():
    story = only_story(wire.newsml_item(embargo="2026-12-01T06:00:00Z"))
    assert story.embargoed_until == datetime.datetime(2026, 12, 1, 6, 0, tzinfo=UTC)


def test_embargo_without_zone_ends_at_the_latest_moment_it_can_mean():
    story = only_story(wire.newsml_item(embargo="2026-12-01T06:00:00"))
    assert story.embargoed_until == datetime.datetime(2026, 12, 1, 18, 0, tzinfo=UTC)
    assert "read as UTC-12" in story.problems[0]


def test_embargo_that_cannot_be_read_skips_the_item():
    feed = parse_newsml(wire.newsml_item(embargo="after the vote"))
    assert feed.stories == []
    assert "embargoed date 'after the vote' cannot be read" in feed.skipped[0]


def test_no_embargo_is_none():
    assert only_story(wire.newsml_item()).embargoed_until is None


# contentMeta


def test_ednote_is_the_editor_note():
    assert only_story(wire.newsml_item(ednote="Corrects the ferry's name")).editor_note == "Corrects the ferry's name"


def test_headline():
    assert only_story(wire.newsml_item(headline="Tram line to the harbour opens")).headline == (
        "Tram line to the harbour opens"
    )


def test_slugline():
    assert only_story(wire.newsml_item(slugline="harbour-tram")).slugline == "harbour-tram"


def test_dateline():
    assert only_story(wire.newsml_item(dateline="PORTHAVEN, Nov 30")).dateline == "PORTHAVEN, Nov 30"


def test_located_is_its_name():
    assert only_story(wire.newsml_item(located="Porthaven")).located == "Porthaven"


def test_creators_are_guest_bylines_with_their_role():
    story = only_story(wire.newsml_item(creators=[("Ines Marlow", "crol:correspondent")]))
    assert story.bylines == [Person(name="Ines Marlow", role="Correspondent", guest=True)]


def test_by_text_gives_the_bylines_when_there_is_no_creator():
    story = only_story(wire.newsml_item(creators=[], by="By Ines Marlow and Tomas Berg, Harbour Reporters"))
    assert story.bylines == [
        Person(name="Ines Marlow", role="Harbour Reporters"),
        Person(name="Tomas Berg", role="Harbour Reporters"),
    ]


def test_by_text_listing_names_with_commas_has_no_role():
    story = only_story(wire.newsml_item(creators=[], by="By Ines Marlow, Tomas Berg and Eva Roe"))
    assert [(person.name, person.role) for person in story.bylines] == [
        ("Ines Marlow", ""),
        ("Tomas Berg", ""),
        ("Eva Roe", ""),
    ]


def test_subjects_keep_their_scheme_prefix_and_name():
    story = only_story(wire.newsml_item(subjects=[("medtop:20000763", "housing"), ("subj:04000000", "economy")]))
    assert story.subjects == [Subject("medtop:20000763", "housing"), Subject("subj:04000000", "economy")]


def test_summary_description_is_the_standfirst():
    assert only_story(wire.newsml_item(summary="Eleven minutes a crossing.")).standfirst == "Eleven minutes a crossing."


def test_copyright_notice_is_the_rights():
    assert only_story(wire.newsml_item(copyright_notice="(c) 2026 Example")).rights == "(c) 2026 Example"


def test_usage_terms_are_the_rights_without_a_notice():
    story = only_story(wire.newsml_item(copyright_notice="", usage_terms="No use in advertising"))
    assert story.rights == "No use in advertising"


def test_language_tag():
    assert only_story(wire.newsml_item(language="de")).language == "de"


# Bodies


def test_nitf_inline_body_becomes_paragraphs():
    story = only_story(wire.newsml_item(body_format="nitf", body_paragraphs=["One.", "Two."]))
    assert [p.get_text() for p in body(story).select("p")] == ["One.", "Two."]


def test_nitf_body_elements_get_their_html_names():
    story = only_story(wire.newsml_item(body_markup="<hl2>Timetable</hl2><bq><p>Every half hour.</p></bq>"))
    assert first(story, "h2").get_text() == "Timetable"
    assert first(story, "blockquote p").get_text() == "Every half hour."


def test_nitf_semantic_elements_are_unwrapped_to_their_text():
    story = only_story(wire.newsml_item(body_markup="<p>Said <person>Ines Marlow</person> today.</p>"))
    assert story.body_html == "<p>Said Ines Marlow today.</p>"


def test_xhtml_inline_body_keeps_links_and_lists():
    markup = '<p>See <a href="https://example.org/timetable">the timetable</a>.</p><ul><li>East quay</li></ul>'
    story = only_story(wire.newsml_item(body_format="xhtml", body_markup=markup))
    assert first(story, "p a")["href"] == "https://example.org/timetable"
    assert first(story, "ul li").get_text() == "East quay"


def test_xhtml_body_head_title_is_not_body_text():
    story = only_story(wire.newsml_item(body_format="xhtml", headline="Tram news", body_paragraphs=["Text."]))
    assert story.body_html == "<p>Text.</p>"


def test_script_in_a_body_is_dropped_not_run():
    markup = '<p onclick="steal()">Hi</p><script>document.title = "owned"</script><p>Bye</p>'
    story = only_story(wire.newsml_item(body_format="xhtml", body_markup=markup))
    assert body(story).select("script") == []
    assert "owned" not in story.body_html
    assert first(story, "p").attrs == {}


def test_escaped_markup_in_body_text_stays_text():
    story = only_story(wire.newsml_item(body_paragraphs=["<img src=x onerror=alert(1)>"]))
    assert body(story).select("img") == []
    assert first(story, "p").get_text() == "<img src=x onerror=alert(1)>"


# Pictures and packages


def test_picture_item_gives_its_largest_rendition_with_caption_and_credit():
    item = wire.newsml_picture(
        renditions=[
            ("https://media.example.org/small.jpg", 320, 213),
            ("https://media.example.org/big.jpg", 4000, 2667),
        ]
    )
    [picture] = only_story(item).pictures
    assert picture == Picture(
        url="https://media.example.org/big.jpg",
        caption=wire.WirePicture().caption,
        credit=wire.WirePicture().credit,
    )


def test_picture_without_caption_is_captioned_with_its_headline():
    [picture] = only_story(wire.newsml_picture(caption="", headline="Ferry at dusk")).pictures
    assert picture.caption == "Ferry at dusk"


def test_package_gives_the_main_story_with_its_pictures():
    first = wire.WirePicture(guid="urn:pic:1", href="https://media.example.org/1.jpg")
    second = wire.WirePicture(guid="urn:pic:2", href="https://media.example.org/2.jpg")
    story = only_story(wire.newsml_story_with_pictures([first, second]))
    assert story.guid == wire.GUID
    assert [p.url for p in story.pictures] == ["https://media.example.org/1.jpg", "https://media.example.org/2.jpg"]


def test_packaged_items_are_not_stories_of_their_own():
    feed = parse_newsml(wire.newsml_story_with_pictures([wire.WirePicture()]))
    assert [story.guid for story in feed.stories] == [wire.GUID]


def test_package_main_item_is_the_first_of_the_main_group():
    message = wire.newsml_message(
        wire.newsml_package(main_refs=[("urn:b", ""), ("urn:a", "")]),
        wire.newsml_item(guid="urn:a", headline="A"),
        wire.newsml_item(guid="urn:b", headline="B"),
    )
    assert parse_newsml(message).stories[0].guid == "urn:b"


def test_package_text_items_besides_the_main_one_are_stories_of_their_own():
    message = wire.newsml_message(
        wire.newsml_package(main_refs=[("urn:main", ""), ("urn:sidebar", "")]),
        wire.newsml_item(guid="urn:main"),
        wire.newsml_item(guid="urn:sidebar"),
    )
    assert [story.guid for story in parse_newsml(message).stories] == ["urn:main", "urn:sidebar"]


def test_canceled_package_cancels_its_main_story():
    message = wire.newsml_message(wire.newsml_package(pub_status="canceled"), wire.newsml_item(pub_status="usable"))
    assert only_story(message).status == CANCELED


def test_package_picture_missing_from_the_message_is_noted():
    message = wire.newsml_message(wire.newsml_package(picture_refs=[("urn:pic:absent", "")]), wire.newsml_item())
    story = only_story(message)
    assert story.pictures == []
    assert "urn:pic:absent" in story.problems[0]


def test_package_of_links_gives_absolute_item_links():
    package = wire.newsml_package(
        main_refs=[("urn:a", "items/a.xml"), ("urn:b", "https://wire.example.org/items/b.xml")],
        picture_refs=[("urn:pic", "items/pic.xml")],
    )
    feed = parse_newsml(package, base_url="https://wire.example.org/feeds/top.xml")
    assert feed.stories == []
    assert feed.item_links == ["https://wire.example.org/feeds/items/a.xml", "https://wire.example.org/items/b.xml"]


def test_package_whose_main_item_is_neither_here_nor_linked_is_skipped():
    feed = parse_newsml(wire.newsml_package(main_refs=[("urn:elsewhere", "")]))
    assert feed.stories == []
    assert "urn:elsewhere is not in the document" in feed.skipped[0]


def test_package_whose_groups_refer_to_each_other_is_read_once():
    package = wire.newsml_package().replace(
        b'<group id="G1" role="grpRole:main">', b'<group id="G1" role="grpRole:main"><groupRef idref="G0" />'
    )
    message = wire.newsml_message(package, wire.newsml_item())
    assert only_story(message).guid == wire.GUID


def test_message_gives_each_item():
    message = wire.newsml_message(wire.newsml_item(guid="urn:a"), wire.newsml_item(guid="urn:b"))
    assert [story.guid for story in parse_newsml(message).stories] == ["urn:a", "urn:b"]


def test_item_without_headline_is_skipped_and_the_rest_go_on():
    message = wire.newsml_message(wire.newsml_item(guid="urn:a", headline=""), wire.newsml_item(guid="urn:b"))
    feed = parse_newsml(message)
    assert [story.guid for story in feed.stories] == ["urn:b"]
    assert feed.skipped == ["newsItem urn:a: no headline"]


def test_item_without_guid_is_skipped():
    feed = parse_newsml(wire.newsml_item(guid=""))
    assert feed.stories == []
    assert feed.skipped == ["newsItem (no guid): no guid"]


# Refused documents


def test_malformed_xml_is_refused_with_its_position():
    with pytest.raises(ParseError, match="line 2 column 13"):
        parse_newsml(b"<newsItem>\n<headline></newsItem>")


def test_a_doctype_naming_a_dtd_is_read_and_the_dtd_never_fetched():
    document = b'<?xml version="1.0"?><!DOCTYPE newsItem SYSTEM "http://127.0.0.1:9/newsml.dtd">'
    document += wire.newsml_item()[38:]
    assert parse_newsml(document).stories[0].headline


def test_entity_expansion_is_refused():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        b'<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/">&lol2;</newsItem>'
    )
    with pytest.raises(ParseError, match="refused"):
        parse_newsml(bomb)


def test_external_entity_is_refused():
    document = (
        b'<?xml version="1.0"?><!DOCTYPE item [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
        b'<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/">&secret;</newsItem>'
    )
    with pytest.raises(ParseError, match="refused"):
        parse_newsml(document)


def test_html_page_is_refused():
    with pytest.raises(ParseError):
        parse_newsml(b"<!DOCTYPE html><html><head><title>Wire</title></head><body><p>Hi<br></body></html>")


def test_well_formed_html_is_not_newsml():
    with pytest.raises(ParseError, match="root element is <html>"):
        parse_newsml(b"<html><body><p>Hi</p></body></html>")


def test_item_outside_the_newsml_namespace_is_refused():
    with pytest.raises(ParseError, match="not a NewsML-G2"):
        parse_newsml(b'<newsItem guid="urn:a" version="1"/>')


# NITF


def only_nitf(data: bytes):
    feed = parse_nitf(data)
    assert feed.skipped == []
    [story] = feed.stories
    return story


def test_nitf_doc_id_and_hl1_are_guid_and_headline():
    story = only_nitf(wire.nitf_document(doc_id="EXA-1", headline="Ferry fares frozen"))
    assert (story.guid, story.headline) == ("EXA-1", "Ferry fares frozen")


def test_nitf_du_key_version_is_the_version():
    assert only_nitf(wire.nitf_document(version=3)).version == 3


def test_nitf_without_du_key_is_version_one():
    assert only_nitf(wire.nitf_document(version=None)).version == 1


def test_nitf_byline_and_title():
    story = only_nitf(wire.nitf_document(byline="By Ines Marlow", byline_title="Harbour Correspondent"))
    assert story.bylines == [Person(name="Ines Marlow", role="Harbour Correspondent")]


def test_nitf_dateline_location():
    story = only_nitf(wire.nitf_document(city="Porthaven"))
    assert (story.dateline, story.located) == ("Porthaven", "Porthaven")


def test_nitf_abstract_is_the_standfirst():
    assert only_nitf(wire.nitf_document(abstract="Fares stay at two euros.")).standfirst == "Fares stay at two euros."


def test_nitf_body_content_is_the_body():
    story = only_nitf(wire.nitf_document(body_paragraphs=["First.", "Second."]))
    assert [p.get_text() for p in body(story).select("p")] == ["First.", "Second."]


def test_nitf_issue_date_in_basic_format_is_the_version_date():
    story = only_nitf(wire.nitf_document(issued="20261130T101500+0100"))
    assert story.version_created == datetime.datetime(2026, 11, 30, 9, 15, tzinfo=UTC)


def test_nitf_release_date_is_the_embargo():
    story = only_nitf(wire.nitf_document(release="20261201T060000Z", status="embargoed"))
    assert (story.status, story.embargoed_until) == (USABLE, datetime.datetime(2026, 12, 1, 6, 0, tzinfo=UTC))


def test_nitf_embargoed_without_release_date_is_withheld():
    story = only_nitf(wire.nitf_document(status="embargoed"))
    assert story.status == WITHHELD
    assert "no date.release" in story.problems[0]


def test_nitf_canceled_status():
    assert only_nitf(wire.nitf_document(status="canceled")).status == CANCELED


def test_nitf_ed_msg_is_the_editor_note():
    assert only_nitf(wire.nitf_document(ed_msg="Replaces the 9:00 version")).editor_note == "Replaces the 9:00 version"


def test_nitf_subjects_and_keywords():
    story = only_nitf(wire.nitf_document(subjects=[("04000000", "economy")], keywords=["ferries"]))
    assert story.subjects == [Subject("subj:04000000", "economy"), Subject("", "ferries")]


def test_nitf_copyright_is_the_rights():
    assert only_nitf(wire.nitf_document(copyright_holder="Example Agency")).rights == "© 2026 Example Agency"


def test_nitf_language():
    assert only_nitf(wire.nitf_document(language="fr")).language == "fr"


def test_nitf_without_doc_id_is_skipped():
    feed = parse_nitf(wire.nitf_document(doc_id=""))
    assert (feed.stories, feed.skipped) == ([], ["NITF document (no doc-id): no doc-id"])


def test_nitf_without_headline_is_skipped():
    feed = parse_nitf(wire.nitf_document(headline=""))
    assert feed.skipped == ["NITF document EXA-20261130-0042: no hl1 headline"]


def test_nitf_in_its_namespace_is_read():
    document = wire.nitf_document().replace(b"<nitf ", b'<nitf xmlns="http://iptc.org/std/NITF/2006-10-18/" ')
    assert only_nitf(document).guid == "EXA-20261130-0042"


def test_nitf_naming_its_dtd_is_read_as_agencies_deliver_it():
    document = b'<?xml version="1.0"?><!DOCTYPE nitf SYSTEM "nitf-3-6.dtd">' + wire.nitf_document()[38:]
    assert only_nitf(document).guid == "EXA-20261130-0042"


def test_newsml_is_not_nitf():
    with pytest.raises(ParseError, match="not a NITF document"):
        parse_nitf(wire.newsml_item())
