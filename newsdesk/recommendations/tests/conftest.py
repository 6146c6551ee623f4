import pytest


@pytest.fixture(autouse=True)
def _spool_in_tmp(tmp_path, settings):
    """Each test counts into its own spool (and never into a shared Redis)."""
    from newsdesk.core.counters import counter_store

    settings.REDIS_URL = ""
    settings.NEWSDESK_COUNTERS_SPOOL_DIR = tmp_path / "counters"
    counter_store.cache_clear()
    yield
    counter_store.cache_clear()
