"""Campaigns and creatives for tests and the demo newsroom."""

import datetime
import tempfile
from pathlib import Path
from typing import Any

from django.utils import timezone

from newsdesk.articles.factories import make_image
from newsdesk.articles.services import image_from_file

from .models import SLOT_SIZES, Campaign, Creative


def make_campaign(**overrides: Any) -> Campaign:
    values: dict[str, Any] = {
        "name": "Spring offer",
        "advertiser": "Stadtwerke Musterstadt",
        "starts_at": timezone.now() - datetime.timedelta(days=1),
        "ends_at": None,
        "weight": 10,
    }
    sections = overrides.pop("sections", [])
    values.update(overrides)
    campaign = Campaign.objects.create(**values)
    if sections:
        campaign.sections.set(sections)
    return campaign


def make_image_creative(
    campaign: Campaign,
    placement: str,
    *,
    seed: int = 1,
    colour: tuple[int, int, int] = (30, 110, 80),
    alt_text: str = "Stadtwerke: switch to green power in five minutes",
    target_url: str = "https://advertiser.example/green-power",
    workdir: Path | None = None,
    **overrides: Any,
) -> Creative:
    """An image creative with a drawn picture for each device class of its placement."""
    workdir = workdir or Path(tempfile.mkdtemp(prefix="newsdesk-ads-"))
    images: dict[str, Any] = {}
    for device, (width, height) in SLOT_SIZES[placement].items():
        path = make_image(
            workdir / f"ad-{seed}-{placement}-{device}.jpg",
            seed=seed * 10 + len(images),
            colour=colour,
            size=(width, height),
            label=campaign.advertiser[:12],
        )
        images[device] = image_from_file(path, f"{campaign.advertiser} ({device})")
    values: dict[str, Any] = {
        "campaign": campaign,
        "name": f"{campaign.name} · {placement}",
        "placement": placement,
        "image_desktop": images["desktop"],
        "image_tablet": images["tablet"],
        "image_phone": images["phone"],
        "alt_text": alt_text,
        "target_url": target_url,
    }
    values.update(overrides)
    return Creative.objects.create(**values)


def make_code_creative(campaign: Campaign, placement: str, *, code: str, **overrides: Any) -> Creative:
    values: dict[str, Any] = {
        "campaign": campaign,
        "name": f"{campaign.name} · network",
        "placement": placement,
        "kind": Creative.Kind.CODE,
        "code": code,
        "label": Creative.Label.ADVERTISEMENT,
    }
    values.update(overrides)
    return Creative.objects.create(**values)
