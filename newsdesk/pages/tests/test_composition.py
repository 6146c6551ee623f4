"""What `pages.selectors` hands each page type, the site chrome, and the hook that wires them into Wagtail."""

import pytest
from django.test import RequestFactory
from wagtail import hooks
from wagtail.models import Page

from newsdesk.articles.models import PAGE_CONTEXT_HOOK, ArticleIndexPage, Author, HomePage
from newsdesk.comments.factories import CommentFactory
from newsdesk.comments.models import Comment
from newsdesk.pages import selectors
from newsdesk.pages.context_processors import site
from newsdesk.pages.wagtail_hooks import compose_page

pytestmark = pytest.mark.django_db


def request_for(path="/", *, preview=False):
    request = RequestFactory().get(path, HTTP_HOST="news.example")
    if preview:
        request.is_preview = True  # type: ignore[attr-defined]  # the flag Wagtail sets on preview requests
    return request


def test_an_article_gets_keys_naming_its_host_and_the_generations_given(article_factory):
    story = article_factory(headline="Keyed")
    blocks = selectors.article_blocks(story, host="news.example", generations=("L7", "A9"))
    published = story.last_published_at.timestamp()
    assert blocks["fragment_key"] == f"{story.pk}:{published}:A9:news.example"
    assert blocks["lists_key"] == f"{story.pk}:L7:news.example"


def test_a_preview_gets_no_keys(article_factory):
    story = article_factory(headline="Previewed")
    blocks = selectors.page_context(story, request_for(preview=True))
    assert (blocks["fragment_key"], blocks["lists_key"]) == (None, None)


def test_a_served_article_is_keyed_on_the_requests_host(article_factory):
    story = article_factory(headline="Served")
    assert selectors.page_context(story, request_for())["lists_key"].endswith(":news.example")


def test_an_article_without_more_articles_links_to_no_more_page(article_factory):
    alone = article_factory(headline="Alone", section="culture")
    assert selectors.article_blocks(alone)["more_articles"] == []
    assert selectors.article_blocks(alone)["more_articles_url"] is None


def test_an_article_with_more_articles_links_to_their_page(article_factory):
    for n in range(9):
        article_factory(headline=f"Neighbour {n}", section="culture")
    story = article_factory(headline="Story", section="culture")
    assert selectors.article_blocks(story)["more_articles_url"] == f"/related/{story.pk}/"


def test_the_home_page_gets_its_lead_rows_and_most_read(article_factory):
    article_factory(headline="Lead")
    context = selectors.page_context(HomePage.objects.get(), request_for())
    assert set(context) == {"listing_key", "most_read_key", "home", "most_read_day", "most_read_week"}
    assert context["home"]["lead"].title == "Lead"


def test_a_home_page_preview_keeps_nothing(article_factory):
    context = selectors.page_context(HomePage.objects.get(), request_for(preview=True))
    assert (context["listing_key"], context["most_read_key"]) == (None, None)


def test_a_section_gets_its_articles_with_approved_comment_counts(article_factory, sections):
    story = article_factory(headline="Discussed", section="sport")
    article_factory(headline="Elsewhere", section="world")
    CommentFactory(article=story)
    CommentFactory(article=story, status=Comment.Status.PENDING)
    page_obj = selectors.page_context(sections["sport"], request_for("/sport/"))["page_obj"]
    assert [(item.title, item.comment_count) for item in page_obj] == [("Discussed", 1)]


def test_the_article_index_gets_every_published_article(article_factory):
    article_factory(headline="Kept")
    article_factory(headline="Withdrawn").unpublish()
    page_obj = selectors.page_context(ArticleIndexPage.objects.get(), request_for("/articles/"))["page_obj"]
    assert [item.title for item in page_obj] == ["Kept"]


def test_a_page_type_that_shows_only_itself_gets_nothing(sections):
    assert selectors.page_context(Page.get_first_root_node(), request_for()) == {}


def test_the_page_context_hook_is_registered():
    assert compose_page in hooks.get_hooks(PAGE_CONTEXT_HOOK)


def test_home_rows_leave_out_the_lead_and_sections_without_other_articles(article_factory):
    article_factory(headline="Lead", section="world")
    for n in range(3):
        article_factory(headline=f"Business {n}", section="business")
    rows = selectors.home_lists()["section_rows"]
    assert [(row["section"].slug, [a.title for a in row["articles"]]) for row in rows] == [
        ("business", ["Business 0", "Business 1", "Business 2"])
    ]


def test_a_home_row_holds_at_most_four_articles_in_menu_order(article_factory):
    article_factory(headline="Lead", section="world")
    for n in range(6):
        article_factory(headline=f"Sport {n}", section="sport")
    article_factory(headline="Politics", section="politics")
    rows = selectors.home_lists()["section_rows"]
    assert [row["section"].slug for row in rows] == ["politics", "sport"]
    assert len(rows[1]["articles"]) == selectors.HOME_SECTION_ROW_SIZE


def test_an_empty_site_has_no_lead_and_no_rows(sections):
    blocks = selectors.home_lists()
    assert (blocks["lead"], blocks["latest_articles"], blocks["section_rows"]) == (None, [], [])


def test_author_lists_count_approved_comments_only(article_factory):
    story = article_factory(headline="By Ada", authors=["Ada Writer"])
    CommentFactory(article=story)
    CommentFactory(article=story, status=Comment.Status.SPAM)
    items = selectors.author_articles(Author.objects.get(name="Ada Writer"))
    assert [(item.title, item.comment_count) for item in items] == [("By Ada", 1)]


def test_the_site_chrome_reads_the_menu_only_when_shown(sections, settings, django_assert_num_queries):
    settings.WAGTAIL_SITE_NAME = "The Valley Post"
    with django_assert_num_queries(0):
        chrome = site(request_for())
    assert chrome["SITE_NAME"] == "The Valley Post"
    assert chrome["DATE_LINE_FORMAT"] == settings.NEWSDESK_DATE_FORMAT
    assert [item["title"] for item in chrome["NAV_SECTIONS"]][:2] == ["World", "Politics"]
