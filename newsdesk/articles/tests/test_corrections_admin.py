"""The corrections admin: who may add one to which article, and who may change one afterwards."""

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from wagtail.models import Site

from newsdesk.articles import corrections, wagtail_hooks
from newsdesk.articles.models import ArticlePage, Correction, CorrectionsSettings
from newsdesk.core.roles import ADMINS, EDITORS, WRITERS

pytestmark = pytest.mark.django_db

FORM = {"kind": "correction", "text": "The vote was 31 to 12.", "significant": "on"}


@pytest.fixture
def member(client, django_user_model, sections):
    def login(group):
        user = django_user_model.objects.create_user(group.lower(), password="pw-12345678")
        user.groups.add(Group.objects.get(name=group))
        client.force_login(user)
        return client

    return login


@pytest.fixture
def story(article_factory):
    return article_factory(headline="Bridge vote passes", section="local")


def url(article):
    return f"/admin/corrections/article/{article.pk}/"


def refused(response):
    messages = [message.message.strip() for message in get_messages(response.wsgi_request)]
    return response.status_code == 302 and "Sorry, you do not have permission to access this area." in messages


def published(article, text="Original wording."):
    return corrections.correction_add(article=article, kind="correction", text=text, significant=False, user=None)


def test_an_editor_adds_a_correction_from_the_form(member, story):
    editor = member(EDITORS)
    response = editor.post(url(story), FORM)
    assert response.status_code == 302
    correction = Correction.objects.get()
    assert (correction.article_id, correction.text, correction.significant) == (story.pk, FORM["text"], True)
    assert correction.created_by is not None
    assert correction.created_by.username == "editors"


def test_the_form_refuses_empty_text_with_a_labelled_error(member, story, soup):
    response = member(EDITORS).post(url(story), FORM | {"text": "   "})
    assert response.status_code == 400
    assert not Correction.objects.exists()
    assert soup(response).select_one('label[for="id_text"]') is not None


def test_the_form_refuses_a_time_in_the_future_next_to_the_time_field(member, story, soup):
    response = member(EDITORS).post(url(story), FORM | {"at": "2999-01-01T08:00"})
    assert response.status_code == 400
    assert not Correction.objects.exists()
    assert "future" in soup(response).get_text()
    assert soup(response).select_one('label[for="id_at"]') is not None


def test_a_writer_cannot_add_a_correction(member, story):
    assert refused(member(WRITERS).post(url(story), FORM))
    assert not Correction.objects.exists()


def test_a_draft_offers_no_form(member, story, soup):
    story.unpublish()
    page = soup(member(EDITORS).get(url(ArticlePage.objects.get(pk=story.pk))))
    assert page.select("form.correction-form") == []


def test_the_list_shows_the_articles_corrections(member, story, soup):
    published(story, "A published fix.")
    page = soup(member(EDITORS).get(url(story)))
    assert "A published fix." in page.select_one(".corrections-admin__row").get_text()


def test_the_page_header_offers_corrections_for_a_live_article(member, story, soup):
    page = soup(member(EDITORS).get(f"/admin/pages/{story.pk}/edit/"))
    assert page.select_one(f'a[href="{url(story)}"]') is not None


def test_no_corrections_button_for_a_writer(member, story):
    member(WRITERS)
    user = Group.objects.get(name=WRITERS).user_set.get()
    assert list(wagtail_hooks.corrections_header_button(story, user, "edit")) == []


def test_no_corrections_button_for_a_draft(member, story):
    member(EDITORS)
    story.unpublish()
    user = Group.objects.get(name=EDITORS).user_set.get()
    assert list(wagtail_hooks.corrections_header_button(ArticlePage.objects.get(pk=story.pk), user, "edit")) == []


def test_an_editor_cannot_open_the_edit_form(member, story):
    correction = published(story)
    assert refused(member(EDITORS).get(f"/admin/corrections/{correction.pk}/edit/"))


def test_an_editor_cannot_post_an_edit(member, story):
    correction = published(story)
    member(EDITORS).post(f"/admin/corrections/{correction.pk}/edit/", FORM | {"text": "Changed."})
    correction.refresh_from_db()
    assert correction.text == "Original wording."


def test_an_admin_edits_and_the_history_shows_the_earlier_text(member, story, soup):
    correction = published(story)
    admin = member(ADMINS)
    response = admin.post(f"/admin/corrections/{correction.pk}/edit/", FORM | {"text": "Changed."})
    assert response.status_code == 302
    correction.refresh_from_db()
    assert correction.text == "Changed."
    history = soup(admin.get(url(story))).select_one(".corrections-admin__edit").get_text()
    assert "Original wording." in history
    assert "admins" in history


def test_an_admin_sets_the_corrections_policy_address(member, sections):
    admin = member(ADMINS)
    site = Site.objects.get(is_default_site=True)
    address = f"/admin/settings/articles/correctionssettings/{site.pk}/"
    assert admin.get(address).status_code == 200
    admin.post(address, {"policy_page": "", "policy_url": "example.org/standards"})
    assert CorrectionsSettings.for_site(site).policy_url == "https://example.org/standards"


def test_the_articles_history_lists_its_corrections(member, story, soup):
    published(story)
    history = soup(member(EDITORS).get(f"/admin/pages/{story.pk}/history/"))
    assert "Correction published" in history.get_text()
