import pytest
from django.contrib.auth.models import Group, User
from wagtail.models import GroupApprovalTask, Page, Workflow

from newsdesk.articles.models import ArticleIndexPage
from newsdesk.core.roles import ADMINS, EDITORS, WORKFLOW_NAME, WRITERS, ensure_newsroom_roles

pytestmark = pytest.mark.django_db


def member(group: str) -> User:
    user = User.objects.create_user(username=group.lower(), password="x")
    user.groups.add(Group.objects.get(name=group))
    return user


def test_groups_exist_after_migrate():
    assert set(Group.objects.values_list("name", flat=True)) >= {WRITERS, EDITORS, ADMINS}
    assert not Group.objects.filter(name="Moderators").exists()


def test_writers_can_write_but_not_publish(sections):
    perms = ArticleIndexPage.objects.get().permissions_for_user(member(WRITERS))
    assert perms.can_add_subpage()
    assert not perms.can_edit(), "only their own pages; see test_writer_access"
    assert not perms.can_publish()


def test_editors_can_publish_and_unpublish(sections):
    perms = Page.objects.get(pk=sections["local"].pk).permissions_for_user(member(EDITORS))
    assert perms.can_publish()
    assert perms.can_unpublish()


def test_writers_and_editors_can_use_the_admin():
    assert member(WRITERS).has_perm("wagtailadmin.access_admin")
    assert User.objects.create_user(username="x").has_perm("wagtailadmin.access_admin") is False


def test_review_workflow_routes_to_editors(sections):
    workflow = sections["local"].get_workflow()
    assert workflow.name == WORKFLOW_NAME
    task = GroupApprovalTask.objects.get(workflow_tasks__workflow=workflow)
    assert set(task.groups.values_list("name", flat=True)) == {EDITORS, ADMINS}
    assert Workflow.objects.filter(active=True).count() == 1


def test_setup_is_idempotent():
    ensure_newsroom_roles()
    ensure_newsroom_roles()
    assert Group.objects.filter(name=EDITORS).count() == 1
    assert Workflow.objects.filter(name=WORKFLOW_NAME).count() == 1


def test_editors_keep_the_redirects_and_writers_do_not():
    editor, writer = member(EDITORS), member(WRITERS)
    assert all(editor.has_perm(f"wagtailredirects.{action}_redirect") for action in ("add", "change", "delete"))
    assert not writer.has_perm("wagtailredirects.change_redirect")


def test_editors_open_the_redirects_in_the_admin(client):
    client.force_login(member(EDITORS))
    assert client.get("/admin/redirects/").status_code == 200
