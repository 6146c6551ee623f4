"""`make bench ARCHIVE=N`: the reader pages at archive size against the same pages at demo size.

A benchmark, not a test: it prints `name=value` figures, saves them under var/bench/ and
exits 0 whatever it finds. Three modes:

  measure              the pages of the database in DATABASE_URL (dev settings, in this
                       process): for each, CPU milliseconds per request, this process's and
                       its PostgreSQL backend's (the least of BENCH_ARCHIVE_REPEAT; CpuClock), and
                       the SQL queries, each request rendered with the page cache off and every kept part dropped, as
                       `make bench`'s cold figure is (scripts/bench.py; newsdesk/core/fragments.py).
                       Search is the 95th percentile over a set of queries; the sitemaps are every
                       file /sitemap.xml lists (the worst and the total). Prints `archive_<page>_ms=`
                       and `archive_<page>_queries=`.
  compare DEMO ARCH    `measure` on two database URLs (each in its own process: settings are read
                       once) and each page's ratio, marked within 20% or not.
  build N              make (or reuse) PostgreSQL databases for `compare`: the demo newsroom, and a
                       copy of it with `manage.py generate_archive N`; then compare them.
"""

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from newsdesk.articles.models import SectionPage

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"
REPEAT = int(os.environ.get("BENCH_ARCHIVE_REPEAT", "5"))
ROUNDS = int(os.environ.get("BENCH_ARCHIVE_ROUNDS", "2"))
SECTION_DEEP_PAGE = 500
EIGHT_YEARS_DAYS = 8 * 365
# The bar: each page at archive size within 20% of its demo-size figure.
WITHIN = 1.2
SEARCH_WORDS = 20
PG = os.environ.get("BENCH_ARCHIVE_POSTGRES", "postgres://postgres@127.0.0.1:5432")


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings.dev")
    os.environ.setdefault("NEWSDESK_WEATHER_BACKEND", "dummy")
    os.environ.pop("REDIS_URL", None)  # kept parts in this process only: each request drops them anyway
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def pages() -> dict[str, str]:
    """The addresses measured, picked from the database so both sizes measure the same kinds of page."""
    import datetime

    from django.db.models import Count
    from django.utils import timezone
    from taggit.models import Tag

    from newsdesk.articles import selectors
    from newsdesk.articles.models import Author, SectionPage

    published = selectors.published_articles()
    recent = published.newest_first()[5]
    eight_years_ago = timezone.now() - datetime.timedelta(days=EIGHT_YEARS_DAYS)
    # At demo size nothing is that old: the oldest article stands in.
    old = published.filter(first_published_at__lte=eight_years_ago).newest_first().first()
    old = old or published.order_by("first_published_at", "pk").first()
    section = SectionPage.objects.live().order_by("path").first()
    size = selectors.section_articles(section).count()
    from django.conf import settings

    last_page = max(1, -(-size // settings.NEWSDESK_PAGE_SIZE))
    author = Author.objects.annotate(n=Count("credits")).order_by("-n", "pk").first()
    tag = Tag.objects.annotate(n=Count("articles_articletag_items")).order_by("-n", "pk").first()
    return {
        "article_recent": recent.url,
        "article_old": old.url,
        "section_page_1": section.url,
        # Page 500 where there is one (the demo's sections have a page or two, and their last
        # stands in), as a reader reaches it: by the Older link of page 499, which carries the
        # position of that page's last article (articles/pagination.py).
        "section_page_500": deep_page(section, min(SECTION_DEEP_PAGE, last_page)),
        "author": author.get_absolute_url(),
        "tag": f"/tags/{tag.slug}/",
        "news_sitemap": "/news-sitemap.xml",
        "sitemap_index": "/sitemap.xml",
        "feed_rss": "/feeds/rss/",
        "feed_atom": "/feeds/atom/",
        "feed_section": f"/feeds/sections/{section.slug}/rss/",
        "feed_author": f"/feeds/authors/{author.slug}/rss/",
        "feed_tag": f"/feeds/tags/{tag.slug}/atom/",
        "more_articles": f"/related/{old.pk}/",
    }


def deep_page(section: "SectionPage", number: int) -> str:
    """The address of page `number` of a section's list as its previous page's Older link gives it."""
    from django.conf import settings

    from newsdesk.articles import selectors
    from newsdesk.articles.pagination import Cursor

    if number == 1:
        return section.url
    above = selectors.section_articles(section)[(number - 1) * settings.NEWSDESK_PAGE_SIZE - 1]
    return f"{section.url}?page={number}&before={Cursor.of(above).token()}"


class CpuClock:
    """CPU time spent on a request: this process's, plus its PostgreSQL backend's.

    Wall time on a shared 2-core machine measures the other work as much as the page (the
    same unchanged page came out 0.98x and 1.75x of its demo figure in two runs). CPU time
    does not grow with load. The database's share is read from the kernel's per-process
    run time (/proc/<pid>/schedstat, nanoseconds) of the backend serving this connection,
    which is local here; parallel workers are off for the app's connections
    (settings/base.py), so the backend does all of the query work. Where the backend's
    process cannot be read (SQLite, a remote server) only this process counts.
    """

    def __init__(self) -> None:
        from django.db import connection

        self.backend = self._backend_stat()
        self.link = connection.connection

    @staticmethod
    def _backend_stat() -> Path | None:
        from django.db import connection

        if connection.vendor != "postgresql":
            return None
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            stat = Path(f"/proc/{cursor.fetchone()[0]}/schedstat")
        return stat if stat.exists() else None

    def _backend_ns(self) -> int:
        return int(self.backend.read_text().split()[0]) if self.backend else 0

    def __enter__(self) -> "CpuClock":
        self.start = time.process_time_ns() + self._backend_ns()
        return self

    def __exit__(self, *exc: object) -> None:
        self.ms = (time.process_time_ns() + self._backend_ns() - self.start) / 1e6
        from django.db import connection

        if self.backend and connection.connection is not self.link:  # replaced mid-way: another backend
            raise RuntimeError("the database connection changed during a measured request")


def cold_request(path: str) -> tuple[float, int]:
    """One request with every kept part dropped: (CPU milliseconds, app and database; queries)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from newsdesk.core import fragments

    fragments.bump(fragments.LISTS, fragments.ARTICLES)
    client = Client(HTTP_HOST="127.0.0.1")
    clock = CpuClock()
    with CaptureQueriesContext(connection) as queries, clock:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return clock.ms, len(queries.captured_queries)


def best_of(call: Callable[[], tuple[float, int]]) -> tuple[float, int]:
    """The least time of REPEAT runs: other work on the machine only ever adds to a run's time,
    so the least is the page's own cost, and two sizes measured minutes apart compare fairly."""
    call()  # the first request in a process also reads what every later one keeps (site, settings)
    runs = [call() for _ in range(REPEAT)]
    return round(min(ms for ms, _ in runs), 1), max(queries for _, queries in runs)


def neighbours(path: str) -> tuple[float, int]:
    """Previous/next for the article at `path`, on its own (the article page reads them with its lists)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from newsdesk.articles import selectors

    article = selectors.article_for_reader(path.rstrip("/").rsplit("/", 1)[-1])
    assert article is not None, path
    clock = CpuClock()
    with CaptureQueriesContext(connection) as queries, clock:
        selectors.neighbour_articles(article)
    return clock.ms, len(queries.captured_queries)


def search_words() -> list[str]:
    """Words from headlines spread over the archive, one search each (both sizes share the demo's)."""
    from newsdesk.articles import selectors

    titles = selectors.published_articles().order_by("pk").values_list("title", flat=True)[:200]
    words = sorted({word.strip(".,:;!?'\"").lower() for title in titles for word in title.split() if len(word) > 5})
    return words[:SEARCH_WORDS]


def entries(path: str) -> int:
    """How many items, entries, URLs or sitemap files the feed or sitemap at `path` lists (read once, untimed)."""
    from django.test import Client
    from lxml import etree

    root = etree.fromstring(Client(HTTP_HOST="127.0.0.1").get(path).content)
    listed = "local-name()='item' or local-name()='entry' or local-name()='url' or local-name()='sitemap'"
    return len(root.xpath(f"//*[{listed}]"))


def sitemap_files() -> list[str]:
    from django.test import Client
    from lxml import etree

    index = etree.fromstring(Client(HTTP_HOST="127.0.0.1").get("/sitemap.xml").content)
    locations = index.xpath("//sm:loc/text()", namespaces={"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"})
    return [urlsplit(location).path for location in locations]


def measure() -> dict[str, float]:
    from django.test import override_settings

    figures: dict[str, float] = {}
    with override_settings(NEWSDESK_PAGE_CACHE={"ENABLED": False}):
        found = pages()
        for name, path in found.items():
            figures[f"archive_{name}_ms"], figures[f"archive_{name}_queries"] = best_of(partial(cold_request, path))
            if name.startswith(("feed_", "news_sitemap", "sitemap_index")):
                figures[f"archive_{name}_items"] = entries(path)
        for name in ("article_recent", "article_old"):
            ms, queries = best_of(partial(neighbours, found[name]))
            figures[f"archive_previous_next_{name.removeprefix('article_')}_ms"] = ms
            figures[f"archive_previous_next_{name.removeprefix('article_')}_queries"] = queries
        # Each search the least of REPEAT, as every other page: a single run measured whatever
        # else the machine did at that moment (one round's p95 went from 78 to 222 ms that way).
        searches = [best_of(partial(cold_request, f"/search/?q={word}")) for word in search_words()]
        times = sorted(ms for ms, _ in searches)
        figures["archive_search_p95_ms"] = round(times[min(len(times) - 1, int(0.95 * len(times)))], 1)
        figures["archive_search_queries"] = max(queries for _, queries in searches)
        files = sitemap_files()
        sitemaps = [(path, *best_of(partial(cold_request, path))) for path in files]
        figures["archive_sitemap_files"] = len(files)
        # Month files list a month of articles (a handful in the demo, 1,600+ at 200,000), the
        # others the sections, authors, tags and information pages (an archive has more authors
        # and tags): each kind's worst file is compared per URL it lists.
        months = [row for row in sitemaps if row[0].startswith("/sitemap-articles-")]
        others = [row for row in sitemaps if row not in months]
        for name, rows in (("month", months), ("other", others)):
            if not rows:
                continue
            worst = max(rows, key=lambda row: row[1])
            figures[f"archive_sitemap_{name}_worst_ms"] = worst[1]
            figures[f"archive_sitemap_{name}_worst_queries"] = max(row[2] for row in rows)
            figures[f"archive_sitemap_{name}_worst_items"] = entries(worst[0])
            print(f"# worst {name} sitemap file: {worst[0]}", file=sys.stderr)
        figures["archive_sitemap_total_ms"] = round(sum(row[1] for row in sitemaps), 1)
    from newsdesk.articles.models import ArticlePage

    figures["archive_articles"] = ArticlePage.objects.count()
    figures["load_average_1min"] = round(os.getloadavg()[0], 2)
    return figures


def save(name: str, figures: dict[str, float]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    lines = [f"{key}={value}" for key, value in figures.items()]
    (OUT / f"{name}.txt").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


def measured(url: str) -> dict[str, float]:
    """`measure` in a process of its own on the database at `url`."""
    env = {**os.environ, "DATABASE_URL": url}
    done = subprocess.run(  # noqa: S603 - this script, fixed arguments
        [sys.executable, __file__, "measure", "--json"], env=env, check=True, capture_output=True, text=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def alternately(demo_url: str, archive_url: str) -> tuple[dict[str, float], dict[str, float]]:
    """Both sizes measured ROUNDS times in turn, each time figure the least of its rounds: what
    else runs on the machine changes over the minutes a round takes, and it should not decide
    a ratio."""
    rounds = [(measured(demo_url), measured(archive_url)) for _ in range(ROUNDS)]

    def least(side: list[dict[str, float]]) -> dict[str, float]:
        first = side[0]
        return {key: min(run[key] for run in side) if key.endswith("_ms") else value for key, value in first.items()}

    return least([demo for demo, _ in rounds]), least([archive for _, archive in rounds])


def compare(demo_url: str, archive_url: str) -> None:
    demo, archive = alternately(demo_url, archive_url)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "archive-figures.json").write_text(json.dumps({"demo": demo, "archive": archive}, indent=2))
    print(f"{'page':<34}{'demo':>10}{'archive':>10}{'ratio':>8}")
    figures: dict[str, float] = {}
    for key in demo:
        if not key.endswith("_ms") or key == "archive_sitemap_total_ms":
            continue
        ratio = archive[key] / demo[key] if demo[key] else float("inf")
        page = key.removeprefix("archive_").removesuffix("_ms")
        queries = f"{demo.get(key[:-3] + '_queries', '')}/{archive.get(key[:-3] + '_queries', '')}"
        # A feed or sitemap that lists more at archive size (a section's feed: its 7 demo
        # articles, then 30) is compared per item listed, and says so.
        demo_items, archive_items = demo.get(key[:-3] + "_items"), archive.get(key[:-3] + "_items")
        basis = ""
        if demo_items and archive_items and demo_items != archive_items:
            ratio = (archive[key] / archive_items) / (demo[key] / demo_items)
            basis = f"  per item ({demo_items:.0f} vs {archive_items:.0f} items)"
        verdict = "within 20%" if ratio <= WITHIN else "OVER"
        print(f"{page:<34}{demo[key]:>10}{archive[key]:>10}{ratio:>7.2f}x  {verdict}  queries {queries}{basis}")
        figures[f"archive_{page}_ratio"] = round(ratio, 2)
    print(
        f"articles: {demo['archive_articles']} vs {archive['archive_articles']}; sitemap files "
        f"{demo['archive_sitemap_files']} vs {archive['archive_sitemap_files']}, all of them "
        f"{demo['archive_sitemap_total_ms']} ms vs {archive['archive_sitemap_total_ms']} ms"
    )
    figures |= archive
    figures["demo_load_average_1min"] = demo["load_average_1min"]
    save("archive", figures)


def database(name: str) -> str:
    return f"{PG}/{name}"


def create_database(name: str, *, template: str | None = None) -> bool:
    """Create the database unless it exists; True when it was made now."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(database("postgres"), autocommit=True) as server:
        if server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
        query = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template:
            query += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
        server.execute(query)
    return True


def manage(url: str, *args: str) -> None:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "newsdesk.settings.dev"}
    command = [sys.executable, str(ROOT / "manage.py"), *args]
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603 - our manage.py


def vacuum(url: str) -> None:
    """What an operator runs after a bulk load (docs/deploy.md): until VACUUM marks the new rows
    visible to all, an index-only scan still reads the table for each of them."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as server:
        server.execute("VACUUM (ANALYZE)")


def build(count: int) -> None:
    """The demo database and an archive of `count` articles copied from it, made once and reused."""
    demo, archive = "newsdesk_bench_archive_demo", f"newsdesk_bench_archive_{count}"
    if create_database(demo):
        manage(database(demo), "migrate")
        manage(database(demo), "demo_newsroom")
        # The demo's search index is written by jobs that no worker runs here: without this, the
        # demo's searches would find nothing and cost less than any real search.
        manage(database(demo), "update_index")
    manage(database(demo), "migrate")
    if create_database(archive, template=demo):
        manage(database(archive), "generate_archive", str(count))
    manage(database(archive), "migrate")
    for name in (demo, archive):
        # The sitemap index's month summary is kept by jobs no worker runs here (as is the
        # demo's search index, above): made whole once, as after a deploy.
        manage(database(name), "rebuild_sitemap_months")
        vacuum(database(name))
    compare(database(demo), database(archive))


def main() -> None:
    mode, *args = sys.argv[1:] or ["measure"]
    if mode == "measure":
        setup_django()
        figures = measure()
        if "--json" in args:
            print(json.dumps(figures))
        else:
            save(f"archive-{urlsplit(os.environ.get('DATABASE_URL', 'sqlite')).path.strip('/') or 'default'}", figures)
    elif mode == "compare":
        compare(*args)
    elif mode == "build":
        build(int(args[0]))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
