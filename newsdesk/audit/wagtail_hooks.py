from typing import Any

from django.contrib.auth.models import Permission
from django.db.models import QuerySet
from django.http import HttpRequest
from wagtail import hooks
from wagtail.log_actions import LogActionRegistry

from . import actions
from .models import VIEW_SITE_HISTORY


@hooks.register("register_log_actions")
def register_staff_actions(registry: LogActionRegistry) -> None:
    actions.register(registry)


@hooks.register("register_permissions")
def offer_site_history_permission() -> QuerySet[Permission]:
    """Listed in Settings → Groups, so an Admin may give it to another group."""
    app_label, codename = VIEW_SITE_HISTORY.split(".")
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename)


@hooks.register("construct_reports_menu")
def hide_site_history(request: HttpRequest, menu_items: list[Any]) -> None:
    """The report itself refuses them (views.py); the menu does not offer it either."""
    if not request.user.has_perm(VIEW_SITE_HISTORY):
        menu_items[:] = [item for item in menu_items if item.name != "site-history"]
