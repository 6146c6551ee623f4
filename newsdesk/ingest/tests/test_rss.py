"""Reading RSS and Atom feeds: each field's mapping, what is skipped or dropped, and what is refused."""

import datetime

import pytest

from newsdesk.ingest.parsers.rss import parse_feed
from newsdesk.ingest.stories import ParseError, Person, Picture, Subject

from .feeds import Image, atom_entry, atom_feed, rss_feed, rss_item

FEED_URL = "https://partner.example/feeds/news.xml"
UTC = datetime.UTC


def one_story(data: bytes, url: str = FEED_URL):
    feed = parse_feed(data, url=url)
    assert len(feed.stories) == 1, feed.skipped
    return feed.stories[0]


# RSS 2.0, field by field


def test_rss_guid_is_the_items_guid():
    assert one_story(rss_feed(rss_item(guid="urn:partner:77"))).guid == "urn:partner:77"


def test_rss_guid_falls_back_to_the_link():
    story = one_story(rss_feed(rss_item(guid=None, link="https://partner.example/news/9")))
    assert story.guid == "https://partner.example/news/9"


def test_rss_headline_is_the_title():
    assert one_story(rss_feed(rss_item(title="Council & mayor agree"))).headline == "Council & mayor agree"


def test_rss_standfirst_is_the_description_as_text():
    story = one_story(rss_feed(rss_item(description="<p>The vote was <b>close</b>.</p><p>Next week.</p>")))
    assert story.standfirst == "The vote was close. Next week."


def test_rss_body_is_content_encoded():
    story = one_story(rss_feed(rss_item(content_html="<p>Full story.</p>")))
    assert story.body_html == "<p>Full story.</p>"


def test_rss_without_content_encoded_has_no_body():
    assert one_story(rss_feed(rss_item(content_html=None))).body_html == ""


def test_rss_body_equal_to_the_description_is_no_body():
    story = one_story(rss_feed(rss_item(description="<p>Same.</p>", content_html="<p>Same.</p>")))
    assert story.body_html == ""


def test_rss_bylines_are_dc_creators_as_guests():
    story = one_story(rss_feed(rss_item(creators=["Jane Doe", "John Roe"])))
    assert story.bylines == [Person(name="Jane Doe", guest=True), Person(name="John Roe", guest=True)]


def test_rss_author_with_address_gives_the_name():
    # A top-level domain longer than four letters: feedparser alone would cut the address short.
    story = one_story(rss_feed(rss_item(author="jane@partner.example (Jane Doe)")))
    assert story.bylines == [Person(name="Jane Doe")]


def test_rss_author_address_alone_is_no_byline():
    story = one_story(rss_feed(rss_item(author="jane@partner.example")))
    assert (story.bylines, story.problems) == ([], ["byline without a name dropped"])


def test_rss_categories_are_subjects_without_code():
    story = one_story(rss_feed(rss_item(categories=["Politics", "Europe", "Politics"])))
    assert story.subjects == [Subject(code="", name="Politics"), Subject(code="", name="Europe")]


def test_rss_link_is_kept():
    assert one_story(rss_feed(rss_item(link="https://partner.example/a/1"))).link == "https://partner.example/a/1"


def test_rss_language_comes_from_the_channel():
    assert one_story(rss_feed(rss_item(), language="de-DE")).language == "de-DE"


def test_rss_version_is_one():
    assert one_story(rss_feed(rss_item())).version == 1


# Links


def test_relative_link_is_made_absolute_against_the_feed_url():
    story = one_story(rss_feed(rss_item(link="/news/2026/budget")))
    assert story.link == "https://partner.example/news/2026/budget"


def test_javascript_link_is_dropped_and_noted():
    story = one_story(rss_feed(rss_item(link="javascript:alert(1)")))
    assert story.link == ""
    assert story.problems == ["link dropped, not an http(s) address: 'javascript:alert(1)'"]


def test_javascript_link_is_no_guid():
    feed = parse_feed(rss_feed(rss_item(guid=None, link="javascript:alert(1)")), url=FEED_URL)
    assert feed.stories == []
    assert feed.skipped[0].startswith("no guid or link")


# Dates


def test_date_with_zone_is_aware_utc():
    story = one_story(rss_feed(rss_item(pub_date="Mon, 30 Nov 2026 10:00:00 +0100")))
    assert story.first_created == datetime.datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def test_date_is_also_the_version_time_when_there_is_no_update():
    story = one_story(rss_feed(rss_item(pub_date="Mon, 30 Nov 2026 10:00:00 GMT")))
    assert story.version_created == datetime.datetime(2026, 11, 30, 10, 0, tzinfo=UTC)


def test_rfc822_date_without_zone_is_none_and_noted():
    story = one_story(rss_feed(rss_item(pub_date="Mon, 30 Nov 2026 10:00:00")))
    assert story.first_created is None
    assert story.problems == ["unreadable date (published): 'Mon, 30 Nov 2026 10:00:00'"]


def test_atom_date_without_zone_is_read_as_utc():
    story = one_story(atom_feed(atom_entry(updated="2026-11-30T10:00:00")))
    assert story.version_created == datetime.datetime(2026, 11, 30, 10, 0, tzinfo=UTC)


def test_unparseable_date_is_none_and_noted():
    story = one_story(rss_feed(rss_item(pub_date="yesterday-ish")))
    assert (story.first_created, story.version_created) == (None, None)
    assert story.problems == ["unreadable date (published): 'yesterday-ish'"]


def test_missing_date_is_none_without_a_note():
    story = one_story(rss_feed(rss_item(pub_date=None)))
    assert (story.first_created, story.problems) == (None, [])


# Atom 1.0, field by field


def test_atom_guid_is_the_entry_id():
    assert one_story(atom_feed(atom_entry(entry_id="tag:partner.example,2026:5"))).guid == "tag:partner.example,2026:5"


def test_atom_html_title_is_text():
    story = one_story(atom_feed(atom_entry(title="Storm <em>closes</em> harbour", title_type="html")))
    assert story.headline == "Storm closes harbour"


def test_atom_summary_is_the_standfirst():
    assert one_story(atom_feed(atom_entry(summary="Ferries stay in port."))).standfirst == "Ferries stay in port."


def test_atom_html_content_is_the_body():
    story = one_story(atom_feed(atom_entry(content_html="<p>All ferries stay in port.</p>")))
    assert story.body_html == "<p>All ferries stay in port.</p>"


def test_atom_content_without_summary_is_the_standfirst_not_the_body():
    story = one_story(atom_feed(atom_entry(summary=None, content_html="<p>Only text.</p>")))
    assert (story.standfirst, story.body_html) == ("Only text.", "")


def test_atom_authors_are_bylines():
    story = one_story(atom_feed(atom_entry(authors=["Ann Weber", "Ben Ott"])))
    assert [person.name for person in story.bylines] == ["Ann Weber", "Ben Ott"]


def test_atom_category_term_is_the_subject_name():
    story = one_story(atom_feed(atom_entry(categories=[("sport", "Sport")])))
    assert story.subjects == [Subject(code="", name="sport")]


def test_atom_published_and_updated():
    story = one_story(atom_feed(atom_entry(published="2026-11-29T08:00:00Z", updated="2026-11-30T09:30:00+01:00")))
    assert story.first_created == datetime.datetime(2026, 11, 29, 8, 0, tzinfo=UTC)
    assert story.version_created == datetime.datetime(2026, 11, 30, 8, 30, tzinfo=UTC)


def test_atom_only_updated_is_also_the_first_created():
    story = one_story(atom_feed(atom_entry(published=None, updated="2026-11-30T10:00:00Z")))
    assert story.first_created == datetime.datetime(2026, 11, 30, 10, 0, tzinfo=UTC)


def test_atom_relative_link_follows_xml_base():
    story = one_story(atom_feed(atom_entry(link="stories/2"), base="https://wire.example/en/"))
    assert story.link == "https://wire.example/en/stories/2"


# Pictures


def test_picture_from_media_content_with_credit_and_caption():
    image = Image("https://cdn.partner.example/p.jpg", credit="Ann Photo", caption="The harbour at dawn")
    story = one_story(rss_feed(rss_item(media_content=[image])))
    assert story.pictures == [
        Picture(url="https://cdn.partner.example/p.jpg", caption="The harbour at dawn", credit="Ann Photo")
    ]


def test_picture_caption_falls_back_to_media_title():
    image = Image("https://cdn.partner.example/p.jpg", title="Harbour")
    assert one_story(rss_feed(rss_item(media_content=[image]))).pictures[0].caption == "Harbour"


def test_each_media_content_keeps_its_own_credit():
    images = [Image("https://cdn.partner.example/1.jpg", credit="Ann"), Image("https://cdn.partner.example/2.jpg")]
    story = one_story(rss_feed(rss_item(media_content=images, item_credit="Agency")))
    assert [picture.credit for picture in story.pictures] == ["Ann", "Agency"]


def test_picture_from_enclosure_takes_the_items_credit():
    image = Image("/img/e.png", type="image/png")
    story = one_story(rss_feed(rss_item(enclosures=[image], item_credit="Agency")))
    assert story.pictures == [Picture(url="https://partner.example/img/e.png", credit="Agency")]


def test_picture_from_media_thumbnail_with_credit():
    story = one_story(rss_feed(rss_item(media_thumbnails=[Image("https://cdn.partner.example/t.jpg", credit="Ann")])))
    assert story.pictures == [Picture(url="https://cdn.partner.example/t.jpg", credit="Ann")]


def test_thumbnail_is_left_out_when_there_is_a_picture():
    story = one_story(
        rss_feed(
            rss_item(
                media_content=[Image("https://cdn.partner.example/big.jpg")],
                media_thumbnails=[Image("https://cdn.partner.example/small.jpg")],
            )
        )
    )
    assert [picture.url for picture in story.pictures] == ["https://cdn.partner.example/big.jpg"]


def test_picture_is_recognised_by_its_extension():
    story = one_story(rss_feed(rss_item(enclosures=[Image("https://cdn.partner.example/a.WEBP", type="")])))
    assert [picture.url for picture in story.pictures] == ["https://cdn.partner.example/a.WEBP"]


def test_audio_enclosure_is_no_picture():
    story = one_story(rss_feed(rss_item(enclosures=[Image("https://cdn.partner.example/a.mp3", type="audio/mpeg")])))
    assert story.pictures == []


def test_atom_enclosure_link_is_a_picture():
    story = one_story(atom_feed(atom_entry(enclosures=[Image("https://cdn.partner.example/a.jpg")])))
    assert [picture.url for picture in story.pictures] == ["https://cdn.partner.example/a.jpg"]


def test_picture_with_a_data_url_is_dropped_and_noted():
    story = one_story(rss_feed(rss_item(enclosures=[Image("data:image/png;base64,AAAA", type="image/png")])))
    assert story.pictures == []
    assert story.problems[0].startswith("picture dropped, not an http(s) address")


# Items skipped


def test_item_without_guid_or_link_is_skipped_with_the_reason():
    feed = parse_feed(rss_feed(rss_item(guid=None, link=None), rss_item(guid="urn:partner:2")), url=FEED_URL)
    assert [story.guid for story in feed.stories] == ["urn:partner:2"]
    assert feed.skipped == ["no guid or link: item 1 'Council approves the budget'"]


def test_item_without_headline_is_skipped_with_the_reason():
    feed = parse_feed(rss_feed(rss_item(title=None)), url=FEED_URL)
    assert (feed.stories, feed.skipped) == ([], ["no headline: item 1 ''"])


def test_feed_without_items_is_empty_not_refused():
    feed = parse_feed(rss_feed(), url=FEED_URL)
    assert (feed.stories, feed.skipped) == ([], [])


# Documents refused or read leniently


def test_html_page_is_refused():
    page = b"<!DOCTYPE html><html><head><title>Partner</title></head><body><p>Moved</p></body></html>"
    with pytest.raises(ParseError, match="HTML page"):
        parse_feed(page, url=FEED_URL)


def test_json_is_refused():
    with pytest.raises(ParseError, match="no RSS or Atom root"):
        parse_feed(b'{"items": []}', url=FEED_URL)


def test_empty_body_is_refused():
    with pytest.raises(ParseError):
        parse_feed(b"", url=FEED_URL)


def test_broken_xml_with_no_items_and_no_title_is_refused():
    with pytest.raises(ParseError, match="malformed"):
        parse_feed(b"<rss version='2.0'><channel><item", url=FEED_URL)


def test_broken_xml_with_items_is_read_leniently():
    broken = b"<rss version='2.0'><channel><title>x</title><item><title>Salt & pepper</title><guid>g1</guid></item>"
    assert one_story(broken).headline == "Salt & pepper"


def test_utf16_feed_is_read():
    data = rss_feed(rss_item(title="Grüße aus Köln")).decode().replace("utf-8", "utf-16").encode("utf-16")
    assert one_story(data).headline == "Grüße aus Köln"


def test_a_file_name_is_not_opened():
    # feedparser opens a string that names a file; bytes must stay bytes.
    with pytest.raises(ParseError):
        parse_feed(b"/etc/hostname", url=FEED_URL)


# Entities and DTDs

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<rss version="2.0"><channel><title>x</title><item><guid>g</guid><title>&lol3;</title></item></channel></rss>"""


def test_entity_expansion_is_refused():
    with pytest.raises(ParseError, match="declares XML entities"):
        parse_feed(BILLION_LAUGHS, url=FEED_URL)


def test_external_file_entity_is_refused_and_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    document = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret}">]>'
        "<rss version='2.0'><channel><title>x</title><item><guid>g</guid><title>&xxe;</title></item></channel></rss>"
    ).encode()
    with pytest.raises(ParseError, match="declares XML entities") as refused:
        parse_feed(document, url=FEED_URL)
    assert "TOP-SECRET-VALUE" not in str(refused.value)


def test_entity_declaration_hidden_in_utf16_is_refused():
    document = BILLION_LAUGHS.decode().replace('version="1.0"', 'version="1.0" encoding="utf-16"').encode("utf-16")
    with pytest.raises(ParseError, match="declares XML entities"):
        parse_feed(document, url=FEED_URL)


def test_external_dtd_is_refused():
    document = (
        b'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "http://evil.example/rss.dtd">'
        b"<rss version='2.0'><channel><title>x</title></channel></rss>"
    )
    with pytest.raises(ParseError, match="external DTD"):
        parse_feed(document, url=FEED_URL)


def test_plain_doctype_is_allowed():
    document = b"<?xml version='1.0'?><!DOCTYPE rss><rss version='2.0'><channel><title>x</title></channel></rss>"
    assert parse_feed(document, url=FEED_URL).stories == []
