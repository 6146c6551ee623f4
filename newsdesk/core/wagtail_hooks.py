from django.http import HttpRequest
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .admin_views import can_see_failed_jobs, failed_job_action, failed_jobs


@hooks.register("register_admin_urls")
def failed_job_urls() -> list:
    return [
        path("jobs/failed/", failed_jobs, name="core_failed_jobs"),
        path("jobs/failed/<int:pk>/", failed_job_action, name="core_failed_job_action"),
    ]


class FailedJobsMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return can_see_failed_jobs(request.user)


@hooks.register("register_reports_menu_item")
def failed_jobs_menu_item() -> MenuItem:
    return FailedJobsMenuItem(_("Failed jobs"), reverse("core_failed_jobs"), icon_name="warning", order=900)
