"""The admin's live desk: start coverage on an article, post entries from a quick form, correct, delete, close."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from newsdesk.articles.models import ArticlePage

from . import selectors, services
from .admin_forms import EntryForm, StartForm
from .models import LiveCoverage, LiveEntry


def can_post(user: Any, article: ArticlePage) -> bool:
    """An entry reaches readers at once, so posting needs the right to publish the article."""
    return bool(article.permissions_for_user(user).can_publish())


def _require_post_permission(request: HttpRequest, article: ArticlePage) -> None:
    if not can_post(request.user, article):
        raise PermissionDenied


def _compose_url(coverage: LiveCoverage) -> str:
    return reverse("live_compose", args=[coverage.pk])


def coverage_index(request: HttpRequest) -> HttpResponse:
    coverages = LiveCoverage.objects.select_related("article").order_by("-is_open", "-started_at")[:100]
    return TemplateResponse(request, "live/admin/index.html", {"coverages": coverages})


@require_http_methods(["GET", "POST"])
def coverage_start_view(request: HttpRequest, page_id: int) -> HttpResponse:
    article = get_object_or_404(ArticlePage, pk=page_id)
    _require_post_permission(request, article)
    existing = LiveCoverage.objects.filter(article=article).first()
    if existing is not None:
        return HttpResponseRedirect(_compose_url(existing))
    form = StartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        coverage = services.coverage_start(article=article, user=request.user, order=form.cleaned_data["order"])
        messages.success(request, _("“%(title)s” is now live coverage.") % {"title": article.title})
        return HttpResponseRedirect(_compose_url(coverage))
    return TemplateResponse(request, "live/admin/start.html", {"article": article, "form": form})


@require_http_methods(["GET", "POST"])
def compose(request: HttpRequest, pk: int) -> HttpResponse:
    coverage = get_object_or_404(LiveCoverage.objects.select_related("article"), pk=pk)
    _require_post_permission(request, coverage.article)
    form = EntryForm(request.POST or None) if coverage.is_open else None
    if request.method == "POST":
        if form is None:
            messages.error(request, _("This coverage is closed: it takes no new entries."))
            return HttpResponseRedirect(_compose_url(coverage))
        if form.is_valid():
            services.entry_post(coverage=coverage, user=request.user, **form.cleaned_data)
            messages.success(request, _("Entry posted."))
            return HttpResponseRedirect(_compose_url(coverage))
        messages.error(request, _("The entry was not posted: correct what is marked below."))
    context = {"coverage": coverage, "form": form, "entries": selectors.entries_of(coverage)}
    return TemplateResponse(request, "live/admin/compose.html", context)


@require_POST
def coverage_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    coverage = get_object_or_404(LiveCoverage.objects.select_related("article"), pk=pk)
    _require_post_permission(request, coverage.article)
    services.coverage_close(coverage=coverage, user=request.user)
    messages.success(request, _("The coverage is closed."))
    return HttpResponseRedirect(_compose_url(coverage))


def _entry(request: HttpRequest, pk: int) -> LiveEntry:
    entry = get_object_or_404(
        LiveEntry.objects.select_related("coverage__article").filter(deleted_at__isnull=True), pk=pk
    )
    _require_post_permission(request, entry.coverage.article)
    return entry


@require_http_methods(["GET", "POST"])
def entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _entry(request, pk)
    form = EntryForm(request.POST or None, instance=entry)
    if request.method == "POST":
        if form.is_valid():
            # The form has already set the new values on the instance; the service records the stored ones.
            services.entry_correct(entry=entry, user=request.user, **form.cleaned_data)
            messages.success(request, _("Entry corrected."))
            return HttpResponseRedirect(_compose_url(entry.coverage))
        messages.error(request, _("The correction was not saved: correct what is marked below."))
    changes = entry.changes.select_related("changed_by")
    return TemplateResponse(request, "live/admin/edit.html", {"entry": entry, "form": form, "changes": changes})


@require_http_methods(["GET", "POST"])
def entry_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _entry(request, pk)
    if request.method == "POST":
        services.entry_delete(entry=entry, user=request.user)
        messages.success(request, _("Entry deleted; its text stays in the history."))
        return HttpResponseRedirect(_compose_url(entry.coverage))
    return TemplateResponse(request, "live/admin/delete.html", {"entry": entry})
