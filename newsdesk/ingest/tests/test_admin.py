"""Wires and feeds in the admin: who may use it, the list, the form, the status page and "Poll now"."""

import datetime
import json

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission, User
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks import default_task_backend

from newsdesk.articles.models import ArticlePage
from newsdesk.core.roles import ADMINS, EDITORS, WRITERS
from newsdesk.core.tests.admin_menu import menu_urls
from newsdesk.ingest import tasks
from newsdesk.ingest.admin_views import SHOWN, next_poll_text
from newsdesk.ingest.models import IngestedStory, Source, SourceLog

pytestmark = pytest.mark.django_db
HOSTILE = '<script>alert("x")</script>'
NOON = datetime.datetime(2026, 11, 30, 12, 0, tzinfo=datetime.UTC)
FEED = "https://wire.example.org/feed.xml"


@pytest.fixture(autouse=True)
def utc(settings):
    """Times on the pages read as UTC, so the tests can spell them out."""
    settings.TIME_ZONE = "UTC"


@pytest.fixture
def queue(settings):
    """Jobs are queued, not run: the dummy backend keeps what was enqueued."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    return default_task_backend


def polls(queue) -> list[tuple[object, list]]:
    """The polls queued (saving a source also queues Wagtail's reference-index update)."""
    return [(job.task, job.args) for job in queue.results if job.task == tasks.poll_source_now]


def signed_in(group: str | None, *, superuser: bool = False, client: Client | None = None) -> Client:
    user = User.objects.create_user(f"user-{group or 'root'}", password="pw-12345678", is_superuser=superuser)
    if group:
        user.groups.add(Group.objects.get(name=group))
    client = client or Client()
    client.force_login(user)
    return client


@pytest.fixture
def admin(sections) -> Client:
    return signed_in(ADMINS)


@pytest.fixture
def editor(sections) -> Client:
    return signed_in(EDITORS)


def make_source(**fields) -> Source:
    return Source.objects.create(**{"name": "Harbour Wire", "kind": Source.Kind.RSS, "location": FEED, **fields})


def form_data(**overrides: str | None) -> dict[str, str]:
    data: dict[str, str | None] = {
        "name": "Harbour Wire",
        "kind": Source.Kind.RSS,
        "location": FEED,
        "interval_minutes": "5",
        "mode": Source.Mode.DRAFT,
        "default_section": "",
        "extra_tags": "",
        "mapping_rules": "",
        "source_name": "",
        "source_url": "",
        "canonical_to_original": "on",
        "full_text": "on",
        "enabled": "on",
    }
    return {key: value for key, value in {**data, **overrides}.items() if value is not None}


def refused(response) -> bool:
    """How the admin answers a signed-in user without the permission: back to the dashboard, with a message."""
    messages = [message.message.strip() for message in get_messages(response.wsgi_request)]
    return response.status_code == 302 and "Sorry, you do not have permission to access this area." in messages


@pytest.fixture
def page(soup):
    def get(client: Client, url: str) -> BeautifulSoup:
        response = client.get(url)
        assert response.status_code == 200
        return soup(response)

    return get


def field_errors(page: BeautifulSoup, name: str) -> list[str]:
    wrapper = page.select_one(f"[data-contentpath={name}]")
    assert wrapper is not None
    return [error.get_text(" ", strip=True) for error in wrapper.select(".error-message")]


def status_url(source: Source) -> str:
    return reverse("ingest_sources:inspect", args=[source.pk])


# --- Who may use it -----------------------------------------------------------------


@pytest.mark.parametrize("group", [ADMINS, EDITORS])
def test_admins_and_editors_see_the_menu_item(sections, page, group):
    assert reverse("ingest_sources:index") in menu_urls(page(signed_in(group), reverse("wagtailadmin_home")))


def test_writers_do_not_see_the_menu_item(sections, page):
    assert reverse("ingest_sources:index") not in menu_urls(page(signed_in(WRITERS), reverse("wagtailadmin_home")))


def test_the_menu_item_and_the_list_are_called_wires_and_feeds(admin, page):
    listing = page(admin, reverse("ingest_sources:index"))
    menu = json.loads(listing.select_one("#wagtail-sidebar-props").string)
    assert "Wires and feeds" in json.dumps(menu)
    assert listing.select_one("title").get_text(strip=True).startswith("Wires and feeds")


def test_editors_hold_the_source_permissions_and_writers_none(sections):
    codenames = {"add_source", "change_source", "delete_source", "view_source"}
    held = {
        name: set(
            Permission.objects.filter(group__name=name, content_type__app_label="ingest").values_list(
                "codename", flat=True
            )
        )
        for name in (ADMINS, EDITORS, WRITERS)
    }
    assert held[ADMINS] >= codenames
    assert held[EDITORS] == codenames
    assert held[WRITERS] == set()


def pages_to_read():
    return ["index", "add", "edit", "delete", "inspect", "history", "usage"]


@pytest.mark.parametrize("group", [ADMINS, EDITORS])
@pytest.mark.parametrize("name", pages_to_read())
def test_admins_and_editors_open_every_page(sections, group, name):
    source = make_source()
    url = reverse(f"ingest_sources:{name}", args=[] if name in ("index", "add") else [source.pk])
    assert signed_in(group).get(url).status_code == 200


def test_superusers_open_the_status_page(sections):
    source = make_source()
    assert signed_in(None, superuser=True).get(status_url(source)).status_code == 200


def requests_that_change_something():
    return [
        ("add", False, form_data(name="Another")),
        ("edit", True, form_data(name="Renamed")),
        ("delete", True, {}),
        ("poll", True, {}),
    ]


@pytest.mark.parametrize("name", pages_to_read())
def test_writers_cannot_open_any_page(sections, name):
    source = make_source()
    url = reverse(f"ingest_sources:{name}", args=[] if name in ("index", "add") else [source.pk])
    assert refused(signed_in(WRITERS).get(url))


@pytest.mark.parametrize(("name", "with_source", "data"), requests_that_change_something())
def test_writers_change_nothing(sections, queue, name, with_source, data):
    source = make_source()
    url = reverse(f"ingest_sources:{name}", args=[source.pk] if with_source else [])
    assert refused(signed_in(WRITERS).post(url, data))
    assert list(Source.objects.values_list("name", flat=True)) == ["Harbour Wire"]
    assert polls(queue) == []


@pytest.mark.parametrize("name", pages_to_read())
def test_anonymous_visitors_are_sent_to_sign_in(db, name):
    source = make_source()
    url = reverse(f"ingest_sources:{name}", args=[] if name in ("index", "add") else [source.pk])
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))


@pytest.mark.parametrize(("name", "with_source", "data"), requests_that_change_something())
def test_anonymous_posts_change_nothing(db, queue, name, with_source, data):
    source = make_source()
    url = reverse(f"ingest_sources:{name}", args=[source.pk] if with_source else [])
    response = Client().post(url, data)
    assert response["Location"].startswith(reverse("wagtailadmin_login"))
    assert list(Source.objects.values_list("name", flat=True)) == ["Harbour Wire"]
    assert polls(queue) == []


@pytest.mark.parametrize(("name", "with_source", "data"), requests_that_change_something())
def test_posts_without_a_csrf_token_are_refused(sections, queue, name, with_source, data):
    source = make_source()
    client = signed_in(ADMINS, client=Client(enforce_csrf_checks=True))
    url = reverse(f"ingest_sources:{name}", args=[source.pk] if with_source else [])
    assert client.post(url, data).status_code == 403
    assert list(Source.objects.values_list("name", flat=True)) == ["Harbour Wire"]
    assert polls(queue) == []


# --- The list ------------------------------------------------------------------------


# At a fixed moment: the next poll is shown to the minute, and a minute could turn between
# making the source and reading the page.
@pytest.mark.time_machine(NOON, tick=False)
def test_the_list_shows_each_source(admin, page):
    make_source(
        interval_minutes=15,
        mode=Source.Mode.PUBLISH,
        last_success_at=NOON - datetime.timedelta(hours=2),
        last_error_at=NOON - datetime.timedelta(hours=1),
        last_error="HTTP 503 from wire.example.org " + "x" * 200,
        items_created=12,
        items_updated=3,
        items_skipped=1,
        next_poll_at=NOON + datetime.timedelta(days=1),
    )
    table = page(admin, reverse("ingest_sources:index")).select_one("table.listing")
    headers = [cell.get_text(" ", strip=True) for cell in table.select("thead th")]
    cells = [cell.get_text(" ", strip=True) for cell in table.select("tbody tr td")]
    row = dict(zip(headers, cells, strict=True))
    assert row["Name"].startswith("Harbour Wire")
    assert row["Kind"] == "RSS or Atom feed"
    assert row["Mode"] == "Published at once"
    assert row["Polling"] == "On"
    assert row["Interval"] == "15 min"
    assert row["Last success"] != ""
    assert row["Last error"].startswith("2026-11-30 11:00 HTTP 503 from wire.example.org")
    assert len(row["Last error"]) < 100
    assert row["Created / updated / skipped"] == "12 / 3 / 1"
    assert row["Next poll"] == "2026-12-01 12:00"


def test_the_list_says_when_a_source_is_off(admin, page):
    make_source(enabled=False)
    row = page(admin, reverse("ingest_sources:index")).select_one("table.listing tbody tr")
    assert "Not polled (off)" in row.get_text(" ", strip=True)


def test_the_list_escapes_what_a_source_carries(admin, page):
    make_source(name=HOSTILE, last_error=HOSTILE, last_error_at=NOON)
    listing = page(admin, reverse("ingest_sources:index")).select_one("table.listing")
    assert listing.select("script") == []
    assert HOSTILE in listing.get_text()


def test_each_row_links_to_the_status_page(admin, page):
    source = make_source()
    row = page(admin, reverse("ingest_sources:index")).select_one("table.listing tbody tr")
    links = {link.get_text(" ", strip=True): link["href"] for link in row.select("a[href]")}
    assert links["Status"] == status_url(source)


def listed_names(page: BeautifulSoup) -> list[str]:
    return [link.get_text(strip=True) for link in page.select("table.listing tbody td.title .title-wrapper a")]


def test_the_list_filters_by_kind(admin, page):
    make_source()
    make_source(name="Drop box", kind=Source.Kind.FOLDER, location="/srv/wire/in")
    assert listed_names(page(admin, reverse("ingest_sources:index") + "?kind=folder")) == ["Drop box"]


@pytest.mark.parametrize(("ordering", "expected"), [("interval_minutes", ["B", "A"]), ("-next_poll_at", ["A", "B"])])
def test_the_list_sorts(admin, page, ordering, expected):
    make_source(name="A", interval_minutes=30, next_poll_at=NOON + datetime.timedelta(hours=1))
    make_source(name="B", location=FEED + "?b", interval_minutes=5, next_poll_at=NOON)
    assert listed_names(page(admin, reverse("ingest_sources:index") + f"?ordering={ordering}")) == expected


@pytest.mark.parametrize(
    ("now", "fields", "expected"),
    [
        (NOON, {"enabled": False, "next_poll_at": NOON + datetime.timedelta(minutes=3)}, "Not polled (off)"),
        (NOON, {"next_poll_at": None}, "Within a minute"),
        (NOON, {"next_poll_at": NOON - datetime.timedelta(minutes=3)}, "Within a minute"),
        (NOON, {"polling_until": NOON + datetime.timedelta(minutes=10)}, "Being polled now"),
        (NOON, {"next_poll_at": NOON + datetime.timedelta(minutes=3)}, "2026-11-30 12:03"),
    ],
)
def test_next_poll_text(now, fields, expected):
    assert next_poll_text(Source(**fields), now) == expected


# --- The form ------------------------------------------------------------------------


def test_the_form_has_every_editable_field_with_a_label(admin, page):
    form = page(admin, reverse("ingest_sources:add")).select_one("form#w-editor-form")
    fields = form.select("input:not([type=hidden]), select, textarea")
    assert {field["name"] for field in fields} == set(form_data())
    for field in fields:
        assert form.select_one(f"label[for={field['id']}]") is not None


def test_the_default_section_is_a_select_of_sections(admin, page, sections):
    select = page(admin, reverse("ingest_sources:add")).select_one("select[name=default_section]")
    titles = [option.get_text(strip=True) for option in select.select("option") if option["value"]]
    assert sorted(titles) == sorted(section.title for section in sections.values())


def test_the_mapping_rules_are_a_textarea_with_their_help(admin, page):
    form = page(admin, reverse("ingest_sources:add"))
    assert form.select_one("textarea[name=mapping_rules]") is not None
    help_text = form.select_one("#id_mapping_rules-helptext")
    assert help_text is not None and "medtop:20000763 => local" in help_text.get_text()


def test_a_feed_is_added(editor, sections):
    data = form_data(
        kind=Source.Kind.NEWSML,
        interval_minutes="10",
        mode=Source.Mode.PUBLISH,
        default_section=str(sections["local"].pk),
        extra_tags="wire, harbour",
        mapping_rules="medtop:20000763 => local; housing",
        source_name="Harbour Press",
        source_url="https://harbour.example.org/",
        canonical_to_original=None,
        full_text=None,
    )
    response = editor.post(reverse("ingest_sources:add"), data)
    assert response.status_code == 302
    source = Source.objects.get()
    assert (source.kind, source.interval_minutes, source.mode) == (Source.Kind.NEWSML, 10, Source.Mode.PUBLISH)
    assert source.default_section == sections["local"]
    assert (source.extra_tags, source.mapping_rules) == ("wire, harbour", "medtop:20000763 => local; housing")
    assert (source.source_name, source.source_url) == ("Harbour Press", "https://harbour.example.org/")
    assert (source.canonical_to_original, source.full_text, source.enabled) == (False, False, True)


def test_a_drop_folder_is_added_with_an_absolute_path(editor, settings):
    settings.NEWSDESK_INGEST_FOLDER_ROOTS = ["/srv/wire"]
    response = editor.post(reverse("ingest_sources:add"), form_data(kind=Source.Kind.FOLDER, location="/srv/wire/in"))
    assert response.status_code == 302
    assert Source.objects.get().location == "/srv/wire/in"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"location": "ftp://wire.example.org/feed.xml"}, "location", "A feed's location is an http or https address."),
        ({"location": "/srv/wire/in"}, "location", "A feed's location is an http or https address."),
        (
            {"kind": Source.Kind.FOLDER, "location": "srv/wire/in"},
            "location",
            "A drop folder's location is an absolute path on this machine.",
        ),
        ({"mapping_rules": "medtop:20000763 local"}, "mapping_rules", "Line 1: write"),
        ({"interval_minutes": "0"}, "interval_minutes", "greater than or equal to 1"),
        ({"source_url": "javascript:alert(1)"}, "source_url", "Enter a valid URL."),
        ({"name": ""}, "name", "This field is required."),
        ({"kind": "gopher"}, "kind", "Select a valid choice."),
    ],
)
def test_the_form_refuses_what_the_source_cannot_use(editor, soup, overrides, field, message):
    response = editor.post(reverse("ingest_sources:add"), form_data(**overrides))
    assert response.status_code == 200
    assert any(message in error for error in field_errors(soup(response), field))
    assert not Source.objects.exists()


def test_the_form_refuses_a_second_source_of_the_same_name(editor, soup):
    make_source()
    response = editor.post(reverse("ingest_sources:add"), form_data())
    assert field_errors(soup(response), "name") == ["Wire or feed with this Name already exists."]
    assert Source.objects.count() == 1


def test_an_edit_changes_the_settings_and_never_the_pollers_state(editor):
    source = make_source(failures=3, items_created=7)
    data = form_data(name="Harbour Wire (night)", failures="0", items_created="0", etag="forged")
    assert editor.post(reverse("ingest_sources:edit", args=[source.pk]), data).status_code == 302
    source.refresh_from_db()
    assert (source.name, source.failures, source.items_created, source.etag) == ("Harbour Wire (night)", 3, 7, "")


def test_delete_asks_first(editor, page):
    source = make_source()
    confirmation = page(editor, reverse("ingest_sources:delete", args=[source.pk]))
    form = confirmation.select_one(f"form[action='{reverse('ingest_sources:delete', args=[source.pk])}']")
    assert form is not None and form["method"].lower() == "post"
    assert "the articles stay" in confirmation.get_text()
    assert Source.objects.filter(pk=source.pk).exists()


def test_delete_removes_the_source_and_its_records_but_not_the_articles(editor, article_factory):
    article = article_factory(headline="Ferry timetable changes")
    source = make_source()
    IngestedStory.objects.create(source=source, guid="urn:1", digest="d", article=article)
    SourceLog.objects.create(source=source, at=NOON, message="created")
    assert editor.post(reverse("ingest_sources:delete", args=[source.pk])).status_code == 302
    assert not Source.objects.exists()
    assert not IngestedStory.objects.exists() and not SourceLog.objects.exists()
    assert ArticlePage.objects.filter(pk=article.pk).exists()


# --- The status page ----------------------------------------------------------------


def definitions(section) -> dict[str, str]:
    terms = [term.get_text(" ", strip=True) for term in section.select("dt")]
    return dict(zip(terms, [value.get_text(" ", strip=True) for value in section.select("dd")], strict=True))


def test_the_status_page_sums_up_the_settings(editor, page, sections):
    source = make_source(default_section=sections["local"], mapping_rules="a => local\nb => sport", full_text=False)
    settings = definitions(page(editor, status_url(source)).select_one("section.ingest-settings"))
    assert settings["Name"] == "Harbour Wire"
    assert settings["Kind"] == "RSS or Atom feed"
    assert settings["Location"] == FEED
    assert settings["Default section"] == "Local"
    assert settings["Mapping rules"] == "a => local b => sport"
    assert settings["Full text"] == "No"
    assert settings["Polling on"] == "Yes"


def test_the_status_page_shows_the_pollers_state(editor, page):
    source = make_source(
        last_polled_at=NOON,
        last_success_at=NOON - datetime.timedelta(hours=1),
        last_error_at=NOON,
        last_error="HTTP 503",
        failures=2,
        items_seen=20,
        items_created=12,
        items_updated=3,
        items_skipped=5,
        enabled=False,
    )
    state = definitions(page(editor, status_url(source)).select_one("section.ingest-state"))
    assert state["Last poll"] == "2026-11-30 12:00"
    assert state["Last success"] == "2026-11-30 11:00"
    assert state["Last error"] == "2026-11-30 12:00: HTTP 503"
    assert state["Failures in a row"] == "2"
    assert state["Next poll"] == "Not polled (off)"
    assert state["Created / updated / skipped"] == "12 / 3 / 5"


def test_the_log_shows_level_time_and_message_escaped(editor, page):
    source = make_source()
    SourceLog.objects.create(source=source, at=NOON, level=SourceLog.Level.ERROR, message=HOSTILE)
    log = page(editor, status_url(source)).select_one("section.ingest-log")
    assert log.select("script") == []
    cells = [cell.get_text(strip=True) for cell in log.select("tr.ingest-log-entry td")]
    assert cells == ["Error", "2026-11-30 12:00:00", HOSTILE]


def test_the_log_shows_the_last_entries_newest_first(editor, page):
    source = make_source()
    SourceLog.objects.bulk_create(
        SourceLog(source=source, at=NOON + datetime.timedelta(minutes=number), message=f"poll {number}")
        for number in range(SHOWN + 5)
    )
    rows = page(editor, status_url(source)).select("tr.ingest-log-entry")
    assert len(rows) == SHOWN
    assert rows[0].select("td")[2].get_text(strip=True) == f"poll {SHOWN + 4}"


def test_the_stories_link_to_their_articles(editor, page, article_factory):
    article = article_factory(headline="Ferry timetable changes")
    source = make_source()
    IngestedStory.objects.create(source=source, guid="urn:newsml:1", version=3, digest="d", article=article)
    row = page(editor, status_url(source)).select_one("tr.ingest-story")
    cells = [cell.get_text(" ", strip=True) for cell in row.select("td")]
    assert cells[:4] == ["urn:newsml:1", "3", "usable", "Ferry timetable changes"]
    assert row.select_one("a")["href"] == reverse("wagtailadmin_pages:edit", args=[article.pk])


def test_a_story_without_an_article_says_so(editor, page):
    source = make_source()
    IngestedStory.objects.create(source=source, guid="urn:newsml:2", digest="d", status="canceled")
    row = page(editor, status_url(source)).select_one("tr.ingest-story")
    assert row.select("a") == []
    assert "none" in row.get_text()


def test_the_editor_note_shows_escaped(editor, page):
    source = make_source()
    note = f"Embargoed until 14:00 {HOSTILE}"
    IngestedStory.objects.create(source=source, guid="urn:1", digest="d", editor_note=note)
    cell = page(editor, status_url(source)).select_one("tr.ingest-story .ingest-editor-note")
    assert cell.select("script") == []
    assert cell.get_text(strip=True) == note


def test_the_stories_shown_are_the_last_ones(editor, page):
    source = make_source()
    for number in range(SHOWN + 2):
        IngestedStory.objects.create(source=source, guid=f"urn:{number}", digest="d")
    assert len(page(editor, status_url(source)).select("tr.ingest-story")) == SHOWN


def status_page_queries(client: Client, source: Source) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(status_url(source)).status_code == 200
    return len(queries)


def test_the_status_page_costs_the_same_queries_however_many_rows(editor, article_factory):
    source = make_source()
    articles = [article_factory(headline=f"Story {number}") for number in range(4)]
    IngestedStory.objects.create(source=source, guid="urn:0", digest="d", article=articles[0])
    SourceLog.objects.create(source=source, at=NOON, message="one")
    status_page_queries(editor, source)  # the first request warms the session and caches
    few = status_page_queries(editor, source)
    for number, article in enumerate(articles[1:], start=1):
        IngestedStory.objects.create(source=source, guid=f"urn:{number}", digest="d", article=article)
        SourceLog.objects.create(source=source, at=NOON, message=f"more {number}")
    assert status_page_queries(editor, source) == few


# --- Poll now ------------------------------------------------------------------------


def test_the_poll_now_button_posts_with_a_csrf_token(editor, page):
    source = make_source()
    form = page(editor, status_url(source)).select_one("form.ingest-poll-now")
    assert form["method"] == "post"
    assert form["action"] == reverse("ingest_sources:poll", args=[source.pk])
    assert form.select_one("input[name=csrfmiddlewaretoken]") is not None


@pytest.mark.parametrize("group", [ADMINS, EDITORS])
def test_poll_now_queues_exactly_one_poll(sections, queue, group):
    source = make_source()
    response = signed_in(group).post(reverse("ingest_sources:poll", args=[source.pk]))
    assert response["Location"] == status_url(source)
    assert polls(queue) == [(tasks.poll_source_now, [source.pk])]
    assert "is queued" in str(list(get_messages(response.wsgi_request))[-1])


def test_poll_now_only_accepts_post(editor, queue):
    source = make_source()
    assert editor.get(reverse("ingest_sources:poll", args=[source.pk])).status_code == 405
    assert polls(queue) == []


def test_poll_now_of_a_missing_source_is_not_found(editor, queue):
    assert editor.post(reverse("ingest_sources:poll", args=[404])).status_code == 404
    assert polls(queue) == []


def test_the_form_refuses_a_drop_folder_outside_the_allowed_roots(editor, soup, settings):
    settings.NEWSDESK_INGEST_FOLDER_ROOTS = ["/srv/wire"]
    response = editor.post(reverse("ingest_sources:add"), form_data(kind=Source.Kind.FOLDER, location="/etc"))
    assert "must lie under /srv/wire" in field_errors(soup(response), "location")[0]
    assert not Source.objects.exists()
