from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_migrate
from PIL import Image as PILImage


class CoreConfig(AppConfig):
    name = "newsdesk.core"
    label = "core"
    verbose_name = "Newsdesk core"

    def ready(self) -> None:
        # roles imports auth and Wagtail models, which need the app registry.
        from .roles import on_post_migrate

        post_migrate.connect(on_post_migrate, sender=self, dispatch_uid="newsdesk-roles")
        # jobs imports this app's models, which need the app registry.
        from django_tasks.signals import task_finished

        from .jobs import on_task_finished

        task_finished.connect(on_task_finished, dispatch_uid="newsdesk-failed-jobs")
        # sites imports Wagtail's models, which need the app registry.
        from django.db.models.signals import post_delete, post_save
        from wagtail.models import Site

        from .sites import forget_sites

        post_save.connect(forget_sites, sender=Site, dispatch_uid="newsdesk-forget-sites")
        post_delete.connect(forget_sites, sender=Site, dispatch_uid="newsdesk-forget-sites")
        # Pillow's own bomb guard, for pictures decoded outside the upload form (renditions
        # of imported pictures): it warns above this many pixels and refuses twice as many.
        if settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS:
            PILImage.MAX_IMAGE_PIXELS = settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS
