"""deploy/nginx.conf, run by Debian's nginx in front of gunicorn: its micro-cache keeps pages seconds, not minutes.

The shipped file is used as it is; only addresses, ports and file paths are replaced
(`shipped_config`), and a test fails if one of them is no longer where it was.
"""

import os
import pwd
import re
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import html

from .conftest import (
    ROOT,
    Answer,
    Newsdesk,
    Template,
    answers,
    fetch,
    free_port,
    newsdesk_server,
    program,
    start,
    stop,
    wait_for,
)

# One xdist worker runs every proxy test (make test uses --dist loadgroup): the servers and the
# migrated template they share are started once, not once per worker.
pytestmark = pytest.mark.xdist_group("proxies")

CONFIG = ROOT / "deploy" / "nginx.conf"
HOST = "news.example.com"
# What the config promises: copies of a page live this long (proxy_cache_valid 200).
KEPT_SECONDS = int(re.search(r"proxy_cache_valid 200 301 (\d+)s;", CONFIG.read_text())[1])  # type: ignore[index]
# Once a copy has expired, the requests that arrive while it is refreshed still get it
# (proxy_cache_use_stale updating): one render, which a loaded machine may slow down.
# Without the fix the copy lived 300 s, so the bound still tells the two apart.
REFRESH_SECONDS = 10


@dataclass
class Nginx:
    app: Newsdesk
    https_port: int
    http_port: int

    def get(self, path: str, **headers: str) -> Answer:
        return fetch(self.https_port, path, host=HOST, tls=True, headers=headers)

    def article(self, headline: str) -> dict[str, str]:
        """A new published article, read once through nginx and then served from its micro-cache."""
        article = self.app.edit("article", headline=headline)
        assert self.get(article["path"]).headers["X-Micro-Cache"] == "MISS"
        assert self.get(article["path"]).headers["X-Micro-Cache"] == "HIT"
        return article


def shipped_config(folder: Path, app_port: int, http_port: int, https_port: int, static: Path) -> str:
    text = CONFIG.read_text()
    replacements = {
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{app_port};",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen 443 ssl": f"listen 127.0.0.1:{https_port} ssl",
        "/etc/letsencrypt/live/news.example.com/fullchain.pem": str(folder / "cert.pem"),
        "/etc/letsencrypt/live/news.example.com/privkey.pem": str(folder / "key.pem"),
        "/var/cache/nginx/newsdesk": str(folder / "cache"),
        "/srv/newsdesk/var/static/": f"{static}/",
        "/srv/newsdesk/var/media/images/": f"{folder / 'media' / 'images'}/",
    }
    for shipped, local in replacements.items():
        assert text.count(shipped) == 1, f"deploy/nginx.conf no longer says {shipped!r}: update this test"
        text = text.replace(shipped, local)
    return text


def main_config(folder: Path) -> str:
    """What Debian's /etc/nginx/nginx.conf provides around conf.d/, with every file in `folder`.

    As root, nginx would run its workers as nobody, who cannot read pytest's folders.
    """
    user = f"user {pwd.getpwuid(os.geteuid()).pw_name};" if os.geteuid() == 0 else ""
    temp = "\n".join(
        f"    {kind}_temp_path {folder}/temp-{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""{user}
daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    access_log {folder}/nginx-access.log;
{temp}
    include {folder}/newsdesk.conf;
}}
"""


@pytest.fixture(scope="module")
def nginx(newsdesk_template: Template, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Nginx]:
    binary = program("nginx", "nginx")
    openssl = program("openssl", "openssl")
    folder = tmp_path_factory.mktemp("nginx")
    http_port, https_port = free_port(), free_port()
    with newsdesk_server(newsdesk_template, folder, hostname=HOST, port=443) as app:
        subprocess.run(
            [
                openssl,
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-days",
                "1",
                "-subj",
                f"/CN={HOST}",
                "-keyout",
                folder / "key.pem",
                "-out",
                folder / "cert.pem",
            ],
            check=True,
            capture_output=True,
        )
        (folder / "newsdesk.conf").write_text(
            shipped_config(folder, app.port, http_port, https_port, newsdesk_template.static)
        )
        (folder / "nginx.conf").write_text(main_config(folder))
        command = [binary, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-e", str(folder / "error.log")]
        server = start(command, log=folder / "nginx.log")
        try:
            wait_for(lambda: answers(https_port), seconds=30, what="nginx listening", log=folder / "error.log")
            yield Nginx(app=app, https_port=https_port, http_port=http_port)
        finally:
            stop(server)


def test_a_page_is_kept_after_its_first_reader(nginx):
    article = nginx.app.edit("article", headline="Harbour ferry returns")
    first, second = nginx.get(article["path"]), nginx.get(article["path"])
    assert (first.status, first.headers["X-Micro-Cache"]) == (200, "MISS")
    assert (second.status, second.headers["X-Micro-Cache"]) == (200, "HIT")
    assert second.h1() == "Harbour ferry returns"


def test_readers_get_the_apps_cache_control(nginx):
    """Ignored for nginx's own copy, kept for browsers and CDNs."""
    article = nginx.article("Tram line opens")
    directives = {part.strip().split("=")[0] for part in nginx.get(article["path"]).headers["Cache-Control"].split(",")}
    assert {"public", "max-age", "s-maxage", "stale-while-revalidate", "stale-if-error"} <= directives


def wait_for_change(nginx: Nginx, path: str, changed, *, since: float) -> Answer:
    """Poll until `changed(answer)`; fail if the copy outlives its promised seconds (+ one refresh) from `since`."""
    deadline = since + KEPT_SECONDS + REFRESH_SECONDS
    while True:
        answer = nginx.get(path)
        if changed(answer) or time.monotonic() > deadline:
            return answer
        time.sleep(0.2)


def test_an_unpublished_article_leaves_within_the_promised_seconds(nginx):
    kept_from = time.monotonic()
    article = nginx.article("Council names new auditor")
    nginx.app.edit("unpublish", id=article["id"])
    answer = wait_for_change(nginx, article["path"], lambda answer: answer.status != 200, since=kept_from)
    assert answer.status == 404


def test_a_correction_shows_within_the_promised_seconds(nginx):
    kept_from = time.monotonic()
    article = nginx.article("Bridge closes for a week")
    nginx.app.edit("publish", id=article["id"], headline="Bridge closes for a month")
    answer = wait_for_change(
        nginx, article["path"], lambda answer: answer.h1() != "Bridge closes for a week", since=kept_from
    )
    assert answer.h1() == "Bridge closes for a month"


def test_answers_the_app_refuses_to_share_are_never_kept(nginx):
    """/comments/start/ is `never_cache` (a fresh form stamp): ignoring Cache-Control must not make it shared."""
    labels = [nginx.get("/comments/start/").headers["X-Micro-Cache"] for _ in range(2)]
    assert labels == ["MISS", "MISS"]


def test_signed_in_staff_skip_the_micro_cache(nginx):
    article = nginx.article("Library extends opening hours")
    answer = nginx.get(article["path"], Cookie="sessionid=staff-session")
    assert answer.headers["X-Micro-Cache"] == "BYPASS"


def test_health_checks_always_reach_the_app(nginx):
    answers = [nginx.get("/healthz") for _ in range(2)]
    assert [answer.status for answer in answers] == [200, 200]
    assert [answer.headers["X-Micro-Cache"] for answer in answers] == [None, None]


def test_renditions_are_served_from_disk(nginx):
    article = nginx.article("Market square gets new trees")
    page = html.fromstring(nginx.get(article["path"]).body)
    rendition = next(src for src in page.xpath("//img/@src") if src.startswith("/media/images/"))
    answer = nginx.get(rendition)
    assert answer.status == 200
    assert answer.headers["Content-Type"].startswith("image/")


@pytest.mark.parametrize(
    "spelling",
    [
        "{path}",
        "/media//original_images/{name}",
        "/media/images/../original_images/{name}",
        "/media/%6Friginal%5Fimages/{name}",
    ],
)
def test_uploaded_originals_are_never_served(nginx, spelling):
    article = nginx.article("Night buses return")
    original = article["original"]
    assert (nginx.app.folder / original.removeprefix("/")).is_file()
    answer = nginx.get(spelling.format(path=original, name=original.rsplit("/", 1)[1]))
    assert answer.status == 404


def test_other_media_are_never_served(nginx):
    """Documents go through /documents/ and Wagtail's privacy rules, never straight from disk."""
    document = nginx.app.folder / "media" / "documents" / "minutes.txt"
    document.parent.mkdir(parents=True, exist_ok=True)
    document.write_text("Closed session minutes")
    assert nginx.get("/media/documents/minutes.txt").status == 404


def test_plain_http_is_sent_to_https(nginx):
    answer = fetch(nginx.http_port, "/some/page/", host=HOST)
    assert (answer.status, answer.headers["Location"]) == (301, f"https://{HOST}/some/page/")


def test_pictures_may_be_shown_by_other_sites_but_never_run(nginx):
    """Feed readers on other sites display our renditions; an upload opened alone runs nothing."""
    article = nginx.article("Harbour crane lifts its last load")
    page = html.fromstring(nginx.get(article["path"]).body)
    headers = nginx.get(next(src for src in page.xpath("//img/@src") if src.startswith("/media/images/"))).headers
    assert headers["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Security-Policy"] == "default-src 'none'; sandbox"


@pytest.mark.parametrize(
    "header",
    [
        "Content-Security-Policy",
        "Permissions-Policy",
        "Cross-Origin-Resource-Policy",
        "Strict-Transport-Security",
        "X-Content-Type-Options",
    ],
)
def test_the_apps_security_headers_survive_the_micro_cache(nginx, header):
    article = nginx.article("Ferry timetable for the winter")
    first, second = nginx.get(article["path"]), nginx.get(article["path"])
    assert second.headers["X-Micro-Cache"] == "HIT"
    assert first.headers[header] and second.headers[header] == first.headers[header]


def test_static_files_from_disk_keep_the_apps_file_headers(nginx):
    headers = nginx.get("/static/css/site.css").headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Cross-Origin-Resource-Policy"] == "same-origin"
