from django.contrib.sitemaps import views as sitemap_views
from django.urls import path
from django.views.decorators.cache import cache_control

from . import views
from .sitemaps import SITEMAPS

sitemap_cache = cache_control(max_age=900, public=True)

urlpatterns = [
    path("robots.txt", views.robots_txt, name="robots"),
    path(
        "sitemap.xml",
        sitemap_cache(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section", "template_name": "seo/sitemap_index.xml"},
        name="sitemap-index",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_cache(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS, "template_name": "seo/sitemap.xml"},
        name="sitemap-section",
    ),
    path("news-sitemap.xml", views.news_sitemap, name="news-sitemap"),
]
