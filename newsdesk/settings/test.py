import os
import tempfile
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlsplit

from .base import *  # noqa: F403
from .base import CACHES, DATABASES, REDIS_URL, VAR_DIR

# `make test` runs the suite in several pytest-xdist processes ("gw0", "gw1", …; unset in a
# plain pytest run). Each needs its own copy of whatever a test writes and then clears or
# asserts on; the database is already separate: pytest-django appends "_gw0" … to the test
# database's name, the SQLite file below as much as PostgreSQL's test_<name>.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
_WORKER_SUFFIX = f"-{XDIST_WORKER}" if XDIST_WORKER else ""


def _worker_redis_url(url: str) -> str:
    """The same Redis server, a database number of this worker's own.

    Django's RedisCache.clear() is FLUSHDB, whatever the key prefix: a worker clearing its
    cache would empty the other workers' caches, counters and locks if they shared a database.
    gw0 takes the URL's database + 1, gw1 + 2 … (wrapping at Redis's default 16 databases).
    """
    if not XDIST_WORKER:
        return url
    parts = urlsplit(url)
    base = int(parts.path.strip("/") or 0)
    return parts._replace(path=f"/{(base + 1 + int(XDIST_WORKER.removeprefix('gw'))) % 16}").geturl()


SECRET_KEY = "test-only-key"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
MEDIA_ROOT = VAR_DIR / f"test-media{_WORKER_SUFFIX}"
# Counters that no test fixture redirects (counter_spool) land here, not in the demo's var/counters,
# and a flush in one worker never drains another worker's counts.
NEWSDESK_COUNTERS_SPOOL_DIR = VAR_DIR / f"test-counters{_WORKER_SUFFIX}"
# Exports uploaded in the admin's WordPress import, each worker in a folder of its own.
NEWSDESK_WORDPRESS_UPLOAD_DIR = VAR_DIR / f"test-wordpress{_WORKER_SUFFIX}"
# Tests make their drop folders in pytest's temporary directories.
NEWSDESK_INGEST_FOLDER_ROOTS = [VAR_DIR, Path(tempfile.gettempdir())]
# The Redis server the Redis tests use (counters, page-cache stores, the Redis cache).
NEWSDESK_TEST_REDIS_URL = _worker_redis_url(
    os.environ.get("NEWSDESK_TEST_REDIS_URL") or REDIS_URL or "redis://127.0.0.1:6379/0"
)
if REDIS_URL:
    # The whole suite on Redis (REDIS_URL set): every worker on its own database as well.
    REDIS_URL = _worker_redis_url(REDIS_URL)
    for _cache in CACHES.values():
        cast("dict[str, Any]", _cache)["LOCATION"] = REDIS_URL
WAGTAILADMIN_BASE_URL = "http://localhost"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so threads and the browser tests' live server share it.
    # NEWSDESK_TEST_SQLITE lets two suites run side by side in one checkout.
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("NEWSDESK_TEST_SQLITE", str(VAR_DIR / "test.sqlite3"))}

# Serve static files from the apps (no collectstatic needed outside production).
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Tests render every request (query counts, pages after an edit); the page cache's
# own tests turn it on (newsdesk/core/tests/test_page_cache*.py).
NEWSDESK_PAGE_CACHE = {**NEWSDESK_PAGE_CACHE, "ENABLED": False}  # noqa: F405

# A reader-page block that raises is left out in production (newsdesk/pages/isolation.py); in tests
# it raises, so a broken block fails its test instead of hiding behind a 200. The isolation tests
# switch it off to prove the production behaviour.
NEWSDESK_RAISE_BLOCK_ERRORS = True
