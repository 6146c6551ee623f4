"""From a story to an article: attribution, mapping, versions, withdrawal, embargo, duplicates."""

import datetime

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail
from wagtail.models import WorkflowState

from newsdesk.articles.models import ArticlePage
from newsdesk.core.roles import EDITORS
from newsdesk.ingest.models import IngestedStory, Source
from newsdesk.ingest.services import StoryRefused, ingest_story
from newsdesk.ingest.stories import CANCELED, WITHHELD, Person, Story, Subject

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
FILED = datetime.datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


@pytest.fixture
def frozen_now(time_machine):
    """Noon on the day the stories were filed, still: every date in these tests is explicit."""
    moment = datetime.datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    time_machine.move_to(moment, tick=False)
    return moment


@pytest.fixture
def source(sections):
    return Source.objects.create(
        name="Wire",
        kind=Source.Kind.NEWSML,
        location="https://wire.example.net/feed",
        mode=Source.Mode.PUBLISH,
        default_section=sections["world"],
        source_name="Example Wire",
        source_url="https://wire.example.net/",
    )


def story(**fields):
    defaults = {
        "guid": "urn:newsml:wire.example.net:20261130:bridge",
        "headline": "Bridge reopens after repairs",
        "standfirst": "Traffic flows again across the river.",
        "body_html": "<p>The bridge reopened on Monday.</p><p>Repairs took a year.</p>",
        "first_created": FILED,
        "version_created": FILED,
        "link": "https://wire.example.net/stories/bridge",
    }
    return Story(**{**defaults, **fields})


def article():
    return ArticlePage.objects.get(title__startswith="Bridge reopens")


def test_published_mode_puts_the_story_live_with_its_filing_time(source, frozen_now):
    touched = ingest_story(source, story())
    found = article()
    assert touched.action == "created"
    assert found.live
    assert found.first_published_at == FILED
    assert touched.detail.endswith(found.url)


def test_attribution_and_canonical_point_at_the_original(source, frozen_now):
    ingest_story(source, story())
    found = article()
    assert (found.source_name, found.source_url) == ("Example Wire", "https://wire.example.net/stories/bridge")
    assert found.canonical_url == "https://wire.example.net/stories/bridge"


def test_canonical_can_be_switched_off(source, frozen_now):
    source.canonical_to_original = False
    source.save()
    ingest_story(source, story())
    assert article().canonical_url == ""


def test_draft_mode_leaves_a_draft_awaiting_review(source, frozen_now):
    source.mode = Source.Mode.DRAFT
    source.save()
    touched = ingest_story(source, story())
    found = article()
    assert not found.live
    assert WorkflowState.objects.filter(object_id=str(found.pk), status="in_progress").exists()
    assert f"/admin/pages/{found.pk}/edit/" in touched.detail


def test_subjects_become_tags_and_rules_choose_the_section(source, sections, frozen_now):
    source.mapping_rules = "medtop:20000763 => local; housing\n# a comment\nsport => sport"
    source.extra_tags = "wire"
    source.save()
    ingest_story(source, story(subjects=[Subject("medtop:20000763", "housing and urban planning")]))
    found = article()
    assert found.primary_section == sections["local"]
    assert {tag.name for tag in found.tags.all()} == {"housing and urban planning", "housing", "wire"}


def test_a_story_no_rule_places_and_no_default_section_is_refused(source, frozen_now):
    source.default_section = None
    source.save()
    with pytest.raises(StoryRefused, match="no section"):
        ingest_story(source, story())
    assert not ArticlePage.objects.filter(title__startswith="Bridge").exists()


def test_bylines_are_guest_authors_flagged_as_such(source, frozen_now):
    ingest_story(source, story(bylines=[Person("Mara Lind", role="Correspondent")]))
    [author] = article().authors
    assert (author.name, author.role) == ("Mara Lind", "Correspondent, Example Wire")


def test_a_story_without_a_byline_is_credited_to_the_source(source, frozen_now):
    ingest_story(source, story())
    assert [author.name for author in article().authors] == ["Example Wire"]


def test_the_dateline_opens_the_first_paragraph(source, frozen_now, client, soup):
    ingest_story(source, story(dateline="Berlin"))
    first = article().body[0].value.source
    assert first.startswith("<p><b>BERLIN</b> \u2013 The bridge reopened")


def test_summary_only_links_to_the_original(source, frozen_now):
    source.full_text = False
    source.save()
    ingest_story(source, story())
    blocks = [block.value.source for block in article().body]
    assert "Repairs took a year" not in "".join(blocks)
    assert 'href="https://wire.example.net/stories/bridge"' in blocks[-1]


def test_scripts_in_the_body_never_reach_the_page(source, frozen_now, client):
    ingest_story(source, story(body_html='<p onclick="x()">Hi<script>alert(1)</script></p>'))
    html = client.get(article().url).content.decode()
    assert "alert(1)" not in html
    assert "onclick" not in html


def test_the_editor_note_is_kept_for_editors_and_never_shown(source, frozen_now, client):
    ingest_story(source, story(editor_note="Do not use the picture before noon."))
    assert IngestedStory.objects.get().editor_note == "Do not use the picture before noon."
    assert "before noon" not in client.get(article().url).content.decode()


def test_a_story_without_a_headline_is_refused(source, frozen_now):
    with pytest.raises(StoryRefused, match="no headline"):
        ingest_story(source, story(headline="  "))


def test_a_date_without_a_time_zone_is_refused(source, frozen_now):
    with pytest.raises(StoryRefused, match="time zone"):
        ingest_story(source, story(first_created=datetime.datetime(2026, 11, 30, 8, 0)))


# --- Versions ---------------------------------------------------------------------------------


def test_the_same_version_again_changes_nothing(source, frozen_now):
    ingest_story(source, story())
    touched = ingest_story(source, story())
    assert touched.action == "skipped"
    assert ArticlePage.objects.filter(title__startswith="Bridge").count() == 1


def test_a_higher_version_updates_the_live_article_in_place(source, frozen_now):
    ingest_story(source, story())
    before = article()
    touched = ingest_story(source, story(version=2, headline="Bridge reopens after a year of repairs"))
    after = article()
    assert touched.action == "updated"
    assert (after.pk, after.url, after.first_published_at) == (before.pk, before.url, before.first_published_at)
    assert after.title == "Bridge reopens after a year of repairs"


def test_an_older_version_is_ignored(source, frozen_now):
    ingest_story(source, story(version=3))
    assert ingest_story(source, story(version=2, headline="Bridge reopens (old)")).action == "skipped"
    assert article().title == "Bridge reopens after repairs"


def test_a_newer_version_of_a_draft_is_a_new_revision_and_stays_a_draft(source, frozen_now):
    source.mode = Source.Mode.DRAFT
    source.save()
    ingest_story(source, story())
    draft = article()
    draft.standfirst = "An editor's own standfirst."
    draft.save_revision()
    revisions = draft.revisions.count()
    ingest_story(source, story(version=2, standfirst="The wire's second standfirst."))
    draft = article()
    assert not draft.live
    assert draft.revisions.count() == revisions + 1
    assert "An editor's own standfirst." in str(draft.revisions.order_by("-created_at", "-pk")[1].content)


def test_a_live_article_with_editors_changes_waiting_is_not_overwritten(source, frozen_now):
    ingest_story(source, story())
    live = article()
    live.standfirst = "An editor's correction, not yet published."
    live.save_revision()
    ingest_story(source, story(version=2, standfirst="The wire's second standfirst."))
    assert article().standfirst == "Traffic flows again across the river."
    assert source.log.filter(message__contains="editors have unpublished changes").exists()


def test_rss_stories_have_no_versions_a_changed_text_updates(source, frozen_now):
    source.kind = Source.Kind.RSS
    source.save()
    ingest_story(source, story())
    assert ingest_story(source, story(standfirst="Now with more detail.")).action == "updated"
    assert article().standfirst == "Now with more detail."


# --- Withdrawal, embargo, duplicates -------------------------------------------------------------


@pytest.mark.parametrize("status", [CANCELED, WITHHELD])
def test_a_canceled_or_withheld_story_comes_down_and_editors_are_told(
    source, frozen_now, status, django_capture_on_commit_callbacks
):
    editor = User.objects.create_user("ed", email="ed@example.org")
    editor.groups.add(Group.objects.get(name=EDITORS))
    ingest_story(source, story())
    with django_capture_on_commit_callbacks(execute=True):
        touched = ingest_story(source, story(version=2, status=status))
    assert touched.action == "withdrawn"
    assert not article().live
    assert mail.outbox[0].to == ["ed@example.org"]
    assert status in mail.outbox[0].subject


def test_a_canceled_story_never_ingested_is_skipped(source, frozen_now):
    assert ingest_story(source, story(status=CANCELED)).action == "skipped"
    assert not ArticlePage.objects.filter(title__startswith="Bridge").exists()


def test_an_embargoed_story_is_never_public_before_the_embargo(source, frozen_now):
    embargo = frozen_now + datetime.timedelta(hours=3)
    ingest_story(source, story(embargoed_until=embargo))
    found = article()
    assert not found.live
    assert found.go_live_at == embargo
    assert found not in ArticlePage.objects.published()


def test_an_embargo_holds_in_draft_mode_too(source, frozen_now):
    source.mode = Source.Mode.DRAFT
    source.save()
    embargo = frozen_now + datetime.timedelta(hours=3)
    ingest_story(source, story(embargoed_until=embargo))
    found = article()
    assert found.get_latest_revision_as_object().go_live_at == embargo


def test_the_same_original_from_another_source_is_not_created_twice(source, sections, frozen_now):
    partner = Source.objects.create(
        name="Partner",
        kind=Source.Kind.RSS,
        location="https://partner.example.org/rss",
        default_section=sections["local"],
    )
    ingest_story(source, story())
    touched = ingest_story(partner, story(guid="https://partner.example.org/p/1"))
    assert touched.action == "skipped"
    assert "already on the site" in touched.detail
    assert ArticlePage.objects.filter(title__startswith="Bridge").count() == 1
