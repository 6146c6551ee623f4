from typing import Any

from django.core.management.base import BaseCommand

from newsdesk.desk.demo import add_demo_desk


class Command(BaseCommand):
    # A command, not an import: demo_newsroom (newsdesk.pages) and the desk are independent apps of one layer.
    help = "Add what the demo newsroom lacks for the desk dashboard's panels (run by demo_newsroom). Idempotent."

    def handle(self, *args: Any, **options: Any) -> None:
        add_demo_desk(self.stdout)
