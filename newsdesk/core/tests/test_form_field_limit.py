"""Form fields per request: Django's default for the public, more for editors in the admin only."""

from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Group, User
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from newsdesk.comments.models import Comment

pytestmark = pytest.mark.django_db

URLENCODED = "application/x-www-form-urlencoded"


def fields(count: int) -> dict[str, str]:
    return {f"field{number}": "x" for number in range(count)}


@pytest.fixture
def story(article_factory):
    return article_factory(headline="Harbour bridge reopens")


def refused_for_too_many_fields(response, soup) -> bool:
    return response.status_code == 400 and soup(response).h1.get_text() == "Bad request"


def test_a_comment_post_with_1001_fields_is_refused(client, story, soup):
    response = client.post(f"/comments/post/{story.pk}/", fields(1001))
    assert refused_for_too_many_fields(response, soup)
    assert not Comment.objects.exists()


def test_a_urlencoded_comment_post_with_1001_fields_is_refused(client, story, soup):
    response = client.post(f"/comments/post/{story.pk}/", urlencode(fields(1001)), content_type=URLENCODED)
    assert refused_for_too_many_fields(response, soup)


def test_a_comment_post_with_1000_fields_reaches_the_form(client, story, soup):
    response = client.post(f"/comments/post/{story.pk}/", fields(1000))
    assert not refused_for_too_many_fields(response, soup)
    assert soup(response).select_one("form#commentform") is not None


def test_a_query_string_with_1001_fields_is_refused(client, story, soup):
    assert refused_for_too_many_fields(client.get("/search/", fields(1001)), soup)


def test_a_query_string_with_1000_fields_is_answered(client, story):
    assert client.get("/search/", fields(1000)).status_code == 200


def test_the_admin_address_alone_does_not_raise_the_limit(client, soup):
    assert refused_for_too_many_fields(client.post("/admin/login/", fields(1001)), soup)


def test_a_signed_in_user_without_admin_access_keeps_the_default(client, soup):
    client.force_login(User.objects.create_user("reader", password="pw"))
    assert refused_for_too_many_fields(client.post("/admin/", fields(1001)), soup)


@pytest.fixture
def editor_client(client):
    editor = User.objects.create_user("editor", password="pw")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    return client


def long_article_form(article, paragraphs: int) -> dict[str, str]:
    """What the page editor posts for `article` with a body of `paragraphs` blocks (about 5 fields each)."""
    return nested_form_data(
        {
            "title": article.title,
            "slug": article.slug,
            "standfirst": article.standfirst,
            "byline": inline_formset([{"author": link.author_id} for link in article.byline.all()], min=1),
            "primary_section": article.primary_section_id,
            "tags": "",
            "body": streamfield([("paragraph", rich_text(f"<p>Paragraph {n}.</p>")) for n in range(paragraphs)]),
            "comments": inline_formset([]),
            "comments_open": "on",
        }
    )


def test_an_editor_saves_an_article_of_more_than_1000_fields(editor_client, story):
    data = long_article_form(story, paragraphs=250)
    assert len(data) > 1000
    response = editor_client.post(f"/admin/pages/{story.pk}/edit/", data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    story.refresh_from_db()
    assert len(story.get_latest_revision_as_object().body) == 250


def test_an_editor_previews_an_article_of_more_than_1000_fields(editor_client, story):
    response = editor_client.post(f"/admin/pages/{story.pk}/edit/preview/", long_article_form(story, paragraphs=250))
    assert response.status_code == 200
    assert response.json()["is_valid"] is True


def test_editors_still_meet_djangos_ceiling(editor_client, story, soup):
    assert refused_for_too_many_fields(editor_client.post(f"/admin/pages/{story.pk}/edit/", fields(10_001)), soup)
