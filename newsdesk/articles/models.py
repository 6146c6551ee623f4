"""Pages and people of the newsroom: home, sections, articles, plain pages, authors, tags."""

from __future__ import annotations

import datetime
import html
from typing import Any

from django import forms
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from taggit.models import Tag, TaggedItemBase
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, PageManager, PageViewRestriction
from wagtail.query import PageQuerySet
from wagtail.search import index

from newsdesk.core import fragments, page_cache
from newsdesk.core.prepared import Int, PreparedQuery

from .admin_forms import AuthorForm, CorrectionsSettingsForm, PageForm
from .blocks import ArticleBodyBlock, PageBodyBlock
from .reading import reading_time_label

RESTRICTED_PATHS_CACHE_KEY = "newsdesk:restricted-page-paths"


def restricted_page_paths() -> list[str]:
    """Tree paths of pages behind a view restriction, kept until one changes or a page moves.

    Wagtail's own `.public()` asks the database for the restrictions on every call;
    this keeps the hot pages' query count down. Kept in the page cache's store, which
    every web process and the job worker share, under the ARTICLES generation, read
    before the rows: a restriction or a move starts a new one (signals.py), so every
    process stops using the old list at once, and a list read before the change
    committed is never kept under the number the change started.
    """
    key = f"{RESTRICTED_PATHS_CACHE_KEY}:{fragments.generation(fragments.ARTICLES)}"
    paths: list[str] | None = page_cache.store().get_many([key]).get(key)
    if paths is None:
        paths = list(PageViewRestriction.objects.values_list("page__path", flat=True))
        page_cache.store().set(key, paths, 60 * 60)
    return paths


class ArticlePageQuerySet(PageQuerySet):
    def published(
        self, now: datetime.datetime | None = None, private: tuple[str, ...] | None = None
    ) -> ArticlePageQuerySet:
        """The one rule for what readers may see (at `now`, by default the present).

        `private`: the restricted page paths, when the caller has read them already (a
        prepared query keys its SQL on them: core/prepared.py); by default they are read here.

        Live, not behind a view restriction (its own, or its primary section's:
        articles sit under the article index, not under their section, in the
        tree), first published in the past, and not past its expiry even if the
        scheduler has not run yet.
        """
        now = now or timezone.now()
        hidden = Q()
        for path in restricted_page_paths() if private is None else private:
            hidden |= Q(path__startswith=path) | Q(primary_section__path__startswith=path)
        qs = self.live().filter(first_published_at__lte=now).filter(Q(expire_at__isnull=True) | Q(expire_at__gt=now))
        return qs.exclude(hidden) if hidden else qs

    def newest_first(self) -> ArticlePageQuerySet:
        return self.order_by("-first_published_at", "-pk")

    def for_listing(self) -> ArticlePageQuerySet:
        """Only what a teaser shows of the article itself (section, image), in one query."""
        return self.select_related("primary_section", "lead_image").defer_streamfields()


ArticlePageManager = PageManager.from_queryset(ArticlePageQuerySet)

# Wagtail hook through which the layer that assembles reader pages (newsdesk/pages)
# adds what other apps show on a page: lists, comments, recommendations. This app owns
# the page types and their rules and knows no feature app, so it asks, not imports.
PAGE_CONTEXT_HOOK = "newsdesk_page_context"


class ComposedPage:
    """Mixin for page types whose template shows more than the page itself."""

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context(request, *args, **kwargs)  # type: ignore[misc]
        for compose in hooks.get_hooks(PAGE_CONTEXT_HOOK):
            context.update(compose(self, request))
        return context


class HomePage(ComposedPage, Page):
    max_count = 1
    subpage_types = ["articles.SectionPage", "articles.ArticleIndexPage", "articles.InformationPage"]
    parent_page_types = ["wagtailcore.Page"]
    base_form_class = PageForm

    class Meta:
        verbose_name = _("home page")


class SectionPage(ComposedPage, Page):
    intro = models.TextField(
        blank=True, max_length=500, help_text=_("One or two sentences shown under the section name.")
    )

    content_panels = Page.content_panels + [FieldPanel("intro")]
    base_form_class = PageForm
    parent_page_types = ["articles.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("section")


class ArticleIndexPage(ComposedPage, Page):
    """Holds every article in the page tree (slugs are unique among siblings).

    Readers reach articles through their dated URLs; this page lists them all,
    newest first, as an archive.
    """

    max_count = 1
    parent_page_types = ["articles.HomePage"]
    subpage_types = ["articles.ArticlePage"]
    base_form_class = PageForm

    class Meta:
        verbose_name = _("article index")


class InformationPage(ComposedPage, Page):
    """A plain page such as the Impressum, About us or Privacy, at its tree path (/about-us/team/).

    Nests under the home page or another plain page; shows no ads in its body and
    takes no comments.
    """

    intro = models.TextField(
        blank=True, max_length=500, help_text=_("One or two sentences shown under the title; may stay empty.")
    )
    # Empty is allowed: an imported or planned page can exist as a stub before its text is written.
    body = StreamField(PageBodyBlock(), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    base_form_class = PageForm
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["articles.HomePage", "articles.InformationPage"]
    subpage_types = ["articles.InformationPage"]

    class Meta:
        verbose_name = _("page")


class Author(index.Indexed, ClusterableModel):
    name = models.CharField(max_length=120)
    email = models.EmailField(
        blank=True, help_text=_("Where notices of new comments on this author's articles go. Never shown to readers.")
    )
    slug = models.SlugField(
        max_length=120, unique=True, help_text=_("Used in the author page's address: /authors/<slug>/.")
    )
    photo = models.ForeignKey("wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    role = models.CharField(max_length=120, blank=True, help_text=_("e.g. “Politics correspondent”."))
    bio = models.TextField(blank=True, max_length=1000, help_text=_("A short biography shown in the author box."))

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("role"),
        FieldPanel("email"),
        FieldPanel("photo"),
        FieldPanel("bio"),
        InlinePanel("links", label=_("Links")),
    ]
    base_form_class = AuthorForm
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("author")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("author", kwargs={"slug": self.slug})


class AuthorLink(Orderable):
    author = ParentalKey(Author, on_delete=models.CASCADE, related_name="links")
    label = models.CharField(max_length=60, help_text=_("e.g. “Mastodon” or “Website”."))
    url = models.URLField(validators=[URLValidator(schemes=["http", "https"])])

    panels = [FieldPanel("label"), FieldPanel("url")]

    def __str__(self) -> str:
        return self.label


class ArticleTag(TaggedItemBase):
    """An article's tag, with a copy of the article's first publication time.

    A tag page lists its articles newest first. Ordered by the articles' own time, the
    database walked the newest articles of the whole site, probing each for the tag: a
    tag on one article in twenty cost four hundred probes for its first page at 200,000
    articles. With the time on the tag's row, its index gives the tag's newest articles
    directly (selectors.tag_articles). Written when the article is published (signals.py,
    services.date_tag_rows) and by bulk loads. It decides the order, and that a row is
    listed at all (a row without a time is not), never whether an article may be shown:
    tag pages read their articles through `published()`.
    """

    content_object = ParentalKey("articles.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items")
    published_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        indexes = [
            # Only rows with a time: those of articles never published are never listed.
            models.Index(
                fields=["tag", "-published_at", "-content_object"],
                name="article_tag_newest_idx",
                condition=models.Q(published_at__isnull=False),
            )
        ]


class SectionListing(models.Model):
    """One published article in one section's list: its primary section and each extra one.

    A section page lists the articles filed under it and those added to it as an extra
    section. Read from the articles, that list asked for every article of the
    section or in it as an extra (an OR the database cannot walk in time order): at 200,000
    articles, a section's first page read the ids of every article listed in it as an extra
    section, twice. These rows hold the article's first publication time under an index on
    section and time, so a page of the list is that many index entries
    (selectors.section_articles), as a tag's rows are for a tag page (ArticleTag).

    Written whole for an article each time it is published (signals.py,
    services.list_in_sections), by bulk loads and by the migration. Rows decide a section's
    order and which articles it lists, never whether one may be shown: section pages read
    their articles through `published()`.
    """

    # No index of their own: the index below starts with the section, the unique constraint
    # with the article, and each serves the look-ups (and cascades) by its first column.
    section = models.ForeignKey(
        "articles.SectionPage", on_delete=models.CASCADE, related_name="listings", db_index=False
    )
    article = models.ForeignKey(
        "articles.ArticlePage", on_delete=models.CASCADE, related_name="section_listings", db_index=False
    )
    published_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "section"], name="section_listing_unique")]
        indexes = [models.Index(fields=["section", "-published_at", "-article"], name="section_listing_newest_idx")]

    def __str__(self) -> str:
        return f"{self.article_id} in {self.section_id} at {self.published_at.isoformat()}"


class ArticlePage(ComposedPage, Page):
    standfirst = models.TextField(max_length=500, help_text=_("The summary under the headline, one or two sentences."))
    primary_section = models.ForeignKey(
        SectionPage,
        null=True,
        on_delete=models.PROTECT,
        related_name="primary_articles",
        help_text=_("Shown as the section label and in breadcrumbs."),
    )
    extra_sections = ParentalManyToManyField(
        SectionPage, blank=True, related_name="extra_articles", help_text=_("Other sections that list this article.")
    )
    tags = ClusterTaggableManager(through=ArticleTag, blank=True)
    lead_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lead_image_caption = models.CharField(max_length=300, blank=True)
    lead_image_credit = models.CharField(max_length=120, blank=True)
    body = StreamField(ArticleBodyBlock())
    source_name = models.CharField(
        max_length=120, blank=True, help_text=_("For republished copy: the outlet that first ran it.")
    )
    source_url = models.URLField(blank=True, validators=[URLValidator(schemes=["http", "https"])])
    via_name = models.CharField(max_length=120, blank=True, help_text=_("The agency or site it reached us through."))
    via_url = models.URLField(blank=True, validators=[URLValidator(schemes=["http", "https"])])
    canonical_url = models.URLField(
        blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("The original's address, for republished copy; leave empty for our own stories."),
    )
    comments_open = models.BooleanField(default=True, help_text=_("Readers may comment on this article."))
    external_id = models.CharField(
        max_length=120, unique=True, null=True, blank=True, editable=False, help_text=_("Identifier from an import.")
    )

    objects = ArticlePageManager()

    content_panels = Page.content_panels + [
        FieldPanel("standfirst"),
        InlinePanel("byline", label=_("Byline"), min_num=1),
        # Few sections: a plain select and checkboxes beat a page-chooser modal.
        FieldPanel("primary_section", widget=forms.Select),
        FieldPanel("extra_sections", widget=forms.CheckboxSelectMultiple),
        FieldPanel("tags"),
        MultiFieldPanel(
            [FieldPanel("lead_image"), FieldPanel("lead_image_caption"), FieldPanel("lead_image_credit")],
            heading=_("Lead image"),
        ),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("source_name"),
                FieldPanel("source_url"),
                FieldPanel("via_name"),
                FieldPanel("via_url"),
                FieldPanel("canonical_url"),
            ],
            heading=_("Attribution for republished copy"),
        ),
    ]
    settings_panels = Page.settings_panels + [FieldPanel("comments_open")]
    base_form_class = PageForm
    search_fields = Page.search_fields + [
        index.SearchField("standfirst"),
        index.SearchField("body"),
        index.FilterField("primary_section"),
        index.FilterField("first_published_at"),
    ]
    parent_page_types = ["articles.ArticleIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("article")
        indexes = [models.Index(fields=["primary_section"], name="article_section_idx")]

    # --- URLs ---------------------------------------------------------------

    def publication_date(self) -> datetime.date | None:
        if self.first_published_at is None:
            return None
        return timezone.localtime(self.first_published_at).date()

    def dated_path(self) -> str | None:
        day = self.publication_date()
        if day is None:
            return None
        return reverse(
            "article",
            kwargs={"year": day.year, "month": f"{day.month:02d}", "day": f"{day.day:02d}", "slug": self.slug},
        )

    def get_url_parts(self, request: HttpRequest | None = None) -> tuple[int, str | None, str | None] | None:
        """Emit the dated URL `/YYYY/MM/DD/<slug>/` wherever Wagtail builds one."""
        parts = super().get_url_parts(request)
        path = self.dated_path()
        if parts is None or path is None:
            return parts
        site_id, root_url, _tree_path = parts
        return site_id, root_url, path

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        path = self.dated_path()
        if path is not None and request.path != path and not getattr(request, "is_preview", False):
            return HttpResponsePermanentRedirect(path)
        return super().serve(request, *args, **kwargs)

    # --- What readers see ---------------------------------------------------

    @cached_property
    def authors(self) -> list[Author]:
        if "byline" in getattr(self, "_prefetched_objects_cache", {}):
            return [credit.author for credit in self.byline.all()]
        if "byline" in getattr(self, "_cluster_related_objects", {}) or self.pk is None:
            # A preview's byline is held in memory (modelcluster), not read from the database.
            credits = self.byline.select_related("author__photo").prefetch_related("author__links")
            return [credit.author for credit in credits]
        # The credits with their authors and photos in one prepared query (core/prepared.py), their links in one more.
        authors = [credit.author for credit in _BYLINE(page=self.pk)]
        models.prefetch_related_objects(authors, "links")
        return authors

    @cached_property
    def tag_list(self) -> list[Tag]:
        """The tags, read once however many parts of the page show them."""
        return list(self.tags.all())

    @cached_property
    def plain_text(self) -> str:
        parts: list[str] = []
        for block in self.body:
            if block.block_type == "paragraph":
                # Rich text keeps &amp; and &lt; as entities: plain text has the characters.
                parts.append(html.unescape(strip_tags(block.value.source)))
            elif block.block_type == "heading":
                parts.append(str(block.value))
            elif block.block_type == "quote":
                parts.append(block.value["text"])
        return "\n".join(parts)

    @cached_property
    def reading_time(self) -> str:
        return reading_time_label(f"{self.title}\n{self.standfirst}\n{self.plain_text}")

    @property
    def was_updated(self) -> bool:
        """Show "Updated" when a later publish changed the story, or once it carries a correction."""
        if self.latest_correction_time is not None:
            return True
        if not (self.first_published_at and self.last_published_at):
            return False
        return self.last_published_at - self.first_published_at > datetime.timedelta(minutes=5)

    @cached_property
    def latest_correction_time(self) -> datetime.datetime | None:
        """When its newest correction was published; None if it has none.

        The reader's query (selectors.article_for_reader) brings it along as an
        annotation, so an uncorrected article costs no query for it.
        """
        if hasattr(self, "latest_correction_at"):
            return self.latest_correction_at  # type: ignore[no-any-return]
        if self.pk is None:  # not saved yet (a new page's preview): nothing can correct it
            return None
        latest = self.corrections.order_by("-published_at").values_list("published_at", flat=True).first()
        return latest

    @cached_property
    def corrections_shown(self) -> list[Correction]:
        """Its corrections and clarifications, oldest first (none read when it has none)."""
        if self.latest_correction_time is None:
            return []
        return list(self.corrections.order_by("published_at", "pk"))

    @property
    def significant_corrections(self) -> list[Correction]:
        return [item for item in self.corrections_shown if item.significant]

    @property
    def updated_at(self) -> datetime.datetime | None:
        """The later of its last publish and its newest correction: "Updated" and dateModified."""
        times = [t for t in (self.last_published_at or self.first_published_at, self.latest_correction_time) if t]
        return max(times) if times else None


class ArticleSearchRow(models.Model):
    """What site search reads first: one row per live article, its words in one vector.

    Wagtail's index keeps an article's headline and body words in two vectors, keyed by
    text ids, with no publication time: the newest matches of a common word could only be
    found by reading every match, 865 ms at 200,000 articles. Here the headline (weight A)
    and the standfirst and body (weight D) share one vector with a GIN index beside the
    publication time and section, so PostgreSQL either walks the newest rows or reads the
    few matches from the index (search.py). Copied from Wagtail's index entry each time
    that is written (search_rows.py, through the search backend): never edited here.

    Only a hint: readers' results are always read through `ArticlePage.objects.published()`,
    so a stale row can never show a draft, future, expired or private article.
    """

    article = models.OneToOneField(ArticlePage, primary_key=True, on_delete=models.CASCADE, related_name="search_row")
    published_at = models.DateTimeField()
    section = models.ForeignKey(SectionPage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The GIN index on it is PostgreSQL's own (migration 0006); SQLite keeps no rows.
    document = SearchVectorField()
    # The headline's words alone, to put headline matches first. A copy of a few words: the
    # sort of the candidates carries it, where the whole document made it spill to disk.
    headline = SearchVectorField()

    class Meta:
        verbose_name = _("article search row")
        indexes = [
            models.Index(fields=["-published_at", "-article"], name="article_search_newest_idx"),
            models.Index(fields=["section", "-published_at", "-article"], name="article_search_section_idx"),
        ]

    def __str__(self) -> str:
        return f"search row of article {self.article_id}"


class ArticleAuthor(Orderable):
    """One credit in an article's byline, in the order editors set."""

    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="byline")
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="credits")

    panels = [FieldPanel("author")]

    class Meta(Orderable.Meta):
        constraints = [models.UniqueConstraint(fields=["page", "author"], name="unique_author_per_article")]

    def __str__(self) -> str:
        return str(self.author)


# A published article's byline, as its page reads it (ArticlePage.authors).
_BYLINE: PreparedQuery[ArticleAuthor] = PreparedQuery(
    lambda page: ArticleAuthor.objects.filter(page_id=page).select_related("author__photo"), page=Int
)


# --- Corrections and clarifications ---------------------------------------------

CORRECTION_TEXT_MAX = 1000


class Correction(models.Model):
    """A correction or clarification published on a live article, outside its revisions.

    Readers see it at the foot of the article (and under the headline when
    significant); once saved only Admins change its text, and each change keeps
    the text it replaced (CorrectionEdit). Written by newsdesk/articles/corrections.py.
    """

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("Correction")
        CLARIFICATION = "clarification", _("Clarification")

    article = models.ForeignKey(ArticlePage, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.CORRECTION)
    text = models.TextField(
        _("text"),
        max_length=CORRECTION_TEXT_MAX,
        help_text=_("Plain text, shown to readers as written: what was wrong and what is right."),
    )
    significant = models.BooleanField(
        _("significant"),
        default=False,
        help_text=_("Also shown at the top of the article, under the headline."),
    )
    published_at = models.DateTimeField(_("published at"), db_index=True)
    created_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("added by")
    )

    class Meta:
        ordering = ["published_at", "pk"]
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"


class CorrectionEdit(models.Model):
    """One Admin's change to a published correction: the text it had before, who changed it, when."""

    correction = models.ForeignKey(Correction, on_delete=models.CASCADE, related_name="edits")
    previous_text = models.TextField(_("previous text"))
    previous_kind = models.CharField(_("previous kind"), max_length=20, choices=Correction.Kind.choices)
    previous_significant = models.BooleanField(_("previously significant"))
    edited_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("edited by")
    )
    edited_at = models.DateTimeField(_("edited at"))

    class Meta:
        ordering = ["edited_at", "pk"]
        verbose_name = _("correction edit")
        verbose_name_plural = _("correction edits")

    def __str__(self) -> str:
        return f"{self.correction_id} edited at {self.edited_at:%Y-%m-%d %H:%M}"


@register_setting(icon="warning")
class CorrectionsSettings(BaseSiteSetting):
    """Where the site explains how it corrects its stories, linked beside every correction."""

    policy_page = models.ForeignKey(
        Page,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("corrections policy page"),
        help_text=_("A page of this site that explains the corrections policy."),
    )
    policy_url = models.URLField(
        _("corrections policy address"),
        blank=True,
        help_text=_("Or an address elsewhere; the page above is used when both are set."),
    )

    panels = [FieldPanel("policy_page"), FieldPanel("policy_url")]
    base_form_class = CorrectionsSettingsForm

    class Meta:
        verbose_name = _("corrections policy")
