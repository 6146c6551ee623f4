"""`make bench`: the production server on the demo data, against a static-file reference.

A benchmark, not a test: it prints figures and saves them under var/bench/. It
starts gunicorn (deploy/gunicorn.conf.py, production settings, WhiteNoise) on a
free port of 127.0.0.1 with its own database (var/bench.sqlite3), media and page
cache, so a running demo is untouched, and measures in one run:

  a. an uncached article page: server CPU per request, the least of three rounds of a
     hundred (BENCH_UNCACHED_ROUNDS; the workers' CPU time from
     /proc, around renders forced by a hard purge before each request) and the
     SQL query count (the same render in this process, shared caches warm); and
     the same with the kept lists dropped before each request (as right after a
     publish), then with every kept part dropped (newsdesk/core/fragments.py);
     the home page and a section page likewise, with every kept part dropped and warm;
  b. the cached article page: requests/s and p50/p99 latency, `wrk` at 32 connections;
  c. the same HTML saved as a static file, served by the same server (WhiteNoise);
  d. a surge: 200 concurrent requests right after a purge, and how many renders
     they caused (responses labelled `X-Page-Cache: miss`);
  e. the WordPress import of a generated export (scripts/bench_wordpress.py);
  f. ingest of a 1,000-item NewsML-G2 drop folder (scripts/bench_ingest.py);
  g. one newsletter edition sent to 100,000 subscribers through a local SMTP server
     (scripts/bench_newsletter.py).

After d, the long tail: 1,000 archive articles read once each from a server just
started, on a copy of this database with an invented archive added
(scripts/bench_longtail.py, about two minutes more). BENCH_SERVING_ONLY=1 stops
after it (the importers take several minutes).
"""

import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import bench_wait
import wrk_output

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
OUT = VAR / "bench"
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
DURATION = os.environ.get("BENCH_DURATION", "10s")
UNCACHED_REQUESTS = int(os.environ.get("BENCH_UNCACHED_REQUESTS", "100"))
UNCACHED_ROUNDS = int(os.environ.get("BENCH_UNCACHED_ROUNDS", "3"))
SURGE = int(os.environ.get("BENCH_SURGE", "200"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


PORT = int(os.environ.get("BENCH_PORT") or free_port())
ENV = {
    "DJANGO_SETTINGS_MODULE": "newsdesk.settings.production",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "NEWSDESK_SSL_REDIRECT": "0",  # plain HTTP on the loopback; TLS is the proxy's job
    "DATABASE_URL": f"sqlite:///{VAR / 'bench.sqlite3'}",
    "NEWSDESK_MEDIA_ROOT": str(VAR / "bench-media"),
    "NEWSDESK_STATIC_ROOT": str(OUT / "static"),
    "NEWSDESK_PAGE_CACHE_DIR": str(OUT / "page-cache"),
    "NEWSDESK_COUNTERS_SPOOL_DIR": str(OUT / "counters"),
    "NEWSDESK_WEATHER_BACKEND": "dummy",
    # No mail server here: the demo's publishes would each log a failed notification.
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    "LOG_LEVEL": "WARNING",
    # One client (this script) makes thousands of API requests: no per-client limit here.
    "NEWSDESK_API_RATE_PER_CLIENT": "0",
}
os.environ.update(ENV)
os.environ.pop("REDIS_URL", None)
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from newsdesk.core import fragments, page_cache  # noqa: E402


def prepare() -> str:
    """Demo data, static files and the static copy of the article; returns the article's path."""
    shutil.rmtree(OUT / "page-cache", ignore_errors=True)
    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("demo_newsroom", host="127.0.0.1", port=PORT, verbosity=0, stdout=quiet)
    call_command("collectstatic", verbosity=0, interactive=False)
    from newsdesk.articles.models import ArticlePage

    return str(ArticlePage.objects.published().order_by("-first_published_at")[5].url)


def count_queries(url: str) -> tuple[int, int, int, bytes]:
    """The article's queries when re-rendered (kept parts, lists, menu, site, renditions warm),
    right after a publish (lists dropped) and after every kept part was dropped."""
    client = Client(HTTP_HOST="127.0.0.1")
    with override_settings(NEWSDESK_PAGE_CACHE={"ENABLED": False}):
        for _ in range(2):
            client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        fragments.bump(fragments.LISTS)
        with CaptureQueriesContext(connection) as published_queries:
            client.get(url)
        fragments.bump(fragments.LISTS, fragments.ARTICLES)
        with CaptureQueriesContext(connection) as cold_queries:
            client.get(url)
    assert response.status_code == 200, response.status_code
    counts = [len(found.captured_queries) for found in (queries, published_queries, cold_queries)]
    return counts[0], counts[1], counts[2], response.content


def listing_urls() -> dict[str, str]:
    """The home page and the first section of the demo newsroom (listing pages keep their parts too)."""
    from newsdesk.articles.models import SectionPage

    return {"home": "/", "section": str(SectionPage.objects.live().order_by("path").first().url)}


def queries_when(url: str, drop: tuple[str, ...]) -> int:
    """This page's queries when rendered with these generations started anew (shared caches warm)."""
    client = Client(HTTP_HOST="127.0.0.1")
    with override_settings(NEWSDESK_PAGE_CACHE={"ENABLED": False}):
        for _ in range(2):
            client.get(url)
        if drop:
            fragments.bump(*drop)
        with CaptureQueriesContext(connection) as found:
            response = client.get(url)
        count = len(found.captured_queries)  # now: the next request's start empties the log
    assert response.status_code == 200, (url, response.status_code)
    return count


def start_server() -> subprocess.Popen[bytes]:
    command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py")]
    log = open(OUT / "gunicorn.log", "wb")  # noqa: SIM115 - lives as long as the server
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        [*command, "--bind", f"127.0.0.1:{PORT}"],
        cwd=ROOT,
        env={**os.environ, **ENV},
        stdout=log,
        stderr=log,
        start_new_session=True,
    )
    if bench_wait.healthy(PORT):
        return server
    server.terminate()
    raise SystemExit("gunicorn did not start: see var/bench/gunicorn.log")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()


def get(url: str) -> tuple[int, dict[str, str], bytes]:
    with urllib.request.urlopen(f"http://127.0.0.1:{PORT}{url}", timeout=30) as answer:
        return answer.status, dict(answer.headers), answer.read()


def worker_pids(server: subprocess.Popen[bytes]) -> list[int]:
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    return [int(pid) for pid in children]


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes (fields 14 and 15 of /proc/PID/stat)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / ticks


def uncached(server: subprocess.Popen[bytes], url: str, *, drop: tuple[str, ...] = ()) -> dict[str, object]:
    """Each request renders: a hard purge first (as unpublishing does), so no copy may be served.

    `drop` names generations of kept parts (newsdesk/core/fragments.py) started anew
    before each request: LISTS as after any publish, both as after a section, author
    or settings change (only image renditions and settings rows stay warm).
    """
    for _ in range(20):  # every worker warms its shared caches (menu, lists, renditions)
        page_cache.purge_paths([url], hard=True)
        get(url)
    pids = worker_pids(server)
    labels, wall, rounds = [], [], []
    # The least of a few rounds: on a shared machine a busy neighbour only ever adds CPU time
    # (cache misses, stolen time), so the least round is the one two versions compare by.
    for _ in range(UNCACHED_ROUNDS):
        before = cpu_seconds(pids)
        for _ in range(UNCACHED_REQUESTS):
            page_cache.purge_paths([url], hard=True)
            if drop:
                fragments.bump(*drop)
            started = time.perf_counter()
            status, headers, _body = get(url)
            wall.append((time.perf_counter() - started) * 1000)
            labels.append(headers.get("X-Page-Cache"))
            assert status == 200
        rounds.append(round((cpu_seconds(pids) - before) * 1000 / UNCACHED_REQUESTS, 2))
    assert labels.count("miss") == UNCACHED_REQUESTS * UNCACHED_ROUNDS, labels
    return {
        "requests": UNCACHED_REQUESTS * UNCACHED_ROUNDS,
        "cpu_ms_per_request": min(rounds),
        "cpu_ms_per_request_rounds": rounds,
        "wall_ms_median": round(statistics.median(wall), 2),
    }


def wrk(url: str, name: str) -> dict[str, object]:
    command = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{DURATION}", "--latency", f"http://127.0.0.1:{PORT}{url}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    (OUT / f"wrk-{name}.txt").write_text(output)

    return wrk_output.figures(output)


def surge(url: str) -> dict[str, object]:
    """SURGE readers at once, right after a (soft) purge, as after publishing an update."""
    get(url)
    page_cache.purge_paths([url])
    start = threading.Barrier(SURGE)
    labels: list[str] = []
    statuses: list[int] = []

    def read() -> None:
        start.wait()
        status, headers, _body = get(url)
        labels.append(headers.get("X-Page-Cache", ""))
        statuses.append(status)

    readers = [threading.Thread(target=read) for _ in range(SURGE)]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join()
    counts = {label: labels.count(label) for label in sorted(set(labels))}
    return {"requests": SURGE, "responses": counts, "renders": counts.get("miss", 0), "ok": statuses.count(200)}


def api_figures(server: subprocess.Popen[bytes]) -> dict[str, object]:
    """The read API: a section's list as anonymous clients get it (through the page cache, `wrk`),
    and one article's detail rendered each time (hard purge first), in server CPU per request."""
    from newsdesk.articles.models import ArticlePage

    article = ArticlePage.objects.published().order_by("-first_published_at")[5]
    list_url = "/api/v1/articles/?section=world"
    get(list_url)
    return {"list": wrk(list_url, "api-list"), "detail": uncached(server, f"/api/v1/articles/{article.pk}/")}


def ensure_wrk() -> None:
    if shutil.which("wrk"):
        return
    print("Installing wrk (Debian package)…")
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)  # noqa: S607


def main() -> None:
    ensure_wrk()
    OUT.mkdir(parents=True, exist_ok=True)
    url = prepare()
    queries, published_queries, cold_queries, html = count_queries(url)
    reference = OUT / "static" / "bench" / "article.html"
    reference.parent.mkdir(parents=True, exist_ok=True)
    reference.write_bytes(html)  # before the server starts: WhiteNoise indexes files at start-up
    every = (fragments.LISTS, fragments.ARTICLES)
    listings = {name: {"url": page, "queries": queries_when(page, every)} for name, page in listing_urls().items()}
    for figures in listings.values():
        figures["warm_queries"] = queries_when(str(figures["url"]), ())
    server = start_server()
    try:
        cold = uncached(server, url)
        published = uncached(server, url, drop=(fragments.LISTS,))
        fresh = uncached(server, url, drop=every)
        for figures in listings.values():
            page = str(figures["url"])
            figures["cold"] = uncached(server, page, drop=every)
            figures["warm"] = uncached(server, page)
        get(url)
        cached = wrk(url, "cached")
        static = wrk("/static/bench/article.html", "static")
        burst = surge(url)
        api = api_figures(server)
    finally:
        stop_server(server)
    result = {
        "url": url,
        "html_bytes": len(html),
        "server": "gunicorn -c deploy/gunicorn.conf.py (production settings, file page cache, SQLite)",
        "uncached": {**cold, "queries": queries},
        "uncached_after_publish": {**published, "queries": published_queries},
        "uncached_parts_dropped": {**fresh, "queries": cold_queries},
        "cached": cached,
        "static": static,
        "surge": burst,
        "listings": listings,
        "load_average": os.getloadavg(),
    }
    (OUT / "serving.json").write_text(json.dumps({**result, "api": api}, indent=2))
    report(result)
    print(f"api_list_requests_per_second={api['list']['requests_per_second']}")
    print(f"api_detail_cpu_ms_per_request={api['detail']['cpu_ms_per_request']}")
    # Archive articles read once each, beside this run's static-file figure (scripts/bench_longtail.py).
    import bench_longtail

    longtail = bench_longtail.main(demo=(VAR / "bench.sqlite3", VAR / "bench-media"), static_collected=True)
    lines = bench_longtail.report(longtail, static_requests_per_second=static["requests_per_second"])
    with (OUT / "figures.txt").open("a") as saved:
        saved.writelines(f"{line}\n" for line in lines if line.startswith("longtail_"))
    if os.environ.get("BENCH_SERVING_ONLY"):
        return
    # The WordPress import, in processes of its own (scripts/bench_wordpress.py).
    import bench_wordpress

    bench_wordpress.report(bench_wordpress.main())
    # Ingest from a drop folder, likewise (scripts/bench_ingest.py).
    import bench_ingest

    bench_ingest.report(bench_ingest.main())
    # One newsletter edition over SMTP to 100,000 subscribers, likewise (scripts/bench_newsletter.py).
    import bench_newsletter

    bench_newsletter.report(bench_newsletter.main())


def _render_figures(run: dict) -> tuple[object, object, object, object]:
    return run["wall_ms_median"], "", run["cpu_ms_per_request"], run["queries"]


def report(result: dict) -> None:
    cold, cached, static, burst = result["uncached"], result["cached"], result["static"], result["surge"]
    published, fresh = result["uncached_after_publish"], result["uncached_parts_dropped"]
    print(f"Article {result['url']} ({result['html_bytes']} bytes), {result['server']}")
    rows = [
        ("uncached (render)", "", cold["wall_ms_median"], "", cold["cpu_ms_per_request"], cold["queries"]),
        ("  lists dropped (publish)", "", *_render_figures(published)),
        ("  every kept part dropped", "", *_render_figures(fresh)),
        ("cached (page cache)", cached["requests_per_second"], cached["p50_ms"], cached["p99_ms"], "", ""),
        ("static file (reference)", static["requests_per_second"], static["p50_ms"], static["p99_ms"], "", ""),
    ]
    print(f"{'':26}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'CPU ms/req':>12}{'queries':>9}")
    for name, rate, p50, p99, cpu, queries in rows:
        print(f"{name:26}{rate:>10}{p50:>9}{p99:>9}{cpu:>12}{queries:>9}")
    print(f"surge: {burst['requests']} concurrent requests after a purge -> {burst['responses']}")
    for name, listing in result.get("listings", {}).items():
        for state in ("warm", "cold"):
            row = listing[state]
            queries = listing["queries"] if state == "cold" else listing["warm_queries"]
            label = f"{name} {listing['url']} {'every kept part dropped' if state == 'cold' else 'kept parts warm'}"
            print(
                f"{label[:26]:26}{'':>10}{row['wall_ms_median']:>9}{'':>9}{row['cpu_ms_per_request']:>12}{queries:>9}"
            )
    print("raw figures: var/bench/serving.json, var/bench/figures.txt, var/bench/wrk-*.txt")
    figures = {
        "uncached_cpu_ms_per_request": cold["cpu_ms_per_request"],
        "article_queries": cold["queries"],
        "cached_requests_per_second": cached["requests_per_second"],
        "static_requests_per_second": static["requests_per_second"],
        "surge_renders": burst["renders"],
        # The article rendered with every kept part present, after a publish, with none.
        "warm_cpu_ms_per_request": cold["cpu_ms_per_request"],
        "warm_queries": cold["queries"],
        "lists_dropped_cpu_ms_per_request": published["cpu_ms_per_request"],
        "lists_dropped_queries": published["queries"],
        "cold_cpu_ms_per_request": fresh["cpu_ms_per_request"],
        "cold_queries": fresh["queries"],
    }
    for name, listing in result.get("listings", {}).items():
        figures[f"{name}_cold_cpu_ms_per_request"] = listing["cold"]["cpu_ms_per_request"]
        figures[f"{name}_cold_queries"] = listing["queries"]
        figures[f"{name}_warm_cpu_ms_per_request"] = listing["warm"]["cpu_ms_per_request"]
        figures[f"{name}_warm_queries"] = listing["warm_queries"]
    figures["load_average_1min"] = round(result.get("load_average", (0.0,))[0], 2)
    lines = [f"{name}={value}" for name, value in figures.items()]
    print("\n".join(lines))
    (OUT / "figures.txt").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
