"""The demo newsroom's live coverage: one open live article with a morning's entries (invented copy)."""

from __future__ import annotations

import datetime
import html
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import OutputWrapper
from django.utils import timezone

from newsdesk.articles.factories import SECTION_COLOURS, create_article, make_image
from newsdesk.articles.models import ArticlePage, Author

from . import services
from .blocks import from_text
from .models import LiveCoverage

DEMO_ID = "demo-live-river-flood"
REPORTERS = ["Mara Lindqvist", "Tobias Renner"]


def _heading(text: str) -> list[dict[str, Any]]:
    return [{"type": "heading", "value": text}]


def _quote(text: str, attribution: str) -> list[dict[str, Any]]:
    return [{"type": "quote", "value": {"text": text, "attribution": attribution}}]


def _items(*items: str) -> list[dict[str, Any]]:
    listed = "".join(f"<li>{html.escape(item, quote=False)}</li>" for item in items)
    return [{"type": "paragraph", "value": f"<ul>{listed}</ul>"}]


# (minutes after the start / 3, reporter, blocks, pinned, key event): some entries carry a heading,
# a quote or a list, as the block editor lets a reporter write them.
ENTRIES: list[tuple[int, int, list[dict[str, Any]], bool, bool]] = [
    (0, 0, from_text("We follow the rising river through the old town all day; the latest is below."), True, False),
    (
        8,
        1,
        from_text("The river gauge at the stone bridge reads 4.1 metres, a metre above its usual winter level."),
        False,
        False,
    ),
    (
        15,
        0,
        from_text("Shops on Quay Street are moving stock upstairs. One owner says the water reached her step at dawn."),
        False,
        False,
    ),
    (
        22,
        1,
        _heading("Embankment road closed")
        + from_text("The town council has closed the lower road along the embankment to all traffic."),
        False,
        True,
    ),
    (
        30,
        0,
        from_text("Volunteers are filling sandbags in the market square; the fire service asks for more hands.")
        + _quote(
            "Bring a spade if you have one, and gloves. We need people more than sand.", "Fire service crew leader"
        ),
        False,
        False,
    ),
    (
        38,
        1,
        from_text("Trains between the harbour and the central station are replaced by buses until further notice."),
        False,
        False,
    ),
    (45, 0, from_text("The school by the ferry landing sends pupils home at noon as a precaution."), False, False),
    (
        53,
        1,
        _heading("Peak expected this evening")
        + from_text("Forecasters now expect the river to peak this evening, half a metre higher than this morning."),
        False,
        True,
    ),
    (
        60,
        0,
        from_text("The council opens the sports hall on Hill Road for anyone who has to leave home tonight. Bring:")
        + _items("medicines and chargers", "a change of clothes", "pets in a carrier or on a lead"),
        False,
        False,
    ),
    (
        68,
        1,
        from_text("Power is cut near the water as a safety measure; the utility says for a few hours. Streets:")
        + _items("Quay Street", "Mill Lane", "Ferry Road", "Tanner's Row"),
        False,
        False,
    ),
    (75, 0, from_text("The ferry across the estuary stops running: its landing stage is under water."), False, False),
    (
        83,
        1,
        from_text("Rain has eased for now. The next band is expected after dark, according to the weather office."),
        False,
        False,
    ),
    (
        90,
        0,
        from_text("Residents of Quay Street describe a calm, practised clear-out.")
        + _quote("We have done this before. The furniture goes up, the sandbags go down.", "Quay Street resident"),
        False,
        False,
    ),
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
    for minutes, reporter, body, pinned, key_event in ENTRIES:
        services.entry_post(
            coverage=coverage,
            user=None,
            body=body,
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
