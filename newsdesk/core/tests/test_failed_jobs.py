"""Failed jobs are retried after growing pauses, then parked and shown to Admins (core/jobs.py)."""

import datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from lxml import html

from newsdesk.core import jobs
from newsdesk.core.models import FailedJob
from newsdesk.core.roles import EDITORS
from newsdesk.core.tests import tasks_for_tests

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
DELAYS = [60, 300, 1800]
START = datetime.datetime(2026, 11, 30, 9, 0, tzinfo=datetime.UTC)
RECURRING = "newsdesk.core.tests.tasks_for_tests.fails_while_flagged"

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("db_queue"),
]


@pytest.fixture
def db_queue(settings):
    settings.NEWSDESK_JOB_RETRY_DELAYS = DELAYS
    settings.NEWSDESK_RECURRING_TASKS = {}
    with override_settings(TASKS=DB_TASKS):
        yield
    cache.delete(tasks_for_tests.FAIL_KEY)


def work_queue() -> None:
    call_command("run_worker", "--batch", "--no-scheduler", verbosity=0)


def test_a_failed_job_is_enqueued_again_after_the_first_pause():
    with time_machine.travel(START, tick=False):
        tasks_for_tests.always_fails.enqueue("the CDN")
        work_queue()

    job = FailedJob.objects.get()
    assert (job.attempts, job.parked) == (1, False)
    assert job.next_attempt_at == START + datetime.timedelta(seconds=60)
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after == START + datetime.timedelta(seconds=60)
    assert retry.args_kwargs == {"args": ["the CDN"], "kwargs": {}}
    assert "the service for the CDN is down" in job.error


def test_a_retry_waits_for_its_pause():
    with time_machine.travel(START, tick=False):
        tasks_for_tests.always_fails.enqueue("the CDN")
        work_queue()
    with time_machine.travel(START + datetime.timedelta(seconds=59), tick=False):
        work_queue()

    assert FailedJob.objects.get().attempts == 1
    assert DBTaskResult.objects.filter(status="READY").count() == 1


def test_a_job_that_keeps_failing_is_parked_after_the_last_pause():
    moment = START
    with time_machine.travel(moment, tick=False):
        tasks_for_tests.always_fails.enqueue("the CDN")
        work_queue()
    for delay in DELAYS:
        moment += datetime.timedelta(seconds=delay)
        with time_machine.travel(moment, tick=False):
            work_queue()

    job = FailedJob.objects.get()
    assert (job.attempts, job.parked, job.next_result_id) == (len(DELAYS) + 1, True, "")
    assert not DBTaskResult.objects.filter(status="READY").exists()
    assert DBTaskResult.objects.filter(status="FAILED").count() == len(DELAYS) + 1


def test_a_retry_that_succeeds_clears_the_failure():
    cache.set(tasks_for_tests.FAIL_KEY, True)
    with time_machine.travel(START, tick=False):
        tasks_for_tests.fails_while_flagged.enqueue()
        work_queue()
    assert FailedJob.objects.filter(parked=False).count() == 1

    cache.delete(tasks_for_tests.FAIL_KEY)
    with time_machine.travel(START + datetime.timedelta(seconds=60), tick=False):
        work_queue()

    assert not FailedJob.objects.exists()
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 1


def test_a_recurring_job_is_not_retried_but_counted_until_it_works(settings):
    settings.NEWSDESK_RECURRING_TASKS = {RECURRING: 60}
    cache.set(tasks_for_tests.FAIL_KEY, True)
    for _ in range(3):
        tasks_for_tests.fails_while_flagged.enqueue()
        work_queue()

    job = FailedJob.objects.get()
    assert (job.recurring, job.attempts, job.parked) == (True, 3, False)
    assert not DBTaskResult.objects.filter(status="READY").exists()

    cache.delete(tasks_for_tests.FAIL_KEY)
    tasks_for_tests.fails_while_flagged.enqueue()
    work_queue()
    assert not FailedJob.objects.exists()


def test_with_a_backend_that_cannot_defer_a_failure_is_only_recorded():
    immediate = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with override_settings(TASKS=immediate):
        tasks_for_tests.always_fails.enqueue("the CDN")

    job = FailedJob.objects.get()
    assert (job.attempts, job.parked) == (1, True)
    assert not DBTaskResult.objects.exists()


@pytest.fixture
def parked_job() -> FailedJob:
    moment = START
    with time_machine.travel(moment, tick=False):
        tasks_for_tests.always_fails.enqueue("the <CDN>")
        work_queue()
    for delay in DELAYS:
        moment += datetime.timedelta(seconds=delay)
        with time_machine.travel(moment, tick=False):
            work_queue()
    return FailedJob.objects.get(parked=True)


def test_admins_see_parked_jobs_with_their_error(client, admin_user, parked_job):
    client.force_login(admin_user)

    page = html.fromstring(client.get(reverse("core_failed_jobs")).content)

    rows = page.xpath("//tr[@class='failed-job']")
    assert len(rows) == 1
    assert rows[0].xpath("string(.//code)") == "newsdesk.core.tests.tasks_for_tests.always_fails"
    assert rows[0].xpath("string(.//td[@class='failed-job-state'])").strip() == "Parked"
    assert "the service for the <CDN> is down" in rows[0].xpath("string(.//summary)")


def test_run_again_starts_a_new_chain_of_attempts(client, admin_user, parked_job):
    client.force_login(admin_user)

    response = client.post(reverse("core_failed_job_action", args=[parked_job.pk]), {"action": "run"})

    assert response.status_code == 302
    parked_job.refresh_from_db()
    assert (parked_job.parked, parked_job.attempts) == (False, 0)
    assert DBTaskResult.objects.get(status="READY").id.hex == parked_job.next_result_id.replace("-", "")


def test_dismiss_removes_the_row(client, admin_user, parked_job):
    client.force_login(admin_user)

    client.post(reverse("core_failed_job_action", args=[parked_job.pk]), {"action": "dismiss"})

    assert not FailedJob.objects.exists()


def test_editors_cannot_see_or_touch_failed_jobs(client, parked_job):
    editor = get_user_model().objects.create_user("editor", password="x")
    editor.groups.add(Group.objects.get(name=EDITORS))
    client.force_login(editor)

    # Wagtail answers a refused admin view by sending the user back to the dashboard.
    assert client.get(reverse("core_failed_jobs"))["Location"] == reverse("wagtailadmin_home")
    refused = client.post(reverse("core_failed_job_action", args=[parked_job.pk]), {"action": "run"})
    assert refused["Location"] == reverse("wagtailadmin_home")
    assert FailedJob.objects.get().parked


def test_a_failure_to_record_a_failure_is_logged_not_raised(monkeypatch, caplog):
    def database_gone(result):
        raise RuntimeError("database gone")

    monkeypatch.setattr(jobs, "record_failure", database_gone)

    with time_machine.travel(START, tick=False):
        tasks_for_tests.always_fails.enqueue("the CDN")
        work_queue()

    assert "Could not record the outcome of job newsdesk.core.tests.tasks_for_tests.always_fails" in caplog.text
    assert DBTaskResult.objects.get().status == "FAILED"
