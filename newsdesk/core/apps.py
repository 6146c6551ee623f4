from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "newsdesk.core"
    label = "core"
    verbose_name = "Newsdesk core"

    def ready(self) -> None:
        from . import fragments  # noqa: F401 - connects its signal receivers
        from .roles import on_post_migrate

        post_migrate.connect(on_post_migrate, sender=self, dispatch_uid="newsdesk-roles")
