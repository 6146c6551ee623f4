"""Reports → Site history shows Admins every kind of staff action; nobody else may open it."""

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.messages import get_messages
from django.http import StreamingHttpResponse
from django.test import Client
from wagtail.log_actions import LogContext
from wagtail.models import Site

from newsdesk.audit.models import VIEW_SITE_HISTORY
from newsdesk.comments.factories import CommentFactory
from newsdesk.comments.models import Comment
from newsdesk.comments.services import moderate
from newsdesk.core.models import SiteSettings
from newsdesk.core.roles import ADMINS, EDITORS

from .conftest import PASSWORD, logged_in

pytestmark = pytest.mark.django_db

REPORT = "/admin/reports/site-history/"
RESULTS = "/admin/reports/site-history/results/"
DENIED = "Sorry, you do not have permission to access this area."


def report_rows(client: Client, soup: Callable[[Any], Any]) -> list[dict[str, str]]:
    response = client.get(REPORT)
    assert response.status_code == 200
    headings = [th.get_text(strip=True) for th in soup(response).select("table.listing thead th")]
    return [
        dict(zip(headings, (td.get_text(" ", strip=True) for td in tr.select("td")), strict=True))
        for tr in soup(response).select("table.listing tbody tr")
    ]


def refused(response: Any) -> bool:
    messages = [message.message.strip() for message in get_messages(response.wsgi_request)]
    return response.status_code == 302 and DENIED in messages


# --- one of each kind of staff action --------------------------------------------------


def sign_in(editor: User, **_: Any) -> tuple[str, str]:
    Client().post("/admin/login/", {"username": editor.username, "password": PASSWORD})
    return editor.username, "Signed in"


def fail_to_sign_in(editor: User, **_: Any) -> tuple[str, str]:
    Client().post("/admin/login/", {"username": editor.username, "password": "wrong"})
    return editor.username, "Failed sign-in"


def fail_with_an_unknown_name(**_: Any) -> tuple[str, str]:
    Client().post("/admin/login/", {"username": "nobody", "password": "wrong"})
    return "unknown account", "Failed sign-in for an account that does not exist"


def sign_out(editor: User, **_: Any) -> tuple[str, str]:
    client = Client()
    client.post("/admin/login/", {"username": editor.username, "password": PASSWORD})
    client.post("/admin/logout/")
    return editor.username, "Signed out"


def publish(editor: User, article_factory: Any, **_: Any) -> tuple[str, str]:
    article = article_factory(headline="Ferry returns")
    article.unpublish()
    revision = article.save_revision(user=editor)
    revision.publish(user=editor)
    return "Ferry returns", "Published"


def unpublish(editor: User, article_factory: Any, **_: Any) -> tuple[str, str]:
    article = article_factory(headline="Bridge closes")
    article.unpublish(user=editor)
    return "Bridge closes", "Unpublished"


def change_roles(editor: User, admin: User, **_: Any) -> tuple[str, str]:
    with LogContext(user=admin):
        editor.groups.add(Group.objects.get(name=ADMINS))
    return editor.username, "Groups changed: added Admins"


def make_superuser(editor: User, **_: Any) -> tuple[str, str]:
    editor.is_superuser = True
    editor.save()
    return editor.username, "Made a superuser"


def moderate_a_comment(article_factory: Any, **_: Any) -> tuple[str, str]:
    comment = CommentFactory.create(article=article_factory(headline="Budget agreed"), status=Comment.Status.PENDING)
    moderate(comment, Comment.Status.SPAM)
    return f"Comment {comment.pk} on “Budget agreed”", "Marked as spam"


def change_settings(admin: User, **_: Any) -> tuple[str, str]:
    # Wagtail's settings editor logs its own "wagtail.edit"; nothing of ours is needed.
    site = Site.objects.get(is_default_site=True)
    response = logged_in(admin).post(
        f"/admin/settings/core/sitesettings/{site.pk}/", {"publication_name": "The Lake Gazette"}
    )
    assert response.status_code == 302
    assert SiteSettings.for_site(site).publication_name == "The Lake Gazette"
    return str(SiteSettings.for_site(site)), "Edited"


@pytest.mark.parametrize(
    "action",
    [
        sign_in,
        fail_to_sign_in,
        fail_with_an_unknown_name,
        sign_out,
        publish,
        unpublish,
        change_roles,
        make_superuser,
        moderate_a_comment,
        change_settings,
    ],
)
def test_an_admin_sees_each_kind_of_staff_action(action, admin, editor, article_factory, soup):
    name, message = action(admin=admin, editor=editor, article_factory=article_factory)
    rows = report_rows(logged_in(admin), soup)
    assert {"Name": name, "Action": message} in [{"Name": r["Name"], "Action": r["Action"]} for r in rows]


def test_the_report_names_who_did_it(admin, editor, soup):
    with LogContext(user=admin):
        editor.groups.add(Group.objects.get(name=ADMINS))
    [row] = [
        row
        for row in report_rows(logged_in(admin), soup)
        if (row["Name"], row["Action"]) == ("eve", "Groups changed: added Admins")
    ]
    assert row["User"] == admin.get_full_name()


def test_the_export_has_every_entry_too(admin, editor):
    Client().post("/admin/login/", {"username": editor.username, "password": "wrong"})
    response = logged_in(admin).get(REPORT, {"export": "csv"})
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert "Failed sign-in" in b"".join(response.streaming_content).decode()


# --- nobody else ---------------------------------------------------------------------


def test_an_editor_is_refused_the_report(editor):
    assert refused(logged_in(editor).get(REPORT))


def test_a_writer_is_refused_the_report(writer):
    assert refused(logged_in(writer).get(REPORT))


def test_a_script_asking_for_the_results_gets_403(editor):
    response = logged_in(editor).get(RESULTS, headers={"x-requested-with": "XMLHttpRequest"})
    assert response.status_code == 403


def test_an_editor_cannot_export_the_log(editor):
    assert refused(logged_in(editor).get(REPORT, {"export": "csv"}))


def test_a_visitor_is_sent_to_sign_in(db):
    response = Client().get(REPORT)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_a_superuser_sees_the_report(db):
    boss = User.objects.create_superuser(username="boss", password="x")
    assert logged_in(boss).get(REPORT).status_code == 200


def test_admins_hold_the_permission_and_editors_do_not(admin, editor):
    assert admin.has_perm(VIEW_SITE_HISTORY)
    assert not editor.has_perm(VIEW_SITE_HISTORY)


def test_an_editor_still_sees_a_pages_own_history(editor, article_factory):
    article = article_factory(headline="Ferry returns")
    assert logged_in(editor).get(f"/admin/pages/{article.pk}/history/").status_code == 200


# --- the menu -----------------------------------------------------------------------


def menu_names(client: Client, soup: Callable[[Any], Any]) -> set[str]:
    """The names of the admin sidebar's items, submenus included (rendered as JSON for its React app)."""
    props = json.loads(soup(client.get("/admin/")).select_one("#wagtail-sidebar-props").string)
    names: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("name"), str):
                names.add(node["name"])
            node = list(node.values())
        if isinstance(node, list):
            for child in node:
                walk(child)

    walk(props)
    return names


def test_admins_find_site_history_in_the_reports_menu(admin, soup):
    assert "site-history" in menu_names(logged_in(admin), soup)


def test_editors_are_not_offered_site_history(editor, soup):
    names = menu_names(logged_in(editor), soup)
    assert "reports" in names
    assert "site-history" not in names


def test_editors_keep_the_reports_wagtail_gives_them(editor, soup):
    assert "workflows" in menu_names(logged_in(editor), soup) or "aging-pages" in menu_names(logged_in(editor), soup)


def test_the_group_editor_offers_the_permission_to_admins(admin):
    group = Group.objects.get(name=EDITORS)
    response = logged_in(admin).get(f"/admin/groups/edit/{group.pk}/")
    assert response.status_code == 200
    assert "Can read the whole audit log" in response.content.decode()
