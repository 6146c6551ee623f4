"""`make loadtest`: the production server under load loses nothing and serves nothing stale.

A load test, not a unit test: it starts gunicorn (deploy/gunicorn.conf.py, production settings)
on a free port of 127.0.0.1 with a database of its own, loads the demo newsroom, and runs:

  1. comments: LOAD_CLIENTS concurrent clients post LOAD_COMMENTS comments in all to one
     article through the real form endpoint; afterwards the database must hold exactly that
     many new rows (whatever their status: the spam rules may hold some), and no response
     may be a 5xx;
  2. reads: LOAD_SECONDS of mixed reader traffic (home, sections, articles, feeds, sitemap)
     from LOAD_READERS keep-alive clients as fast as the server answers, while an article is
     re-published with a new headline every LOAD_PUBLISH_EVERY seconds; after each publish the
     article page must show the new headline within LOAD_FRESH_WITHIN seconds (a publish
     purges softly, so the old copy may be served while one worker re-renders), and no
     response may be a 5xx.

`make loadtest` runs it on SQLite and on PostgreSQL (127.0.0.1:5432); LOAD_DATABASE=sqlite or
postgres runs one. It exits non-zero if anything was lost, stale or answered 5xx, and prints
the figures. The comment flood window and the minimum fill time are switched off for the run
(they exist to slow one person down, and here 100 clients share one address).
"""

import http.client
import json
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "loadtest"
DATABASE = os.environ.get("LOAD_DATABASE", "sqlite")
CLIENTS = int(os.environ.get("LOAD_CLIENTS", "100"))
COMMENTS = int(os.environ.get("LOAD_COMMENTS", "1000"))
READERS = int(os.environ.get("LOAD_READERS", "32"))
SECONDS = float(os.environ.get("LOAD_SECONDS", "600"))
PUBLISH_EVERY = float(os.environ.get("LOAD_PUBLISH_EVERY", "10"))
PG = os.environ.get("LOAD_PG", "postgres://postgres@127.0.0.1:5432")
# After a publish the article must show the change within this many seconds (one re-render).
FRESH_WITHIN = float(os.environ.get("LOAD_FRESH_WITHIN", "30"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


PORT = free_port()
RUN = OUT / DATABASE
PG_NAME = f"newsdesk_load_{uuid.uuid4().hex[:8]}"
ENV = {
    "DJANGO_SETTINGS_MODULE": "newsdesk.settings.production",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "NEWSDESK_SSL_REDIRECT": "0",
    "DATABASE_URL": f"{PG}/{PG_NAME}" if DATABASE == "postgres" else f"sqlite:///{RUN / 'db.sqlite3'}",
    "NEWSDESK_MEDIA_ROOT": str(RUN / "media"),
    "NEWSDESK_STATIC_ROOT": str(RUN / "static"),
    "NEWSDESK_PAGE_CACHE_DIR": str(RUN / "page-cache"),
    "NEWSDESK_COUNTERS_SPOOL_DIR": str(RUN / "counters"),
    "NEWSDESK_WEATHER_BACKEND": "dummy",
    # No mail server here: the demo's publishes would each log a failed notification.
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    "NEWSDESK_COMMENT_FLOOD_SECONDS": "0",
    "LOG_LEVEL": "WARNING",
}
shutil.rmtree(RUN, ignore_errors=True)
RUN.mkdir(parents=True)
if DATABASE == "postgres":
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", PG_NAME], check=True)  # noqa: S603, S607
os.environ.update(ENV)
os.environ.pop("REDIS_URL", None)
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402


def prepare() -> tuple[int, str]:
    from newsdesk.articles.models import ArticlePage
    from newsdesk.comments.models import CommentSettings

    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("demo_newsroom", host="127.0.0.1", port=PORT, verbosity=0, stdout=quiet)
    call_command("collectstatic", verbosity=0, interactive=False)
    CommentSettings.objects.update(min_fill_seconds=0)
    article = ArticlePage.objects.published().order_by("-first_published_at")[2]
    return article.pk, str(article.url)


def start_server() -> subprocess.Popen[bytes]:
    log = open(RUN / "gunicorn.log", "wb")  # noqa: SIM115 - lives as long as the server
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "-c",
            str(ROOT / "deploy" / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{PORT}",
        ],
        cwd=ROOT,
        env={**os.environ, **ENV},
        stdout=log,
        stderr=log,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status, _body = request("GET", "/healthz")
            if status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit(f"gunicorn did not start: see {RUN / 'gunicorn.log'}")


def request(
    method: str,
    path: str,
    body: str | None = None,
    conn: http.client.HTTPConnection | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, bytes]:
    own = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    try:
        conn.request(method, path, body=body, headers={"Host": "127.0.0.1", **(headers or {})})
        answer = conn.getresponse()
        return answer.status, answer.read()
    finally:
        if own:
            conn.close()


def post_comments(article_id: int) -> dict[str, object]:
    from newsdesk.comments.models import Comment

    before = Comment.objects.filter(article_id=article_id).count()
    statuses: Counter[int] = Counter()
    lock = threading.Lock()
    per_client = [COMMENTS // CLIENTS + (1 if n < COMMENTS % CLIENTS else 0) for n in range(CLIENTS)]

    def client(number: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
        for sent in range(per_client[number]):
            _status, raw = request("GET", "/comments/start/", conn=conn)
            started = json.loads(raw)["started"]
            form = urllib.parse.urlencode(
                {
                    "comment": f"Reader {number}, note {sent}: the timetable changes Monday ({uuid.uuid4().hex[:6]}).",
                    "name": f"Load Reader {number}",
                    "email": f"reader{number}@example.org",
                    "key": uuid.uuid4().hex,
                    "started": started,
                }
            )
            status, _ = request(
                "POST",
                f"/comments/post/{article_id}/",
                body=form,
                conn=conn,
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Origin": "http://127.0.0.1",
                    "Sec-Fetch-Site": "same-origin",
                },
            )
            with lock:
                statuses[status] += 1
        conn.close()

    started_at = time.monotonic()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started_at
    connection.close()
    added = Comment.objects.filter(article_id=article_id).count() - before
    return {"posted": COMMENTS, "rows_added": added, "statuses": dict(statuses), "seconds": round(elapsed, 1)}


def read_traffic(article_id: int, article_url: str) -> dict[str, object]:
    from newsdesk.articles.models import ArticlePage

    paths = ["/", "/feeds/rss/", "/feeds/atom/", "/sitemap.xml", "/news-sitemap.xml", article_url]
    paths += [str(page.url) for page in ArticlePage.objects.published().order_by("-first_published_at")[:20]]
    paths += [str(page.url) for page in ArticlePage.objects.published().first().get_parent().get_siblings()[:6]]
    statuses: Counter[int] = Counter()
    lock = threading.Lock()
    stop = threading.Event()
    stale: list[str] = []
    fresh_after: list[float] = []
    publishes = 0

    def reader(seed: int) -> None:
        pick = random.Random(seed)  # a traffic mix, not a secret
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
        while not stop.is_set():
            path = pick.choice(paths)
            try:
                status, _ = request("GET", path, conn=conn)
            except (OSError, http.client.HTTPException):
                # The server may close an idle keep-alive connection just as the next request
                # goes out; a browser then retries a GET once on a new connection, as here.
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
                try:
                    status, _ = request("GET", path, conn=conn)
                except (OSError, http.client.HTTPException):
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
                    status = 599  # no answer at all: counted with the server errors
            with lock:
                statuses[status] += 1
        conn.close()

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(READERS)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + SECONDS
    while time.monotonic() < deadline:
        time.sleep(PUBLISH_EVERY)
        article = ArticlePage.objects.get(pk=article_id)
        headline = f"Timetable update {publishes + 1} {uuid.uuid4().hex[:8]}"
        article.title = headline
        article.save_revision().publish()
        publishes += 1
        # A publish purges softly: the next reader may get the old copy while one worker
        # re-renders (the surge protection). Stale means the new headline has not appeared
        # within FRESH_WITHIN seconds of the publish, i.e. the purge did not take.
        published_at = time.monotonic()
        while True:
            status, body = request("GET", article_url)
            if status == 200 and headline.encode() in body:
                fresh_after.append(time.monotonic() - published_at)
                break
            if time.monotonic() - published_at > FRESH_WITHIN:
                stale.append(f"{headline}: {status}")
                break
            time.sleep(0.1)
    stop.set()
    for thread in threads:
        thread.join()
    total = sum(statuses.values())
    return {
        "requests": total,
        "requests_per_second": round(total / SECONDS, 1),
        "statuses": dict(statuses),
        "publishes": publishes,
        "stale_after_purge": stale,
        "seconds_until_fresh_max": round(max(fresh_after, default=0.0), 2),
        "seconds_until_fresh_median": round(sorted(fresh_after)[len(fresh_after) // 2], 2) if fresh_after else 0.0,
    }


def main() -> int:
    article_id, article_url = prepare()
    server = start_server()
    try:
        comments = post_comments(article_id)
        reads = read_traffic(article_id, article_url)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        connection.close()
        if DATABASE == "postgres":
            subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--force", PG_NAME], check=False)  # noqa: S603, S607
    result = {"database": DATABASE, "comments": comments, "reads": reads}
    (RUN / "result.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    problems = []
    if comments["rows_added"] != COMMENTS:
        problems.append(f"{COMMENTS} comments posted, {comments['rows_added']} rows added")
    for phase in (comments, reads):
        errors = {code: n for code, n in phase["statuses"].items() if code >= 500}  # type: ignore[attr-defined]
        if errors:
            problems.append(f"server errors: {errors}")
    if reads["stale_after_purge"]:
        problems.append(f"stale after purge: {reads['stale_after_purge']}")
    for problem in problems:
        print(f"FAILED: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
