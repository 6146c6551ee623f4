import datetime

import pytest
from django.utils import timezone

from newsdesk.articles.models import ArticlePage
from newsdesk.articles.tasks import publish_scheduled_pages

pytestmark = pytest.mark.django_db


def test_scheduled_article_goes_live_when_the_job_runs_after_its_time(
    client, article_factory, frozen_now, time_machine
):
    # The clock stands still until the test moves it: a minute ahead stays ahead, however
    # slow the machine is between the import and the first run of the job.
    article = article_factory(headline="Timed story", published_at=frozen_now + datetime.timedelta(minutes=1))
    publish_scheduled_pages.enqueue()
    assert not ArticlePage.objects.get(pk=article.pk).live
    time_machine.shift(datetime.timedelta(minutes=2))
    publish_scheduled_pages.enqueue()
    article.refresh_from_db()
    assert article.live
    assert "Timed story" in client.get("/").content.decode()


def test_expired_article_is_unpublished_by_the_job(article_factory):
    article = article_factory(headline="Old offer")
    ArticlePage.objects.filter(pk=article.pk).update(expire_at=timezone.now() - datetime.timedelta(seconds=1))
    publish_scheduled_pages.enqueue()
    article.refresh_from_db()
    assert not article.live
    assert article.expired


def test_one_run_publishes_what_is_due_and_unpublishes_what_expired(article_factory, frozen_now, time_machine):
    due = article_factory(headline="Due", published_at=frozen_now + datetime.timedelta(minutes=1))
    article_factory(headline="Later", published_at=frozen_now + datetime.timedelta(days=1))
    expiring = article_factory(headline="Expiring")
    ArticlePage.objects.filter(pk=expiring.pk).update(expire_at=frozen_now + datetime.timedelta(minutes=1))
    time_machine.shift(datetime.timedelta(minutes=2))
    publish_scheduled_pages.enqueue()
    live = dict(ArticlePage.objects.values_list("title", "live"))
    assert live == {"Due": True, "Later": False, "Expiring": False}
    assert [a.pk for a in ArticlePage.objects.published()] == [due.pk]
