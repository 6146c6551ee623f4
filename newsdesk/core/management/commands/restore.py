from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from newsdesk.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup` into an empty database and an empty media folder."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="The backup folder (it holds manifest.json).")
        parser.add_argument("--database", default="default", help="The database alias to restore into.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = restore_backup(options["directory"], alias=options["database"])
        except BackupError as problem:
            raise CommandError(str(problem)) from problem
        self.stdout.write(
            f"Restored the database and {summary.files} media files ({summary.bytes:,} bytes) from {summary.path}"
        )
