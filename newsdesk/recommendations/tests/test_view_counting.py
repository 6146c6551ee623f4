import datetime

import pytest
from django.utils import timezone

from newsdesk.core.visitors import is_bot
from newsdesk.recommendations.models import ArticleViews
from newsdesk.recommendations.services import flush_view_counts, record_view

READER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
pytestmark = pytest.mark.django_db


def view(article_id: int, *, addr: str = "198.51.100.7", ua: str = READER_UA, now=None) -> bool:
    return record_view(article_id=article_id, remote_addr=addr, user_agent=ua, now=now)


def total_views(article) -> int:
    return sum(ArticleViews.objects.filter(article=article).values_list("views", flat=True))


def test_a_view_is_counted_once_flushed(article_factory):
    story = article_factory()
    assert view(story.pk)
    assert flush_view_counts() == 1
    assert total_views(story) == 1


@pytest.mark.usefixtures("frozen_now")  # the five views fall in one hour and one day, on any machine
def test_the_same_reader_counts_once_per_hour(article_factory):
    story = article_factory()
    for _ in range(5):
        view(story.pk)
    flush_view_counts()
    assert total_views(story) == 1


def test_different_readers_each_count(article_factory):
    story = article_factory()
    view(story.pk, addr="198.51.100.1")
    view(story.pk, addr="198.51.100.2")
    view(story.pk, addr="198.51.100.1", ua=READER_UA + " Edge")
    flush_view_counts()
    assert total_views(story) == 3


def test_the_same_reader_counts_again_after_an_hour(article_factory):
    story = article_factory()
    now = timezone.now()
    assert view(story.pk, now=now)
    from django.core.cache import cache

    cache.clear()  # the one-hour dedupe key has expired
    assert view(story.pk, now=now + datetime.timedelta(hours=1))
    flush_view_counts()
    assert total_views(story) == 2
    assert ArticleViews.objects.filter(article=story).count() == 2


@pytest.mark.parametrize(
    "agent",
    [
        "",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "facebookexternalhit/1.1",
        "curl/8.5.0",
        "python-requests/2.32",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/131.0 Safari/537.36",
        "   ",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "Mozilla/5.0 (compatible; GPTBot/1.2; +https://openai.com/gptbot)",
        "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
        "WhatsApp/2.23.20.0",
        "python-httpx/0.28.1",
        "Go-http-client/1.1",
        "Mozilla/5.0 (compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)",
    ],
)
def test_bots_are_not_counted(agent):
    assert is_bot(agent)


@pytest.mark.parametrize(
    "agent",
    [
        READER_UA,
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.0 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 "
        "Safari/537.36 Edg/131.0.0.0",
        "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.39 "
        "Mobile Safari/537.36",
        # Facebook's in-app browser is a reader (unlike facebookexternalhit, its link previewer).
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Mobile/15E148 [FBAN/FBIOS;FBAV/440.0.0.36.105;]",
    ],
)
def test_a_browser_is_not_a_bot(agent):
    assert not is_bot(agent)


def test_a_bot_view_is_not_counted(article_factory):
    story = article_factory()
    assert not view(story.pk, ua="Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")
    assert flush_view_counts() == 0
    assert total_views(story) == 0


def test_counting_a_view_writes_nothing_to_the_database(article_factory, django_assert_num_queries):
    story = article_factory()
    with django_assert_num_queries(0):
        view(story.pk)


def test_flush_adds_to_the_hour_already_written(article_factory):
    story = article_factory()
    view(story.pk, addr="198.51.100.1")
    flush_view_counts()
    view(story.pk, addr="198.51.100.2")
    flush_view_counts()
    assert list(ArticleViews.objects.filter(article=story).values_list("views", flat=True)) == [2]


def test_flush_ignores_views_of_unknown_articles():
    view(987654)
    assert flush_view_counts() == 0
    assert not ArticleViews.objects.exists()


def test_the_beacon_answers_204_and_counts(client, article_factory):
    story = article_factory()
    response = client.post(f"/stats/views/{story.pk}/", HTTP_USER_AGENT=READER_UA)
    assert response.status_code == 204
    assert response["Cache-Control"] == "no-store"
    flush_view_counts()
    assert total_views(story) == 1


def test_the_beacon_refuses_get(client, article_factory):
    story = article_factory()
    assert client.get(f"/stats/views/{story.pk}/", HTTP_USER_AGENT=READER_UA).status_code == 405


def test_a_forged_forwarded_for_does_not_make_a_new_reader(client, article_factory):
    story = article_factory()
    for forged in ("203.0.113.1", "203.0.113.2", "203.0.113.3"):
        client.post(f"/stats/views/{story.pk}/", HTTP_USER_AGENT=READER_UA, HTTP_X_FORWARDED_FOR=forged)
    flush_view_counts()
    assert total_views(story) == 1


def test_the_article_page_carries_the_beacon_script(client, article_factory, soup):
    story = article_factory()
    page = soup(client.get(story.url))
    assert page.select_one("[data-view-beacon]")["data-view-beacon"] == f"/stats/views/{story.pk}/"
    script = page.select_one("head script[src$='js/views.js']")
    assert script.has_attr("defer")
