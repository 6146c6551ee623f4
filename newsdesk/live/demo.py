"""The demo newsroom's live coverage: one open live article with a morning's entries (invented copy)."""

from __future__ import annotations

import datetime
import tempfile
from pathlib import Path

from django.core.management.base import OutputWrapper
from django.utils import timezone

from newsdesk.articles.factories import SECTION_COLOURS, create_article, make_image
from newsdesk.articles.models import ArticlePage, Author

from . import services
from .models import LiveCoverage

DEMO_ID = "demo-live-river-flood"
REPORTERS = ["Mara Lindqvist", "Tobias Renner"]
# (minutes after the start / 3, reporter, text, pinned, key event)
ENTRIES = [
    (0, 0, "We are following the rising river through the old town all day; the latest is below.", True, False),
    (8, 1, "The river gauge at the stone bridge reads 4.1 metres, a metre above its usual winter level.", False, False),
    (
        15,
        0,
        "Shops on Quay Street are moving stock upstairs. One owner says the water reached her step at dawn.",
        False,
        False,
    ),
    (22, 1, "The town council has closed the lower road along the embankment to all traffic.", False, True),
    (
        30,
        0,
        "Volunteers are filling sandbags in the market square; the fire service asks for more hands.",
        False,
        False,
    ),
    (
        38,
        1,
        "Trains between the harbour and the central station are replaced by buses until further notice.",
        False,
        False,
    ),
    (45, 0, "The school by the ferry landing sends pupils home at noon as a precaution.", False, False),
    (
        53,
        1,
        "Forecasters now expect the river to peak this evening, half a metre higher than this morning.",
        False,
        True,
    ),
    (60, 0, "The council opens the sports hall on Hill Road for anyone who has to leave home tonight.", False, False),
    (
        68,
        1,
        "Power is cut to four streets near the water as a safety measure; the utility says for a few hours.",
        False,
        False,
    ),
    (75, 0, "The ferry across the estuary stops running: its landing stage is under water.", False, False),
    (
        83,
        1,
        "Rain has eased for now. The next band is expected after dark, according to the weather office.",
        False,
        False,
    ),
    (90, 0, "Residents of Quay Street describe a calm, practised clear-out: 'we have done this before'.", False, False),
]


def add_demo_live_coverage(stdout: OutputWrapper) -> None:
    """One open live coverage article with a dozen entries and two key events; running it again adds nothing."""
    if LiveCoverage.objects.filter(article__external_id=DEMO_ID).exists():
        return
    # Begun hours ago, so the live article is not the home page's newest lead (the desk demo shows a stale lead).
    started = timezone.now().replace(second=0, microsecond=0) - datetime.timedelta(hours=5)
    article = ArticlePage.objects.filter(external_id=DEMO_ID).first() or _article(started)
    coverage = services.coverage_start(article=article, user=None, started_at=started)
    authors = {author.name: author for author in Author.objects.filter(name__in=REPORTERS)}
    for minutes, reporter, text, pinned, key_event in ENTRIES:
        services.entry_post(
            coverage=coverage,
            user=None,
            body=text,
            author=authors.get(REPORTERS[reporter]),
            posted_at=started + datetime.timedelta(minutes=3 * minutes),
            pinned=pinned,
            key_event=key_event,
        )
    stdout.write(f"Live coverage: {article.title} ({len(ENTRIES)} entries).")


def _article(published_at: datetime.datetime) -> ArticlePage:
    # The import copies the picture into media, so the drawn original can go at once.
    with tempfile.TemporaryDirectory(prefix="newsdesk-live-demo-") as workdir:
        picture = make_image(Path(workdir) / "river.jpg", seed=4242, colour=SECTION_COLOURS["local"])
        return create_article(
            base_dir=Path(workdir),
            external_id=DEMO_ID,
            section="local",
            headline="River rises through the old town: live updates",
            standfirst="Follow the day as the river climbs past its banks and the town prepares for the evening peak.",
            body=["The river has risen through the night after two days of rain. This page follows the day."],
            authors=REPORTERS,
            published_at=published_at,
            image={"path": picture.name, "caption": "The river by the stone bridge", "credit": "Newsdesk graphics"},
        )
