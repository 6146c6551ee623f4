"""Production: refuses to start without SECRET_KEY and ALLOWED_HOSTS."""

from .base import *  # noqa: F403
from .base import NEWSDESK_PAGE_CACHE, REDIS_URL, VAR_DIR, env, env_list, env_required

SECRET_KEY = env_required("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    env_required("ALLOWED_HOSTS")
DEBUG = False

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# HTTPS everywhere; a proxy in front terminates TLS and says so in X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env("NEWSDESK_SSL_REDIRECT", "1") == "1"
# HSTS for a year, subdomains included, ready for the browsers' preload list (hstspreload.org
# asks for all three). A first deploy may start lower and step up (docs/deploy.md, "HTTPS").
SECURE_HSTS_SECONDS = int(env("NEWSDESK_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env("NEWSDESK_HSTS_INCLUDE_SUBDOMAINS", "1") == "1"
SECURE_HSTS_PRELOAD = env("NEWSDESK_HSTS_PRELOAD", "1") == "1"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True

# Staff sign-in (newsdesk/staff): Admins and Editors must use two-factor authentication
# (NEWSDESK_2FA_REQUIRED_GROUPS= turns the requirement off). The shipped nginx on this
# machine is the proxy whose X-Forwarded-For names the client for sign-in limits.
NEWSDESK_2FA_REQUIRED_GROUPS = env_list("NEWSDESK_2FA_REQUIRED_GROUPS", "Admins,Editors")
NEWSDESK_TRUSTED_PROXIES = env_list("NEWSDESK_TRUSTED_PROXIES", "127.0.0.1,::1")

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env("EMAIL_USE_TLS", "0") == "1"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "newsdesk@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
}

# Page cache (newsdesk/core/page_cache.py): without Redis, files on this machine, so
# every gunicorn worker shares the copies, the purges and the render locks.
if not REDIS_URL:
    NEWSDESK_PAGE_CACHE = {
        **NEWSDESK_PAGE_CACHE,
        "BACKEND": "newsdesk.core.page_cache.FileStore",
        "OPTIONS": {"directory": env("NEWSDESK_PAGE_CACHE_DIR", str(VAR_DIR / "page-cache"))},
    }
