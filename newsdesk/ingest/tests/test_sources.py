"""Each kind of source end to end: a drop folder of agency files, NewsML-G2 and NINJS over HTTP, a partner's RSS."""

import datetime
import os
from io import BytesIO
from urllib.parse import urlsplit

import pytest
from PIL import Image as PILImage

from newsdesk.articles.models import ArticlePage
from newsdesk.ingest.models import IngestedStory, Source
from newsdesk.ingest.services import poll
from newsdesk.weather.tests.fakes import FakeServer

from . import wire
from .feeds import Image, rss_feed, rss_item

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
NOON = datetime.datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
SETTLED = NOON.timestamp() - 3600  # files written an hour before the poll: finished uploading


@pytest.fixture
def now(time_machine):
    time_machine.move_to(NOON, tick=False)
    return NOON


def jpeg() -> bytes:
    out = BytesIO()
    PILImage.new("RGB", (40, 30), (10, 90, 160)).save(out, "JPEG")
    return out.getvalue()


class Agency(FakeServer):
    """An agency's and a partner's HTTP endpoints: documents by path, and one picture."""

    def __init__(self) -> None:
        super().__init__()
        self.documents: dict[str, bytes] = {}

    def respond(self, path, query):
        if path.endswith(".jpg"):
            return 200, jpeg()
        if path in self.documents:
            return 200, self.documents[path]
        return 404, b"not found"


@pytest.fixture
def agency(settings):
    with Agency() as server:
        settings.NEWSDESK_HTTP_TRUSTED_HOSTS = ["127.0.0.1"]
        settings.NEWSDESK_HTTP_TRUSTED_HOSTPORTS = [server.hostport]
        yield server


# --- The drop folder ----------------------------------------------------------------------------


@pytest.fixture
def drop(tmp_path, sections):
    folder = tmp_path / "drop"
    folder.mkdir()
    source = Source.objects.create(
        name="Agency",
        kind=Source.Kind.FOLDER,
        location=str(folder),
        mode=Source.Mode.PUBLISH,
        default_section=sections["world"],
        source_name="Example Agency",
        mapping_rules="medtop:20000763 => local; harbour",
    )
    return source, folder


def deliver(folder, name, data):
    path = folder / name
    path.write_bytes(data)
    os.utime(path, (SETTLED, SETTLED))
    return path


def ferry():
    return ArticlePage.objects.get(title=wire.HEADLINE)


def test_a_newsml_item_in_the_drop_folder_becomes_an_article(drop, now, sections):
    source, folder = drop
    deliver(folder, "ferry.xml", wire.newsml_item())
    result = poll(source)
    story = ferry()
    assert [touched.action for touched in result.touched] == ["created"]
    assert story.live
    assert story.primary_section == sections["local"]
    assert [author.name for author in story.authors] == ["Ines Marlow"]
    assert story.source_name == "Example Agency"
    assert story.body[0].value.source.startswith("<p><b>PORTHAVEN</b> \u2013 ")
    assert {tag.name for tag in story.tags.all()} >= {"housing", "harbour"}


def test_a_read_file_moves_to_done_and_is_not_read_again(drop, now):
    source, folder = drop
    deliver(folder, "ferry.xml", wire.newsml_item())
    poll(source)
    assert (folder / "done" / "ferry.xml").exists()
    assert not (folder / "ferry.xml").exists()
    assert poll(source).touched == []


def test_a_file_that_cannot_be_read_moves_to_failed_with_its_reason(drop, now):
    source, folder = drop
    deliver(folder, "broken.xml", b"<newsItem><headline>cut")
    result = poll(source)
    assert result.error == ""  # the folder was read; one file was not
    assert (folder / "failed" / "broken.xml").exists()
    assert "not well-formed" in (folder / "failed" / "broken.xml.reason.txt").read_text()
    assert [touched.action for touched in result.touched] == ["skipped"]


def test_a_higher_version_in_the_folder_updates_the_article(drop, now):
    source, folder = drop
    deliver(folder, "ferry-1.xml", wire.newsml_item())
    poll(source)
    first = ferry()
    deliver(folder, "ferry-2.xml", wire.newsml_item(version=2, summary="Now every twenty minutes."))
    result = poll(source)
    assert [touched.action for touched in result.touched] == ["updated"]
    assert (ferry().pk, ferry().standfirst) == (first.pk, "Now every twenty minutes.")


def test_a_canceled_item_takes_the_article_down(drop, now):
    source, folder = drop
    deliver(folder, "ferry-1.xml", wire.newsml_item())
    poll(source)
    deliver(folder, "ferry-2.xml", wire.newsml_item(version=2, pub_status="canceled"))
    result = poll(source)
    assert [touched.action for touched in result.touched] == ["withdrawn"]
    assert not ferry().live


def test_an_embargoed_item_waits_for_its_time(drop, now):
    source, folder = drop
    deliver(folder, "ferry.xml", wire.newsml_item(embargo="2026-11-30T18:00:00Z"))
    poll(source)
    story = ferry()
    assert not story.live
    assert story.go_live_at == datetime.datetime(2026, 11, 30, 18, 0, tzinfo=UTC)


def test_nitf_and_ninjs_files_are_read_too(drop, now):
    source, folder = drop
    deliver(folder, "a.xml", wire.nitf_document(doc_id="EXA-1", headline="Quay wall repaired"))
    deliver(folder, "b.json", wire.ninjs_document(uri="urn:example:ninjs:2", headline="Lighthouse lamp replaced"))
    poll(source)
    assert set(
        ArticlePage.objects.filter(title__in=["Quay wall repaired", "Lighthouse lamp replaced"]).values_list(
            "title", flat=True
        )
    ) == {"Quay wall repaired", "Lighthouse lamp replaced"}


def test_the_editor_note_stays_with_the_story(drop, now):
    source, folder = drop
    deliver(folder, "ferry.xml", wire.newsml_item(ednote="Pictures follow at noon."))
    poll(source)
    assert IngestedStory.objects.get().editor_note == "Pictures follow at noon."


# --- Over HTTP ------------------------------------------------------------------------------------


def test_a_newsml_package_brings_its_story_and_picture(agency, sections, now):
    picture = wire.WirePicture(href=f"{agency.url}/photos/ferry.jpg")
    agency.documents["/g2"] = wire.newsml_story_with_pictures([picture])
    source = Source.objects.create(
        name="G2", kind=Source.Kind.NEWSML, location=f"{agency.url}/g2", default_section=sections["world"]
    )
    poll(source)
    story = ferry()
    assert story.lead_image is not None
    assert (story.lead_image_caption, story.lead_image_credit) == (picture.caption, picture.credit)


def test_ninjs_over_http(agency, sections, now):
    agency.documents["/ninjs"] = wire.ninjs_list(
        wire.ninjs_object(uri="urn:example:1"), wire.ninjs_object(uri="urn:example:2", headline="Second story")
    )
    source = Source.objects.create(
        name="N", kind=Source.Kind.NINJS, location=f"{agency.url}/ninjs", default_section=sections["world"]
    )
    result = poll(source)
    assert [touched.action for touched in result.touched] == ["created", "created"]


def test_a_partners_rss_story_keeps_its_picture_credit_and_link(agency, sections, now):
    item = rss_item(
        title="Harbour festival opens",
        link="https://partner.example.org/festival",
        guid="https://partner.example.org/festival",
        description="Boats, music and a night market.",
        media_content=[
            Image(url=f"{agency.url}/media/festival.jpg", type="image/jpeg", credit="Partner Photo", caption="Lanterns")
        ],
    )
    agency.documents["/rss"] = rss_feed(item)
    source = Source.objects.create(
        name="Partner",
        kind=Source.Kind.RSS,
        location=f"{agency.url}/rss",
        mode=Source.Mode.DRAFT,
        default_section=sections["local"],
        source_name="The Partner Times",
    )
    poll(source)
    story = ArticlePage.objects.get(title="Harbour festival opens")
    assert not story.live
    assert story.lead_image_credit == "Partner Photo"
    assert (story.source_name, story.canonical_url) == ("The Partner Times", "https://partner.example.org/festival")
    assert urlsplit(agency.received[-1].path).path == "/media/festival.jpg"
