"""Settings shared by every environment, read from the environment where they vary.

See https://docs.djangoproject.com/en/5.2/ref/settings/ for each name.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent
VAR_DIR = Path(os.environ.get("NEWSDESK_VAR_DIR", BASE_DIR / "var"))


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def env_required(name: str) -> str:
    value = env(name)
    if not value:
        raise ImproperlyConfigured(f"The environment variable {name} must be set.")
    return value


SECRET_KEY = env("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    "newsdesk.core",
    "newsdesk.articles",
    "newsdesk.comments",
    "newsdesk.seo",
    "newsdesk.weather",
    "newsdesk.recommendations",
    "newsdesk.ads",
    "newsdesk.audit",
    "newsdesk.pages",
    "newsdesk.wordpress",
    "newsdesk.ingest",
    "newsdesk.newsletters",
    "newsdesk.live",
    "newsdesk.breaking",
    "newsdesk.desk",
    "newsdesk.staff",
    "newsdesk.api",
    "newsdesk.webhooks",
    "rest_framework",
    "drf_spectacular",
    "wagtail.contrib.settings",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
]

MIDDLEWARE = [
    # First, so a stored copy carries every header the others add (see newsdesk/core/page_cache.py).
    "newsdesk.core.page_cache.middleware.PageCacheMiddleware",
    # Each generation of kept parts read once per rendered request (newsdesk/core/fragments.py).
    "newsdesk.core.fragments.read_once_middleware",
    "django.middleware.security.SecurityMiddleware",
    # After the page cache, so stored copies carry them too (newsdesk/core/security.py).
    "newsdesk.core.security.ContentSecurityPolicyMiddleware",
    "newsdesk.core.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Needs request.user; before CsrfViewMiddleware's process_view reads request.POST.
    "newsdesk.core.security.FormFieldLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Staff sign-in (newsdesk/staff): which sessions passed the second factor, session
    # lifetime and re-authentication, then the second factor itself.
    "django_otp.middleware.OTPMiddleware",
    "newsdesk.staff.middleware.StaffSessionMiddleware",
    "newsdesk.staff.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # The request's Wagtail Site from the kept answers (newsdesk/core/sites.py), before anything asks.
    "newsdesk.core.sites.SiteMiddleware",
    # Old WordPress addresses (/?p=123, /category/x/page/2/) that Wagtail's redirects alone miss.
    "newsdesk.wordpress.middleware.LegacyAddressMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "newsdesk.core.page_cache.middleware.PageCacheHeadersMiddleware",
    # Last, as django-axes asks: it turns a lockout flagged during the view into its answer.
    "axes.middleware.AxesMiddleware",
]
# How long browsers and shared caches may keep an anonymous page (capped at local midnight).
NEWSDESK_PAGE_MAX_AGE = int(env("NEWSDESK_PAGE_MAX_AGE", "300"))

# --- Full-page cache (newsdesk/core/page_cache.py, docs/deploy.md) -----------------------
# Anonymous GETs are answered from one shared copy. The store is Django's "default"
# cache: process-local here, Redis when REDIS_URL is set; production.py switches to
# files under var/ without Redis, so all workers of a machine share copies and locks.
# A copy is fresh for FRESH_SECONDS (never past local midnight), then served stale
# for up to STALE_SECONDS while one worker re-renders it, and served up to
# STALE_IF_ERROR_SECONDS after it was made while the database is down. Publishing
# purges what an article shows on. Query parameters outside QUERY_ALLOWLIST (name ->
# regular expression for the value) bypass the cache; tracking ones are dropped.
NEWSDESK_PAGE_CACHE = {
    "ENABLED": env("NEWSDESK_PAGE_CACHE", "1") == "1",
    "BACKEND": "newsdesk.core.page_cache.CacheStore",
    "OPTIONS": {"alias": "default"},
    "FRESH_SECONDS": int(env("NEWSDESK_PAGE_CACHE_FRESH_SECONDS", str(NEWSDESK_PAGE_MAX_AGE))),
    "STALE_SECONDS": int(env("NEWSDESK_PAGE_CACHE_STALE_SECONDS", str(24 * 60 * 60))),
    "STALE_IF_ERROR_SECONDS": int(env("NEWSDESK_PAGE_CACHE_STALE_IF_ERROR_SECONDS", str(24 * 60 * 60))),
    "LOCK_SECONDS": 30,
    "WAIT_SECONDS": 10,
    # `before`/`after`: a list position from an Older or Newer link (articles/pagination.py).
    "QUERY_ALLOWLIST": {
        "page": r"[0-9]{1,4}",
        "before": r"[0-9]{1,18}-[0-9]{1,12}",
        "after": r"[0-9]{1,18}-[0-9]{1,12}",
    },
    "QUERY_IGNORED": ["utm_", "fbclid", "gclid", "mc_cid", "mc_eid"],
    "EXCLUDED_PREFIXES": [
        *("/admin/", "/documents/", "/healthz", "/static/", "/media/"),
        # Beacons, ad clicks and frames, comment posting: per request by design.
        *("/stats/", "/ads/", "/comments/"),
    ],
}

ROOT_URLCONF = "newsdesk.urls"
WSGI_APPLICATION = "newsdesk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "newsdesk.pages.context_processors.site",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL says otherwise. WAL lets readers
# work while one writer writes; IMMEDIATE transactions take the write lock at BEGIN
# so two writers queue on busy_timeout instead of failing with "database is locked"
# when a read transaction tries to upgrade (https://sqlite.org/lang_transaction.html).
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": ("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"),
}
DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "newsdesk.sqlite3"),
            "OPTIONS": SQLITE_OPTIONS,
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
# PostgreSQL: a page's queries run without parallel workers and without JIT compilation.
# Both are for long reports; for a page they cost more to start than the work they share.
# At 200,000 articles the planner sent a section's list to two parallel workers that took
# 50 ms where one process takes 4 ms, and compiled a 25 ms sitemap query for 340 ms. Set
# per connection (libpq's `options`) so no server change is needed; empty it where a
# pooler refuses start-up options (PgBouncer without `ignore_startup_parameters`).
POSTGRES_SESSION_OPTIONS = env("NEWSDESK_POSTGRES_OPTIONS", "-c max_parallel_workers_per_gather=0 -c jit=off")
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and POSTGRES_SESSION_OPTIONS:
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", POSTGRES_SESSION_OPTIONS)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: process-local by default; Redis (Django's own backend) when REDIS_URL is set,
# so several app servers share one cache.
REDIS_URL = env("REDIS_URL")
NEWSDESK_CACHE_PREFIX = env("NEWSDESK_CACHE_PREFIX", "newsdesk")
# Kept page parts and teasers, whose keys name what they show (newsdesk/core/cache.py's
# NearCache): stored in "default", with a copy of each one read kept in the process's memory.
NEAR_CACHE = {
    "BACKEND": "newsdesk.core.cache.NearCache",
    "OPTIONS": {"SHARED": "default", "MAX_ENTRIES": int(env("NEWSDESK_NEAR_CACHE_ENTRIES", "2000"))},
}
if REDIS_URL:
    # Redis down or restarting: reads miss and writes are dropped instead of failing pages
    # (newsdesk/core/cache.py); short time-outs keep a hung server from holding requests.
    REDIS_CACHE_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
    CACHES = {
        "default": {
            "BACKEND": "newsdesk.core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": NEWSDESK_CACHE_PREFIX,
            "OPTIONS": REDIS_CACHE_OPTIONS,
        },
        "renditions": {
            "BACKEND": "newsdesk.core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": NEWSDESK_CACHE_PREFIX + "-renditions",
            "TIMEOUT": 60 * 60 * 24,
            "OPTIONS": REDIS_CACHE_OPTIONS,
        },
        "kept": NEAR_CACHE,
    }
else:
    CACHES = {
        # Kept page parts and teasers (newsdesk/core/fragments.py) are a few kB each;
        # the default 300 entries would cull them after a few dozen articles.
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 5000}},
        "renditions": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "renditions",
            "TIMEOUT": 60 * 60 * 24,
        },
        "kept": NEAR_CACHE,
    }

# Background jobs: Django's task framework (django-tasks backport on 5.2) with the
# database backend, worked by `manage.py run_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Recurring jobs the worker's scheduler enqueues: dotted task path -> seconds.
NEWSDESK_RECURRING_TASKS = {
    "newsdesk.articles.tasks.publish_scheduled_pages": 60,
    "newsdesk.weather.tasks.refresh_weather": int(env("NEWSDESK_WEATHER_REFRESH_SECONDS", "900")),
    "newsdesk.recommendations.tasks.flush_view_counts": int(env("NEWSDESK_COUNTERS_FLUSH_SECONDS", "60")),
    "newsdesk.ads.tasks.flush_ad_counts": int(env("NEWSDESK_COUNTERS_FLUSH_SECONDS", "60")),
    # Each source keeps its own interval (and back-off); this only looks for the ones that are due.
    "newsdesk.ingest.tasks.poll_due_sources": 60,
    # Builds daily and weekly editions at their time, starts scheduled ones, resumes stalled sends.
    "newsdesk.newsletters.tasks.newsletters_tick": 60,
    # Queues webhook deliveries no job holds (a lost job, a webhook switched on again); prunes the log.
    "newsdesk.webhooks.tasks.sweep_webhook_deliveries": 60,
    # The months /sitemap.xml lists are kept by jobs as articles change; this rebuilds them whole,
    # at the worker's start (a first deploy) and then for what no signal reports (a database edit).
    "newsdesk.seo.tasks.rebuild_sitemap_months": int(env("NEWSDESK_SITEMAP_REBUILD_SECONDS", "21600")),
}

# A failed one-off job is enqueued again after each of these pauses (seconds), then parked in
# Reports → Failed jobs (newsdesk/core/jobs.py). Recurring jobs are not retried: their schedule is.
NEWSDESK_JOB_RETRY_DELAYS = [int(s) for s in env("NEWSDESK_JOB_RETRY_DELAYS", "60,300,1800,7200").split(",")]

# Outbound webhooks (newsdesk/webhooks): a failed delivery is tried again after each of these
# pauses (seconds; the last repeats) until the window after its first attempt is over; a
# webhook failing for the whole window is switched off and the Admins are e-mailed.
NEWSDESK_WEBHOOK_RETRY_DELAYS = [
    int(s) for s in env("NEWSDESK_WEBHOOK_RETRY_DELAYS", "30,120,600,1800,3600,10800,21600").split(",")
]
NEWSDESK_WEBHOOK_RETRY_WINDOW_SECONDS = int(env("NEWSDESK_WEBHOOK_RETRY_WINDOW_SECONDS", "86400"))
# One attempt's whole deadline (connect, send, reply), and how long the delivery log is kept.
NEWSDESK_WEBHOOK_TIMEOUT_SECONDS = float(env("NEWSDESK_WEBHOOK_TIMEOUT_SECONDS", "10"))
NEWSDESK_WEBHOOK_LOG_DAYS = int(env("NEWSDESK_WEBHOOK_LOG_DAYS", "30"))

# Comments: seconds between two comments from one address (the reference's 15 s).
NEWSDESK_COMMENT_FLOOD_SECONDS = int(env("NEWSDESK_COMMENT_FLOOD_SECONDS", "15"))
# Extra addresses told about comments waiting for moderation (Editors and Admins with an email are told anyway).
NEWSDESK_COMMENT_MODERATOR_EMAILS = env_list("NEWSDESK_COMMENT_MODERATOR_EMAILS")

# "More articles": how many the article page shows (3 to 6).
NEWSDESK_MORE_ARTICLES_SIZE = min(6, max(3, int(env("NEWSDESK_MORE_ARTICLES_SIZE", "3"))))

# Counters (article views; later ad impressions and clicks) are aggregated outside the
# database and flushed by a job: Redis hashes when REDIS_URL is set, otherwise an
# append-only spool directory shared by the processes of one machine.
NEWSDESK_COUNTERS_SPOOL_DIR = Path(env("NEWSDESK_COUNTERS_SPOOL_DIR", str(VAR_DIR / "counters")))
# Ads: one client (address + user agent, hashed) counts at most one click per creative in this window.
NEWSDESK_AD_CLICK_WINDOW_SECONDS = int(env("NEWSDESK_AD_CLICK_WINDOW_SECONDS", str(30 * 60)))

# --- Staff sign-in (newsdesk/staff, README "Configuration") ---------------------------------
# django-axes checks every authenticate() first: a locked account or address is refused
# before the password is even looked at, so the right password does not get in either.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_HANDLER = "newsdesk.staff.lockout.AccountAndClientHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# An account (the username typed, existing or not) is locked after this many failures...
AXES_FAILURE_LIMIT = int(env("NEWSDESK_LOGIN_FAILURE_LIMIT", "10"))
# ...a client address after this many on any accounts: higher, since a newsroom often signs
# in through one office address, and a few colleagues' typos must not lock everyone out.
NEWSDESK_LOGIN_CLIENT_FAILURE_LIMIT = int(env("NEWSDESK_LOGIN_CLIENT_FAILURE_LIMIT", "50"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env("NEWSDESK_LOGIN_LOCKOUT_MINUTES", "15")))
# A lock lasts AXES_COOLOFF_TIME from the failure that set it; trying again does not extend it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "newsdesk.staff.lockout.lockout_response"
# Axes would log every failed sign-in with the name typed, and a password typed into the name
# box would land in the logs; the audit log records failed sign-ins on real accounts instead.
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "newsdesk.core.visitors.client_address"
# Proxies whose X-Forwarded-For is believed for per-client limits and counters: sign-in,
# comment flood, ad clicks, views (newsdesk.core.visitors.client_address).
NEWSDESK_TRUSTED_PROXIES = env_list("NEWSDESK_TRUSTED_PROXIES")
# Groups that must use two-factor authentication (a superuser counts as an Admin); anyone may
# turn it on. Off here (development, tests); production.py requires it of Admins and Editors.
NEWSDESK_2FA_REQUIRED_GROUPS = env_list("NEWSDESK_2FA_REQUIRED_GROUPS")
OTP_TOTP_ISSUER = env("NEWSDESK_SITE_NAME", "Newsdesk")
# A staff session lasts a working day at most, whatever its activity; "Remember me" unticked
# ends it when the browser closes (Wagtail's login).
NEWSDESK_STAFF_SESSION_MAX_AGE = int(env("NEWSDESK_STAFF_SESSION_HOURS", "12")) * 60 * 60
SESSION_COOKIE_AGE = NEWSDESK_STAFF_SESSION_MAX_AGE
# Pages that change who may do what, and site settings, want the password (and code) typed
# within this many seconds; paths under the admin's root.
NEWSDESK_STAFF_REAUTH_SECONDS = int(env("NEWSDESK_STAFF_REAUTH_MINUTES", "15")) * 60
# bulk/auth/ is Wagtail's bulk actions on users (assign a role, delete, deactivate).
NEWSDESK_STAFF_REAUTH_PREFIXES = [
    "users/",
    "groups/",
    "sites/",
    "workflows/",
    "settings/",
    "staff/lockouts/",
    "bulk/auth/",
    # A WordPress import writes a whole archive (newsdesk/wordpress); a source writes articles unattended.
    "wordpress-import/",
    "wires-and-feeds/",
    # Subscribers' export, import and bulk suppression handle readers' addresses in bulk.
    "newsletter-subscribers/",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = env("LANGUAGE_CODE", "en")
TIME_ZONE = env("TIME_ZONE", "Europe/Berlin")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT: Path | None = Path(env("NEWSDESK_STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [PROJECT_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("NEWSDESK_MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Wagtail
WAGTAIL_SITE_NAME = env("NEWSDESK_SITE_NAME", "Newsdesk")
WAGTAILADMIN_BASE_URL = env("NEWSDESK_BASE_URL", "http://127.0.0.1:8000")
# Database full text (SQLite FTS5, PostgreSQL tsvector) by default; OpenSearch at scale
# when OPENSEARCH_URL is set (needs `pip install opensearch-py`, then
# `manage.py update_index`). See docs/architecture.md, "Search".
# The database backend, which on PostgreSQL also keeps the rows site search reads first
# (newsdesk/articles/search_backend.py); with OpenSearch site search asks OpenSearch.
WAGTAILSEARCH_BACKENDS: dict[str, dict[str, object]] = {"default": {"BACKEND": "newsdesk.articles.search_backend"}}
if env("OPENSEARCH_URL"):
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "wagtail.search.backends.opensearch3",
            "URLS": [env("OPENSEARCH_URL")],
            "INDEX": env("NEWSDESK_SEARCH_INDEX", "newsdesk"),
            "TIMEOUT": 5,
        }
    }
WAGTAIL_I18N_ENABLED = False
# Pictures (newsdesk.core.pictures, docs/deploy.md "Pictures"). Renditions are written
# without EXIF/XMP/IPTC/comments by their storage, which knows JPEG, PNG and WebP: so
# every other format is converted to one of those (AVIF and HEIC would be refused).
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"bmp": "jpeg", "gif": "png", "webp": "webp", "avif": "webp", "heic": "jpeg"}
WAGTAILIMAGES_RENDITION_STORAGE = "newsdesk.core.pictures.storage.RenditionStorage"
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
# Uploads are decoded in full and refused when Pillow cannot, declare more pixels than
# this (all frames together; 64 MP holds a 61 MP full-frame camera's picture, about
# 200 MB decoded) or have more frames than that (renditions show the first frame only).
WAGTAILIMAGES_IMAGE_FORM_BASE = "newsdesk.core.pictures.forms.PictureForm"
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 64_000_000
NEWSDESK_PICTURE_MAX_FRAMES = 100
WAGTAILEMBEDS_RESPONSIVE_HTML = True
# Editors (who may publish) publish directly; writers (who may not) go through review.
WAGTAIL_WORKFLOW_REQUIRE_APPROVAL_TO_PUBLISH = False
WAGTAILDOCS_EXTENSIONS = ["csv", "pdf", "txt"]
# Form fields per request: Django's default (1,000) for everyone but staff in the admin, whose
# page editor posts about five fields per StreamField block, and again for each preview and
# autosave. Django reads DATA_UPLOAD_MAX_NUMBER_FIELDS once per process, not per view, so it is
# that ceiling and newsdesk.core.security.FormFieldLimitMiddleware holds the rest to the default.
NEWSDESK_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
TAGGIT_CASE_INSENSITIVE = True

# Newsdesk
NEWSDESK_DATE_FORMAT = env("NEWSDESK_DATE_FORMAT", "l, F j, Y")
NEWSDESK_PAGE_SIZE = 12
# A block of a reader page (weather, ad slot, Must read, comments…) that raises is logged
# and left out, so it never fails the page (newsdesk/pages/isolation.py); True lets the
# error through instead, for debugging.
NEWSDESK_RAISE_BLOCK_ERRORS = False

# Outbound HTTP (newsdesk.core.http.fetch) refuses private, loopback and link-local
# addresses. Hosts listed here (names or IPs, comma-separated) are trusted anyway,
# e.g. a self-hosted Open-Meteo on the private network.
NEWSDESK_HTTP_TRUSTED_HOSTS = env_list("NEWSDESK_HTTP_TRUSTED_HOSTS")
# Only ports 80 and 443 are fetched; "host:port" entries here (comma-separated) allow
# another port on that host, e.g. "weather.internal:8080" ("[fd00::5]:8080" for IPv6).
NEWSDESK_HTTP_TRUSTED_HOSTPORTS = env_list("NEWSDESK_HTTP_TRUSTED_HOSTPORTS")

# Weather in the top bar: a provider backend ("open-meteo", no key; "openweathermap",
# needs NEWSDESK_OPENWEATHERMAP_API_KEY; "dummy"; or a dotted path), refreshed by a job.
# A reading older than the maximum age is hidden rather than shown stale.
_WEATHER_BACKENDS = {
    "open-meteo": "newsdesk.weather.backends.open_meteo.OpenMeteoBackend",
    "openweathermap": "newsdesk.weather.backends.openweathermap.OpenWeatherMapBackend",
    "dummy": "newsdesk.weather.backends.dummy.DummyBackend",
}
_WEATHER_OPTIONS: dict[str, dict[str, object]] = {
    "open-meteo": {
        "base_url": env("NEWSDESK_OPEN_METEO_URL", "https://api.open-meteo.com"),
        "geocoding_url": env("NEWSDESK_OPEN_METEO_GEOCODING_URL", "https://geocoding-api.open-meteo.com"),
    },
    "openweathermap": {
        "api_key": env("NEWSDESK_OPENWEATHERMAP_API_KEY"),
        "base_url": env("NEWSDESK_OPENWEATHERMAP_URL", "https://api.openweathermap.org"),
    },
}
_weather_backend = env("NEWSDESK_WEATHER_BACKEND", "open-meteo")
NEWSDESK_WEATHER = {
    "BACKEND": _WEATHER_BACKENDS.get(_weather_backend, _weather_backend),
    "OPTIONS": _WEATHER_OPTIONS.get(_weather_backend, {}),
}
NEWSDESK_WEATHER_MAX_AGE_SECONDS = int(env("NEWSDESK_WEATHER_MAX_AGE_SECONDS", str(6 * 60 * 60)))
# After this many failed refreshes in a row the provider is not asked for the given seconds,
# then asked once (newsdesk/weather/breaker.py).
NEWSDESK_WEATHER_BREAKER_FAILURES = int(env("NEWSDESK_WEATHER_BREAKER_FAILURES", "3"))
NEWSDESK_WEATHER_BREAKER_SECONDS = int(env("NEWSDESK_WEATHER_BREAKER_SECONDS", "3600"))

# --- Security headers (newsdesk/core/security.py, docs/deploy.md "Security headers") ------
# Every page, feed and admin screen; HSTS and secure cookies are in production.py.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"  # for browsers without CSP frame-ancestors; a view may say SAMEORIGIN
# Readers: scripts and styles from our own files only (JSON-LD is data, not a script, and
# needs no exception), no plugins, no <base> or form posts elsewhere, framed only by us
# (the admin's preview). No nonces: cached copies are shared by every reader.
_CSP_COMMON = {
    "default-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'self'"],
}
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {**_CSP_COMMON, "script-src": ["'self'"], "style-src": ["'self'"]},
}
# The Wagtail admin writes inline scripts (inline panels, date pickers) and style attributes,
# so /admin/ alone allows them; its image previews use blob: URLs. No third-party requests,
# the admin's included: the dashboard's "new Wagtail release" check (releases.wagtail.org) is
# off, since upgrades come through requirements.lock anyway.
WAGTAIL_ENABLE_UPDATE_CHECK = False
NEWSDESK_ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        **_CSP_COMMON,
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "connect-src": ["'self'"],
    },
}
# Browser features no page of ours uses, denied to the page and every frame in it (ads too).
NEWSDESK_PERMISSIONS_POLICY: dict[str, list[str]] = {
    name: []
    for name in (
        "accelerometer",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}
# Cross-Origin-Resource-Policy by path prefix (longest wins). Pictures may be shown by other
# sites: feed readers on the web display the article images our feeds link to.
NEWSDESK_CROSS_ORIGIN_RESOURCE_POLICY = {"/": "same-origin", MEDIA_URL: "cross-origin"}
# Staff avatars from gravatar.com would tell a third party who opens the admin, and need a
# hole in the admin's img-src: Wagtail shows its default avatar instead.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}

# --- WordPress import (newsdesk/wordpress) ------------------------------------------------
# Pictures fetched from the old site with --fetch-media (through newsdesk.core.http): the
# largest accepted, and how long one may take.
NEWSDESK_WORDPRESS_MEDIA_MAX_BYTES = int(env("NEWSDESK_WORDPRESS_MEDIA_MAX_BYTES", str(25 * 1024 * 1024)))
NEWSDESK_WORDPRESS_MEDIA_TIMEOUT = float(env("NEWSDESK_WORDPRESS_MEDIA_TIMEOUT", "20"))
# Exports uploaded in the admin are kept here, never under MEDIA_ROOT (they hold e-mail addresses).
NEWSDESK_WORDPRESS_UPLOAD_DIR = Path(env("NEWSDESK_WORDPRESS_UPLOAD_DIR", str(VAR_DIR / "wordpress")))
# The largest export an Admin may upload (bytes). The web server's own request-size limit must
# allow it on the upload's address (deploy/nginx.conf).
NEWSDESK_WORDPRESS_MAX_UPLOAD_BYTES = int(env("NEWSDESK_WORDPRESS_MAX_UPLOAD_BYTES", str(512 * 1024 * 1024)))

# --- Ingest (newsdesk/ingest) --------------------------------------------------------------
# One read of a feed, a linked item or a drop-folder file: the largest accepted, and how long it may take.
NEWSDESK_INGEST_MAX_BYTES = int(env("NEWSDESK_INGEST_MAX_BYTES", str(10 * 1024 * 1024)))
NEWSDESK_INGEST_TIMEOUT = float(env("NEWSDESK_INGEST_TIMEOUT", "20"))
# Drop folders must lie under one of these: a folder source moves every file it reads, so an
# Editor's account must not be able to point one at the settings or the media.
NEWSDESK_INGEST_FOLDER_ROOTS = [Path(root) for root in env_list("NEWSDESK_INGEST_FOLDER_ROOTS")] or [VAR_DIR / "ingest"]

# Newsletters (newsdesk/newsletters). Mail goes through Django's e-mail framework: SMTP from
# EMAIL_* (production settings) or any service through django-anymail's EMAIL_BACKEND.
# A mail server that stops answering must not hold a sending job for ever.
EMAIL_TIMEOUT = int(env("EMAIL_TIMEOUT", "30"))
NEWSDESK_NEWSLETTER_CONFIRM_DAYS = int(env("NEWSDESK_NEWSLETTER_CONFIRM_DAYS", "3"))
# Messages a minute to the mail server (0: as fast as it takes them).
NEWSDESK_NEWSLETTER_RATE_PER_MINUTE = int(env("NEWSDESK_NEWSLETTER_RATE_PER_MINUTE", "0"))
# Messages per connection, and how long one job sends before handing over to the next run.
NEWSDESK_NEWSLETTER_BATCH_SIZE = int(env("NEWSDESK_NEWSLETTER_BATCH_SIZE", "200"))
NEWSDESK_NEWSLETTER_JOB_SECONDS = int(env("NEWSDESK_NEWSLETTER_JOB_SECONDS", "240"))
# A recipient a mail server refused for now is tried again after each pause, then failed.
NEWSDESK_NEWSLETTER_RETRY_DELAYS = [int(s) for s in env("NEWSDESK_NEWSLETTER_RETRY_DELAYS", "60,300,1800").split(",")]
# Sign-ups per hour: per address (said the same whatever the address) and per client.
NEWSDESK_NEWSLETTER_SIGNUPS_PER_ADDRESS = int(env("NEWSDESK_NEWSLETTER_SIGNUPS_PER_ADDRESS", "3"))
NEWSDESK_NEWSLETTER_SIGNUPS_PER_CLIENT = int(env("NEWSDESK_NEWSLETTER_SIGNUPS_PER_CLIENT", "20"))
# The mailbox in List-Unsubscribe's mailto (default: the newsletter's reply-to, else its sender).
NEWSDESK_NEWSLETTER_UNSUBSCRIBE_MAILTO = env("NEWSDESK_NEWSLETTER_UNSUBSCRIBE_MAILTO", "")
# anymail's tracking webhooks (bounced, complained, unsubscribed): "user:password" basic auth.
ANYMAIL = {"WEBHOOK_SECRET": env("NEWSDESK_ANYMAIL_WEBHOOK_SECRET", "")}
# The e-mail service's own settings from the environment: ANYMAIL_POSTMARK_SERVER_TOKEN=… becomes
# ANYMAIL["POSTMARK_SERVER_TOKEN"] (with EMAIL_BACKEND=anymail.backends.postmark.EmailBackend).
ANYMAIL.update({name[len("ANYMAIL_") :]: value for name, value in os.environ.items() if name.startswith("ANYMAIL_")})

# Breaking-news banner (newsdesk/breaking): how often the scheduler looks for banners that started or expired
# by the clock and refreshes the pages; a banner is gone from every page at most this long after its expiry.
NEWSDESK_BREAKING_CHECK_SECONDS = int(env("NEWSDESK_BREAKING_CHECK_SECONDS", "15"))
NEWSDESK_RECURRING_TASKS["newsdesk.breaking.tasks.announce_banner_changes"] = NEWSDESK_BREAKING_CHECK_SECONDS

# Live coverage (newsdesk/live): how long the polling endpoint's answer is fresh in caches and CDNs,
# and how often a reader's open page asks it (an entry purges it, so a reader waits at most about both).
NEWSDESK_LIVE_UPDATES_MAX_AGE = int(env("NEWSDESK_LIVE_UPDATES_MAX_AGE", "5"))
NEWSDESK_LIVE_POLL_SECONDS = int(env("NEWSDESK_LIVE_POLL_SECONDS", "15"))

# Desk dashboard (newsdesk/desk): the home page's lead is flagged as stale when no newer story has replaced it
# for this many hours.
NEWSDESK_DESK_STALE_LEAD_HOURS = float(env("NEWSDESK_DESK_STALE_LEAD_HOURS", "3"))

# Read API (newsdesk/api, under /api/v1/). Anonymous reading of published content can be switched off
# (then every request needs an API key). Requests per minute: per key, and per client address for
# requests without a key (answers from the page cache are not counted). CORS: origins allowed to read
# from browsers ("*" for any; empty for none). `limit` is capped at NEWSDESK_API_MAX_LIMIT.
NEWSDESK_API_ANONYMOUS = env("NEWSDESK_API_ANONYMOUS", "1") == "1"
NEWSDESK_API_RATE_PER_KEY = int(env("NEWSDESK_API_RATE_PER_KEY", "600"))
NEWSDESK_API_RATE_PER_CLIENT = int(env("NEWSDESK_API_RATE_PER_CLIENT", "120"))
NEWSDESK_API_RATE_WINDOW_SECONDS = 60
NEWSDESK_API_CORS_ORIGINS = env_list("NEWSDESK_API_CORS_ORIGINS", "")
NEWSDESK_API_DEFAULT_LIMIT = 20
NEWSDESK_API_MAX_LIMIT = 100
# The API's filters and cursor stay in the page cache's key under /api/ (anything else bypasses it).
NEWSDESK_PAGE_CACHE["QUERY_ALLOWLIST_BY_PREFIX"] = {
    "/api/v1/": {
        "cursor": r"[A-Za-z0-9+/=]{1,200}",
        "limit": r"[0-9]{1,3}",
        **dict.fromkeys(("section", "tag", "author"), r"[A-Za-z0-9_-]{1,100}"),
        **dict.fromkeys(("published_since", "published_until", "updated_since"), r"[0-9T:+.Z-]{10,40}"),
    }
}
# DRF's own defaults stay as they are (Wagtail's admin API uses DRF too): the API's views name their classes.
# Only the schema class is set, so drf-spectacular's decorators describe the API's views.
REST_FRAMEWORK = {"DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema"}
SPECTACULAR_SETTINGS = {
    "TITLE": "Newsdesk read API",
    "DESCRIPTION": "Published articles, sections, authors, tags and the home page, as JSON.",
    "VERSION": "1.0.0",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "DEFAULT_GENERATOR_CLASS": "newsdesk.api.schema.ApiSchemaGenerator",
}
