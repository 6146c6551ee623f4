"""Newsletters in the admin, for Editors and Admins: newsletters and their picks, editions, subscribers.

Wagtail's ModelViewSets give the lists, forms and their checks against the model permissions
(`newsletters.add_newsletter`, `change_edition`, … asked through `user.has_perm`; core/roles.py
grants them to Editors, Admins hold every permission). A newsletter's page (its inspect view)
holds the editor picks; an edition's page (its inspect view) holds the preview, the test copy,
Send now, Schedule and the live delivery counts. Sending is the worker's (tasks.py): these
views queue it and show what it did. Exporting every address is for Admins only.
"""

from __future__ import annotations

import datetime
import io
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import Promise, cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.panels import FieldPanel, InlinePanel, ObjectList, PageChooserPanel
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy

from newsdesk.articles.selectors import published_articles

from . import mail, sending, services, subscribers, tasks
from .admin_forms import (
    NEWSLETTER_FIELDS,
    EditionForm,
    ImportForm,
    NewsletterForm,
    PickForm,
    ScheduleForm,
    SuppressForm,
)
from .models import Delivery, Edition, Newsletter, NewsletterPick, Subscriber, Subscription

NEWSLETTERS = "newsletter_admin"
EDITIONS = "newsletter_editions"
SUBSCRIBERS = "newsletter_subscribers"
VIEW_EDITION = "newsletters.view_edition"
CHANGE_EDITION = "newsletters.change_edition"
# Every address leaving the site at once: Admins only (Editors do not hold delete_subscriber).
EXPORT_SUBSCRIBERS = "newsletters.delete_subscriber"
IMPORT_SUBSCRIBERS = "newsletters.add_subscriber"
SUPPRESS_SUBSCRIBERS = "newsletters.change_subscriber"
LOCKED = (Edition.Status.SENDING, Edition.Status.SENT)
# The e-mail preview is our own rendering of stories, shown in a sandboxed frame all the same:
# no script, no form, no plugin, nothing loaded but its own inline styles and pictures.
PREVIEW_POLICY = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src {images}; frame-ancestors 'self'"


def _require(request: HttpRequest, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


def edition_url(edition: Edition | int, view: str = "inspect") -> str:
    return reverse(f"{EDITIONS}:{view}", args=[getattr(edition, "pk", edition)])


def newsletter_url(newsletter: Newsletter | int, view: str = "inspect") -> str:
    return reverse(f"{NEWSLETTERS}:{view}", args=[getattr(newsletter, "pk", newsletter)])


def receiving(prefix: str = "") -> Q:
    """Subscriptions whose subscriber gets mail: confirmed and not suppressed (as sending.recipients)."""
    return Q(
        **{
            f"{prefix}subscriber__confirmed_at__isnull": False,
            f"{prefix}subscriber__suppressed_at__isnull": True,
        }
    )


def recipient_count(edition: Edition) -> int:
    """How many would receive the edition if it went now (sending.recipients, counted in the database)."""
    return Subscription.objects.filter(receiving(), newsletter_id=edition.newsletter_id).count()


# --- Newsletters and their picks ------------------------------------------------------


class NewsletterIndexView(generic.IndexView):
    page_title = gettext_lazy("Newsletters")

    def get_base_queryset(self) -> QuerySet[Newsletter]:
        return (
            super()
            .get_base_queryset()
            .annotate(
                receiving=Count("subscriptions", filter=receiving("subscriptions__")),
                last_edition=Max("editions__started_at"),
            )
        )


class NewsletterPageView(generic.InspectView):
    """The newsletter's page: its settings, who receives it, its editions and the editor picks."""

    page_title = gettext_lazy("Newsletter")
    template_name = "newsletters/admin/newsletter.html"

    def get_field_label(self, field_name: str, field: Any) -> str:
        return str(NewsletterForm.base_fields[field_name].label)

    def get_field_display_value(self, field_name: str, field: Any) -> Any:
        if field_name == "sections":
            return ", ".join(section.title for section in self.object.sections.order_by("title")) or _("Every section")
        if field_name == "public":
            return _("Yes") if self.object.public else _("No")
        return super().get_field_display_value(field_name, field)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        newsletter: Newsletter = self.object
        can_pick = self.request.user.has_perm("newsletters.add_newsletterpick")
        context.update(
            receiving=newsletter.subscriptions.filter(receiving()).count(),
            editions=newsletter.editions.order_by("-created_at")[:10],
            editions_url=reverse(f"{EDITIONS}:index") + f"?newsletter={newsletter.pk}",
            compose_url=(
                reverse(f"{EDITIONS}:add") + f"?newsletter={newsletter.pk}"
                if self.request.user.has_perm("newsletters.add_edition")
                else None
            ),
            picks=newsletter.picks.select_related("article").order_by("sort_order", "pk"),
            pick_form=PickForm() if can_pick else None,
            can_pick=can_pick,
        )
        return context


class NewsletterDeleteView(generic.DeleteView):
    @property
    def confirmation_message(self) -> str:
        count = self.object.subscriptions.count()
        message = ngettext(
            "Delete “%(name)s”? Its %(count)d subscription, its editions (their public pages too) and their "
            "delivery records go with it; the subscriber's address stays, for other newsletters.",
            "Delete “%(name)s”? Its %(count)d subscriptions, its editions (their public pages too) and their "
            "delivery records go with it; the subscribers' addresses stay, for other newsletters.",
            count,
        )
        return message % {"name": self.object.name, "count": count}


def _next_pick_order(newsletter: Newsletter) -> int:
    highest = newsletter.picks.aggregate(n=Max("sort_order"))["n"]
    return 0 if highest is None else highest + 1


@require_POST
def pick_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a story to the next automatic edition's picks (last in their order; once per newsletter)."""
    _require(request, "newsletters.add_newsletterpick")
    newsletter = get_object_or_404(Newsletter, pk=pk)
    form = PickForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a published story to pick."))
        return redirect(newsletter_url(newsletter))
    article = form.cleaned_data["article"]
    _pick, created = NewsletterPick.objects.get_or_create(
        newsletter=newsletter, article=article, defaults={"sort_order": _next_pick_order(newsletter)}
    )
    if created:
        messages.success(request, _("“%(title)s” goes first in the next edition.") % {"title": article.title})
    else:
        messages.info(request, _("“%(title)s” is already picked.") % {"title": article.title})
    return redirect(newsletter_url(newsletter))


@require_POST
def pick_move(request: HttpRequest, pk: int, direction: str) -> HttpResponse:
    """Swap a pick with its neighbour above ("up") or below ("down"), renumbering the picks 0, 1, 2…"""
    _require(request, "newsletters.change_newsletterpick")
    pick = get_object_or_404(NewsletterPick, pk=pk)
    with transaction.atomic():
        picks = list(
            NewsletterPick.objects.select_for_update()
            .filter(newsletter_id=pick.newsletter_id)
            .order_by("sort_order", "pk")
        )
        index = next(i for i, row in enumerate(picks) if row.pk == pick.pk)
        other = index - 1 if direction == "up" else index + 1
        if 0 <= other < len(picks):
            picks[index], picks[other] = picks[other], picks[index]
        for order, row in enumerate(picks):
            if row.sort_order != order:
                row.sort_order = order
                row.save(update_fields=["sort_order"])
    return redirect(newsletter_url(pick.newsletter_id))


@require_POST
def pick_remove(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "newsletters.delete_newsletterpick")
    pick = get_object_or_404(NewsletterPick.objects.select_related("article"), pk=pk)
    pick.delete()
    messages.success(request, _("“%(title)s” is no longer picked.") % {"title": pick.article.title})
    return redirect(newsletter_url(pick.newsletter_id))


class NewsletterViewSet(ModelViewSet):
    model = Newsletter
    name = NEWSLETTERS
    url_prefix = "newsletters"
    icon = "mail"
    menu_label = gettext_lazy("Newsletters")
    menu_name = "newsletters"
    index_view_class = NewsletterIndexView
    delete_view_class = NewsletterDeleteView
    inspect_view_class = NewsletterPageView
    inspect_view_enabled = True
    inspect_view_fields = NEWSLETTER_FIELDS
    # A copy would carry the slug, which must be unique, and the same sender and schedule.
    copy_view_enabled = False
    list_display = [
        TitleColumn("name", label=gettext_lazy("Name"), get_url=lambda newsletter: newsletter_url(newsletter)),
        Column("cadence", label=gettext_lazy("Cadence"), accessor="get_cadence_display", sort_key="cadence"),
        Column(
            "public",
            label=gettext_lazy("Public"),
            accessor=lambda newsletter: _("Yes") if newsletter.public else _("No"),
            sort_key="public",
        ),
        Column("receiving", label=gettext_lazy("Subscribers"), sort_key="receiving"),
        DateColumn("last_edition", label=gettext_lazy("Last sent"), sort_key="last_edition"),
    ]

    def get_form_class(self, for_update: bool = False) -> type[NewsletterForm]:
        return NewsletterForm

    def get_urlpatterns(self) -> list[Any]:
        return super().get_urlpatterns() + [
            path("<int:pk>/picks/add/", pick_add, name="pick_add"),
            path("picks/<int:pk>/move/<str:direction>/", pick_move, name="pick_move"),
            path("picks/<int:pk>/remove/", pick_remove, name="pick_remove"),
        ]


# --- Editions -------------------------------------------------------------------------


def delivery_counts(edition: Edition) -> list[tuple[str, str, int]]:
    """(status, label, count) for every delivery status, in the Delivery.Status order."""
    found = sending.counts(edition)
    return [(status, str(label), found.get(status, 0)) for status, label in Delivery.Status.choices]


class EditionIndexView(generic.IndexView):
    page_title = gettext_lazy("Editions")
    add_item_label = gettext_lazy("Compose an edition")

    def get_base_queryset(self) -> QuerySet[Edition]:
        return (
            super()
            .get_base_queryset()
            .select_related("newsletter")
            .annotate(
                queued=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.QUEUED)),
                sent=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.SENT)),
                failed=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.FAILED)),
            )
        )


class EditionCreateView(generic.CreateView):
    page_title = gettext_lazy("Compose an edition")

    def get_initial_form_instance(self) -> Edition | None:
        # "Compose" on a newsletter's page comes with ?newsletter=<pk>.
        wanted = self.request.GET.get("newsletter", "")
        newsletter = Newsletter.objects.filter(pk=int(wanted)).first() if wanted.isdigit() else None
        return Edition(newsletter=newsletter) if newsletter else None

    def get_success_url(self) -> str:
        return edition_url(self.object)


class RefusedWhen:
    """Views that refuse an edition in some states: checked after the permission check (in dispatch)."""

    refused_states: tuple[str, ...] = ()
    refusal: str | Promise = ""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return self._refusal() or super().get(request, *args, **kwargs)  # type: ignore[misc]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return self._refusal() or super().post(request, *args, **kwargs)  # type: ignore[misc]

    def _refusal(self) -> HttpResponse | None:
        edition: Edition = self.get_object()  # type: ignore[attr-defined]
        if edition.status not in self.refused_states:
            return None
        messages.error(self.request, str(self.refusal))  # type: ignore[attr-defined]
        return redirect(edition_url(edition))


class EditionEditView(RefusedWhen, generic.EditView):
    refused_states = LOCKED
    refusal = gettext_lazy("This edition is sending or sent, so it can no longer be changed.")

    def get_success_url(self) -> str:
        return edition_url(self.object)


class EditionDeleteView(RefusedWhen, generic.DeleteView):
    # Its delivery records are what keeps a resumed send from mailing anyone twice.
    refused_states = (Edition.Status.SENDING,)
    refusal = gettext_lazy("This edition is being sent; it can be deleted once it is sent.")


class EditionPageView(generic.InspectView):
    """The edition's page: what it holds, the actions its state allows, and the delivery counts."""

    page_title = gettext_lazy("Edition")
    template_name = "newsletters/admin/edition.html"

    def get_object(self, queryset: Any = None) -> Edition:
        return get_object_or_404(Edition.objects.select_related("newsletter"), pk=self.pk)

    def get_edit_url(self) -> str | None:
        return None if self.object.status in LOCKED else super().get_edit_url()

    def get_delete_url(self) -> str | None:
        return None if self.object.status == Edition.Status.SENDING else super().get_delete_url()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        edition: Edition = self.object
        chosen = list(edition.items.select_related("article").order_by("sort_order", "pk"))
        published = set(
            published_articles().filter(pk__in=[item.article_id for item in chosen]).values_list("pk", flat=True)
        )
        can_send = self.request.user.has_perm(CHANGE_EDITION)
        context.update(
            items=[(item.article, item.article_id in published) for item in chosen],
            counts=delivery_counts(edition),
            counts_url=edition_url(edition, "counts"),
            preview_url=edition_url(edition, "preview"),
            can_send=can_send and edition.status not in LOCKED,
            can_test=can_send,
            recipients=recipient_count(edition) if edition.status not in LOCKED else None,
            schedule_form=ScheduleForm() if can_send and edition.status == Edition.Status.DRAFT else None,
            web_url=edition.get_absolute_url() if edition.status == Edition.Status.SENT else "",
        )
        return context


def _edition(request: HttpRequest, pk: int, permission: str) -> Edition:
    _require(request, permission)
    return get_object_or_404(Edition.objects.select_related("newsletter"), pk=pk)


class AdminPage(WagtailAdminTemplateMixin, TemplateView):
    """A page of the newsletters admin outside the viewsets' own: a permission and a way back."""

    permission = ""
    header_icon = "mail"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        _require(request, self.permission)
        return super().dispatch(request, *args, **kwargs)

    def get_parent(self) -> tuple[str, str]:
        raise NotImplementedError

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        url, label = self.get_parent()
        return [*self.breadcrumbs_items, {"url": url, "label": label}, {"url": "", "label": self.get_page_title()}]


class EditionAdminPage(AdminPage):
    @cached_property
    def edition(self) -> Edition:
        # Looked up after the permission check, so it tells nothing to those without it.
        return get_object_or_404(Edition.objects.select_related("newsletter"), pk=self.kwargs["pk"])

    def get_page_subtitle(self) -> str:
        return self.edition.subject

    def get_parent(self) -> tuple[str, str]:
        return edition_url(self.edition), self.edition.subject


class EditionPreviewView(EditionAdminPage):
    """The edition as its readers' mail shows it (in a sandboxed frame) and as its plain-text part."""

    permission = VIEW_EDITION
    page_title = gettext_lazy("Preview")
    template_name = "newsletters/admin/preview.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        rendered = mail.render_edition(self.edition)
        return super().get_context_data(
            edition=self.edition,
            frame_url=edition_url(self.edition, "preview_html"),
            text=_without_marks(rendered.text),
            item_count=rendered.item_count,
            **kwargs,
        )


def _without_marks(body: str) -> str:
    # No subscriber yet: the unsubscribe and manage links lead nowhere in a preview.
    return body.replace(mail.UNSUBSCRIBE_MARK, "#").replace(mail.MANAGE_MARK, "#")


@xframe_options_sameorigin
def edition_preview_html(request: HttpRequest, pk: int) -> HttpResponse:
    edition = _edition(request, pk, VIEW_EDITION)
    response = HttpResponse(_without_marks(mail.render_edition(edition).html), content_type="text/html; charset=utf-8")
    origins = {f"{request.scheme}://{request.get_host()}", mail.base_url()}
    response["Content-Security-Policy"] = PREVIEW_POLICY.format(images=" ".join(["data:", *sorted(origins)]))
    response["Cache-Control"] = "no-store"
    return response


def edition_counts(request: HttpRequest, pk: int) -> JsonResponse:
    """The delivery counts as JSON, polled by the edition's page while it sends."""
    edition = _edition(request, pk, VIEW_EDITION)
    response = JsonResponse(
        {
            "status": edition.status,
            "status_label": str(edition.get_status_display()),
            "counts": sending.counts(edition),
        }
    )
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def edition_send_test(request: HttpRequest, pk: int) -> HttpResponse:
    """A copy of the edition to the signed-in user's own address, sent by the worker."""
    edition = _edition(request, pk, CHANGE_EDITION)
    try:
        address = subscribers.clean_address(getattr(request.user, "email", ""))
    except ValidationError:
        messages.error(
            request, _("Your account has no valid e-mail address for a test copy; add one in your account settings.")
        )
        return redirect(edition_url(edition))
    tasks.send_test_copy.enqueue(edition.pk, address)
    messages.success(request, _("A test copy is on its way to %(address)s.") % {"address": address})
    return redirect(edition_url(edition))


class EditionSendView(EditionAdminPage):
    """Send now: a confirmation page (GET), then every recipient queued for the worker (POST)."""

    permission = CHANGE_EDITION
    page_title = gettext_lazy("Send now")
    template_name = "newsletters/admin/confirm_send.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.edition.status in LOCKED:
            messages.error(request, _("This edition has already been sent."))
            return redirect(edition_url(self.edition))
        return super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            queued = tasks.start_sending(self.edition)
        except sending.EditionNotReady as error:
            messages.error(request, str(error))
        else:
            message = ngettext("Sending to %(count)d subscriber.", "Sending to %(count)d subscribers.", queued)
            messages.success(request, message % {"count": queued})
        return redirect(edition_url(self.edition))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(edition=self.edition, recipients=recipient_count(self.edition), **kwargs)


@require_POST
def edition_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    """Schedule a draft: the worker's newsletters_tick starts it at that time."""
    edition = _edition(request, pk, CHANGE_EDITION)
    form = ScheduleForm(request.POST)
    if not edition.items.exists():
        messages.error(request, _("This edition has no stories."))
    elif not form.is_valid():
        messages.error(request, " ".join(str(error) for error in form.errors.get("scheduled_for", [])))
    elif schedule(edition, form.cleaned_data["scheduled_for"]):
        when = timezone.localtime(form.cleaned_data["scheduled_for"])
        messages.success(request, _("Scheduled for %(when)s.") % {"when": f"{when:%Y-%m-%d %H:%M}"})
    else:
        messages.error(request, _("Only a draft can be scheduled."))
    return redirect(edition_url(edition))


@require_POST
def edition_unschedule(request: HttpRequest, pk: int) -> HttpResponse:
    edition = _edition(request, pk, CHANGE_EDITION)
    if unschedule(edition):
        messages.success(request, _("The schedule is cancelled; the edition is a draft again."))
    else:
        messages.error(request, _("This edition is not scheduled."))
    return redirect(edition_url(edition))


def schedule(edition: Edition, moment: datetime.datetime) -> bool:
    # One conditional write: an edition the worker started meanwhile is left alone.
    return bool(
        Edition.objects.filter(pk=edition.pk, status=Edition.Status.DRAFT).update(
            status=Edition.Status.SCHEDULED, scheduled_for=moment
        )
    )


def unschedule(edition: Edition) -> bool:
    return bool(
        Edition.objects.filter(pk=edition.pk, status=Edition.Status.SCHEDULED).update(
            status=Edition.Status.DRAFT, scheduled_for=None
        )
    )


class EditionViewSet(ModelViewSet):
    model = Edition
    name = EDITIONS
    url_prefix = "newsletter-editions"
    icon = "doc-full"
    menu_label = gettext_lazy("Editions")
    menu_name = "newsletter-editions"
    index_view_class = EditionIndexView
    add_view_class = EditionCreateView
    edit_view_class = EditionEditView
    delete_view_class = EditionDeleteView
    inspect_view_class = EditionPageView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_filter = ["newsletter", "status", "kind"]
    list_display = [
        TitleColumn("subject", label=gettext_lazy("Subject"), get_url=lambda edition: edition_url(edition)),
        "newsletter",
        Column("kind", label=gettext_lazy("Kind"), accessor="get_kind_display", sort_key="kind"),
        Column("status", label=gettext_lazy("Status"), accessor="get_status_display", sort_key="status"),
        DateColumn("created_at", label=gettext_lazy("Created"), sort_key="created_at"),
        DateColumn("started_at", label=gettext_lazy("Sent"), sort_key="started_at"),
        Column("queued", label=gettext_lazy("Queued")),
        Column("sent", label=gettext_lazy("Delivered")),
        Column("failed", label=gettext_lazy("Failed")),
    ]
    edit_handler = ObjectList(
        [
            FieldPanel("newsletter"),
            FieldPanel("subject"),
            FieldPanel("intro"),
            InlinePanel(
                "items",
                panels=[PageChooserPanel("article", "articles.ArticlePage")],
                label=gettext_lazy("Story"),
                heading=gettext_lazy("Stories, in order"),
                min_num=1,
            ),
        ],
        base_form_class=EditionForm,
    )

    def get_urlpatterns(self) -> list[Any]:
        return super().get_urlpatterns() + [
            path("preview/<int:pk>/", EditionPreviewView.as_view(), name="preview"),
            path("preview/<int:pk>/html/", edition_preview_html, name="preview_html"),
            path("counts/<int:pk>/", edition_counts, name="counts"),
            path("test/<int:pk>/", edition_send_test, name="send_test"),
            path("send/<int:pk>/", EditionSendView.as_view(), name="send"),
            path("schedule/<int:pk>/", edition_schedule, name="schedule"),
            path("unschedule/<int:pk>/", edition_unschedule, name="unschedule"),
        ]


# --- Subscribers ----------------------------------------------------------------------


class SubscriberPermissionPolicy(ModelPermissionPolicy):
    """Addresses come from confirmations and imports; none is typed in or edited in the admin."""

    def user_has_permission(self, user: Any, action: str) -> bool:
        return action not in {"add", "change"} and super().user_has_permission(user, action)


def subscriber_totals() -> dict[str, int]:
    totals = Subscriber.objects.aggregate(
        receiving=Count("pk", filter=Q(confirmed_at__isnull=False, suppressed_at__isnull=True)),
        suppressed=Count("pk", filter=Q(suppressed_at__isnull=False)),
        total=Count("pk"),
    )
    return {key: int(value or 0) for key, value in totals.items()}


class SubscriberIndexView(generic.IndexView):
    page_title = gettext_lazy("Subscribers")
    template_name = "newsletters/admin/subscribers.html"

    def get_base_queryset(self) -> QuerySet[Subscriber]:
        return super().get_base_queryset().prefetch_related("newsletters")

    @cached_property
    def header_buttons(self) -> list[Any]:
        user = self.request.user
        buttons = list(super().header_buttons)
        if user.has_perm(IMPORT_SUBSCRIBERS):
            buttons.append(HeaderButton(_("Import CSV"), url=reverse(f"{SUBSCRIBERS}:import"), icon_name="upload"))
        if user.has_perm(SUPPRESS_SUBSCRIBERS):
            buttons.append(
                HeaderButton(_("Suppress addresses"), url=reverse(f"{SUBSCRIBERS}:suppress"), icon_name="cross")
            )
        if user.has_perm(EXPORT_SUBSCRIBERS):
            buttons.append(HeaderButton(_("Export CSV"), url=reverse(f"{SUBSCRIBERS}:export"), icon_name="download"))
        return buttons

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            totals=subscriber_totals(),
            per_newsletter=Newsletter.objects.annotate(
                receiving=Count("subscriptions", filter=receiving("subscriptions__"))
            ).order_by("sort_order", "name"),
        )
        return context


def subscriber_state(subscriber: Subscriber) -> str:
    if subscriber.suppressed_at is not None:
        return _("Suppressed: %(reason)s") % {"reason": subscriber.suppressed_reason or _("no reason given")}
    if subscriber.confirmed_at is None:
        return _("Not confirmed")
    return _("Confirmed")


def subscriber_newsletters(subscriber: Subscriber) -> str:
    return ", ".join(sorted(newsletter.name for newsletter in subscriber.newsletters.all()))


def subscribers_export(request: HttpRequest) -> HttpResponse:
    """Every subscriber as CSV (services.export_csv: cells a spreadsheet would run are defused)."""
    _require(request, EXPORT_SUBSCRIBERS)
    stream = io.StringIO()
    services.export_csv(stream)
    response = HttpResponse(stream.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="subscribers-{timezone.now():%Y%m%d}.csv"'
    response["Cache-Control"] = "no-store"
    return response


class SubscriberAdminPage(AdminPage):
    def get_parent(self) -> tuple[str, str]:
        return reverse(f"{SUBSCRIBERS}:index"), _("Subscribers")


class SubscribersImportView(SubscriberAdminPage):
    permission = IMPORT_SUBSCRIBERS
    page_title = gettext_lazy("Import subscribers")
    template_name = "newsletters/admin/import.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=ImportForm()))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = ImportForm(request.POST, request.FILES)
        report = None
        if form.is_valid():
            try:
                report = services.import_csv(form.cleaned_data["file"], form.cleaned_data["newsletter"])
            except ValidationError as error:
                form.add_error("file", error)
        return self.render_to_response(self.get_context_data(form=form, report=report))


class SubscribersSuppressView(SubscriberAdminPage):
    """Bulk suppression, for sites on plain SMTP whose bounces and complaints come as reports, not webhooks."""

    permission = SUPPRESS_SUBSCRIBERS
    page_title = gettext_lazy("Suppress addresses")
    template_name = "newsletters/admin/suppress.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=SuppressForm()))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = SuppressForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        done, refused = services.suppress_many(form.cleaned_data["addresses"], form.cleaned_data["reason"])
        return self.render_to_response(self.get_context_data(form=SuppressForm(), done=done, refused=refused))


class SubscriberViewSet(ModelViewSet):
    model = Subscriber
    name = SUBSCRIBERS
    url_prefix = "newsletter-subscribers"
    icon = "group"
    menu_label = gettext_lazy("Subscribers")
    menu_name = "newsletter-subscribers"
    index_view_class = SubscriberIndexView
    copy_view_enabled = False
    form_fields = ["email"]
    search_fields = ["email"]
    list_per_page = 50
    list_display = [
        "email",
        Column("state", label=gettext_lazy("State"), accessor=subscriber_state),
        Column("newsletters", label=gettext_lazy("Newsletters"), accessor=subscriber_newsletters),
        "consent_source",
        DateColumn("confirmed_at", label=gettext_lazy("Confirmed"), sort_key="confirmed_at"),
    ]

    def get_urlpatterns(self) -> list[Any]:
        return super().get_urlpatterns() + [
            path("export/", subscribers_export, name="export"),
            path("import/", SubscribersImportView.as_view(), name="import"),
            path("suppress/", SubscribersSuppressView.as_view(), name="suppress"),
        ]


class NewslettersGroup(ViewSetGroup):
    menu_label = gettext_lazy("Newsletters")
    menu_icon = "mail"
    menu_name = "newsletters"
    # Beside the desk's other tools (Comments 220, Wires and feeds 230, Ads 250).
    menu_order = 240
    items = (NewsletterViewSet, EditionViewSet, SubscriberViewSet)
