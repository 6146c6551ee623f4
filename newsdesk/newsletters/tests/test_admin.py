"""Newsletters in the admin: who may use it, the newsletters and their picks."""

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client
from django.urls import reverse

from newsdesk.core.roles import ADMINS, EDITORS, WRITERS
from newsdesk.core.tests.admin_menu import menu_urls
from newsdesk.newsletters.factories import newsletter_factory, subscriber_factory
from newsdesk.newsletters.models import Delivery, Edition, Newsletter, NewsletterPick

from .admin_helpers import edition_url, newsletter_url, refused, signed_in

pytestmark = pytest.mark.django_db

INDEXES = ["newsletter_admin:index", "newsletter_editions:index", "newsletter_subscribers:index"]


@pytest.fixture
def editor(sections) -> Client:
    return signed_in(EDITORS)


def form_data(**overrides: str) -> dict[str, str]:
    data = {
        "name": "Weekend Reads",
        "slug": "weekend",
        "description": "The long stories of the week.",
        "sender_name": "Newsdesk Weekend",
        "sender_email": "weekend@newsdesk.example",
        "reply_to": "",
        "cadence": Newsletter.Cadence.WEEKLY,
        "send_time": "08:30",
        "weekday": "5",
        "breaking_tag": "",
        "max_items": "6",
        "public": "on",
        "sort_order": "2",
    }
    return {**data, **overrides}


# --- Who may use it -----------------------------------------------------------------


@pytest.mark.parametrize("group", [ADMINS, EDITORS])
@pytest.mark.parametrize("index", INDEXES)
def test_admins_and_editors_see_the_menu_items(sections, group, index):
    assert reverse(index) in menu_urls(signed_in(group).get(reverse("wagtailadmin_home")))


@pytest.mark.parametrize("index", INDEXES)
def test_writers_do_not_see_the_menu_items(sections, index):
    assert reverse(index) not in menu_urls(signed_in(WRITERS).get(reverse("wagtailadmin_home")))


@pytest.mark.parametrize("index", INDEXES)
def test_writers_are_refused(sections, index):
    assert refused(signed_in(WRITERS).get(reverse(index)))


@pytest.mark.parametrize("index", INDEXES)
def test_anonymous_visitors_are_sent_to_sign_in(db, index):
    response = Client().get(reverse(index))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))


@pytest.fixture
def moderator(sections) -> Client:
    """Uses the admin for comments only: no newsletter permission."""
    client = signed_in(None, name="moderator")
    User.objects.get(username="moderator").user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        Permission.objects.get(content_type__app_label="comments", codename="change_comment"),
    )
    return client


@pytest.mark.parametrize("view", ["inspect", "edit", "preview", "preview_html", "counts", "send"])
def test_a_comment_moderator_is_refused_an_editions_pages(moderator, edition, view):
    assert refused(moderator.get(edition_url(edition, view)))


@pytest.mark.parametrize("view", ["send", "send_test", "schedule", "unschedule"])
def test_a_comment_moderator_cannot_send_or_schedule(moderator, edition, view, mailoutbox):
    assert refused(moderator.post(edition_url(edition, view), {"scheduled_for": "2099-01-01 08:00"}))
    assert not Delivery.objects.exists()
    assert mailoutbox == []
    edition.refresh_from_db()
    assert edition.status == Edition.Status.DRAFT


def test_editors_hold_every_newsletter_permission_but_deleting_subscribers(sections):
    held = set(
        Permission.objects.filter(group__name=EDITORS, content_type__app_label="newsletters").values_list(
            "codename", flat=True
        )
    )
    models = ("newsletter", "newsletterpick", "edition")
    wanted = {f"{action}_{model}" for model in models for action in ("add", "change", "delete", "view")}
    assert held == wanted | {"view_subscriber", "add_subscriber", "change_subscriber"}


# --- Newsletters --------------------------------------------------------------------


def test_an_editor_adds_a_weekly_newsletter_with_its_sections(editor, sections):
    response = editor.post(
        reverse("newsletter_admin:add"), {**form_data(), "sections": [sections["local"].pk, sections["sport"].pk]}
    )
    assert response.status_code == 302
    newsletter = Newsletter.objects.get(slug="weekend")
    assert (newsletter.cadence, newsletter.weekday, newsletter.send_time.isoformat()) == ("weekly", 5, "08:30:00")
    assert set(newsletter.sections.values_list("slug", flat=True)) == {"local", "sport"}


def test_the_form_refuses_a_line_break_in_the_sender_name(editor, soup):
    response = editor.post(reverse("newsletter_admin:add"), form_data(sender_name="News\r\nBcc: all@example.org"))
    assert response.status_code == 200
    assert soup(response).select("[data-contentpath=sender_name] .error-message")
    assert not Newsletter.objects.exists()


def test_every_field_of_the_form_has_a_label(editor, soup):
    page = soup(editor.get(reverse("newsletter_admin:add")))
    for name in form_data():
        field = page.select_one(f"form [name={name}]")
        assert field is not None and page.select_one(f"label[for={field['id']}]") is not None, name


def test_the_list_counts_only_subscribers_who_receive_mail(editor, soup, daily):
    subscriber_factory("ann@example.org", daily)
    bounced = subscriber_factory("bob@example.org", daily)
    bounced.suppressed_at = bounced.confirmed_at
    bounced.save()
    page = soup(editor.get(reverse("newsletter_admin:index")))
    headings = [heading.get_text(" ", strip=True) for heading in page.select("thead th")]
    cells = [cell.get_text(" ", strip=True) for cell in page.select("tbody tr td")]
    assert cells[headings.index("Subscribers")] == "1"


def test_the_newsletter_page_links_to_compose_and_to_its_editions(editor, soup, edition):
    page = soup(editor.get(newsletter_url(edition.newsletter)))
    assert page.select_one("a.newsletter-compose")["href"].endswith(f"?newsletter={edition.newsletter_id}")
    assert [link["href"] for link in page.select(".newsletter-editions a")] == [edition_url(edition)]


# --- Picks --------------------------------------------------------------------------


def test_an_editor_picks_a_story(editor, daily, stories):
    response = editor.post(newsletter_url(daily, "pick_add"), {"article": stories[1].pk})
    assert response.status_code == 302
    assert list(daily.picks.values_list("article_id", flat=True)) == [stories[1].pk]


def test_a_story_picked_twice_is_picked_once(editor, daily, stories):
    for _ in range(2):
        editor.post(newsletter_url(daily, "pick_add"), {"article": stories[0].pk})
    assert daily.picks.count() == 1


def test_a_pick_that_is_not_a_story_is_refused(editor, daily, sections):
    editor.post(newsletter_url(daily, "pick_add"), {"article": sections["local"].pk})
    assert not daily.picks.exists()


def test_picks_are_listed_in_order_on_the_newsletter_page(editor, soup, daily, stories):
    for article in reversed(stories):
        editor.post(newsletter_url(daily, "pick_add"), {"article": article.pk})
    page = soup(editor.get(newsletter_url(daily)))
    titles = [title.get_text(strip=True) for title in page.select(".newsletter-pick__title")]
    assert titles == [stories[1].title, stories[0].title]


def test_a_pick_moves_up(editor, daily, stories):
    first = NewsletterPick.objects.create(newsletter=daily, article=stories[0], sort_order=0)
    second = NewsletterPick.objects.create(newsletter=daily, article=stories[1], sort_order=1)
    editor.post(reverse("newsletter_admin:pick_move", args=[second.pk, "up"]))
    assert list(daily.picks.order_by("sort_order").values_list("pk", flat=True)) == [second.pk, first.pk]


def test_the_first_pick_does_not_move_further_up(editor, daily, stories):
    first = NewsletterPick.objects.create(newsletter=daily, article=stories[0], sort_order=0)
    second = NewsletterPick.objects.create(newsletter=daily, article=stories[1], sort_order=1)
    editor.post(reverse("newsletter_admin:pick_move", args=[first.pk, "up"]))
    assert list(daily.picks.order_by("sort_order").values_list("pk", flat=True)) == [first.pk, second.pk]


def test_a_pick_is_removed(editor, daily, stories):
    pick = NewsletterPick.objects.create(newsletter=daily, article=stories[0])
    editor.post(reverse("newsletter_admin:pick_remove", args=[pick.pk]))
    assert not daily.picks.exists()


def test_picks_are_changed_by_post_only(editor, daily, stories):
    pick = NewsletterPick.objects.create(newsletter=daily, article=stories[0])
    assert editor.get(reverse("newsletter_admin:pick_remove", args=[pick.pk])).status_code == 405
    assert daily.picks.exists()


def test_writers_cannot_pick(sections, daily, stories):
    assert refused(signed_in(WRITERS).post(newsletter_url(daily, "pick_add"), {"article": stories[0].pk}))
    assert not daily.picks.exists()


def test_a_pick_of_another_newsletter_keeps_its_own_order(editor, daily, stories):
    other = newsletter_factory(slug="evening")
    NewsletterPick.objects.create(newsletter=other, article=stories[0], sort_order=0)
    editor.post(newsletter_url(daily, "pick_add"), {"article": stories[1].pk})
    assert daily.picks.get().sort_order == 0


def test_deleting_a_newsletter_says_what_goes_with_it(editor, soup, daily):
    subscriber_factory("ann@example.org", daily)
    page = soup(editor.get(newsletter_url(daily, "delete")))
    assert "Its 1 subscription, its editions" in page.get_text(" ", strip=True)
    assert Newsletter.objects.filter(pk=daily.pk).exists()
