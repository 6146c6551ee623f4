"""Something for every desk panel in the demo newsroom the rest of the demo does not already make.

The demo already has held comments, reading figures and an older lead. Added here, once
each (found again by their external ids and names, so a second run adds nothing): a story
scheduled a few hours ahead, a writer's draft waiting in the review workflow, and a wire
whose drop folder is missing, so its polls fail without reaching outside the machine.
"""

import datetime
import tempfile
from io import TextIOBase
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.text import slugify
from wagtail.rich_text import RichText

from newsdesk.articles.factories import SECTION_COLOURS, create_article, make_image
from newsdesk.articles.models import ArticleIndexPage, ArticlePage, SectionPage
from newsdesk.ingest import services as ingest
from newsdesk.ingest.models import Source

SCHEDULED_ID = "desk-demo-scheduled"
SCHEDULED_TITLE = "Budget committee meets tonight on the school-repair fund"
DRAFT_ID = "desk-demo-draft-in-review"
DRAFT_TITLE = "Night buses: what the new timetable changes for shift workers"
WIRE_NAME = "Regional wire (demo: its drop folder is missing)"


def add_demo_desk(stdout: TextIOBase) -> None:
    _scheduled_story()
    _draft_in_review()
    _failing_wire()
    stdout.write("Desk dashboard: a scheduled story, a draft in review and a wire in error.\n")


def _scheduled_story() -> None:
    if ArticlePage.objects.filter(external_id=SCHEDULED_ID).exists():
        return
    go_live = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(hours=6)
    # A fixed headline and a picture like every demo story (the demo is the same on every run).
    # The import copies the picture into media, so the drawn original can go at once.
    with tempfile.TemporaryDirectory(prefix="newsdesk-desk-demo-") as workdir:
        picture = make_image(Path(workdir) / "committee.jpg", seed=5151, colour=SECTION_COLOURS["politics"])
        # The import schedules a story dated in the future: Wagtail's scheduler publishes it then.
        create_article(
            base_dir=Path(workdir),
            section="politics",
            external_id=SCHEDULED_ID,
            headline=SCHEDULED_TITLE,
            standfirst="Councillors decide how the repair money is split between the eleven schools.",
            published_at=go_live,
            image={"path": picture.name, "caption": "The council chamber", "credit": "Newsdesk graphics"},
        )


def _draft_in_review() -> None:
    if ArticlePage.objects.filter(external_id=DRAFT_ID).exists():
        return
    writer = get_user_model().objects.filter(username="writer").first()
    section = SectionPage.objects.filter(slug="local").first()
    if writer is None or section is None:
        return
    draft = ArticlePage(
        title=DRAFT_TITLE,
        slug=slugify(DRAFT_TITLE),
        external_id=DRAFT_ID,
        standfirst="From next month the last buses leave later, but two routes lose their night service.",
        body=[("paragraph", RichText("<p>The transport authority published the new timetable on Monday.</p>"))],
        live=False,
        owner=writer,
        primary_section=section,
        # Every demo story has a picture; this draft borrows one from the local section.
        lead_image_id=ArticlePage.objects.filter(primary_section=section, lead_image__isnull=False)
        .values_list("lead_image", flat=True)
        .first(),
    )
    ArticleIndexPage.objects.get().add_child(instance=draft)
    draft.save_revision(user=writer)
    workflow = draft.get_workflow()
    if workflow is not None:
        workflow.start(draft, writer)


def _failing_wire() -> None:
    root = settings.NEWSDESK_INGEST_FOLDER_ROOTS[0]
    source, _ = Source.objects.get_or_create(
        name=WIRE_NAME,
        defaults={"kind": Source.Kind.FOLDER, "location": str(root / "demo-regional-wire-missing")},
    )
    if source.failures == 0 and not (root / "demo-regional-wire-missing").is_dir():
        # A real poll of the missing folder records the failure and the back-off, as the scheduler would.
        ingest.poll(source)
