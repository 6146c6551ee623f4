from django.apps import AppConfig


class WordPressConfig(AppConfig):
    name = "newsdesk.wordpress"
    label = "wordpress"
    verbose_name = "WordPress import"
