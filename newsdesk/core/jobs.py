"""Failed jobs: retried with growing pauses, then parked for an Admin (Reports → Failed jobs).

django-tasks records a failure and stops there. A comment e-mail that met a refusing SMTP server,
or a purge that met a CDN outage, should be tried again later, not lost, and a job that keeps
failing must not be retried for ever, hammering what is already broken. So, when a job fails:

- a one-off job is enqueued again after each pause of NEWSDESK_JOB_RETRY_DELAYS (seconds; the
  pauses grow, so an outage of an hour costs a handful of attempts), then parked: it stays in
  the Failed jobs report with its error until an Admin runs it again or dismisses it;
- a recurring job (NEWSDESK_RECURRING_TASKS) is not retried here, since the scheduler runs it
  again at its interval; the report shows how many runs in a row failed.

A job that succeeds again removes its row. Retries need a backend that can defer work (the
database backend the worker runs); with another backend a failure is only recorded.
"""

import datetime
import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import TaskResult, TaskResultStatus
from django_tasks.base import Task

from .models import FailedJob

logger = logging.getLogger(__name__)


def retry_delays() -> list[int]:
    return [max(1, int(seconds)) for seconds in settings.NEWSDESK_JOB_RETRY_DELAYS]


def _is_recurring(task_path: str) -> bool:
    return task_path in settings.NEWSDESK_RECURRING_TASKS


def _last_error(result: TaskResult[Any]) -> tuple[str, str]:
    if not result.errors:
        return "", ""
    error = result.errors[-1]
    last_line = error.traceback.strip().splitlines()[-1] if error.traceback.strip() else error.exception_class_path
    return last_line[:1000], error.traceback


def _enqueue_retry(task: Task[Any, Any], result: TaskResult[Any], delay: int) -> TaskResult[Any]:
    run_after = timezone.now() + datetime.timedelta(seconds=delay)
    return task.using(run_after=run_after).enqueue(*result.args, **result.kwargs)


@transaction.atomic
def record_failure(result: TaskResult[Any]) -> FailedJob:
    """Count a failed run and decide: retry later, or park."""
    task = result.task
    path = task.module_path
    now = timezone.now()
    error, trace = _last_error(result)
    recurring = _is_recurring(path)
    if recurring:
        chain = FailedJob.objects.filter(task_path=path, recurring=True).first()
    else:
        chain = FailedJob.objects.filter(next_result_id=str(result.id)).first()
    if chain is None:
        chain = FailedJob(
            task_path=path,
            arguments={"args": list(result.args), "kwargs": dict(result.kwargs)},
            recurring=recurring,
            attempts=0,
            first_failed_at=now,
        )
    chain.attempts += 1
    chain.last_result_id = str(result.id)
    chain.last_failed_at = now
    chain.error, chain.traceback = error, trace
    delays = retry_delays()
    if not recurring and chain.attempts <= len(delays) and task.get_backend().supports_defer:
        delay = delays[chain.attempts - 1]
        retry = _enqueue_retry(task, result, delay)
        chain.next_result_id = str(retry.id)
        chain.next_attempt_at = now + datetime.timedelta(seconds=delay)
        chain.parked = False
        logger.warning("Job %s failed (attempt %s): %s; retrying in %ss", path, chain.attempts, error, delay)
    else:
        chain.next_result_id = ""
        chain.next_attempt_at = None
        chain.parked = not recurring
        log = logger.error if chain.parked else logger.warning
        log("Job %s failed (%s in a row): %s%s", path, chain.attempts, error, "; parked" if chain.parked else "")
    chain.save()
    return chain


def record_success(result: TaskResult[Any]) -> None:
    """A retry or a recurring run that worked: its failure record is history."""
    path = result.task.module_path
    if _is_recurring(path):
        FailedJob.objects.filter(task_path=path, recurring=True).delete()
    else:
        FailedJob.objects.filter(next_result_id=str(result.id)).delete()


def on_task_finished(sender: object, task_result: TaskResult[Any], **kwargs: object) -> None:
    # Bookkeeping must never turn into a failure of its own: the backend sends this signal
    # from inside enqueue (immediate backend) or the worker loop, and an exception here
    # (the database itself gone, say) would break the caller, not the job. Log it instead.
    try:
        if task_result.status == TaskResultStatus.FAILED:
            record_failure(task_result)
        elif task_result.status == TaskResultStatus.SUCCESSFUL:
            record_success(task_result)
    except Exception:
        logger.exception("Could not record the outcome of job %s (%s)", task_result.task.module_path, task_result.id)


def run_again(job: FailedJob) -> FailedJob:
    """An Admin's "Run again": a fresh chain of attempts, starting now."""
    task = import_string(job.task_path)
    arguments = job.arguments or {}
    retry = task.enqueue(*arguments.get("args", []), **arguments.get("kwargs", {}))
    job.next_result_id = str(retry.id)
    job.next_attempt_at = timezone.now()
    job.parked = False
    job.attempts = 0
    job.save(update_fields=["next_result_id", "next_attempt_at", "parked", "attempts"])
    return job
