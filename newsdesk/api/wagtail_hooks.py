from django.http import HttpRequest
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from newsdesk.staff.access import is_admin

from . import admin_views


@hooks.register("register_admin_urls")
def api_admin_urls() -> list:
    return [
        path("api-keys/", admin_views.api_keys, name="api_keys"),
        path("api-keys/<int:pk>/revoke/", admin_views.api_key_revoke, name="api_key_revoke"),
    ]


class AdminsMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return is_admin(request.user)


@hooks.register("register_settings_menu_item")
def api_keys_menu_item() -> MenuItem:
    return AdminsMenuItem(_("API keys"), reverse("api_keys"), name="api-keys", icon_name="key", order=660)
