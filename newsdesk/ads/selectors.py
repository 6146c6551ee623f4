"""Which creatives a slot may show. Site-wide and cached: a page render asks the database nothing."""

from dataclasses import dataclass, field
from typing import cast

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone

from newsdesk.core import fragments

from .hosts import allow_list, host_allowed
from .models import SLOT_SIZES, AdSettings, Campaign, Creative

ACTIVE_CACHE_KEY = "ads:active-creatives"
ACTIVE_CACHE_SECONDS = 60
MAX_PER_SLOT = 5


@dataclass(frozen=True)
class SlotCreative:
    """One running creative, ready to place: its markup is rendered once, not per page."""

    id: int
    placement: str
    weight: int
    devices: tuple[str, ...]
    off_devices: tuple[str, ...]
    sections: frozenset[int]
    hide_for_staff: bool
    starts: int
    ends: int | None
    label: str
    html: str = field(repr=False)


def _renditions(creative: Creative) -> dict[str, dict[str, object]]:
    """One fixed-size rendition per device class, falling back to the larger image."""
    images = {
        "desktop": creative.image_desktop,
        "tablet": creative.image_tablet or creative.image_desktop,
        "phone": creative.image_phone or creative.image_tablet or creative.image_desktop,
    }
    result = {}
    for device, image in images.items():
        width, height = SLOT_SIZES[creative.placement][device]
        rendition = image.get_rendition(f"fill-{width}x{height}|format-webp")  # type: ignore[union-attr]
        result[device] = {"url": rendition.url, "width": rendition.width, "height": rendition.height}
    return result


def _prepare(creative: Creative) -> SlotCreative:
    campaign = creative.campaign
    context = {
        "creative": creative,
        "campaign": campaign,
        "sizes": SLOT_SIZES[creative.placement],
        "renditions": _renditions(creative) if creative.kind == Creative.Kind.IMAGE else None,
    }
    return SlotCreative(
        id=creative.pk,
        placement=creative.placement,
        weight=campaign.weight,
        devices=tuple(campaign.devices),
        off_devices=tuple(device for device in ("desktop", "tablet", "phone") if device not in campaign.devices),
        sections=frozenset(section.pk for section in campaign.sections.all()),
        hide_for_staff=campaign.hide_for_staff,
        starts=int(campaign.starts_at.timestamp()),
        ends=int(campaign.ends_at.timestamp()) if campaign.ends_at else None,
        label=creative.get_label_display(),
        html=render_to_string("ads/creative.html", context),
    )


def active_creatives() -> list[SlotCreative]:
    """Creatives of running campaigns. Campaigns that start or end are picked up within a minute.

    Read once per request: a page has a slot for each placement.
    """
    return fragments.once_per_request(ACTIVE_CACHE_KEY, _active_creatives)


def _active_creatives() -> list[SlotCreative]:
    prepared = cache.get(ACTIVE_CACHE_KEY)
    if prepared is None:
        creatives = (
            Creative.objects.filter(campaign__in=Campaign.objects.running())
            .select_related("campaign", "image_desktop", "image_tablet", "image_phone")
            .prefetch_related("campaign__sections")
            .exclude(kind=Creative.Kind.IMAGE, image_desktop__isnull=True)
        )
        # An image ad linking to a host the Admins' list does not allow would only send readers home.
        hosts = allowed_click_hosts()
        prepared = [
            _prepare(creative)
            for creative in creatives
            if creative.kind != Creative.Kind.IMAGE or host_allowed(creative.target_url, hosts)
        ]
        cache.set(ACTIVE_CACHE_KEY, prepared, ACTIVE_CACHE_SECONDS)
    return prepared


def forget_active_creatives() -> None:
    cache.delete(ACTIVE_CACHE_KEY)
    fragments.forget_in_request(ACTIVE_CACHE_KEY)


def slot_creatives(placement: str, *, section_id: int | None = None, staff: bool = False) -> list[SlotCreative]:
    """The creatives a slot may rotate through, heaviest first (the first shows without JavaScript)."""
    now = int(timezone.now().timestamp())
    eligible = [
        item
        for item in active_creatives()
        if item.placement == placement
        and (not item.sections or section_id in item.sections)
        and not (staff and item.hide_for_staff)
        and item.starts <= now
        and (item.ends is None or item.ends > now)
    ]
    eligible.sort(key=lambda item: (-item.weight, item.id))
    return eligible[:MAX_PER_SLOT]


SETTINGS_CACHE_KEY = "ads:settings"


def ad_settings() -> dict[str, object]:
    """The default site's ad settings, cached so pages need no query for them."""
    values = cache.get(SETTINGS_CACHE_KEY)
    if values is None:
        # An unsaved instance carries the model's defaults.
        row = AdSettings.objects.filter(site__is_default_site=True).first() or AdSettings()
        values = {
            "inline_after_paragraph": row.inline_after_paragraph,
            "ads_txt": row.ads_txt,
            "click_hosts": allow_list(row.click_hosts),
        }
        cache.set(SETTINGS_CACHE_KEY, values, ACTIVE_CACHE_SECONDS)
    return values


def allowed_click_hosts() -> list[str]:
    """The Admins' allow-list of link hosts, in ASCII; empty allows every host."""
    return cast("list[str]", ad_settings()["click_hosts"])


def forget_ad_settings() -> None:
    cache.delete(SETTINGS_CACHE_KEY)


def inline_slot_index(blocks: list[str], after_paragraph: int) -> int:
    """Index of the body block the inline slot follows: the Nth paragraph, quotes and
    other blocks not counted, or the last block when the article is shorter."""
    seen = 0
    for index, block_type in enumerate(blocks):
        if block_type == "paragraph":
            seen += 1
            if seen == after_paragraph:
                return index
    return len(blocks) - 1
