"""The import service itself (`article_import`): what it checks, what it writes, what an update changes."""

import datetime
import hashlib

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone
from wagtail.images.models import Image

from newsdesk.articles.factories import make_image
from newsdesk.articles.models import ArticleAuthor, ArticleIndexPage, ArticlePage, Author
from newsdesk.articles.services import ArticleImportError, article_import, author_ensure, clean_text
from newsdesk.articles.tests.test_import import payload

pytestmark = pytest.mark.django_db


def do_import(tmp_path, **overrides):
    return article_import(data=payload(**overrides), base_dir=tmp_path)


def import_error(tmp_path, data) -> ArticleImportError:
    with pytest.raises(ArticleImportError) as error:
        article_import(data=data, base_dir=tmp_path)
    return error.value


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"external_id": 123}, "external_id"),
        ({"external_id": "x" * 121}, "external_id"),
        ({"headline": "h" * 256}, "headline"),
        ({"headline": "\x00\x07  "}, "headline"),
        ({"standfirst": "s" * 501}, "standfirst"),
        ({"standfirst": ["a list"]}, "standfirst"),
        ({"body": "one paragraph, not a list"}, "body"),
        ({"body": None}, "body"),
        ({"body": ["fine", 42]}, "body[1]"),
        ({"body": ["fine", {"type": "heading"}]}, "body[1].text"),
        ({"body": [{"type": "paragraph", "text": "   "}]}, "body[0].text"),
        ({"body": [{"type": "quote", "text": "Said.", "attribution": ["x"]}]}, "body[0].attribution"),
        ({"body": [{"text": "no type"}]}, "body[0].type"),
        ({"authors": "Name One"}, "authors"),
        ({"authors": ["Name One", ""]}, "authors"),
        ({"authors": [7]}, "authors"),
        ({"tags": "transport"}, "tags"),
        ({"tags": ["ok", " "]}, "tags"),
        ({"published_at": None}, "published_at"),
        ({"published_at": 1761031800}, "published_at"),
        ({"published_at": "2025-13-45T09:30:00+02:00"}, "published_at"),
        ({"section": ""}, "section"),
        ({"source": "Lake Courier"}, "source"),
        ({"source": {"name": 5}}, "source.name"),
        ({"source": {"name": "n" * 121}}, "source.name"),
        ({"source": {"name": "Courier", "url": "ftp://lake.example/"}}, "source.url"),
        ({"source": {"name": "Courier", "url": "https://lake.example/" + "x" * 200}}, "source.url"),
        ({"canonical_url": 5}, "canonical_url"),
        ({"image": "photo.jpg"}, "image.path"),
        ({"image": {"caption": "No path"}}, "image.path"),
    ],
)
def test_each_bad_field_is_named_and_nothing_is_written(sections, tmp_path, overrides, field):
    error = import_error(tmp_path, payload(**overrides))
    assert error.field == field
    assert str(error) == f"{field}: {error.message}"
    assert not ArticlePage.objects.exists()
    assert not Author.objects.exists()


@pytest.mark.parametrize("data", [[], "text", None, 3])
def test_anything_but_an_object_is_refused_at_the_top_level(sections, tmp_path, data):
    assert import_error(tmp_path, data).field == "(top level)"


def test_a_site_without_an_article_index_is_reported(sections, tmp_path):
    ArticleIndexPage.objects.all().delete()
    assert import_error(tmp_path, payload()).field == "(site)"
    assert not Author.objects.exists()


def test_a_file_that_is_not_a_picture_names_the_image_and_writes_nothing(sections, tmp_path):
    # Found by these tests: Wagtail's own UnrecognisedImageFormatError escaped mid-import.
    (tmp_path / "notes.jpg").write_text("not a picture")
    error = import_error(tmp_path, payload(image={"path": "notes.jpg"}))
    assert error.field == "image.path"
    assert not Image.objects.exists()
    assert not ArticlePage.objects.exists()


def test_image_caption_must_be_text(sections, tmp_path):
    make_image(tmp_path / "p.jpg", seed=1, colour=(1, 2, 3), size=(40, 30))
    assert import_error(tmp_path, payload(image={"path": "p.jpg", "caption": 5})).field == "image.caption"


def test_control_characters_are_dropped_from_every_text(sections, tmp_path):
    article = do_import(
        tmp_path,
        headline="Ferry\x00 back\x1f",
        standfirst="\x0bService resumes.",
        body=["Para\x07graph."],
        authors=["Name\x08 One"],
        tags=["tra\x01nsport"],
    )
    assert (article.title, article.standfirst) == ("Ferry back", "Service resumes.")
    assert article.body[0].value.source == "<p>Paragraph.</p>"
    assert [a.name for a in article.authors] == ["Name One"]
    assert [t.name for t in article.tag_list] == ["transport"]


def test_clean_text_keeps_tabs_and_newlines_inside_the_text():
    assert clean_text("  a\tb\nc\r\nd\x0c  ") == "a\tb\nc\r\nd"


def test_blank_lines_split_a_text_into_paragraphs(sections, tmp_path):
    article = do_import(tmp_path, body=["First.\n\nSecond.\n\n\n\n  \n\nThird."])
    assert article.body[0].value.source == "<p>First.</p><p>Second.</p><p>Third.</p>"


def test_headings_and_quotes_keep_their_parts(sections, tmp_path):
    article = do_import(
        tmp_path,
        body=[
            {"type": "heading", "text": "H" * 250},
            {"type": "quote", "text": " We listened. ", "attribution": None},
            {"type": "quote", "text": "Later.", "attribution": "  A" + "b" * 300},
        ],
    )
    heading, plain, attributed = article.body
    assert heading.value == "H" * 200
    assert dict(plain.value) == {"text": "We listened.", "attribution": ""}
    assert len(attributed.value["attribution"]) == 200
    assert attributed.value["attribution"].startswith("Ab")


def test_a_quote_is_plain_text_not_html(sections, tmp_path):
    article = do_import(tmp_path, body=[{"type": "quote", "text": "<b>bold</b>", "attribution": "<i>me</i>"}])
    rendered = BeautifulSoup(str(article.body[0]), "html.parser")
    quote, caption = rendered.blockquote, rendered.figcaption
    assert quote is not None and caption is not None
    assert quote.get_text() == "<b>bold</b>"
    assert caption.get_text() == "— <i>me</i>"
    assert rendered.find(["b", "i"]) is None


def test_empty_source_and_canonical_url_are_blank(sections, tmp_path):
    article = do_import(tmp_path, source=None, canonical_url="")
    assert (article.source_name, article.source_url, article.canonical_url) == ("", "", "")


def test_an_update_keeps_the_page_and_its_address(sections, tmp_path):
    first = do_import(tmp_path)
    second = do_import(tmp_path, headline="A wholly different headline", section="world")
    assert second.pk == first.pk
    assert second.slug == first.slug
    assert second.primary_section.slug == "world"
    assert ArticlePage.objects.count() == 1


def test_an_update_replaces_the_tags(sections, tmp_path):
    do_import(tmp_path, tags=["transport", "lake"])
    article = do_import(tmp_path, tags=["harbour"])
    assert [t.name for t in article.tags.all()] == ["harbour"]


def test_an_update_without_an_image_keeps_the_lead_image(sections, tmp_path):
    make_image(tmp_path / "p.jpg", seed=2, colour=(9, 9, 9), size=(40, 30))
    pictured = do_import(tmp_path, image={"path": "p.jpg", "caption": "Boat"})
    updated = do_import(tmp_path, headline="New headline")
    assert updated.lead_image_id == pictured.lead_image_id is not None
    assert updated.lead_image_caption == "Boat"


def test_each_import_records_a_revision(sections, tmp_path):
    do_import(tmp_path)
    article = do_import(tmp_path, headline="Second take")
    assert article.revisions.count() == 2
    assert article.get_latest_revision().as_object().title == "Second take"


def test_the_same_picture_twice_is_stored_once(sections, tmp_path):
    make_image(tmp_path / "a.jpg", seed=3, colour=(5, 5, 5), size=(40, 30))
    (tmp_path / "copy.jpg").write_bytes((tmp_path / "a.jpg").read_bytes())
    first = do_import(tmp_path, external_id="one", image={"path": "a.jpg"})
    second = do_import(tmp_path, external_id="two", headline="Other", image={"path": "copy.jpg"})
    assert first.lead_image_id == second.lead_image_id
    assert Image.objects.count() == 1


def test_importing_an_article_again_with_its_picture_adds_no_image(sections, tmp_path):
    # Found by these tests: imported pictures had no file hash, so every import stored a new copy.
    make_image(tmp_path / "a.jpg", seed=3, colour=(5, 5, 5), size=(40, 30))
    for headline in ("First take", "Second take", "Third take"):
        article = do_import(tmp_path, headline=headline, image={"path": "a.jpg"})
    assert Image.objects.count() == 1
    assert article.lead_image.file_hash == hashlib.sha1((tmp_path / "a.jpg").read_bytes()).hexdigest()


def test_an_image_without_caption_is_titled_after_the_headline(sections, tmp_path):
    make_image(tmp_path / "a.jpg", seed=4, colour=(5, 5, 5), size=(40, 30))
    article = do_import(tmp_path, headline="Ferry returns", image={"path": "a.jpg"})
    assert article.lead_image.title == "Ferry returns"
    assert (article.lead_image_caption, article.lead_image_credit) == ("", "")


def test_authors_are_credited_in_the_order_given(sections, tmp_path):
    article = do_import(tmp_path, authors=["Zoe Last", "Adam First"])
    assert [a.name for a in article.authors] == ["Zoe Last", "Adam First"]


def test_a_known_author_is_reused_not_duplicated(sections, tmp_path):
    known = Author.objects.create(name="Name One", slug="name-one", role="Editor")
    article = do_import(tmp_path, authors=["Name One"])
    assert article.authors == [known]
    assert Author.objects.get(pk=known.pk).role == "Editor"


def test_one_author_named_twice_is_credited_once(sections, tmp_path):
    # Found by these tests: the byline's unique constraint failed with an IntegrityError.
    article = do_import(tmp_path, authors=["Jonas Falk", "Name Two", "jonas falk"])
    assert [a.name for a in article.authors] == ["Jonas Falk", "Name Two"]
    assert ArticleAuthor.objects.filter(page=article).count() == 2


def test_authors_named_in_other_scripts_stay_distinct_people():
    # Found by these tests: every name without Latin letters became one Author, "author".
    names = ["李明", "王芳", "Анна Петрова"]
    authors = [author_ensure(name=name) for name in names]
    assert [a.name for a in authors] == names
    assert len({a.slug for a in authors}) == 3
    assert author_ensure(name="李明") == authors[0]


def test_author_addresses_work_for_names_in_other_scripts(client, article_factory):
    article = article_factory(headline="Tram", authors=["李明"])
    author = article.authors[0]
    assert client.get(author.get_absolute_url()).status_code == 200


def test_a_past_date_is_published_at_once_and_not_updated(sections, tmp_path):
    when = datetime.datetime(2025, 10, 21, 7, 30, tzinfo=datetime.UTC)
    article = do_import(tmp_path, published_at=when.isoformat())
    assert article.live
    assert article.first_published_at == article.last_published_at == when
    assert article.go_live_at is None
    assert not article.was_updated


def test_a_future_date_schedules_the_article(sections, tmp_path, frozen_now):
    when = frozen_now + datetime.timedelta(hours=3)
    article = do_import(tmp_path, published_at=when.isoformat())
    assert not article.live
    assert article.go_live_at == when
    assert article.get_latest_revision().approved_go_live_at == when
    assert not ArticlePage.objects.published().exists()


def test_a_scheduled_article_moved_into_the_past_goes_live(sections, tmp_path, frozen_now):
    do_import(tmp_path, published_at=(frozen_now + datetime.timedelta(days=1)).isoformat())
    article = do_import(tmp_path, published_at=(frozen_now - datetime.timedelta(hours=1)).isoformat())
    assert article.live
    assert article.go_live_at is None
    assert list(ArticlePage.objects.published()) == [article]


def test_published_at_keeps_its_moment_whatever_the_zone(sections, tmp_path):
    article = do_import(tmp_path, published_at="2025-10-21T00:30:00-05:00")
    assert article.first_published_at == datetime.datetime(2025, 10, 21, 5, 30, tzinfo=datetime.UTC)
    assert timezone.localtime(article.first_published_at).date() == datetime.date(2025, 10, 21)
