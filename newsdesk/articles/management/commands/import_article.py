import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from newsdesk.articles.services import IMPORT_MAX_BYTES, ArticleImportError, article_import, import_document_parse


class Command(BaseCommand):
    help = "Create or update an article from JSON (a file, or - for standard input); prints its public URL."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Path to the JSON file (UTF-8), or - to read standard input.")

    def handle(self, *args: Any, **options: Any) -> None:
        source = options["file"]
        # One byte past the limit is enough to know a file is too large; the rest is never read.
        try:
            if source == "-":
                raw, base_dir = sys.stdin.buffer.read(IMPORT_MAX_BYTES + 1), Path.cwd()
            else:
                path = Path(source)
                with path.open("rb") as handle:
                    raw, base_dir = handle.read(IMPORT_MAX_BYTES + 1), path.resolve().parent
        except OSError as error:
            raise CommandError(f"file: cannot read {source}: {error.strerror}") from error
        try:
            article = article_import(data=import_document_parse(raw), base_dir=base_dir)
        except ArticleImportError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(article.full_url or "")
