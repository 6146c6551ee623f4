"""Writers open their own drafts and what is submitted to them; Editors open every page."""

from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.contrib.messages import get_messages
from django.test import Client
from django.utils.text import slugify
from wagtail.models import GroupApprovalTask, GroupPagePermission, Page, Workflow, WorkflowTask

from newsdesk.articles.models import ArticleIndexPage, ArticlePage, SectionPage
from newsdesk.core.roles import EDITORS, WRITERS, ensure_newsroom_roles

pytestmark = pytest.mark.django_db

DENIED = "Sorry, you do not have permission to access this area."


def member(group: str, username: str) -> User:
    user = User.objects.create_user(username=username, password="x")
    user.groups.add(Group.objects.get(name=group))
    return user


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def refused(response: Any) -> bool:
    """Wagtail's admin answers a refusal with a redirect to the dashboard and this message."""
    messages = [message.message.strip() for message in get_messages(response.wsgi_request)]
    return response.status_code == 302 and DENIED in messages


def draft_by(owner: User, title: str) -> ArticlePage:
    draft = ArticlePage(
        title=title,
        slug=slugify(title),
        standfirst="s",
        live=False,
        owner=owner,
        primary_section=SectionPage.objects.first(),
    )
    ArticleIndexPage.objects.get().add_child(instance=draft)
    draft.save_revision(user=owner)
    return draft


@pytest.fixture
def newsroom(sections: Any) -> dict[str, User]:
    return {
        "ann": member(WRITERS, "ann"),
        "bob": member(WRITERS, "bob"),
        "eve": member(EDITORS, "eve"),
    }


@pytest.fixture
def anns_draft(newsroom: dict[str, User]) -> ArticlePage:
    return draft_by(newsroom["ann"], "Ann's scoop")


# --- the edit view -------------------------------------------------------------------


def test_a_writer_opens_her_own_draft(newsroom, anns_draft):
    assert logged_in(newsroom["ann"]).get(f"/admin/pages/{anns_draft.pk}/edit/").status_code == 200


def test_a_writer_cannot_open_another_writers_draft(newsroom, anns_draft):
    assert refused(logged_in(newsroom["bob"]).get(f"/admin/pages/{anns_draft.pk}/edit/"))


def test_a_writer_cannot_save_over_another_writers_draft(newsroom, anns_draft):
    response = logged_in(newsroom["bob"]).post(f"/admin/pages/{anns_draft.pk}/edit/", {"title": "Mine now"})
    assert refused(response)
    assert ArticlePage.objects.get(pk=anns_draft.pk).get_latest_revision_as_object().title == "Ann's scoop"


def test_an_editor_opens_every_writers_draft(newsroom, anns_draft):
    bobs_draft = draft_by(newsroom["bob"], "Bob's column")
    editor = logged_in(newsroom["eve"])
    assert editor.get(f"/admin/pages/{anns_draft.pk}/edit/").status_code == 200
    assert editor.get(f"/admin/pages/{bobs_draft.pk}/edit/").status_code == 200


def test_a_writer_cannot_open_a_published_article_she_did_not_write(newsroom, article_factory):
    article = article_factory(headline="Wire story")
    assert refused(logged_in(newsroom["ann"]).get(f"/admin/pages/{article.pk}/edit/"))


# --- previews and revisions ----------------------------------------------------------


def test_a_writer_previews_her_own_draft(newsroom, anns_draft):
    response = logged_in(newsroom["ann"]).get(f"/admin/pages/{anns_draft.pk}/view_draft/")
    assert response.status_code == 200


def test_a_writer_cannot_preview_another_writers_draft(newsroom, anns_draft):
    assert refused(logged_in(newsroom["bob"]).get(f"/admin/pages/{anns_draft.pk}/view_draft/"))


def test_a_writer_cannot_use_the_live_preview_of_another_writers_draft(newsroom, anns_draft):
    assert refused(logged_in(newsroom["bob"]).get(f"/admin/pages/{anns_draft.pk}/edit/preview/"))


def test_a_writer_cannot_read_another_writers_revisions(newsroom, anns_draft):
    revision = anns_draft.latest_revision
    assert revision is not None
    bob = logged_in(newsroom["bob"])
    assert refused(bob.get(f"/admin/pages/{anns_draft.pk}/revisions/{revision.pk}/view/"))
    assert refused(bob.get(f"/admin/pages/{anns_draft.pk}/history/"))


def test_an_editor_previews_a_writers_draft(newsroom, anns_draft):
    response = logged_in(newsroom["eve"]).get(f"/admin/pages/{anns_draft.pk}/view_draft/")
    assert response.status_code == 200


# --- writing and submitting ----------------------------------------------------------


def test_a_writer_may_start_an_article_in_the_index(newsroom):
    index = ArticleIndexPage.objects.get()
    assert index.permissions_for_user(newsroom["ann"]).can_add_subpage()
    response = logged_in(newsroom["ann"]).get(f"/admin/pages/add/articles/articlepage/{index.pk}/")
    assert response.status_code == 200


def test_a_writer_may_submit_her_own_draft_for_review(newsroom, anns_draft):
    perms = anns_draft.permissions_for_user(newsroom["ann"])
    assert perms.can_edit()
    assert perms.can_submit_for_moderation()
    assert not perms.can_publish()


def test_a_writer_still_sees_her_draft_while_it_is_in_review(newsroom, anns_draft):
    anns_draft.get_workflow().start(anns_draft, newsroom["ann"])
    assert logged_in(newsroom["ann"]).get(f"/admin/pages/{anns_draft.pk}/edit/").status_code == 200


def test_a_draft_submitted_to_the_editors_opens_for_them_not_for_other_writers(newsroom, anns_draft):
    anns_draft.get_workflow().start(anns_draft, newsroom["ann"])
    page = Page.objects.get(pk=anns_draft.pk)
    assert page.permissions_for_user(newsroom["eve"]).can_edit()
    assert not page.permissions_for_user(newsroom["bob"]).can_edit()


def test_a_writer_opens_a_draft_on_a_review_task_given_to_writers(newsroom, anns_draft):
    """If Admins route a workflow task to Writers (a desk's peer review), its drafts open for them."""
    desk = GroupApprovalTask.objects.create(name="Desk read")
    desk.groups.set([Group.objects.get(name=WRITERS)])
    workflow = Workflow.objects.create(name="Peer review")
    WorkflowTask.objects.create(workflow=workflow, task=desk, sort_order=0)
    workflow.start(anns_draft, newsroom["ann"])
    assert logged_in(newsroom["bob"]).get(f"/admin/pages/{anns_draft.pk}/edit/").status_code == 200


# --- databases set up before the change ------------------------------------------------


def change_page_on(page: Page) -> GroupPagePermission:
    return GroupPagePermission(
        group=Group.objects.get(name=WRITERS),
        page=page,
        permission=Permission.objects.get(content_type__app_label="wagtailcore", codename="change_page"),
    )


def writers_change_grants() -> list[int]:
    grants = GroupPagePermission.objects.filter(group__name=WRITERS, permission__codename="change_page")
    return list(grants.values_list("page_id", flat=True))


def test_the_old_whole_tree_edit_right_is_taken_from_writers():
    change_page_on(Page.get_first_root_node()).save()
    ensure_newsroom_roles()
    assert writers_change_grants() == []


def test_taking_it_back_is_idempotent():
    change_page_on(Page.get_first_root_node()).save()
    ensure_newsroom_roles()
    ensure_newsroom_roles()
    assert writers_change_grants() == []
    assert GroupPagePermission.objects.filter(group__name=WRITERS, permission__codename="add_page").count() == 1


def test_an_edit_right_an_admin_gave_writers_on_one_section_stays(sections):
    change_page_on(sections["local"]).save()
    ensure_newsroom_roles()
    assert writers_change_grants() == [sections["local"].pk]


def test_editors_keep_the_whole_tree_edit_right():
    ensure_newsroom_roles()
    grants = GroupPagePermission.objects.filter(group__name=EDITORS, permission__codename="change_page")
    assert list(grants.values_list("page__depth", flat=True)) == [1]
