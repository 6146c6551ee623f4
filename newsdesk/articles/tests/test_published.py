"""The one `published()` rule, and every selector that lists articles from it."""

import datetime
import math

import pytest
from django.utils import timezone
from taggit.models import Tag
from wagtail.models import PageViewRestriction

from newsdesk.articles import selectors
from newsdesk.articles.models import ArticlePage, Author, restricted_page_paths
from newsdesk.articles.services import list_in_sections
from newsdesk.core import fragments

pytestmark = pytest.mark.django_db

MINUTE = datetime.timedelta(minutes=1)


def published_titles():
    return set(ArticlePage.objects.published().values_list("title", flat=True))


def add_extra_sections(page, *sections):
    page.extra_sections.add(*sections)
    page.save()  # a parental relation is written with its page
    # The section rows a publish writes (signals.py), without publishing: some of these
    # articles must stay drafts, future or expired.
    list_in_sections([page.pk])


def restrict(page):
    return PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)


@pytest.fixture
def shown(article_factory):
    return article_factory(headline="Shown", section="local", authors=["Jonas Falk"], tags=["transport"])


# --- the rule -----------------------------------------------------------------


def test_a_draft_is_not_published(shown, article_factory):
    article_factory(headline="Draft").unpublish()
    assert published_titles() == {"Shown"}


def test_a_saved_but_never_published_article_is_not_published(shown):
    draft = ArticlePage(title="Unsaved draft", slug="unsaved-draft", standfirst="s", live=False, body=[])
    shown.get_parent().add_child(instance=draft)
    assert draft.first_published_at is None
    assert published_titles() == {"Shown"}


def test_an_article_expiring_a_moment_from_now_is_still_published(shown, frozen_now):
    ArticlePage.objects.filter(pk=shown.pk).update(expire_at=frozen_now + datetime.timedelta(microseconds=1))
    assert published_titles() == {"Shown"}


def test_an_article_is_gone_at_its_expiry_moment(shown, frozen_now):
    ArticlePage.objects.filter(pk=shown.pk).update(expire_at=frozen_now)
    assert published_titles() == set()


def test_an_article_is_published_from_its_first_publication_moment(shown, time_machine):
    moment = datetime.datetime(2030, 5, 1, 8, 0, tzinfo=datetime.UTC)
    ArticlePage.objects.filter(pk=shown.pk).update(first_published_at=moment)
    time_machine.move_to(moment - datetime.timedelta(microseconds=1), tick=False)
    assert published_titles() == set()
    time_machine.move_to(moment, tick=False)
    assert published_titles() == {"Shown"}


def test_expiry_needs_no_scheduler_run(shown, time_machine):
    ArticlePage.objects.filter(pk=shown.pk).update(expire_at=timezone.now() + datetime.timedelta(hours=1))
    time_machine.move_to(timezone.now() + datetime.timedelta(hours=2), tick=False)
    assert ArticlePage.objects.get(pk=shown.pk).live
    assert published_titles() == set()


def test_a_private_article_is_not_published(shown, article_factory):
    restrict(article_factory(headline="Private"))
    assert published_titles() == {"Shown"}


def test_an_article_of_a_private_primary_section_is_not_published(shown, sections, article_factory):
    article_factory(headline="Sport story", section="sport")
    restrict(sections["sport"])
    assert published_titles() == {"Shown"}


def test_a_private_extra_section_does_not_hide_an_article(shown, sections):
    # Only the primary section's restriction counts: the article is listed elsewhere too.
    shown.extra_sections.add(sections["sport"])
    shown.save_revision().publish()
    restrict(sections["sport"])
    assert published_titles() == {"Shown"}


def test_a_private_article_index_hides_every_article(shown, article_factory):
    restrict(shown.get_parent())
    assert published_titles() == set()


def test_lifting_a_restriction_publishes_again(shown):
    restriction = restrict(shown)
    assert published_titles() == set()
    restriction.delete()
    assert published_titles() == {"Shown"}


def test_moving_a_private_section_keeps_its_articles_hidden(shown, sections, article_factory):
    article_factory(headline="Sport story", section="sport")
    restrict(sections["sport"])
    old_path = sections["sport"].path
    sections["sport"].move(sections["world"], pos="left")
    sections["sport"].refresh_from_db()
    assert sections["sport"].path != old_path
    assert published_titles() == {"Shown"}


# --- the kept list of private paths --------------------------------------------


def test_private_paths_are_read_once_per_generation(shown, django_assert_num_queries):
    restrict(shown)
    restricted_page_paths()
    with django_assert_num_queries(0):
        assert restricted_page_paths() == [shown.path]


def test_a_new_articles_generation_reads_the_private_paths_again(shown):
    assert restricted_page_paths() == []
    PageViewRestriction.objects.bulk_create(  # no signal: only the new generation shows it
        [PageViewRestriction(page=shown, restriction_type=PageViewRestriction.LOGIN)]
    )
    assert restricted_page_paths() == []
    fragments.bump(fragments.ARTICLES)
    assert restricted_page_paths() == [shown.path]


# --- ordering and listing ------------------------------------------------------


def test_newest_first_breaks_ties_by_the_later_page(article_factory):
    moment = datetime.datetime(2025, 3, 4, 9, 0, tzinfo=datetime.UTC)
    first = article_factory(headline="First", published_at=moment)
    second = article_factory(headline="Second", published_at=moment)
    older = article_factory(headline="Older", published_at=moment - MINUTE)
    assert list(ArticlePage.objects.published().newest_first()) == [second, first, older]


def test_a_listing_reads_section_and_image_in_the_same_query(article_factory, django_assert_num_queries):
    article_factory(headline="Pictured", with_image=True)
    restricted_page_paths()  # kept from here on
    with django_assert_num_queries(1):
        teaser = selectors.teasers()[0]
        assert (teaser.primary_section.slug, teaser.lead_image.width) == ("local", 640)


def test_article_for_reader_finds_a_published_article_by_slug(shown, django_assert_num_queries):
    restricted_page_paths()
    with django_assert_num_queries(1):
        assert selectors.article_for_reader(shown.slug) == shown


@pytest.mark.parametrize("hide", ["unpublish", "expire", "restrict"])
def test_article_for_reader_finds_no_hidden_article(shown, hide):
    if hide == "unpublish":
        shown.unpublish()
    elif hide == "expire":
        ArticlePage.objects.filter(pk=shown.pk).update(expire_at=timezone.now() - MINUTE)
    else:
        restrict(shown)
    assert selectors.article_for_reader(shown.slug) is None


# --- section, author and tag lists -----------------------------------------------


@pytest.fixture
def hidden(article_factory, sections):
    """One hidden article of each kind, all in local (and politics), by Jonas Falk, tagged transport."""
    common = {"section": "local", "authors": ["Jonas Falk"], "tags": ["transport"]}
    draft = article_factory(headline="Draft", **common)
    draft.unpublish()
    future = article_factory(headline="Future", published_at=timezone.now() + datetime.timedelta(days=1), **common)
    expired = article_factory(headline="Expired", **common)
    ArticlePage.objects.filter(pk=expired.pk).update(expire_at=timezone.now() - MINUTE)
    private = article_factory(headline="Private", **common)
    restrict(private)
    for page in (draft, future, expired, private):
        add_extra_sections(ArticlePage.objects.get(pk=page.pk), sections["politics"])


def test_section_list_shows_primary_and_extra_articles_once(shown, sections, article_factory):
    extra = article_factory(headline="Elsewhere", section="world")
    add_extra_sections(extra, sections["local"], sections["politics"])
    add_extra_sections(shown, sections["local"])
    assert [a.title for a in selectors.section_articles(sections["local"])] == ["Shown", "Elsewhere"]


def test_section_list_leaves_out_hidden_articles(shown, hidden, sections):
    assert ArticlePage.objects.filter(extra_sections=sections["politics"]).count() == 4
    assert [a.title for a in selectors.section_articles(sections["local"])] == ["Shown"]
    assert [a.title for a in selectors.section_articles(sections["politics"])] == []


def test_author_list_shows_each_article_once_and_no_hidden_one(shown, hidden, article_factory):
    article_factory(headline="Joint", authors=["Jonas Falk", "Priya Raman"])
    author = Author.objects.get(slug="jonas-falk")
    assert [a.title for a in selectors.author_articles(author)] == ["Shown", "Joint"]


def test_tag_list_leaves_out_hidden_articles_and_other_tags(shown, hidden, article_factory):
    article_factory(headline="Other tag", tags=["housing"])
    assert [a.title for a in selectors.tag_articles(Tag.objects.get(name="transport"))] == ["Shown"]


# --- previous and next ---------------------------------------------------------


@pytest.fixture
def row(article_factory):
    """Three published articles a minute apart, oldest first, and hidden ones between them."""
    base = datetime.datetime(2025, 3, 4, 9, 0, tzinfo=datetime.UTC)
    made = {}
    for n, title in enumerate(["Old", "Hidden draft", "Middle", "Hidden private", "New"]):
        made[title] = article_factory(headline=title, published_at=base + n * MINUTE)
    made["Hidden draft"].unpublish()
    restrict(made["Hidden private"])
    return made


def test_previous_and_next_skip_hidden_articles(row):
    assert selectors.previous_article(row["Middle"]) == row["Old"]
    assert selectors.next_article(row["Middle"]) == row["New"]


def test_the_oldest_has_no_previous_and_the_newest_no_next(row):
    assert selectors.previous_article(row["Old"]) is None
    assert selectors.next_article(row["New"]) is None


def test_both_neighbours_come_in_one_query_and_skip_hidden_articles(row, django_assert_num_queries):
    selectors.published_articles()  # the private paths are read once per generation
    with django_assert_num_queries(1):
        assert selectors.neighbour_articles(row["Middle"]) == (row["Old"], row["New"])
    assert selectors.neighbour_articles(row["Old"]) == (None, row["Middle"])
    assert selectors.neighbour_articles(row["New"]) == (row["Middle"], None)


def test_neighbours_published_at_one_moment_are_told_apart_by_page(article_factory):
    moment = datetime.datetime(2025, 3, 4, 9, 0, tzinfo=datetime.UTC)
    first, second, third = (article_factory(headline=t, published_at=moment) for t in ("First", "Second", "Third"))
    assert selectors.neighbour_articles(second) == (first, third)


def test_articles_published_at_one_moment_are_ordered_by_page(article_factory):
    moment = datetime.datetime(2025, 3, 4, 9, 0, tzinfo=datetime.UTC)
    first, second = (article_factory(headline=t, published_at=moment) for t in ("First", "Second"))
    assert (selectors.previous_article(second), selectors.next_article(first)) == (first, second)


def test_neighbours_of_a_never_published_draft_are_none(row):
    draft = ArticlePage(title="Draft", slug="draft", first_published_at=None)
    assert selectors.neighbours(draft, "generation") == (None, None)


def test_neighbours_are_briefs_with_dated_paths(row):
    previous, following = selectors.neighbours(row["Middle"], None)
    assert previous is not None and following is not None
    assert (previous.title, previous.dated_path, previous.until) == ("Old", row["Old"].dated_path(), math.inf)
    assert following.title == "New"


def previous_of(article, generation):
    """The previous article's brief, which the test expects to be there."""
    previous = selectors.neighbours(article, generation)[0]
    assert previous is not None
    return previous


def test_neighbours_are_kept_per_generation(row, django_assert_num_queries):
    selectors.neighbours(row["Middle"], "g1")
    with django_assert_num_queries(0):
        assert previous_of(row["Middle"], "g1").title == "Old"
    row["Old"].unpublish()
    assert previous_of(row["Middle"], "g1").title == "Old"  # still kept under g1
    assert selectors.neighbours(row["Middle"], "g2")[0] is None


def test_neighbours_without_a_generation_are_never_kept(row):
    assert previous_of(row["Middle"], None).title == "Old"
    row["Old"].unpublish()
    assert selectors.neighbours(row["Middle"], None)[0] is None


def test_kept_neighbours_are_read_again_once_one_expires(row, time_machine):
    expiry = timezone.now() + datetime.timedelta(minutes=10)  # well within the hour they are kept
    ArticlePage.objects.filter(pk=row["Old"].pk).update(expire_at=expiry)
    assert previous_of(row["Middle"], "g1").until == expiry.timestamp()
    time_machine.move_to(expiry + MINUTE, tick=False)
    assert selectors.neighbours(row["Middle"], "g1")[0] is None


def test_article_for_reader_keeps_the_row_under_the_generations(shown, django_assert_num_queries):
    restricted_page_paths()
    kept = fragments.generations(fragments.LISTS, fragments.ARTICLES)
    selectors.article_for_reader(shown.slug, kept)
    with django_assert_num_queries(0):
        assert selectors.article_for_reader(shown.slug, kept) == shown


def test_an_unpublished_article_is_not_found_under_the_new_generations(shown):
    selectors.article_for_reader(shown.slug, fragments.generations(fragments.LISTS, fragments.ARTICLES))
    shown.unpublish()
    assert selectors.article_for_reader(shown.slug, fragments.generations(fragments.LISTS, fragments.ARTICLES)) is None
