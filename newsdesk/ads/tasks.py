from django_tasks import task

from . import services


@task()
def flush_ad_counts() -> list[int]:
    """Move the impressions and clicks counted outside the database into the daily rows."""
    return list(services.flush_ad_counts())
