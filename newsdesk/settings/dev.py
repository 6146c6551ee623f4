from .base import *  # noqa: F403
from .base import env

DEBUG = True
INTERNAL_IPS = ["127.0.0.1"]
# DEBUG's tracebacks and URL lists only for requests from this machine; any other address
# gets the plain error pages (newsdesk/core/errors.py, README "The demo").
DEFAULT_EXCEPTION_REPORTER = "newsdesk.core.errors.LoopbackExceptionReporter"
MIDDLEWARE = [*MIDDLEWARE, "newsdesk.core.errors.RemoteErrorPagesMiddleware"]  # noqa: F405
# Mail: the SMTP server named by EMAIL_HOST (scripts/serve_demo.py points the site and the
# worker at its local mail sink unless you set EMAIL_HOST yourself); without one, printed.
if env("EMAIL_HOST"):
    EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
    EMAIL_HOST = env("EMAIL_HOST")
    EMAIL_PORT = int(env("EMAIL_PORT", "25"))
    EMAIL_HOST_USER = env("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env("EMAIL_USE_TLS", "0") == "1"
    DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "newsdesk@localhost")
else:
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

# The demo's webhook receiver on this machine (scripts/serve_demo.py sets "127.0.0.1:<port>"):
# trusted in development only, so the demo webhook reaches it; other settings trust no local host.
DEMO_WEBHOOK_RECEIVER = env("NEWSDESK_DEMO_WEBHOOK_RECEIVER")
if DEMO_WEBHOOK_RECEIVER:
    NEWSDESK_HTTP_TRUSTED_HOSTS = [*NEWSDESK_HTTP_TRUSTED_HOSTS, DEMO_WEBHOOK_RECEIVER.rpartition(":")[0]]  # noqa: F405
    NEWSDESK_HTTP_TRUSTED_HOSTPORTS = [*NEWSDESK_HTTP_TRUSTED_HOSTPORTS, DEMO_WEBHOOK_RECEIVER]  # noqa: F405
