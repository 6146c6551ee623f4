from django_tasks import task

from .services import banner_changes_announce


@task()
def announce_banner_changes() -> int:
    """Refresh pages for banners that started or expired since the last look; every few seconds from the scheduler."""
    return banner_changes_announce()
