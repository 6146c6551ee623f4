from django.http import HttpRequest
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.log_actions import LogActionRegistry

from . import services, views
from .access import is_admin


@hooks.register("register_admin_urls")
def staff_urls() -> list:
    return [
        path("staff/two-factor/", views.two_factor_verify, name="staff_two_factor_verify"),
        path("staff/two-factor/setup/", views.two_factor_setup, name="staff_two_factor_setup"),
        path("staff/two-factor/setup/qr.svg", views.two_factor_qr, name="staff_two_factor_qr"),
        path("staff/confirm/", views.confirm, name="staff_confirm"),
        path("staff/lockouts/", views.lockouts, name="staff_lockouts"),
        path("staff/lockouts/unlock/", views.unlock, name="staff_unlock"),
        path("staff/lockouts/reset-two-factor/", views.two_factor_reset, name="staff_two_factor_reset"),
    ]


class AdminsMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return is_admin(request.user)


@hooks.register("register_settings_menu_item")
def lockouts_menu_item() -> MenuItem:
    return AdminsMenuItem(
        _("Locked-out accounts"), reverse("staff_lockouts"), name="locked-out-accounts", icon_name="lock", order=650
    )


@hooks.register("register_account_menu_item")
def two_factor_menu_item(request: HttpRequest) -> dict:
    return {
        "url": reverse("staff_two_factor_setup"),
        "label": _("Two-factor authentication"),
        "help_text": _("Sign in with a code from an authenticator app as well as your password."),
    }


@hooks.register("register_log_actions")
def register_staff_log_actions(registry: LogActionRegistry) -> None:
    services.register_log_actions(registry)
