from django.apps import AppConfig


class SeoConfig(AppConfig):
    name = "newsdesk.seo"
    label = "seo"
    verbose_name = "Search engines and feeds"
