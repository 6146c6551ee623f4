"""The demo newsroom's corrections: one correction and one clarification on two published demo stories (invented copy).

Idempotent: a story that already carries its demo text is left alone, so running the
demo again adds nothing twice.
"""

from __future__ import annotations

from typing import Protocol

from . import corrections
from .models import ArticlePage, Correction


class Writer(Protocol):
    """Where the demo reports: a management command's stdout, or a StringIO in tests."""

    def write(self, text: str, /) -> object: ...


DEMO_CORRECTIONS = [
    (
        Correction.Kind.CORRECTION,
        "An earlier version of this story gave the council vote as 31 to 21. It was 31 to 12.",
        True,
    ),
    (
        Correction.Kind.CLARIFICATION,
        "This story has been updated to make clear that the figures are the city's estimates, not final accounts.",
        False,
    ),
]


def add_demo_corrections(stdout: Writer) -> None:
    """Add the demo texts to the second and third newest demo stories (the newest leads the home page)."""
    stories = list(
        ArticlePage.objects.published()
        .filter(external_id__startswith="demo-", external_id__regex=r"^demo-[a-z-]+-[0-9]+$")
        .newest_first()[1:3]
    )
    for story, (kind, text, significant) in zip(stories, DEMO_CORRECTIONS, strict=False):
        if story.corrections.filter(text=text).exists():
            continue
        corrections.correction_add(article=story, kind=kind, text=text, significant=significant, user=None)
        stdout.write(f"Demo {kind} added to “{story.title}”.\n")
