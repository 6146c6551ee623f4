"""Settings → Import from WordPress: upload an export, read its check, start the import, for Admins.

The jobs do the work (tasks.py); these views only show runs and start them.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .forms import ExportUploadForm
from .models import ImportRun
from .report import OUTCOMES
from .tasks import RUNNING, import_run_create, import_run_progress, import_run_start

RUN_IMPORT = "wordpress.run_import"
# Rows shown per list of a report; the report itself keeps up to report.LIST_CAP.
SHOWN_ROWS = 200


def can_import(user: object) -> bool:
    """Admins (the group is granted every permission, newsdesk/core/roles.py) and superusers."""
    return bool(getattr(user, "has_perm", None)) and user.has_perm(RUN_IMPORT)  # type: ignore[attr-defined]


def _require_import_permission(request: HttpRequest) -> None:
    if not can_import(request.user):
        raise PermissionDenied


@dataclass(frozen=True)
class Listing:
    """One list of a report, cut to SHOWN_ROWS; `more` counts the rest, those the report left out included."""

    rows: list[dict[str, Any]]
    more: int


def _listing(report: dict[str, Any], key: str) -> Listing:
    rows = report.get(key) or []
    not_listed = (report.get("not_listed") or {}).get(key, 0)
    return Listing(rows=rows[:SHOWN_ROWS], more=max(0, len(rows) - SHOWN_ROWS) + not_listed)


def report_context(report: dict[str, Any] | None) -> dict[str, Any] | None:
    """A stored report (Report.as_dict()) laid out for the report template."""
    if report is None:
        return None
    counts = report.get("counts") or {}
    return {
        "source": report.get("source", ""),
        "items": report.get("items", 0),
        "outcomes": OUTCOMES,
        "counts": [(kind, [counts[kind].get(outcome, 0) for outcome in OUTCOMES]) for kind in sorted(counts)],
        "skipped": [
            (kind, reason, number)
            for kind, reasons in sorted((report.get("skipped") or {}).items())
            for reason, number in sorted(reasons.items(), key=lambda pair: -pair[1])
        ],
        "unknown": [
            (name, entry.get("count", 0), entry.get("items", []))
            for name, entry in (report.get("unknown_markup") or {}).items()
        ],
        "problems": _listing(report, "problems"),
        "notes": _listing(report, "notes"),
        "missing_pictures": _listing(report, "missing_pictures"),
        "redirects": _listing(report, "redirects"),
    }


@require_http_methods(["GET", "HEAD", "POST"])
def import_runs(request: HttpRequest) -> HttpResponse:
    _require_import_permission(request)
    form = ExportUploadForm(request.POST, request.FILES) if request.method == "POST" else ExportUploadForm()
    if form.is_bound and form.is_valid():
        run = import_run_create(
            export=form.cleaned_data["export"],
            fetch_media=form.cleaned_data["fetch_media"],
            user=request.user,  # type: ignore[arg-type]
        )
        messages.success(
            request,
            _("Uploaded “%(name)s”. It is being checked; nothing is imported yet.") % {"name": run.original_name},
        )
        return HttpResponseRedirect(reverse("wordpress_import_run", args=[run.pk]))
    runs = ImportRun.objects.select_related("uploaded_by")[:100]
    rows = [(run, *import_run_progress(run)) for run in runs]
    return TemplateResponse(request, "wordpress/admin/runs.html", {"form": form, "rows": rows})


@require_http_methods(["GET", "HEAD"])
def import_run(request: HttpRequest, pk: int) -> HttpResponse:
    _require_import_permission(request)
    run = get_object_or_404(ImportRun.objects.select_related("uploaded_by"), pk=pk)
    done, total = import_run_progress(run)
    context = {
        "run": run,
        "done": done,
        "total": total,
        "running": run.state in RUNNING,
        "can_start": run.state == ImportRun.State.CHECKED,
        "check_report": report_context(run.check_report),
        "import_report": report_context(run.report),
    }
    return TemplateResponse(request, "wordpress/admin/run.html", context)


@require_POST
def import_run_start_view(request: HttpRequest, pk: int) -> HttpResponse:
    _require_import_permission(request)
    run = get_object_or_404(ImportRun, pk=pk)
    if import_run_start(run_id=run.pk):
        messages.success(request, _("The import of “%(name)s” has started.") % {"name": run.original_name})
    else:
        messages.warning(
            request, _("“%(name)s” was not waiting to be imported; nothing was started.") % {"name": run.original_name}
        )
    return HttpResponseRedirect(reverse("wordpress_import_run", args=[run.pk]))
