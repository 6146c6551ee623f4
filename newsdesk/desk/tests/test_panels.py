"""Each desk panel: what it lists, its empty state, its links, and its queries."""

import datetime
import zoneinfo
from pathlib import Path

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from newsdesk.comments.factories import CommentFactory
from newsdesk.comments.models import Comment
from newsdesk.desk import panels
from newsdesk.ingest.models import Source
from newsdesk.recommendations.factories import views_rows

from .conftest import draft_by, member, one, rendered, submitted_by, text, titles

pytestmark = pytest.mark.django_db

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def edit_url(page_id: int) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page_id])


def links(page) -> list[str]:
    return [link["href"] for link in page.select(".desk-list li > a")]


def empty_text(page) -> str:
    found = page.select_one(".desk-empty")
    return found.get_text(strip=True) if found else ""


# --- awaiting my review ------------------------------------------------------------------


def test_awaiting_review_lists_a_writers_submitted_draft_with_its_edit_link(sections, writer, editor):
    draft = submitted_by(writer, "Council votes on the bridge")
    page = rendered(panels.AwaitingReviewPanel(), editor)
    assert titles(page) == ["Council votes on the bridge"]
    assert links(page) == [edit_url(draft.pk)]
    assert "ann" in text(page, ".desk-note")


def test_awaiting_review_leaves_out_a_draft_not_submitted(sections, writer, editor):
    draft_by(writer, "Still writing")
    assert titles(rendered(panels.AwaitingReviewPanel(), editor)) == []


def test_awaiting_review_is_empty_with_a_friendly_line(sections, editor):
    assert empty_text(rendered(panels.AwaitingReviewPanel(), editor)) == "Nothing is waiting for your review."


def test_awaiting_review_costs_the_same_for_one_draft_and_for_many(sections, writer, editor, django_assert_num_queries):
    for number in range(12):
        submitted_by(writer, f"Story {number}")
    with django_assert_num_queries(5):
        page = rendered(panels.AwaitingReviewPanel(), editor)
    assert len(titles(page)) == 10


# --- my drafts in review -----------------------------------------------------------------


def test_my_drafts_in_review_lists_what_i_sent(sections, writer):
    draft = submitted_by(writer, "Flood barriers tested")
    page = rendered(panels.MyDraftsInReviewPanel(), writer)
    assert titles(page) == ["Flood barriers tested"]
    assert links(page) == [edit_url(draft.pk)]
    assert text(page, ".desk-note") == "with Editor approval"


def test_my_drafts_in_review_leaves_out_another_writers_draft(sections, writer):
    submitted_by(member("bob"), "Bob's story")
    assert titles(rendered(panels.MyDraftsInReviewPanel(), writer)) == []


def test_my_drafts_in_review_leaves_out_an_approved_draft(sections, writer, editor):
    draft = submitted_by(writer, "Approved already")
    state = draft.current_workflow_state
    assert state is not None
    state.current_task_state.approve(user=editor)
    assert titles(rendered(panels.MyDraftsInReviewPanel(), writer)) == []


def test_my_drafts_in_review_is_empty_with_a_friendly_line(sections, writer):
    assert empty_text(rendered(panels.MyDraftsInReviewPanel(), writer)) == "None of your drafts is in review."


def test_my_drafts_in_review_costs_one_query(sections, writer, django_assert_num_queries):
    for number in range(12):
        submitted_by(writer, f"Story {number}")
    with django_assert_num_queries(1):
        page = rendered(panels.MyDraftsInReviewPanel(), writer)
    assert len(titles(page)) == 10


# --- scheduled ---------------------------------------------------------------------------


def test_scheduled_lists_a_story_due_within_a_day_with_its_time(article_factory, editor):
    due = timezone.now().replace(microsecond=0) + datetime.timedelta(hours=5)
    story = article_factory(headline="Budget embargo lifts", published_at=due)
    page = rendered(panels.ScheduledPanel(), editor)
    assert titles(page) == ["Budget embargo lifts"]
    assert links(page) == [edit_url(story.pk)]
    assert datetime.datetime.fromisoformat(str(one(page, "time")["datetime"])) == due


def test_scheduled_lists_soonest_first(article_factory, editor):
    now = timezone.now()
    article_factory(headline="Later", published_at=now + datetime.timedelta(hours=9))
    article_factory(headline="Sooner", published_at=now + datetime.timedelta(hours=1))
    assert titles(rendered(panels.ScheduledPanel(), editor)) == ["Sooner", "Later"]


def test_scheduled_leaves_out_a_story_due_after_24_hours(article_factory, editor):
    article_factory(headline="Next week", published_at=timezone.now() + datetime.timedelta(hours=25))
    assert titles(rendered(panels.ScheduledPanel(), editor)) == []


def test_scheduled_leaves_out_published_stories(article_factory, editor):
    article_factory(headline="Out already")
    page = rendered(panels.ScheduledPanel(), editor)
    assert empty_text(page) == "Nothing is scheduled for the next 24 hours."


def test_scheduled_costs_one_query(article_factory, editor, django_assert_num_queries):
    for hour in range(1, 13):
        article_factory(published_at=timezone.now() + datetime.timedelta(hours=hour))
    with django_assert_num_queries(1):
        page = rendered(panels.ScheduledPanel(), editor)
    assert len(titles(page)) == 10


# --- published today ---------------------------------------------------------------------


def test_published_today_counts_and_lists_todays_stories(article_factory, editor):
    with time_machine.travel(datetime.datetime(2026, 3, 10, 15, 0, tzinfo=BERLIN), tick=False):
        story = article_factory(headline="Morning story", published_at=timezone.now() - datetime.timedelta(hours=5))
        article_factory(headline="Yesterday's", published_at=timezone.now() - datetime.timedelta(hours=16))
        page = rendered(panels.PublishedTodayPanel(), editor)
    assert titles(page) == ["Morning story"]
    assert links(page) == [edit_url(story.pk)]
    assert text(page, ".desk-summary") == "1 article so far today."


@override_settings(TIME_ZONE="Europe/Berlin")
def test_published_today_starts_at_midnight_in_the_sites_time_zone(article_factory, editor):
    # 00:30 in Berlin is 23:30 UTC the day before: the UTC date would call both stories "yesterday".
    with time_machine.travel(datetime.datetime(2026, 3, 10, 0, 30, tzinfo=BERLIN), tick=False):
        article_factory(headline="After midnight", published_at=datetime.datetime(2026, 3, 10, 0, 10, tzinfo=BERLIN))
        article_factory(headline="Before midnight", published_at=datetime.datetime(2026, 3, 9, 23, 50, tzinfo=BERLIN))
        page = rendered(panels.PublishedTodayPanel(), editor)
    assert titles(page) == ["After midnight"]


def test_published_today_leaves_out_a_scheduled_story(article_factory, editor):
    with time_machine.travel(datetime.datetime(2026, 3, 10, 9, 0, tzinfo=BERLIN), tick=False):
        article_factory(headline="This afternoon", published_at=timezone.now() + datetime.timedelta(hours=3))
        page = rendered(panels.PublishedTodayPanel(), editor)
    assert empty_text(page) == "Nothing has been published today yet."
    assert page.select_one(".desk-summary") is None


def test_published_today_costs_two_queries(article_factory, editor, django_assert_num_queries):
    with time_machine.travel(datetime.datetime(2026, 3, 10, 18, 0, tzinfo=BERLIN), tick=False):
        for minute in range(12):
            article_factory(published_at=timezone.now() - datetime.timedelta(minutes=10 * minute + 1))
        with django_assert_num_queries(2):
            page = rendered(panels.PublishedTodayPanel(), editor)
    assert len(titles(page)) == 10
    assert text(page, ".desk-summary") == "12 articles so far today."


# --- held comments -----------------------------------------------------------------------


def test_held_comments_count_and_list_the_oldest_first(article_factory, editor):
    story = article_factory(headline="Bridge works")
    now = timezone.now()
    newer = CommentFactory.create(article=story, name="Newer", status=Comment.Status.PENDING, created_at=now)
    older = CommentFactory.create(
        article=story, name="Older", status=Comment.Status.PENDING, created_at=now - datetime.timedelta(hours=2)
    )
    page = rendered(panels.HeldCommentsPanel(), editor)
    assert titles(page) == ["Older on “Bridge works”", "Newer on “Bridge works”"]
    assert links(page) == [reverse("wagtailsnippets_comments_comment:edit", args=[pk]) for pk in (older.pk, newer.pk)]
    assert text(page, ".desk-summary").startswith("2 comments are waiting")


def test_held_comments_leave_out_approved_and_spam(article_factory, editor):
    story = article_factory()
    CommentFactory(article=story, status=Comment.Status.APPROVED)
    CommentFactory(article=story, status=Comment.Status.SPAM)
    page = rendered(panels.HeldCommentsPanel(), editor)
    assert empty_text(page) == "No comment is waiting for moderation."


def test_held_comments_link_to_the_moderation_queue(sections, editor):
    page = rendered(panels.HeldCommentsPanel(), editor)
    queue = one(page, "a.button")
    assert queue["href"] == reverse("wagtailsnippets_comments_comment:list") + "?status=pending"


def test_held_comments_cost_two_queries(article_factory, editor, django_assert_num_queries):
    story = article_factory()
    CommentFactory.create_batch(8, article=story, status=Comment.Status.PENDING)
    with django_assert_num_queries(2):
        page = rendered(panels.HeldCommentsPanel(), editor)
    assert len(titles(page)) == 5


# --- most read ---------------------------------------------------------------------------


def test_most_read_lists_the_last_hour_and_today_apart(article_factory, editor):
    with time_machine.travel(datetime.datetime(2026, 3, 10, 15, 20, tzinfo=BERLIN), tick=False):
        morning = article_factory(headline="Morning hit")
        now_read = article_factory(headline="Read now")
        views_rows(morning, 500, hours_ago=5)
        views_rows(now_read, 40)
        page = rendered(panels.MostReadPanel(), editor)
    assert titles(page, "Last hour") == ["Read now"]
    assert titles(page, "Today") == ["Morning hit", "Read now"]


def test_most_read_today_leaves_out_yesterdays_reads(article_factory, editor):
    with time_machine.travel(datetime.datetime(2026, 3, 10, 2, 20, tzinfo=BERLIN), tick=False):
        views_rows(article_factory(headline="Late night"), 500, hours_ago=4)
        page = rendered(panels.MostReadPanel(), editor)
    assert titles(page, "Today") == []
    assert [p.get_text(strip=True) for p in page.select(".desk-empty")] == [
        "No reads counted in the last hour yet.",
        "No reads counted today yet.",
    ]


def test_most_read_links_to_the_edit_page(article_factory, editor):
    story = article_factory()
    views_rows(story, 3)
    assert links(rendered(panels.MostReadPanel(), editor))[0] == edit_url(story.pk)


def test_most_read_costs_the_same_for_few_and_many(article_factory, editor, django_assert_num_queries):
    # At a fixed hour: between one and two in the morning "today" is the last hour, and its
    # counters' ids come from the cache the first window filled.
    with time_machine.travel(datetime.datetime(2026, 3, 10, 15, 20, tzinfo=BERLIN), tick=False):
        for number in range(8):
            views_rows(article_factory(), 10 + number)
        # The restricted pages' paths, each window's top ids, then both windows' articles at once.
        with django_assert_num_queries(4):
            page = rendered(panels.MostReadPanel(), editor)
    assert len(titles(page, "Last hour")) == 5


# --- the home page's lead ----------------------------------------------------------------


def test_stale_lead_warns_when_the_lead_is_older_than_the_setting(article_factory, editor):
    lead = article_factory(headline="Old lead", published_at=timezone.now() - datetime.timedelta(hours=4))
    page = rendered(panels.StaleLeadPanel(), editor)
    assert titles(page) == ["Old lead"]
    assert links(page) == [edit_url(lead.pk)]
    summary = one(page, ".desk-summary")
    assert "help-warning" in summary["class"]
    assert summary.get_text(strip=True).startswith("The lead has not changed for 4 hours.")


def test_stale_lead_is_calm_for_a_fresh_lead(article_factory, editor):
    article_factory(headline="Old story", published_at=timezone.now() - datetime.timedelta(hours=8))
    article_factory(headline="New lead", published_at=timezone.now() - datetime.timedelta(minutes=20))
    page = rendered(panels.StaleLeadPanel(), editor)
    assert titles(page) == ["New lead"]
    assert "help-warning" not in one(page, ".desk-summary")["class"]


@override_settings(NEWSDESK_DESK_STALE_LEAD_HOURS=1)
def test_stale_lead_follows_the_setting(article_factory, editor):
    article_factory(headline="Lead", published_at=timezone.now() - datetime.timedelta(minutes=90))
    assert "help-warning" in one(rendered(panels.StaleLeadPanel(), editor), ".desk-summary")["class"]


def test_stale_lead_ignores_a_scheduled_story(article_factory, editor):
    article_factory(headline="Old lead", published_at=timezone.now() - datetime.timedelta(hours=5))
    article_factory(headline="Tonight", published_at=timezone.now() + datetime.timedelta(hours=5))
    assert titles(rendered(panels.StaleLeadPanel(), editor)) == ["Old lead"]


def test_stale_lead_without_articles_says_so(sections, editor):
    page = rendered(panels.StaleLeadPanel(), editor)
    assert empty_text(page) == "No article is published yet, so the home page has no lead."


def test_stale_lead_costs_two_queries(article_factory, editor, django_assert_num_queries):
    for hour in range(1, 6):
        article_factory(published_at=timezone.now() - datetime.timedelta(hours=hour))
    # The lead, and the restricted pages' paths (kept in the cache afterwards).
    with django_assert_num_queries(2):
        rendered(panels.StaleLeadPanel(), editor)


# --- wires and feeds in error ------------------------------------------------------------


def failing_source(name: str, tmp_path: Path, **fields) -> Source:
    return Source.objects.create(
        name=name,
        kind=Source.Kind.FOLDER,
        location=str(tmp_path / name),
        failures=fields.pop("failures", 2),
        last_error_at=fields.pop("last_error_at", timezone.now()),
        last_error=fields.pop("last_error", "the drop folder does not exist"),
        **fields,
    )


def test_ingest_errors_list_a_failing_source_with_its_error(sections, chief, tmp_path):
    source = failing_source("Regional wire", tmp_path)
    page = rendered(panels.IngestErrorsPanel(), chief)
    assert titles(page) == ["Regional wire"]
    assert links(page) == [reverse("ingest_sources:inspect", args=[source.pk])]
    assert text(page, ".desk-note") == "the drop folder does not exist"


def test_ingest_errors_leave_out_healthy_and_disabled_sources(sections, chief, tmp_path):
    failing_source("Healthy", tmp_path, failures=0)
    failing_source("Switched off", tmp_path, enabled=False)
    page = rendered(panels.IngestErrorsPanel(), chief)
    assert empty_text(page) == "Every wire and feed is polling normally."


def test_ingest_errors_cost_one_query(sections, chief, tmp_path, django_assert_num_queries):
    for number in range(12):
        failing_source(f"Feed {number}", tmp_path)
    with django_assert_num_queries(1):
        page = rendered(panels.IngestErrorsPanel(), chief)
    assert len(titles(page)) == 10
