"""The months /sitemap.xml lists: a summary kept by jobs, still checked against `published()` when read."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Max
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django_tasks.signals import task_enqueued
from lxml import etree
from wagtail.models import PageViewRestriction

from newsdesk.articles import selectors
from newsdesk.articles.factories import create_article
from newsdesk.articles.models import ArticlePage, SectionPage
from newsdesk.seo.models import SitemapMonth

pytestmark = pytest.mark.django_db

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
MARCH = datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC)
MAY = datetime.datetime(2026, 5, 12, 9, 0, tzinfo=datetime.UTC)
NOW = datetime.datetime(2026, 5, 20, 10, 0, tzinfo=datetime.UTC)


def listed(client):
    """The month files /sitemap.xml lists, as {"2026-05": lastmod}."""
    index = etree.fromstring(client.get("/sitemap.xml").content)
    found = {}
    for entry in index.xpath("//sm:sitemap[contains(sm:loc, 'articles-')]", namespaces=NS):
        name = entry.findtext("sm:loc", namespaces=NS).rsplit("articles-", 1)[1].removesuffix(".xml")
        lastmod = entry.findtext("sm:lastmod", namespaces=NS)
        found[name] = datetime.datetime.fromisoformat(lastmod) if lastmod else None
    return found


def from_the_articles():
    """What the index must say, worked out from every published article."""
    rows = (
        selectors.published_articles()
        .annotate(month=TruncMonth("first_published_at"))
        .values("month")
        .annotate(newest=Max("last_published_at"))
    )
    return {f"{row['month']:%Y-%m}": row["newest"] for row in rows}


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Runs what the block's commits enqueue (the test backend runs a job when it is enqueued)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def march_and_may(article_factory, committed, time_machine):
    time_machine.move_to(NOW, tick=False)
    with committed():
        return {
            "march": article_factory(headline="In March", section="local", published_at=MARCH),
            "may": article_factory(headline="In May", section="world", published_at=MAY),
            "later in may": article_factory(
                headline="Later in May", section="world", published_at=MAY + datetime.timedelta(days=1)
            ),
        }


@pytest.mark.time_machine(NOW, tick=False)
def test_publishing_into_a_new_month_lists_it_dated_by_the_article(client, article_factory, committed):
    with committed():
        article_factory(headline="In March", published_at=MARCH)
    assert listed(client) == {"2026-03": MARCH}


def test_the_index_lists_exactly_the_months_with_published_articles(client, march_and_may):
    assert listed(client) == from_the_articles() == {"2026-05": MAY + datetime.timedelta(days=1), "2026-03": MARCH}


def test_a_month_is_dated_by_its_most_recent_change(client, march_and_may, committed):
    with committed():
        revision = march_and_may["may"].save_revision()
        revision.publish()
    changed = ArticlePage.objects.get(pk=march_and_may["may"].pk).last_published_at
    assert listed(client)["2026-05"] == changed == NOW


def test_unpublishing_the_last_article_of_a_month_drops_it(client, march_and_may, committed):
    with committed():
        march_and_may["march"].unpublish()
    assert listed(client) == from_the_articles()
    assert "2026-03" not in listed(client)
    assert not SitemapMonth.objects.filter(month=datetime.date(2026, 3, 1)).exists()


def test_unpublishing_one_of_a_months_articles_dates_it_by_the_others(client, march_and_may, committed):
    with committed():
        march_and_may["later in may"].unpublish()
    assert listed(client)["2026-05"] == MAY


def test_deleting_the_last_article_of_a_month_drops_it(client, march_and_may, committed):
    with committed():
        march_and_may["march"].delete()
    assert "2026-03" not in listed(client)
    assert not SitemapMonth.objects.filter(month=datetime.date(2026, 3, 1)).exists()


def expire(article, at):
    article.expire_at = at
    article.save_revision().publish()


def test_a_month_whose_articles_have_all_expired_leaves_the_index_before_the_scheduler_runs(
    client, march_and_may, committed, time_machine
):
    with committed():
        expire(march_and_may["march"], NOW + datetime.timedelta(hours=1))
    time_machine.move_to(NOW + datetime.timedelta(hours=2), tick=False)
    assert listed(client) == from_the_articles() == {"2026-05": MAY + datetime.timedelta(days=1)}
    assert client.get("/sitemap-articles-2026-03.xml").status_code == 404


def test_a_month_stays_while_one_of_its_articles_has_not_expired(client, march_and_may, committed, time_machine):
    with committed():
        expire(march_and_may["may"], NOW + datetime.timedelta(hours=1))
        expire(march_and_may["later in may"], NOW + datetime.timedelta(days=1))
    time_machine.move_to(NOW + datetime.timedelta(hours=2), tick=False)
    assert "2026-05" in listed(client)


def test_the_scheduler_unpublishing_an_expired_article_drops_its_month(client, march_and_may, committed, time_machine):
    with committed():
        expire(march_and_may["march"], NOW + datetime.timedelta(hours=1))
    time_machine.move_to(NOW + datetime.timedelta(hours=2), tick=False)
    with committed():
        call_command("publish_scheduled", verbosity=0)
    assert not SitemapMonth.objects.filter(month=datetime.date(2026, 3, 1)).exists()


def test_restricting_a_section_drops_the_months_only_it_filled(client, march_and_may, committed):
    with committed():
        PageViewRestriction.objects.create(
            page=SectionPage.objects.get(slug="local"), restriction_type=PageViewRestriction.LOGIN
        )
    assert listed(client) == from_the_articles() == {"2026-05": MAY + datetime.timedelta(days=1)}
    assert set(SitemapMonth.objects.values_list("month", flat=True)) == {datetime.date(2026, 5, 1)}


def test_lifting_a_restriction_lists_the_month_again(client, march_and_may, committed):
    with committed():
        restriction = PageViewRestriction.objects.create(
            page=SectionPage.objects.get(slug="local"), restriction_type=PageViewRestriction.LOGIN
        )
    with committed():
        restriction.delete()
    assert listed(client) == {"2026-05": MAY + datetime.timedelta(days=1), "2026-03": MARCH}


@pytest.mark.time_machine(NOW, tick=False)
def test_hidden_articles_make_no_month(client, committed, request):
    # Draft, scheduled for tomorrow, expired and private: all made now, in May, with nothing else there.
    with committed():
        request.getfixturevalue("hidden_articles")
    assert listed(client) == {}
    assert client.get("/sitemap-articles-2026-05.xml").status_code == 404


@pytest.mark.time_machine(NOW, tick=False)
def test_an_article_scheduled_for_next_month_makes_no_month(client, article_factory, committed):
    with committed():
        article_factory(headline="Embargoed", published_at=NOW + datetime.timedelta(days=14))
    assert listed(client) == {}
    assert not SitemapMonth.objects.exists()


def test_an_article_imported_again_with_another_date_moves_to_that_month(client, march_and_may, committed):
    with committed():
        create_article(external_id=march_and_may["march"].external_id, headline="In March", published_at=MAY)
    assert set(listed(client)) == {"2026-05"} == set(from_the_articles())
    assert set(SitemapMonth.objects.values_list("month", flat=True)) == {datetime.date(2026, 5, 1)}


def test_a_month_listed_before_its_job_ran_is_not_found_without_error(client, march_and_may):
    # An unpublish the job has not caught up with yet: the row is still there.
    ArticlePage.objects.filter(pk=march_and_may["march"].pk).update(live=False)
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    assert "2026-03" in listed(client)
    assert client.get("/sitemap-articles-2026-03.xml").status_code == 404


def test_one_job_refreshes_the_months_a_transaction_touched(march_and_may, committed):
    enqueued = []

    def note(task_result, **kwargs):
        if task_result.task.name == "refresh_sitemap_months":
            enqueued.append(task_result.args)

    task_enqueued.connect(note, weak=False)
    try:
        with committed(), transaction.atomic():
            for article in march_and_may.values():
                article.unpublish()
    finally:
        task_enqueued.disconnect(note)
    assert enqueued == [[["2026-03-01", "2026-05-01"]]]


def test_the_rebuild_command_works_out_every_month_again(client, march_and_may):
    SitemapMonth.objects.filter(month=datetime.date(2026, 3, 1)).delete()
    SitemapMonth.objects.filter(month=datetime.date(2026, 5, 1)).update(articles=99, newest_change_at=None)
    SitemapMonth.objects.create(
        month=datetime.date(2025, 1, 1), starts_at=MARCH, ends_at=MARCH, newest_change_at=None, articles=1
    )
    out = io.StringIO()
    call_command("rebuild_sitemap_months", stdout=out)
    assert out.getvalue() == "2 months with published articles\n"
    assert set(SitemapMonth.objects.values_list("month", "articles", "newest_change_at")) == {
        (datetime.date(2026, 3, 1), 1, MARCH),
        (datetime.date(2026, 5, 1), 2, MAY + datetime.timedelta(days=1)),
    }
    assert listed(client) == from_the_articles()


def test_a_month_starts_and_ends_at_midnight_in_the_sites_time_zone(march_and_may):
    may = SitemapMonth.objects.get(month=datetime.date(2026, 5, 1))
    assert (timezone.localtime(may.starts_at), timezone.localtime(may.ends_at)) == (
        timezone.make_aware(datetime.datetime(2026, 5, 1)),
        timezone.make_aware(datetime.datetime(2026, 6, 1)),
    )
