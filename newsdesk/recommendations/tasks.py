from django_tasks import task

from . import services


@task()
def flush_view_counts() -> int:
    """Move the views counted outside the database into the hourly rows."""
    return services.flush_view_counts()


@task()
def compute_related_articles(article_id: int) -> int:
    """Recompute an article's "More articles" neighbours after it is published or changed."""
    return services.compute_related(article_id)
