"""Parts of article pages kept rendered between renders: what must change them, and what must never be kept."""

import datetime
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import User
from django.template import Context, Template
from django.test import Client
from django.utils import timezone

from newsdesk.articles.models import Author
from newsdesk.comments.factories import CommentFactory
from newsdesk.comments.models import Comment
from newsdesk.comments.services import moderate
from newsdesk.core import fragments
from newsdesk.pages import teasers as teaser_cache

pytestmark = pytest.mark.django_db


def titles(page, name):
    return [t.get_text(strip=True) for t in page.select(f".list-block--{name} .teaser__title")]


def body_text(page):
    return page.select_one(".story__body").get_text(" ", strip=True)


def test_an_unpublished_article_leaves_every_list_of_a_kept_page_at_once(client, article_factory, soup):
    leaving = article_factory(headline="Soon withdrawn", tags=["city"])
    reading = article_factory(headline="Being read", tags=["city"])
    before = soup(client.get(reading.url))
    assert "Soon withdrawn" in titles(before, "latest")
    leaving.unpublish()
    after = soup(client.get(reading.url))
    for name in ("latest", "must-read", "more-articles"):
        assert "Soon withdrawn" not in titles(after, name)


def test_an_expired_article_leaves_kept_lists_before_the_scheduler_unpublishes_it(
    client, article_factory, soup, monkeypatch
):
    expiring = article_factory(headline="Runs out")
    expiring.expire_at = timezone.now() + datetime.timedelta(hours=1)
    expiring.save()
    reading = article_factory(headline="Still here")
    assert "Runs out" in titles(soup(client.get(reading.url)), "latest")
    later = (timezone.now() + datetime.timedelta(hours=2)).timestamp()
    # Only the lists' clock moves: the kept lists themselves are still in the cache.
    monkeypatch.setattr(teaser_cache, "time", SimpleNamespace(time=lambda: later))
    assert "Runs out" not in titles(soup(client.get(reading.url)), "latest")
    assert expiring.live


def test_a_published_comment_shows_on_a_kept_page_with_its_count(
    client, article_factory, soup, django_capture_on_commit_callbacks
):
    story = article_factory(headline="Talked about")
    held = CommentFactory.create(article=story, status=Comment.Status.PENDING, body="Held words")
    assert not soup(client.get(story.url)).select(".comment")
    with django_capture_on_commit_callbacks(execute=True):
        moderate(held, Comment.Status.APPROVED)
    page = soup(client.get(story.url))
    assert [c.select_one(".comment__body").get_text(strip=True) for c in page.select(".comment")] == ["Held words"]
    assert page.select_one(".comments__count").get_text(strip=True) == "1 comment"


def test_renaming_an_author_shows_on_kept_pages_without_republishing(client, article_factory, soup):
    story = article_factory(authors=["Old Name"])
    assert "Old Name" in soup(client.get(story.url)).select_one(".byline").get_text()
    author = Author.objects.get(name="Old Name")
    author.name = "New Name"
    author.save()
    page = soup(client.get(story.url))
    assert "New Name" in page.select_one(".byline").get_text()
    assert "New Name" in page.select_one(".author-box__name").get_text()


def test_republishing_shows_the_new_body(client, article_factory, soup):
    story = article_factory(body=["First words."])
    assert body_text(soup(client.get(story.url))) == "First words."
    story.body = [("paragraph", "<p>Second words.</p>")]
    story.save_revision().publish()
    assert body_text(soup(client.get(story.url))) == "Second words."


def test_a_preview_is_never_kept_nor_served_from_kept_parts(client, article_factory, soup):
    story = article_factory(headline="Live headline", body=["Live words."])
    client.get(story.url)  # the live parts are kept now
    editor = Client()
    editor.force_login(User.objects.create_superuser("editor", "editor@example.org", "pw"))
    story.title = "Draft headline"
    story.body = [("paragraph", "<p>Draft words.</p>")]
    story.save_revision()
    preview = soup(editor.get(f"/admin/pages/{story.pk}/view_draft/"))
    assert preview.h1.get_text() == "Draft headline"
    assert body_text(preview) == "Draft words."
    live = soup(client.get(story.url))
    assert live.h1.get_text() == "Live headline"
    assert body_text(live) == "Live words."
    assert b"Draft" not in client.get(story.url).content


def test_a_part_without_a_key_is_rendered_every_time():
    template = Template("{% load fragment_tags %}{% cachedpart key 'x' %}{{ n }}{% endcachedpart %}")
    assert [template.render(Context({"key": None, "n": n})) for n in (1, 2)] == ["1", "2"]
    assert [template.render(Context({"key": "k-unkept", "n": n})) for n in (1, 2)] == ["1", "1"]


def test_a_new_generation_is_started_now_and_again_after_commit(django_capture_on_commit_callbacks):
    first = fragments.generation(fragments.LISTS)
    with django_capture_on_commit_callbacks() as callbacks:
        fragments.bump(fragments.LISTS)
        during = fragments.generation(fragments.LISTS)
    assert during != first
    for callback in callbacks:
        callback()
    assert fragments.generation(fragments.LISTS) not in (first, during)


def test_creating_a_sites_default_settings_row_keeps_the_generations(article_factory):
    from wagtail.models import Site

    from newsdesk.comments.models import CommentSettings

    site = Site.objects.get(is_default_site=True)
    CommentSettings.objects.filter(site=site).delete()
    before = fragments.generations(fragments.LISTS, fragments.ARTICLES)
    CommentSettings.for_site(site)
    assert fragments.generations(fragments.LISTS, fragments.ARTICLES) == before


def links_of(page, css):
    return [a.get_text(" ", strip=True) for a in page.select(css)]


def test_an_article_made_private_leaves_kept_lists_and_neighbour_links(client, article_factory, soup, sections):
    from wagtail.models import PageViewRestriction

    going = article_factory(headline="Soon private", section="world")
    reading = article_factory(headline="Next door")
    before = soup(client.get(reading.url))
    assert "Soon private" in titles(before, "latest")
    assert any("Soon private" in text for text in links_of(before, ".prev-next a"))
    PageViewRestriction.objects.create(page=sections["world"], restriction_type=PageViewRestriction.LOGIN)
    after = soup(client.get(reading.url))
    assert "Soon private" not in titles(after, "latest")
    assert not any("Soon private" in text for text in links_of(after, ".prev-next a"))
    assert client.get(going.url).status_code == 404


def test_an_expired_neighbour_leaves_the_previous_next_links(client, article_factory, soup, monkeypatch):
    from newsdesk.articles import selectors

    older = article_factory(headline="Older and expiring")
    older.expire_at = timezone.now() + datetime.timedelta(hours=1)
    older.save()
    reading = article_factory(headline="Newer one")
    assert any("Older and expiring" in t for t in links_of(soup(client.get(reading.url)), ".prev-next a"))
    later = (timezone.now() + datetime.timedelta(hours=2)).timestamp()
    monkeypatch.setattr(selectors, "time", SimpleNamespace(time=lambda: later))
    # The kept links know their expiry and are worked out again (the database's clock
    # has not moved, so the same article comes back: the point is that they were not trusted).
    calls = []
    real = selectors.neighbour_articles

    def counted_neighbour_articles(article):
        calls.append(article.pk)
        return real(article)

    monkeypatch.setattr(selectors, "neighbour_articles", counted_neighbour_articles)
    client.get(reading.url)
    assert calls == [reading.pk]


def test_kept_head_parts_name_the_host_each_reader_asked_for(article_factory, soup, settings):
    story = article_factory(headline="Two hosts")
    first = soup(Client(HTTP_HOST="localhost").get(story.url)).select_one("link[rel=canonical]")["href"]
    second = soup(Client(HTTP_HOST="127.0.0.1").get(story.url)).select_one("link[rel=canonical]")["href"]
    assert first.startswith("http://localhost/")
    assert second.startswith("http://127.0.0.1/")


def test_a_deleted_lead_image_leaves_kept_teasers(client, article_factory, soup):
    pictured = article_factory(headline="With a picture", with_image=True)
    reading = article_factory(headline="Reader's page")

    def pictured_teaser():
        page = soup(client.get(reading.url))
        return next(t for t in page.select(".list-block--latest .teaser") if "With a picture" in t.get_text())

    assert pictured_teaser().select_one("img") is not None
    pictured.lead_image.delete()
    assert pictured_teaser().select_one("img") is None


def test_moving_a_private_section_keeps_its_articles_private(client, article_factory, sections):
    from wagtail.models import PageViewRestriction

    story = article_factory(headline="Behind the login", section="world")
    PageViewRestriction.objects.create(page=sections["world"], restriction_type=PageViewRestriction.LOGIN)
    assert client.get(story.url).status_code == 404
    # Reordering the menu moves the section in the tree: its path changes.
    sections["world"].move(sections["world"].get_parent(), pos="last-child")
    assert client.get(story.url).status_code == 404


def test_a_second_site_gets_its_own_kept_links(article_factory, soup):
    from wagtail.models import Page, Site

    story = article_factory(headline="Seen from two sites", section="local")
    default = Site.objects.get(is_default_site=True)
    other_root = Page.get_first_root_node().add_child(instance=Page(title="Other site", slug="other-site"))
    Site.objects.create(hostname="other.example", port=80, root_page=other_root)

    def section_link(host):
        page = soup(Client(HTTP_HOST=host).get(story.url))
        return page.select_one(".breadcrumbs a[href$='/local/']")["href"]

    assert section_link(default.hostname) == "/local/"
    # From the other site the section lives on another host, so the link must name it.
    assert section_link("other.example") == f"http://{default.hostname}/local/"


def test_previewing_a_draft_that_was_never_published(article_factory, soup):
    story = article_factory(headline="Never out yet")
    story.unpublish()
    type(story).objects.filter(pk=story.pk).update(first_published_at=None, last_published_at=None)
    editor = Client()
    editor.force_login(User.objects.create_superuser("drafter", "drafter@example.org", "pw"))
    response = editor.get(f"/admin/pages/{story.pk}/view_draft/")
    assert response.status_code == 200
    assert soup(response).h1.get_text() == "Never out yet"


def test_a_site_added_for_a_host_is_found_at_once_though_the_answer_was_kept(sections, rf):
    from wagtail.models import Page, Site

    from newsdesk.core.sites import site_for_request

    default = Site.objects.get(is_default_site=True)
    assert site_for_request(rf.get("/", HTTP_HOST="other.example")) == default
    other_root = Page.get_first_root_node().add_child(instance=Page(title="Other site", slug="other-site"))
    added = Site.objects.create(hostname="other.example", port=80, root_page=other_root)
    assert site_for_request(rf.get("/", HTTP_HOST="other.example")) == added
