import datetime
import zoneinfo

import pytest

from newsdesk.articles.models import SectionPage
from newsdesk.newsletters import editions
from newsdesk.newsletters.factories import newsletter_factory
from newsdesk.newsletters.models import Edition, NewsletterPick

pytestmark = pytest.mark.django_db

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
# 07:30 in Berlin on Monday, November 30, 2026: half an hour after a 07:00 send time.
MONDAY_MORNING = datetime.datetime(2026, 11, 30, 7, 30, tzinfo=BERLIN)


@pytest.fixture
def daily(settings):
    settings.TIME_ZONE = "Europe/Berlin"
    newsletter = newsletter_factory(slug="daily", send_time=datetime.time(7, 0), max_items=3)
    newsletter.created_at = MONDAY_MORNING - datetime.timedelta(days=10)
    newsletter.save(update_fields=["created_at"])
    return newsletter


def _hours_before(hours: float) -> datetime.datetime:
    return MONDAY_MORNING - datetime.timedelta(hours=hours)


def test_a_daily_newsletter_is_due_after_its_time_once(daily):
    assert editions.is_due(daily, MONDAY_MORNING)
    daily.covered_until = MONDAY_MORNING
    assert not editions.is_due(daily, MONDAY_MORNING + datetime.timedelta(hours=12))
    assert editions.is_due(daily, MONDAY_MORNING + datetime.timedelta(days=1))


def test_a_daily_newsletter_is_not_due_before_its_time(daily):
    daily.covered_until = MONDAY_MORNING - datetime.timedelta(days=1)
    assert not editions.is_due(daily, MONDAY_MORNING - datetime.timedelta(hours=1))


def test_a_new_newsletter_waits_for_its_first_time(daily):
    daily.created_at = MONDAY_MORNING
    assert not editions.is_due(daily, MONDAY_MORNING + datetime.timedelta(hours=2))


def test_a_weekly_newsletter_is_due_on_its_day(settings):
    settings.TIME_ZONE = "Europe/Berlin"
    weekly = newsletter_factory(slug="weekly", cadence="weekly", weekday=2, send_time=datetime.time(9, 0))
    weekly.covered_until = MONDAY_MORNING
    wednesday = datetime.datetime(2026, 12, 2, 9, 1, tzinfo=BERLIN)
    assert not editions.is_due(weekly, wednesday - datetime.timedelta(minutes=2))
    assert editions.is_due(weekly, wednesday)


def test_manual_newsletters_are_never_due(settings):
    manual = newsletter_factory(slug="special", cadence="manual")
    assert not editions.is_due(manual, MONDAY_MORNING)


def test_an_edition_holds_the_newest_stories_since_the_last_one(daily, article_factory):
    old = article_factory(headline="Before the window", published_at=_hours_before(30))
    fresh = [article_factory(headline=f"Fresh {n}", published_at=_hours_before(n)) for n in (5, 3, 4, 1)]
    edition = editions.build_edition(daily, now=MONDAY_MORNING)
    assert edition is not None
    ids = list(edition.items.order_by("sort_order").values_list("article_id", flat=True))
    assert ids == [fresh[3].pk, fresh[1].pk, fresh[2].pk]  # newest first, three at most
    assert old.pk not in ids
    daily.refresh_from_db()
    assert daily.covered_until == MONDAY_MORNING


def test_editor_picks_go_first_and_are_used_once(daily, article_factory):
    picked = article_factory(headline="Picked", published_at=_hours_before(20))
    newer = article_factory(headline="Newer", published_at=_hours_before(1))
    NewsletterPick.objects.create(newsletter=daily, article=picked, sort_order=0)
    edition = editions.build_edition(daily, now=MONDAY_MORNING)
    assert edition is not None
    assert list(edition.items.order_by("sort_order").values_list("article_id", flat=True))[:2] == [picked.pk, newer.pk]
    assert not NewsletterPick.objects.exists()


def test_only_the_chosen_sections_are_taken(daily, article_factory):
    sport = SectionPage.objects.get(slug="sport")
    daily.sections.set([sport])
    article_factory(headline="Local story", section="local", published_at=_hours_before(2))
    match = article_factory(headline="Match report", section="sport", published_at=_hours_before(3))
    edition = editions.build_edition(daily, now=MONDAY_MORNING)
    assert edition is not None
    assert list(edition.items.values_list("article_id", flat=True)) == [match.pk]


def test_nothing_new_makes_no_edition_but_moves_the_window(daily, article_factory):
    article_factory(headline="Old news", published_at=_hours_before(50))
    assert editions.build_edition(daily, now=MONDAY_MORNING) is None
    assert not Edition.objects.exists()
    daily.refresh_from_db()
    assert daily.covered_until == MONDAY_MORNING


def test_an_operator_send_falls_back_to_the_newest_stories(daily, article_factory):
    story = article_factory(headline="Old news", published_at=_hours_before(50))
    edition = editions.build_edition(daily, now=MONDAY_MORNING, newest_if_empty=True)
    assert edition is not None
    assert list(edition.items.values_list("article_id", flat=True)) == [story.pk]


def test_a_draft_never_goes_into_an_edition(daily, article_factory):
    draft = article_factory(headline="Not yet", published_at=_hours_before(1))
    draft.unpublish()
    assert editions.build_edition(daily, now=MONDAY_MORNING) is None


def test_editions_of_one_day_get_their_own_addresses(daily, article_factory):
    article_factory(headline="Morning", published_at=_hours_before(1))
    first = editions.build_edition(daily, now=MONDAY_MORNING)
    assert first is not None
    article_factory(headline="Later", published_at=MONDAY_MORNING + datetime.timedelta(minutes=5))
    second = editions.build_edition(daily, now=MONDAY_MORNING + datetime.timedelta(minutes=10))
    assert second is not None
    assert (first.web_key, second.web_key) == ("2026-11-30", "2026-11-30-2")
    assert second.get_absolute_url() == "/newsletters/daily/2026-11-30-2/"


def test_an_alert_goes_out_once_per_story(article_factory, settings):
    alerts = newsletter_factory(slug="alerts", cadence="on_publish", breaking_tag="breaking")
    story = article_factory(headline="Bridge closed", tags=["breaking"], published_at=MONDAY_MORNING)
    assert editions.alert_newsletters(story) == [alerts]
    first = editions.build_alert(alerts, story, now=MONDAY_MORNING + datetime.timedelta(minutes=1))
    assert first is not None and first.subject == "Bridge closed"
    assert editions.build_alert(alerts, story, now=MONDAY_MORNING + datetime.timedelta(minutes=2)) is None


def test_an_old_story_published_now_is_not_breaking(article_factory):
    alerts = newsletter_factory(slug="alerts", cadence="on_publish", breaking_tag="breaking")
    story = article_factory(headline="From the archive", tags=["breaking"], published_at=_hours_before(48))
    assert editions.build_alert(alerts, story, now=MONDAY_MORNING) is None


def test_a_story_outside_the_alert_sections_and_tag_sends_nothing(article_factory):
    alerts = newsletter_factory(slug="alerts", cadence="on_publish", breaking_tag="breaking")
    alerts.sections.set([SectionPage.objects.get(slug="sport")])
    story = article_factory(headline="Council budget", section="local", tags=["budget"], published_at=MONDAY_MORNING)
    assert editions.alert_newsletters(story) == []
