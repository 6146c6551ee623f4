"""A redirect made, changed or removed: stored copies of its old address must not outlive it."""

from typing import Any
from urllib.parse import urlsplit

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.contrib.redirects.models import Redirect

from newsdesk.core import page_cache


@receiver(post_save, sender=Redirect)
@receiver(post_delete, sender=Redirect)
def purge_redirected_path(instance: Redirect, **kwargs: Any) -> None:
    # Wagtail stores "/old" for both "/old" and "/old/"; the page cache keys on the path as
    # requested. A copy of whatever answered there before (a page since moved, a proxy's 404)
    # is dropped for good: the redirect, or its removal, answers from now on.
    path = urlsplit(instance.old_path).path or "/"
    page_cache.purge_paths({path, path.rstrip("/") + "/"}, hard=True)
