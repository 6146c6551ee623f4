from collections.abc import Iterator
from typing import Any

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button

from newsdesk.articles.models import ArticlePage

from . import admin_views
from .models import LiveCoverage


@hooks.register("register_admin_urls")
def live_admin_urls() -> list:
    return [
        path("live/", admin_views.coverage_index, name="live_index"),
        path("live/start/<int:page_id>/", admin_views.coverage_start_view, name="live_start"),
        path("live/<int:pk>/", admin_views.compose, name="live_compose"),
        path("live/<int:pk>/close/", admin_views.coverage_close_view, name="live_close"),
        path("live/entries/<int:pk>/", admin_views.entry_edit, name="live_entry_edit"),
        path("live/entries/<int:pk>/delete/", admin_views.entry_delete_view, name="live_entry_delete"),
    ]


@hooks.register("register_admin_menu_item")
def live_menu_item() -> MenuItem:
    return MenuItem(_("Live coverage"), reverse("live_index"), name="live-coverage", icon_name="time", order=250)


@hooks.register("register_page_header_buttons")
def live_page_button(page: Any, user: Any, view_name: str, next_url: str | None = None) -> Iterator[Button]:
    """On an article the user may publish: "Live coverage" (open its desk) or "Make live coverage"."""
    if not isinstance(page.specific_deferred, ArticlePage) or not admin_views.can_post(user, page):
        return
    coverage = LiveCoverage.objects.filter(article_id=page.pk).first()
    if coverage is not None:
        yield Button(_("Live coverage"), reverse("live_compose", args=[coverage.pk]), icon_name="time", priority=80)
    else:
        yield Button(_("Make live coverage"), reverse("live_start", args=[page.pk]), icon_name="time", priority=80)
