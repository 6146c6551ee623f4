from django.apps import AppConfig


class BreakingConfig(AppConfig):
    name = "newsdesk.breaking"
    label = "breaking"
    verbose_name = "Breaking-news banner"
