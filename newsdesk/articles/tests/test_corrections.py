"""Corrections as a rule: live articles only, plain capped text, Admin-only edits with history, purges, visibility."""

import datetime

import pytest
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied, ValidationError
from wagtail.models import PageLogEntry, PageViewRestriction

from newsdesk.articles import corrections
from newsdesk.articles.models import CORRECTION_TEXT_MAX, ArticlePage, Correction
from newsdesk.articles.purges import article_paths
from newsdesk.articles.tests.test_purges_and_signals import changed_generations, generations, purges  # noqa: F401
from newsdesk.core.roles import ADMINS, EDITORS

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(article_factory):
    return article_factory(headline="Bridge vote passes", section="local")


@pytest.fixture
def editor(sections):
    user = User.objects.create_user("editor", password="pw-12345678")
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


@pytest.fixture
def admin(sections):
    user = User.objects.create_user("chief", password="pw-12345678")
    user.groups.add(Group.objects.get(name=ADMINS))
    return user


def add(article, *, text="The vote was 31 to 12, not 31 to 21.", minutes=10, kind="correction", user=None):
    return corrections.correction_add(
        article=article, kind=kind, text=text, significant=False, user=user, now=at(minutes)
    )


def at(minutes):
    return datetime.datetime(2030, 1, 1, 12, 0, tzinfo=datetime.UTC) + datetime.timedelta(minutes=minutes)


# --- Adding -------------------------------------------------------------------------


def test_a_correction_is_dated_and_credited(story, editor):
    correction = add(story, user=editor, minutes=5)
    assert (correction.published_at, correction.created_by) == (at(5), editor)


def test_its_time_is_kept_in_whole_seconds(story):
    # <time datetime> takes at most three fraction digits; none is simplest.
    correction = corrections.correction_add(
        article=story, kind="correction", text="x", significant=False, user=None, now=at(0).replace(microsecond=123456)
    )
    assert correction.published_at == at(0)


def test_a_draft_cannot_be_corrected(story):
    story.unpublish()
    with pytest.raises(ValidationError):
        add(ArticlePage.objects.get(pk=story.pk))
    assert not Correction.objects.exists()


def test_an_unknown_kind_is_refused(story):
    with pytest.raises(ValidationError):
        add(story, kind="retraction")


def test_empty_text_is_refused(story):
    with pytest.raises(ValidationError):
        add(story, text="  \t ")


def test_text_over_the_cap_is_refused(story):
    with pytest.raises(ValidationError):
        add(story, text="x" * (CORRECTION_TEXT_MAX + 1))


def test_characters_xml_forbids_are_dropped_and_markup_kept_as_text(story):
    correction = add(story, text="  <b>Tom</b>\x0b Smith  ")
    assert correction.text == "<b>Tom</b> Smith"


def test_adding_does_not_republish_the_article(story):
    revision = story.live_revision_id
    add(story)
    assert ArticlePage.objects.get(pk=story.pk).live_revision_id == revision


# --- Purges and generations -----------------------------------------------------------


def test_adding_purges_the_article_and_the_corrections_pages_softly(story, purges):  # noqa: F811
    add(story)
    assert article_paths(story) | corrections.CORRECTIONS_PATHS <= purges.soft_paths()
    assert purges.hard_paths() == set()


def test_adding_starts_a_new_generation_of_article_parts(story):
    before = generations()
    add(story)
    assert "articles" in changed_generations(before)


def test_an_admin_edit_purges_hard(story, admin, purges):  # noqa: F811
    correction = add(story)
    purges.clear()
    corrections.correction_edit(
        correction=correction, kind="correction", text="Reworded.", significant=False, user=admin
    )
    assert article_paths(story) | corrections.CORRECTIONS_PATHS <= purges.hard_paths()


# --- Admin-only edits and history -------------------------------------------------------


def test_an_editor_cannot_change_a_published_correction(story, editor):
    correction = add(story, text="Original wording.")
    with pytest.raises(PermissionDenied):
        corrections.correction_edit(
            correction=correction, kind="correction", text="New wording.", significant=False, user=editor
        )
    correction.refresh_from_db()
    assert correction.text == "Original wording."


def test_an_admin_edit_keeps_the_text_it_replaced(story, admin):
    correction = add(story, text="Original wording.")
    corrections.correction_edit(
        correction=correction, kind="clarification", text="New wording.", significant=True, user=admin, now=at(30)
    )
    correction.refresh_from_db()
    edit = correction.edits.get()
    assert (correction.text, correction.kind, correction.significant) == ("New wording.", "clarification", True)
    assert (edit.previous_text, edit.previous_kind, edit.previous_significant) == (
        "Original wording.",
        "correction",
        False,
    )
    assert (edit.edited_by, edit.edited_at) == (admin, at(30))


def test_a_superuser_counts_as_an_admin(story):
    boss = User.objects.create_superuser("boss", "boss@example.org", "pw")
    assert corrections.is_admin(boss)


# --- Visibility -----------------------------------------------------------------------


def test_corrections_are_listed_newest_first(article_factory):
    first, second = article_factory(headline="One"), article_factory(headline="Two")
    older, newer = add(first, minutes=1), add(second, minutes=2)
    assert list(corrections.public_corrections()) == [newer, older]


def test_a_correction_on_an_article_taken_down_is_not_listed(story):
    add(story)
    story.unpublish()
    assert not corrections.public_corrections().exists()


def test_a_correction_on_an_article_in_a_private_section_is_not_listed(story, sections):
    add(story)
    PageViewRestriction.objects.create(page=sections["local"], restriction_type=PageViewRestriction.LOGIN)
    assert not corrections.public_corrections().exists()


def test_an_article_reads_its_corrections_oldest_first(story):
    later, earlier = add(story, minutes=20), add(story, minutes=5)
    assert ArticlePage.objects.get(pk=story.pk).corrections_shown == [earlier, later]


def test_updated_time_is_the_latest_correction(story):
    add(story, minutes=5)
    add(story, minutes=20)
    article = ArticlePage.objects.get(pk=story.pk)
    assert article.updated_at == at(20)
    assert article.was_updated


# --- The article's history in the admin ---------------------------------------------------


def test_adding_is_logged_in_the_articles_history(story, editor):
    correction = add(story, user=editor)
    entry = PageLogEntry.objects.get(page=story, action=corrections.ADD_ACTION)
    assert (entry.user, entry.data["correction"]) == (editor, correction.pk)


def test_an_admin_edit_is_logged_with_the_text_it_replaced(story, admin):
    correction = add(story, text="Original wording.")
    corrections.correction_edit(
        correction=correction, kind="correction", text="Reworded.", significant=False, user=admin
    )
    entry = PageLogEntry.objects.get(page=story, action=corrections.EDIT_ACTION)
    assert (entry.user, entry.data["previous_text"]) == (admin, "Original wording.")


# --- An editor's own time ------------------------------------------------------------


def test_an_editor_may_date_a_correction_earlier(story):
    earlier = story.first_published_at + datetime.timedelta(minutes=5)
    correction = corrections.correction_add(
        article=story, kind="correction", text="Fixed on air.", significant=False, user=None, at=earlier, now=at(10)
    )
    assert correction.published_at == earlier.replace(microsecond=0)


def test_a_correction_cannot_be_dated_in_the_future(story):
    with pytest.raises(ValidationError) as refused:
        corrections.correction_add(
            article=story, kind="correction", text="Soon.", significant=False, user=None, at=at(20), now=at(10)
        )
    assert refused.value.code == "at"
    assert not Correction.objects.exists()


def test_a_correction_cannot_be_dated_before_the_article(story):
    before = story.first_published_at - datetime.timedelta(hours=1)
    with pytest.raises(ValidationError) as refused:
        corrections.correction_add(
            article=story, kind="correction", text="Too early.", significant=False, user=None, at=before, now=at(10)
        )
    assert refused.value.code == "at"
