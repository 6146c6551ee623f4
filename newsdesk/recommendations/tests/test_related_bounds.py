"""The similarity job compares an article with a bounded set of candidates, found through indexes."""

import datetime

import pytest

from newsdesk.recommendations import services
from newsdesk.recommendations.models import RelatedArticle
from newsdesk.recommendations.services import RelatedScorer, compute_all_related

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2025, 3, 4, 12, 0, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)
TRAM = ["The tram line extension across the river opens with new tram stops."]


def story(article_factory, headline, *, day=0, section="local", tags=()):
    return article_factory(
        headline=headline,
        body=TRAM,
        standfirst="A report from the city desk.",
        section=section,
        tags=list(tags),
        published_at=NOON + day * DAY,
    )


def candidates(article):
    return set(RelatedScorer().candidates(article))


def test_only_the_newest_are_candidates(article_factory, monkeypatch):
    monkeypatch.setattr(services, "CANDIDATES_EACH", 2)
    current = story(article_factory, "Tram opens", day=10)
    others = [story(article_factory, f"Tram note {n}", day=n, section="sport") for n in range(5)]
    assert candidates(current) == {others[4].pk, others[3].pk}


def test_the_same_section_brings_in_an_older_article(article_factory, monkeypatch):
    monkeypatch.setattr(services, "CANDIDATES_EACH", 1)
    current = story(article_factory, "Tram opens", day=10)
    local = story(article_factory, "Tram history", day=0)
    newest = story(article_factory, "Tram derby", day=5, section="sport")
    assert candidates(current) == {newest.pk, local.pk}


def test_a_shared_tag_brings_in_an_older_article(article_factory, monkeypatch):
    monkeypatch.setattr(services, "CANDIDATES_EACH", 1)
    current = story(article_factory, "Tram opens", day=10, tags=["trams"])
    tagged = story(article_factory, "Tram vote", day=0, section="politics", tags=["trams"])
    story(article_factory, "Tram budget", day=1, section="politics")
    newest = story(article_factory, "Tram derby", day=5, section="sport")
    assert candidates(current) == {newest.pk, tagged.pk}


def test_a_changed_old_article_is_compared_with_its_own_time(article_factory):
    current = story(article_factory, "Tram opens", day=0)
    then = story(article_factory, "Tram tested", day=20)
    story(article_factory, "Tram anniversary", day=400)
    assert candidates(current) == {then.pk}


def test_the_rebuild_gives_every_published_article_its_list(article_factory):
    stories = [story(article_factory, f"Tram note {n}", day=n) for n in range(4)]
    stories[0].unpublish()
    RelatedArticle.objects.all().delete()
    assert compute_all_related() == 3
    assert set(RelatedArticle.objects.values_list("article_id", flat=True)) == {s.pk for s in stories[1:]}


def test_the_rebuild_can_stop_after_the_newest(article_factory):
    stories = [story(article_factory, f"Tram note {n}", day=n) for n in range(3)]
    RelatedArticle.objects.all().delete()
    assert compute_all_related(limit=1) == 1
    assert set(RelatedArticle.objects.values_list("article_id", flat=True)) == {stories[2].pk}


def test_nothing_older_than_the_lookback_is_a_candidate(article_factory):
    current = story(article_factory, "Tram opens", day=200, tags=["trams"])
    recent = story(article_factory, "Tram tested", day=150)
    story(article_factory, "Tram first planned", day=0, tags=["trams"])
    assert candidates(current) == {recent.pk}
