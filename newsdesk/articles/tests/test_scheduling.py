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
