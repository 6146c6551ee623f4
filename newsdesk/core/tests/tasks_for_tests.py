"""Jobs the failed-job tests run through the real database queue and worker."""

from django.core.cache import cache
from django_tasks import task

FAIL_KEY = "tests:jobs:fail"


@task()
def always_fails(label: str) -> None:
    raise RuntimeError(f"the service for {label} is down")


@task()
def fails_while_flagged() -> str:
    """Fails while the cache flag is set: an outage that ends."""
    if cache.get(FAIL_KEY):
        raise ConnectionError("upstream refused")
    return "done"
