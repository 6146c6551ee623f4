import os

from .base import *  # noqa: F403
from .base import DATABASES, VAR_DIR

SECRET_KEY = "test-only-key"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
MEDIA_ROOT = VAR_DIR / "test-media"
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
