"""The panels over tables that grow with the archive find their rows by an index, not by a walk.

Checked on SQLite's plan (the default database); PostgreSQL's planner chooses by its statistics.
"""

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from newsdesk.desk import selectors

from .conftest import submitted_by

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite's query plan"),
]


def plan_of_last_query(read: Callable[[], Any]) -> str:
    with CaptureQueriesContext(connection) as queries:
        read()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + queries.captured_queries[-1]["sql"])
        return " | ".join(str(row[-1]) for row in cursor.fetchall())


def test_awaiting_review_finds_task_states_by_status(sections, writer, editor):
    submitted_by(writer, "A story")
    assert "USING INDEX desk_taskstate_status_idx" in plan_of_last_query(lambda: selectors.awaiting_review(editor))


def test_scheduled_finds_revisions_by_their_go_live_time(sections):
    plan = plan_of_last_query(selectors.scheduled)
    assert "wagtailcore_revision USING INDEX wagtailcore_revision_approved_go_live_at" in plan
