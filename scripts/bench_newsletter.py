"""The newsletter part of `make bench`: one edition to 100,000 confirmed subscribers over SMTP.

Three processes, production settings, a SQLite database of its own (var/bench-newsletter.sqlite3):

  1. setup: a newsroom with a few stories, one newsletter and its confirmed subscribers
     (bulk inserts), an edition built and queued (one delivery row per recipient);
  2. a local SMTP server (aiosmtpd) that only counts what it is given, on a free port of
     127.0.0.1, standing in for the relay;
  3. the worker: `sending.deliver` until the edition is sent, as the job worker runs it
     (one SMTP connection per batch, each row claimed before its message goes out).

Prints `newsletter_send_per_second=` (messages the server accepted per second of the
worker's sending time) and `newsletter_worker_peak_rss_mb=` (the worker process's peak
resident memory); raw figures in var/bench/newsletter.json. BENCH_NEWSLETTER_SUBSCRIBERS
changes the size.
"""

from __future__ import annotations

import json
import os
import resource
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
OUT = VAR / "bench"
DATABASE = VAR / "bench-newsletter.sqlite3"
SUBSCRIBERS = int(os.environ.get("BENCH_NEWSLETTER_SUBSCRIBERS", "100000"))
INSERT_CHUNK = 5000


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def environment(port: int) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsdesk.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"sqlite:///{DATABASE}",
        "NEWSDESK_MEDIA_ROOT": str(VAR / "bench-newsletter-media"),
        "NEWSDESK_PAGE_CACHE_DIR": str(OUT / "newsletter-page-cache"),
        "NEWSDESK_COUNTERS_SPOOL_DIR": str(OUT / "newsletter-counters"),
        "LOG_LEVEL": "WARNING",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "EMAIL_USE_TLS": "0",
        "NEWSDESK_NEWSLETTER_RATE_PER_MINUTE": "0",
        "PYTHONPATH": str(ROOT),
    }
    for name in ("REDIS_URL", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD"):
        env.pop(name, None)
    return env


# --- 1. setup (its own process) ---------------------------------------------------------


def setup() -> None:
    import django

    django.setup()
    from django.utils import timezone

    from newsdesk.articles.factories import create_article, newsroom_with_sections
    from newsdesk.newsletters import editions, sending
    from newsdesk.newsletters.factories import newsletter_factory
    from newsdesk.newsletters.models import Subscriber, Subscription

    newsroom_with_sections()
    for number in range(8):
        create_article(headline=f"Harbour council meets on the ferry timetable, part {number + 1}", section="local")
    newsletter = newsletter_factory(slug="daily")
    now = timezone.now()
    for start in range(0, SUBSCRIBERS, INSERT_CHUNK):
        rows = Subscriber.objects.bulk_create(
            Subscriber(email=f"reader{number:06d}@bench.example", confirmed_at=now, consent_source="bench")
            for number in range(start, min(start + INSERT_CHUNK, SUBSCRIBERS))
        )
        Subscription.objects.bulk_create(Subscription(subscriber=row, newsletter=newsletter) for row in rows)
    edition = editions.build_edition(newsletter, newest_if_empty=True)
    assert edition is not None
    queued = sending.queue_edition(edition)
    assert queued == SUBSCRIBERS, queued
    print(edition.pk)


# --- 2. the counting SMTP server (its own process) ------------------------------------


def sink(port: int) -> None:
    """Count accepted messages until stdin closes, then print the count."""
    from aiosmtpd.controller import Controller

    class Counter:
        accepted = 0

        async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
            self.accepted += 1
            return "250 OK"

    counter = Counter()
    controller = Controller(counter, hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    sys.stdin.read()
    controller.stop()
    print(counter.accepted, flush=True)


# --- 3. the worker (its own process) --------------------------------------------------


def send(edition_id: int) -> None:
    import django

    django.setup()
    from newsdesk.newsletters import sending

    started = time.monotonic()
    totals = {"sent": 0, "failed": 0, "retrying": 0}
    while True:
        outcome = sending.deliver(edition_id, budget_seconds=3600)
        for name in totals:
            totals[name] += getattr(outcome, name)
        if outcome.finished or not outcome.sent:
            break
    seconds = time.monotonic() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    print(json.dumps({**totals, "seconds": seconds, "peak_rss_mb": round(peak_kb / 1024, 1)}))


# --- the run ---------------------------------------------------------------------------


def main() -> dict[str, float]:
    OUT.mkdir(parents=True, exist_ok=True)
    for leftover in VAR.glob("bench-newsletter.sqlite3*"):
        leftover.unlink()
    port = free_port()
    env = environment(port)
    here = [sys.executable, str(Path(__file__).resolve())]
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--verbosity", "0"], env=env, check=True, cwd=ROOT)  # noqa: S603 - fixed arguments
    prepared = subprocess.run([*here, "setup"], env=env, check=True, cwd=ROOT, capture_output=True, text=True)  # noqa: S603
    edition_id = int(prepared.stdout.split()[-1])
    server = subprocess.Popen(  # noqa: S603 - this script, fixed arguments
        [*here, "sink", str(port)], env=env, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert server.stdout is not None and server.stdout.readline().strip() == "ready"
        worker = subprocess.run(  # noqa: S603 - this script, fixed arguments
            [*here, "send", str(edition_id)], env=env, check=True, cwd=ROOT, capture_output=True, text=True
        )
    finally:
        accepted_text, _ = server.communicate(timeout=60)
    accepted = int(accepted_text.split()[-1])
    run = json.loads(worker.stdout.strip().splitlines()[-1])
    if accepted != SUBSCRIBERS or run["sent"] != SUBSCRIBERS:
        raise SystemExit(f"{SUBSCRIBERS} subscribers, but the worker sent {run['sent']} and the server took {accepted}")
    figures = {
        "subscribers": SUBSCRIBERS,
        "accepted_by_server": accepted,
        "seconds": round(run["seconds"], 1),
        "send_per_second": round(accepted / run["seconds"], 1),
        "worker_peak_rss_mb": run["peak_rss_mb"],
    }
    (OUT / "newsletter.json").write_text(json.dumps(figures, indent=2))
    return figures


def report(figures: dict[str, float]) -> None:
    print(f"Newsletter: one edition to {figures['subscribers']} subscribers over SMTP in {figures['seconds']} s")
    print(f"newsletter_send_per_second={figures['send_per_second']}")
    print(f"newsletter_worker_peak_rss_mb={figures['worker_peak_rss_mb']}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "setup":
        setup()
    elif len(sys.argv) > 2 and sys.argv[1] == "sink":
        sink(int(sys.argv[2]))
    elif len(sys.argv) > 2 and sys.argv[1] == "send":
        send(int(sys.argv[2]))
    else:
        report(main())
