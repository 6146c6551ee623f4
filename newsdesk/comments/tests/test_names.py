"""Names that pass for the newsroom's, the Staff badge, right-to-left names, website schemes."""

import pytest
from django.contrib.auth.models import Group, User

from newsdesk.comments.factories import CommentFactory
from newsdesk.comments.models import Comment, CommentSettings
from newsdesk.comments.services import comment_settings, forget_comment_settings
from newsdesk.core.roles import EDITORS, WRITERS

pytestmark = pytest.mark.django_db
RLO, PDF = "\u202e", "\u202c"


@pytest.fixture(autouse=True)
def _no_first_comment_hold(story) -> CommentSettings:
    """Only the name decides here: a new reader's first comment is not held for being first.
    (After `story`, which makes the site the rules belong to.)"""
    rules = comment_settings()
    rules.hold_first_comments = False
    rules.save()
    forget_comment_settings()
    return rules


@pytest.fixture
def writer(db) -> User:
    """A newsroom member by group only (not Django staff), as Writers are."""
    user = User.objects.create_user("oberg", first_name="Olga", last_name="Berg", password="pw-olga-123456")
    user.groups.add(Group.objects.get(name=WRITERS))
    return user


def stored(body: str = "The new stop will help the school run a lot.") -> Comment:
    return Comment.objects.get(body=body)


@pytest.mark.parametrize(
    "name",
    [
        "Ol\u200bga Berg",  # a zero-width space inside
        "Olg\u0430 Berg",  # Cyrillic small a
        "\u039flga Berg",  # Greek capital Omicron
        "OLGA berg",  # the exact name in another case
        "\uff2f\uff4c\uff47\uff41 Berg",  # full-width letters (NFKC)
        "Olga Berg (editor)",  # the whole name inside a longer one
    ],
)
def test_a_name_that_passes_for_a_staff_members_is_held_and_flagged(post, writer, name):
    post(name=name)
    comment = stored()
    assert comment.status == Comment.Status.PENDING
    assert comment.reason == "name resembles staff member Olga Berg"


def test_a_staff_username_is_held_and_flagged(post, writer):
    post(name="OBerg")
    assert stored().reason == "name resembles staff member oberg"


def test_an_authors_byline_is_held_and_flagged(post, story):
    post(name="\u0410nna Weber")
    assert stored().reason == "name resembles staff member Anna Weber"


def test_django_staff_without_a_group_count_as_staff(post, django_user_model):
    django_user_model.objects.create_user("desk", first_name="Ines", last_name="Roth", is_staff=True)
    post(name="Ines Roth")
    assert stored().status == Comment.Status.PENDING


def test_an_inactive_account_is_not_protected(post, writer):
    writer.is_active = False
    writer.save()
    post(name="Olga Berg")
    assert stored().status == Comment.Status.APPROVED


def test_an_ordinary_name_is_published(post, writer):
    post(name="Olga Bergmann-Ruiz")
    comment = stored()
    assert (comment.status, comment.reason) == (Comment.Status.APPROVED, "")


def test_a_name_with_accents_of_its_own_is_published(post, writer):
    post(name="Jos\u00e9 N\u00fa\u00f1ez")
    assert stored().status == Comment.Status.APPROVED


def test_the_flag_joins_a_reason_the_rules_already_gave(post, writer):
    rules = comment_settings()
    rules.moderation_words = "tram"
    rules.save()
    forget_comment_settings()
    post(name="Olga Berg", comment="The tram is late.")
    assert stored("The tram is late.").reason == "moderation word: tram; name resembles staff member Olga Berg"


def test_a_name_of_invisible_characters_only_is_refused(post):
    response = post(name="\u200b\u200d \u2060")
    assert response.status_code == 400
    assert not Comment.objects.exists()


# --- The Staff badge ------------------------------------------------------------------


def badges(soup, client, story) -> list[str]:
    page = soup(client.get(story.url))
    return [badge.get_text(strip=True) for badge in page.select(".comment-list .comment__badge")]


def test_a_signed_in_newsroom_member_earns_the_badge(client, post, writer, story, soup):
    client.force_login(writer)
    post(name="Olga Berg")
    comment = stored()
    assert (comment.by_staff, comment.status, comment.reason) == (True, Comment.Status.APPROVED, "")
    client.logout()
    assert badges(soup, client, story) == ["Staff"]


def test_a_signed_in_reader_without_a_newsroom_role_gets_no_badge(client, post, django_user_model):
    client.force_login(django_user_model.objects.create_user("reader", password="pw-reader-12345"))
    post(name="Mara Lind")
    assert stored().by_staff is False


def test_the_badge_cannot_be_asked_for_in_the_form(client, post, story, soup):
    post(name="Mara Lind", by_staff="1", staff="on")
    assert stored().by_staff is False
    assert badges(soup, client, story) == []


def test_a_staff_reply_from_the_admin_carries_the_badge(story, django_user_model):
    from newsdesk.comments.services import staff_reply

    editor = django_user_model.objects.create_user("ed", first_name="Ed", last_name="Stone")
    editor.groups.add(Group.objects.get(name=EDITORS))
    parent = CommentFactory.create(article=story)
    assert staff_reply(parent=parent, user=editor, body="Thanks, corrected.").by_staff is True


# --- Right-to-left names ---------------------------------------------------------------


def test_a_stored_right_to_left_override_stays_inside_the_name(client, story, soup):
    name = f"Mara{RLO}gnp.exe"
    CommentFactory.create(article=story, name=name, website="https://mara.example/")
    author = soup(client.get(story.url)).select_one(".comment-list .comment__author")
    isolated = author.select_one("a > bdi")
    assert isolated.get_text() == name
    # Nothing of the name sits outside its <bdi>.
    assert author.get_text() == name


def test_comment_bodies_take_their_direction_from_their_text(client, story, soup):
    CommentFactory.create(article=story, body="\u05e9\u05dc\u05d5\u05dd")
    assert soup(client.get(story.url)).select_one(".comment-list .comment__body")["dir"] == "auto"


def test_bidi_controls_are_removed_from_a_posted_name_and_flagged(post):
    post(name=f"Mara {RLO}dniL{PDF}")
    comment = stored()
    assert comment.name == "Mara dniL"
    assert comment.status == Comment.Status.PENDING
    assert comment.reason == "name had right-to-left/bidi control characters (removed)"


def test_the_reply_form_isolates_the_name_it_replies_to(client, story, soup):
    parent = CommentFactory.create(article=story, name=f"Mara{RLO}xyz")
    page = soup(client.get(f"/comments/reply/{parent.pk}/"))
    assert page.select_one(".comment-form__replying bdi").get_text() == f"Mara{RLO}xyz"


# --- Website ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "website",
    ["ftp://files.example/", "javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "file:///etc/passwd"],
)
def test_a_website_other_than_http_or_https_is_refused_with_a_clear_message(post, soup, website):
    response = post(website=website)
    assert response.status_code == 400
    errors = [error.get_text(strip=True) for error in soup(response).select(".comment-form__error")]
    assert "Your website's address must start with http:// or https://." in errors
    assert not Comment.objects.exists()


@pytest.mark.parametrize("website", ["http://mara.example/", "https://mara.example/blog", "mara.example"])
def test_web_addresses_are_accepted(post, website):
    post(website=website)
    assert stored().website.startswith(("http://", "https://"))


def test_the_service_refuses_another_scheme_whoever_calls_it(story):
    from newsdesk.comments.services import CommentRejected, Submission, post_comment

    submission = Submission(article=story, name="Mara", email="m@example.org", website="ftp://x.example/", body="Hi")
    with pytest.raises(CommentRejected) as refused:
        post_comment(submission)
    assert refused.value.field == "website"


@pytest.mark.parametrize("website", ["javascript:alert(1)", " JavaScript:alert(1)", "ftp://files.example/"])
def test_a_stored_website_of_another_scheme_is_never_a_link(client, story, soup, website):
    CommentFactory.create(article=story, name="Mara", website=website)
    author = soup(client.get(story.url)).select_one(".comment-list .comment__author")
    assert author.select("a") == []
    assert author.get_text() == "Mara"


# --- Moderation ------------------------------------------------------------------------


@pytest.fixture
def moderator(client, django_user_model) -> User:
    editor = django_user_model.objects.create_user("ed", password="pw-ed-123456")
    editor.groups.add(Group.objects.get(name=EDITORS))
    client.force_login(editor)
    return editor


def edit_page(client, soup, comment):
    return soup(client.get(f"/admin/snippets/comments/comment/edit/{comment.pk}/"))


def test_moderation_shows_what_a_look_alike_name_is_made_of(client, story, soup, moderator):
    comment = CommentFactory.create(article=story, name="\u041elga")
    points = [code.get_text() for code in edit_page(client, soup, comment).select(".comment-status__code-points code")]
    assert points == [
        "U+041E CYRILLIC CAPITAL LETTER O",
        "U+006C LATIN SMALL LETTER L",
        "U+0067 LATIN SMALL LETTER G",
        "U+0061 LATIN SMALL LETTER A",
    ]


def test_moderation_shows_invisible_characters_in_a_name(client, story, soup, moderator):
    comment = CommentFactory.create(article=story, name="Ol\u200bga")
    points = [code.get_text() for code in edit_page(client, soup, comment).select(".comment-status__code-points code")]
    assert "U+200B ZERO WIDTH SPACE" in points


def test_moderation_shows_no_code_points_for_a_plain_latin_name(client, story, soup, moderator):
    comment = CommentFactory.create(article=story, name="Jos\u00e9 Berg-Lind")
    assert edit_page(client, soup, comment).select(".comment-status__code-points") == []


def test_the_moderation_listing_spells_out_a_look_alike_name(client, story, soup, moderator):
    CommentFactory.create(article=story, name="\u041elga", status=Comment.Status.PENDING)
    CommentFactory.create(article=story, name="Mara", status=Comment.Status.PENDING)
    page = soup(client.get("/admin/snippets/comments/comment/"))
    cells = [cell.get_text(strip=True) for cell in page.select("tbody td")]
    assert "U+041E U+006C U+0067 U+0061" in cells
    assert not any(cell.startswith("U+004D") for cell in cells)


def test_moderation_marks_a_staff_comment(client, story, soup, moderator):
    comment = CommentFactory.create(article=story, by_staff=True)
    status = edit_page(client, soup, comment).select_one(".comment-status__status").get_text(strip=True)
    assert status == "Approved · Staff"
