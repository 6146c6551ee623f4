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
