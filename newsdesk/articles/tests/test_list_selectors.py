"""Section, author and tag lists pick their articles by id: each article once, newest first, paged."""

import datetime

import pytest
from django.http import Http404
from django.test import RequestFactory
from django.utils import timezone
from taggit.models import Tag

from newsdesk.articles import selectors
from newsdesk.articles.models import ArticlePage, Author
from newsdesk.articles.pagination import paginate_uncounted

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def three(article_factory, sections):
    """Three days of articles in World by two authors under two tags; the newest also listed in Local."""
    now = timezone.now()
    made = [
        article_factory(
            headline=f"Day {n}",
            section="world",
            authors=["Ada Reporter", "Ben Writer"],
            tags=["harbour", "transport"],
            published_at=now - n * DAY,
        )
        for n in (3, 2, 1)
    ]
    made[-1].extra_sections.add(sections["local"])
    made[-1].save_revision().publish()
    return made


def titles(queryset):
    return [article.title for article in queryset]


def test_a_section_lists_its_own_and_its_extra_articles_once_newest_first(three, sections):
    assert titles(selectors.section_articles(sections["world"])) == ["Day 1", "Day 2", "Day 3"]
    assert titles(selectors.section_articles(sections["local"])) == ["Day 1"]


def test_an_article_with_two_authors_is_listed_once_on_each_author_page(three):
    for author in Author.objects.all():
        assert titles(selectors.author_articles(author)) == ["Day 1", "Day 2", "Day 3"]


def test_an_article_with_two_tags_is_listed_once_on_each_tag_page(three):
    for tag in Tag.objects.all():
        assert titles(selectors.tag_articles(tag)) == ["Day 1", "Day 2", "Day 3"]


def page(sections, number, per_page=2):
    request = RequestFactory().get("/world/", {"page": number})
    return paginate_uncounted(request, selectors.section_articles(sections["world"]), per_page=per_page)


def test_a_page_of_a_list_is_its_slice_in_the_list_order_and_knows_a_page_follows(three, sections):
    first, second = page(sections, "1"), page(sections, "2")
    assert (titles(first), first.has_next(), first.has_previous()) == (["Day 1", "Day 2"], True, False)
    assert (titles(second), second.has_next(), second.has_previous()) == (["Day 3"], False, True)


def test_a_full_last_page_has_no_next(three, sections):
    assert page(sections, "1", per_page=3).has_next() is False


def test_a_page_past_the_end_of_a_list_is_not_found(three, sections):
    with pytest.raises(Http404):
        page(sections, "3")


def test_an_empty_list_has_an_empty_first_page(sections):
    assert (titles(page(sections, "1")), page(sections, "1").has_next()) == ([], False)


@pytest.mark.parametrize("raw", ["0", "abc", "²"])
def test_anything_but_a_page_number_of_a_list_is_not_found(sections, raw):
    with pytest.raises(Http404):
        page(sections, raw)


def test_previous_and_next_are_the_neighbours_in_publication_order(three):
    older, newer = selectors.neighbour_articles(three[1])
    assert older and newer
    assert (older.title, newer.title) == ("Day 3", "Day 1")


def test_articles_published_at_the_same_moment_are_ordered_by_id(three):
    ArticlePage.objects.filter(pk__in=[a.pk for a in three]).update(first_published_at=three[0].first_published_at)
    older, newer = selectors.neighbour_articles(ArticlePage.objects.get(pk=three[1].pk))
    assert older and newer
    assert (older.pk, newer.pk) == (three[0].pk, three[2].pk)
