"""Sponsored slots: campaigns, their creatives, daily figures, and ads.txt."""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from .hosts import validate_allow_list


class Placement(models.TextChoices):
    HEADER = "header", _("Header")
    ARTICLE_TOP = "article-top", _("Article top")
    ARTICLE_INLINE = "article-inline", _("Article inline (after paragraph N)")
    ARTICLE_BOTTOM = "article-bottom", _("Article bottom")
    SIDEBAR = "sidebar", _("Sidebar")
    FOOTER = "footer", _("Footer")


# The box each placement reserves per device class (width, height): phone < 768 px,
# tablet 768-1139 px, desktop ≥ 1140 px. The page reserves it before any ad loads.
SLOT_SIZES: dict[str, dict[str, tuple[int, int]]] = {
    Placement.HEADER: {"desktop": (970, 90), "tablet": (728, 90), "phone": (320, 50)},
    Placement.ARTICLE_TOP: {"desktop": (728, 90), "tablet": (728, 90), "phone": (320, 100)},
    Placement.ARTICLE_INLINE: {"desktop": (728, 90), "tablet": (468, 60), "phone": (300, 250)},
    Placement.ARTICLE_BOTTOM: {"desktop": (728, 90), "tablet": (728, 90), "phone": (320, 100)},
    Placement.SIDEBAR: {"desktop": (300, 250), "tablet": (300, 250), "phone": (300, 250)},
    Placement.FOOTER: {"desktop": (970, 90), "tablet": (728, 90), "phone": (320, 50)},
}

# Alt texts that describe nothing (the reference theme's "spot_img" among them).
PLACEHOLDER_ALT = re.compile(
    r"^\s*(spot_?img|adspot_?img|ad|ads|advert|advertisement|banner|image|img|picture|photo|sponsored|alt|"
    r"placeholder|untitled|[\w-]+\.(jpe?g|png|gif|webp|avif|svg))\s*$",
    re.IGNORECASE,
)


def validate_alt_text(value: str) -> None:
    if len(value.strip()) < 5 or PLACEHOLDER_ALT.match(value):
        raise ValidationError(
            _("Describe what the ad shows and says, e.g. “Stadtwerke: switch to green power in five minutes”."),
            code="placeholder_alt",
        )


class CampaignQuerySet(models.QuerySet["Campaign"]):
    def running(self, now: datetime.datetime | None = None) -> "CampaignQuerySet":
        now = now or timezone.now()
        return self.filter(is_active=True, starts_at__lte=now).filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))


class Campaign(models.Model):
    name = models.CharField(max_length=120)
    advertiser = models.CharField(max_length=120)
    starts_at = models.DateTimeField(_("starts"), default=timezone.now)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True, help_text=_("Leave empty to run until stopped."))
    weight = models.PositiveSmallIntegerField(
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("1 to 100. A campaign with weight 20 is shown twice as often as one with 10 in the same slot."),
    )
    sections = models.ManyToManyField(
        "articles.SectionPage",
        blank=True,
        related_name="+",
        help_text=_("Show only on these sections' pages and their articles. Leave empty for everywhere."),
    )
    on_desktop = models.BooleanField(_("desktop"), default=True)
    on_tablet = models.BooleanField(_("tablet"), default=True)
    on_phone = models.BooleanField(_("phone"), default=True)
    hide_for_staff = models.BooleanField(default=True, help_text=_("Signed-in staff do not see this campaign."))
    is_active = models.BooleanField(_("active"), default=True)

    objects = CampaignQuerySet.as_manager()

    panels = [
        FieldPanel("name"),
        FieldPanel("advertiser"),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")], heading=_("Schedule")),
        FieldPanel("weight"),
        FieldPanel("sections", widget=forms.CheckboxSelectMultiple),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("on_desktop"), FieldPanel("on_tablet"), FieldPanel("on_phone")])],
            heading=_("Devices"),
        ),
        FieldPanel("hide_for_staff"),
        FieldPanel("is_active"),
    ]

    class Meta:
        ordering = ["-starts_at", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.advertiser})"

    def clean(self) -> None:
        if self.ends_at and self.starts_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The end must come after the start.")})
        if not (self.on_desktop or self.on_tablet or self.on_phone):
            raise ValidationError(_("Choose at least one device, or make the campaign inactive."))

    @property
    def devices(self) -> list[str]:
        return [
            name
            for name, on in (("desktop", self.on_desktop), ("tablet", self.on_tablet), ("phone", self.on_phone))
            if on
        ]


class Creative(models.Model):
    class Kind(models.TextChoices):
        IMAGE = "image", _("Image with a link")
        CODE = "code", _("Ad network code (admins only)")

    class Label(models.TextChoices):
        SPONSORED = "sponsored", _("Sponsored")
        ADVERTISEMENT = "advertisement", _("Advertisement")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="creatives")
    name = models.CharField(max_length=120)
    placement = models.CharField(max_length=20, choices=Placement.choices)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.IMAGE)
    label = models.CharField(max_length=20, choices=Label.choices, default=Label.SPONSORED)
    image_desktop = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("image for desktop (≥ 1140 px)"),
    )
    image_tablet = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("image for tablet (768 to 1139 px)"),
        help_text=_("Leave empty to use the desktop image."),
    )
    image_phone = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("image for phone (< 768 px)"),
        help_text=_("Leave empty to use the tablet or desktop image."),
    )
    alt_text = models.CharField(
        max_length=250,
        blank=True,
        validators=[validate_alt_text],
        help_text=_("What the ad shows and says, read aloud to blind readers. Required for image ads."),
    )
    target_url = models.URLField(
        max_length=500,
        blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("Where a click goes. Readers are sent only here."),
    )
    code = models.TextField(
        blank=True,
        help_text=_("Runs in a sandboxed frame on its own page, never in ours."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldPanel("campaign"),
        FieldPanel("name"),
        FieldPanel("placement"),
        FieldPanel("label"),
        FieldPanel("kind", permission="ads.enter_ad_code"),
        MultiFieldPanel(
            [
                FieldPanel("image_desktop"),
                FieldPanel("image_tablet"),
                FieldPanel("image_phone"),
                FieldPanel("alt_text"),
                FieldPanel("target_url"),
            ],
            heading=_("Image ad"),
        ),
        FieldPanel("code", permission="ads.enter_ad_code"),
    ]

    class Meta:
        ordering = ["campaign", "name"]
        # Network code runs scripts from a third party: only the Admins group gets this.
        permissions = [("enter_ad_code", "Can enter ad network code")]

    def __str__(self) -> str:
        return f"{self.name} · {self.campaign.name}"

    def clean(self) -> None:
        errors: dict[str, str | Promise] = {}
        if self.kind == self.Kind.IMAGE:
            if not self.image_desktop_id:
                errors["image_desktop"] = _("An image ad needs at least the desktop image.")
            if not self.alt_text.strip():
                errors["alt_text"] = _("An image ad needs alt text that says what it shows.")
            if not self.target_url:
                errors["target_url"] = _("An image ad needs the address a click goes to.")
        elif not self.code.strip():
            errors["code"] = _("Paste the ad network's code.")
        if errors:
            raise ValidationError(errors)

    @property
    def size(self) -> dict[str, tuple[int, int]]:
        return SLOT_SIZES[self.placement]


class AdDailyStats(models.Model):
    """Impressions and clicks of one creative on one day, written only by the flush job."""

    creative = models.ForeignKey(Creative, on_delete=models.CASCADE, related_name="daily_stats")
    day = models.DateField()
    impressions = models.PositiveIntegerField(default=0)
    clicks = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["creative", "day"], name="ad_daily_stats_unique_day")]
        indexes = [models.Index(fields=["day", "creative"], name="ad_daily_stats_day_idx")]
        verbose_name_plural = _("ad daily stats")

    def __str__(self) -> str:
        return f"{self.creative_id} {self.day}: {self.impressions}/{self.clicks}"


ADS_TXT_LINE = re.compile(
    r"^[a-z0-9.-]+\.[a-z]{2,},\s*[^,\s]+,\s*(DIRECT|RESELLER)(,\s*[^,\s]+)?\s*(#.*)?$", re.IGNORECASE
)
ADS_TXT_VARIABLE = re.compile(r"^(contact|subdomain|inventorypartnerdomain|ownerdomain|managerdomain)=\S+", re.I)


def validate_ads_txt(value: str) -> None:
    bad = [
        f"{number}: {line.strip()[:60]}"
        for number, line in enumerate(value.splitlines(), start=1)
        if line.strip()
        and not line.strip().startswith("#")
        and not ADS_TXT_LINE.match(line.strip())
        and not ADS_TXT_VARIABLE.match(line.strip())
    ]
    if bad:
        raise ValidationError(
            _("These lines are not “domain, publisher id, DIRECT or RESELLER[, certification id]”: %(lines)s"),
            params={"lines": "; ".join(bad[:5])},
        )


@register_setting(icon="doc-full")
class AdSettings(BaseSiteSetting):
    inline_after_paragraph = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=_("The inline slot follows this paragraph (quotes are not counted); at the end of shorter articles."),
    )
    ads_txt = models.TextField(
        "ads.txt",
        blank=True,
        validators=[validate_ads_txt],
        help_text=_("Served at /ads.txt. One seller per line: domain, publisher id, DIRECT or RESELLER."),
    )
    click_hosts = models.TextField(
        _("allowed link hosts"),
        blank=True,
        validators=[validate_allow_list],
        help_text=_(
            "One host per line, such as “shop.example.com”; “*.example.com” allows its subdomains. "
            "When the list has any, image ads may link only to these hosts, and a click on an older ad "
            "linking elsewhere goes to the home page. Leave empty to allow any host."
        ),
    )

    class Meta:
        verbose_name = _("ads")
