from typing import Any

from django.core.management.base import BaseCommand
from django.db import connection

from newsdesk.articles import search_rows


class Command(BaseCommand):
    help = (
        "Write site search's rows again from Wagtail's search index (PostgreSQL; seconds at 200,000 articles). "
        "After a load that wrote index entries past the search backend; `update_index` refills both."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            self.stdout.write("Nothing to do: site search keeps rows on PostgreSQL only.")
            return
        self.stdout.write(f"Wrote {search_rows.rebuild()} search rows.")
