import pytest
from django.utils.timezone import now

from newsdesk.comments import spam
from newsdesk.comments.factories import CommentFactory
from newsdesk.comments.models import Comment, SpamCorpus, SpamToken
from newsdesk.comments.services import moderate

pytestmark = pytest.mark.django_db

SPAMMY = [
    "Cheap watches and replica bags, best price, visit our shop now",
    "Best price replica watches, free shipping, order now from our shop",
    "Earn money fast from home, best casino bonus, visit now",
    "Casino bonus and cheap replica bags, best price today",
]
HAMMY = [
    "The council should publish the tram timetable before the vote",
    "My children take the bus to school; the new tram stop will help",
    "I was at the meeting and the mayor promised a second consultation",
    "Thanks for the clear report on the budget and the tram line",
]


def held(story, text: str) -> Comment:
    return Comment.objects.create(
        article=story, name="Tester", email="t@example.org", body=text, status=Comment.Status.PENDING, created_at=now()
    )


def train(story) -> None:
    for text in SPAMMY:
        moderate(held(story, text), Comment.Status.SPAM)
    for text in HAMMY:
        moderate(held(story, text), Comment.Status.APPROVED)


def score(text: str) -> float | None:
    return spam.spam_probability(spam.tokens(body=text))


def test_the_filter_abstains_before_it_has_learned(story):
    assert score("Cheap replica watches, best price") is None


def test_after_training_spam_scores_high_and_news_talk_low(story):
    train(story)
    spam = score("Replica watches at the best price, visit our shop")
    news = score("Will the tram timetable change after the council vote?")
    assert spam is not None and news is not None
    assert spam > 0.9
    assert news < 0.5


def test_a_trained_filter_marks_a_new_spam_comment_as_spam(post, story, regular):
    train(story)
    post(comment="Best price on replica watches, visit our shop now", ip="198.51.100.99")
    comment = Comment.objects.get(body__startswith="Best price on replica")
    assert comment.status == Comment.Status.SPAM
    assert comment.reason.startswith("spam filter:")
    assert comment.spam_score is not None
    assert comment.spam_score > 0.9


def test_changing_a_decision_unlearns_the_old_one(story):
    comment = CommentFactory.create(article=story, body="ambiguous words here", status=Comment.Status.PENDING)
    moderate(comment, Comment.Status.SPAM)
    moderate(comment, Comment.Status.APPROVED)
    row = SpamToken.objects.get(token="ambiguous")
    assert (row.spam, row.ham) == (0, 1)
    corpus = SpamCorpus.objects.get()
    assert (corpus.spam_comments, corpus.ham_comments) == (0, 1)


def test_the_same_decision_twice_counts_once(story):
    comment = CommentFactory.create(article=story, body="repeated lesson", status=Comment.Status.PENDING)
    moderate(comment, Comment.Status.SPAM)
    moderate(comment, Comment.Status.SPAM)
    assert SpamToken.objects.get(token="repeated").spam == 1


def test_link_hosts_and_email_domains_are_tokens():
    found = spam.tokens(body="see https://pills.example/buy", email="x@spam.example", website="https://w.example/")
    assert {"link:pills.example", "mail:spam.example", "site:w.example"} <= found


def test_a_rejected_comment_can_be_rescued(post, regular):
    from newsdesk.comments.models import CommentSettings  # noqa: F401 - settings row made on demand
    from newsdesk.comments.services import comment_settings, forget_comment_settings

    rules = comment_settings()
    rules.blocked_words = "tram"
    rules.save()
    forget_comment_settings()
    post(comment="The tram is late again.")
    comment = Comment.objects.get(body="The tram is late again.")
    assert comment.status == Comment.Status.TRASH
    moderate(comment, Comment.Status.APPROVED)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
