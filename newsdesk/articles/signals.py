"""Cache invalidation wired to Wagtail's page signals (no side effects in save())."""

from typing import Any

from django.db.models import Q
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from taggit.models import Tag
from wagtail.contrib.settings.models import BaseSiteSetting
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from newsdesk.core import fragments, page_cache

from .models import ArticlePage, Author, AuthorLink, InformationPage, SectionPage
from .navigation import forget_nav_sections
from .purges import api_article_paths, former_paths, purge_article
from .services import date_tag_rows, list_in_sections


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def restriction_changed(instance: PageViewRestriction, **kwargs: Any) -> None:
    """A page went private or public: lists, kept parts and stored copies may show it wrongly.

    The list of private paths is kept under the ARTICLES generation
    (models.restricted_page_paths), so the new generation drops it in every process.
    """
    fragments.bump(fragments.LISTS, fragments.ARTICLES)
    # Which stored pages listed the restricted ones is not known: every copy in the
    # app goes, and CDNs are told about the articles' own pages (their lists expire
    # with s-maxage).
    page_cache.purge_all(hard=True)
    path = instance.page.path
    under = ArticlePage.objects.filter(Q(path__startswith=path) | Q(primary_section__path__startswith=path))
    page_cache.purge_paths(
        [article.dated_path() or "" for article in under.only("slug", "first_published_at")], hard=True
    )


@receiver(page_published)
@receiver(page_unpublished)
@receiver(page_slug_changed)
@receiver(post_page_move)
@receiver(post_delete, sender=SectionPage)
def forget_section_menu(sender: type[Page], instance: Page, **kwargs: Any) -> None:
    if isinstance(instance.specific_deferred, SectionPage):
        forget_nav_sections()


@receiver(page_published, sender=ArticlePage)
def date_list_rows(sender: type[ArticlePage], instance: ArticlePage, **kwargs: Any) -> None:
    """The rows tag and section pages list by take the published revision's tags and sections
    and the article's publication time (models.ArticleTag, models.SectionListing)."""
    date_tag_rows([instance.pk])
    list_in_sections([instance.pk])


# --- Page cache purges (newsdesk/core/page_cache.py) -----------------------------------
# Publishing and moving turn the copies stale (readers get them while one worker
# re-renders); unpublishing, deleting and a slug's old address are hard purges, so a
# removed article is never served again, not even stale.


@receiver(page_published)
def purge_published_page(sender: type[Page], instance: Page, **kwargs: Any) -> None:
    _purge_page(instance.specific_deferred, hard=False)


@receiver(post_page_move)
def purge_moved_page(sender: type[Page], instance: Page, url_path_before: str = "", **kwargs: Any) -> None:
    # Tree paths change: the kept list of private paths, and links, must be worked out again.
    page = instance.specific_deferred
    if isinstance(page, InformationPage) and url_path_before:
        # A plain page is served at its tree path: the old addresses (its children's too) are gone.
        page_cache.purge_paths(former_paths(page, url_path_before=url_path_before), hard=True)
    _purge_page(page, hard=False, address_changed=True)


@receiver(page_unpublished)
def purge_unpublished_page(sender: type[Page], instance: Page, **kwargs: Any) -> None:
    _purge_page(instance.specific_deferred, hard=True)


@receiver(pre_delete, sender=ArticlePage)
@receiver(pre_delete, sender=SectionPage)
def purge_deleted_page(
    sender: type[ArticlePage | SectionPage], instance: ArticlePage | SectionPage, **kwargs: Any
) -> None:
    # pre_delete: the byline, tags and sections are still there to say what showed it.
    _purge_page(instance, hard=True)


@receiver(page_slug_changed)
def purge_old_address(sender: type[Page], instance: Page, instance_before: Page, **kwargs: Any) -> None:
    before = instance_before.specific_deferred
    if isinstance(before, ArticlePage):
        page_cache.purge_paths([before.dated_path() or "", *api_article_paths(before)], hard=True)
    elif isinstance(before, InformationPage):
        page_cache.purge_paths(former_paths(instance.specific_deferred, url_path_before=before.url_path), hard=True)
    _purge_page(instance.specific_deferred, hard=False, address_changed=True)


def _purge_page(page: Page, *, hard: bool, address_changed: bool = False) -> None:
    # Teaser lists show which articles are published. Articles' kept parts show
    # sections (titles, addresses) and link to other articles in their bodies, so
    # they go too when a section changes or an article's address stops working.
    removed = hard or address_changed or not isinstance(page, ArticlePage)
    fragments.bump(fragments.LISTS, *([fragments.ARTICLES] if removed else []))
    if isinstance(page, ArticlePage):
        purge_article(page, hard=hard)
        if hard:
            # Any page may list a removed article (Latest, Must read, More articles,
            # previous/next): every copy turns stale, so none keeps its title for
            # minutes. Soft: a page is served stale only while it is rendered again.
            page_cache.purge_all()
    elif isinstance(page, SectionPage):
        # Every page's menu lists the sections.
        page_cache.purge_all(hard=hard)
    else:
        parts = page.get_url_parts()
        paths = [parts[2]] if parts else []
        if isinstance(page, InformationPage):
            paths += ["/sitemap.xml", "/sitemap-pages.xml"]
        page_cache.purge_paths(paths, hard=hard)


# --- What changes the ARTICLES generation ------------------------------------------------
# Things an article's kept parts show that are not part of its revision. Site
# settings (SEO, comments, ads...) are covered by their common base class.


def _watched(sender: type) -> bool:
    return issubclass(sender, (BaseSiteSetting, Site, Author, AuthorLink, Tag, get_image_model()))


@receiver(post_save)
@receiver(post_delete)
def forget_kept_parts(sender: object, created: bool = False, **kwargs: Any) -> None:
    if not (isinstance(sender, type) and _watched(sender)):
        return
    if created and issubclass(sender, BaseSiteSetting):
        # A site's settings row is made with its defaults the first time a page reads
        # it: nothing shown changes (the editor's first save is an update).
        return
    # Teasers show images; the section menu and site lookups are keyed by ARTICLES too.
    fragments.bump(fragments.LISTS, fragments.ARTICLES)
