from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from newsdesk.core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "Back up the database (a consistent dump) and the media files, with a manifest of checksums, into DIR."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="A new or empty folder for this backup.")
        parser.add_argument("--database", default="default", help="The database alias to back up.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = create_backup(options["directory"], alias=options["database"])
        except BackupError as problem:
            raise CommandError(str(problem)) from problem
        self.stdout.write(f"Backed up {summary.files} files ({summary.bytes:,} bytes) into {summary.path}")
