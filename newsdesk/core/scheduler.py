"""Enqueues recurring jobs (settings.NEWSDESK_RECURRING_TASKS) at their intervals.

A small loop beside the task worker instead of a cron entry: one process to run,
and the same on every machine. Only one scheduler should run per site.
"""

import logging
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.db import close_old_connections
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class RecurringScheduler:
    def __init__(self, jobs: dict[str, int], *, clock: Callable[[], float] = time.monotonic) -> None:
        self.jobs = {path: max(1, int(seconds)) for path, seconds in jobs.items()}
        self.clock = clock
        self.next_run = dict.fromkeys(self.jobs, 0.0)

    def due(self) -> list[str]:
        now = self.clock()
        ready = [path for path, at in self.next_run.items() if at <= now]
        for path in ready:
            self.next_run[path] = now + self.jobs[path]
        return ready

    def tick(self) -> list[str]:
        ran = []
        for path in self.due():
            try:
                import_string(path).enqueue()
                ran.append(path)
            except Exception:  # a failing enqueue must not stop the other jobs
                logger.exception("Could not enqueue recurring job %s", path)
            finally:
                close_old_connections()
        return ran

    def run_forever(self, stop: threading.Event, *, poll_seconds: float = 1.0) -> None:
        while not stop.is_set():
            self.tick()
            stop.wait(poll_seconds)


def default_scheduler() -> RecurringScheduler:
    return RecurringScheduler(settings.NEWSDESK_RECURRING_TASKS)
