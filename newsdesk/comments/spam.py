"""A local, learning spam filter: naive Bayes over tokens, trained by moderators' decisions.

No cloud service sees a reader's comment. Approving a comment teaches "ham", marking it
spam teaches "spam"; changing one's mind unlearns the earlier lesson first. Scoring
combines the most telling tokens (those furthest from 0.5), as Paul Graham's "A Plan
for Spam" describes, which keeps long comments from drowning the signal.
"""

import math
import re
from urllib.parse import urlsplit

from django.db import transaction
from django.db.models import F

from .models import Comment, SpamCorpus, SpamToken, TrainingRecord

WORD = re.compile(r"[^\W_]{2,30}", re.UNICODE)
URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
INTERESTING = 15
UNKNOWN = 0.4  # a token never seen leans slightly towards ham
MIN_SEEN = 2  # tokens seen fewer times than this say too little to count


def tokens(*, body: str, name: str = "", website: str = "", email: str = "") -> set[str]:
    """Words of the comment, plus marked tokens for link hosts, the website host and the email domain."""
    found = {word.lower() for word in WORD.findall(body)}
    found |= {f"name:{word.lower()}" for word in WORD.findall(name)}
    for url in URL.findall(body):
        host = urlsplit(url).hostname or ""
        found.add(f"link:{host}")
    if website:
        found.add(f"site:{urlsplit(website).hostname or ''}")
    if "@" in email:
        found.add(f"mail:{email.rsplit('@', 1)[1].lower()}")
    return {token[:64] for token in found}


def comment_tokens(comment: Comment) -> set[str]:
    return tokens(body=comment.body, name=comment.name, website=comment.website, email=comment.email)


def _corpus() -> SpamCorpus:
    corpus = SpamCorpus.objects.select_for_update().first()
    return corpus or SpamCorpus.objects.create()


def _apply(words: set[str], *, as_spam: bool, sign: int) -> None:
    field = "spam" if as_spam else "ham"
    existing = set(SpamToken.objects.filter(token__in=words).values_list("token", flat=True))
    if sign > 0:
        SpamToken.objects.bulk_create([SpamToken(token=word) for word in words - existing], ignore_conflicts=True)
        SpamToken.objects.filter(token__in=words).update(**{field: F(field) + 1})
    else:
        SpamToken.objects.filter(token__in=words, **{f"{field}__gt": 0}).update(**{field: F(field) - 1})
    corpus = _corpus()
    total = "spam_comments" if as_spam else "ham_comments"
    setattr(corpus, total, max(0, getattr(corpus, total) + sign))
    corpus.save(update_fields=[total])


@transaction.atomic
def learn(comment: Comment, *, as_spam: bool) -> None:
    """Teach the filter one moderator decision (idempotent for the same decision)."""
    record = TrainingRecord.objects.select_for_update().filter(comment=comment).first()
    if record is not None and record.as_spam == as_spam:
        return
    words = comment_tokens(comment)
    if record is not None:
        _apply(words, as_spam=record.as_spam, sign=-1)
        record.as_spam = as_spam
        record.save(update_fields=["as_spam"])
    else:
        TrainingRecord.objects.create(comment=comment, as_spam=as_spam)
    _apply(words, as_spam=as_spam, sign=+1)


@transaction.atomic
def forget(comment: Comment) -> None:
    """Unlearn a comment (a decision taken back to "pending", or trash)."""
    record = TrainingRecord.objects.select_for_update().filter(comment=comment).first()
    if record is None:
        return
    _apply(comment_tokens(comment), as_spam=record.as_spam, sign=-1)
    record.delete()


def spam_probability(words: set[str]) -> float | None:
    """P(spam | tokens), or None while the filter has not learned both kinds yet."""
    corpus = SpamCorpus.objects.first()
    if corpus is None or not corpus.spam_comments or not corpus.ham_comments:
        return None
    counts = {row.token: row for row in SpamToken.objects.filter(token__in=words)}
    probabilities = []
    for word in words:
        row = counts.get(word)
        if row is None or row.spam + row.ham < MIN_SEEN:
            probabilities.append(UNKNOWN)
            continue
        spam_rate = min(1.0, row.spam / corpus.spam_comments)
        ham_rate = min(1.0, row.ham / corpus.ham_comments)
        probability = spam_rate / (spam_rate + ham_rate)
        probabilities.append(min(0.99, max(0.01, probability)))
    if not probabilities:
        return None
    telling = sorted(probabilities, key=lambda p: abs(p - 0.5), reverse=True)[:INTERESTING]
    # Combine in log space so many tokens do not underflow.
    log_spam = sum(math.log(p) for p in telling)
    log_ham = sum(math.log(1 - p) for p in telling)
    return 1 / (1 + math.exp(log_ham - log_spam))


def link_count(text: str) -> int:
    return len(URL.findall(text))


def matched_word(text: str, words: list[str]) -> str | None:
    lowered = text.lower()
    return next((word for word in words if word and word in lowered), None)
