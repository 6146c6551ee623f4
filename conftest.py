"""Fixtures shared by every test package."""

import datetime
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.core.cache import caches
from django.db import connection, connections
from django.utils import timezone
from taggit.models import Tag

from newsdesk.articles.factories import create_article, make_image, newsroom_with_sections, publication_clock
from newsdesk.articles.models import ArticlePage, Author, SectionPage


@pytest.fixture(autouse=True)
def _clear_caches() -> None:
    for alias in ("default", "renditions", "kept"):
        caches[alias].clear()


@pytest.fixture(autouse=True)
def _fresh_publication_clock() -> None:
    """Each test's factory articles are dated just before its first one is made, newest first in making order.

    A grid shared by the whole run would drift hours into the past over a long run
    and would not follow a test that travels in time before making articles.
    """
    publication_clock.reset()


@dataclass
class SlowClock:
    """What `slow_clock` did: the step each read of the clock added, and how many reads there were."""

    step: datetime.timedelta
    reads: int = 0


@pytest.fixture
def slow_clock(time_machine: Any, monkeypatch: pytest.MonkeyPatch) -> SlowClock:
    """A heavily loaded machine, reproducibly: every read of `timezone.now()` finds it a minute later.

    On a busy box time moves on between any two reads of the clock, by an amount
    that depends on the load; code that dates things from separate reads (as the
    article factory once did: "now minus n seconds" per article) then puts them in
    an order that depends on the machine. Here each read moves the clock a fixed
    minute, far more than any load adds, so such code fails every time instead of
    now and then. time-machine moves every clock (`time.time()`, `datetime.now()`)
    with it, and it still ticks between reads, so waits with deadlines still end.

    Request it before the fixtures that make the data, or through `clock_speed`.
    """
    clock = SlowClock(step=datetime.timedelta(minutes=1))
    time_machine.move_to(timezone.now(), tick=True)
    read = timezone.now

    def slow_now() -> datetime.datetime:
        clock.reads += 1
        time_machine.shift(clock.step)
        return read()

    monkeypatch.setattr(timezone, "now", slow_now)
    return clock


@pytest.fixture
def frozen_now(time_machine: Any) -> datetime.datetime:
    """Stop every clock at the real now for the rest of the test; returns that moment.

    For tests of time windows (flood control, the minimum time to fill a form, a
    report of "today"): all they do then happens at one instant, so a slow machine
    cannot carry a step past a window's edge or past midnight. Monotonic clocks
    (deadlines, timeouts) keep running.
    """
    moment = timezone.now()
    time_machine.move_to(moment, tick=False)
    return moment


@pytest.fixture(params=["real clock", "slow clock"])
def clock_speed(request: pytest.FixtureRequest) -> SlowClock | None:
    """Run a test twice: on the real clock, and on `slow_clock`, to show its result does not depend on the machine.

    Use it as `@pytest.mark.usefixtures("clock_speed")`: fixtures named there are set
    up before the test's own arguments, so the slow clock is on before any data is made.
    """
    if request.param == "slow clock":
        return request.getfixturevalue("slow_clock")
    return None


@pytest.fixture
def counter_spool(tmp_path: Path, settings: Any) -> Iterator[Path]:
    """Counters (views, ad impressions and clicks) go to a spool of this test's own, never a shared Redis."""
    from newsdesk.core.counters import counter_store

    settings.REDIS_URL = ""
    settings.NEWSDESK_COUNTERS_SPOOL_DIR = tmp_path / "counters"
    counter_store.cache_clear()
    yield settings.NEWSDESK_COUNTERS_SPOOL_DIR
    counter_store.cache_clear()


@pytest.fixture
def sections(db: None) -> dict[str, SectionPage]:
    return newsroom_with_sections()


@pytest.fixture
def article_factory(sections: dict[str, SectionPage], tmp_path: Path) -> Callable[..., ArticlePage]:
    def make(*, with_image: bool = False, **overrides: Any) -> ArticlePage:
        if with_image:
            picture = make_image(
                tmp_path / f"lead-{len(list(tmp_path.iterdir()))}.jpg", seed=7, colour=(20, 60, 120), size=(640, 360)
            )
            overrides.setdefault("image", {"path": picture.name, "caption": "A test picture", "credit": "Tests"})
        return create_article(base_dir=tmp_path, **overrides)

    return make


@pytest.fixture
def hostile_story(article_factory: Callable[..., ArticlePage]) -> Callable[[str], ArticlePage]:
    """An article whose headline, standfirst, section, author and tag names are all `text`.

    Written past the admin's form cleaning, as an old import or a database edit could have
    stored it, so the output side (feeds, sitemaps) has to cope on its own.
    """

    def make(text: str) -> ArticlePage:
        if connection.vendor == "postgresql":
            # PostgreSQL refuses NUL in text columns outright, so only SQLite can hold one.
            text = text.replace("\x00", "")
        story = article_factory(headline="Calm", section="local", authors=["Jonas Falk"], tags=["housing"])
        ArticlePage.objects.filter(pk=story.pk).update(title=text, standfirst=text)
        SectionPage.objects.filter(slug="local").update(title=text)
        Author.objects.filter(slug="jonas-falk").update(name=text)
        Tag.objects.filter(slug="housing").update(name=text)
        return story

    return make


@pytest.fixture
def soup() -> Callable[[Any], BeautifulSoup]:
    """Parse a response's HTML, so tests assert on elements rather than strings."""
    return lambda response: BeautifulSoup(response.content, "html.parser")


# Threads that touch the database each open a connection of their own. Two test processes
# run side by side in CI against a PostgreSQL allowing 100 clients, so a pool stays well
# under half of that and every thread closes what it opened before it ends (a dead
# thread's connection otherwise lingers until garbage collection).
CONCURRENT_THREADS = 12


@pytest.fixture
def at_once() -> Callable[[Callable[[int], Any], int], list[Any]]:
    def run(task: Callable[[int], Any], times: int) -> list[Any]:
        def closing(number: int) -> Any:
            try:
                return task(number)
            finally:
                connections.close_all()

        with ThreadPoolExecutor(max_workers=CONCURRENT_THREADS) as pool:
            return list(pool.map(closing, range(times)))

    return run
