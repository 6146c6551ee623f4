"""Which paths show an article (purges.py); what each change purges and which generations it starts (signals.py)."""

import datetime
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import User
from django.core.files.images import ImageFile
from taggit.models import Tag
from wagtail.images.models import Image
from wagtail.models import Page, PageViewRestriction, Site

from newsdesk.articles.factories import make_image
from newsdesk.articles.models import ArticlePage, Author, AuthorLink, HomePage
from newsdesk.articles.purges import SITE_WIDE_PATHS, article_paths, page_path, purge_article
from newsdesk.core import fragments, page_cache
from newsdesk.core.models import SiteSettings

pytestmark = pytest.mark.django_db


@dataclass
class Purges:
    """What was purged: (paths, hard) per `purge_paths` call, and `hard` per `purge_all` call."""

    paths: list[tuple[frozenset[str], bool]] = field(default_factory=list)
    everything: list[bool] = field(default_factory=list)

    def clear(self) -> None:
        self.paths.clear()
        self.everything.clear()

    def hard_paths(self) -> set[str]:
        return {path for paths, hard in self.paths if hard for path in paths}

    def soft_paths(self) -> set[str]:
        return {path for paths, hard in self.paths if not hard for path in paths}


@pytest.fixture
def purges(monkeypatch):
    recorded = Purges()

    def purge_paths(paths, *, hard=False):
        recorded.paths.append((frozenset(paths), hard))

    monkeypatch.setattr(page_cache, "purge_paths", purge_paths)
    monkeypatch.setattr(page_cache, "purge_all", lambda *, hard=False: recorded.everything.append(hard))
    return recorded


def generations():
    return dict(zip(("lists", "articles"), fragments.generations(fragments.LISTS, fragments.ARTICLES), strict=True))


def changed_generations(before):
    now = generations()
    return {name for name in before if before[name] != now[name]}


@pytest.fixture
def story(article_factory, sections):
    article = article_factory(
        headline="Harbour bridge reopens", section="world", authors=["Ada Reporter", "Ben Writer"], tags=["harbour"]
    )
    article.extra_sections.add(sections["local"])
    article.save_revision().publish()
    return ArticlePage.objects.get(pk=article.pk)


def feeds(kind, slug):
    return {f"/feeds/{kind}/{slug}/rss/", f"/feeds/{kind}/{slug}/atom/"}


# --- article_paths and purge_article --------------------------------------------


def test_article_paths_name_every_page_and_feed_that_shows_the_article(story):
    assert article_paths(story) == (
        SITE_WIDE_PATHS
        | {story.dated_path(), "/world/", "/local/", "/articles/", "/tags/harbour/"}
        | {"/authors/ada-reporter/", "/authors/ben-writer/"}
        | {f"/api/v1/articles/{story.pk}/", f"/api/v1/articles{story.dated_path()}"}
        | {f"/sitemap-articles-{story.publication_date():%Y-%m}.xml"}
        | feeds("sections", "world")
        | feeds("sections", "local")
        | feeds("tags", "harbour")
        | feeds("authors", "ada-reporter")
        | feeds("authors", "ben-writer")
    )


def test_site_wide_paths_are_home_feeds_and_sitemaps():
    assert {"/", "/feeds/rss/", "/feeds/atom/", "/sitemap.xml", "/news-sitemap.xml"} <= SITE_WIDE_PATHS
    assert {"/sitemap-sections.xml", "/sitemap-authors.xml", "/sitemap-tags.xml"} <= SITE_WIDE_PATHS


def test_an_article_purges_the_sitemap_of_the_month_of_its_address(story):
    # The site's local month, like the dated address: 23:30 UTC on 31 May is 1 June in Berlin.
    story.first_published_at = datetime.datetime(2026, 5, 31, 23, 30, tzinfo=datetime.UTC)
    assert "/sitemap-articles-2026-06.xml" in article_paths(story)


def test_an_article_never_published_has_no_address_of_its_own(story):
    draft = ArticlePage(title="Draft", slug="draft", first_published_at=None)
    assert draft.dated_path() is None
    assert article_paths(draft) == SITE_WIDE_PATHS | {"/articles/"}


def test_a_page_outside_every_site_has_no_path(sections):
    assert page_path(Page.get_first_root_node()) == set()


def test_purge_article_is_soft_for_a_live_article(story, purges):
    purge_article(story)
    assert purges.paths == [(frozenset(article_paths(story)), False)]


def test_purge_article_is_hard_for_an_article_no_longer_live(story, purges):
    story.live = False
    purge_article(story)
    assert purges.paths == [(frozenset(article_paths(story)), True)]


def test_purge_article_can_be_made_hard_for_a_live_article(story, purges):
    purge_article(story, hard=True)
    assert purges.paths[0][1] is True


# --- page signals -----------------------------------------------------------------


def test_publishing_an_article_purges_its_pages_softly_and_starts_new_lists(story, purges):
    before = generations()
    story.title = "Harbour bridge reopens at last"
    story.save_revision().publish()
    assert changed_generations(before) == {"lists"}
    assert purges.soft_paths() == article_paths(story)
    assert purges.hard_paths() == set()
    assert purges.everything == []


def test_unpublishing_an_article_purges_its_pages_hard_and_every_page_softly(story, purges):
    before = generations()
    paths = article_paths(story)
    story.unpublish()
    assert changed_generations(before) == {"lists", "articles"}
    assert purges.hard_paths() == paths
    assert purges.everything == [False]


def test_a_new_slug_purges_the_old_address_hard(story, purges, django_capture_on_commit_callbacks):
    old = story.dated_path()
    before = generations()
    story.slug = "bridge-reopens"
    with django_capture_on_commit_callbacks(execute=True):  # Wagtail sends page_slug_changed after commit
        story.save_revision().publish()
    assert {old, f"/api/v1/articles{old}"} <= purges.hard_paths()
    assert story.dated_path() != old
    assert story.dated_path() in purges.soft_paths()
    assert changed_generations(before) == {"lists", "articles"}


def test_deleting_an_article_purges_everything_that_showed_it_hard(story, purges):
    paths = article_paths(story)
    before = generations()
    story.delete()
    assert paths <= purges.hard_paths()
    assert changed_generations(before) == {"lists", "articles"}


def test_publishing_a_section_purges_every_page(sections, purges):
    before = generations()
    sections["sport"].title = "Sports"
    sections["sport"].save_revision().publish()
    assert purges.everything == [False]
    assert purges.paths == []
    assert changed_generations(before) == {"lists", "articles"}


def test_unpublishing_a_section_purges_every_page_hard(sections, purges):
    sections["sport"].unpublish()
    assert purges.everything == [True]


def test_moving_a_section_purges_every_page_and_starts_new_generations(sections, purges):
    before = generations()
    sections["sport"].move(sections["world"], pos="left")
    assert purges.everything == [False]
    assert changed_generations(before) == {"lists", "articles"}


def test_publishing_the_home_page_purges_its_own_address(sections, purges):
    home = HomePage.objects.get()
    home.save_revision().publish()
    assert purges.paths == [(frozenset({"/"}), False)]
    assert purges.everything == []


def test_saving_an_article_without_publishing_purges_nothing(story, purges):
    before = generations()
    story.title = "Draft change"
    story.save_revision()
    story.save()
    assert purges.paths == purges.everything == []
    assert changed_generations(before) == set()


# --- view restrictions ------------------------------------------------------------


def test_restricting_a_section_purges_its_articles_hard(story, article_factory, sections, purges):
    other = article_factory(headline="Elsewhere", section="sport")
    purges.clear()
    before = generations()
    PageViewRestriction.objects.create(page=sections["world"], restriction_type=PageViewRestriction.LOGIN)
    assert changed_generations(before) == {"lists", "articles"}
    assert purges.everything == [True]
    assert purges.hard_paths() == {story.dated_path()}
    assert other.dated_path() not in purges.hard_paths()


def test_lifting_a_restriction_purges_the_article_hard(story, purges):
    restriction = PageViewRestriction.objects.create(page=story, restriction_type=PageViewRestriction.LOGIN)
    purges.clear()
    before = generations()
    restriction.delete()
    assert changed_generations(before) == {"lists", "articles"}
    assert purges.everything == [True]
    assert purges.hard_paths() == {story.dated_path()}


# --- what an article's kept parts show besides its revision ------------------------------


def test_renaming_an_author_starts_new_generations(story):
    before = generations()
    Author.objects.filter(slug="ada-reporter").get().save()
    assert changed_generations(before) == {"lists", "articles"}


def test_an_author_link_starts_new_generations(story):
    before = generations()
    AuthorLink.objects.create(author=Author.objects.get(slug="ada-reporter"), label="Site", url="https://ada.example")
    assert changed_generations(before) == {"lists", "articles"}


def test_deleting_a_tag_starts_new_generations(story):
    before = generations()
    Tag.objects.get(name="harbour").delete()
    assert changed_generations(before) == {"lists", "articles"}


def test_a_new_image_starts_new_generations(sections, tmp_path):
    picture = make_image(tmp_path / "p.jpg", seed=1, colour=(1, 2, 3), size=(40, 30))
    before = generations()
    with picture.open("rb") as handle:
        Image.objects.create(title="P", file=ImageFile(handle, name="p.jpg"))
    assert changed_generations(before) == {"lists", "articles"}


def test_changing_the_site_starts_new_generations(sections):
    site = Site.objects.get(is_default_site=True)
    before = generations()
    site.site_name = "Other name"
    site.save()
    assert changed_generations(before) == {"lists", "articles"}


def test_a_settings_row_made_with_its_defaults_changes_nothing_but_an_edit_does(sections):
    site = Site.objects.get(is_default_site=True)
    SiteSettings.objects.filter(site=site).delete()
    before = generations()
    site_settings = SiteSettings.for_site(site)
    assert changed_generations(before) == set()
    site_settings.full_text_feeds = True
    site_settings.save()
    assert changed_generations(before) == {"lists", "articles"}


def test_models_the_kept_parts_do_not_show_change_nothing(sections):
    before = generations()
    User.objects.create_user("reader")
    assert changed_generations(before) == set()
