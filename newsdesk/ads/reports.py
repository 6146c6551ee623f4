"""Daily impressions, clicks and click-through rate per creative and campaign."""

import datetime
from dataclasses import dataclass

from django import forms
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import AdDailyStats, Campaign

MAX_DAYS = 366


class ReportFilter(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    campaign = forms.ModelChoiceField(
        label=_("Campaign"), queryset=Campaign.objects.order_by("name"), required=False, empty_label=_("All")
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        today = timezone.localdate()
        end = data.get("end") or today
        start = data.get("start") or end - datetime.timedelta(days=29)
        if start > end:
            raise forms.ValidationError(_("“From” must not be after “To”."))
        if (end - start).days >= MAX_DAYS:
            raise forms.ValidationError(_("Choose at most %(days)s days.") % {"days": MAX_DAYS})
        data["start"], data["end"] = start, end
        return data


def ctr(clicks: int, impressions: int) -> float | None:
    return round(100 * clicks / impressions, 2) if impressions else None


@dataclass
class Row:
    day: datetime.date
    campaign: str
    creative: str
    impressions: int
    clicks: int

    @property
    def ctr(self) -> float | None:
        return ctr(self.clicks, self.impressions)


@dataclass
class DayTotal:
    day: datetime.date
    impressions: int
    clicks: int


def report(*, start: datetime.date, end: datetime.date, campaign: Campaign | None = None) -> dict:
    stats = AdDailyStats.objects.filter(day__gte=start, day__lte=end)
    if campaign is not None:
        stats = stats.filter(creative__campaign=campaign)
    rows = [
        Row(
            day=item["day"],
            campaign=item["creative__campaign__name"],
            creative=item["creative__name"],
            impressions=item["impressions"],
            clicks=item["clicks"],
        )
        for item in stats.order_by("-day", "creative__campaign__name", "creative__name").values(
            "day", "creative__campaign__name", "creative__name", "impressions", "clicks"
        )
    ]
    per_campaign = [
        {**item, "ctr": ctr(item["clicks"], item["impressions"])}
        for item in stats.values("creative__campaign__name")
        .annotate(impressions=Sum("impressions"), clicks=Sum("clicks"))
        .order_by("creative__campaign__name")
    ]
    by_day: dict[datetime.date, tuple[int, int]] = {
        entry["day"]: (entry["impressions"], entry["clicks"])
        for entry in stats.values("day").annotate(impressions=Sum("impressions"), clicks=Sum("clicks"))
    }
    days = []
    day = start
    while day <= end:
        impressions, clicks = by_day.get(day, (0, 0))
        days.append(DayTotal(day=day, impressions=impressions, clicks=clicks))
        day += datetime.timedelta(days=1)
    total_impressions = sum(d.impressions for d in days)
    total_clicks = sum(d.clicks for d in days)
    return {
        "rows": rows,
        "per_campaign": per_campaign,
        "days": days,
        "chart": chart(days),
        "totals": {
            "impressions": total_impressions,
            "clicks": total_clicks,
            "ctr": ctr(total_clicks, total_impressions),
        },
    }


CHART_WIDTH, CHART_HEIGHT, CHART_PAD = 720, 200, 24


def chart(days: list[DayTotal]) -> dict:
    """Bar (impressions) and line (clicks) geometry for an inline SVG, each on its own scale."""
    if not days:
        return {"bars": [], "points": "", "max_impressions": 0, "max_clicks": 0}
    top_impressions = max(d.impressions for d in days) or 1
    top_clicks = max(d.clicks for d in days) or 1
    slot = (CHART_WIDTH - 2 * CHART_PAD) / len(days)
    usable = CHART_HEIGHT - 2 * CHART_PAD
    bars, points = [], []
    for index, d in enumerate(days):
        height = usable * d.impressions / top_impressions
        x = CHART_PAD + index * slot
        bars.append(
            {
                "x": round(x + slot * 0.15, 1),
                "y": round(CHART_HEIGHT - CHART_PAD - height, 1),
                "width": round(slot * 0.7, 1),
                "height": round(height, 1),
                "day": d.day,
                "impressions": d.impressions,
                "clicks": d.clicks,
            }
        )
        cy = CHART_HEIGHT - CHART_PAD - usable * d.clicks / top_clicks
        points.append(f"{x + slot / 2:.1f},{cy:.1f}")
    return {
        "bars": bars,
        "points": " ".join(points),
        "max_impressions": max(d.impressions for d in days),
        "max_clicks": max(d.clicks for d in days),
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
    }
