"""The admin's import jobs: the check (a dry run), the import, their progress and their failures."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils.module_loading import import_string

from newsdesk.articles.models import ArticlePage
from newsdesk.core.models import FailedJob
from newsdesk.wordpress import tasks
from newsdesk.wordpress.models import ImportedItem, ImportRun
from newsdesk.wordpress.services import ExportRefused

from .wxr import WxrCategory, WxrItem, write_wxr

pytestmark = pytest.mark.django_db
State = ImportRun.State
NAME = "0123456789abcdef.xml"


@pytest.fixture(autouse=True)
def upload_dir(settings, tmp_path) -> Path:
    folder = tmp_path / "uploads"
    folder.mkdir()
    settings.NEWSDESK_WORDPRESS_UPLOAD_DIR = folder
    return folder


def write_export(folder: Path, *, posts: int = 1) -> Path:
    items = [
        WxrItem(id=number, title=f"Hello {number}", content="<p>Hi</p>", categories=[("news", "News")])
        for number in range(1, posts + 1)
    ]
    return write_wxr(folder / NAME, items=items, categories=[WxrCategory(id=900, slug="news", name="News")])


def make_run(state: str = State.CHECKING, **fields) -> ImportRun:
    return ImportRun.objects.create(file=NAME, original_name="gazette.xml", state=state, **fields)


@pytest.fixture
def checked_run(sections, upload_dir) -> ImportRun:
    write_export(upload_dir)
    run = make_run()
    tasks.check_export.call(run.pk)
    run.refresh_from_db()
    assert run.state == State.CHECKED
    return run


@pytest.fixture
def failing_service(monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(tasks, "import_export", fail)


# --- The check ----------------------------------------------------------------------


def test_the_check_stores_its_report_and_writes_nothing(checked_run):
    assert checked_run.check_report["dry_run"] is True
    assert checked_run.check_report["counts"]["post"]["created"] == 1
    assert not ArticlePage.objects.filter(title="Hello 1").exists()
    assert not ImportedItem.objects.exists()


def test_the_check_leaves_the_final_count(sections, upload_dir):
    write_export(upload_dir, posts=30)
    run = make_run()
    tasks.check_export.call(run.pk)
    run.refresh_from_db()
    assert (run.done, run.total) == (30, 30)


def test_the_check_of_a_broken_file_fails_the_run(sections, upload_dir):
    (upload_dir / NAME).write_text("<rss><channel><item>", encoding="utf-8")
    run = make_run()
    tasks.check_export.call(run.pk)
    run.refresh_from_db()
    assert run.state == State.FAILED
    assert run.error
    assert run.check_report is None


def test_the_check_of_a_missing_file_fails_the_run(sections):
    run = make_run()
    tasks.check_export.call(run.pk)
    run.refresh_from_db()
    assert (run.state, run.check_report) == (State.FAILED, None)


def test_the_check_leaves_a_run_that_is_not_waiting_for_it(sections, upload_dir):
    write_export(upload_dir)
    run = make_run(State.DONE, report={"counts": {}})
    tasks.check_export.call(run.pk)
    run.refresh_from_db()
    assert (run.state, run.check_report) == (State.DONE, None)


def test_the_check_of_a_deleted_run_does_nothing(db):
    tasks.check_export.call(12345)
    assert not ImportRun.objects.exists()


# --- The import ---------------------------------------------------------------------


def start(run: ImportRun) -> ImportRun:
    assert tasks.import_run_start(run_id=run.pk)
    tasks.run_import.call(run.pk)
    run.refresh_from_db()
    return run


def test_the_import_writes_the_articles_and_stores_its_report(checked_run):
    run = start(checked_run)
    assert run.state == State.DONE
    assert run.report is not None
    assert run.report["dry_run"] is False
    assert run.report["counts"]["post"]["created"] == 1
    assert ArticlePage.objects.filter(title="Hello 1").exists()


def test_the_import_deletes_the_export_when_done(checked_run, upload_dir):
    start(checked_run)
    assert list(upload_dir.iterdir()) == []


def test_the_import_runs_only_for_a_started_run(checked_run):
    tasks.run_import.call(checked_run.pk)
    checked_run.refresh_from_db()
    assert (checked_run.state, checked_run.report) == (State.CHECKED, None)
    assert not ArticlePage.objects.filter(title="Hello 1").exists()


def test_a_run_starts_once(checked_run):
    assert tasks.import_run_start(run_id=checked_run.pk) is True
    assert tasks.import_run_start(run_id=checked_run.pk) is False


@pytest.mark.parametrize("state", [State.CHECKING, State.IMPORTING, State.DONE, State.FAILED])
def test_only_a_checked_run_can_start(db, state):
    run = make_run(state)
    assert tasks.import_run_start(run_id=run.pk) is False
    assert ImportRun.objects.get().state == state


def test_an_export_refused_at_import_fails_the_run_without_raising(checked_run, upload_dir):
    (upload_dir / NAME).write_text("not xml", encoding="utf-8")
    run = start(checked_run)
    assert run.state == State.FAILED
    assert run.report is None
    assert not ArticlePage.objects.filter(title="Hello 1").exists()


def test_an_unexpected_error_is_recorded_and_raised(checked_run, failing_service):
    assert tasks.import_run_start(run_id=checked_run.pk)
    with pytest.raises(RuntimeError):
        tasks.run_import.call(checked_run.pk)
    checked_run.refresh_from_db()
    assert checked_run.state == State.FAILED
    assert "RuntimeError: the disk is full" in checked_run.error


def test_an_unexpected_error_becomes_a_failed_job(checked_run, failing_service, settings):
    settings.NEWSDESK_JOB_RETRY_DELAYS = []
    assert tasks.import_run_start(run_id=checked_run.pk)
    tasks.run_import.enqueue(checked_run.pk)
    assert FailedJob.objects.get().task_path == "newsdesk.wordpress.tasks.run_import"


def test_a_retry_after_an_unexpected_error_finishes_the_import(checked_run, failing_service, monkeypatch):
    assert tasks.import_run_start(run_id=checked_run.pk)
    with pytest.raises(RuntimeError):
        tasks.run_import.call(checked_run.pk)
    monkeypatch.undo()
    tasks.run_import.call(checked_run.pk)
    checked_run.refresh_from_db()
    assert (checked_run.state, checked_run.error) == (State.DONE, "")


def test_a_retry_of_a_check_that_failed_unexpectedly_checks_again(sections, upload_dir, failing_service, monkeypatch):
    write_export(upload_dir)
    run = make_run()
    with pytest.raises(RuntimeError):
        tasks.check_export.call(run.pk)
    monkeypatch.undo()
    tasks.check_export.call(run.pk)
    run.refresh_from_db()
    assert run.state == State.CHECKED


# --- Progress -----------------------------------------------------------------------


def test_progress_is_visible_while_the_dry_run_holds_its_transaction(sections, upload_dir, monkeypatch):
    write_export(upload_dir)
    run = make_run()
    seen = []

    def service(path, *, options, progress):
        progress(25, 50)
        seen.append(tasks.import_run_progress(ImportRun.objects.get(pk=run.pk)))
        raise ExportRefused("stop here")

    monkeypatch.setattr(tasks, "import_export", service)
    tasks.check_export.call(run.pk)
    assert seen == [(25, 50)]


def test_the_progress_file_is_removed_when_the_job_ends(checked_run, upload_dir):
    assert [path.name for path in upload_dir.iterdir()] == [NAME]


def test_progress_is_written_at_most_once_a_second_and_always_at_the_end(tmp_path, monkeypatch):
    clock = iter([100.0, 100.5, 101.2, 101.3])
    monkeypatch.setattr(tasks.time, "monotonic", lambda: next(clock))
    path = tmp_path / "run.progress"
    progress = tasks._ProgressFile(path)
    written = []
    for done in (25, 50, 75, 100):
        progress(done, 100)
        written.append(path.read_text())
    assert written == ["25 100", "25 100", "75 100", "100 100"]


def test_a_finished_run_shows_its_stored_counts(db):
    run = make_run(State.DONE, done=40, total=40)
    assert tasks.import_run_progress(run) == (40, 40)


# --- The worker -----------------------------------------------------------------------


@pytest.mark.parametrize("job", [tasks.check_export, tasks.run_import])
def test_the_worker_finds_the_jobs_by_their_path(job):
    assert import_string(job.module_path) is job


@pytest.mark.django_db(transaction=True)
def test_the_job_worker_runs_the_check(sections, upload_dir, settings):
    settings.NEWSDESK_RECURRING_TASKS = {}
    write_export(upload_dir)
    run = make_run()
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        tasks.check_export.enqueue(run.pk)
        call_command("run_worker", "--batch", "--no-scheduler", verbosity=0)
    run.refresh_from_db()
    assert run.state == State.CHECKED
