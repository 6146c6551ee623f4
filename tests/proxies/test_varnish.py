"""deploy/varnish.vcl, run by Debian's Varnish in front of gunicorn: pages are kept for their s-maxage
and leave as soon as the app's purge (Wagtail's frontend cache, run by the job worker) reaches Varnish.

The shipped file is used as it is; only the backend's port is replaced. Copies live 300 s
(`s-maxage`), far longer than any wait here: a change seen within the bound came from a purge.
"""

import http.client
import secrets
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import (
    ROOT,
    TLS_PROXY,
    Answer,
    Newsdesk,
    Template,
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

VCL = ROOT / "deploy" / "varnish.vcl"
# From an editor's click to the purge at Varnish: the commit, the job worker's next look at
# the queue (every second) and one PURGE per page; generous for a loaded machine.
PURGE_SECONDS = 30


@dataclass
class Varnish:
    app: Newsdesk
    port: int

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def get(self, path: str) -> Answer:
        # A TLS terminator in front of Varnish tells the app the reader came over HTTPS.
        return fetch(self.port, path, host=self.host, headers=TLS_PROXY)

    def article(self, headline: str) -> dict[str, str]:
        """A new published article, read once through Varnish and then served from its cache."""
        article = self.app.edit("article", headline=headline)
        assert self.get(article["path"]).headers["X-Varnish-Cache"] == "miss"
        assert self.get(article["path"]).headers["X-Varnish-Cache"] == "hit"
        return article

    def wait_for_change(self, path: str, changed: Callable[[Answer], bool]) -> Answer:
        deadline = time.monotonic() + PURGE_SECONDS
        while True:
            answer = self.get(path)
            if changed(answer) or time.monotonic() > deadline:
                return answer
            time.sleep(0.2)


def shipped_vcl(app_port: int) -> str:
    text = VCL.read_text()
    assert text.count('.port = "8000";') == 1, 'deploy/varnish.vcl no longer says .port = "8000": update this test'
    return text.replace('.port = "8000";', f'.port = "{app_port}";')


@pytest.fixture(scope="module")
def varnish(newsdesk_template: Template, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Varnish]:
    binary, admin = program("varnishd", "varnish"), program("varnishadm", "varnish")
    port = free_port()
    extra = {"NEWSDESK_TEST_VARNISH_URL": f"http://127.0.0.1:{port}"}
    with newsdesk_server(
        newsdesk_template, tmp_path_factory.mktemp("varnish"), hostname="127.0.0.1", port=port, worker=True, **extra
    ) as app:
        # Started as root, varnishd compiles and runs the VCL as its own users, who cannot
        # enter pytest's private folders: a folder they may read.
        folder = Path(tempfile.mkdtemp(prefix="newsdesk-varnish-"))
        folder.chmod(0o755)
        vcl = folder / "newsdesk.vcl"
        vcl.write_text(shipped_vcl(app.port))
        vcl.chmod(0o644)
        work = folder / "work"
        command = [binary, "-F", "-a", f"127.0.0.1:{port}", "-f", str(vcl), "-n", str(work), "-s", "malloc,64m"]
        server = start(command, log=app.folder / "varnish.log")
        try:
            # The backend counts as sick until its health probe (/healthz) has passed.
            wait_for(
                lambda: " healthy " in backends(admin, work),
                seconds=30,
                what="Varnish seeing a healthy backend",
                log=app.folder / "varnish.log",
            )
            yield Varnish(app=app, port=port)
        finally:
            stop(server)
            shutil.rmtree(folder, ignore_errors=True)


def backends(admin: str, work: Path) -> str:
    found = subprocess.run([admin, "-n", str(work), "backend.list"], capture_output=True, text=True)
    return found.stdout


def test_a_page_is_kept_after_its_first_reader(varnish):
    article = varnish.app.edit("article", headline="Harbour ferry returns")
    first, second = varnish.get(article["path"]), varnish.get(article["path"])
    assert (first.status, first.headers["X-Varnish-Cache"]) == (200, "miss")
    assert (second.status, second.headers["X-Varnish-Cache"]) == (200, "hit")
    assert second.h1() == "Harbour ferry returns"


def test_readers_get_the_apps_cache_control_and_no_ban_headers(varnish):
    article = varnish.article("Tram line opens")
    answer = varnish.get(article["path"])
    assert "s-maxage=" in answer.headers["Cache-Control"]
    assert (answer.headers["X-Url"], answer.headers["X-Host"]) == (None, None)


def test_an_unpublished_article_is_purged(varnish):
    article = varnish.article("Council names new auditor")
    varnish.app.edit("unpublish", id=article["id"])
    answer = varnish.wait_for_change(article["path"], lambda answer: answer.status != 200)
    assert (answer.status, answer.headers["X-Varnish-Cache"]) == (404, "miss")


def test_a_correction_is_purged(varnish):
    article = varnish.article("Bridge closes for a week")
    varnish.app.edit("publish", id=article["id"], headline="Bridge closes for a month")
    answer = varnish.wait_for_change(article["path"], lambda answer: answer.h1() != "Bridge closes for a week")
    assert answer.h1() == "Bridge closes for a month"


def test_a_republished_article_replaces_the_kept_not_found(varnish):
    article = varnish.article("Pool reopens after repairs")
    varnish.app.edit("unpublish", id=article["id"])
    assert varnish.wait_for_change(article["path"], lambda answer: answer.status == 404).status == 404
    assert varnish.get(article["path"]).headers["X-Varnish-Cache"] == "hit"  # Varnish keeps the 404 too
    varnish.app.edit("publish", id=article["id"], headline="Pool reopens after repairs")
    assert varnish.wait_for_change(article["path"], lambda answer: answer.status == 200).status == 200


def test_a_purge_reaches_every_page_number(varnish):
    """The app purges a path with every ?page=N it keeps; the VCL bans the path with any query."""
    article = varnish.article("Street market moves to Saturdays")
    section = "/local/?page=1"
    assert "Street market moves to Saturdays" in varnish.get(section).body.decode()
    assert varnish.get(section).headers["X-Varnish-Cache"] == "hit"
    varnish.app.edit("unpublish", id=article["id"])
    answer = varnish.wait_for_change(section, lambda answer: answer.headers["X-Varnish-Cache"] == "miss")
    assert answer.headers["X-Varnish-Cache"] == "miss"
    assert "Street market moves to Saturdays" not in answer.body.decode()


def test_purges_from_other_addresses_are_refused(varnish):
    article = varnish.article("Cycle lane plan delayed")
    connection = http.client.HTTPConnection("127.0.0.1", varnish.port, timeout=30, source_address=("127.0.0.2", 0))
    connection.request("PURGE", article["path"], headers={"Host": varnish.host})
    assert connection.getresponse().status == 405
    connection.close()
    assert varnish.get(article["path"]).headers["X-Varnish-Cache"] == "hit"


def test_renditions_are_passed_to_the_backend(varnish):
    """Varnish serves no files: renditions go to what is behind it (nginx or object storage serves them)."""
    varnish.get("/media/images/lead.fill-640x360.jpg")
    varnish.app.wait_logged("/media/images/lead.fill-640x360.jpg")


@pytest.mark.parametrize(
    "path",
    [
        "/media/original_images/lead.jpg",
        "//media/./original_images/lead.jpg",
        "/media/ORIGINAL%5fIMAGES/lead.jpg",
        "/media/images/../original_images/lead.jpg",
        "/media/documents/minutes.txt",
    ],
)
def test_originals_and_other_media_are_refused_before_the_backend(varnish, path):
    assert varnish.get(path).status == 404
    # A request Varnish passes on, sent after: once it is logged, so would the refused one be.
    after = f"/media/images/after-{secrets.token_hex(4)}.jpg"
    varnish.get(after)
    varnish.app.wait_logged(after)
    reached = varnish.app.requests_for("/media/")
    assert [line for line in reached if "original" in line.lower() or "documents" in line] == []
