"""Hands Wagtail's page types what other apps show on them (newsdesk/articles/models.py, PAGE_CONTEXT_HOOK)."""

from typing import Any

from django.http import HttpRequest
from wagtail import hooks
from wagtail.models import Page

from newsdesk.articles.models import PAGE_CONTEXT_HOOK

from .selectors import page_context


@hooks.register(PAGE_CONTEXT_HOOK)
def compose_page(page: Page, request: HttpRequest) -> dict[str, Any]:
    return page_context(page, request)
