from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from newsdesk.pages.archive import generate


class Command(BaseCommand):
    help = (
        "Add N invented archive articles spread over ten years (sections, authors, tags, comments, shared "
        "pictures) in bulk, for measuring the site at a real daily's size. Deterministic with --seed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("count", type=int, help="How many articles to add (about 1 in 250 is left a draft).")
        parser.add_argument("--seed", type=int, default=2025, help="The same seed gives the same archive.")

    def handle(self, *args: Any, count: int, seed: int, **options: Any) -> None:
        if count < 1:
            raise CommandError("N must be at least 1.")
        verbose = options["verbosity"] > 0
        result = generate(count=count, seed=seed, progress=self.stdout.write if verbose else lambda line: None)
        self.stdout.write(
            f"Added {result.articles} live articles and {result.drafts} drafts, {result.comments} comments, "
            f"{result.images} pictures in {result.seconds} s"
        )
