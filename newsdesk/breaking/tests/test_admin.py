"""The banner in the admin: who may set and end one, the form's rules, and that saving refreshes pages."""

import datetime
import zoneinfo

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from newsdesk.breaking.factories import make_banner
from newsdesk.breaking.models import BreakingBanner
from newsdesk.core import fragments
from newsdesk.core.roles import ADMINS, EDITORS, WRITERS
from newsdesk.core.tests.admin_menu import menu_urls


def signed_in(group: str) -> Client:
    user = User.objects.create_user(f"user-{group}", password="pw-12345678")
    user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def editor(sections) -> Client:
    return signed_in(EDITORS)


def refused(response) -> bool:
    messages = [message.message.strip() for message in get_messages(response.wsgi_request)]
    return response.status_code == 302 and "Sorry, you do not have permission to access this area." in messages


# Forms take local wall-clock times to the minute, and Django refuses one that is ambiguous or does
# not exist (the repeated and the skipped hour of a daylight-saving change), so the tests run from
# a fixed afternoon rather than at whatever hour the real clock shows.
AFTERNOON = datetime.datetime(2026, 3, 10, 15, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Berlin"))
pytestmark = pytest.mark.time_machine(AFTERNOON, tick=True)


def when(**delta: int) -> str:
    return timezone.localtime(timezone.now() + datetime.timedelta(**delta)).strftime("%Y-%m-%d %H:%M")


def form_data(**overrides: str) -> dict[str, str]:
    return {
        "text": "Harbour bridge closed",
        "link_page": "",
        "link_url": "https://example.org/harbour",
        "starts_at": when(minutes=-1),
        "expires_at": when(hours=2),
        **overrides,
    }


def field_errors(response, name: str) -> list[str]:
    from bs4 import BeautifulSoup

    wrapper = BeautifulSoup(response.content, "html.parser").select_one(f"[data-contentpath={name}]")
    assert wrapper is not None
    return [error.get_text(" ", strip=True) for error in wrapper.select(".error-message")]


ADD = "breaking_banners:add"


@pytest.mark.parametrize("group", [ADMINS, EDITORS])
def test_admins_and_editors_see_the_menu_item(sections, group):
    home = signed_in(group).get(reverse("wagtailadmin_home"))
    assert reverse("breaking_banners:index") in menu_urls(home)


def test_writers_neither_see_the_menu_item_nor_open_the_list(sections):
    writer = signed_in(WRITERS)
    assert reverse("breaking_banners:index") not in menu_urls(writer.get(reverse("wagtailadmin_home")))
    assert refused(writer.get(reverse("breaking_banners:index")))
    assert refused(writer.post(reverse(ADD), form_data()))
    assert not BreakingBanner.objects.exists()


def test_editors_hold_set_and_change_but_not_delete(sections):
    held = set(
        Permission.objects.filter(group__name=EDITORS, content_type__app_label="breaking").values_list(
            "codename", flat=True
        )
    )
    assert held == {"view_breakingbanner", "add_breakingbanner", "change_breakingbanner"}


def test_an_editor_sets_a_banner_and_it_is_theirs(editor):
    before = fragments.generation("breaking")
    response = editor.post(reverse(ADD), form_data())
    assert response.status_code == 302
    banner = BreakingBanner.objects.get()
    assert (banner.text, banner.link_url) == ("Harbour bridge closed", "https://example.org/harbour")
    assert banner.created_by is not None
    assert banner.created_by.username == f"user-{EDITORS}"
    assert fragments.generation("breaking") != before


@pytest.mark.parametrize("address", ["javascript:alert(1)", "data:text/html,hi", "ftp://example.org/file"])
def test_a_link_that_is_not_a_web_address_is_refused(editor, address):
    response = editor.post(reverse(ADD), form_data(link_url=address))
    assert response.status_code == 200
    assert field_errors(response, "link_url")
    assert not BreakingBanner.objects.exists()


def test_a_link_is_required(editor):
    response = editor.post(reverse(ADD), form_data(link_url=""))
    assert field_errors(response, "link_page")
    assert not BreakingBanner.objects.exists()


def test_an_expiry_in_the_past_is_refused(editor):
    response = editor.post(reverse(ADD), form_data(starts_at=when(hours=-3), expires_at=when(minutes=-5)))
    assert response.status_code == 200
    assert field_errors(response, "expires_at")
    assert not BreakingBanner.objects.exists()


@pytest.mark.parametrize("text", ["Two\nlines", "Tab\there", "Bell\x07", "Separator\u2028here", "x" * 161])
def test_text_that_is_not_one_short_plain_line_is_refused(editor, text):
    response = editor.post(reverse(ADD), form_data(text=text))
    assert field_errors(response, "text")
    assert not BreakingBanner.objects.exists()


def test_an_editor_ends_a_banner_after_confirming(editor):
    banner = make_banner()
    url = reverse("breaking_banners:end", args=[banner.pk])
    assert editor.get(url).status_code == 200
    banner.refresh_from_db()
    assert banner.ended_at is None
    before = fragments.generation("breaking")
    assert editor.post(url).status_code == 302
    banner.refresh_from_db()
    assert banner.ended_at is not None
    assert fragments.generation("breaking") != before


def test_writers_cannot_end_a_banner(sections):
    banner = make_banner()
    response = signed_in(WRITERS).post(reverse("breaking_banners:end", args=[banner.pk]))
    assert response.status_code in (302, 403)
    banner.refresh_from_db()
    assert banner.ended_at is None


def test_the_list_offers_end_now_for_a_banner_on(editor):
    banner = make_banner()
    response = editor.get(reverse("breaking_banners:index"))
    assert reverse("breaking_banners:end", args=[banner.pk]).encode() in response.content


def test_the_list_offers_to_set_a_banner(editor, soup):
    page = soup(editor.get(reverse("breaking_banners:index")))
    labels = [link.get_text(" ", strip=True) for link in page.select(f'a[href="{reverse(ADD)}"]')]
    assert "Set a banner" in labels


def test_the_form_labels_every_field(editor, soup):
    page = soup(editor.get(reverse(ADD)))
    for name in ("text", "link_page", "link_url", "starts_at", "expires_at"):
        field = page.select_one(f"#id_{name}")
        assert field is not None, name
        assert page.select_one(f'label[for="id_{name}"]') is not None, name


def test_an_admin_deleting_a_banner_refreshes_the_pages(sections):
    banner = make_banner()
    before = fragments.generation("breaking")
    response = signed_in(ADMINS).post(reverse("breaking_banners:delete", args=[banner.pk]))
    assert response.status_code == 302
    assert not BreakingBanner.objects.exists()
    assert fragments.generation("breaking") != before


def test_editors_cannot_delete_a_banner(editor):
    banner = make_banner()
    assert refused(editor.post(reverse("breaking_banners:delete", args=[banner.pk])))
    assert BreakingBanner.objects.filter(pk=banner.pk).exists()


def test_an_editor_edits_the_text_and_the_pages_are_refreshed(editor):
    banner = make_banner(text="Bridge closed")
    before = fragments.generation("breaking")
    data = form_data(text="Bridge closed until Friday", starts_at=when(minutes=-1))
    assert editor.post(reverse("breaking_banners:edit", args=[banner.pk]), data).status_code == 302
    banner.refresh_from_db()
    assert banner.text == "Bridge closed until Friday"
    assert fragments.generation("breaking") != before
