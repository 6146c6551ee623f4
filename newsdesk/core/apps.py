from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "newsdesk.core"
    label = "core"
    verbose_name = "Newsdesk core"

    def ready(self) -> None:
        # roles imports auth and Wagtail models, which need the app registry.
        from .roles import on_post_migrate

        post_migrate.connect(on_post_migrate, sender=self, dispatch_uid="newsdesk-roles")
