"""The demo's corrections: one correction and one clarification, added once however often the demo runs."""

import io

import pytest

from newsdesk.articles.demo import add_demo_corrections
from newsdesk.articles.models import ArticlePage, Correction

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_stories(article_factory):
    stories = [article_factory(headline=f"Demo story {n}") for n in range(4)]
    for n, story in enumerate(stories):
        ArticlePage.objects.filter(pk=story.pk).update(external_id=f"demo-local-{n}")
    return stories


def test_demo_adds_one_correction_and_one_clarification(demo_stories):
    add_demo_corrections(io.StringIO())
    kinds = sorted(Correction.objects.values_list("kind", flat=True))
    assert kinds == ["clarification", "correction"]
    assert Correction.objects.values("article").distinct().count() == 2


def test_demo_run_twice_adds_nothing_twice(demo_stories):
    add_demo_corrections(io.StringIO())
    add_demo_corrections(io.StringIO())
    assert Correction.objects.count() == 2
