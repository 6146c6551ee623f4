"""Where an uncached render spends its time: render one reader page N times in this process, profiled.

    .venv/bin/python scripts/profile_render.py [--page article] [--drop every] [--runs 50] [--cprofile]

Production settings (as `make bench` runs them) on a database of its own
(var/profile.sqlite3, the demo newsroom, made on first use), the page cache off.
Before each render the chosen kept parts are dropped (newsdesk/core/fragments.py):
`every` as after a section, author or settings change (what a cold app server, an
archive article a crawler asks for, or a restart costs), `lists` as after a publish,
`none` for a warm re-render. Prints CPU ms and queries per render, then pyinstrument's
call tree (or, with --cprofile, cProfile's functions by own time) of the profiled runs.

A tool for finding cost, not a benchmark: `make bench` measures the server.
"""

import argparse
import cProfile
import io
import os
import pstats
import secrets
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "newsdesk.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "NEWSDESK_SSL_REDIRECT": "0",
        "DATABASE_URL": f"sqlite:///{VAR / 'profile.sqlite3'}",
        "NEWSDESK_MEDIA_ROOT": str(VAR / "profile-media"),
        "NEWSDESK_STATIC_ROOT": str(VAR / "profile-static"),
        "NEWSDESK_PAGE_CACHE_DIR": str(VAR / "profile-page-cache"),
        "NEWSDESK_COUNTERS_SPOOL_DIR": str(VAR / "profile-counters"),
        "NEWSDESK_WEATHER_BACKEND": "dummy",
        # No mail server here: the demo's publishes would each log a failed notification.
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
    }
)
os.environ.pop("REDIS_URL", None)
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from newsdesk.core import fragments, page_cache  # noqa: E402

DROPS = {"every": (fragments.LISTS, fragments.ARTICLES), "lists": (fragments.LISTS,), "none": ()}


def page_url(kind: str) -> str:
    """The bench's article (the sixth newest), or a listing page of the demo newsroom."""
    from newsdesk.articles.models import ArticlePage, Author, SectionPage

    article = ArticlePage.objects.published().order_by("-first_published_at")[5]
    if kind == "article":
        return str(article.url)
    if kind == "home":
        return "/"
    if kind == "section":
        return str(SectionPage.objects.live().order_by("path").first().url)
    if kind == "author":
        return f"/authors/{Author.objects.filter(credits__page=article).first().slug}/"
    if kind == "tag":
        return f"/tags/{article.tags.first().slug}/"
    return "/articles/"


def prepare() -> None:
    VAR.mkdir(exist_ok=True)
    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("demo_newsroom", host="127.0.0.1", port=8000, verbosity=0, stdout=quiet)
    if not (VAR / "profile-static" / "staticfiles.json").exists():
        call_command("collectstatic", verbosity=0, interactive=False)  # the manifest production reads


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--page", choices=["article", "home", "section", "author", "tag", "archive"], default="article")
    parser.add_argument("--drop", choices=sorted(DROPS), default="every")
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--cprofile", action="store_true", help="cProfile's functions by own time")
    parser.add_argument(
        "--page-cache-miss",
        action="store_true",
        help="the page cache on and the page purged before each render, as `make bench` requests it "
        "(here the purge's own cost is counted too)",
    )
    parser.add_argument("--top", type=int, default=40, help="rows of cProfile output")
    args = parser.parse_args()
    prepare()
    url = page_url(args.page)
    drop = DROPS[args.drop]
    client = Client(HTTP_HOST="127.0.0.1")
    cache_on = args.page_cache_miss
    with override_settings(**({} if cache_on else {"NEWSDESK_PAGE_CACHE": {"ENABLED": False}})):
        for _ in range(5):  # renditions, the menu, settings rows and the code paths warm
            assert client.get(url).status_code == 200
        if drop:
            fragments.bump(*drop)
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        # Now: every request's start empties the log `captured` reads.
        queries = [query["sql"] for query in captured.captured_queries]

        def render() -> None:
            if cache_on:
                page_cache.purge_paths([url], hard=True)
            if drop:
                fragments.bump(*drop)
            answer = client.get(url)
            assert not cache_on or answer.headers.get("X-Page-Cache") == "miss"

        # The least of five rounds: a busy machine only ever adds time, so the least is the
        # figure that two versions of the code can be compared by.
        rounds = []
        for _ in range(5):
            started = time.process_time()
            for _ in range(args.runs):
                render()
            rounds.append((time.process_time() - started) * 1000 / args.runs)
        print(
            f"{url}: 5 rounds of {args.runs} renders, kept parts dropped: {args.drop}, "
            f"page cache {'on, each render a miss' if cache_on else 'off'}"
        )
        print(f"cpu_ms_per_render={min(rounds):.2f} (unprofiled, least of 5 rounds; median {sorted(rounds)[2]:.2f})")
        print(f"queries={len(queries)}")
        if args.cprofile:
            profile = cProfile.Profile()
            profile.enable()
            for _ in range(args.runs):
                render()
            profile.disable()
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(args.top)
            print(out.getvalue())
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(args.top)
            print(out.getvalue())
        else:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0005)
            profiler.start()
            for _ in range(args.runs):
                render()
            profiler.stop()
            print(profiler.output_text(unicode=True, color=False, show_all=False))
    if os.environ.get("PROFILE_SHOW_QUERIES"):
        for sql in queries:
            print(sql[:400])


if __name__ == "__main__":
    main()
