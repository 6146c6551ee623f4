import datetime

from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from wagtail.models import Site

from newsdesk.core.models import SiteSettings

from .sitemaps import SITEMAPS, ArticleMonthSitemap, article_months, index_xml, news_articles

# Crawlers may keep sitemaps a quarter of an hour; a publish purges the index and its month (articles/purges.py).
sitemap_cache = cache_control(max_age=900, public=True)


@sitemap_cache
def sitemap_index(request: HttpRequest) -> HttpResponse:
    """The other sitemaps, then one per month with published articles, newest first, in one query.

    The others carry no `<lastmod>` (it is optional): dating them would read every article's
    bylines and tags; each month is dated by its newest change, so crawlers refetch only those.
    """
    entries: list[tuple[str, datetime.datetime | None]] = [
        (request.build_absolute_uri(reverse("sitemap-section", kwargs={"section": name})), None) for name in SITEMAPS
    ]
    # One reverse() for every month: the address with a stand-in month, cut around it.
    before, after = request.build_absolute_uri(
        reverse("sitemap-articles-month", kwargs={"year": "0000", "month": "00"})
    ).split("0000-00")
    entries += [(f"{before}{month:%Y-%m}{after}", newest) for month, newest in article_months()]
    return HttpResponse(index_xml(entries), content_type="application/xml")


@sitemap_cache
def sitemap_articles_month(request: HttpRequest, year: str, month: str) -> HttpResponse:
    """One month's articles; a month that is not one, or has none published, is not found."""
    if not 1 <= int(month) <= 12 or int(year) < 1:
        raise Http404("No such month")
    base = f"{request.scheme}://{get_current_site(request).domain}"
    xml = ArticleMonthSitemap(int(year), int(month)).xml(base, f"{request.scheme}://{request.get_host()}")
    if xml is None:
        raise Http404("No articles that month")
    return HttpResponse(xml, content_type="application/xml")


@cache_control(max_age=300, public=True)
def news_sitemap(request: HttpRequest) -> HttpResponse:
    site = Site.find_for_request(request)
    name = (SiteSettings.for_site(site).publication_name if site else "") or settings.WAGTAIL_SITE_NAME
    context = {"articles": news_articles(), "publication_name": name, "language": settings.LANGUAGE_CODE[:2]}
    return render(request, "seo/news_sitemap.xml", context, content_type="application/xml")


@cache_control(max_age=3600, public=True)
def robots_txt(request: HttpRequest) -> HttpResponse:
    base = request.build_absolute_uri("/").rstrip("/")
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        "",
        f"Sitemap: {base}{reverse('sitemap-index')}",
        f"Sitemap: {base}{reverse('news-sitemap')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
