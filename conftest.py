"""Fixtures shared by every test package."""

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.core.cache import caches

from newsdesk.articles.factories import create_article, make_image, newsroom_with_sections
from newsdesk.articles.models import ArticlePage, SectionPage


@pytest.fixture(autouse=True)
def _clear_caches() -> None:
    for alias in ("default", "renditions"):
        caches[alias].clear()


@pytest.fixture
def counter_spool(tmp_path: Path, settings: Any) -> Iterator[Path]:
    """Counters (views, ad impressions and clicks) go to a spool of this test's own, never a shared Redis."""
    from newsdesk.core.counters import counter_store

    settings.REDIS_URL = ""
    settings.NEWSDESK_COUNTERS_SPOOL_DIR = tmp_path / "counters"
    counter_store.cache_clear()
    yield settings.NEWSDESK_COUNTERS_SPOOL_DIR
    counter_store.cache_clear()


@pytest.fixture
def sections(db: None) -> dict[str, SectionPage]:
    return newsroom_with_sections()


@pytest.fixture
def article_factory(sections: dict[str, SectionPage], tmp_path: Path) -> Callable[..., ArticlePage]:
    def make(*, with_image: bool = False, **overrides: Any) -> ArticlePage:
        if with_image:
            picture = make_image(
                tmp_path / f"lead-{len(list(tmp_path.iterdir()))}.jpg", seed=7, colour=(20, 60, 120), size=(640, 360)
            )
            overrides.setdefault("image", {"path": picture.name, "caption": "A test picture", "credit": "Tests"})
        return create_article(base_dir=tmp_path, **overrides)

    return make


@pytest.fixture
def soup() -> Callable[[Any], BeautifulSoup]:
    """Parse a response's HTML, so tests assert on elements rather than strings."""
    return lambda response: BeautifulSoup(response.content, "html.parser")
