from django.http import HttpRequest
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .admin_views import can_import, import_run, import_run_start_view, import_runs


@hooks.register("register_admin_urls")
def wordpress_import_urls() -> list:
    # Not under settings/: Wagtail's site settings own "settings/<app>/<model>/".
    return [
        path("wordpress-import/", import_runs, name="wordpress_import_runs"),
        path("wordpress-import/<int:pk>/", import_run, name="wordpress_import_run"),
        path("wordpress-import/<int:pk>/start/", import_run_start_view, name="wordpress_import_start"),
    ]


class ImportMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return can_import(request.user)


@hooks.register("register_settings_menu_item")
def wordpress_import_menu_item() -> MenuItem:
    return ImportMenuItem(
        _("Import from WordPress"),
        reverse("wordpress_import_runs"),
        name="wordpress-import",
        icon_name="upload",
        order=900,
    )
