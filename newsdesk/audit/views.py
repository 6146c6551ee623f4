from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.reports.audit_logging import LogEntriesView

from .models import VIEW_SITE_HISTORY


class SiteHistoryView(LogEntriesView):
    """Wagtail's Site history report (every log entry, its filters and exports), for Admins.

    Wagtail shows the report to any admin user, filtered to what they may see; the log
    holds sign-ins and role changes, so here it is for holders of VIEW_SITE_HISTORY only.
    Each page's own history stays open to those who may edit the page.
    """

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.has_perm(VIEW_SITE_HISTORY):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


# Wrapped as Wagtail wraps its admin views: signed-in admin users only, and a refusal
# answers like the rest of the admin (403 to scripts, otherwise back to the dashboard).
site_history = require_admin_access(SiteHistoryView.as_view())
site_history_results = require_admin_access(SiteHistoryView.as_view(results_only=True))
