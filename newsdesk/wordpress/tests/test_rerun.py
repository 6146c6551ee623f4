"""Running the import again: nothing doubles, what changed is updated, a killed run is finished."""

import datetime
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from wagtail.contrib.redirects.models import Redirect
from wagtail.images.models import Image
from wagtail.models import Page, Revision

from newsdesk.articles.models import ArticlePage, Author, SectionPage
from newsdesk.comments.models import Comment
from newsdesk.wordpress import services
from newsdesk.wordpress.models import ImportedItem
from newsdesk.wordpress.services import ExportRefused, Options, import_export

from .wxr import WxrAuthor, WxrCategory, WxrComment, WxrItem, WxrTag, write_wxr

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"


def export_items(count=6):
    return [
        WxrItem(
            id=number,
            title=f"Story {number}",
            date=datetime.datetime(2024, 3, number, 9, 0),
            link=f"https://old.example.org/story-{number}/",
            categories=[("harbour", "Harbour")],
            tags=[("boats", "Boats")],
            comments=[WxrComment(id=100 + number, content=f"Comment {number}")],
        )
        for number in range(1, count + 1)
    ]


EXPORT: dict[str, Any] = {
    "categories": [WxrCategory(id=5, slug="harbour", name="Harbour")],
    "tags": [WxrTag(id=7, slug="boats", name="Boats")],
    "authors": [WxrAuthor(id=1, login="editor", display_name="The Editor")],
}


def written(tmp_path, items, name="export.xml"):
    return write_wxr(tmp_path / name, items=items, **EXPORT)


def snapshot():
    """Row counts of everything an import writes."""
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "comments": Comment.objects.count(),
        "authors": Author.objects.count(),
        "sections": SectionPage.objects.count(),
        "redirects": Redirect.objects.count(),
        "images": Image.objects.count(),
        "remembered": ImportedItem.objects.count(),
    }


def test_a_second_run_of_the_same_file_changes_nothing(sections, tmp_path):
    path = written(tmp_path, export_items())
    import_export(path)
    before = snapshot()
    report = import_export(path)
    assert snapshot() == before
    assert report.counts["post"]["unchanged"] == 6
    assert report.counts["comment"]["unchanged"] == 6
    assert report.counts["post"]["created"] == report.counts["post"]["updated"] == 0
    assert report.redirects == []


def test_a_newer_export_updates_what_changed_and_only_that(sections, tmp_path):
    import_export(written(tmp_path, export_items()))
    newer = export_items()
    newer[2].title = "Story 3, corrected"
    newer[4].comments.append(WxrComment(id=200, content="A late comment"))
    report = import_export(written(tmp_path, newer, "newer.xml"))
    assert ArticlePage.objects.filter(title="Story 3, corrected").count() == 1
    assert not ArticlePage.objects.filter(title="Story 3").exists()
    assert report.counts["post"]["updated"] == 1
    assert report.counts["post"]["unchanged"] == 5
    assert report.counts["comment"]["created"] == 1
    assert Comment.objects.filter(body="A late comment").exists()


def test_a_post_taken_down_on_wordpress_is_taken_down_here(sections, tmp_path):
    import_export(written(tmp_path, export_items(1)))
    [item] = export_items(1)
    item.status = "draft"
    import_export(written(tmp_path, [item], "newer.xml"))
    assert not ArticlePage.objects.get(title="Story 1").live


def test_a_run_killed_half_way_is_finished_by_running_it_again(sections, tmp_path, monkeypatch):
    path = written(tmp_path, export_items())
    real_item = services._item
    seen = []

    def dies_on_the_fourth(run, item, **kwargs):
        seen.append(item.post_id)
        if len(seen) == 4:
            raise KeyboardInterrupt  # what a kill looks like from inside: not an error the item catches
        real_item(run, item, **kwargs)

    monkeypatch.setattr(services, "_item", dies_on_the_fourth)
    with pytest.raises(KeyboardInterrupt):
        import_export(path)
    assert ArticlePage.objects.filter(title__startswith="Story").count() == 3
    monkeypatch.setattr(services, "_item", real_item)

    report = import_export(path)
    assert sorted(ArticlePage.objects.filter(title__startswith="Story").values_list("title", flat=True)) == [
        f"Story {number}" for number in range(1, 7)
    ]
    assert (report.counts["post"]["unchanged"], report.counts["post"]["created"]) == (3, 3)
    assert Comment.objects.count() == 6


def test_an_article_deleted_since_the_last_run_is_made_again(sections, tmp_path):
    path = written(tmp_path, export_items(2))
    import_export(path)
    ArticlePage.objects.get(title="Story 1").delete()
    report = import_export(path)
    assert ArticlePage.objects.filter(title="Story 1").exists()
    assert report.counts["post"]["created"] == 1


def test_the_same_ids_from_another_site_are_other_items(sections, tmp_path):
    import_export(written(tmp_path, export_items(1)))
    other = write_wxr(
        tmp_path / "other.xml",
        site_url="https://other.example.net",
        items=[WxrItem(id=1, title="Other story 1")],
        **EXPORT,
    )
    import_export(other)
    assert ArticlePage.objects.filter(title="Other story 1").exists()
    assert ArticlePage.objects.filter(title="Story 1").exists()


def test_a_dry_run_writes_nothing_and_reports_what_it_would_do(sections, tmp_path):
    before = snapshot()
    report = import_export(written(tmp_path, export_items()), options=Options(dry_run=True))
    assert snapshot() == before
    assert report.dry_run
    assert report.counts["post"]["created"] == 6
    assert report.redirects


def test_a_dry_run_stores_no_picture_file(sections, tmp_path, uploads, settings):
    media = Path(settings.MEDIA_ROOT)
    files_before = sorted(media.rglob("*")) if media.exists() else []
    item = WxrItem(id=1, title="Pictured", meta=[("_thumbnail_id", "40")])
    picture = WxrItem(
        id=40,
        post_type="attachment",
        status="inherit",
        attachment_url="https://old.example.org/wp-content/uploads/2024/03/bridge.jpg",
        meta=[("_wp_attached_file", "2024/03/bridge.jpg")],
    )
    import_export(written(tmp_path, [item, picture]), options=Options(dry_run=True, uploads=uploads))
    assert (sorted(media.rglob("*")) if media.exists() else []) == files_before


# --- Broken files ---------------------------------------------------------------------------


def test_a_broken_file_writes_nothing(sections, tmp_path):
    whole = written(tmp_path, export_items()).read_text(encoding="utf-8")
    cut = tmp_path / "cut.xml"
    cut.write_text(whole[: int(len(whole) * 0.7)], encoding="utf-8")
    before = snapshot()
    with pytest.raises(ExportRefused, match="not well-formed XML"):
        import_export(cut)
    assert snapshot() == before


# --- The command ----------------------------------------------------------------------------


def test_the_command_prints_the_report_and_writes_it_as_json(sections, tmp_path):
    out = StringIO()
    report_file = tmp_path / "report.json"
    call_command(
        "import_wordpress",
        str(written(tmp_path, export_items(2))),
        report=str(report_file),
        stdout=out,
        stderr=StringIO(),
    )
    text = out.getvalue()
    assert "Import finished." in text
    assert "Redirects made" in text
    import json

    data = json.loads(report_file.read_text(encoding="utf-8"))
    assert data["counts"]["post"]["created"] == 2
    assert {"from": "/story-1", "to": "/2024/03/01/story-1/"} in data["redirects"]


def test_the_command_logs_progress_lines_when_not_on_a_terminal(sections, tmp_path):
    err = StringIO()
    call_command("import_wordpress", str(written(tmp_path, export_items(2))), stdout=StringIO(), stderr=err)
    assert "import: 2/2 items" in err.getvalue()


def test_the_command_refuses_a_broken_file_with_a_clear_message(sections, tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_text("<rss><channel>", encoding="utf-8")
    with pytest.raises(CommandError, match=r"bad\.xml: .*Nothing was imported"):
        call_command("import_wordpress", str(bad), stdout=StringIO(), stderr=StringIO())


def test_the_command_refuses_a_missing_file(sections, tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_wordpress", str(tmp_path / "nothing.xml"), stdout=StringIO())


# --- The realistic export ---------------------------------------------------------------------


def test_the_realistic_export_imports_and_a_second_run_changes_nothing(sections):
    path = DATA / "realistic-export.xml"
    report = import_export(path, options=Options(uploads=DATA / "uploads"))
    assert (
        report.counts["post"]["created"]
        == ArticlePage.objects.filter(pk__in=ImportedItem.objects.filter(kind="post").values("object_id")).count()
    )
    assert report.counts["post"]["skipped"] == 20  # ten in the trash, ten auto-drafts
    assert report.problems == []
    assert (
        ArticlePage.objects.published()
        .filter(pk__in=ImportedItem.objects.filter(kind="post").values("object_id"))
        .count()
        == 130  # 131 published on WordPress, one of them behind a password
    )
    assert {entry["picture"].rsplit("/", 1)[-1] for entry in report.missing_pictures} >= {"sports-day-relay.jpg"}
    before = snapshot()
    again = import_export(path, options=Options(uploads=DATA / "uploads"))
    assert snapshot() == before
    assert again.counts["post"]["created"] == again.counts["post"]["updated"] == 0
