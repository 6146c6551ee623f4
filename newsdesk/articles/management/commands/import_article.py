import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from newsdesk.articles.services import ArticleImportError, article_import


class Command(BaseCommand):
    help = "Create or update an article from JSON (a file, or - for standard input); prints its public URL."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Path to the JSON file, or - to read standard input.")

    def handle(self, *args: Any, **options: Any) -> None:
        source = options["file"]
        try:
            if source == "-":
                text, base_dir = sys.stdin.read(), Path.cwd()
            else:
                path = Path(source)
                text, base_dir = path.read_text(encoding="utf-8"), path.resolve().parent
        except OSError as error:
            raise CommandError(f"file: cannot read {source}: {error.strerror}") from error
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise CommandError(
                f"(json): not valid JSON: {error.msg} at line {error.lineno} column {error.colno}"
            ) from error
        try:
            article = article_import(data=data, base_dir=base_dir)
        except ArticleImportError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(article.full_url or "")
