from .base import *  # noqa: F403

DEBUG = True
INTERNAL_IPS = ["127.0.0.1"]
# DEBUG's tracebacks and URL lists only for requests from this machine; any other address
# gets the plain error pages (newsdesk/core/errors.py, README "The demo").
DEFAULT_EXCEPTION_REPORTER = "newsdesk.core.errors.LoopbackExceptionReporter"
MIDDLEWARE = [*MIDDLEWARE, "newsdesk.core.errors.RemoteErrorPagesMiddleware"]  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Serve static files from the apps (no collectstatic needed outside production).
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# The demo runs the site and the job worker as two processes: page-cache copies live in
# files (as in production without Redis) so the worker's purges, e.g. after a scheduled
# publish, reach the site's cache too.
if not REDIS_URL:  # noqa: F405
    NEWSDESK_PAGE_CACHE = {
        **NEWSDESK_PAGE_CACHE,  # noqa: F405
        "BACKEND": "newsdesk.core.page_cache.FileStore",
        "OPTIONS": {"directory": str(VAR_DIR / "page-cache")},  # noqa: F405
    }
