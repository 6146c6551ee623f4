from defusedcsv import csv
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from .reports import ReportFilter, report


def can_see_reports(user: object) -> bool:
    return bool(getattr(user, "is_superuser", False) or getattr(user, "has_perm", lambda _: False)("ads.view_campaign"))


def ad_report(request: HttpRequest) -> HttpResponse:
    if not can_see_reports(request.user):
        raise PermissionDenied
    form = ReportFilter(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else None
    if data is None:
        fallback = ReportFilter({})
        fallback.is_valid()
        data = fallback.cleaned_data
    figures = report(start=data["start"], end=data["end"], campaign=data.get("campaign"))
    if request.GET.get("format") == "csv":
        return csv_response(figures, data)
    context = {"form": form if form.is_bound else ReportFilter(initial=data), "filters": data, **figures}
    return TemplateResponse(request, "ads/admin/report.html", context)


def csv_response(figures: dict, data: dict) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"ad-report-{data['start']:%Y%m%d}-{data['end']:%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    # Campaign and creative names are typed by advertisers' staff: defusedcsv's writer quotes any
    # cell a spreadsheet would run as a formula (leading =, +, -, @, |, %), numbers stay numbers.
    writer = csv.writer(response)
    writer.writerow(["day", "campaign", "creative", "impressions", "clicks", "ctr_percent"])
    for row in figures["rows"]:
        writer.writerow(
            [
                row.day.isoformat(),
                row.campaign,
                row.creative,
                row.impressions,
                row.clicks,
                row.ctr if row.ctr is not None else "",
            ]
        )
    response["X-Generated-At"] = timezone.now().isoformat()
    return response
