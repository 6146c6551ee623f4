"""Site-wide invariants over the whole demo newsroom."""

import io

import pytest
from django.core.management import call_command
from django.http import HttpRequest
from django.test import Client

from newsdesk.articles.models import ArticlePage, Author, SectionPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path) -> str:
    """Loads the demo newsroom; returns what the command printed."""
    settings.MEDIA_ROOT = tmp_path / "media"
    out = io.StringIO()
    call_command("demo_newsroom", "--host", "localhost", "--port", "80", stdout=out)
    return out.getvalue()


def demo_urls() -> list[str]:
    from taggit.models import Tag

    urls = ["/", "/articles/", "/articles/?page=2", "/search/", "/search/?q=tram"]
    urls += [section.url for section in SectionPage.objects.live()]
    urls += [article.url for article in ArticlePage.objects.published()]
    urls += [author.get_absolute_url() for author in Author.objects.all()]
    urls += [f"/tags/{tag.slug}/" for tag in Tag.objects.all()]
    return urls


def test_demo_prints_a_working_admin_login(demo):
    assert "Admin login: http://localhost:80/admin/  user: admin  password: newsdesk-demo" in demo
    # django-axes throttles sign-ins by the request's address, so authenticate() needs one.
    assert Client().login(request=HttpRequest(), username="admin", password="newsdesk-demo")
    assert Client().login(request=HttpRequest(), username="writer", password="newsdesk-demo")


def test_demo_has_forty_articles_in_six_sections_with_images(demo):
    assert ArticlePage.objects.published().count() >= 40
    assert set(SectionPage.objects.values_list("slug", flat=True)) == {
        "world",
        "politics",
        "business",
        "local",
        "sport",
        "culture",
    }
    assert not ArticlePage.objects.filter(lead_image__isnull=True).exists()
    assert not Author.objects.filter(photo__isnull=True).exists()
    assert ArticlePage.objects.filter(comments__isnull=False).exists()


def test_every_demo_url_answers_with_one_h1_sized_images_and_labelled_fields(demo, soup):
    client = Client()
    for url in demo_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        page = soup(response)
        assert len(page.find_all("h1")) == 1, url
        for img in page.find_all("img"):
            assert img.get("width") and img.get("height") and img.has_attr("alt"), (url, img)
        for field in page.select("input:not([type=hidden]), textarea, select"):
            assert page.select_one(f"label[for={field['id']}]"), (url, field)


def test_demo_is_deterministic(demo):
    headlines = list(ArticlePage.objects.order_by("external_id").values_list("external_id", "title"))
    ArticlePage.objects.all().delete()  # only pages; authors and images stay
    call_command("demo_newsroom", stdout=io.StringIO())
    assert list(ArticlePage.objects.order_by("external_id").values_list("external_id", "title")) == headlines


def test_no_missing_migrations():
    out = io.StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()
