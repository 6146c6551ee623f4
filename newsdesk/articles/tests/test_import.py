import datetime
import io
import json
import sys

import pytest
from django.core.management import CommandError, call_command

from newsdesk.articles.factories import make_image
from newsdesk.articles.models import ArticlePage, Author

pytestmark = pytest.mark.django_db


def payload(**overrides):
    data = {
        "external_id": "wire-123",
        "headline": "Ferry returns to the lake",
        "standfirst": "Service resumes after two years.",
        "body": ["First paragraph.", {"type": "quote", "text": "About time.", "attribution": "A captain"}, "Last one."],
        "authors": ["Name One", "Name Two"],
        "section": "local",
        "tags": ["transport"],
        "published_at": "2025-10-21T09:30:00+02:00",
        "source": {"name": "Lake Courier", "url": "https://lake.example/ferry"},
        "canonical_url": "https://lake.example/ferry",
    }
    data.update(overrides)
    return data


def run_import(tmp_path, data, name="article.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    out = io.StringIO()
    call_command("import_article", str(path), stdout=out)
    return out.getvalue().strip()


def test_import_creates_a_published_article_and_prints_its_url(sections, tmp_path):
    url = run_import(tmp_path, payload())
    assert url == "http://localhost/2025/10/21/ferry-returns-to-the-lake/"
    article = ArticlePage.objects.get(external_id="wire-123")
    assert article.live
    assert [a.name for a in article.authors] == ["Name One", "Name Two"]
    assert article.primary_section.slug == "local"
    assert [t.name for t in article.tags.all()] == ["transport"]
    assert [b.block_type for b in article.body] == ["paragraph", "quote", "paragraph"]
    assert article.source_name == "Lake Courier"
    assert article.canonical_url == "https://lake.example/ferry"


def test_import_is_idempotent_on_external_id(sections, tmp_path):
    run_import(tmp_path, payload())
    run_import(tmp_path, payload(headline="Ferry returns to the lake at last", authors=["Name Two"]))
    article = ArticlePage.objects.get(external_id="wire-123")
    assert ArticlePage.objects.count() == 1
    assert article.title == "Ferry returns to the lake at last"
    assert [a.name for a in article.authors] == ["Name Two"]
    assert Author.objects.filter(name="Name One").count() == 1


def test_import_reads_standard_input(sections, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(json.dumps(payload()).encode())))
    out = io.StringIO()
    call_command("import_article", "-", stdout=out)
    assert out.getvalue().strip().endswith("/2025/10/21/ferry-returns-to-the-lake/")


def test_import_with_image_sets_lead_image_caption_and_credit(sections, tmp_path):
    make_image(tmp_path / "photo.jpg", seed=1, colour=(10, 20, 30), size=(320, 180))
    run_import(tmp_path, payload(image={"path": "photo.jpg", "caption": "The ferry", "credit": "Lake Courier"}))
    article = ArticlePage.objects.get(external_id="wire-123")
    assert article.lead_image is not None
    assert (article.lead_image_caption, article.lead_image_credit) == ("The ferry", "Lake Courier")


def test_paragraph_text_is_escaped_not_trusted_as_html(sections, tmp_path):
    run_import(tmp_path, payload(body=["<script>alert(1)</script> fish & chips"]))
    article = ArticlePage.objects.get(external_id="wire-123")
    assert article.body[0].value.source == "<p>&lt;script&gt;alert(1)&lt;/script&gt; fish &amp; chips</p>"


def test_future_publication_is_scheduled_not_live(sections, tmp_path, frozen_now):
    run_import(tmp_path, payload(published_at=(frozen_now + datetime.timedelta(days=30)).isoformat()))
    article = ArticlePage.objects.get(external_id="wire-123")
    assert not article.live
    assert article.get_latest_revision().approved_go_live_at is not None


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"headline": ""}, "headline"),
        ({"headline": None}, "headline"),
        ({"section": "weather"}, "section"),
        ({"published_at": "yesterday"}, "published_at"),
        ({"published_at": "2025-10-21T09:30:00"}, "published_at"),
        ({"authors": []}, "authors"),
        ({"body": []}, "body"),
        ({"body": [{"type": "video", "text": "x"}]}, "body[0].type"),
        ({"canonical_url": "javascript:alert(1)"}, "canonical_url"),
        ({"image": {"path": "missing.jpg"}}, "image.path"),
        ({"external_id": ""}, "external_id"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(sections, tmp_path, overrides, field):
    with pytest.raises(CommandError) as error:
        run_import(tmp_path, payload(**overrides))
    assert str(error.value).startswith(f"{field}:")
    assert not ArticlePage.objects.exists()
    assert not Author.objects.exists()


def test_bad_json_is_reported(sections, tmp_path):
    with pytest.raises(CommandError, match=r"^\(json\): not valid JSON"):
        run_import(tmp_path, '{"headline": ')


def test_missing_file_is_reported(sections, tmp_path):
    with pytest.raises(CommandError, match=r"^file: cannot read"):
        call_command("import_article", str(tmp_path / "nope.json"))


def test_a_failed_update_leaves_the_previous_version(sections, tmp_path):
    run_import(tmp_path, payload())
    with pytest.raises(CommandError):
        run_import(tmp_path, payload(headline="Changed", section="nowhere"))
    assert ArticlePage.objects.get(external_id="wire-123").title == "Ferry returns to the lake"


def test_unknown_section_message_lists_known_sections(sections, tmp_path):
    with pytest.raises(CommandError, match=r"known sections: world, politics, business, local, sport, culture"):
        run_import(tmp_path, payload(section="weather"))


def test_import_runs_from_the_shell(sections, tmp_path):
    """The command exits non-zero with the message on standard error."""
    import subprocess

    path = tmp_path / "bad.json"
    path.write_text(json.dumps(payload(headline="")))
    result = subprocess.run(
        [sys.executable, "manage.py", "import_article", str(path)],
        capture_output=True,
        text=True,
        env={"DJANGO_SETTINGS_MODULE": "newsdesk.settings.test", "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert result.returncode != 0
    assert "headline: is required" in result.stderr
