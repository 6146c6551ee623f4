"""The long-tail part of `make bench`: 1,000 archive articles read once each from a cold server.

The page cache serves what many readers ask for; an archive is read one old article
at a time (search engines' crawlers, links from elsewhere), so nearly every such
request renders. This measures that case on the production server (gunicorn with
deploy/gunicorn.conf.py and production settings, as scripts/bench.py):

- the database: a copy of bench.py's (the demo newsroom) with `manage.py
  generate_archive` adding ARTICLES invented archive articles, media copied likewise
  (a migrated database of its own when bench.py's is missing);
- the server started afresh with its page cache emptied: every kept part (site-wide
  lists, menu, each article's own parts) starts missing and is kept as the crawl
  goes, as on a server that has just started. Each article is requested once, so its
  own parts are always made; the shared ones are made once per worker and then kept;
- REQUESTS distinct live archive articles, in a seeded random order, from CLIENTS
  concurrent clients with kept-alive connections.

Prints `longtail_cpu_ms_per_request=` (utime + stime of gunicorn's master and workers
from /proc, before and after, divided by requests), `longtail_requests_per_second=`
(wall clock from the first request to the last answer) and
`longtail_failed_requests=` (answers other than 200, and requests without one);
raw figures in var/bench/longtail.json. BENCH_LONGTAIL_REQUESTS, _CLIENTS and
_ARTICLES resize it; BENCH_LONGTAIL_DATABASE_URL names a PostgreSQL database it may
write to instead (migrated, and given archive articles only if it has too few); the
CPU figure then leaves out PostgreSQL's own processes (SQLite's queries run inside the
workers and are counted).
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import bench_wait

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
OUT = VAR / "bench"
REQUESTS = int(os.environ.get("BENCH_LONGTAIL_REQUESTS", "1000"))
CLIENTS = int(os.environ.get("BENCH_LONGTAIL_CLIENTS", "4"))
# More articles than requests, so the 1,000 are a sample (drafts and the demo's are never picked).
ARTICLES = int(os.environ.get("BENCH_LONGTAIL_ARTICLES", "1200"))
DATABASE_URL = os.environ.get("BENCH_LONGTAIL_DATABASE_URL", "")
DATABASE = VAR / "bench-longtail.sqlite3"
MEDIA = VAR / "bench-longtail-media"
SEED = 19
# The sample, read by the app itself: published archive articles (newsdesk/pages/archive.py).
PICK = f"""
import random
from newsdesk.articles.models import ArticlePage
from newsdesk.pages.archive import EXTERNAL_PREFIX
ids = list(ArticlePage.objects.published().filter(external_id__startswith=EXTERNAL_PREFIX).order_by("pk")
    .values_list("pk", flat=True))
chosen = random.Random({SEED}).sample(ids, min({REQUESTS}, len(ids)))
urls = {{page.pk: page.url for page in ArticlePage.objects.filter(pk__in=chosen)}}
print("\\n".join(urls[pk] for pk in chosen))
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def environment(port: int) -> dict[str, str]:
    """Production settings with every file of this run under var/ (as scripts/bench.py)."""
    env = {name: value for name, value in os.environ.items() if not name.startswith(("REDIS_", "NEWSDESK_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="newsdesk.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        NEWSDESK_SSL_REDIRECT="0",  # plain HTTP on the loopback; TLS is the proxy's job
        DATABASE_URL=DATABASE_URL or f"sqlite:///{DATABASE}",
        NEWSDESK_MEDIA_ROOT=str(MEDIA),
        NEWSDESK_STATIC_ROOT=str(OUT / "static"),
        NEWSDESK_PAGE_CACHE_DIR=str(OUT / "longtail-page-cache"),
        NEWSDESK_COUNTERS_SPOOL_DIR=str(OUT / "longtail-counters"),
        NEWSDESK_WEATHER_BACKEND="dummy",
        LOG_LEVEL="WARNING",
    )
    env.pop("REDIS_URL", None)
    return env


def manage(env: dict[str, str], *arguments: str) -> str:
    command = [sys.executable, str(ROOT / "manage.py"), *arguments]
    return subprocess.run(command, env=env, cwd=ROOT, check=True, capture_output=True, text=True).stdout  # noqa: S603


def fresh_sqlite(demo: tuple[Path, Path] | None) -> None:
    """A fresh SQLite database and media folder: copies of bench.py's when given, else empty."""
    database, media = demo or (None, None)
    for path in (DATABASE, DATABASE.with_name(DATABASE.name + "-wal"), DATABASE.with_name(DATABASE.name + "-shm")):
        path.unlink(missing_ok=True)
    shutil.rmtree(MEDIA, ignore_errors=True)
    if database and database.exists():
        # SQLite's backup API: a consistent copy even with bench.py's connection open (WAL mode).
        with sqlite3.connect(database) as source, sqlite3.connect(DATABASE) as target:
            source.backup(target)
    if media and media.exists():
        shutil.copytree(media, MEDIA)
    MEDIA.mkdir(parents=True, exist_ok=True)


def prepare(env: dict[str, str], *, demo: tuple[Path, Path] | None, static_collected: bool) -> list[str]:
    """The database, media and static files; returns the article paths to request."""
    if not DATABASE_URL:
        fresh_sqlite(demo)
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    if not static_collected or not (OUT / "static" / "staticfiles.json").exists():
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    urls = manage(env, "shell", "--verbosity", "0", "-c", PICK).split()
    if len(urls) < REQUESTS:
        manage(env, "generate_archive", str(ARTICLES), "--verbosity", "0")
        urls = manage(env, "shell", "--verbosity", "0", "-c", PICK).split()
    assert len(set(urls)) == REQUESTS, f"{len(set(urls))} distinct archive articles, {REQUESTS} wanted"
    return urls


def start_server(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    shutil.rmtree(OUT / "longtail-page-cache", ignore_errors=True)
    command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py")]
    log = open(OUT / "longtail-gunicorn.log", "wb")  # noqa: SIM115 - lives as long as the server
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        [*command, "--bind", f"127.0.0.1:{port}"], cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True
    )
    if bench_wait.healthy(port):
        return server
    stop_server(server)
    raise SystemExit("gunicorn did not start: see var/bench/longtail-gunicorn.log")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    """SIGINT to the server's own process group: gunicorn's quick shutdown."""
    os.killpg(server.pid, signal.SIGINT)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def server_pids(server: subprocess.Popen[bytes]) -> list[int]:
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    return [server.pid, *(int(pid) for pid in children)]


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes (fields 14 and 15 of /proc/PID/stat)."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def crawl(port: int, urls: list[str]) -> dict[str, object]:
    """Each path once, CLIENTS at a time; every answer's status, page-cache label and wall time."""
    queue = iter(urls)
    lock = threading.Lock()
    answers: list[tuple[int, str, float]] = []

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            with lock:
                path = next(queue, None)
            if path is None:
                break
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Host": "127.0.0.1"})
                response = connection.getresponse()
                response.read()
                answer = (response.status, response.headers.get("X-Page-Cache", ""))
            except (OSError, http.client.HTTPException):
                connection.close()  # a new connection for the next request
                answer = (0, "")
            with lock:
                answers.append((*answer, (time.perf_counter() - started) * 1000))
        connection.close()

    clients = [threading.Thread(target=client) for _ in range(CLIENTS)]
    started = time.perf_counter()
    for thread in clients:
        thread.start()
    for thread in clients:
        thread.join()
    seconds = time.perf_counter() - started
    walls = [wall for _status, _label, wall in answers]
    return {
        "seconds": round(seconds, 2),
        "failed": sum(status != 200 for status, _label, _wall in answers) + len(urls) - len(answers),
        "renders": sum(label == "miss" for _status, label, _wall in answers),
        "wall_ms_median": round(statistics.median(walls), 2),
        "wall_ms_p99": round(statistics.quantiles(walls, n=100)[98], 2),
    }


def main(*, demo: tuple[Path, Path] | None = None, static_collected: bool = False) -> dict[str, object]:
    """`demo`: bench.py's database and media folder, copied before the archive is added."""
    OUT.mkdir(parents=True, exist_ok=True)
    port = int(os.environ.get("BENCH_LONGTAIL_PORT") or free_port())
    env = environment(port)
    started = time.monotonic()
    urls = prepare(env, demo=demo, static_collected=static_collected)
    prepared = time.monotonic() - started
    server = start_server(env, port)
    try:
        pids = server_pids(server)
        before = cpu_seconds(pids)
        run = crawl(port, urls)
        used = cpu_seconds(pids) - before
    finally:
        stop_server(server)
    result = {
        "server": "gunicorn -c deploy/gunicorn.conf.py (production settings, file page cache emptied, "
        + ("PostgreSQL" if DATABASE_URL else "SQLite")
        + ")",
        "requests": len(urls),
        "clients": CLIENTS,
        "kept_parts": "as a server just started keeps them while crawling (none at the start)",
        **run,
        "cpu_ms_per_request": round(used * 1000 / len(urls), 2),
        "requests_per_second": round(len(urls) / float(str(run["seconds"])), 2),
        "prepare_seconds": round(prepared, 1),
        "load_average": os.getloadavg(),
    }
    (OUT / "longtail.json").write_text(json.dumps(result, indent=2))
    return result


def report(result: dict, *, static_requests_per_second: float | None = None) -> list[str]:
    """Prints the figures; returns their name=value lines (saved in var/bench/longtail.txt)."""
    print(
        f"Long tail: {result['requests']} archive articles once each, {result['clients']} clients, "
        f"{result['server']}: {result['renders']} rendered, wall p50 {result['wall_ms_median']} ms, "
        f"p99 {result['wall_ms_p99']} ms (prepared in {result['prepare_seconds']} s)"
    )
    figures: dict[str, object] = {
        "longtail_cpu_ms_per_request": result["cpu_ms_per_request"],
        "longtail_requests_per_second": result["requests_per_second"],
        "longtail_failed_requests": result["failed"],
    }
    if static_requests_per_second is not None:  # the same run's reference, as the issue states figures
        figures["static_requests_per_second"] = static_requests_per_second
    figures["longtail_load_average_1min"] = round(result["load_average"][0], 2)
    lines = [f"{name}={value}" for name, value in figures.items()]
    print("\n".join(lines))
    (OUT / "longtail.txt").write_text("\n".join(lines) + "\n")
    return lines


if __name__ == "__main__":
    report(main(demo=(VAR / "bench.sqlite3", VAR / "bench-media")))
