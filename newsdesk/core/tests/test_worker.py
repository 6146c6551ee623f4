"""The job worker against the real database queue (not the tests' immediate backend)."""

import datetime

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from newsdesk.articles.models import ArticlePage

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

pytestmark = pytest.mark.django_db(transaction=True)


@override_settings(TASKS=DB_TASKS)
def test_worker_schedules_and_runs_publishing(article_factory):
    article = article_factory(headline="Overdue")
    ArticlePage.objects.filter(pk=article.pk).update(expire_at=timezone.now() - datetime.timedelta(seconds=1))
    call_command("run_worker", "--batch", verbosity=0)
    # Wagtail queues its own search and reference index updates on the same queue.
    result = DBTaskResult.objects.get(task_path="newsdesk.articles.tasks.publish_scheduled_pages")
    assert result.status == "SUCCESSFUL"
    assert not ArticlePage.objects.get(pk=article.pk).live


@override_settings(TASKS=DB_TASKS)
def test_worker_without_scheduler_only_works_the_queue(article_factory):
    article_factory(headline="Queues index updates")
    assert DBTaskResult.objects.filter(status="READY").exists()
    call_command("run_worker", "--batch", "--no-scheduler", verbosity=0)
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    assert not DBTaskResult.objects.filter(task_path="newsdesk.articles.tasks.publish_scheduled_pages").exists()
