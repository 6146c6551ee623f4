from wagtail import hooks

from .admin_views import WebhookViewSet


@hooks.register("register_admin_viewset")
def register_webhook_viewset() -> WebhookViewSet:
    return WebhookViewSet()
