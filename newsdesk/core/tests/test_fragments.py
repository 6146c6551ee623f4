"""Generations of kept page parts, and the `{% cachedpart %}` tag that keeps them."""

import pytest
from django.core.cache import caches
from django.template import Context, Template, TemplateSyntaxError

from newsdesk.core import fragments, page_cache


@pytest.fixture
def file_store(settings, tmp_path):
    """The page cache's store in files, apart from Django's cache, as in production without Redis."""
    settings.NEWSDESK_PAGE_CACHE = {
        **settings.NEWSDESK_PAGE_CACHE,
        "BACKEND": "newsdesk.core.page_cache.FileStore",
        "OPTIONS": {"directory": str(tmp_path / "store")},
    }
    return page_cache.store()


def test_missing_generations_all_start_at_one_number(file_store):
    lists, articles = fragments.generations(fragments.LISTS, fragments.ARTICLES)
    assert lists == articles
    assert fragments.generations(fragments.LISTS, fragments.ARTICLES) == (lists, articles)


def test_a_started_generation_is_kept_when_another_one_starts(file_store):
    lists = fragments.generation(fragments.LISTS)
    assert fragments.generations(fragments.LISTS, "other")[0] == lists


@pytest.mark.django_db
def test_bumping_one_generation_leaves_the_other(file_store, django_capture_on_commit_callbacks):
    lists, articles = fragments.generations(fragments.LISTS, fragments.ARTICLES)
    with django_capture_on_commit_callbacks(execute=True):
        fragments.bump(fragments.ARTICLES)
    assert fragments.generation(fragments.LISTS) == lists
    assert fragments.generation(fragments.ARTICLES) != articles


@pytest.mark.django_db
@pytest.mark.time_machine("2026-05-20T10:00:00+00:00", tick=False)
def test_a_bump_starts_a_new_generation_while_the_clock_stands_still(file_store):
    before = fragments.generation(fragments.ARTICLES)
    fragments.bump(fragments.ARTICLES)
    assert fragments.generation(fragments.ARTICLES) != before


def test_generations_live_in_the_page_cache_store_not_in_djangos_cache(file_store):
    before = fragments.generation(fragments.LISTS)
    caches["default"].clear()
    assert fragments.generation(fragments.LISTS) == before
    # Another process reading the same directory sees the same number.
    other = page_cache.FileStore(file_store.directory)
    assert str(other.get_many(["fragments-generation-lists"])["fragments-generation-lists"]) == before


def test_generations_cost_one_read_of_the_store(file_store, monkeypatch):
    fragments.generations(fragments.LISTS, fragments.ARTICLES)
    reads = []
    real = file_store.get_many

    def counted_get_many(keys):
        reads.append(keys)
        return real(keys)

    monkeypatch.setattr(file_store, "get_many", counted_get_many)
    fragments.generations(fragments.LISTS, fragments.ARTICLES)
    assert len(reads) == 1


def counted(store, monkeypatch):
    """The key lists of each read of the store that asked for a generation."""
    reads = []
    real = store.get_many

    def counted_get_many(keys):
        if any(key.startswith("fragments-generation-") for key in keys):
            reads.append(keys)
        return real(keys)

    monkeypatch.setattr(store, "get_many", counted_get_many)
    return reads


def test_in_a_request_each_generation_is_read_from_the_store_once(file_store, monkeypatch):
    reads = counted(file_store, monkeypatch)
    with fragments.read_once():
        first = fragments.generations(fragments.LISTS, fragments.ARTICLES)
        assert fragments.generation(fragments.ARTICLES) == first[1]
        assert fragments.generations(fragments.ARTICLES, fragments.LISTS) == (first[1], first[0])
    assert len(reads) == 1


def test_a_request_reads_the_names_the_process_asked_for_before_at_once(file_store, monkeypatch):
    with fragments.read_once():
        fragments.generations(fragments.LISTS, "breaking-test")
    reads = counted(file_store, monkeypatch)
    with fragments.read_once():
        fragments.generation(fragments.LISTS)
        fragments.generation("breaking-test")
    assert len(reads) == 1 and {"fragments-generation-lists", "fragments-generation-breaking-test"} <= set(reads[0])


def test_a_change_from_another_process_is_seen_by_the_next_request_not_this_one(file_store):
    other = page_cache.FileStore(file_store.directory)
    with fragments.read_once():
        before = fragments.generation(fragments.LISTS)
        other.set("fragments-generation-lists", "999", 60)
        assert fragments.generation(fragments.LISTS) == before
    assert fragments.generation(fragments.LISTS) == "999"
    with fragments.read_once():
        assert fragments.generation(fragments.LISTS) == "999"


def test_a_request_reading_a_new_name_keeps_the_numbers_it_read_before(file_store):
    other = page_cache.FileStore(file_store.directory)
    with fragments.read_once():
        before = fragments.generation(fragments.LISTS)
        other.set("fragments-generation-lists", "999", 60)
        assert fragments.generations("first-asked-now", fragments.LISTS)[1] == before


@pytest.mark.django_db
def test_a_bump_in_a_request_is_read_at_once(file_store):
    with fragments.read_once():
        before = fragments.generation(fragments.LISTS)
        fragments.bump(fragments.LISTS)
        assert fragments.generation(fragments.LISTS) != before


@pytest.mark.django_db
def test_a_rendered_article_reads_the_generations_once(file_store, monkeypatch, client, article_factory, settings):
    settings.NEWSDESK_PAGE_CACHE = {**settings.NEWSDESK_PAGE_CACHE, "ENABLED": False}
    url = article_factory(headline="Ferry back on the lake").url
    assert client.get(url).status_code == 200
    reads = counted(page_cache.store(), monkeypatch)
    assert client.get(url).status_code == 200
    assert len(reads) == 1


def test_cachedpart_needs_a_key():
    with pytest.raises(TemplateSyntaxError, match="at least one key part"):
        Template("{% load fragment_tags %}{% cachedpart %}x{% endcachedpart %}")


def test_cachedpart_keys_on_exactly_the_parts_given():
    template = Template("{% load fragment_tags %}{% cachedpart key part %}{{ n }}{% endcachedpart %}")
    assert template.render(Context({"key": "k1", "part": "head", "n": 1})) == "1"
    assert template.render(Context({"key": "k1", "part": "body", "n": 2})) == "2"
    assert template.render(Context({"key": "k1", "part": "head", "n": 3})) == "1"
    assert fragments.kept().get("part:k1:head") == "1"


def test_a_kept_part_is_not_escaped_twice():
    template = Template("{% load fragment_tags %}{% cachedpart 'k2' %}{{ text }}{% endcachedpart %}")
    assert template.render(Context({"text": "<b>"})) == "&lt;b&gt;"
    assert template.render(Context({"text": "other"})) == "&lt;b&gt;"


def test_once_per_request_reads_once_inside_a_request():
    reads: list[int] = []

    def read() -> int:
        reads.append(1)
        return len(reads)

    with fragments.read_once():
        assert fragments.once_per_request("n", read) == 1
        assert fragments.once_per_request("n", read) == 1
    assert reads == [1]


def test_once_per_request_reads_every_time_outside_a_request():
    reads = []
    fragments.once_per_request("n", lambda: reads.append(1))
    fragments.once_per_request("n", lambda: reads.append(1))
    assert reads == [1, 1]


def test_the_next_request_reads_again():
    reads = []
    for _ in range(2):
        with fragments.read_once():
            fragments.once_per_request("n", lambda: reads.append(1))
    assert reads == [1, 1]


def test_a_value_forgotten_in_the_request_is_read_afresh():
    answers = iter(["old", "new"])
    with fragments.read_once():
        assert fragments.once_per_request("n", lambda: next(answers)) == "old"
        fragments.forget_in_request("n")
        assert fragments.once_per_request("n", lambda: next(answers)) == "new"
