"""Settings → Import from WordPress: who may use it, the upload, the run's page and its report."""

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, User
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django_tasks import default_task_backend

from newsdesk.articles.models import ArticlePage
from newsdesk.core.roles import ADMINS, EDITORS, WRITERS
from newsdesk.core.tests.admin_menu import menu_urls
from newsdesk.wordpress import tasks
from newsdesk.wordpress.admin_views import SHOWN_ROWS
from newsdesk.wordpress.models import ImportRun

from .wxr import WxrCategory, WxrItem, write_wxr

pytestmark = pytest.mark.django_db
State = ImportRun.State
HOSTILE = '<script>alert("x")</script>'
# An upload's name loses everything up to its last "/" (Django keeps only the base name).
HOSTILE_NAME = "<img src=x onerror=alert(1)>.xml"


@pytest.fixture(autouse=True)
def upload_dir(settings, tmp_path):
    settings.NEWSDESK_WORDPRESS_UPLOAD_DIR = tmp_path / "uploads"
    return settings.NEWSDESK_WORDPRESS_UPLOAD_DIR


def signed_in(group: str | None, *, superuser: bool = False) -> Client:
    user = User.objects.create_user(f"user-{group or 'root'}", password="pw-12345678", is_superuser=superuser)
    if group:
        user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def admin(sections) -> Client:
    return signed_in(ADMINS)


def export_bytes(tmp_path: Path, *, title: str = "Hello", content: str = "<p>Hi</p>") -> bytes:
    path = write_wxr(
        tmp_path / "source.xml",
        items=[WxrItem(id=1, title=title, content=content, categories=[("news", "News")])],
        categories=[WxrCategory(id=2, slug="news", name="News")],
    )
    return path.read_bytes()


def upload(client: Client, content: bytes, *, name: str = "gazette.xml", **fields: str):
    return client.post(reverse("wordpress_import_runs"), {"export": SimpleUploadedFile(name, content), **fields})


def make_run(*, state: str = State.CHECKED, check_report: dict | None = None, **fields) -> ImportRun:
    fields = {"file": "0123abcd.xml", "original_name": "gazette.xml", "size": 1234, **fields}
    return ImportRun.objects.create(state=state, check_report=check_report, **fields)


def report(**lists) -> dict:
    return {"source": "https://old.example.org", "dry_run": True, "items": 1, "counts": {}, **lists}


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


# --- Who may use it -----------------------------------------------------------------


def test_admins_see_the_menu_item(admin, page):
    assert reverse("wordpress_import_runs") in menu_urls(page(admin, reverse("wagtailadmin_home")))


def test_superusers_see_the_menu_item(sections, page):
    client = signed_in(None, superuser=True)
    assert reverse("wordpress_import_runs") in menu_urls(page(client, reverse("wagtailadmin_home")))


@pytest.mark.parametrize("group", [EDITORS, WRITERS])
def test_editors_and_writers_do_not_see_the_menu_item(sections, page, group):
    assert reverse("wordpress_import_runs") not in menu_urls(page(signed_in(group), reverse("wagtailadmin_home")))


def view_requests():
    return [
        ("get", "wordpress_import_runs", False),
        ("post", "wordpress_import_runs", False),
        ("get", "wordpress_import_run", True),
        ("post", "wordpress_import_start", True),
    ]


@pytest.mark.parametrize("group", [EDITORS, WRITERS])
@pytest.mark.parametrize(("method", "name", "with_run"), view_requests())
def test_editors_and_writers_are_refused_everywhere(sections, tmp_path, group, method, name, with_run):
    run = make_run()
    url = reverse(name, args=[run.pk] if with_run else [])
    data = {"export": SimpleUploadedFile("a.xml", export_bytes(tmp_path))} if method == "post" else None
    response = getattr(signed_in(group), method)(url, data)
    assert refused(response)
    assert ImportRun.objects.get() == run
    assert ImportRun.objects.get().state == State.CHECKED


@pytest.mark.parametrize(("method", "name", "with_run"), view_requests())
def test_anonymous_visitors_are_sent_to_sign_in(db, method, name, with_run):
    run = make_run()
    url = reverse(name, args=[run.pk] if with_run else [])
    response = getattr(Client(), method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))
    assert ImportRun.objects.get().state == State.CHECKED


def test_admins_have_the_permission_through_their_group(sections):
    admins, editors, writers = (Group.objects.get(name=name) for name in (ADMINS, EDITORS, WRITERS))
    held = {
        group.name: group.permissions.filter(codename="run_import").exists() for group in (admins, editors, writers)
    }
    assert held == {ADMINS: True, EDITORS: False, WRITERS: False}


# --- The list and the upload ----------------------------------------------------------------


def test_every_field_of_the_upload_form_has_a_label(admin, page):
    form = page(admin, reverse("wordpress_import_runs")).select_one("form.wordpress-upload")
    fields = form.select("input:not([type=hidden])")
    assert {field["name"] for field in fields} == {"export", "fetch_media"}
    for field in fields:
        assert form.select_one(f"label[for={field['id']}]") is not None


def test_the_upload_form_posts_files_with_a_csrf_token(admin, page):
    form = page(admin, reverse("wordpress_import_runs")).select_one("form.wordpress-upload")
    assert (form["method"], form["enctype"]) == ("post", "multipart/form-data")
    assert form.select_one("input[name=csrfmiddlewaretoken]") is not None


@pytest.mark.parametrize(("name", "with_run"), [("wordpress_import_runs", False), ("wordpress_import_start", True)])
def test_posts_without_a_csrf_token_are_refused(sections, tmp_path, upload_dir, name, with_run):
    run = make_run(check_report=report())
    client = Client(enforce_csrf_checks=True)
    client.force_login(User.objects.create_superuser("root", password="pw-12345678"))
    url = reverse(name, args=[run.pk] if with_run else [])
    response = client.post(url, {"export": SimpleUploadedFile("gazette.xml", export_bytes(tmp_path))})
    assert response.status_code == 403
    assert list(ImportRun.objects.values_list("state", flat=True)) == [State.CHECKED]
    assert not upload_dir.exists()


def test_the_list_shows_each_run(admin, page):
    make_run(state=State.DONE, done=7, total=7)
    row = page(admin, reverse("wordpress_import_runs")).select_one("tr.wordpress-run")
    cells = [cell.get_text(" ", strip=True) for cell in row.select("td")]
    assert cells[0] == "gazette.xml"
    assert cells[1] == "1.2\xa0KB"
    assert cells[4] == "Imported"
    assert cells[5] == "7 of 7 items"


def test_an_upload_is_kept_under_a_name_of_our_own(admin, tmp_path, upload_dir):
    content = export_bytes(tmp_path)
    response = upload(admin, content, name="../../etc/old-gazette.xml")
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("wordpress_import_run", args=[run.pk])
    stored = list(upload_dir.iterdir())
    assert [path.name for path in stored] == [run.file]
    assert "gazette" not in run.file
    assert stored[0].read_bytes() == content
    assert (run.original_name, run.size, run.state) == ("old-gazette.xml", len(content), State.CHECKING)


def test_an_upload_records_who_and_whether_to_fetch_pictures(admin, tmp_path):
    upload(admin, export_bytes(tmp_path), fetch_media="on")
    run = ImportRun.objects.get()
    assert run.fetch_media is True
    assert run.uploaded_by is not None and run.uploaded_by.username == f"user-{ADMINS}"


def test_an_upload_is_checked_by_the_job_and_nothing_is_imported(admin, tmp_path, django_capture_on_commit_callbacks):
    articles = ArticlePage.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        upload(admin, export_bytes(tmp_path))
    run = ImportRun.objects.get()
    assert run.state == State.CHECKED
    assert run.check_report is not None
    assert run.check_report["counts"]["post"]["created"] == 1
    assert ArticlePage.objects.count() == articles


def assert_refused_upload(response, upload_dir: Path, message: str) -> None:
    assert response.status_code == 200
    errors = BeautifulSoup(response.content, "html.parser").select(".w-field__errors, .error-message")
    assert message in " ".join(error.get_text(" ", strip=True) for error in errors)
    assert not ImportRun.objects.exists()
    assert not upload_dir.exists() or not any(upload_dir.iterdir())


def test_a_file_that_is_not_xml_is_refused(admin, tmp_path, upload_dir):
    response = upload(admin, export_bytes(tmp_path), name="gazette.zip")
    assert_refused_upload(response, upload_dir, "Upload the .xml file WordPress exported")


def test_an_empty_file_is_refused(admin, upload_dir):
    response = upload(admin, b"", name="gazette.xml")
    assert_refused_upload(response, upload_dir, "The submitted file is empty.")


def test_a_file_over_the_size_limit_is_refused(admin, tmp_path, upload_dir, settings):
    content = export_bytes(tmp_path)
    settings.NEWSDESK_WORDPRESS_MAX_UPLOAD_BYTES = len(content) - 1
    response = upload(admin, content)
    assert_refused_upload(response, upload_dir, "the largest export accepted is")


def test_a_post_without_a_file_is_refused(admin, upload_dir):
    response = admin.post(reverse("wordpress_import_runs"), {"fetch_media": "on"})
    assert_refused_upload(response, upload_dir, "This field is required.")


# --- The run's page -------------------------------------------------------------------


def refreshes(page: BeautifulSoup) -> bool:
    return page.select_one('meta[http-equiv="refresh"]') is not None


def test_a_run_being_checked_shows_its_progress_and_reloads(admin, page, upload_dir):
    run = make_run(state=State.CHECKING)
    upload_dir.mkdir()
    (upload_dir / "0123abcd.progress").write_text("25 100")
    soup = page(admin, reverse("wordpress_import_run", args=[run.pk]))
    progress = soup.select_one("progress#run-progress")
    assert (progress["value"], progress["max"]) == ("25", "100")
    assert soup.select_one("label[for=run-progress]").get_text(strip=True) == "Checking"
    assert refreshes(soup)
    assert soup.select_one("form.wordpress-start") is None


def test_a_run_waiting_for_the_worker_shows_an_empty_progress_bar(admin, page):
    run = make_run(state=State.CHECKING)
    soup = page(admin, reverse("wordpress_import_run", args=[run.pk]))
    assert not soup.select_one("progress#run-progress").has_attr("value")
    assert refreshes(soup)


def test_a_checked_run_offers_to_start_and_stops_reloading(admin, page):
    run = make_run(check_report=report())
    soup = page(admin, reverse("wordpress_import_run", args=[run.pk]))
    form = soup.select_one("form.wordpress-start")
    assert form["action"] == reverse("wordpress_import_start", args=[run.pk])
    assert form.select_one("input[name=csrfmiddlewaretoken]") is not None
    assert not refreshes(soup)


@pytest.mark.parametrize("state", [State.CHECKING, State.IMPORTING, State.DONE, State.FAILED])
def test_only_a_checked_run_offers_to_start(admin, page, state):
    run = make_run(state=state, check_report=report())
    assert page(admin, reverse("wordpress_import_run", args=[run.pk])).select_one("form.wordpress-start") is None


def test_a_failed_run_shows_its_error(admin, page):
    run = make_run(state=State.FAILED, error="not well-formed (invalid token): line 1, column 0")
    alert = page(admin, reverse("wordpress_import_run", args=[run.pk])).select_one(".wordpress-run-error")
    assert "not well-formed" in alert.get_text()


def test_an_unknown_run_is_not_found(admin):
    assert admin.get(reverse("wordpress_import_run", args=[999])).status_code == 404


def test_the_report_shows_counts_per_kind(admin, page):
    counts = {"post": {"created": 3, "updated": 1, "unchanged": 0, "skipped": 2}}
    run = make_run(check_report=report(counts=counts, skipped={"post": {"status trash": 2}}))
    soup = page(admin, reverse("wordpress_import_run", args=[run.pk]))
    row = soup.select_one(".wordpress-check-report .report-counts tbody tr")
    assert [cell.get_text(strip=True) for cell in row.select("th, td")] == ["post", "3", "1", "0", "2"]
    reasons = soup.select_one(".wordpress-check-report .report-skipped tbody tr")
    assert [cell.get_text(strip=True) for cell in reasons.select("td")] == ["post", "status trash", "2"]


def test_the_report_lists_problems_notes_unknown_markup_and_missing_pictures(admin, page):
    run = make_run(
        check_report=report(
            problems=[{"item": "post 4", "problem": "invalid post_date"}],
            notes=[{"item": "author ann", "note": "matched the existing author"}],
            unknown_markup={"[gallery]": {"count": 2, "items": ["post 5", "post 6"]}},
            missing_pictures=[{"item": "post 7", "picture": "https://old.example.org/a.jpg", "why": "not fetched"}],
        )
    )
    soup = page(admin, reverse("wordpress_import_run", args=[run.pk]))

    def cells(selector: str) -> list[str]:
        return [cell.get_text(strip=True) for cell in soup.select(f"{selector} tbody tr:first-child td")]

    assert cells(".report-problems") == ["post 4", "invalid post_date"]
    assert cells(".report-notes") == ["author ann", "matched the existing author"]
    assert cells(".report-unknown") == ["[gallery]", "2", "post 5, post 6"]
    assert cells(".report-missing-pictures") == ["post 7", "https://old.example.org/a.jpg", "not fetched"]


def test_long_lists_are_cut_with_a_count_of_the_rest(admin, page):
    redirects = [{"from": f"/?p={number}", "to": f"/news/{number}/"} for number in range(SHOWN_ROWS + 30)]
    run = make_run(check_report=report(redirects=redirects, not_listed={"redirects": 5}))
    soup = page(admin, reverse("wordpress_import_run", args=[run.pk]))
    assert len(soup.select(".report-redirects tbody tr")) == SHOWN_ROWS
    assert soup.select_one(".report-more").get_text(strip=True) == "And 35 more, not shown."


def test_a_finished_run_shows_both_reports(admin, page):
    done = report(counts={"post": {"created": 1, "updated": 0, "unchanged": 0, "skipped": 0}}, dry_run=False)
    run = make_run(state=State.DONE, check_report=report(), report=done)
    soup = page(admin, reverse("wordpress_import_run", args=[run.pk]))
    assert soup.select_one(".wordpress-import-report .report-counts tbody td").get_text(strip=True) == "1"
    assert soup.select_one(".wordpress-check-report") is not None


def test_the_report_escapes_text_from_the_export(admin, page, tmp_path, django_capture_on_commit_callbacks):
    # An unknown shortcode puts the item, named by its title, in the report.
    content = "<p>Vote now: [oldgazette_poll id=3]</p>"
    with django_capture_on_commit_callbacks(execute=True):
        upload(admin, export_bytes(tmp_path, title=HOSTILE, content=content), name=HOSTILE_NAME)
    run = ImportRun.objects.get()
    assert run.state == State.CHECKED
    soup = page(admin, reverse("wordpress_import_run", args=[run.pk]))
    assert not [script for script in soup.select("script") if "alert" in script.get_text()]
    assert soup.select("img[onerror]") == []
    assert HOSTILE_NAME in soup.select_one("h1").get_text()
    assert HOSTILE in soup.select_one(".report-unknown tbody td:last-child").get_text()


def test_hostile_report_entries_are_shown_as_text(admin, page):
    run = make_run(
        original_name=HOSTILE,
        check_report=report(
            problems=[{"item": HOSTILE, "problem": HOSTILE}],
            redirects=[{"from": f"/?p=1{HOSTILE}", "to": HOSTILE}],
            unknown_markup={HOSTILE: {"count": 1, "items": [HOSTILE]}},
        ),
    )
    soup = page(admin, reverse("wordpress_import_run", args=[run.pk]))
    assert not [script for script in soup.select("script") if "alert" in script.get_text()]
    assert soup.select_one("h1").get_text(strip=True).startswith(HOSTILE)
    assert soup.select_one(".report-problems td").get_text() == HOSTILE
    assert soup.select_one(".report-redirects td:last-child").get_text() == HOSTILE
    assert soup.select_one(".report-unknown code").get_text() == HOSTILE


# --- Starting the import --------------------------------------------------------------


def test_start_moves_a_checked_run_to_importing_and_runs_the_job(admin, tmp_path, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        upload(admin, export_bytes(tmp_path))
    run = ImportRun.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(reverse("wordpress_import_start", args=[run.pk]))
    assert response["Location"] == reverse("wordpress_import_run", args=[run.pk])
    run.refresh_from_db()
    assert run.state == State.DONE
    assert ArticlePage.objects.filter(title="Hello").exists()


@pytest.fixture
def queue(settings):
    """Jobs are queued, not run: the dummy backend keeps what was enqueued."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    return default_task_backend


def test_a_second_start_starts_nothing(admin, queue, django_capture_on_commit_callbacks):
    run = make_run(check_report=report())
    url = reverse("wordpress_import_start", args=[run.pk])
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(url)
        second = admin.post(url)
    assert [(job.task, job.args) for job in queue.results] == [(tasks.run_import, [run.pk])]
    assert ImportRun.objects.get().state == State.IMPORTING
    assert "was not waiting to be imported" in str(list(get_messages(second.wsgi_request))[-1])


def test_start_only_accepts_post(admin):
    run = make_run(check_report=report())
    assert admin.get(reverse("wordpress_import_start", args=[run.pk])).status_code == 405
    assert ImportRun.objects.get().state == State.CHECKED
