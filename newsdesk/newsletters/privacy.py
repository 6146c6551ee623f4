"""What newsletters hold about one address, for an Admin's access and erasure requests (core.privacy)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from newsdesk.core.privacy import PrivacySource

from . import services
from .models import Delivery, Subscriber

# Exporting and erasing an address is the Admins' (Editors do not hold it; core/roles.py).
PERMISSION = "newsletters.delete_subscriber"


def _moment(value: object) -> str | None:
    return value.isoformat() if value is not None else None  # type: ignore[attr-defined]


def export_address(email: str) -> dict[str, object]:
    """The subscriber row, its subscriptions and how many editions were sent to it."""
    subscriber = Subscriber.objects.filter(email__iexact=email.strip()).first()
    if subscriber is None:
        return {"subscriber": None, "subscriptions": [], "deliveries": 0}
    subscriptions = subscriber.subscriptions.select_related("newsletter").order_by("newsletter__name")
    return {
        "subscriber": {
            "email": subscriber.email,
            "created_at": _moment(subscriber.created_at),
            "confirmed_at": _moment(subscriber.confirmed_at),
            "consent_source": subscriber.consent_source,
            "suppressed_at": _moment(subscriber.suppressed_at),
            "suppressed_reason": subscriber.suppressed_reason,
        },
        "subscriptions": [
            {"newsletter": row.newsletter.name, "slug": row.newsletter.slug, "since": _moment(row.created_at)}
            for row in subscriptions
        ],
        "deliveries": Delivery.objects.filter(subscriber=subscriber, status=Delivery.Status.SENT).count(),
    }


def privacy_source() -> PrivacySource:
    return PrivacySource(
        key="newsletters",
        label=str(_("Newsletters")),
        export=export_address,
        erase=services.erase_address,
        permission=PERMISSION,
    )
