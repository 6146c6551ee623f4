import threading
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from newsdesk.core.scheduler import default_scheduler


class Command(BaseCommand):
    help = "Run the job worker, with the scheduler that enqueues recurring jobs (publishing, refreshes)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-scheduler", action="store_true", help="Only work the queue.")

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()
        if not options["no_scheduler"]:
            thread = threading.Thread(target=default_scheduler().run_forever, args=(stop,), daemon=True)
            thread.start()
        try:
            call_command("db_worker", queue_name="*", reload=False, interval=1)
        finally:
            stop.set()
