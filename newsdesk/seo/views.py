from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from wagtail.models import Site

from newsdesk.core.models import SiteSettings

from .sitemaps import news_articles


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
