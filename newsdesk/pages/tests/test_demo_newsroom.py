"""`manage.py demo_newsroom`: a whole newsroom from every app's factories, loaded once."""

import tempfile
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from newsdesk.ads.models import Campaign
from newsdesk.articles.factories import SECTIONS
from newsdesk.articles.models import ArticlePage
from newsdesk.comments.models import Comment
from newsdesk.pages.management.commands.demo_newsroom import ARTICLES_PER_SECTION, DEMO_PASSWORD
from newsdesk.recommendations.models import MustReadPick, RelatedArticle

pytestmark = pytest.mark.django_db


def load():
    out = StringIO()
    call_command("demo_newsroom", stdout=out)
    return out.getvalue()


def test_the_demo_loads_once_and_a_second_run_changes_nothing(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    first = load()
    # The sections' articles; the apps' own demo parts (the desk's scheduled story and draft, live coverage) add more.
    sectioned = ArticlePage.objects.filter(
        external_id__in=[f"demo-{slug}-{i}" for slug, *_ in SECTIONS for i in range(ARTICLES_PER_SECTION)]
    )
    # The generated pictures were imported into media; their scratch copies are gone.
    assert list(scratch.iterdir()) == []
    articles = list(sectioned.order_by("external_id").values_list("external_id", "title"))
    assert len(articles) == len(SECTIONS) * ARTICLES_PER_SECTION
    every_article = ArticlePage.objects.count()
    assert f"Loaded {len(articles)} articles" in first
    assert Comment.objects.filter(status=Comment.Status.PENDING).count() == 1
    assert MustReadPick.objects.count() == 3
    assert RelatedArticle.objects.exists()
    assert Campaign.objects.count() == 2

    second = load()
    assert "Demo newsroom already loaded." in second
    assert list(sectioned.order_by("external_id").values_list("external_id", "title")) == articles
    assert ArticlePage.objects.count() == every_article
    users = get_user_model().objects.order_by("username")
    assert list(users.values_list("username", flat=True)) == ["admin", "editor", "editor2", "writer"]
    assert all(user.check_password(DEMO_PASSWORD) for user in users)
    assert list(users.get(username="writer").groups.values_list("name", flat=True)) == ["Writers"]
