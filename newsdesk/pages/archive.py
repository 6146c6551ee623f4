"""A ten-year archive of invented articles, written in bulk, for measuring the site at a real daily's size.

`manage.py generate_archive N` calls `generate()`. A daily that has published for
ten years holds 100,000-300,000 articles; the demo holds about fifty, so nothing
about lists, sitemaps, search or the desk at scale shows there. Creating pages
one by one through Wagtail (`add_child`, a revision, `publish()`) costs tens of
milliseconds each, hours for 200,000; this writes the rows directly, in batches,
one transaction per batch:

- pages in Wagtail's tree (treebeard materialised paths): each article a child of
  the article index, `path` the index's path plus the next 4-character step,
  `depth` one below it, `url_path` under the index's; the index's `numchild` grows
  once per batch. No revisions: `live_revision` and `latest_revision` stay empty,
  which readers' pages never read and the admin's editor copes with (it edits the
  page itself when there is no revision), as for pages created outside the admin;
- bylines, tags, extra sections, approved and held comments, and the search
  index entries (Wagtail's configured backend, in bulk, which on PostgreSQL also
  writes site search's rows: newsdesk/articles/search_backend.py);
- a few thousand image rows sharing a dozen drawn files, with their renditions
  copied from the file's first row (an archive's pictures were rendered long
  ago, so a reader's request never waits for one here either).

The copy is invented from the factories' word lists (newsdesk/articles/factories.py)
and a seeded generator: the same seed gives the same archive. About one article
in 250 is left a draft, so the archive also holds what readers must never see.
"""

from __future__ import annotations

import datetime
import random
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Model
from django.db.models.sql import InsertQuery
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag
from wagtail.images.models import Image, Rendition
from wagtail.models import Locale, Page
from wagtail.search.backends import get_search_backends
from wagtail.search.models import IndexEntry

from newsdesk.articles.factories import (
    HEADLINES,
    PEOPLE,
    PLACES,
    QUOTE_PEOPLE,
    QUOTES,
    SECTION_COLOURS,
    SENTENCES,
    TAGS,
    THINGS,
    fill_template,
    make_image,
    newsroom_with_sections,
)
from newsdesk.articles.models import (
    ArticleAuthor,
    ArticleIndexPage,
    ArticlePage,
    ArticleSearchRow,
    ArticleTag,
    Author,
    SectionListing,
    SectionPage,
)
from newsdesk.articles.services import author_ensure, image_from_file
from newsdesk.comments.models import Comment
from newsdesk.core import fragments, page_cache
from newsdesk.seo.services import sitemap_months_rebuild

STANDFIRST = "A closer look at {thing} and who it affects in {place}."
EXTERNAL_PREFIX = "archive-"
BATCH = 1000
YEARS = 10
DRAFT_EVERY = 250
BASE_IMAGES = 12
MAX_IMAGES = 3000
ARTICLES_PER_IMAGE = 50
# What the reader templates, feeds, sitemaps and structured data ask of a lead image
# (articles/templates, seo/structured_data.py, seo/sitemaps.py, articles/feeds.py).
RENDITION_SPECS = [
    "fill-480x270|format-webp",
    "fill-800x450|format-webp",
    "fill-1200x675|format-webp",
    "fill-960x540|format-webp",
    "fill-320x180|format-webp",
    "fill-640x360|format-webp",
    "width-1200|format-jpeg",
    "fill-1200x675|format-jpeg",
    "fill-1200x900|format-jpeg",
    "fill-1200x1200|format-jpeg",
]
FIRST_NAMES = [
    "Ada", "Bruno", "Carla", "Dario", "Edith", "Felix", "Greta", "Hugo", "Ilse", "Jakob",
    "Kira", "Lars", "Mina", "Nils", "Olga", "Pavel", "Rosa", "Sven", "Tilda", "Umar",
]  # fmt: skip
LAST_NAMES = [
    "Albrecht", "Bianchi", "Castell", "Dorn", "Engel", "Fischer", "Galan", "Horvat",
    "Ivanova", "Jensen", "Keller", "Lund", "Moreau", "Nagy", "Olsen", "Petrov",
]  # fmt: skip
EXTRA_AUTHORS = 32
TAG_TOPICS = [
    "rents", "trams", "bridges", "hospitals", "ports", "farming", "tourism", "libraries", "police",
    "courts", "water", "heating", "startups", "banks", "unions", "festivals", "cinema", "museums",
    "cycling", "tennis", "rowing", "athletics", "universities", "nurseries", "airports", "rail",
]  # fmt: skip
COMMENTERS = ["Greta M.", "Paul", "Ines K.", "Tomasz", "Ruth A.", "Kemal", "Jo", "Lotte V.", "Marek", "Aiko"]
COMMENT_LINES = [
    "Thanks for following this up. Will there be a report on the costs?",
    "I was there and the atmosphere was very different from what officials describe.",
    "Good summary. The timetable still looks optimistic to me.",
    "Does anyone know whether the public meeting will be streamed?",
    "This has been promised before. I will believe it when I see it.",
    "Clear and fair reporting, which is rare on this subject.",
]


@dataclass(frozen=True)
class Result:
    articles: int
    drafts: int
    comments: int
    images: int
    seconds: float


def _sections() -> list[SectionPage]:
    by_slug = newsroom_with_sections()
    return list(by_slug.values())


def _authors(rng: random.Random) -> list[Author]:
    names = [name for name, _role in PEOPLE]
    while len(names) < len(PEOPLE) + EXTRA_AUTHORS:
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        if name not in names:
            names.append(name)
    return [author_ensure(name=name) for name in names]


def _tags() -> list[Tag]:
    names = TAGS + [f"{topic} in {place}" for topic in TAG_TOPICS for place in PLACES[:4]]
    existing = {tag.name: tag for tag in Tag.objects.filter(name__in=names)}
    missing = [Tag(name=name, slug=slugify(name)) for name in names if name not in existing]
    Tag.objects.bulk_create(missing, ignore_conflicts=True)
    return list(Tag.objects.filter(name__in=names).order_by("pk"))


def _images(sections: list[SectionPage], count: int) -> list[Image]:
    """`count` image rows sharing a few drawn files, each row with its renditions ready."""
    bases: list[Image] = []
    with tempfile.TemporaryDirectory(prefix="newsdesk-archive-") as workdir:
        for n in range(BASE_IMAGES):
            section = sections[n % len(sections)]
            colour = SECTION_COLOURS.get(section.slug, (90, 90, 90))
            drawn = make_image(Path(workdir) / f"archive-{section.slug}-{n}.jpg", seed=7000 + n, colour=colour)
            bases.append(image_from_file(drawn, f"Archive picture: {section.title} {n + 1}"))
    for base in bases:
        base.get_renditions(*RENDITION_SPECS)
    templates = {base.pk: list(Rendition.objects.filter(image=base)) for base in bases}
    shared = [
        Image(
            title=f"{bases[n % len(bases)].title} (archive copy {n + 1})",
            file=bases[n % len(bases)].file.name,
            width=bases[n % len(bases)].width,
            height=bases[n % len(bases)].height,
            file_size=bases[n % len(bases)].file_size,
            file_hash=bases[n % len(bases)].file_hash,
            collection_id=bases[n % len(bases)].collection_id,
        )
        for n in range(max(0, count - len(bases)))
    ]
    created = Image.objects.bulk_create(shared, batch_size=500)
    renditions = [
        Rendition(
            image_id=image.pk,
            filter_spec=rendition.filter_spec,
            focal_point_key=rendition.focal_point_key,
            file=rendition.file.name,
            width=rendition.width,
            height=rendition.height,
        )
        for n, image in enumerate(created)
        for rendition in templates[bases[n % len(bases)].pk]
    ]
    Rendition.objects.bulk_create(renditions, batch_size=1000, ignore_conflicts=True)
    return bases + created


def _body(rng: random.Random, thing: str) -> list[dict[str, Any]]:
    sentences = rng.sample(SENTENCES, k=15)
    blocks: list[dict[str, Any]] = [
        {
            "type": "paragraph",
            "value": "<p>" + " ".join(fill_template(s, rng, thing) for s in sentences[i : i + 3]) + "</p>",
            "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        }
        for i in range(0, 15, 3)
    ]
    blocks.insert(
        2,
        {
            "type": "quote",
            "value": {"text": rng.choice(QUOTES), "attribution": rng.choice(QUOTE_PEOPLE)},
            "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        },
    )
    return blocks


def _times(rng: random.Random, count: int, end: datetime.datetime) -> list[datetime.datetime]:
    """`count` publication times spread over the YEARS before `end`, oldest first, whole seconds."""
    span = datetime.timedelta(days=365 * YEARS).total_seconds()
    offsets = sorted((rng.random() * span for _ in range(count)), reverse=True)
    return [(end - datetime.timedelta(seconds=offset)).replace(microsecond=0) for offset in offsets]


def _search_stand_in(article: ArticlePage) -> ArticlePage:
    """What the search backend indexes for an article: its body's text moved into the standfirst.

    Standfirst and body are search fields of the same weight, so the index entry is the
    same words with the same weights; reading them back out of the rich text (Wagtail's
    HTML parser, once per index column) cost more than everything else written here.
    """
    # The paragraphs are "<p>" + plain sentences + "</p>" (_body), nothing else.
    text = " ".join(
        block["value"]["text"] if block["type"] == "quote" else block["value"][3:-4] for block in article.body.raw_data
    )
    return ArticlePage(
        id=article.pk, page_ptr_id=article.pk, title=article.title, standfirst=f"{article.standfirst}\n{text}", body=[]
    )


def _insert_child_rows(articles: list[ArticlePage]) -> None:
    """The article table's own columns (Django's bulk_create refuses multi-table models)."""
    query = InsertQuery(ArticlePage)
    rows: list[Model] = list(articles)
    query.insert_values(ArticlePage._meta.local_concrete_fields, rows)
    for sql, params in query.get_compiler(connection=connection).as_sql():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def _analyze() -> None:
    """Fresh planner statistics for the tables filled here (PostgreSQL only).

    Autovacuum analyses a table only after a share of it changed and some time passed: right
    after a large run the planner still believed the tables small and chose sequential
    scans over the first_published_at and relation indexes.
    """
    if connection.vendor != "postgresql":
        return
    models: list[type[Model]] = [
        Page,
        ArticlePage,
        ArticleAuthor,
        ArticleTag,
        ArticlePage.extra_sections.through,
        SectionListing,
        Comment,
        Tag,
        Image,
        Rendition,
        IndexEntry,
        ArticleSearchRow,
    ]
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _batches(total: int) -> Iterator[range]:
    for start in range(0, total, BATCH):
        yield range(start, min(total, start + BATCH))


def generate(*, count: int, seed: int = 2025, progress: Callable[[str], None] = lambda line: None) -> Result:
    """Add `count` archive articles (drafts among them) with bylines, tags, comments and pictures."""
    started = time.monotonic()
    rng = random.Random(seed)
    sections = _sections()
    authors = _authors(rng)
    tags = _tags()
    images = _images(sections, max(BASE_IMAGES, min(MAX_IMAGES, count // ARTICLES_PER_IMAGE)))
    found = ArticleIndexPage.objects.first()
    if found is None:  # newsroom_with_sections() makes one: only a broken site lacks it
        raise RuntimeError("The site has no article index")
    index: Page = found
    progress(f"Prepared {len(sections)} sections, {len(authors)} authors, {len(tags)} tags, {len(images)} images")
    content_type = ContentType.objects.get_for_model(ArticlePage)
    locale = Locale.get_default()
    made = ArticlePage.objects.filter(external_id__startswith=EXTERNAL_PREFIX).count()
    times = _times(rng, count, timezone.now().replace(microsecond=0) - datetime.timedelta(minutes=10))
    backends = list(get_search_backends())
    totals = {"articles": 0, "drafts": 0, "comments": 0}
    with page_cache.purges_deferred(), fragments.bumps_deferred():
        for batch in _batches(count):
            with transaction.atomic():
                index = Page.objects.select_for_update().get(pk=index.pk)
                last = index.get_last_child()
                step = Page._str2int(last.path[-Page.steplen :]) if last else 0
                articles: list[ArticlePage] = []
                for offset, n in enumerate(batch):
                    serial = made + n + 1
                    section = sections[rng.randrange(len(sections))]
                    things = THINGS.get(section.slug, THINGS["local"])
                    thing = things[rng.randrange(len(things))]
                    headline = fill_template(HEADLINES[rng.randrange(len(HEADLINES))], rng, thing)
                    slug = f"{slugify(headline)[:60].rstrip('-')}-a{serial}"
                    published_at = times[n]
                    draft = serial % DRAFT_EVERY == 0
                    articles.append(
                        ArticlePage(
                            path=Page._get_path(index.path, index.depth + 1, step + offset + 1),
                            depth=index.depth + 1,
                            numchild=0,
                            translation_key=uuid.uuid5(
                                uuid.NAMESPACE_URL, f"newsdesk-{EXTERNAL_PREFIX}{seed}-{serial}"
                            ),
                            locale=locale,
                            live=not draft,
                            has_unpublished_changes=draft,
                            first_published_at=None if draft else published_at,
                            last_published_at=None if draft else published_at,
                            title=headline,
                            draft_title=headline,
                            slug=slug,
                            content_type=content_type,
                            url_path=f"{index.url_path}{slug}/",
                            seo_title="",
                            search_description="",
                            standfirst=fill_template(STANDFIRST, rng, thing),
                            primary_section=section,
                            lead_image=images[rng.randrange(len(images))],
                            lead_image_caption=f"{thing[0].upper()}{thing[1:]}, pictured in {rng.choice(PLACES)}.",
                            lead_image_credit="Newsdesk archive",
                            body=_body(rng, thing),
                            comments_open=published_at > timezone.now() - datetime.timedelta(days=30),
                            external_id=f"{EXTERNAL_PREFIX}{seed}-{serial}",
                        )
                    )
                    totals["drafts" if draft else "articles"] += 1
                pages = Page.objects.bulk_create(
                    [
                        Page(**{field.attname: getattr(article, field.attname) for field in Page._meta.concrete_fields})
                        for article in articles
                    ]
                )
                for article, page in zip(articles, pages, strict=True):
                    article.pk = article.page_ptr_id = page.pk
                _insert_child_rows(articles)
                Page.objects.filter(pk=index.pk).update(numchild=index.numchild + len(articles))
                totals["comments"] += _relations(rng, articles, sections=sections, authors=authors, tags=tags)
                for backend in backends:
                    backend.add_bulk(ArticlePage, [_search_stand_in(article) for article in articles])
            progress(f"{batch.stop}/{count} articles ({time.monotonic() - started:.0f} s)")
        # Bulk inserts send no publish signal: the months /sitemap.xml lists are worked out whole.
        sitemap_months_rebuild()
        fragments.bump(fragments.LISTS, fragments.ARTICLES)
        page_cache.purge_all()
    _analyze()
    return Result(
        articles=totals["articles"],
        drafts=totals["drafts"],
        comments=totals["comments"],
        images=len(images),
        seconds=round(time.monotonic() - started, 1),
    )


def _relations(
    rng: random.Random,
    articles: list[ArticlePage],
    *,
    sections: list[SectionPage],
    authors: list[Author],
    tags: list[Tag],
) -> int:
    """Bylines (one to three authors), tags, an extra section for one in ten, and comments.

    Returns how many comments were made.
    """
    bylines, tagged, extra, comments = [], [], [], []
    listings: list[SectionListing] = []
    now = timezone.now()
    recent = now - datetime.timedelta(days=3)
    through = ArticlePage.extra_sections.through
    for article in articles:
        for order, author in enumerate(rng.sample(authors, k=rng.choice((1, 1, 1, 2, 3)))):
            bylines.append(ArticleAuthor(page_id=article.pk, author_id=author.pk, sort_order=order))
        for tag in rng.sample(tags, k=rng.randrange(1, 5)):
            # The tag row's copy of the publication time, as a publish writes it (ArticleTag).
            tagged.append(
                ArticleTag(content_object_id=article.pk, tag_id=tag.pk, published_at=article.first_published_at)
            )
        listed_in = [article.primary_section_id]
        if rng.random() < 0.1:
            other = rng.choice(sections)
            if other.pk != article.primary_section_id:
                extra.append(through(articlepage_id=article.pk, sectionpage_id=other.pk))
                listed_in.append(other.pk)
        if article.first_published_at is not None:
            # The section rows a publish writes (SectionListing): a draft has none.
            listings += [
                SectionListing(article_id=article.pk, section_id=pk, published_at=article.first_published_at)
                for pk in listed_in
            ]
        if article.live and rng.random() < 0.45:
            for _ in range(rng.randrange(1, 7)):
                created = article.first_published_at + datetime.timedelta(minutes=rng.randrange(5, 60 * 48))
                comments.append(
                    Comment(
                        article_id=article.pk,
                        name=rng.choice(COMMENTERS),
                        email=f"reader{rng.randrange(10_000)}@example.org",
                        body=rng.choice(COMMENT_LINES),
                        # Only the last days' comments still wait for a moderator, as on a desk that keeps up.
                        status=Comment.Status.PENDING
                        if created > recent and rng.random() < 0.2
                        else Comment.Status.APPROVED,
                        created_at=min(created, now),
                    )
                )
    ArticleAuthor.objects.bulk_create(bylines)
    ArticleTag.objects.bulk_create(tagged)
    through.objects.bulk_create(extra)
    SectionListing.objects.bulk_create(listings)
    Comment.objects.bulk_create(comments)
    return len(comments)
