from django.contrib.sitemaps import views as sitemap_views
from django.urls import path, re_path

from . import views
from .sitemaps import SITEMAPS

urlpatterns = [
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", views.sitemap_index, name="sitemap-index"),
    # Before sitemap-<section>.xml, which would take "articles-2024-05" for a section name.
    re_path(
        r"^sitemap-articles-(?P<year>[0-9]{4})-(?P<month>[0-9]{2})\.xml$",
        views.sitemap_articles_month,
        name="sitemap-articles-month",
    ),
    path(
        "sitemap-<section>.xml",
        views.sitemap_cache(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS, "template_name": "seo/sitemap.xml"},
        name="sitemap-section",
    ),
    path("news-sitemap.xml", views.news_sitemap, name="news-sitemap"),
]
