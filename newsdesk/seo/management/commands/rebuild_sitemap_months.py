from typing import Any

from django.core.management.base import BaseCommand

from newsdesk.seo.services import sitemap_months_rebuild


class Command(BaseCommand):
    help = (
        "Work out again which months /sitemap.xml lists, from every published article. Jobs keep the "
        "list current as articles are published; run this after bulk inserts that bypass publishing "
        "(generate_archive runs it itself) and once after the migration that adds the list."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        months = sitemap_months_rebuild()
        self.stdout.write(f"{months} months with published articles")
