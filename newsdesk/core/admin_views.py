"""Reports → Failed jobs: what the worker could not do, for Admins (newsdesk/core/jobs.py)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import jobs
from .models import FailedJob


def can_see_failed_jobs(user: object) -> bool:
    return bool(getattr(user, "has_perm", None)) and user.has_perm("core.view_failedjob")  # type: ignore[attr-defined]


@require_http_methods(["GET", "HEAD"])
def failed_jobs(request: HttpRequest) -> HttpResponse:
    if not can_see_failed_jobs(request.user):
        raise PermissionDenied
    rows = FailedJob.objects.all()[:200]
    return TemplateResponse(request, "core/admin/failed_jobs.html", {"jobs": rows})


@require_POST
def failed_job_action(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm("core.change_failedjob"):
        raise PermissionDenied
    job = get_object_or_404(FailedJob, pk=pk)
    if request.POST.get("action") == "dismiss":
        job.delete()
        messages.success(request, _("Dismissed the failed job %(task)s.") % {"task": job.task_path})
    else:
        jobs.run_again(job)
        messages.success(request, _("Queued %(task)s to run again.") % {"task": job.task_path})
    return HttpResponseRedirect(reverse("core_failed_jobs"))
