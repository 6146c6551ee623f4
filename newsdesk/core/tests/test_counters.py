import threading
import uuid

import pytest
from django.conf import settings

from newsdesk.core.counters import RedisCounterStore, SpoolCounterStore


@pytest.fixture(params=["spool", "redis"])
def store(request, tmp_path):
    if request.param == "spool":
        return SpoolCounterStore(tmp_path / "counters")
    return RedisCounterStore(settings.NEWSDESK_TEST_REDIS_URL, prefix=f"test-counters-{uuid.uuid4().hex}")


def test_drain_returns_the_totals_per_member(store):
    store.incr("views", "1:2026112801")
    store.incr("views", "1:2026112801", 2)
    store.incr("views", "2:2026112801")
    with store.drain("views") as totals:
        assert totals == {"1:2026112801": 3, "2:2026112801": 1}


def test_a_drained_counter_starts_again_from_zero(store):
    store.incr("views", "7:x")
    with store.drain("views"):
        pass
    with store.drain("views") as totals:
        assert totals == {}


def test_totals_survive_a_failed_drain(store):
    store.incr("views", "7:x", 5)
    with pytest.raises(RuntimeError), store.drain("views"):
        raise RuntimeError("the database went away")
    store.incr("views", "7:x")
    with store.drain("views") as first:
        pass
    with store.drain("views") as second:
        pass
    assert first.get("7:x", 0) + second.get("7:x", 0) == 6


def test_no_count_is_lost_while_writers_race_a_drain(store):
    writers, per_writer = 8, 300
    drained: list[int] = []
    done = threading.Event()

    def write() -> None:
        for _ in range(per_writer):
            store.incr("views", "42:h")

    def drain_repeatedly() -> None:
        while not done.is_set():
            with store.drain("views") as totals:
                drained.append(totals.get("42:h", 0))

    drainer = threading.Thread(target=drain_repeatedly)
    drainer.start()
    threads = [threading.Thread(target=write) for _ in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    done.set()
    drainer.join()
    with store.drain("views") as rest:
        drained.append(rest.get("42:h", 0))
    assert sum(drained) == writers * per_writer


def test_spool_members_cannot_smuggle_new_lines(tmp_path):
    with pytest.raises(ValueError):
        SpoolCounterStore(tmp_path).incr("views", "1:h\n999:h")


def test_a_drain_while_another_is_under_way_takes_nothing(store):
    # Two flush jobs overlapping: the second must not take (and write) what the first took.
    store.incr("views", "7:x", 3)
    with store.drain("views") as first, store.drain("views") as second:
        assert (first, second) == ({"7:x": 3}, {})
    with store.drain("views") as after:
        assert after == {}


def test_draining_one_counter_does_not_hold_back_another(store):
    # The ad flush drains impressions and clicks together.
    store.incr("ad-impressions", "1:d", 2)
    store.incr("ad-clicks", "1:d")
    with store.drain("ad-impressions") as impressions, store.drain("ad-clicks") as clicks:
        assert (impressions, clicks) == ({"1:d": 2}, {"1:d": 1})


def test_counts_spooled_on_a_server_without_the_worker_reach_the_flush(tmp_path):
    """An app server spools while Redis is away; once Redis answers, the flush on the worker's machine gets them."""
    prefix = f"test-counters-{uuid.uuid4().hex}"
    url = settings.NEWSDESK_TEST_REDIS_URL
    # Nothing listens on port 1: connection refused, as while Redis restarts.
    during_outage = RedisCounterStore(
        "redis://127.0.0.1:1/0", prefix=prefix, fallback=SpoolCounterStore(tmp_path / "b")
    )
    during_outage.incr("views", "7:x", 2)
    assert (tmp_path / "b" / "views.log").exists()
    RedisCounterStore(url, prefix=prefix, fallback=SpoolCounterStore(tmp_path / "b")).incr("views", "7:x")
    on_the_worker_machine = RedisCounterStore(url, prefix=prefix, fallback=SpoolCounterStore(tmp_path / "a"))
    with on_the_worker_machine.drain("views") as totals:
        assert totals == {"7:x": 3}
    assert SpoolCounterStore(tmp_path / "b").spooled() == set()
