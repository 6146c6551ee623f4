from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from newsdesk.webhooks.demo import ensure_demo_webhook


class Command(BaseCommand):
    help = (
        "Create (or re-point) the demo webhook to a local receiver and write its secret for the receiver. Idempotent."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", required=True, help="The receiver, e.g. http://127.0.0.1:8026/hooks/")
        parser.add_argument("--secret-file", required=True, type=Path, help="Where the receiver reads the secret.")

    def handle(self, *args: Any, **options: Any) -> None:
        ensure_demo_webhook(url=options["url"], secret_file=options["secret_file"], stdout=self.stdout)
