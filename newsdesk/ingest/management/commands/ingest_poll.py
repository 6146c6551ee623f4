from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from newsdesk.ingest.models import Source
from newsdesk.ingest.services import SourceBusy, poll


class Command(BaseCommand):
    help = "Poll one ingest source now and print what happened to each story."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name")

    def handle(self, *args: Any, **options: Any) -> None:
        source = Source.objects.filter(name=options["name"]).first()
        if source is None:
            raise CommandError(f"no source named {options['name']!r}")
        try:
            result = poll(source)
        except SourceBusy as error:
            raise CommandError(f"{source.name} is being polled right now; try again in a moment") from error
        for touched in result.touched:
            self.stdout.write(touched.line())
        if result.error:
            raise CommandError(result.summary())
        self.stdout.write(result.summary())
