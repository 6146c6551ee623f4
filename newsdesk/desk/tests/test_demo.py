"""The demo's additions for the desk: one of each, once, each filling its panel."""

from io import StringIO

import pytest
from wagtail.models import Revision, WorkflowState

from newsdesk.core.roles import WRITERS
from newsdesk.desk import panels
from newsdesk.desk.demo import add_demo_desk
from newsdesk.ingest.models import Source

from .conftest import member, rendered, titles

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(sections, settings, tmp_path):
    settings.NEWSDESK_INGEST_FOLDER_ROOTS = [tmp_path]
    member("writer", WRITERS)
    add_demo_desk(StringIO())


def test_the_demo_fills_the_schedule_the_review_queue_and_the_wire_errors(demo, chief):
    assert len(titles(rendered(panels.ScheduledPanel(), chief))) == 1
    assert len(titles(rendered(panels.AwaitingReviewPanel(), chief))) == 1
    assert len(titles(rendered(panels.IngestErrorsPanel(), chief))) == 1


def test_the_demo_wire_failed_on_a_real_poll_of_its_missing_folder(demo):
    source = Source.objects.get()
    assert source.failures == 1
    assert "does not exist" in source.last_error


def test_a_second_run_adds_nothing(demo):
    add_demo_desk(StringIO())
    assert Revision.objects.filter(approved_go_live_at__isnull=False).count() == 1
    assert WorkflowState.objects.count() == 1
    assert Source.objects.get().failures == 1
