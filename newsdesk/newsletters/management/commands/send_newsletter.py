"""`manage.py send_newsletter SLUG`: build an edition now and queue it for the worker to send."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from newsdesk.newsletters import editions, mail
from newsdesk.newsletters.models import Newsletter
from newsdesk.newsletters.tasks import start_sending


class Command(BaseCommand):
    help = "Build an edition of the newsletter SLUG now and queue it; the job worker sends it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")

    def handle(self, *args: Any, slug: str, **options: Any) -> None:
        newsletter = Newsletter.objects.filter(slug=slug).first()
        if newsletter is None:
            known = ", ".join(Newsletter.objects.values_list("slug", flat=True)) or "none yet"
            raise CommandError(f"No newsletter with the slug {slug!r} (known: {known}).")
        edition = editions.build_edition(newsletter, newest_if_empty=True)
        if edition is None:
            raise CommandError("There is no published story to send.")
        queued = start_sending(edition)
        self.stdout.write(f"Edition: {mail.base_url()}{edition.get_absolute_url()}")
        self.stdout.write(f"Recipients queued: {queued}")
