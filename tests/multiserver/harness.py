"""Two production app servers sharing one PostgreSQL and one Redis, behind the shipped nginx config.

What docs/deploy.md ("Several app servers") tells an operator to run, on one machine: each
server is its own gunicorn process group (deploy/gunicorn.conf.py, production settings) with
local folders of its own (page-cache files, counter spool, var/), and an editor process
standing for an editor at work on that server. They share what the deploy guide says must be
shared: one PostgreSQL database (made and migrated here), one Redis database (REDIS_URL, keys
under a prefix of this run's own) and the media folder (shared storage). nginx runs the
shipped deploy/nginx.conf with both servers in its upstream.

Used by tests/multiserver (the proof) and scripts/bench_servers.py (the figures).
"""

import os
import secrets
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from tests.proxies.conftest import (
    BIN,
    ROOT,
    START_SECONDS,
    TLS_PROXY,
    Answer,
    answers,
    fetch,
    free_port,
    server_environment,
    start,
    stop,
    wait_for,
)
from tests.proxies.test_nginx import main_config, shipped_config

HOST = "news.example.com"
SETTINGS = "newsdesk.settings.production"
# A Redis database no pytest-xdist worker uses below 14 workers (newsdesk/settings/test.py gives
# gwN the base + 1 + N, and a worker's cache.clear() empties its database); the run's keys carry a
# prefix of their own besides, so two runs side by side stay apart, and are deleted at the end.
REDIS_DB = 15
# Where PostgreSQL's maintenance database is: the run creates and drops a database of its own.
PG_ADMIN_URL = os.environ.get("NEWSDESK_TEST_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS_SERVER = os.environ.get("NEWSDESK_TEST_REDIS_SERVER", "redis://127.0.0.1:6379")
UNIQUE = "utm_source"  # dropped from the app's key, kept in nginx's: every request reaches an app server


class Missing(Exception):
    """A program or service the two servers need is not there."""


@dataclass
class Server:
    """One app server: its gunicorn process group, its folder, and an editor on its settings."""

    name: str
    folder: Path
    port: int
    environment: dict[str, str]
    editor: subprocess.Popen[bytes]
    process: subprocess.Popen[bytes] | None = None

    def edit(self, do: str, **fields: Any) -> dict[str, Any]:
        import json

        assert self.editor.stdin and self.editor.stdout
        self.editor.stdin.write(json.dumps({"do": do, **fields}).encode() + b"\n")
        self.editor.stdin.flush()
        line = self.editor.stdout.readline()
        if not line:
            raise RuntimeError(f"{self.name}'s editor stopped:\n{tail(self.folder / 'editor.log')}")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def get(self, path: str, **headers: str) -> Answer:
        """A request as nginx passes it on: the reader's host, TLS terminated in front."""
        return fetch(self.port, path, host=HOST, headers={**TLS_PROXY, **headers})

    def post(self, path: str, **headers: str) -> int:
        import http.client

        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request("POST", path, body=b"", headers={"Host": HOST, **TLS_PROXY, **headers})
            response = connection.getresponse()
            response.read()
            return response.status
        finally:
            connection.close()

    def start(self) -> None:
        log = self.folder / "gunicorn.log"
        command = [str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "--bind", f"127.0.0.1:{self.port}"]
        self.process = start(command, log=log, env=self.environment)
        wait_for(
            lambda: answers(self.port) and self.get("/healthz").status == 200,
            seconds=START_SECONDS,
            what=f"server {self.name} answering /healthz",
            log=log,
        )

    def kill(self) -> None:
        """SIGKILL to the whole process group (master and workers), as when its machine dies."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def requests_logged(self) -> list[str]:
        log = self.folder / "access.log"
        return log.read_text(errors="replace").splitlines() if log.exists() else []


@dataclass
class Cluster:
    folder: Path
    servers: list[Server]
    nginx_port: int
    redis_url: str
    prefix: str
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def through_nginx(self, path: str, **headers: str) -> Answer:
        return fetch(self.nginx_port, path, host=HOST, tls=True, headers=headers)

    def redis_keys(self, pattern: str) -> set[str]:
        import redis

        client = redis.Redis.from_url(self.redis_url)
        return {key.decode() for key in client.scan_iter(match=f"{self.prefix}{pattern}", count=1000)}

    def logs(self) -> str:
        """The end of every log of the run, for a failing test's report."""
        names = ("gunicorn.log", "access.log", "editor.log", "error.log", "migrate.log")
        found = sorted(path for path in self.folder.rglob("*.log") if path.name in names)
        return "\n".join(f"--- {path.relative_to(self.folder)}\n{tail(path)}" for path in found)


def tail(path: Path, size: int = 3000) -> str:
    return path.read_text(errors="replace")[-size:] if path.exists() else "(no log)"


def program(name: str) -> str:
    import shutil

    found = shutil.which(name, path=os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"]))
    if not found:
        raise Missing(f"{name} is not installed: apt-get install {name}")
    return found


def check_services() -> None:
    """PostgreSQL and Redis answer; raises Missing otherwise."""
    import psycopg
    import redis

    try:
        psycopg.connect(PG_ADMIN_URL, connect_timeout=5).close()
    except psycopg.Error as error:
        raise Missing(f"PostgreSQL is not reachable at {PG_ADMIN_URL}: {error}") from error
    try:
        redis.Redis.from_url(f"{REDIS_SERVER}/{REDIS_DB}", socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        raise Missing(f"Redis is not reachable at {REDIS_SERVER}: {error}") from error


@contextmanager
def postgres_database() -> Iterator[str]:
    """A new, empty database on the shared PostgreSQL server, dropped afterwards."""
    import psycopg

    name = f"newsdesk_multiserver_{secrets.token_hex(4)}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def redis_prefix() -> Iterator[tuple[str, str]]:
    """The Redis URL and a key prefix of this run's own; its keys are deleted afterwards."""
    import redis

    url = f"{REDIS_SERVER}/{REDIS_DB}"
    prefix = f"multiserver-{secrets.token_hex(4)}"
    try:
        yield url, prefix
    finally:
        client = redis.Redis.from_url(url)
        for key in client.scan_iter(match=f"{prefix}*", count=1000):
            client.delete(key)


def _editor(folder: Path, environment: dict[str, str]) -> subprocess.Popen[bytes]:
    log: IO[bytes] = (folder / "editor.log").open("ab")
    with log:
        return subprocess.Popen(
            [sys.executable, "-m", "tests.multiserver.editor"],
            cwd=ROOT,
            env=environment,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,
            start_new_session=True,
        )


def _certificate(folder: Path) -> None:
    subprocess.run(
        [
            program("openssl"),
            *("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"),
            *(
                "-days",
                "1",
                "-subj",
                f"/CN={HOST}",
                "-keyout",
                str(folder / "key.pem"),
                "-out",
                str(folder / "cert.pem"),
            ),
        ],
        check=True,
        capture_output=True,
    )


def nginx_config(folder: Path, ports: list[int], http_port: int, https_port: int, static: Path) -> str:
    """deploy/nginx.conf with both servers in its upstream, as docs/deploy.md says to write it."""
    text = shipped_config(folder, ports[0], http_port, https_port, static)
    one = f"server 127.0.0.1:{ports[0]};"
    assert text.count(one) == 1
    return text.replace(one, " ".join(f"server 127.0.0.1:{port};" for port in ports))


@contextmanager
def two_servers(folder: Path, *, workers: int = 2) -> Iterator[Cluster]:
    """Everything above, started; every process group stopped and the database dropped on the way out."""
    nginx = program("nginx")
    program("openssl")
    check_services()
    with ExitStack() as stack:
        database = stack.enter_context(postgres_database())
        redis_url, prefix = stack.enter_context(redis_prefix())
        media, static = folder / "shared-media", folder / "static"
        # One SECRET_KEY for every server: sessions, CSRF tokens and the keys that de-duplicate
        # views and ad clicks (newsdesk/core/visitors.py) must mean the same on each.
        secret_key = secrets.token_urlsafe(64)
        servers: list[Server] = []
        cluster = Cluster(folder=folder, servers=servers, nginx_port=free_port(), redis_url=redis_url, prefix=prefix)

        def stop_all() -> None:
            for server in servers:
                if server.editor.stdin:
                    server.editor.stdin.close()
            stop(
                *cluster.processes,
                *(server.process for server in servers if server.process),
                *(s.editor for s in servers),
            )

        stack.callback(stop_all)
        for name in ("a", "b"):
            local = folder / name
            local.mkdir()
            environment = server_environment(
                local,
                local / "unused.sqlite3",
                static,
                DJANGO_SETTINGS_MODULE=SETTINGS,
                SECRET_KEY=secret_key,
                DATABASE_URL=database,
                REDIS_URL=redis_url,
                NEWSDESK_CACHE_PREFIX=prefix,
                NEWSDESK_VAR_DIR=str(local / "var"),
                NEWSDESK_MEDIA_ROOT=str(media),
                GUNICORN_WORKERS=str(workers),
            )
            if not servers:
                # Once, as a deploy does: the schema in the shared database, static files (side by side).
                with (local / "migrate.log").open("ab") as log:
                    commands = (["migrate", "--noinput"], ["collectstatic", "--noinput"])
                    runs = [
                        subprocess.Popen(
                            [sys.executable, "manage.py", *command, "-v0"],
                            cwd=ROOT,
                            env=environment,
                            stdout=log,
                            stderr=log,
                        )
                        for command in commands
                    ]
                    codes = [run.wait() for run in runs]  # both waited for, even when one failed
                    if any(codes):
                        raise RuntimeError(f"migrate or collectstatic failed:\n{tail(local / 'migrate.log')}")
            server = Server(
                name=name, folder=local, port=free_port(), environment=environment, editor=_editor(local, environment)
            )
            servers.append(server)
        servers[0].edit("newsroom", hostname=HOST, port=443)
        for server in servers:
            server.start()
        _certificate(folder)
        (folder / "newsdesk.conf").write_text(
            nginx_config(folder, [server.port for server in servers], free_port(), cluster.nginx_port, static)
        )
        (folder / "nginx.conf").write_text(main_config(folder))
        command = [nginx, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-e", str(folder / "error.log")]
        cluster.processes.append(start(command, log=folder / "nginx.log"))
        wait_for(lambda: answers(cluster.nginx_port), seconds=30, what="nginx listening", log=folder / "error.log")
        yield cluster


def surge(requests: list[Callable[[], Answer]]) -> list[Answer | BaseException]:
    """All of `requests` at once (one thread each, released together); each one's answer or error."""
    barrier = threading.Barrier(len(requests))
    results: list[Answer | BaseException] = [RuntimeError("not run")] * len(requests)

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = requests[index]()
        except Exception as error:  # a failed request is a result to report
            results[index] = error

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
