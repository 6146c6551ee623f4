"""Who belongs to which group, who is a superuser and what a group may do: each change is logged."""

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.urls import reverse
from wagtail.log_actions import LogContext
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

from newsdesk.audit import actions
from newsdesk.core.roles import ADMINS, EDITORS, WRITERS

from .conftest import entries, logged_in

pytestmark = pytest.mark.django_db


def page_permission(codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)


def moderating_comments() -> Permission:
    return Permission.objects.get(content_type__app_label="comments", codename="change_comment")


# --- a user's groups -----------------------------------------------------------------


def test_joining_a_group_is_logged_on_the_user(writer):
    writer.groups.add(Group.objects.get(name=EDITORS))
    [entry] = entries(actions.GROUPS, object_id=str(writer.pk), data__added=[EDITORS])
    assert entry.label == "wes"


def test_leaving_a_group_is_logged(writer):
    writer.groups.remove(Group.objects.get(name=WRITERS))
    [entry] = entries(actions.GROUPS, object_id=str(writer.pk), data__has_key="removed")
    assert entry.data == {"removed": [WRITERS]}


def test_leaving_every_group_at_once_is_logged(writer):
    writer.groups.add(Group.objects.get(name=EDITORS))
    writer.groups.clear()
    [entry] = entries(actions.GROUPS, object_id=str(writer.pk), data__has_key="removed")
    assert entry.data == {"removed": [EDITORS, WRITERS]}


def test_adding_users_from_the_groups_side_logs_each_user(writer, editor):
    Group.objects.get(name=ADMINS).user_set.add(writer, editor)
    logged = {entry.object_id: entry.data for entry in entries(actions.GROUPS, data__added=[ADMINS])}
    assert logged == {str(writer.pk): {"added": [ADMINS]}, str(editor.pk): {"added": [ADMINS]}}


def test_emptying_a_group_logs_each_user_who_left(writer, editor):
    Group.objects.get(name=WRITERS).user_set.clear()
    [entry] = entries(actions.GROUPS, data__removed=[WRITERS])
    assert entry.object_id == str(writer.pk)


def test_setting_the_same_groups_again_logs_nothing(writer):
    before = len(entries(actions.GROUPS))
    writer.groups.set([Group.objects.get(name=WRITERS)])
    assert len(entries(actions.GROUPS)) == before


def test_the_admin_who_changed_the_roles_is_named(writer, admin):
    with LogContext(user=admin):
        writer.groups.add(Group.objects.get(name=EDITORS))
    [entry] = entries(actions.GROUPS, data__added=[EDITORS])
    assert entry.user_id == admin.pk


def test_a_role_change_in_wagtails_user_editor_is_logged_with_the_admin(writer, admin):
    form = {
        "username": "wes",
        "email": "wes@newsroom.example",
        "first_name": "Wes",
        "last_name": "Q",
        "is_active": "on",
        "groups": [Group.objects.get(name=EDITORS).pk],
    }
    response = logged_in(admin).post(reverse("wagtailusers_users:edit", args=[writer.pk]), form)
    assert response.status_code == 302
    [entry] = entries(actions.GROUPS, object_id=str(writer.pk), data__has_key="removed")
    assert entry.user_id == admin.pk
    assert entry.data == {"removed": [WRITERS]}


# --- the superuser flag ----------------------------------------------------------------


def test_making_a_superuser_is_logged(writer):
    writer.is_superuser = True
    writer.save()
    [entry] = entries(actions.SUPERUSER)
    assert (entry.object_id, entry.data) == (str(writer.pk), {"superuser": True})


def test_taking_superuser_away_is_logged(db):
    boss = User.objects.create_superuser(username="boss", password="x")
    boss.is_superuser = False
    boss.save()
    assert [entry.data for entry in entries(actions.SUPERUSER)] == [{"superuser": True}, {"superuser": False}]


def test_saving_a_user_without_changing_the_flag_logs_nothing(writer):
    writer.first_name = "Wesley"
    writer.save()
    assert entries(actions.SUPERUSER) == []


def test_a_new_ordinary_user_logs_no_superuser_change(db):
    User.objects.create_user(username="new", password="x")
    assert entries(actions.SUPERUSER) == []


# --- what a group may do ---------------------------------------------------------------


def test_a_permission_given_to_a_group_is_logged_on_the_group(db):
    writers = Group.objects.get(name=WRITERS)
    writers.permissions.add(moderating_comments())
    [entry] = entries(actions.GROUP_PERMISSIONS, object_id=str(writers.pk), data__added=["comments.change_comment"])
    assert entry.label == WRITERS


def test_a_permission_taken_from_a_group_is_logged(db):
    editors = Group.objects.get(name=EDITORS)
    editors.permissions.remove(moderating_comments())
    [entry] = entries(actions.GROUP_PERMISSIONS, data__removed=["comments.change_comment"])
    assert entry.object_id == str(editors.pk)


def test_a_page_permission_given_to_a_group_is_logged(db):
    writers = Group.objects.get(name=WRITERS)
    GroupPagePermission.objects.create(
        group=writers, page=Page.get_first_root_node(), permission=page_permission("publish_page")
    )
    [entry] = entries(actions.GROUP_PERMISSIONS, object_id=str(writers.pk), data__added=["publish_page on Root"])
    assert entry.label == WRITERS


def test_a_page_permission_taken_from_a_group_is_logged(db):
    GroupPagePermission.objects.filter(group__name=EDITORS, permission__codename="publish_page").delete()
    editors = Group.objects.get(name=EDITORS)
    assert entries(actions.GROUP_PERMISSIONS, object_id=str(editors.pk), data__removed=["publish_page on Root"])


def test_a_collection_permission_taken_from_a_group_is_logged(db):
    GroupCollectionPermission.objects.filter(group__name=EDITORS, permission__codename="delete_image").delete()
    root = Collection.get_first_root_node()
    editors = Group.objects.get(name=EDITORS)
    assert entries(actions.GROUP_PERMISSIONS, object_id=str(editors.pk), data__removed=[f"delete_image on {root}"])


def test_a_group_permission_change_names_the_admin(admin):
    with LogContext(user=admin):
        Group.objects.get(name=WRITERS).permissions.add(moderating_comments())
    [entry] = entries(actions.GROUP_PERMISSIONS, data__added=["comments.change_comment"])
    assert entry.user_id == admin.pk
