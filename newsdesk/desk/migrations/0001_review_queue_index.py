"""An index for the dashboard's "Awaiting my review": Wagtail's task states by status, newest first.

Wagtail indexes a task state by its task, not its status: a newsroom that reviews every
story keeps one finished task state per story, and finding the few in progress would read
them all on every visit to the dashboard. Plain SQL both SQLite and PostgreSQL accept.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("wagtailcore", "0098_apitoken")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS desk_taskstate_status_idx ON wagtailcore_taskstate (status, started_at)",
            reverse_sql="DROP INDEX IF EXISTS desk_taskstate_status_idx",
        )
    ]
