"""Bulk writes collect purges and generation bumps and make each once when their block ends."""

import pytest

from newsdesk.core import fragments, page_cache

pytestmark = pytest.mark.django_db


@pytest.fixture
def file_store(settings, tmp_path):
    settings.NEWSDESK_PAGE_CACHE = {
        **settings.NEWSDESK_PAGE_CACHE,
        "BACKEND": "newsdesk.core.page_cache.FileStore",
        "OPTIONS": {"directory": str(tmp_path / "store")},
    }
    return page_cache.store()


def marker(path):
    return page_cache.store().get_many([page_cache.marker_key(path)]).get(page_cache.marker_key(path))


def site_marker():
    return page_cache.store().get_many([page_cache.SITE_MARKER]).get(page_cache.SITE_MARKER)


def test_paths_purged_inside_the_block_are_marked_only_when_it_ends(file_store):
    with page_cache.purges_deferred():
        page_cache.purge_paths(["/world/"])
        page_cache.purge_paths(["/world/", "/"])
        assert marker("/world/") is None
    assert marker("/world/") is not None
    assert marker("/") is not None


def test_a_hard_purge_inside_stays_hard(file_store):
    with page_cache.purges_deferred():
        page_cache.purge_paths(["/gone/"])
        page_cache.purge_paths(["/gone/"], hard=True)
    assert marker("/gone/").gone_at > 0


def test_a_soft_purge_inside_stays_soft(file_store):
    with page_cache.purges_deferred():
        page_cache.purge_paths(["/kept/"])
    assert marker("/kept/").gone_at == 0


def test_a_whole_site_purge_inside_is_made_once_on_leaving(file_store):
    with page_cache.purges_deferred():
        page_cache.purge_all()
        page_cache.purge_all(hard=True)
        assert site_marker() is None
    assert site_marker().gone_at > 0


def test_purges_are_made_even_when_the_block_fails(file_store):
    with pytest.raises(RuntimeError), page_cache.purges_deferred():
        page_cache.purge_paths(["/half/"])
        raise RuntimeError
    assert marker("/half/") is not None


def test_a_nested_block_joins_the_outer_one(file_store):
    with page_cache.purges_deferred():
        with page_cache.purges_deferred():
            page_cache.purge_paths(["/inner/"])
        assert marker("/inner/") is None
    assert marker("/inner/") is not None


def test_generations_bumped_inside_start_once_on_leaving(file_store, django_capture_on_commit_callbacks):
    lists, articles = fragments.generations(fragments.LISTS, fragments.ARTICLES)
    with django_capture_on_commit_callbacks(execute=True), fragments.bumps_deferred():
        fragments.bump(fragments.LISTS)
        fragments.bump(fragments.LISTS)
        assert fragments.generation(fragments.LISTS) == lists
    assert fragments.generation(fragments.LISTS) != lists
    assert fragments.generation(fragments.ARTICLES) == articles
