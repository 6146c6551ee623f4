"""The admin's WordPress import runs: uploaded and started here, worked by the job worker.

A run goes CHECKING → CHECKED → IMPORTING → DONE, or to FAILED on the way. Both jobs call
the same service as `manage.py import_wordpress` (services.import_export): the check as a
dry run, the import for real.

Progress goes to a small file beside the export, not to the run's row: the dry run does all
its work inside one transaction that it rolls back, so anything it wrote to the database,
progress included, would stay invisible to the admin page and then vanish. The web process
and the worker already share the upload folder (one writes the export, the other reads it).
The row gets the final counts when a job ends.
"""

from __future__ import annotations

import logging
import os
import secrets
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from newsdesk.articles.services import clean_text

from .models import ImportRun
from .report import Report
from .services import ExportRefused, Options, import_export

logger = logging.getLogger(__name__)

State = ImportRun.State
RUNNING = (State.CHECKING, State.IMPORTING)
# How often, at most, a job rewrites its progress file (the admin page reloads every 5 s).
PROGRESS_SECONDS = 1.0


def export_path(run: ImportRun) -> Path:
    """The uploaded file; `run.file` is a name we made, relative to the upload folder."""
    return Path(settings.NEWSDESK_WORDPRESS_UPLOAD_DIR) / run.file


def _progress_path(run: ImportRun) -> Path:
    return export_path(run).with_suffix(".progress")


def import_run_progress(run: ImportRun) -> tuple[int, int]:
    """Items done and in the file: live from the job while it runs, else as the job left them."""
    if run.state not in RUNNING:
        return run.done, run.total
    try:
        done, total = (int(number) for number in _progress_path(run).read_text().split())
    except (OSError, ValueError):  # the job has not read the file yet
        return 0, 0
    return done, total


class _ProgressFile:
    """The service's progress callback: writes "done total" at most every PROGRESS_SECONDS, and the last call."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.done = self.total = 0
        self.written_at = float("-inf")

    def __call__(self, done: int, total: int) -> None:
        self.done, self.total = done, total
        now = time.monotonic()
        if done < total and now - self.written_at < PROGRESS_SECONDS:
            return
        self.written_at = now
        partial = self.path.with_suffix(".progress-new")
        partial.write_text(f"{done} {total}")
        os.replace(partial, self.path)  # a reader never sees half a line

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)


# --- Starting runs (the admin's views) ------------------------------------------------------


def import_run_create(*, export: UploadedFile, fetch_media: bool, user: User) -> ImportRun:
    """Keep the uploaded export under a name of our own and queue its check (a dry run).

    The file is copied in chunks, never read whole; the person's file name is only shown,
    never part of a path.
    """
    folder = Path(settings.NEWSDESK_WORDPRESS_UPLOAD_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}.xml"
    path = folder / name
    try:
        with path.open("xb") as target:
            for chunk in export.chunks():
                target.write(chunk)
        run = ImportRun.objects.create(
            file=name,
            original_name=clean_text(export.name or "")[:255] or name,
            size=export.size or 0,
            uploaded_by=user,
            fetch_media=fetch_media,
            state=State.CHECKING,
        )
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    # After the commit, so the worker finds the row.
    transaction.on_commit(lambda: check_export.enqueue(run.pk))
    return run


def import_run_start(*, run_id: int) -> bool:
    """Start the import of a checked run; False if it was not (or is no longer) waiting for that.

    One conditional UPDATE decides, so a double click or two Admins at once start one job.
    """
    started = ImportRun.objects.filter(pk=run_id, state=State.CHECKED).update(
        state=State.IMPORTING, done=0, total=0, updated_at=timezone.now()
    )
    if started:
        transaction.on_commit(lambda: run_import.enqueue(run_id))
    return bool(started)


# --- The jobs -----------------------------------------------------------------------


def _claim(run_id: int, ready: Q, state: str) -> ImportRun | None:
    """Take a run that is `ready` for a job into `state`; None when it is not (gone, or done already)."""
    claimed = (
        ImportRun.objects.filter(pk=run_id)
        .filter(ready)
        .update(state=state, error="", done=0, total=0, updated_at=timezone.now())
    )
    return ImportRun.objects.get(pk=run_id) if claimed else None


def _work(run: ImportRun, *, dry_run: bool) -> tuple[Report | None, _ProgressFile]:
    """Run the service; a refused file fails the run (returns None), anything else fails it and is raised.

    Raising lets core/jobs.py record the failed job and retry it later; the retry claims
    the FAILED run again, and the import picks up where it stopped (services.py).
    """
    progress = _ProgressFile(_progress_path(run))
    options = Options(fetch_media=run.fetch_media, dry_run=dry_run)
    try:
        return import_export(export_path(run), options=options, progress=progress), progress
    except ExportRefused as error:
        _fail(run, progress, str(error))
        return None, progress
    except Exception as error:
        _fail(run, progress, f"The job stopped unexpectedly ({type(error).__name__}: {error}).")
        raise
    finally:
        progress.remove()


def _fail(run: ImportRun, progress: _ProgressFile, error: str) -> None:
    ImportRun.objects.filter(pk=run.pk).update(
        state=State.FAILED, error=error, done=progress.done, total=progress.total, updated_at=timezone.now()
    )


@task()
def check_export(run_id: int) -> None:
    """The dry run of an uploaded export: its report is what the Admin reads before starting the import."""
    # A retry after an unexpected failure finds the run FAILED with no report yet.
    run = _claim(run_id, Q(state=State.CHECKING) | Q(state=State.FAILED, check_report__isnull=True), State.CHECKING)
    if run is None:
        return
    report, progress = _work(run, dry_run=True)
    if report is not None:
        ImportRun.objects.filter(pk=run.pk).update(
            state=State.CHECKED,
            check_report=report.as_dict(),
            done=progress.done,
            total=progress.total,
            updated_at=timezone.now(),
        )


@task()
def run_import(run_id: int) -> None:
    """The import itself, once an Admin started it (import_run_start)."""
    # A retry after an unexpected failure finds the run FAILED after its check.
    run = _claim(run_id, Q(state=State.IMPORTING) | Q(state=State.FAILED, check_report__isnull=False), State.IMPORTING)
    if run is None:
        return
    report, progress = _work(run, dry_run=False)
    if report is None:
        return
    ImportRun.objects.filter(pk=run.pk).update(
        state=State.DONE, report=report.as_dict(), done=progress.done, total=progress.total, updated_at=timezone.now()
    )
    # Done with: the export holds the old site's e-mail addresses and commenters' IP addresses.
    export_path(run).unlink(missing_ok=True)
