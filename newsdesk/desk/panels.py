"""The desk dashboard's panels on the Wagtail admin home, one Wagtail Component each.

A panel reads its data only when it is rendered (`get_context_data`), each from one
selector in selectors.py; wagtail_hooks.py decides who gets which panel.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail.admin.ui.components import Component

from . import selectors
from .selectors import Row


@dataclass
class Section:
    rows: list[Row]
    empty: str
    heading: str = ""


@dataclass
class Link:
    url: str
    label: str


@dataclass
class Content:
    sections: list[Section] = field(default_factory=list)
    summary: str = ""
    warning: bool = False
    link: Link | None = None


class DeskPanel(Component):
    template_name = "desk/panel.html"
    name = "desk"
    heading: Any = ""
    order = 100

    class Media:
        css = {"all": ["desk/desk.css"]}

    def content(self, request: HttpRequest) -> Content:
        raise NotImplementedError

    def get_context_data(self, parent_context: Mapping[str, Any] | None = None) -> Mapping[str, Any]:
        request = (parent_context or {})["request"]
        return {"panel_id": f"desk-{self.name}", "heading": self.heading, "content": self.content(request)}


class AwaitingReviewPanel(DeskPanel):
    name = "awaiting-review"
    heading = gettext_lazy("Awaiting my review")
    order = 100

    def content(self, request: HttpRequest) -> Content:
        rows = selectors.awaiting_review(request.user)
        return Content(sections=[Section(rows, _("Nothing is waiting for your review."))])


class MyDraftsInReviewPanel(DeskPanel):
    name = "my-drafts-in-review"
    heading = gettext_lazy("My drafts in review")
    order = 110

    def content(self, request: HttpRequest) -> Content:
        rows = selectors.my_drafts_in_review(request.user)
        return Content(sections=[Section(rows, _("None of your drafts is in review."))])


class ScheduledPanel(DeskPanel):
    name = "scheduled"
    heading = gettext_lazy("Scheduled in the next 24 hours")
    order = 150

    def content(self, request: HttpRequest) -> Content:
        return Content(sections=[Section(selectors.scheduled(), _("Nothing is scheduled for the next 24 hours."))])


class StaleLeadPanel(DeskPanel):
    name = "stale-lead"
    heading = gettext_lazy("Home page lead")
    order = 130

    def content(self, request: HttpRequest) -> Content:
        lead = selectors.home_lead()
        if lead is None:
            return Content(sections=[Section([], _("No article is published yet, so the home page has no lead."))])
        hours = int(lead.hours)
        if lead.stale:
            summary = ngettext(
                "The lead has not changed for %(hours)d hour. Publish a newer story to replace it.",
                "The lead has not changed for %(hours)d hours. Publish a newer story to replace it.",
                hours,
            ) % {"hours": hours}
        else:
            summary = _("The lead is fresh: it changes when a newer story is published.")
        return Content(sections=[Section([lead.row], "")], summary=summary, warning=lead.stale)


class PublishedTodayPanel(DeskPanel):
    name = "published-today"
    heading = gettext_lazy("Published today")
    order = 160

    def content(self, request: HttpRequest) -> Content:
        count, rows = selectors.published_today()
        summary = ngettext("%(count)d article so far today.", "%(count)d articles so far today.", count) % {
            "count": count
        }
        return Content(
            sections=[Section(rows, _("Nothing has been published today yet."))], summary=summary if count else ""
        )


class HeldCommentsPanel(DeskPanel):
    name = "held-comments"
    heading = gettext_lazy("Held comments")
    order = 120

    def content(self, request: HttpRequest) -> Content:
        count, rows = selectors.held_comments()
        summary = ngettext(
            "%(count)d comment is waiting for moderation, oldest first:",
            "%(count)d comments are waiting for moderation, oldest first:",
            count,
        ) % {"count": count}
        return Content(
            sections=[Section(rows, _("No comment is waiting for moderation."))],
            summary=summary if count else "",
            warning=bool(count),
            link=Link(selectors.comment_queue_url(), _("Open the moderation queue")),
        )


class MostReadPanel(DeskPanel):
    name = "most-read"
    heading = gettext_lazy("Most read")
    order = 170

    def content(self, request: HttpRequest) -> Content:
        hour, today = selectors.most_read()
        return Content(
            sections=[
                Section(hour, _("No reads counted in the last hour yet."), heading=_("Last hour")),
                Section(today, _("No reads counted today yet."), heading=_("Today")),
            ]
        )


class IngestErrorsPanel(DeskPanel):
    name = "ingest-errors"
    heading = gettext_lazy("Wires and feeds in error")
    order = 140

    def content(self, request: HttpRequest) -> Content:
        rows = selectors.ingest_errors()
        return Content(sections=[Section(rows, _("Every wire and feed is polling normally."))], warning=bool(rows))
