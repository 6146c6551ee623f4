"""Commenting in a real browser: from a cached page, inline warnings, the held notice, moderation, no script runs."""

import pytest
from django.contrib.auth.models import Group

from newsdesk.comments.factories import CommentFactory
from newsdesk.comments.models import Comment
from newsdesk.core.roles import EDITORS

pytestmark = pytest.mark.django_db(transaction=True)
READER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'


@pytest.fixture
def story(article_factory):
    return article_factory(headline="Council backs tram line", with_image=True)


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("moderator", password="moderator-pass-123", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


def test_reader_comments_from_a_cached_page_and_a_moderator_approves(browser, live_server, story, editor, settings):
    settings.NEWSDESK_PAGE_CACHE = {**settings.NEWSDESK_PAGE_CACHE, "ENABLED": True}
    warm = browser.new_context(base_url=live_server.url)
    warm.new_page().goto(story.url)  # another reader's visit fills the page cache
    warm.close()
    reader = browser.new_context(base_url=live_server.url, user_agent=READER_UA)
    tab = reader.new_page()
    response = tab.goto(story.url)
    assert response is not None
    assert (response.headers.get("x-page-cache") or "").lower().startswith("hit")
    assert "csrfmiddlewaretoken" not in tab.content()

    form = tab.locator("#commentform")
    form.get_by_role("button", name="Post Comment").click()
    assert tab.locator("#id_comment-error").inner_text() == "Please enter your comment!"
    assert tab.locator("#id_name-error").inner_text() == "Please enter your name here"
    assert tab.locator("#id_email-error").inner_text() == "Please enter your email address here"
    assert tab.locator("#id_comment").get_attribute("aria-invalid") == "true"
    form.get_by_role("textbox", name="Email").fill("not an address")
    form.get_by_role("button", name="Post Comment").click()
    assert tab.locator("#id_email-error").inner_text() == "You have entered an incorrect email address!"

    form.get_by_role("textbox", name="Comment").fill("Will the night trams run on Sundays too?")
    form.get_by_role("textbox", name="Name").fill("Lena Vogt")
    form.get_by_role("textbox", name="Email").fill("lena@example.org")
    tab.wait_for_timeout(3200)  # a person takes longer than the minimum fill time
    form.get_by_role("button", name="Post Comment").click()
    tab.wait_for_url("**/comments/post/**")
    assert tab.get_by_role("status").inner_text() == "Your comment is awaiting moderation."
    comment = Comment.objects.get(email="lena@example.org")
    assert comment.status == Comment.Status.PENDING

    # Back on the cached article, only this reader sees their held comment.
    tab.goto(story.url)
    held = tab.locator(f"#comment-{comment.pk}")
    held.wait_for()
    assert "Your comment is awaiting moderation." in held.inner_text()
    stranger = browser.new_context(base_url=live_server.url).new_page()
    stranger.goto(story.url)
    assert stranger.locator(f"#comment-{comment.pk}").count() == 0

    moderator = browser.new_context(base_url=live_server.url).new_page()
    moderator.goto("/admin/login/")
    moderator.get_by_label("Username").fill("moderator")
    moderator.get_by_label("Password").fill("moderator-pass-123")
    moderator.get_by_role("button", name="Sign in").click()
    moderator.wait_for_url("**/admin/")
    approve_in_admin(moderator, comment)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED

    # A new visitor (no browser cache) gets the purged, re-rendered page.
    later = browser.new_context(base_url=live_server.url).new_page()
    later.goto(story.url)
    shown = later.locator(f"#comment-{comment.pk}")
    assert "Will the night trams run on Sundays too?" in shown.inner_text()
    assert later.locator(".comments__count").inner_text().strip().lower() == "1 comment"
    reader.close()


def approve_in_admin(tab, comment) -> None:
    tab.goto("/admin/snippets/comments/comment/?status=pending")
    row = tab.locator("tr", has_text="Will the night trams run on Sundays too?")
    row.get_by_role("button", name="Approve").click()
    tab.wait_for_load_state("load")


def test_script_in_every_field_never_runs(page, story):
    CommentFactory(
        article=story, name=HOSTILE, body=HOSTILE, website='https://x.example/"><script>window.__pwned=3</script>'
    )
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(story.url)
    page.wait_for_load_state("load")
    assert page.evaluate("() => window.__pwned") is None
    assert HOSTILE in page.locator(".comment__body").inner_text()
    assert dialogs == []
