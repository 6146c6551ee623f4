"""The WordPress import's part of `make bench`: an export of 5,000 posts with 20,000 comments.

Generated here (the tests' WXR builder, our own invented text), imported by
`manage.py import_wordpress` in a process of its own on a fresh SQLite database with
production settings, so the figures are the command's: items (posts) per second of
wall time, and the process's peak resident memory (ru_maxrss of the child).

Prints `wordpress_import_items_per_second=` and `wordpress_import_peak_rss_mb=`; the raw
figures go to var/bench/wordpress.json. BENCH_WP_POSTS and BENCH_WP_COMMENTS change the size.
"""

from __future__ import annotations

import datetime
import json
import os
import random
import secrets
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsdesk.wordpress.tests.wxr import (  # noqa: E402
    WxrAuthor,
    WxrCategory,
    WxrComment,
    WxrItem,
    WxrTag,
    write_wxr,
)

VAR = ROOT / "var"
OUT = VAR / "bench"
POSTS = int(os.environ.get("BENCH_WP_POSTS", "5000"))
COMMENTS = int(os.environ.get("BENCH_WP_COMMENTS", "20000"))
WORDS = [
    *("council", "harbour", "bridge", "market", "school", "river", "budget", "tram", "festival", "library"),
    *("mayor", "night", "shift", "bakery", "rain", "square", "museum", "ferry", "vote", "station"),
    *("park", "choir", "plan", "repair", "season"),
]
CATEGORIES = [("local", "Local"), ("politics", "Politics"), ("sport", "Sport"), ("culture", "Culture")]


def sentence(rng: random.Random, words: int = 14) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def body(rng: random.Random, number: int) -> str:
    if number % 2:
        # The block editor.
        parts = [f"<!-- wp:paragraph -->\n<p>{sentence(rng)} {sentence(rng)}</p>\n<!-- /wp:paragraph -->"]
        parts.append(f"<!-- wp:heading -->\n<h2>{sentence(rng, 4)}</h2>\n<!-- /wp:heading -->")
        parts.append(
            f'<!-- wp:quote -->\n<blockquote class="wp-block-quote"><p>{sentence(rng)}</p>'
            f"<cite>{rng.choice(WORDS).title()}</cite></blockquote>\n<!-- /wp:quote -->"
        )
        parts += [f"<!-- wp:paragraph -->\n<p>{sentence(rng)}</p>\n<!-- /wp:paragraph -->" for _ in range(4)]
        return "\n\n".join(parts)
    # The classic editor: paragraphs are blank-line separated text.
    return "\n\n".join([sentence(rng) + " " + sentence(rng) for _ in range(5)] + ["<!--more-->", sentence(rng)])


def items(rng: random.Random) -> Iterator[WxrItem]:
    per_post, extra = divmod(COMMENTS, POSTS)
    comment_id = 1
    start = datetime.datetime(2016, 1, 1, 8, 0)
    for number in range(1, POSTS + 1):
        count = per_post + (1 if number <= extra else 0)
        comments = []
        for position in range(count):
            comments.append(
                WxrComment(
                    id=comment_id,
                    author=f"Reader {comment_id % 977}",
                    email=f"reader{comment_id % 977}@example.org",
                    content=sentence(rng, 10),
                    parent=comment_id - 1 if position and position % 3 == 0 else 0,
                )
            )
            comment_id += 1
        yield WxrItem(
            id=number,
            title=f"{sentence(rng, 5)[:-1]} {number}",
            date=start + datetime.timedelta(hours=7 * number),
            creator=rng.choice(["anna", "ben", "cleo"]),
            content=body(rng, number),
            excerpt=sentence(rng) if number % 3 else "",
            categories=[rng.choice(CATEGORIES)],
            tags=[(word, word.title()) for word in rng.sample(WORDS[:10], 2)],
            comments=comments,
        )


def generate(path: Path) -> None:
    rng = random.Random(2026)
    write_wxr(
        path,
        items=items(rng),
        authors=[
            WxrAuthor(id=index, login=login, display_name=login.title())
            for index, login in enumerate(["anna", "ben", "cleo"], 1)
        ],
        categories=[WxrCategory(id=index, slug=slug, name=name) for index, (slug, name) in enumerate(CATEGORIES, 10)],
        tags=[WxrTag(id=index, slug=word, name=word.title()) for index, word in enumerate(WORDS[:10], 20)],
    )


def main() -> dict[str, float]:
    OUT.mkdir(parents=True, exist_ok=True)
    export = OUT / "wordpress-export.xml"
    generate(export)
    database = VAR / "bench-wordpress.sqlite3"
    database.unlink(missing_ok=True)
    media = VAR / "bench-wordpress-media"
    shutil.rmtree(media, ignore_errors=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsdesk.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"sqlite:///{database}",
        "NEWSDESK_MEDIA_ROOT": str(media),
        "NEWSDESK_PAGE_CACHE_DIR": str(OUT / "wordpress-page-cache"),
        "NEWSDESK_COUNTERS_SPOOL_DIR": str(OUT / "wordpress-counters"),
        "LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--verbosity", "0"], env=env, check=True)  # noqa: S603 - fixed arguments
    subprocess.run(  # noqa: S603 - fixed arguments
        [
            *manage,
            "shell",
            "-c",
            "from newsdesk.articles.services import newsroom_ensure; newsroom_ensure(site_name='Bench')",
        ],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    # A wrapper process whose only child is the import: its children's ru_maxrss is the import's peak.
    measure = (
        "import resource, subprocess, sys, time; started = time.monotonic(); "
        "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
        "print(time.monotonic() - started, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    command = [*manage, "import_wordpress", str(export), "--report", str(OUT / "wordpress-report.json")]
    finished = subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "-c", measure, *command], env=env, check=True, capture_output=True, text=True
    )
    seconds_text, peak_text = finished.stdout.split()
    seconds, peak_kb = float(seconds_text), int(peak_text)
    report = json.loads((OUT / "wordpress-report.json").read_text(encoding="utf-8"))
    created = report["counts"]["post"]["created"]
    comments = report["counts"]["comment"]["created"]
    if created != POSTS or comments != COMMENTS:
        raise SystemExit(f"the import made {created} posts and {comments} comments, not {POSTS} and {COMMENTS}")
    figures = {
        "posts": POSTS,
        "comments": COMMENTS,
        "export_mb": round(export.stat().st_size / 1e6, 1),
        "seconds": round(seconds, 1),
        "items_per_second": round(POSTS / seconds, 1),
        "peak_rss_mb": round(peak_kb / 1024, 1),
    }
    (OUT / "wordpress.json").write_text(json.dumps(figures, indent=2))
    return figures


def report(figures: dict[str, float]) -> None:
    print(
        f"WordPress import: {figures['posts']} posts, {figures['comments']} comments "
        f"({figures['export_mb']} MB export) in {figures['seconds']} s"
    )
    print(f"wordpress_import_items_per_second={figures['items_per_second']}")
    print(f"wordpress_import_peak_rss_mb={figures['peak_rss_mb']}")


if __name__ == "__main__":
    report(main())
