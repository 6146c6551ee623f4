"""The ingest part of `make bench`: a drop folder of 1,000 NewsML-G2 items, read by `manage.py ingest_poll`.

The items are written here with the tests' builder (our own invented text), then one
poll of a folder source (published at once) runs in a process of its own on a fresh
SQLite database with production settings. Prints `ingest_items_per_second=` (items
created per second of the poll's wall time); raw figures in var/bench/ingest.json.
BENCH_INGEST_ITEMS changes the size.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsdesk.ingest.tests import wire  # noqa: E402

VAR = ROOT / "var"
OUT = VAR / "bench"
ITEMS = int(os.environ.get("BENCH_INGEST_ITEMS", "1000"))
TOPICS = [("medtop:20000763", "housing"), ("medtop:15000000", "sport"), ("medtop:01000000", "arts and culture")]


def write_items(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    settled = time.time() - 3600  # long finished uploading, as far as the folder reader can tell
    for number in range(1, ITEMS + 1):
        path = folder / f"item-{number:05d}.xml"
        path.write_bytes(
            wire.newsml_item(
                guid=f"urn:newsml:example.org:20261130:bench-{number}",
                headline=f"Harbour council meets on the ferry timetable, part {number}",
                subjects=[TOPICS[number % len(TOPICS)]],
                creators=[(f"Reporter {number % 17}", "crol:correspondent")],
            )
        )
        os.utime(path, (settled, settled))


def main() -> dict[str, float]:
    OUT.mkdir(parents=True, exist_ok=True)
    folder = VAR / "bench-ingest-drop"
    write_items(folder)
    database = VAR / "bench-ingest.sqlite3"
    database.unlink(missing_ok=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsdesk.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"sqlite:///{database}",
        "NEWSDESK_MEDIA_ROOT": str(VAR / "bench-ingest-media"),
        "NEWSDESK_PAGE_CACHE_DIR": str(OUT / "ingest-page-cache"),
        "NEWSDESK_COUNTERS_SPOOL_DIR": str(OUT / "ingest-counters"),
        "LOG_LEVEL": "WARNING",
        "NEWSDESK_INGEST_FOLDER_ROOTS": str(VAR),
    }
    env.pop("REDIS_URL", None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--verbosity", "0"], env=env, check=True)  # noqa: S603 - fixed arguments
    setup = "from newsdesk.articles.factories import newsroom_with_sections; newsroom_with_sections()"
    subprocess.run([*manage, "shell", "-c", setup], env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603
    add = ["ingest_source", "add", "Bench agency", "--kind", "folder", "--location", str(folder)]
    add += ["--mode", "publish", "--section", "world", "--source-name", "Example Agency"]
    subprocess.run([*manage, *add], env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603 - fixed arguments
    started = time.monotonic()
    finished = subprocess.run(  # noqa: S603 - our own command
        [*manage, "ingest_poll", "Bench agency"], env=env, check=True, capture_output=True, text=True
    )
    seconds = time.monotonic() - started
    created = sum(1 for line in finished.stdout.splitlines() if line.startswith("created "))
    if created != ITEMS:
        raise SystemExit(f"the poll created {created} articles, not {ITEMS}:\n{finished.stdout[-2000:]}")
    figures = {"items": ITEMS, "seconds": round(seconds, 1), "items_per_second": round(ITEMS / seconds, 1)}
    (OUT / "ingest.json").write_text(json.dumps(figures, indent=2))
    return figures


def report(figures: dict[str, float]) -> None:
    print(f"Ingest: {figures['items']} NewsML-G2 items from a drop folder in {figures['seconds']} s")
    print(f"ingest_items_per_second={figures['items_per_second']}")


if __name__ == "__main__":
    report(main())
