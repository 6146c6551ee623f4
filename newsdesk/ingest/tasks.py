from django_tasks import task

from .models import Source
from .services import SourceBusy, poll, poll_due


@task()
def poll_due_sources() -> int:
    """Poll every source whose interval (or back-off) has passed; from the worker's scheduler every minute."""
    return len(poll_due())


@task()
def poll_source_now(source_id: int) -> str:
    """Poll one source now (the admin's "Poll now"); a source already being polled is left alone."""
    source = Source.objects.filter(pk=source_id).first()
    if source is None:
        return "gone"
    try:
        return poll(source).summary()
    except SourceBusy:
        return "busy"
