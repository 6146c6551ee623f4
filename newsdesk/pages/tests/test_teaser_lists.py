"""The kept teaser lists of `pages.teasers`: what they hold, in which order, and when they are built again."""

import datetime
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from newsdesk.comments.factories import CommentFactory
from newsdesk.comments.models import Comment
from newsdesk.core import fragments
from newsdesk.pages import teasers
from newsdesk.recommendations.models import RelatedArticle

pytestmark = pytest.mark.django_db


def pks(items):
    return [item.pk for item in items]


def test_teasers_carry_the_approved_comment_count_only(article_factory):
    story = article_factory(headline="Talked about")
    CommentFactory.create_batch(2, article=story)
    CommentFactory(article=story, status=Comment.Status.PENDING)
    CommentFactory(article=story, status=Comment.Status.SPAM)
    assert teasers.teasers().get(pk=story.pk).comment_count == 2


def test_a_list_is_built_once_per_lists_generation(article_factory):
    story = article_factory(headline="Listed")
    builds = []

    def build():
        builds.append(1)
        return list(teasers.teasers().filter(pk=story.pk).values_list(*teasers.VERSION_FIELDS))

    assert pks(teasers.cached_list("probe", build)) == [story.pk]
    assert pks(teasers.cached_list("probe", build)) == [story.pk]
    assert len(builds) == 1
    fragments.bump(fragments.LISTS)
    teasers.cached_list("probe", build)
    assert len(builds) == 2


def test_a_kept_list_leaves_out_a_teaser_once_its_article_expires(article_factory, monkeypatch):
    expiring = article_factory(headline="Expires")
    expiring.expire_at = timezone.now() + datetime.timedelta(hours=1)
    expiring.save()
    article_factory(headline="Stays")
    assert expiring.pk in pks(teasers.latest_teasers())
    later = (timezone.now() + datetime.timedelta(hours=2)).timestamp()
    monkeypatch.setattr(teasers, "time", SimpleNamespace(time=lambda: later))
    assert expiring.pk not in pks(teasers.latest_teasers())


def test_teasers_by_id_keep_the_order_asked_for_and_leave_out_the_unpublished(article_factory):
    first, second, gone = (article_factory(headline=name) for name in ("First", "Second", "Gone"))
    gone.unpublish()
    assert pks(teasers.teasers_by_id([second.pk, gone.pk, first.pk])) == [second.pk, first.pk]


def test_teasers_by_id_remember_the_absent_ones_too(article_factory, django_assert_num_queries):
    kept, gone = article_factory(headline="Kept"), article_factory(headline="Gone")
    gone.unpublish()
    teasers.teasers_by_id([kept.pk, gone.pk])
    with django_assert_num_queries(0):
        assert pks(teasers.teasers_by_id([gone.pk, kept.pk])) == [kept.pk]


def test_teasers_by_id_of_nothing_asks_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert teasers.teasers_by_id([]) == []


def test_a_teaser_is_its_rendered_markup(article_factory, soup):
    story = article_factory(headline="Rendered")
    (teaser,) = teasers.teasers_by_id([story.pk])
    parsed = soup(SimpleNamespace(content=str(teaser.html).encode()))
    assert parsed.select_one(".teaser__title a")["href"] == story.url


def test_latest_leaves_out_the_current_article_and_keeps_five(article_factory):
    stories = [article_factory(headline=f"Story {n}") for n in range(7)]
    latest = pks(teasers.latest_teasers(exclude=[stories[0].pk]))
    assert latest == [story.pk for story in stories[1:6]]


def test_must_read_leaves_out_the_current_article(article_factory):
    stories = [article_factory(headline=f"Story {n}") for n in range(5)]
    items = pks(teasers.must_read_teasers(exclude=[stories[1].pk]))
    assert len(items) == 4
    assert stories[1].pk not in items


def test_more_articles_fill_from_the_sections_newest_while_nothing_is_related(article_factory):
    other_section = article_factory(headline="Elsewhere", section="world")
    first, second = article_factory(section="sport"), article_factory(section="sport")
    current = article_factory(headline="Current", section="sport")
    RelatedArticle.objects.all().delete()
    items = pks(teasers.more_articles_teasers(current))
    assert items == [first.pk, second.pk]
    assert other_section.pk not in items


def test_more_articles_put_related_ones_first_then_the_section_and_skip_what_is_shown(article_factory):
    related = article_factory(headline="Related", section="world")
    shown, newest, older = (article_factory(section="sport") for _ in range(3))
    current = article_factory(headline="Current", section="sport")
    RelatedArticle.objects.all().delete()
    RelatedArticle.objects.create(article=current, related=related, score=0.5)
    items = pks(teasers.more_articles_teasers(current, exclude=[shown.pk]))
    assert items == [related.pk, newest.pk, older.pk]


def test_more_articles_reach_past_the_spares_when_the_best_ones_are_gone(article_factory, settings):
    settings.NEWSDESK_MORE_ARTICLES_SIZE = 3
    current = article_factory(headline="Current", section="world")
    related = [article_factory(headline=f"Related {n}", section="sport") for n in range(10)]
    RelatedArticle.objects.all().delete()
    for rank, article in enumerate(related):
        RelatedArticle.objects.create(article=current, related=article, score=1 - rank / 100)
    for article in related[:7]:
        article.unpublish()
    fragments.bump(fragments.LISTS)
    assert pks(teasers.more_articles_teasers(current)) == [article.pk for article in related[7:]]


def comments_shown(teaser) -> str:
    found = BeautifulSoup(str(teaser.html), "html.parser").select_one(".teaser__comments")
    assert found is not None
    return found.get_text(strip=True)


def test_a_kept_markup_serves_a_new_generation_with_one_query_and_no_render(
    article_factory, django_assert_num_queries, monkeypatch
):
    story = article_factory(headline="Kept markup")
    (first,) = teasers.teasers_by_id([story.pk])
    fragments.bump(fragments.LISTS)
    monkeypatch.setattr(teasers, "teaser_of", lambda article: pytest.fail("rendered again"))
    with django_assert_num_queries(1):  # the versions; the markup is kept
        (again,) = teasers.teasers_by_id([story.pk])
    assert again.html == first.html


def test_a_new_approved_comment_renders_the_teaser_again(article_factory):
    story = article_factory(headline="Talked about")
    (before,) = teasers.teasers_by_id([story.pk])
    assert comments_shown(before) == "0 comments"
    CommentFactory(article=story)
    fragments.bump(fragments.LISTS)  # as moderation does
    (after,) = teasers.teasers_by_id([story.pk])
    assert comments_shown(after) == "1 comment"


def test_a_kept_list_shows_a_changed_headline_after_its_publish(article_factory):
    story = article_factory(headline="First headline")
    assert "First headline" in str(teasers.latest_teasers()[0].html)
    story.title = "Second headline"
    story.save_revision().publish()
    (newest,) = [item for item in teasers.latest_teasers() if item.pk == story.pk]
    assert "Second headline" in str(newest.html)


def test_markup_is_kept_under_the_version_it_was_rendered_from(article_factory, monkeypatch):
    story = article_factory(headline="Raced")
    (current,) = teasers.teasers().filter(pk=story.pk).values_list(*teasers.VERSION_FIELDS)
    stale = (*current[:-1], current[-1] + 5)  # read just before a moderation changed the count
    (shown,) = teasers.teasers_of_versions([stale])
    assert comments_shown(shown) == "0 comments"  # what the article has now
    monkeypatch.setattr(teasers, "teaser_of", lambda article: pytest.fail("rendered again"))
    (kept,) = teasers.teasers_of_versions([current])
    assert kept.html == shown.html
