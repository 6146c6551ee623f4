import pytest

from newsdesk.core.scheduler import RecurringScheduler


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_every_job_is_due_at_start_then_at_its_interval():
    clock = Clock()
    scheduler = RecurringScheduler({"a": 60, "b": 900}, clock=clock)
    assert scheduler.due() == ["a", "b"]
    clock.now += 59
    assert scheduler.due() == []
    clock.now += 1
    assert scheduler.due() == ["a"]
    clock.now += 840
    assert scheduler.due() == ["a", "b"]


@pytest.mark.django_db
def test_tick_enqueues_the_task(monkeypatch):
    calls = []
    monkeypatch.setattr("newsdesk.articles.tasks.call_command", lambda *a, **k: calls.append(a))
    scheduler = RecurringScheduler({"newsdesk.articles.tasks.publish_scheduled_pages": 60}, clock=Clock())
    assert scheduler.tick() == ["newsdesk.articles.tasks.publish_scheduled_pages"]
    assert calls == [("publish_scheduled",)]


@pytest.mark.django_db
def test_a_broken_job_does_not_stop_the_others(caplog):
    scheduler = RecurringScheduler(
        {"no.such.task": 60, "newsdesk.articles.tasks.publish_scheduled_pages": 60}, clock=Clock()
    )
    assert scheduler.tick() == ["newsdesk.articles.tasks.publish_scheduled_pages"]
    assert "no.such.task" in caplog.text


def test_intervals_under_a_second_are_raised_to_one():
    clock = Clock()
    scheduler = RecurringScheduler({"a": 0}, clock=clock)
    assert scheduler.due() == ["a"]
    assert scheduler.due() == []
    clock.now += 1
    assert scheduler.due() == ["a"]


def test_the_loop_ticks_until_it_is_stopped(monkeypatch):
    import threading

    ticks: list[int] = []

    class StopAfterTwo(threading.Event):
        def wait(self, timeout=None):
            if len(ticks) == 2:
                self.set()
            return self.is_set()

    scheduler = RecurringScheduler({}, clock=Clock())

    def tick() -> list[str]:
        ticks.append(1)
        return []

    monkeypatch.setattr(scheduler, "tick", tick)
    scheduler.run_forever(StopAfterTwo(), poll_seconds=0)
    assert len(ticks) == 2


def test_the_default_scheduler_runs_the_configured_jobs(settings):
    from newsdesk.core.scheduler import default_scheduler

    settings.NEWSDESK_RECURRING_TASKS = {"newsdesk.articles.tasks.publish_scheduled_pages": 60}
    assert default_scheduler().jobs == {"newsdesk.articles.tasks.publish_scheduled_pages": 60}
