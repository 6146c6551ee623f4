"""The shipped proxy configs (deploy/) run by Debian's nginx and Varnish in front of a real gunicorn.

Each test module starts one gunicorn (deploy/gunicorn.conf.py, production settings) on a
database of its own, a long-lived editor process that publishes and unpublishes through
the app's services (tests/proxies/editor.py), and its proxy. They are not browser tests,
so `make test` runs them; they skip when the proxy is not installed, except under CI,
where a missing proxy fails (.ci/run installs it).
"""

import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import sqlite3
import ssl
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path
from typing import IO, Any

import pytest
from lxml import html

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SETTINGS = "tests.proxies.settings"
# What a proxy that terminated TLS tells the app (production redirects plain HTTP to HTTPS).
TLS_PROXY = {"X-Forwarded-Proto": "https"}
# Long enough for a cold start on a loaded two-core machine; only reached when something is broken.
START_SECONDS = 60


def program(name: str, package: str) -> str:
    """The path of a system program; skips without it, except under CI, where it fails."""
    found = shutil.which(name, path=os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"]))
    if found:
        return found
    message = f"{name} is not installed: apt-get install {package}"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(check: Callable[[], bool], *, seconds: float, what: str, log: Path | None = None) -> None:
    """Poll `check` until it holds; fail after `seconds`, with the end of `log` if given."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
    pytest.fail(f"{what} did not happen within {seconds} s\n{tail}")


@dataclass
class Answer:
    status: int
    headers: Message
    body: bytes

    def h1(self) -> str:
        return "".join(html.fromstring(self.body).xpath("//h1")[0].itertext()).strip()


def fetch(port: int, path: str, *, host: str, tls: bool = False, headers: dict[str, str] | None = None) -> Answer:
    """One request to a proxy on 127.0.0.1, as a reader's browser would send it for `host`."""
    if tls:
        # The test's own self-signed certificate: what is under test is caching, not TLS.
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        connection: http.client.HTTPConnection = http.client.HTTPSConnection(
            "127.0.0.1", port, timeout=30, context=context
        )
    else:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Host": host, **(headers or {})})
        response = connection.getresponse()
        return Answer(response.status, response.headers, response.read())
    finally:
        connection.close()


def answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def stop(*processes: subprocess.Popen[bytes]) -> None:
    """SIGINT to the process groups this test started, all at once, SIGKILL to any that lingers.

    SIGINT is gunicorn's quick shutdown (its SIGTERM waits for kept-alive connections);
    nginx, varnishd and the job worker stop on it too.
    """
    running = [process for process in processes if process.poll() is None]
    for process in running:
        os.killpg(process.pid, signal.SIGINT)
    for process in running:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def start(command: list[str], *, log: Path, env: dict[str, str] | None = None, **options: Any) -> subprocess.Popen:
    with log.open("ab") as output:
        return subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=output, stderr=output, start_new_session=True, **options
        )


def server_environment(folder: Path, database: Path, static: Path, **extra: str) -> dict[str, str]:
    """What docs/deploy.md exports for production, with every file in `folder` (as scripts/bench.py)."""
    environment = {name: value for name, value in os.environ.items() if not name.startswith(("REDIS_", "NEWSDESK_"))}
    environment.update(
        DJANGO_SETTINGS_MODULE=SETTINGS,
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="127.0.0.1,news.example.com",
        DATABASE_URL=f"sqlite:///{database}",
        NEWSDESK_MEDIA_ROOT=str(folder / "media"),
        NEWSDESK_STATIC_ROOT=str(static),
        NEWSDESK_PAGE_CACHE_DIR=str(folder / "page-cache"),
        NEWSDESK_COUNTERS_SPOOL_DIR=str(folder / "counters"),
        NEWSDESK_WEATHER_BACKEND="dummy",
        LOG_LEVEL="WARNING",
        GUNICORN_WORKERS="2",
        GUNICORN_ACCESS_LOG=str(folder / "access.log"),
        PYTHONDONTWRITEBYTECODE="1",
    )
    environment.update(extra)
    return environment


@dataclass
class Template:
    """A migrated, empty database and collected static files, made once per test process."""

    database: Path
    static: Path


@pytest.fixture(scope="session")
def newsdesk_template(tmp_path_factory: pytest.TempPathFactory) -> Template:
    folder = tmp_path_factory.mktemp("newsdesk-template")
    template = Template(database=folder / "newsdesk.sqlite3", static=folder / "static")
    environment = server_environment(folder, template.database, template.static)
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        subprocess.run([sys.executable, "manage.py", *command, "-v0"], cwd=ROOT, env=environment, check=True)
    return template


@dataclass
class Newsdesk:
    """A running production server with its editor; `edit` runs one command of tests/proxies/editor.py."""

    folder: Path
    port: int
    editor: subprocess.Popen[bytes]
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def edit(self, do: str, **fields: Any) -> dict[str, Any]:
        assert self.editor.stdin and self.editor.stdout
        self.editor.stdin.write(json.dumps({"do": do, **fields}).encode() + b"\n")
        self.editor.stdin.flush()
        line = self.editor.stdout.readline()
        if not line:
            pytest.fail(f"the editor stopped: {(self.folder / 'editor.log').read_text(errors='replace')[-3000:]}")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def requests_for(self, path: str) -> list[str]:
        """Lines of gunicorn's access log naming `path`: what reached the app."""
        log = self.folder / "access.log"
        return [line for line in log.read_text().splitlines() if path in line] if log.exists() else []

    def wait_logged(self, path: str) -> None:
        """gunicorn logs a request just after answering it: wait for its line."""
        wait_for(lambda: bool(self.requests_for(path)), seconds=10, what=f"{path} in gunicorn's access log")


@contextmanager
def newsdesk_server(
    template: Template, folder: Path, *, hostname: str, port: int, worker: bool = False, **extra: str
) -> Iterator[Newsdesk]:
    """gunicorn on a copy of the template database, its newsroom on `hostname:port`; `worker` runs the job worker.

    sqlite3's backup API copies the database whole, whatever its write-ahead log holds.
    """
    database = folder / "newsdesk.sqlite3"
    with sqlite3.connect(template.database) as source, sqlite3.connect(database) as target:
        source.backup(target)
    environment = server_environment(folder, database, template.static, **extra)
    editor_log: IO[bytes] = (folder / "editor.log").open("ab")
    editor = subprocess.Popen(
        [sys.executable, "-m", "tests.proxies.editor"],
        cwd=ROOT,
        env=environment,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=editor_log,
        start_new_session=True,
    )
    app = Newsdesk(folder=folder, port=free_port(), editor=editor)
    try:
        app.edit("newsroom", hostname=hostname, port=port)
        gunicorn_log = folder / "gunicorn.log"
        command = [str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "--bind", f"127.0.0.1:{app.port}"]
        app.processes.append(start(command, log=gunicorn_log, env=environment))
        wait_for(
            lambda: (
                answers(app.port) and fetch(app.port, "/healthz", host="127.0.0.1", headers=TLS_PROXY).status == 200
            ),
            seconds=START_SECONDS,
            what="gunicorn answering /healthz",
            log=gunicorn_log,
        )
        if worker:
            command = [sys.executable, "manage.py", "run_worker", "--no-scheduler", "-v0"]
            app.processes.append(start(command, log=folder / "worker.log", env=environment))
        yield app
    finally:
        if editor.stdin:
            editor.stdin.close()
        stop(*app.processes, editor)
        editor_log.close()
