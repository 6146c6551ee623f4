"""What the page and author models say about themselves: dates, addresses, text, credits, validation."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import RequestFactory
from wagtail import hooks

from newsdesk.articles.models import PAGE_CONTEXT_HOOK, ArticleAuthor, ArticlePage, Author, AuthorLink, SectionPage

pytestmark = pytest.mark.django_db

LATE_EVENING = datetime.datetime(2025, 10, 20, 22, 30, tzinfo=datetime.UTC)  # 00:30 on Oct 21 in Berlin


def unsaved(**fields):
    return ArticlePage(title="Draft", slug="draft", standfirst="s", **fields)


# --- dates and addresses ------------------------------------------------------------


def test_publication_date_is_the_site_time_zones_day():
    assert unsaved(first_published_at=LATE_EVENING).publication_date() == datetime.date(2025, 10, 21)


def test_a_never_published_article_has_no_date_and_no_dated_path():
    article = unsaved(first_published_at=None)
    assert (article.publication_date(), article.dated_path()) == (None, None)


def test_dated_path_pads_month_and_day():
    article = unsaved(first_published_at=datetime.datetime(2025, 3, 4, 9, 0, tzinfo=datetime.UTC))
    assert article.dated_path() == "/2025/03/04/draft/"


def test_url_parts_of_a_draft_keep_the_tree_path(article_factory):
    article = article_factory(headline="Soon")
    ArticlePage.objects.filter(pk=article.pk).update(first_published_at=None)
    article.refresh_from_db()
    assert article.get_url_parts()[2] == "/articles/soon/"


def test_serving_the_tree_address_redirects_permanently(article_factory):
    article = article_factory(headline="Bridge opens", published_at=LATE_EVENING)
    response = article.serve(RequestFactory().get("/articles/bridge-opens/"))
    assert (response.status_code, response["Location"]) == (301, "/2025/10/21/bridge-opens/")


def test_a_preview_is_served_where_it_is_asked_for(article_factory):
    article = article_factory(headline="Bridge opens", published_at=LATE_EVENING)
    request = RequestFactory().get("/admin/pages/1/view_draft/")
    request.is_preview = True  # type: ignore[attr-defined]  # the flag Wagtail sets on preview requests
    assert article.serve(request).status_code == 200


# --- was_updated --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("later", "updated"),
    [
        (datetime.timedelta(0), False),
        (datetime.timedelta(minutes=5), False),
        (datetime.timedelta(minutes=5, seconds=1), True),
        (datetime.timedelta(days=2), True),
    ],
)
def test_updated_only_more_than_five_minutes_after_first_publication(later, updated):
    article = unsaved(first_published_at=LATE_EVENING, last_published_at=LATE_EVENING + later)
    assert article.was_updated is updated


def test_never_published_is_not_updated():
    assert unsaved(first_published_at=None, last_published_at=LATE_EVENING).was_updated is False


# --- text ---------------------------------------------------------------------------


def test_plain_text_joins_paragraphs_headings_and_quotes_as_readers_see_them(article_factory):
    # Found by these tests: entities stayed, so "&amp;" counted as a word "amp" for related articles.
    article = article_factory(
        body=["Fish & chips, <b>two</b>.", {"type": "heading", "text": "Next"}, {"type": "quote", "text": "Said."}]
    )
    assert article.plain_text == "Fish & chips, <b>two</b>.\nNext\nSaid."


def test_plain_text_strips_rich_text_tags_and_leaves_out_embeds():
    article = unsaved(
        body=[
            {"type": "paragraph", "value": "<p>Hello <i>there</i></p>"},
            {"type": "embed", "value": {"url": "https://video.example/", "title": "Watch"}},
            {"type": "ad_slot", "value": None},
        ]
    )
    assert article.plain_text == "Hello there"


def test_reading_time_counts_headline_standfirst_and_body():
    article = ArticlePage(title="word " * 150, standfirst="word " * 150, body=[{"type": "heading", "value": "x"}])
    assert article.reading_time == "2 min read"


def test_a_short_article_is_less_than_a_minute(article_factory):
    assert article_factory(body=["Short."]).reading_time == "Less than 1 min read"


# --- authors and tags -------------------------------------------------------------------


def test_authors_follow_the_byline_order(article_factory):
    article = article_factory(authors=["Zoe Last", "Adam First"])
    assert [a.name for a in ArticlePage.objects.get(pk=article.pk).authors] == ["Zoe Last", "Adam First"]


def test_prefetched_byline_is_used_without_queries(article_factory, django_assert_num_queries):
    article_factory(authors=["Zoe Last", "Adam First"])
    article = ArticlePage.objects.prefetch_related("byline__author").get()
    with django_assert_num_queries(0):
        assert [a.name for a in article.authors] == ["Zoe Last", "Adam First"]


def test_authors_with_photos_and_links_take_two_queries(article_factory, django_assert_num_queries):
    article = article_factory(authors=["Zoe Last", "Adam First"])
    for author in Author.objects.all():
        AuthorLink.objects.create(author=author, label="Site", url="https://example.org")
    article = ArticlePage.objects.get(pk=article.pk)
    with django_assert_num_queries(2):
        assert [len(a.links.all()) for a in article.authors] == [1, 1]


def test_a_previewed_draft_shows_its_own_byline_and_the_live_page_the_published_one(article_factory):
    article = article_factory(authors=["Zoe Last"])
    page = ArticlePage.objects.get(pk=article.pk)
    page.byline = [ArticleAuthor(author=Author.objects.create(name="Nina Draft", slug="nina-draft"))]
    draft = page.save_revision().as_object()
    assert [a.name for a in draft.authors] == ["Nina Draft"]
    assert [a.name for a in ArticlePage.objects.get(pk=article.pk).authors] == ["Zoe Last"]


def test_tag_list_is_read_once(article_factory, django_assert_num_queries):
    article = ArticlePage.objects.get(pk=article_factory(tags=["b", "a"]).pk)
    assert sorted(t.name for t in article.tag_list) == ["a", "b"]
    with django_assert_num_queries(0):
        assert len(article.tag_list) == 2


def test_an_author_is_credited_once_per_article(article_factory):
    article = article_factory(authors=["Zoe Last"])
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleAuthor.objects.create(page=article, author=Author.objects.get())


def test_an_author_in_a_byline_cannot_be_deleted(article_factory):
    from django.db.models import ProtectedError

    article_factory(authors=["Zoe Last"])
    with pytest.raises(ProtectedError):
        Author.objects.get().delete()


def test_author_address_and_name():
    author = Author(name="Zoe Last", slug="zoe-last")
    assert (str(author), author.get_absolute_url()) == ("Zoe Last", "/authors/zoe-last/")


def test_author_links_must_be_web_addresses():
    link = AuthorLink(author=Author(name="Zoe", slug="zoe"), label="Site", url="javascript:alert(1)")
    with pytest.raises(ValidationError) as error:
        link.clean_fields(exclude=["author"])
    assert "url" in error.value.message_dict


@pytest.mark.parametrize("field", ["source_url", "via_url", "canonical_url"])
def test_attribution_links_must_be_web_addresses(field):
    article = unsaved(**{field: "ftp://files.example/story"})
    with pytest.raises(ValidationError) as error:
        article.clean_fields(exclude=["body", "path", "depth", "primary_section"])
    assert list(error.value.message_dict) == [field]


def test_a_section_with_articles_cannot_be_deleted(article_factory, sections):
    from django.db.models import ProtectedError

    article_factory(section="sport")
    with pytest.raises(ProtectedError):
        SectionPage.objects.get(slug="sport").delete()


# --- composed pages ------------------------------------------------------------------


def test_composed_pages_take_their_context_from_the_hook(sections, rf):
    def compose(page, request):
        return {"composed_for": page.title}

    with hooks.register_temporarily(PAGE_CONTEXT_HOOK, compose):
        context = sections["sport"].get_context(rf.get("/sport/"))
    assert context["composed_for"] == "Sport"
    assert context["page"] == sections["sport"]
