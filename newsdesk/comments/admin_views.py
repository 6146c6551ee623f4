"""Comment moderation screens in the Wagtail admin.

Every write goes through `services` (moderate, staff_reply, export/erase), so the spam
filter learns from each decision and the article's cached page is purged.
"""

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import django_filters
from django import forms
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise, cached_property
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import BaseColumn
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import HeaderButton
from wagtail.snippets.views.snippets import EditView, IndexView

from newsdesk.articles.models import ArticlePage
from newsdesk.core.privacy import PrivacySource, privacy_sources

from . import names, services
from .forms_admin import PrivacyRequestForm, StaffReplyForm
from .models import Comment

# Set on the viewset, so the views here can name its URLs without importing it.
URL_NAMESPACE = "wagtailsnippets_comments_comment"
SEARCH_FIELDS = ["name", "email", "body"]


@dataclass(frozen=True)
class Move:
    """One moderation decision: the status it sets, its button, and its success message."""

    action: str
    status: str
    label: str | Promise
    done: str | Promise


MOVES = {
    move.action: move
    for move in [
        Move("approve", Comment.Status.APPROVED, gettext_lazy("Approve"), gettext_lazy("Approved the comment by %s.")),
        Move(
            "unapprove",
            Comment.Status.PENDING,
            gettext_lazy("Unapprove"),
            gettext_lazy("The comment by %s is back in the moderation queue."),
        ),
        Move("spam", Comment.Status.SPAM, gettext_lazy("Spam"), gettext_lazy("Marked the comment by %s as spam.")),
        Move(
            "trash", Comment.Status.TRASH, gettext_lazy("Trash"), gettext_lazy("Moved the comment by %s to the trash.")
        ),
    ]
}


def admin_url(name: str, *args: object) -> str:
    return reverse(f"{URL_NAMESPACE}:{name}", args=args)


def can_moderate(user: User | AnonymousUser) -> bool:
    return bool(user.has_perm("comments.change_comment"))


def can_handle_privacy(user: User | AnonymousUser) -> bool:
    return bool(user.has_perm("comments.delete_comment"))


# --- The listing ------------------------------------------------------------------


def commented_articles(request: HttpRequest | None) -> QuerySet[ArticlePage]:
    return ArticlePage.objects.filter(comments__isnull=False).distinct().order_by("title")


class CommentFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"),
        choices=Comment.Status.choices,
        empty_label=gettext_lazy("All"),
        widget=forms.RadioSelect,
    )
    article = django_filters.ModelChoiceFilter(label=gettext_lazy("Article"), queryset=commented_articles)
    created_at = django_filters.DateFromToRangeFilter(label=gettext_lazy("Date"), widget=DateRangePickerWidget)

    class Meta:
        model = Comment
        fields = ["status", "article", "created_at"]


def listing_comments(params: QueryDict) -> QuerySet[Comment]:
    """The comments the listing shows for these query parameters: its filters, then its search."""
    filters = CommentFilterSet(params, queryset=Comment.objects.all())
    if not filters.is_valid():
        # A bulk action on "all in listing" must never widen to every comment.
        return Comment.objects.none()
    comments = filters.qs
    query = params.get("q", "").strip()
    if query:
        match = Q()
        for field in SEARCH_FIELDS:
            match |= Q(**{f"{field}__icontains": query})
        comments = comments.filter(match)
    return comments


def moderation_context(request: HttpRequest, comment: Comment, next_url: str) -> dict[str, Any]:
    """The buttons a moderator gets for one comment (none without the permission)."""
    if not can_moderate(request.user):
        return {"moves": [], "reply_url": "", "next": next_url}
    return {
        "moves": [
            (move.label, admin_url("moderate", comment.pk, move.action))
            for move in MOVES.values()
            if move.status != comment.status
        ],
        # Replies go under published comments only (services refuse the others).
        "reply_url": admin_url("reply", comment.pk) if comment.status == Comment.Status.APPROVED else "",
        "next": next_url,
        # Column cells render without the request's context processors, so no {% csrf_token %} otherwise.
        "csrf_token": get_token(request),
    }


class ModerationColumn(BaseColumn):
    cell_template_name = "comments/admin/moderation_cell.html"

    def get_cell_context_data(self, instance: Comment, parent_context: Mapping[str, Any]) -> dict[str, Any]:
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context["request"]
        # Back to the listing as the moderator left it; the filter's AJAX URL returns a fragment.
        params = request.GET.copy()
        params.pop("_w_filter_fragment", None)
        next_url = admin_url("list") + (f"?{params.urlencode()}" if params else "")
        context.update(moderation_context(request, instance, next_url))
        return context


def excerpt(comment: Comment) -> str:
    return Truncator(comment.body).words(20)


def name_check(comment: Comment) -> str:
    """The name's code points for the listing, when it is not plain Latin (see names.name_code_points)."""
    return " ".join(point.split(" ", 1)[0] for point in names.name_code_points(comment.name))


class CommentIndexView(IndexView):
    # The queue first: comments awaiting moderation, then the rest; newest first within each.
    default_ordering = ("-awaiting", "-created_at", "-pk")

    def get_base_queryset(self) -> QuerySet[Comment]:
        awaiting = Case(
            When(status=Comment.Status.PENDING, then=Value(1)), default=Value(0), output_field=IntegerField()
        )
        return super().get_base_queryset().select_related("article").annotate(awaiting=awaiting)

    @cached_property
    def header_buttons(self) -> list[HeaderButton]:
        buttons = list(super().header_buttons)
        if can_handle_privacy(self.request.user):
            buttons.append(HeaderButton(_("Privacy requests"), url=admin_url("privacy"), icon_name="lock"))
        return buttons


class CommentEditView(EditView):
    """The snippet edit form, with the moderation buttons above it (held-comment emails link here)."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["moderation"] = moderation_context(self.request, self.object, next_url=self.request.path)
        context["name_code_points"] = names.name_code_points(self.object.name)
        return context


# --- Per-comment actions ----------------------------------------------------------


@require_POST
def moderate_comment(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if not can_moderate(request.user):
        raise PermissionDenied
    move = MOVES.get(action)
    if move is None:
        raise Http404
    comment = get_object_or_404(Comment, pk=pk)
    services.moderate(comment, move.status)
    messages.success(request, str(move.done) % comment.name)
    return redirect(get_valid_next_url_from_request(request) or admin_url("list"))


class CommentAdminView(WagtailAdminTemplateMixin, FormView):
    header_icon = "comment"
    permission_check = staticmethod(can_moderate)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not self.permission_check(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [
            *self.breadcrumbs_items,
            {"url": admin_url("list"), "label": _("Comments")},
            {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()},
        ]


class StaffReplyView(CommentAdminView):
    form_class = StaffReplyForm
    template_name = "comments/admin/reply.html"
    page_title = gettext_lazy("Reply as staff")

    @cached_property
    def parent(self) -> Comment:
        # Looked up after the permission check, so it tells nothing to those without it.
        return get_object_or_404(Comment.objects.select_related("article"), pk=self.kwargs["pk"])

    def get_page_subtitle(self) -> str:
        return self.parent.name

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(parent=self.parent, **kwargs)

    def form_valid(self, form: StaffReplyForm) -> HttpResponse:
        user = self.request.user
        if not user.is_authenticated:  # Never: dispatch() lets moderators in only.
            raise PermissionDenied
        try:
            reply = services.staff_reply(parent=self.parent, user=user, body=form.cleaned_data["body"])
        except services.CommentRejected as rejected:
            form.add_error(None, rejected.message)
            return self.form_invalid(form)
        article_url = reply.article.get_url(self.request)
        buttons = [messages.button(f"{article_url}#comment-{reply.pk}", _("View"))] if article_url else None
        messages.success(self.request, _("Your reply to %s is published.") % self.parent.name, buttons=buttons)
        return redirect(admin_url("list"))


# --- Privacy requests -------------------------------------------------------------


class PrivacyRequestView(CommentAdminView):
    """A reader's access request (export) or erasure request, by email address.

    Both are POSTs: an address in a URL would end up in server and proxy logs.
    """

    form_class = PrivacyRequestForm
    template_name = "comments/admin/privacy.html"
    page_title = gettext_lazy("Comment privacy requests")
    header_icon = "lock"
    permission_check = staticmethod(can_handle_privacy)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        # Other apps' data about the address (core.privacy): named on the form and the erase confirmation.
        return super().get_context_data(privacy_sources=privacy_sources(self.request.user), **kwargs)

    def form_valid(self, form: PrivacyRequestForm) -> HttpResponse:
        email = form.cleaned_data["email"]
        action = self.request.POST.get("action")
        sources = privacy_sources(self.request.user)
        if action == "export":
            return export_response(email, sources)
        if action == "erase" and self.request.POST.get("confirm") == "yes":
            erased = services.erase_comments(email)
            message = ngettext(
                "Erased %(count)d comment (written with %(email)s, or a reply to one).",
                "Erased %(count)d comments (written with %(email)s, or replies to them).",
                erased,
            )
            messages.success(self.request, message % {"count": erased, "email": email})
            for source in sources:
                count = source.erase(email)
                messages.success(
                    self.request, _("%(label)s: erased %(count)d.") % {"label": source.label, "count": count}
                )
            return redirect(admin_url("privacy"))
        if action == "erase":
            erasable = Comment.objects.filter(email__iexact=email).count()
            return self.render_to_response(self.get_context_data(form=form, confirm_erase=True, erasable=erasable))
        form.add_error(None, _("Choose whether to export or to erase."))
        return self.form_invalid(form)


def export_response(email: str, sources: list[PrivacySource]) -> HttpResponse:
    data = json.loads(services.export_comments(email))
    for source in sources:
        data[source.key] = source.export(email)
    body = json.dumps(data, indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    # The address stays out of the file name, which browsers keep in their download history.
    response["Content-Disposition"] = f'attachment; filename="comments-export-{timezone.now():%Y%m%d}.json"'
    return response
