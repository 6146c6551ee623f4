import io

import pytest
from django.core.management.base import OutputWrapper

from newsdesk.live.demo import add_demo_live_coverage
from newsdesk.live.models import LiveCoverage, LiveEntry

pytestmark = pytest.mark.django_db


def test_demo_makes_one_open_coverage_with_a_dozen_entries_and_two_key_events(sections):
    add_demo_live_coverage(OutputWrapper(io.StringIO()))
    coverage = LiveCoverage.objects.get()
    assert coverage.is_open
    assert coverage.entries.count() >= 12
    assert coverage.entries.filter(key_event=True).count() == 2


def test_demo_run_twice_adds_nothing_twice(sections):
    add_demo_live_coverage(OutputWrapper(io.StringIO()))
    add_demo_live_coverage(OutputWrapper(io.StringIO()))
    assert LiveCoverage.objects.count() == 1
    assert LiveEntry.objects.count() == 13


def test_demo_entries_use_the_article_body_blocks(sections):
    add_demo_live_coverage(OutputWrapper(io.StringIO()))
    blocks = [item for entry in LiveEntry.objects.all() for item in entry.body.raw_data]
    assert {"paragraph", "heading", "quote"} <= {item["type"] for item in blocks}
    assert any("<ul>" in item["value"] for item in blocks if item["type"] == "paragraph")
