"""Writes for subscribers: sign up, confirm, manage, unsubscribe, suppress, erase, import and export."""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import defusedcsv.csv as safe_csv
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from . import subscribers, tokens
from .models import Newsletter, Subscriber, Subscription
from .tasks import send_confirmation


class SignUpRefused(Exception):
    """A rule refused the sign-up; the message is for the reader."""

    def __init__(self, message: str | Promise, *, field: str | None = None, status: int = 400) -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.field = field
        self.status = status


def _address_hash(address: str) -> str:
    # Rate-limit keys must not hold the address itself (the cache is not a place for personal data).
    return hashlib.sha256(address.lower().encode()).hexdigest()[:32]


def _over_limit(key: str, limit: int, window: int) -> bool:
    if limit <= 0:
        return False
    cache.add(key, 0, window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        count = 1
    return count > limit


def request_signup(address: str, newsletters: Iterable[Newsletter], *, client: str | None, source: str) -> None:
    """Send a confirmation link for these newsletters; store nothing until it is followed.

    The reader sees the same answer whether the address is new, confirmed or suppressed.
    Raises SignUpRefused for bad input or too many attempts.
    """
    try:
        address = subscribers.clean_address(address)
    except ValidationError as error:
        raise SignUpRefused(error.messages[0], field="email") from error
    chosen = [newsletter for newsletter in newsletters if newsletter.public]
    if not chosen:
        raise SignUpRefused(_("Please choose at least one newsletter."), field="newsletters")
    hour = 60 * 60
    if client and _over_limit(
        f"newsletters:signup:client:{client}", settings.NEWSDESK_NEWSLETTER_SIGNUPS_PER_CLIENT, hour
    ):
        raise SignUpRefused(_("Too many sign-ups from your connection. Please try again later."), status=429)
    per_address = settings.NEWSDESK_NEWSLETTER_SIGNUPS_PER_ADDRESS
    if _over_limit(f"newsletters:signup:address:{_address_hash(address)}", per_address, hour):
        # Said the same way for every address, so it reveals nothing about the address.
        raise SignUpRefused(_("Too many sign-ups for this address. Please try again later."), status=429)
    token = tokens.confirmation_token(address, [newsletter.pk for newsletter in chosen], source)
    transaction.on_commit(lambda: send_confirmation.enqueue(address, token))


@transaction.atomic
def confirm(token: str, *, now: datetime.datetime | None = None) -> Subscriber:
    """Follow a confirmation link: the address receives the newsletters it asked for.

    Raises tokens.BadLink for an altered or expired link. Following it twice changes nothing.
    """
    signup = tokens.read_confirmation(token)
    try:
        address = subscribers.clean_address(signup.email)
    except ValidationError as error:
        raise tokens.BadLink from error
    now = now or timezone.now()
    subscriber = subscribers.subscriber_for(address)
    changed = []
    if subscriber.confirmed_at is None:
        subscriber.confirmed_at = now
        subscriber.consent_source = signup.source
        changed += ["confirmed_at", "consent_source"]
    if subscriber.suppressed_at is not None:
        # Confirming anew is the one way back from a bounce or a complaint.
        subscriber.suppressed_at, subscriber.suppressed_reason = None, ""
        changed += ["suppressed_at", "suppressed_reason"]
    if changed:
        subscriber.save(update_fields=changed)
    newsletters = Newsletter.objects.filter(pk__in=signup.newsletter_ids)
    Subscription.objects.bulk_create(
        [Subscription(subscriber=subscriber, newsletter=newsletter) for newsletter in newsletters],
        ignore_conflicts=True,
    )
    return subscriber


def subscriber_from_manage_token(token: str) -> Subscriber:
    pk, key = tokens.read_manage(token)
    subscriber = Subscriber.objects.filter(pk=pk, key=key).first()
    if subscriber is None:
        raise tokens.BadLink
    return subscriber


def manage_token(subscriber: Subscriber) -> str:
    return tokens.manage_token(subscriber.pk, subscriber.key)


def unsubscribe_token(subscriber: Subscriber, newsletter: Newsletter) -> str:
    return tokens.unsubscribe_token(subscriber.pk, subscriber.key, newsletter.pk)


def unsubscribe_by_token(token: str) -> tuple[Subscriber, Newsletter]:
    """The one-click unsubscribe (RFC 8058): no cookie, no login, only the signed link."""
    pk, key, newsletter_id = tokens.read_unsubscribe(token)
    subscriber = Subscriber.objects.filter(pk=pk, key=key).first()
    newsletter = Newsletter.objects.filter(pk=newsletter_id).first()
    if subscriber is None or newsletter is None:
        raise tokens.BadLink
    Subscription.objects.filter(subscriber=subscriber, newsletter=newsletter).delete()
    return subscriber, newsletter


def set_subscriptions(subscriber: Subscriber, newsletters: Iterable[Newsletter]) -> None:
    """The manage page's choice: exactly these newsletters (the link proved the mailbox)."""
    wanted = {newsletter.pk for newsletter in newsletters}
    with transaction.atomic():
        Subscription.objects.filter(subscriber=subscriber).exclude(newsletter_id__in=wanted).delete()
        Subscription.objects.bulk_create(
            [Subscription(subscriber=subscriber, newsletter_id=pk) for pk in wanted], ignore_conflicts=True
        )


def erase(subscriber: Subscriber) -> None:
    """The reader's own erasure: the address and its subscriptions go; delivery counts stay, without it."""
    subscriber.delete()


def erase_address(address: str) -> int:
    """An Admin's erasure request: every subscriber row for this address (0 or 1)."""
    deleted, _by_model = Subscriber.objects.filter(email__iexact=address.strip()).delete()
    return 1 if deleted else 0


def suppress_many(addresses: Iterable[str], reason: str) -> tuple[int, list[str]]:
    """An Admin's bulk suppression (plain SMTP has no bounce webhooks): (suppressed, refused lines)."""
    done, refused = 0, []
    for line in addresses:
        address = line.strip()
        if not address:
            continue
        if subscribers.suppress(address, reason) is None:
            refused.append(address[:100])
        else:
            done += 1
    return done, refused


def export_rows() -> Iterator[list[str]]:
    yield ["email", "confirmed_at", "consent_source", "newsletters", "suppressed_at", "suppressed_reason"]
    rows = Subscriber.objects.order_by("pk").prefetch_related("newsletters")
    for subscriber in rows.iterator(chunk_size=2000):
        yield [
            subscriber.email,
            subscriber.confirmed_at.isoformat() if subscriber.confirmed_at else "",
            subscriber.consent_source,
            " ".join(sorted(newsletter.slug for newsletter in subscriber.newsletters.all())),
            subscriber.suppressed_at.isoformat() if subscriber.suppressed_at else "",
            subscriber.suppressed_reason,
        ]


def export_csv(stream: io.TextIOBase) -> None:
    """Every subscriber, with consent and newsletters; cells a spreadsheet would run are defused."""
    writer = safe_csv.writer(stream)
    for row in export_rows():
        writer.writerow(row)


@dataclass
class ImportReport:
    confirmed: int = 0
    confirmations_sent: int = 0
    refused: list[str] = field(default_factory=list)


TRUE_WORDS = {"yes", "y", "true", "1", "confirmed"}
MAX_IMPORT_ROWS = 200_000


def import_csv(text: str, newsletter: Newsletter, *, now: datetime.datetime | None = None) -> ImportReport:
    """Import addresses for one newsletter from CSV with a header row.

    Columns: `email` and `consent_source` (both required), `confirmed` (yes/no, optional).
    An address marked confirmed is subscribed with its consent source on record; any other
    is sent a confirmation link and stored only once it is followed. A line with a bad
    address or no consent source is refused and listed; the other lines still count.
    """
    now = now or timezone.now()
    report = ImportReport()
    reader = csv.DictReader(io.StringIO(text))
    columns = {name.strip().lower() for name in (reader.fieldnames or [])}
    if not {"email", "consent_source"} <= columns:
        raise ValidationError(_("The file needs a header row with the columns email and consent_source."))
    for number, raw in enumerate(reader, start=2):
        if number > MAX_IMPORT_ROWS + 1:
            report.refused.append(
                _("Line %(line)s and after: more than %(max)s rows.") % {"line": number, "max": MAX_IMPORT_ROWS}
            )
            break
        row = {
            (key or "").strip().lower(): (value or "").strip() for key, value in raw.items() if isinstance(value, str)
        }
        source = row.get("consent_source", "")
        try:
            address = subscribers.clean_address(row.get("email", ""))
        except ValidationError as error:
            report.refused.append(_("Line %(line)s: %(why)s") % {"line": number, "why": error.messages[0]})
            continue
        if not source or any(ord(char) < 32 for char in source):
            report.refused.append(_("Line %(line)s: no consent source.") % {"line": number})
            continue
        if row.get("confirmed", "").lower() in TRUE_WORDS:
            with transaction.atomic():
                subscriber = subscribers.subscriber_for(address)
                if subscriber.suppressed_at is None:
                    if subscriber.confirmed_at is None:
                        subscriber.confirmed_at = now
                        subscriber.consent_source = f"import: {source}"[:300]
                        subscriber.save(update_fields=["confirmed_at", "consent_source"])
                    Subscription.objects.get_or_create(subscriber=subscriber, newsletter=newsletter)
                    report.confirmed += 1
                else:
                    report.refused.append(
                        _("Line %(line)s: the address is suppressed; it must confirm anew.") % {"line": number}
                    )
        else:
            token = tokens.confirmation_token(address, [newsletter.pk], f"import: {source}")
            send_confirmation.enqueue(address, token)
            report.confirmations_sent += 1
    return report
