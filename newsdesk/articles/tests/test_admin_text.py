"""What editors save in the admin keeps only the characters XML 1.0 allows (pasted Word text brings others)."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import User
from wagtail.blocks import StreamValue
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from newsdesk.articles.admin_forms import stream_xml_chars, xml_value
from newsdesk.articles.blocks import PARAGRAPH_FEATURES
from newsdesk.articles.models import ArticlePage, Author

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(User.objects.create_superuser("boss", "boss@example.org", "pw"))
    return client


@pytest.fixture
def article(article_factory):
    return article_factory(headline="Calm", section="local", authors=["Jonas Falk"], tags=[])


def edit_data(article, **changes):
    credit = article.byline.get()
    data = {
        "title": "Calm",
        "slug": article.slug,
        "standfirst": "Calm water.",
        "primary_section": str(article.primary_section_id),
        "byline": inline_formset([{"id": str(credit.pk), "author": str(credit.author_id)}], initial=1),
        "body": streamfield([("paragraph", rich_text("<p>Calm.</p>", features=PARAGRAPH_FEATURES))]),
        "comments_open": "on",
    }
    data.update(changes)
    return nested_form_data(data)


def save_draft(admin_client, article, **changes):
    response = admin_client.post(f"/admin/pages/{article.pk}/edit/", edit_data(article, **changes))
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    return ArticlePage.objects.get(pk=article.pk).get_latest_revision_as_object()


def test_a_title_with_a_vertical_tab_is_saved_without_it(admin_client, article):
    assert save_draft(admin_client, article, title="Ferry\x0b back").title == "Ferry back"


def test_standfirst_and_seo_fields_drop_forbidden_characters(admin_client, article):
    draft = save_draft(
        admin_client,
        article,
        standfirst="Calm\x0c water\ufffe.",
        seo_title="Ferry\x01",
        search_description="Back\x1f.",
        lead_image_caption="Boat\x0b",
    )
    assert (draft.standfirst, draft.seo_title, draft.search_description) == ("Calm water.", "Ferry", "Back.")
    assert draft.lead_image_caption == "Boat"


def test_text_in_the_body_blocks_drops_forbidden_characters(admin_client, article):
    body = streamfield(
        [
            ("paragraph", rich_text("<p>Para\x0bgraph &amp; more</p>", features=PARAGRAPH_FEATURES)),
            ("heading", "Head\x0cing"),
            ("quote", {"text": "Qu\x0bote", "attribution": "Some\x01one"}),
        ]
    )
    paragraph, heading, quote = save_draft(admin_client, article, body=body).body
    assert BeautifulSoup(paragraph.value.source, "html.parser").get_text() == "Paragraph & more"
    assert heading.value == "Heading"
    assert (quote.value["text"], quote.value["attribution"]) == ("Quote", "Someone")


def test_a_title_of_only_control_characters_is_an_error_not_an_empty_title(admin_client, article):
    response = admin_client.post(f"/admin/pages/{article.pk}/edit/", edit_data(article, title="\x0b\x0c"))
    assert response.status_code == 200
    assert "title" in response.context["form"].errors
    assert ArticlePage.objects.get(pk=article.pk).get_latest_revision_as_object().title == "Calm"


def test_an_authors_name_and_role_drop_forbidden_characters(admin_client, article):
    author = Author.objects.get(slug="jonas-falk")
    data = nested_form_data(
        {"name": "Jonas\x0b Falk", "slug": author.slug, "role": "Re\x01porter", "links": inline_formset([])}
    )
    response = admin_client.post(f"/admin/snippets/articles/author/edit/{author.pk}/", data)
    assert response.status_code == 302, response.context["form"].errors
    author.refresh_from_db()
    assert (author.name, author.role) == ("Jonas Falk", "Reporter")


def test_values_are_cleaned_through_lists_and_dicts():
    assert xml_value({"a": ["b\x0b", 1, None]}) == {"a": ["b", 1, None]}


def test_rich_text_in_a_stream_drops_forbidden_characters(article):
    stream = article.body.stream_block.to_python([{"type": "paragraph", "value": "<p>a\x0bb &amp; c\ufffe</p>"}])
    assert stream_xml_chars(stream)[0].value.source == "<p>ab &amp; c</p>"


def test_a_clean_stream_is_returned_as_it_is(article):
    stream = article.body
    assert isinstance(stream, StreamValue)
    assert stream_xml_chars(stream) is stream
