"""An index for the next expiry among listed articles (pages/teasers.py, `next_expiry`).

Kept lists key on the soonest `expire_at` of a published article, read once per generation
of the lists, that is after every publish. Wagtail does not index `expire_at`, so at archive
size that read scanned every page (67 ms at 200,000 articles) to find the handful, often
none, that will expire. A partial index holds only those. Plain SQL both SQLite and
PostgreSQL accept.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("articles", "0004_corrections")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS articles_page_expire_at_idx ON wagtailcore_page (expire_at) "
            "WHERE expire_at IS NOT NULL",
            reverse_sql="DROP INDEX IF EXISTS articles_page_expire_at_idx",
        )
    ]
