import pytest
from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = User.objects.create_superuser("boss", "boss@example.org", "pw")
    client.force_login(user)
    return client


def test_preview_of_a_published_article_renders_the_draft(admin_client, article_factory, soup):
    article = article_factory(headline="Published headline")
    article.title = "Draft headline"
    article.save_revision()
    response = admin_client.get(f"/admin/pages/{article.pk}/view_draft/")
    assert response.status_code == 200
    assert soup(response).h1.get_text() == "Draft headline"


def test_preview_of_a_never_published_draft(admin_client, article_factory, soup):
    article = article_factory(headline="Never out")
    article.unpublish()
    response = admin_client.get(f"/admin/pages/{article.pk}/view_draft/")
    assert response.status_code == 200
    assert soup(response).h1.get_text() == "Never out"


def test_editing_view_opens(admin_client, article_factory):
    article = article_factory(headline="Editable")
    assert admin_client.get(f"/admin/pages/{article.pk}/edit/").status_code == 200


def test_author_snippet_listing_opens(admin_client, article_factory):
    article_factory(authors=["Listed Author"])
    response = admin_client.get("/admin/snippets/articles/author/")
    assert response.status_code == 200
    assert b"Listed Author" in response.content


def test_author_listing_shows_name_role_and_slug_columns(admin_client, article_factory, soup):
    article_factory(authors=["Listed Author"])
    page = soup(admin_client.get("/admin/snippets/articles/author/"))
    headers = [th.get_text(" ", strip=True) for th in page.select("table.listing thead th")]
    assert [h for h in headers if h in ("Name", "Role", "Slug")] == ["Name", "Role", "Slug"]


def test_author_listing_searches_by_the_start_of_a_name(admin_client, article_factory, soup):
    # Found by these tests: naming search fields on the viewset made every search fail on SQLite.
    article_factory(authors=["Findable Person"])
    article_factory(authors=["Other Person"])
    page = soup(admin_client.get("/admin/snippets/articles/author/", {"q": "findab"}))
    rows = [row.get_text(" ", strip=True) for row in page.select("table.listing tbody tr")]
    assert len(rows) == 1
    assert "Findable Person" in rows[0]


def test_authors_have_their_own_admin_menu_item(admin_client, sections):
    from wagtail.admin.menu import admin_menu

    request = admin_client.get("/admin/").wsgi_request
    labels = [item.label for item in admin_menu.menu_items_for_request(request)]
    assert "Authors" in labels


def test_readers_cannot_open_the_author_admin(client, sections):
    response = client.get("/admin/snippets/articles/author/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
