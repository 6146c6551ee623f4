import json
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper

from newsdesk.wordpress.services import ExportRefused, Options, import_export


class ProgressLine:
    """Items done / total, rate and time left: one line rewritten on a terminal, log lines otherwise."""

    def __init__(self, stream: OutputWrapper, *, interactive: bool, every_seconds: float = 10.0) -> None:
        self.stream = stream
        self.interactive = interactive
        self.every_seconds = every_seconds
        self.started = time.monotonic()
        self.last_line = 0.0

    def __call__(self, done: int, total: int) -> None:
        elapsed = max(time.monotonic() - self.started, 1e-6)
        rate = done / elapsed
        left = (total - done) / rate if rate > 0 else 0.0
        text = f"{done}/{total} items, {rate:.1f}/s, about {_duration(left)} left"
        if self.interactive:
            width = 30
            filled = int(width * done / total) if total else width
            self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {text}   ", ending="")
            if done >= total:
                self.stream.write("")
            self.stream.flush()
        elif done >= total or time.monotonic() - self.last_line >= self.every_seconds:
            self.last_line = time.monotonic()
            self.stream.write(f"import: {text}")


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds >= 3600:
        return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"
    if seconds >= 60:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds} s"


class Command(BaseCommand):
    help = (
        "Import a WordPress export (Tools → Export, WXR 1.0 to 1.2): posts, pages, authors, categories, tags, "
        "pictures and comments, with redirects from every old address. Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("export", help="The WXR file WordPress wrote (.xml).")
        parser.add_argument(
            "--uploads", help="A copy of the old site's wp-content/uploads folder, where the pictures are read from."
        )
        parser.add_argument(
            "--fetch-media",
            action="store_true",
            help="Fetch pictures not found in --uploads from the old site (public addresses only).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Read everything, write nothing, print the report.")
        parser.add_argument("--report", help="Also write the report to this file, as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["export"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        uploads = Path(options["uploads"]) if options["uploads"] else None
        progress = ProgressLine(self.stderr, interactive=self.stderr.isatty())
        try:
            report = import_export(
                path,
                options=Options(uploads=uploads, fetch_media=options["fetch_media"], dry_run=options["dry_run"]),
                progress=progress,
            )
        except ExportRefused as error:
            raise CommandError(f"{path.name}: {error}. Nothing was imported.") from error
        for line in report.lines():
            self.stdout.write(line)
        if options["report"]:
            target = Path(options["report"])
            try:
                target.write_text(json.dumps(report.as_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
            except OSError as error:
                raise CommandError(f"--report: cannot write {target}: {error.strerror}") from error
