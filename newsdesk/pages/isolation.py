"""One block must never fail a page: a block that raises is logged and left out.

Reader pages are put together from blocks that other apps provide: the weather in the
top bar, ad slots, Must read, More articles, Most read, comments, structured data. A
fault in one of them (a bad value from a provider, a bug, a row that breaks a rule)
once made every uncached page answer 500 (issue 18). Here each block is built
(`isolated`) and rendered (`{% isolated %}` in templatetags/isolation_tags.py) on its
own: if it raises, the error and its traceback are logged and the block shows nothing.

Not isolated: a lost database connection (OperationalError, InterfaceError). That is
the site's fault, not a block's; it must reach the page cache, which then serves the
stale copy or a 503 rather than storing a page with its blocks missing.
settings.NEWSDESK_RAISE_BLOCK_ERRORS = True lets every error through (for debugging).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.db import InterfaceError, OperationalError

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Errors that are the site's, not one block's (see the module's docstring).
SITE_ERRORS = (OperationalError, InterfaceError)


def isolated(name: str, build: Callable[[], T], *, default: T) -> T:
    """`build()`, or `default` (logged) when it raises."""
    try:
        return build()
    except SITE_ERRORS:
        raise
    except Exception:
        if settings.NEWSDESK_RAISE_BLOCK_ERRORS:
            raise
        logger.exception("The %s block failed and was left out of the page", name)
        return default
