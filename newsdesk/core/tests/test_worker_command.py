"""`run_worker` without a database queue: which worker it starts, and that its scheduler stops with it."""

import threading
from types import SimpleNamespace

import pytest

from newsdesk.core.management.commands import run_worker


class FakeScheduler:
    def __init__(self):
        self.ticks = 0
        self.stop = None

    def tick(self):
        self.ticks += 1
        return []

    def run_forever(self, stop):
        self.stop = stop


class StartsAtOnce:
    """A thread that runs its target when started, so the test knows it ran before the worker."""

    def __init__(self, target, args, daemon):
        assert daemon  # a scheduler thread must never keep the process alive
        self.target, self.args = target, args

    def start(self):
        self.target(*self.args)


@pytest.fixture
def worker(monkeypatch):
    scheduler = FakeScheduler()
    calls = []

    def call_command(name, **options):
        # While the worker runs, the scheduler has not been told to stop.
        assert scheduler.stop is None or not scheduler.stop.is_set()
        calls.append((name, options))

    monkeypatch.setattr(run_worker, "threading", SimpleNamespace(Event=threading.Event, Thread=StartsAtOnce))
    monkeypatch.setattr(run_worker, "default_scheduler", lambda: scheduler)
    monkeypatch.setattr(run_worker, "call_command", call_command)
    return scheduler, calls


def run(*args):
    from django.core.management import call_command

    call_command("run_worker", *args, verbosity=0)


def test_the_long_running_worker_works_every_queue_and_stops_its_scheduler(worker):
    scheduler, calls = worker
    run()
    assert calls == [("db_worker", {"queue_name": "*", "reload": False, "interval": 1, "verbosity": 0})]
    assert scheduler.stop.is_set()
    assert scheduler.ticks == 0


def test_without_the_scheduler_no_thread_is_started(worker):
    scheduler, calls = worker
    run("--no-scheduler")
    assert scheduler.stop is None
    assert [name for name, _options in calls] == ["db_worker"]


def test_a_batch_ticks_once_then_works_the_queue_empty(worker):
    scheduler, calls = worker
    run("--batch")
    assert scheduler.ticks == 1
    assert calls[0][1]["batch"] is True
    assert scheduler.stop is None


def test_the_scheduler_stops_even_when_the_worker_fails(worker, monkeypatch):
    scheduler, _calls = worker

    def failing(name, **options):
        raise RuntimeError("queue gone")

    monkeypatch.setattr(run_worker, "call_command", failing)
    with pytest.raises(RuntimeError):
        run()
    assert scheduler.stop.is_set()
