"""Wires and feeds in the admin, for Editors and Admins: the sources, each one's status page, "Poll now".

Wagtail's ModelViewSet gives the list, the add, edit and delete forms, and their checks against
the model's permissions (`ingest.add_source`, `change_source`, `delete_source`, `view_source`,
asked through `user.has_perm`; core/roles.py grants them to Editors, Admins hold every permission).
The status page is the viewset's inspect view. The poller does the work (services.py, run by the
job worker through tasks.py); these views only show what it did and queue a poll.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import F
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from .forms import SOURCE_FIELDS, SourceForm
from .models import Source
from .tasks import poll_source_now

POLL_PERMISSION = "ingest.change_source"
# Log entries and stories shown on a source's status page, newest first.
SHOWN = 50
# How much of the last error the list shows; the status page shows it whole.
SHORT_ERROR = 60


def _when(moment: datetime.datetime | None) -> str:
    return date_format(timezone.localtime(moment), "Y-m-d H:i") if moment else ""


def next_poll_text(source: Source, now: datetime.datetime | None = None) -> str:
    """When the poller will next look at the source, as the desk reads it."""
    now = now or timezone.now()
    if not source.enabled:
        return _("Not polled (off)")
    if source.polling_until and source.polling_until > now:
        return _("Being polled now")
    if source.next_poll_at is None or source.next_poll_at <= now:
        # The scheduler looks for due sources every minute (NEWSDESK_RECURRING_TASKS).
        return _("Within a minute")
    return _when(source.next_poll_at)


def last_error_text(source: Source) -> str:
    if not source.last_error:
        return ""
    return f"{_when(source.last_error_at)} {Truncator(source.last_error).chars(SHORT_ERROR)}".strip()


def counts_text(source: Source) -> str:
    return f"{source.items_created} / {source.items_updated} / {source.items_skipped}"


class SourceIndexView(generic.IndexView):
    page_title = gettext_lazy("Wires and feeds")

    def get_list_more_buttons(self, instance: Source) -> list[Any]:
        # Wagtail calls its inspect view "Inspect"; here it is the source's status page, the first stop.
        buttons = super().get_list_more_buttons(instance)
        for button in buttons:
            if isinstance(button, MenuItem) and button.url == self.get_inspect_url(instance):
                button.label, button.priority = _("Status"), 5
        return buttons


class SourceDeleteView(generic.DeleteView):
    @property
    def confirmation_message(self) -> str:
        return _(
            "Delete “%(name)s”? Its log and the record of which story became which article go with it; "
            "the articles stay. A source added again later treats every story as new."
        ) % {"name": self.object.name}


class SourceStatusView(generic.InspectView):
    """Settings, the poller's state, the last log entries and stories; the editor notes are for editors only."""

    page_title = gettext_lazy("Status")
    template_name = "ingest/admin/status.html"

    def get_object(self, queryset: Any = None) -> Source:
        return get_object_or_404(Source.objects.select_related("default_section"), pk=self.pk)

    def get_field_label(self, field_name: str, field: Any) -> str:
        return str(SourceForm.base_fields[field_name].label)

    def get_field_display_value(self, field_name: str, field: Any) -> Any:
        if isinstance(field, models.BooleanField):
            return _("Yes") if getattr(self.object, field_name) else _("No")
        return super().get_field_display_value(field_name, field)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        source: Source = self.object
        context.update(
            next_poll=next_poll_text(source),
            log=source.log.all()[:SHOWN],
            # The title alone: loading each ArticlePage would read its whole body.
            stories=source.stories.annotate(article_title=F("article__title")).order_by("-last_seen", "-pk")[:SHOWN],
            poll_url=reverse("ingest_sources:poll", args=[source.pk]) if self.user_has_permission("change") else None,
        )
        return context


@require_POST
def source_poll_now(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue one poll of the source for the job worker; the task leaves a source being polled alone."""
    if not request.user.has_perm(POLL_PERMISSION):
        raise PermissionDenied
    source = get_object_or_404(Source, pk=pk)
    poll_source_now.enqueue(source.pk)
    messages.success(
        request,
        _("A poll of “%(name)s” is queued; reload this page in a moment to see what it did.") % {"name": source.name},
    )
    return HttpResponseRedirect(reverse("ingest_sources:inspect", args=[source.pk]))


class SourceViewSet(ModelViewSet):
    model = Source
    name = "ingest_sources"
    url_prefix = "wires-and-feeds"
    icon = "globe"
    menu_label = gettext_lazy("Wires and feeds")
    menu_name = "wires-and-feeds"
    # Beside the desk's other tools (Comments 220, Ads 250), above Wagtail's Images (300).
    menu_order = 230
    add_to_admin_menu = True
    index_view_class = SourceIndexView
    delete_view_class = SourceDeleteView
    inspect_view_class = SourceStatusView
    inspect_view_enabled = True
    inspect_view_fields = SOURCE_FIELDS
    # A copy would carry the name, which must be unique, and the location, which is the source.
    copy_view_enabled = False
    list_filter = ["kind", "mode", "enabled"]
    list_display = [
        "name",
        Column("kind", label=gettext_lazy("Kind"), accessor="get_kind_display", sort_key="kind"),
        Column("mode", label=gettext_lazy("Mode"), accessor="get_mode_display", sort_key="mode"),
        Column(
            "enabled",
            label=gettext_lazy("Polling"),
            accessor=lambda source: _("On") if source.enabled else _("Off"),
            sort_key="enabled",
        ),
        Column(
            "interval",
            label=gettext_lazy("Interval"),
            accessor=lambda source: _("%(minutes)s min") % {"minutes": source.interval_minutes},
            sort_key="interval_minutes",
        ),
        DateColumn("last_success_at", label=gettext_lazy("Last success"), sort_key="last_success_at"),
        Column("last_error", label=gettext_lazy("Last error"), accessor=last_error_text),
        Column("counts", label=gettext_lazy("Created / updated / skipped"), accessor=counts_text),
        Column("next_poll", label=gettext_lazy("Next poll"), accessor=next_poll_text, sort_key="next_poll_at"),
    ]

    def get_form_class(self, for_update: bool = False) -> type[SourceForm]:
        return SourceForm

    def get_urlpatterns(self) -> list[Any]:
        return super().get_urlpatterns() + [path("poll/<int:pk>/", source_poll_now, name="poll")]
