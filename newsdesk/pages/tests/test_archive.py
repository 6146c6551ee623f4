"""`generate_archive`: valid live pages in Wagtail's tree that render, list, search and page like any other."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F
from django.test import override_settings
from django.utils import timezone
from wagtail.images.models import Image, Rendition
from wagtail.models import Page

from newsdesk.articles import selectors
from newsdesk.articles.models import ArticleIndexPage, ArticlePage, ArticleTag, SectionListing
from newsdesk.articles.search import SearchFilters, search_articles
from newsdesk.articles.services import list_in_sections
from newsdesk.comments.models import Comment
from newsdesk.pages import archive

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def few_pictures(monkeypatch):
    """One drawn picture per section and one rendition each: the same code, a fraction of the drawing."""
    monkeypatch.setattr(archive, "BASE_IMAGES", 2)
    monkeypatch.setattr(archive, "RENDITION_SPECS", ["fill-480x270|format-webp"])
    monkeypatch.setattr(archive, "ARTICLES_PER_IMAGE", 10)  # 60 articles: 2 drawn pictures and 4 copies
    monkeypatch.setattr(archive, "BATCH", 25)
    monkeypatch.setattr(archive, "DRAFT_EVERY", 10)  # several batches, so the tree grows across transactions


@pytest.fixture
def generated(sections):
    return archive.generate(count=60, seed=7)


def archive_pages():
    return ArticlePage.objects.filter(external_id__startswith=archive.EXTERNAL_PREFIX)


def test_it_makes_the_articles_asked_for_with_drafts_among_them(generated):
    assert generated.articles + generated.drafts == 60
    assert archive_pages().count() == 60
    assert archive_pages().filter(live=False).count() == generated.drafts == 6


def test_the_page_tree_stays_valid(generated):
    index = ArticleIndexPage.objects.get()
    assert Page.find_problems() == ([], [], [], [], [])
    assert index.numchild == index.get_children().count() == 60
    article = archive_pages().order_by("path").last()
    assert article.get_parent().pk == index.pk
    assert article.url_path == f"{index.url_path}{article.slug}/"


def test_a_second_run_grows_the_same_tree(generated):
    archive.generate(count=10, seed=8)
    assert Page.find_problems() == ([], [], [], [], [])
    assert ArticleIndexPage.objects.get().get_children().count() == 70


def test_the_same_seed_writes_the_same_copy(sections):
    archive.generate(count=8, seed=3)
    first = list(archive_pages().order_by("pk").values_list("title", "standfirst"))
    archive.generate(count=8, seed=3)
    second = list(archive_pages().order_by("pk").values_list("title", "standfirst"))[8:]
    assert first == second


def test_articles_spread_over_ten_years_in_the_past(generated):
    times = sorted(archive_pages().filter(live=True).values_list("first_published_at", flat=True))
    assert (times[-1] - times[0]).days > 365 * 8
    assert times[-1] < timezone.now()


def test_live_articles_render_at_their_dated_url(client, generated, soup):
    article = archive_pages().filter(live=True).order_by("first_published_at").first()
    response = client.get(article.url)
    assert response.status_code == 200
    page = soup(response)
    assert page.find("h1").get_text(strip=True) == article.title
    assert article.standfirst in page.get_text()


def test_drafts_are_never_shown(client, generated):
    draft = archive_pages().filter(live=False).first()
    assert draft.first_published_at is None
    assert not selectors.published_articles().filter(pk=draft.pk).exists()
    assert client.get(f"/2020/01/01/{draft.slug}/").status_code == 404
    assert draft.pk not in set(selectors.teasers().values_list("pk", flat=True))


def test_each_article_has_a_byline_tags_a_picture_with_renditions(generated):
    articles = archive_pages().filter(live=True)
    assert not articles.filter(byline__isnull=True).exists()
    assert not articles.filter(tagged_items__isnull=True).exists()
    assert not articles.filter(lead_image__isnull=True).exists()
    # Shared files, each row with its renditions ready: no reader's request draws one.
    assert Image.objects.count() == generated.images == 6
    assert len(set(Image.objects.values_list("file", flat=True))) == 2
    assert Rendition.objects.count() == Image.objects.count()
    assert set(Rendition.objects.values_list("filter_spec", flat=True)) == {"fill-480x270|format-webp"}


def test_tag_rows_carry_their_articles_publication_time_as_a_publish_writes_it(generated):
    rows = ArticleTag.objects.filter(content_object__in=archive_pages())
    live = rows.filter(content_object__live=True)
    assert live.exists()
    assert not live.exclude(published_at=F("content_object__first_published_at")).exists()
    assert not rows.filter(content_object__live=False, published_at__isnull=False).exists()


def test_section_rows_are_those_a_publish_would_write(generated):
    made = archive_pages()
    fields = ("article_id", "section_id", "published_at")
    written = set(SectionListing.objects.filter(article__in=made).values_list(*fields))
    SectionListing.objects.filter(article__in=made).delete()
    list_in_sections(made.values_list("pk", flat=True))
    assert written == set(SectionListing.objects.filter(article__in=made).values_list(*fields))
    assert SectionListing.objects.filter(article__extra_sections__isnull=False).exists()


def test_comments_belong_to_live_articles_after_they_appeared(generated):
    comments = Comment.objects.select_related("article")
    assert comments.count() == generated.comments > 0
    assert all(c.article.live and c.created_at >= c.article.first_published_at for c in comments)


def test_search_finds_archive_articles_and_no_draft(generated):
    # "budgets" as the generator writes it: SQLite's FTS5 index matches whole words, without stemming.
    found = search_articles(SearchFilters(query="budgets"))
    assert found
    assert all(article.live for article in found)
    assert all("budgets" in f"{a.title} {a.standfirst} {a.plain_text}".lower() for a in found)


def test_the_command_reports_what_it_made(sections):
    out = io.StringIO()
    call_command("generate_archive", "12", "--seed", "5", stdout=out)
    assert "Added 11 live articles and 1 drafts" in out.getvalue()  # one in ten a draft (few_pictures)


def test_the_command_refuses_nothing_to_make(sections):
    with pytest.raises(CommandError, match="at least 1"):
        call_command("generate_archive", "0")
    assert not archive_pages().exists()


# --- Deep pages of the lists, against the same archive --------------------------------------------


@override_settings(NEWSDESK_PAGE_SIZE=2)
@pytest.mark.parametrize("kind", ["section", "author", "tag"])
def test_every_page_of_a_list_holds_the_next_articles_and_no_draft(client, generated, soup, kind):
    article = archive_pages().filter(live=True).first()
    url, expected = {
        "section": (article.primary_section.url, selectors.section_articles(article.primary_section)),
        "author": (article.authors[0].get_absolute_url(), selectors.author_articles(article.authors[0])),
        "tag": (f"/tags/{article.tag_list[0].slug}/", selectors.tag_articles(article.tag_list[0])),
    }[kind]
    wanted = list(expected.values_list("pk", flat=True))
    assert len(wanted) == len(set(wanted)) > 2
    shown: list[str] = []
    pages = -(-len(wanted) // 2)
    for number in range(1, pages + 1):
        response = client.get(url, {"page": number})
        assert response.status_code == 200
        headlines = [link.get_text(strip=True) for link in soup(response).select(".teaser__title a")]
        assert len(headlines) == (2 if number < pages else len(wanted) - 2 * (pages - 1))
        shown += headlines
    assert shown == list(ArticlePage.objects.filter(pk__in=wanted).newest_first().values_list("title", flat=True))
    assert client.get(url, {"page": pages + 1}).status_code == 404
