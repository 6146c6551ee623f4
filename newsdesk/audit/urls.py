"""Routes placed before Wagtail's admin in newsdesk/urls.py, so they answer its URLs.

Same paths and names' targets as Wagtail's own Site history report, which has no
permission check to configure (see views.py).
"""

from django.urls import path

from . import views

urlpatterns = [
    path("admin/reports/site-history/", views.site_history),
    path("admin/reports/site-history/results/", views.site_history_results),
]
