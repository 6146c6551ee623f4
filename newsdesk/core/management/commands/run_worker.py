import threading
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from newsdesk.core.scheduler import default_scheduler


class Command(BaseCommand):
    help = "Run the job worker, with the scheduler that enqueues recurring jobs (publishing, refreshes)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-scheduler", action="store_true", help="Only work the queue (run one scheduler per site)."
        )
        parser.add_argument(
            "--batch", action="store_true", help="Enqueue due recurring jobs once, work the queue empty, then exit."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        scheduler = None if options["no_scheduler"] else default_scheduler()
        if options["batch"]:
            if scheduler:
                scheduler.tick()
            call_command(
                "db_worker",
                queue_name="*",
                reload=False,
                batch=True,
                startup_delay=False,
                verbosity=options["verbosity"],
            )
            return
        stop = threading.Event()
        if scheduler:
            threading.Thread(target=scheduler.run_forever, args=(stop,), daemon=True).start()
        try:
            call_command("db_worker", queue_name="*", reload=False, interval=1, verbosity=options["verbosity"])
        finally:
            stop.set()
