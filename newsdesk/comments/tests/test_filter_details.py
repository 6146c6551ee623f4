"""The spam filter's tokens and arithmetic at their edges, and threads whose parent is gone."""

import pytest

from newsdesk.comments import spam
from newsdesk.comments.factories import CommentFactory
from newsdesk.comments.models import Comment, SpamCorpus, SpamToken, TrainingRecord
from newsdesk.comments.selectors import threads

pytestmark = pytest.mark.django_db


def test_words_are_lower_case_at_least_two_characters_and_split_at_underscores():
    assert spam.tokens(body="A Tram, a TRAM_line and 42!") == {"tram", "line", "and", "42"}


def test_the_name_gets_its_own_tokens():
    assert spam.tokens(body="", name="Casino King") == {"name:casino", "name:king"}


def test_a_token_is_at_most_64_characters():
    (token,) = spam.tokens(body="", website="https://" + "a" * 80 + ".example/")
    assert token == ("site:" + "a" * 80)[:64]


def test_an_address_without_at_sign_gives_no_mail_token():
    assert spam.tokens(body="", email="not-an-address") == set()


def test_the_filter_stays_silent_until_it_has_seen_both_kinds(story):
    moderated = CommentFactory.create(article=story, body="casino bonus", status=Comment.Status.PENDING)
    spam.learn(moderated, as_spam=True)
    assert spam.spam_probability({"casino"}) is None


def test_nothing_to_judge_is_no_judgement(story):
    spam.learn(CommentFactory.create(article=story, body="casino bonus"), as_spam=True)
    spam.learn(CommentFactory.create(article=story, body="tram timetable"), as_spam=False)
    assert spam.spam_probability(set()) is None


def test_a_token_seen_once_says_too_little(story):
    spam.learn(CommentFactory.create(article=story, body="casino"), as_spam=True)
    spam.learn(CommentFactory.create(article=story, body="tram"), as_spam=False)
    # Each word was seen once (fewer than MIN_SEEN times): both count as unknown, leaning to ham.
    assert spam.spam_probability({"casino"}) == pytest.approx(spam.UNKNOWN)


def test_forgetting_a_comment_never_trained_changes_nothing(story):
    spam.forget(CommentFactory.create(article=story, body="never judged"))
    assert not SpamToken.objects.exists()
    assert not SpamCorpus.objects.exists()


def test_forgetting_undoes_learning(story):
    comment = CommentFactory.create(article=story, body="casino bonus")
    spam.learn(comment, as_spam=True)
    spam.forget(comment)
    assert set(SpamToken.objects.values_list("spam", flat=True)) == {0}
    assert SpamCorpus.objects.get().spam_comments == 0
    assert not TrainingRecord.objects.exists()


def test_counts_never_go_below_zero(story):
    comment = CommentFactory.create(article=story, body="casino")
    spam.learn(comment, as_spam=True)
    SpamToken.objects.update(spam=0)
    SpamCorpus.objects.update(spam_comments=0)
    spam.forget(comment)
    assert (SpamToken.objects.get(token="casino").spam, SpamCorpus.objects.get().spam_comments) == (0, 0)


@pytest.mark.parametrize(("text", "count"), [("http://a.example https://b.example/x", 2), ("www.a.example", 0)])
def test_links_are_counted_by_their_scheme(text, count):
    assert spam.link_count(text) == count


def test_a_blocked_phrase_matches_inside_other_text():
    assert spam.matched_word("Buy CHEAP PILLS today", ["casino", "cheap pills"]) == "cheap pills"


def test_a_reply_whose_parent_is_not_shown_stands_on_its_own(story):
    parent = CommentFactory.create(article=story, status=Comment.Status.TRASH)
    reply = CommentFactory.create(article=story, parent=parent, depth=2)
    (alone,) = threads([reply])
    assert (alone.comment, alone.replies) == (reply, [])


def test_a_reply_to_a_removed_comment_still_shows_on_the_article(client, story, soup):
    parent = CommentFactory.create(article=story, name="Removed", status=Comment.Status.TRASH)
    CommentFactory.create(article=story, parent=parent, depth=2, name="Still here")
    names = [name.get_text(strip=True) for name in soup(client.get(story.url)).select(".comment-list .comment__author")]
    assert names == ["Still here"]


def test_threads_keep_the_order_comments_came_in_at_every_level(story):
    first = CommentFactory.create(article=story, name="First")
    second = CommentFactory.create(article=story, name="Second")
    reply_one = CommentFactory.create(article=story, parent=first, depth=2, name="Reply one")
    reply_two = CommentFactory.create(article=story, parent=first, depth=2, name="Reply two")
    roots = threads([first, second, reply_one, reply_two])
    assert [root.comment for root in roots] == [first, second]
    assert [node.comment for node in roots[0].replies] == [reply_one, reply_two]
