"""`make bench`: the uncached article page's server time and SQL query count on the demo data.

A benchmark, not a test: it prints figures and saves them under var/bench/.
It uses its own database file (var/bench.sqlite3) so a running demo is untouched.
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings.base")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")
os.environ.setdefault("NEWSDESK_MEDIA_ROOT", str(ROOT / "var" / "bench-media"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "200"))


def main() -> None:
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    call_command("demo_newsroom", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    from newsdesk.articles.models import ArticlePage

    article = ArticlePage.objects.published().order_by("-first_published_at")[5]
    url = article.url
    client = Client()
    assert client.get(url).status_code == 200  # warm templates and image renditions
    wall, cpu, queries = [], [], []
    for _ in range(REQUESTS):
        caches["default"].clear()  # "uncached": no page or fragment cache helps
        with CaptureQueriesContext(connection) as ctx:
            w0, c0 = time.perf_counter(), time.process_time()
            response = client.get(url)
            wall.append((time.perf_counter() - w0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
        assert response.status_code == 200
        queries.append(len(ctx.captured_queries))
    wall.sort()
    result = {
        "url": url,
        "requests": REQUESTS,
        "median_ms": round(statistics.median(wall), 2),
        "p95_ms": round(wall[int(len(wall) * 0.95) - 1], 2),
        "cpu_median_ms": round(statistics.median(cpu), 2),
        "queries": max(queries),
        "html_bytes": len(response.content),
    }
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "article_uncached.json").write_text(json.dumps(result, indent=2))
    print(f"Uncached article page, {REQUESTS} requests in-process ({url})")
    print(f"{'median':>10} {'p95':>10} {'cpu median':>12} {'queries':>8} {'html bytes':>11}")
    print(
        f"{result['median_ms']:>8}ms {result['p95_ms']:>8}ms {result['cpu_median_ms']:>10}ms "
        f"{result['queries']:>8} {result['html_bytes']:>11}"
    )
    print(f"uncached_ms_median={result['median_ms']}")
    print(f"uncached_ms_p95={result['p95_ms']}")
    print(f"article_queries={result['queries']}")


if __name__ == "__main__":
    main()
