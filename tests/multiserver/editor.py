"""The proxy tests' editor (tests/proxies/editor.py) with what the two-server test also asks of the database.

Run as `python -m tests.multiserver.editor` with one server's environment (its settings, its
local folders, the shared PostgreSQL and Redis): what it publishes goes through the same
services and purges as an editor's click on that server.
"""

from typing import Any

from tests.proxies import editor


def creative() -> dict[str, Any]:
    """A running image ad (its click goes to an outside address, counted first)."""
    from newsdesk.ads.factories import make_campaign, make_image_creative
    from newsdesk.ads.models import Placement

    made = make_image_creative(make_campaign(), Placement.SIDEBAR)
    return {"id": made.pk}


def flush() -> dict[str, Any]:
    """What the scheduler's flush jobs run every minute, on the machine this editor stands for."""
    from newsdesk.ads.services import flush_ad_counts
    from newsdesk.recommendations.services import flush_view_counts

    impressions, clicks = flush_ad_counts()
    return {"views": flush_view_counts(), "impressions": impressions, "clicks": clicks}


def totals(*, article: int, creative: int) -> dict[str, Any]:
    """The counts in the database: what the newsroom's reports read."""
    from django.db.models import Sum

    from newsdesk.ads.models import AdDailyStats
    from newsdesk.recommendations.models import ArticleViews

    ads = AdDailyStats.objects.filter(creative_id=creative).aggregate(
        impressions=Sum("impressions"), clicks=Sum("clicks")
    )
    views = ArticleViews.objects.filter(article_id=article).aggregate(views=Sum("views"))
    return {"views": views["views"] or 0, "impressions": ads["impressions"] or 0, "clicks": ads["clicks"] or 0}


def generations() -> dict[str, Any]:
    """The numbers kept page parts are filed under, as this machine reads them."""
    from newsdesk.core import fragments

    lists, articles = fragments.generations(fragments.LISTS, fragments.ARTICLES)
    return {"lists": lists, "articles": articles}


def bump() -> dict[str, Any]:
    """What a section, author or settings change does to kept parts: a new ARTICLES generation."""
    from newsdesk.core import fragments

    fragments.bump(fragments.ARTICLES)
    return {}


def purge(*, path: str) -> dict[str, Any]:
    """A soft purge of one page, as publishing makes: its copy turns stale, the next reader re-renders."""
    from newsdesk.core import page_cache

    page_cache.purge_paths([path])
    return {}


COMMANDS: dict[str, editor.Command] = {
    **editor.COMMANDS,
    "creative": creative,
    "flush": flush,
    "totals": totals,
    "generations": generations,
    "bump": bump,
    "purge": purge,
}


def main() -> None:
    # The proxy editor's loop (django.setup(), one JSON command per line) with these commands too.
    editor.COMMANDS.update(COMMANDS)
    editor.main()


if __name__ == "__main__":
    main()
