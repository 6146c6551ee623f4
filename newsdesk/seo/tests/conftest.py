import datetime

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from newsdesk.articles.models import ArticlePage


@pytest.fixture
def hidden_articles(article_factory):
    """One article of each kind readers must never see, all sharing author, tag and section."""
    common = {"section": "local", "authors": ["Jonas Falk"], "tags": ["housing"]}
    draft = article_factory(headline="Secret draft", **common)
    draft.unpublish()
    article_factory(headline="Secret future", published_at=timezone.now() + datetime.timedelta(days=1), **common)
    expired = article_factory(headline="Secret expired", **common)
    ArticlePage.objects.filter(pk=expired.pk).update(expire_at=timezone.now() - datetime.timedelta(minutes=1))
    private = article_factory(headline="Secret private", **common)
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    return ["Secret draft", "Secret future", "Secret expired", "Secret private"]
