"""Webhooks in the admin, for Admins only: the list, add, edit and delete forms, each webhook's
status page with its secret and delivery log, and "Send test event".

Wagtail's ModelViewSet checks the model's permissions (`webhooks.add_webhook` …); core/roles.py
grants Admins every permission and Editors none of these, so only Admins (and superusers) see
the menu item or open a page. Writes go through services.py; the job worker delivers.
"""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlsplit

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import log

from . import services
from .forms import WEBHOOK_FIELDS, WebhookForm
from .models import Event, Webhook
from .tasks import send_test_event

TEST_PERMISSION = "webhooks.change_webhook"
# Deliveries shown on a webhook's status page, newest first.
SHOWN = 100


def _when(moment: datetime.datetime | None) -> str:
    return date_format(timezone.localtime(moment), "Y-m-d H:i") if moment else ""


def state_text(webhook: Webhook) -> str:
    if webhook.active:
        return (
            _("On, failing since %(when)s") % {"when": _when(webhook.failing_since)}
            if webhook.failing_since
            else _("On")
        )
    if webhook.switched_off_at:
        return _("Switched off %(when)s after failing for a day") % {"when": _when(webhook.switched_off_at)}
    return _("Off")


def events_text(webhook: Webhook) -> str:
    names = dict(Event.choices)
    return ", ".join(str(names.get(event, event)) for event in webhook.events) or _("None")


class WebhookCreateView(generic.CreateView):
    def save_instance(self) -> Webhook:
        webhook = services.webhook_create(**self.form.cleaned())
        log(instance=webhook, action="wagtail.create", user=self.request.user)
        return webhook

    def get_success_url(self) -> str:
        # The status page shows the new secret, which the receiver needs first.
        return reverse("webhooks:inspect", args=[self.object.pk])

    def get_success_message(self, instance: Webhook) -> str:
        return _("Webhook “%(name)s” added. Give its signing secret (below) to the receiver.") % {"name": instance.name}


class WebhookEditView(generic.EditView):
    def save_instance(self) -> Webhook:
        # The form has already written its values onto self.object; the service compares with the stored row.
        webhook = services.webhook_update(webhook=Webhook.objects.get(pk=self.object.pk), **self.form.cleaned())
        log(instance=webhook, action="wagtail.edit", user=self.request.user)
        return webhook


class WebhookDeleteView(generic.DeleteView):
    @property
    def confirmation_message(self) -> str:
        return _("Delete the webhook “%(name)s”? Its delivery log and any waiting deliveries go with it.") % {
            "name": self.object.name
        }


class WebhookStatusView(generic.InspectView):
    """Settings, state, the signing secret and the delivery log."""

    page_title = gettext_lazy("Status")
    template_name = "webhooks/admin/status.html"

    def get_field_label(self, field_name: str, field: Any) -> str:
        return str(WebhookForm.base_fields[field_name].label)

    def get_field_display_value(self, field_name: str, field: Any) -> Any:
        webhook: Webhook = self.object
        if field_name == "events":
            return events_text(webhook)
        if field_name == "active":
            return state_text(webhook)
        return super().get_field_display_value(field_name, field)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        webhook: Webhook = self.object
        context.update(
            deliveries=webhook.deliveries.all()[:SHOWN],
            test_url=reverse("webhooks:test", args=[webhook.pk]) if self.user_has_permission("change") else None,
            signature_header=services.SIGNATURE_HEADER,
        )
        return context


@require_POST
def webhook_send_test(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue a test event for this webhook (sent whether it is on or off, and whatever its events)."""
    if not request.user.has_perm(TEST_PERMISSION):
        raise PermissionDenied
    webhook = get_object_or_404(Webhook, pk=pk)
    send_test_event(webhook)
    messages.success(
        request,
        _("A test event is queued for “%(name)s”; reload in a moment to see its delivery.") % {"name": webhook.name},
    )
    return HttpResponseRedirect(reverse("webhooks:inspect", args=[webhook.pk]))


class WebhookViewSet(ModelViewSet):
    model = Webhook
    name = "webhooks"
    url_prefix = "webhooks"
    icon = "link-external"
    menu_label = gettext_lazy("Webhooks")
    menu_name = "webhooks"
    # A site-wide tool: after the desk's menus and Wagtail's Images and Snippets (300, 500), before Reports.
    menu_order = 860
    add_to_admin_menu = True
    form_fields = WEBHOOK_FIELDS
    add_view_class = WebhookCreateView
    edit_view_class = WebhookEditView
    delete_view_class = WebhookDeleteView
    inspect_view_class = WebhookStatusView
    inspect_view_enabled = True
    inspect_view_fields = ["name", "url", "events", "active"]
    # A copy would share the secret, which belongs to one receiver.
    copy_view_enabled = False
    list_display = [
        "name",
        Column("host", label=gettext_lazy("Receiver"), accessor=lambda webhook: urlsplit(webhook.url).netloc),
        Column("events", label=gettext_lazy("Events"), accessor=events_text),
        Column("state", label=gettext_lazy("State"), accessor=state_text, sort_key="active"),
        DateColumn("created_at", label=gettext_lazy("Added"), sort_key="created_at"),
    ]

    def get_form_class(self, for_update: bool = False) -> type[WebhookForm]:
        return WebhookForm

    def get_urlpatterns(self) -> list[Any]:
        return super().get_urlpatterns() + [path("test/<int:pk>/", webhook_send_test, name="test")]
