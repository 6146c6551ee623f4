"""The search rows site search reads first (models.ArticleSearchRow, search_rows.py).

On PostgreSQL a GIN index on the vector, and the rows filled from Wagtail's index entries
as `manage.py rebuild_search_rows` does (seconds at 200,000 articles), so search works at
once after a deploy. SQLite keeps the table empty: site search asks Wagtail's backend there.
"""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

GIN = "CREATE INDEX IF NOT EXISTS article_search_document_idx ON articles_articlesearchrow USING gin (document)"
# A frozen copy of search_rows.rebuild's statement (migrations must not follow later code).
FILL = """
    INSERT INTO articles_articlesearchrow (article_id, published_at, section_id, document, headline)
    SELECT article.page_ptr_id, page.first_published_at, article.primary_section_id,
           setweight(entry.title, 'A') || setweight(entry.body, 'D'), entry.title
    FROM articles_articlepage article
    JOIN wagtailcore_page page ON page.id = article.page_ptr_id
    JOIN wagtailsearch_indexentry entry ON entry.content_type_id = %s AND entry.object_id = article.page_ptr_id::text
    WHERE page.live AND page.first_published_at IS NOT NULL
"""


def index_and_fill(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    content_type = apps.get_model("contenttypes", "ContentType")
    article_type = content_type.objects.filter(app_label="articles", model="articlepage").first()
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(GIN)
        if article_type is not None:
            cursor.execute(FILL, [article_type.pk])
            cursor.execute("ANALYZE articles_articlesearchrow")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_page_expiry_index"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [
        migrations.CreateModel(
            name="ArticleSearchRow",
            fields=[
                (
                    "article",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_row",
                        serialize=False,
                        to="articles.articlepage",
                    ),
                ),
                ("published_at", models.DateTimeField()),
                ("document", django.contrib.postgres.search.SearchVectorField()),
                ("headline", django.contrib.postgres.search.SearchVectorField()),
                (
                    "section",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="articles.sectionpage",
                    ),
                ),
            ],
            options={
                "verbose_name": "article search row",
                "indexes": [
                    models.Index(fields=["-published_at", "-article"], name="article_search_newest_idx"),
                    models.Index(fields=["section", "-published_at", "-article"], name="article_search_section_idx"),
                ],
            },
        ),
        migrations.RunPython(index_and_fill, migrations.RunPython.noop),
    ]
