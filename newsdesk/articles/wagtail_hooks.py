from collections.abc import Iterator
from typing import Any

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.log_actions import LogActionRegistry
from wagtail.models import Page
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import correction_views, corrections
from .models import ArticlePage, Author


class AuthorViewSet(SnippetViewSet):
    model = Author
    icon = "user"
    menu_label = "Authors"
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["name", "role", "slug"]
    # No `search_fields`: Author's own index (name, with autocomplete) is searched. Naming
    # fields here made the SQLite search backend ask its full-text table for a column
    # "name" it does not have, and every search of the listing failed.


register_snippet(AuthorViewSet)


# --- Corrections: from the page's header menu and its row in the page listing ---


@hooks.register("register_admin_urls")
def correction_urls() -> list:
    return [
        path("corrections/article/<int:page_id>/", correction_views.article_corrections, name="articles_corrections"),
        path(
            "corrections/<int:correction_id>/edit/", correction_views.correction_edit, name="articles_correction_edit"
        ),
    ]


def _corrections_button(page: Page, user: Any) -> Iterator[Button]:
    # By class, not by loading the article: the listing asks this for every row.
    if issubclass(page.specific_class or Page, ArticlePage) and page.live and correction_views.can_correct(page, user):
        url = reverse("articles_corrections", args=[page.pk])
        yield Button(_("Corrections"), url, icon_name="warning", priority=45)


@hooks.register("register_page_header_buttons")
def corrections_header_button(page: Page, user: Any, view_name: str, next_url: str | None = None) -> Iterator[Button]:
    yield from _corrections_button(page, user)


@hooks.register("register_page_listing_more_buttons")
def corrections_listing_button(page: Page, user: Any, next_url: str | None = None) -> Iterator[Button]:
    yield from _corrections_button(page, user)


@hooks.register("register_log_actions")
def register_correction_log_actions(registry: LogActionRegistry) -> None:
    corrections.register_log_actions(registry)
